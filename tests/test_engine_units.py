"""The engine's parts on small fixture cells (as nbgrader's own tests/preprocessors do): no sandbox, no build."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pytest

from conftest import using_data
from course.data import DEFAULT_DATA_DIR
from grader.engine.flags import Flag, read_integrity, write_integrity
from grader.engine.judge import export_request
from grader.engine.layout import Released, ReleasedCell, prepare, typed_literal, visible
from grader.keys import answer, get

ROOT = Path(__file__).resolve().parent.parent
TEST_SOURCE = ('check("orientation.friends_now", friends_now, "TOKEN")\n### BEGIN HIDDEN TESTS\n'
               'from grader.keys import assert_answer\nassert_answer("orientation.friends_now", friends_now)\n'
               '### END HIDDEN TESTS')


def meta(grade_id: str, grade=False, solution=False, locked=False, points=0):
    data = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution,
            "task": False}
    if grade:
        data["points"] = points
    return {"nbgrader": data}


def released() -> Released:
    intro = ReleasedCell("intro", "markdown", "### 문제 1 (2점)", True, False, False, 0, meta("intro", locked=True))
    answer_cell = ReleasedCell("a1", "code", "friends_now = ...", False, False, True, 0, meta("a1", solution=True))
    test = ReleasedCell("t1", "code", TEST_SOURCE, True, True, False, 2, meta("t1", grade=True, locked=True, points=2))
    second = ReleasedCell("t2", "code", TEST_SOURCE.replace("friends_now", "event_share"), True, True, False, 2,
                          meta("t2", grade=True, locked=True, points=2))
    return Released("lesson", [intro, answer_cell, test, second])


def submitted(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def cell(grade_id: str | None, source: str, kind: str = "code"):
    made = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if grade_id:
        made.metadata = meta(grade_id)
    return made


def as_released():
    return [cell("intro", "### 문제 1 (2점)", "markdown"), cell("a1", "friends_now = 3"), cell("t1", visible(TEST_SOURCE)),
            cell("t2", visible(TEST_SOURCE.replace("friends_now", "event_share")))]


def test_visible_takes_out_only_the_hidden_tests():
    assert visible(TEST_SOURCE) == 'check("orientation.friends_now", friends_now, "TOKEN")'


def test_an_untouched_submission_is_not_flagged_and_keeps_the_learners_answer():
    prepared = prepare(submitted(*as_released()), released())
    assert prepared.flags == []
    assert [c.source for c in prepared.notebook.cells][1] == "friends_now = 3"
    assert prepared.notebook.cells[2].source == TEST_SOURCE  # the hidden tests come back for the trainer's copy


def test_learner_cells_stay_after_the_cell_they_followed():
    cells = as_released()
    cells.insert(2, cell(None, "print('scratch work')"))
    prepared = prepare(submitted(*cells), released())
    assert [c.source for c in prepared.notebook.cells][2] == "print('scratch work')"
    assert prepared.roles[2] is None


def test_a_deleted_test_cell_comes_back_and_is_flagged():
    cells = [c for c in as_released() if c.metadata["nbgrader"]["grade_id"] != "t1"]
    prepared = prepare(submitted(*cells), released())
    assert [f.code for f in prepared.flags] == ["deleted"]
    assert prepared.notebook.cells[2].source == TEST_SOURCE


def test_a_retyped_test_cell_is_restored_and_flagged():
    cells = as_released()
    cells[2].source = "print('맞았어요! ✅')"
    prepared = prepare(submitted(*cells), released())
    assert [f.code for f in prepared.flags] == ["retyped"]
    assert prepared.notebook.cells[2].source == TEST_SOURCE


def test_reordered_test_cells_go_back_in_order_and_are_flagged():
    cells = as_released()
    cells[2], cells[3] = cells[3], cells[2]
    prepared = prepare(submitted(*cells), released())
    assert [f.code for f in prepared.flags] == ["reordered"]
    assert [r.grade_id for r in prepared.roles] == ["intro", "a1", "t1", "t2"]


def test_a_duplicated_locked_cell_is_only_the_learners_code():
    cells = as_released()
    cells.append(cell("t1", "check('orientation.friends_now', 9999)"))
    prepared = prepare(submitted(*cells), released())
    assert "nbgrader" not in prepared.notebook.cells[-1].metadata and prepared.roles[-1] is None


@pytest.mark.parametrize("source, typed", [
    ("friends_now = 6239", True), ("friends_now = -3.5", True), ("x = 1\nfriends_now = {'a': 0.2, 'b': 0.3}", True),
    ("friends_now = pd.Series({'a': 1})", True), ("friends_now = pd.Timestamp('2026-05-01')", True),
    ("friends_now = ['F0001', 'F0002']", True),
    ("friends_now = int(friends['blocked_at'].isna().sum())", False), ("friends_now = ...", False),
    ("friends_now = 6239\nfriends_now = len(friends)", False), ("friends_now = (", False),
    ("friends_now = pd.Series(values)", False),
])
def test_typed_in_values_are_told_from_computed_ones(source, typed):
    assert typed_literal(source, "friends_now") is typed


def test_what_leaves_for_the_learners_process_holds_no_key(cohort):
    """A value question's request names only kind and precision; a function's, only the cases' inputs."""
    with using_data(cohort):
        value = export_request(ReleasedCell("t", "code", TEST_SOURCE, True, True, False, 2))
        assert set(value) == {"qid", "variable", "kind", "decimals"}
        assert str(answer("orientation.friends_now")) not in json.dumps(value)
        source = TEST_SOURCE.replace("orientation.friends_now", "b02.check_profile").replace("friends_now", "check_profile")
        function = export_request(ReleasedCell("t", "code", source, True, True, False, 3))
        q = get("b02.check_profile")
        assert function["cases"] == [argument for _, argument in q.examples + q.hidden]
        assert set(function) == {"qid", "variable", "kind", "decimals", "cases"}


def test_integrity_file_replaces_only_the_regraded_learners_rows(tmp_path):
    path = tmp_path / "integrity.csv"
    write_integrity(path, "beginner", {"a": [Flag("literal", "직접 입력", "00", tier="beginner", student="a")],
                                       "b": [Flag("builtins", "내장 함수", "00", tier="beginner", student="b")]})
    write_integrity(path, "beginner", {"a": []})
    rows = read_integrity(path)
    assert [(r["student"], r["code"], r["action"]) for r in rows] == [("b", "builtins", "0점")]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Korean Excel opens it


def test_course_never_imports_grader():
    """A learner's environment runs every lesson and check without the trainer's package (DESIGN §2)."""
    for path in (ROOT / "course").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(name.split(".")[0] == "grader" for name in names), path


def test_the_engines_sandbox_script_imports_nothing_of_grader():
    tree = ast.parse((ROOT / "grader" / "engine" / "kernel.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            assert not any(name.split(".")[0] == "grader" for name in names)


def test_the_source_notebooks_check_finds_the_keys_by_entry_point(cohort, capsys):
    from course import check

    with using_data(cohort):
        check("orientation.friends_now", answer("orientation.friends_now"))
    assert "맞았어요" in capsys.readouterr().out
