"""Taught before asked: every function or method a solution calls was shown earlier in the course.

A learner meets a question with what the course has shown so far. So, in course order (00, b01..b04, i01..i04,
a01..a04), each call inside a ``### BEGIN SOLUTION`` / ``### END SOLUTION`` region must have appeared before it: in a
code cell the learner sees (not a solution region, not a hidden test), or in backticks in a markdown cell (a question's
text may teach it in one clause). Plain Python builtins are assumed known (``BUILTINS``).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = [lesson for tier in ("beginner", "intermediate", "advanced")
           for lesson in sorted((ROOT / tier).glob("[0-9][0-9]_*.ipynb"))]  # course order
BUILTINS = {"abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "isinstance", "len", "list", "max", "min",
            "print", "range", "round", "set", "sorted", "str", "sum", "tuple", "zip"}
ACCESSORS = {"str", "dt", "cat"}  # pandas accessors: using one is a step of its own, even before the method after it
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _tree(source: str) -> ast.Module:
    """The cell parsed; IPython magics and shell lines are blanked so line numbers stay."""
    return ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()))


def _solution_lines(source: str) -> set[int]:
    """1-based line numbers strictly between each BEGIN and END SOLUTION marker."""
    lines, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def _uses(nodes) -> tuple[set[str], set[str]]:
    """(plain names, attribute names) a piece of code uses; imports count as plain names shown."""
    names, attributes = set(), set()
    for node in nodes:
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            attributes.add(node.attr)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names, attributes


def _defined(tree: ast.Module) -> set[str]:
    """Names a cell makes itself (functions, lambdas and other values it assigns, arguments): calling one needs no
    teaching."""
    made = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            made.add(node.name)
        elif isinstance(node, ast.arg):
            made.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            made.add(node.id)
    return made


def _asked(tree: ast.Module, lines: set[int]) -> set[str]:
    """What the solution region calls: called names and methods (``np.select`` counts as ``select``), and accessors."""
    asked = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) not in lines:
            continue
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                asked.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                asked.add("." + node.func.attr)
        elif isinstance(node, ast.Attribute) and node.attr in ACCESSORS:
            asked.add("." + node.attr)
    return asked


@functools.cache
def findings() -> dict[str, list[tuple[str, list[str]]]]:
    """lesson ("tier/file") -> [(grade_id, calls not shown before it)], walking the whole course once."""
    names, attributes = set(BUILTINS), set()
    found: dict[str, list[tuple[str, list[str]]]] = {}
    for lesson in LESSONS:
        key = f"{lesson.parent.name}/{lesson.name}"
        found[key] = []
        for cell in nbformat.read(lesson, as_version=4).cells:
            if cell.cell_type == "markdown":
                if cell.metadata.get("nbgrader", {}).get("solution"):
                    continue  # a written answer's exemplar is the trainer's, not shown to the learner
                for quoted in re.findall(r"`([^`]+)`", cell.source):
                    words = set(IDENTIFIER.findall(quoted))
                    names |= words
                    attributes |= words
                continue
            if "HIDDEN TESTS" in cell.source:
                continue
            tree = _tree(cell.source)
            region = _solution_lines(cell.source) if cell.metadata.get("nbgrader", {}).get("solution") else set()
            if region:
                made = _defined(tree)
                missing = sorted(call for call in _asked(tree, region)
                                 if not (call[1:] in attributes if call.startswith(".") else call in names | made))
                if missing:
                    found[key].append((cell.metadata["nbgrader"]["grade_id"], missing))
                names |= made  # a helper the learner wrote in an earlier answer (hourly_counts, model_design) is theirs
            shown = [node for node in ast.walk(tree) if getattr(node, "lineno", None) not in region]
            seen_names, seen_attributes = _uses(shown)
            names |= seen_names
            attributes |= seen_attributes
    return found


def test_the_course_order_starts_with_the_orientation():
    assert LESSONS[0].name == "00_orientation.ipynb" and len(LESSONS) == 13


@pytest.mark.parametrize("lesson", [f"{lesson.parent.name}/{lesson.name}" for lesson in LESSONS])
def test_every_call_a_solution_makes_was_shown_before_it_is_asked(lesson):
    """The fix is natural, not a list of exceptions: name the method in the question in backticks with one clause on
    what it does, add a line to an earlier worked example, or write the solution with what was shown."""
    assert not findings()[lesson], findings()[lesson]
