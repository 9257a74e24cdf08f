"""From a submitted notebook to the cells the engine runs, graded as released.

Locked cells get their released source back (as nbgrader's OverwriteCells does); a graded test cell
that was deleted is put back after the cell before it, one that was retyped is restored, and cells
moved out of order are put back in the released order. Each of these is flagged. Cells the learner
added stay, after the released cell they followed.
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..preprocess import without_tokens
from .flags import Flag

HIDDEN = re.compile(r"\n?[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*\n?", re.S)
CHECK_CALL = re.compile(r"""check\(\s*(["'])(?P<qid>[\w.]+)\1\s*,\s*(?P<variable>[A-Za-z_]\w*)""")


def visible(source: str) -> str:
    """A test cell's source as the learner sees it: the hidden tests taken out."""
    return HIDDEN.sub("\n", source).strip()


def as_shown(source: str) -> str:
    """A test cell's source as the learner's copy shows it: no hidden tests, no check token (the gradebook has both)."""
    return without_tokens(visible(source))


@dataclass
class ReleasedCell:
    grade_id: str
    cell_type: str
    source: str  # as in the gradebook: a test cell with its hidden tests
    locked: bool
    grade: bool
    solution: bool
    points: float
    metadata: dict = field(default_factory=dict)

    @property
    def is_test(self) -> bool:
        return self.grade and not self.solution and self.cell_type == "code"

    @property
    def is_written(self) -> bool:
        return self.grade and self.solution

    @property
    def question(self) -> tuple[str, str] | None:
        found = CHECK_CALL.search(self.source) if self.is_test else None
        return (found["qid"], found["variable"]) if found else None


@dataclass
class Released:
    """One notebook of an assignment as it was released: its nbgrader cells in order."""

    name: str
    cells: list[ReleasedCell]
    notebook: nbformat.NotebookNode | None = None  # the released file itself, when it is there

    def by_id(self) -> dict[str, ReleasedCell]:
        return {cell.grade_id: cell for cell in self.cells}


def released_notebooks(gradebook, tier: str, release_dir: Path | None) -> dict[str, Released]:
    """Every notebook of ``tier`` from the gradebook, in the release's cell order where the release is there."""
    found = {}
    for notebook in gradebook.find_assignment(tier).notebooks:
        points = {cell.name: float(cell.max_score) for cell in notebook.grade_cells}
        solutions = {cell.name for cell in notebook.solution_cells}
        cells = {cell.name: ReleasedCell(cell.name, cell.cell_type, cell.source, bool(cell.locked),
                                         cell.name in points, cell.name in solutions, points.get(cell.name, 0.0))
                 for cell in notebook.source_cells}
        order = list(cells)
        release_file = release_dir / f"{notebook.name}.ipynb" if release_dir else None
        release_nb = None
        if release_file and release_file.exists():
            release_nb = nbformat.read(release_file, as_version=4)
            in_release = [_grade_id(c) for c in release_nb.cells if _grade_id(c) in cells]
            order = in_release + [name for name in order if name not in in_release]
            for cell in release_nb.cells:
                if _grade_id(cell) in cells:
                    cells[_grade_id(cell)].metadata = copy.deepcopy(dict(cell.metadata))
        found[notebook.name] = Released(notebook.name, [cells[name] for name in order], release_nb)
    return found


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


@dataclass
class Prepared:
    """The notebook to run and keep (its cells in released order) and what was put right."""

    notebook: nbformat.NotebookNode
    roles: list[ReleasedCell | None]  # per cell of ``notebook``: the released cell it is, or None (learner's own)
    flags: list[Flag] = field(default_factory=list)


def prepare(submitted: nbformat.NotebookNode, released: Released) -> Prepared:
    """Put a submission back into the released shape (see the module docstring)."""
    known = released.by_id()
    flags: list[Flag] = []
    attached: dict[str | None, list] = {None: []}  # released grade id -> learner cells after it
    mine: dict[str, nbformat.NotebookNode] = {}
    seen_order: list[str] = []
    anchor: str | None = None
    for cell in submitted.cells:
        grade_id = _grade_id(cell)
        if grade_id in known and grade_id not in mine:
            mine[grade_id] = cell
            seen_order.append(grade_id)
            anchor = grade_id
            continue
        own = copy.deepcopy(cell)
        own.get("metadata", {}).pop("nbgrader", None)  # a copied locked cell is only the learner's code now
        attached.setdefault(anchor, []).append(own)

    tests = [c.grade_id for c in released.cells if c.is_test]
    present = [g for g in seen_order if known[g].is_test]
    if [g for g in tests if g in present] != present:
        flags.append(Flag("reordered", "채점 셀의 순서를 바꿨어요 (배포한 순서로 되돌려 채점했어요)", released.name))

    cells, roles = list(attached[None]), [None] * len(attached[None])
    for original in released.cells:
        submitted_cell = mine.get(original.grade_id)
        if original.is_test and submitted_cell is None:
            flags.append(Flag("deleted", "채점 셀을 지웠어요 (배포한 셀을 되살려 채점했어요)", released.name,
                              original.grade_id))
        elif original.is_test and as_shown(submitted_cell.source) != as_shown(original.source):
            flags.append(Flag("retyped", "채점 셀을 고쳤어요 (배포한 셀로 되돌려 채점했어요)", released.name,
                              original.grade_id))
        cells.append(_restored(original, submitted_cell))
        roles.append(original)
        extra = attached.get(original.grade_id, [])
        cells += extra
        roles += [None] * len(extra)
    notebook = copy.deepcopy(submitted)
    notebook.cells = cells
    return Prepared(notebook, roles, flags)


def _restored(original: ReleasedCell, submitted_cell) -> nbformat.NotebookNode:
    """The learner's version of an answer cell; the released version of everything locked."""
    if submitted_cell is not None and not original.locked:
        cell = copy.deepcopy(submitted_cell)
        cell.cell_type = original.cell_type  # a changed cell type is put back (nbgrader does the same)
    else:
        maker = nbformat.v4.new_code_cell if original.cell_type == "code" else nbformat.v4.new_markdown_cell
        cell = maker(original.source)
        if submitted_cell is not None and submitted_cell.get("id"):
            cell["id"] = submitted_cell["id"]
    if original.metadata:
        cell.metadata = copy.deepcopy(original.metadata)
    if cell.cell_type == "code":
        cell.setdefault("outputs", [])
        cell.setdefault("execution_count", None)
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return cell


LITERAL_CALLS = {"Series", "Timestamp", "to_datetime", "set", "frozenset", "list", "tuple", "dict", "int", "float",
                 "str", "Index", "array", "DataFrame"}


def typed_literal(source: str, variable: str) -> bool:
    """Whether the cell's last assignment to ``variable`` is a value typed in, not computed."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    value = None
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == variable for t in targets) and node.value is not None:
            value = node.value
    return value is not None and _is_literal(value)


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value is not Ellipsis and node.value is not None
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        arguments = list(node.args) + [k.value for k in node.keywords]
        return name in LITERAL_CALLS and bool(arguments) and all(_is_literal(a) for a in arguments)
    return False
