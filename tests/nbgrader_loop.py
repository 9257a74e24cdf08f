"""Driving the whole nbgrader loop in a scratch course folder: build, submit, autograde, export."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grader.build import build_student_copies, run_nbgrader, tiers_with_lessons

REPO = Path(__file__).resolve().parent.parent
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def make_course_root(target: Path) -> Path:
    """A scratch copy of the course's tiers and nbgrader config (grading never touches the repo)."""
    for tier in tiers_with_lessons(REPO):
        shutil.copytree(REPO / tier, target / tier)
    (target / "grader").mkdir(parents=True)
    shutil.copy(REPO / "grader" / "nbgrader_config.py", target / "grader")
    return target


def solution_code(source_cell_text: str) -> str:
    return "\n".join(line for line in source_cell_text.splitlines() if line.strip() not in MARKERS)


def solution_lines(source: Path) -> list[str]:
    """The lines between the solution markers of every cell of a source notebook."""
    lines, inside = [], False
    for cell in nbformat.read(source, as_version=4).cells:
        for line in cell.source.splitlines():
            if line.strip() == MARKERS[0]:
                inside = True
            elif line.strip() == MARKERS[1]:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def submission(student_copy: Path, source: Path, answers: dict[str, str] | None = None,
               solved: bool = True) -> nbformat.NotebookNode:
    """The student copy with its answer cells filled: from the source solutions, or from ``answers``."""
    nb = nbformat.read(student_copy, as_version=4)
    solutions = {cell.metadata["nbgrader"]["grade_id"]: solution_code(cell.source)
                 for cell in nbformat.read(source, as_version=4).cells
                 if cell.metadata.get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution") or cell.cell_type != "code":
            continue
        grade_id = meta["grade_id"]
        if answers and grade_id in answers:
            cell.source = answers[grade_id]
        elif solved:
            cell.source = solutions[grade_id]
    return nb


def place(root: Path, student: str, tier: str, name: str, nb: nbformat.NotebookNode) -> None:
    folder = root / "grader" / "submitted" / student / tier
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)


@dataclass
class Score:
    score: float
    max_score: float


def export_scores(root: Path, env: dict[str, str], tier: str) -> dict[str, Score]:
    result = run_nbgrader(["export", "--to", "grades.csv"], root, env)
    assert result.returncode == 0, result.stderr
    with open(root / "grader" / "grades.csv", encoding="utf-8") as handle:
        return {row["student_id"]: Score(float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(handle) if row["assignment"] == tier}


__all__ = ["build_student_copies", "run_nbgrader", "make_course_root", "submission", "place", "export_scores",
           "solution_lines"]
