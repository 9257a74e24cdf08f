"""The shape every lesson keeps (DESIGN §6), read from the source notebooks without running them."""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import NOTEBOOKS

LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]
HANGUL = re.compile(r"[가-힣]")


def cells(lesson):
    return nbformat.read(lesson, as_version=4).cells


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_a_lesson_has_goals_a_summary_and_a_written_answer_with_a_rubric(lesson):
    markdown = "\n".join(c.source for c in cells(lesson) if c.cell_type == "markdown")
    for heading in ("학습 목표", "## 준비", "## 정리", "## 현업 적용", "채점 기준"):
        assert heading in markdown, heading
    written = [c for c in cells(lesson) if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")
               and c.metadata["nbgrader"].get("solution")]
    assert written and all(c.metadata["nbgrader"]["points"] > 0 for c in written)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_a_lesson_has_a_plot_with_korean_title_and_axis_labels(lesson):
    code = "\n".join(c.source for c in cells(lesson) if c.cell_type == "code")
    for call in ("set_title", "set_xlabel", "set_ylabel"):
        texts = re.findall(rf"{call}\(\s*f?\"([^\"]*)\"", code)
        assert texts and all(HANGUL.search(text) for text in texts), call


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_source_notebooks_are_committed_without_outputs(lesson):
    for cell in cells(lesson):
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, cell.metadata.get("nbgrader", {}).get("grade_id")


@pytest.mark.parametrize("lesson", NOTEBOOKS, ids=lambda p: p.name)
def test_every_written_answer_has_an_exemplar_in_the_source(lesson):
    """The 현업 적용 answer cell is a manually graded answer whose solution region is a worked exemplar for the trainer
    (the student copy holds the stub instead: tests/test_grading.py checks the built copies)."""
    written = [c for c in cells(lesson) if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")]
    assert written, "no written answer"
    for cell in written:
        assert cell.metadata["nbgrader"]["grade"] and cell.metadata["nbgrader"]["points"] > 0
        source = cell.source.strip()
        assert source.startswith("### BEGIN SOLUTION") and source.endswith("### END SOLUTION")
        exemplar = source.removeprefix("### BEGIN SOLUTION").removesuffix("### END SOLUTION").strip()
        assert exemplar.startswith("(예시)") and len(exemplar) > 80, exemplar[:40]
    headings = [c.source for c in cells(lesson) if c.cell_type == "markdown" and c.source.startswith("## 현업 적용")]
    assert len(headings) == 1 and "채점 기준" in headings[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_cell_reuses_the_name_of_check_or_load(path):
    """A lesson variable called ``check`` (or ``load``) would break every check cell after it ('Balance' object is not
    callable), as an example once did."""
    import json
    import re

    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code":
            assert not re.search(r"^\s*(check|load)\s*(,[^=]*)?=(?!=)", text, flags=re.M), (path.name, text[:200])
