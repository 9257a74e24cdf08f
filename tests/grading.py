"""Driving the whole nbgrader loop for a tier in a scratch course folder: build, submit, autograde, export.

Submissions are made from the student copy: the source's solutions for a correct learner, nothing for a
blank one, and, for each common mistake a key names, the mistaken value itself in that answer cell.
"""

from __future__ import annotations

import csv
import fnmatch
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd

from grader.build import build_student_copies, run_nbgrader, tiers_with_lessons
from grader.keys import answer, get, spec_for
from grader.trainer.literals import literal
from grader.wiring import Question, questions  # noqa: F401 (the tests import them from here)

REPO = Path(__file__).resolve().parent.parent
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
TOKEN = re.compile(r', "[A-Za-z0-9+/=]{40,}"\)')


def lesson_filter() -> list[str]:
    """``ACADEMY_LESSONS="intermediate/02_*,03_*"``: grade only those lessons (and each tier's orientation) while
    writing them. The full suite (and CI) leaves it unset and grades everything."""
    return [pattern.strip() for pattern in os.environ.get("ACADEMY_LESSONS", "").split(",") if pattern.strip()]


def selected(tier: str, lesson: Path) -> bool:
    only = lesson_filter()
    return not only or any(fnmatch.fnmatch(lesson.name, p) or fnmatch.fnmatch(f"{tier}/{lesson.name}", p) for p in only)


def graded_tiers() -> list[str]:
    """The tiers the grading tests build: every tier with lessons, or those holding a lesson the filter picks."""
    return [tier for tier in tiers_with_lessons(REPO)
            if any(selected(tier, lesson) for lesson in (REPO / tier).glob("*.ipynb") if not lesson.name.startswith("00_"))
            or not lesson_filter()]


def make_course_root(target: Path) -> Path:
    """A scratch copy of the course's tiers and nbgrader config (grading never touches the repo)."""
    for tier in tiers_with_lessons(REPO):
        (target / tier).mkdir(parents=True)
        for lesson in (REPO / tier).glob("*.ipynb"):
            if lesson.name.startswith("00_") or selected(tier, lesson):
                shutil.copy(lesson, target / tier / lesson.name)
    (target / "grader").mkdir(parents=True)
    shutil.copy(REPO / "grader" / "nbgrader_config.py", target / "grader")
    return target


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def solution_code(source_cell_text: str) -> str:
    return "\n".join(line for line in source_cell_text.splitlines() if line.strip() not in MARKERS)


def solution_lines(source: Path) -> list[str]:
    """The code lines between the solution markers of a source notebook (comments and stubs left out)."""
    lines, inside = [], False
    for cell in nbformat.read(source, as_version=4).cells:
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped == MARKERS[0]:
                inside = True
            elif stripped == MARKERS[1]:
                inside = False
            elif inside and stripped and not stripped.startswith("#") and "= ..." not in stripped and cell.cell_type == "code":
                lines.append(stripped)
    return lines


def exemplar_lines(source: Path) -> list[str]:
    """The text lines of each written answer's exemplar (a markdown cell's solution region) in a source notebook."""
    lines = []
    for cell in nbformat.read(source, as_version=4).cells:
        if cell.cell_type != "markdown" or not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        inside = False
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped in MARKERS:
                inside = stripped == MARKERS[0]
            elif inside and stripped:
                lines.append(stripped)
    return lines




def distinguishable_mistakes(qid: str) -> list[tuple[str, str]]:
    """(literal of the mistaken value, its message) for each value mistake that differs from the answer here.

    Mistaken functions are proved through the check itself in the keys' unit tests, not submitted here.
    """
    if get(qid).kind == "function":
        return []
    messages = {message for _, message in spec_for(qid).mistakes}
    return [(literal(m.value()), m.message) for m in get(qid).mistakes if m.message in messages]


def submission(student_copy: Path, source: Path, answers: dict[str, str] | None = None,
               solved: bool = True) -> nbformat.NotebookNode:
    """The student copy with its answer cells filled: from ``answers`` by grade id, else the source's solution."""
    nb = nbformat.read(student_copy, as_version=4)
    solutions = {grade_id(cell): solution_code(cell.source) for cell in nbformat.read(source, as_version=4).cells
                 if cell.metadata.get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        if answers and meta["grade_id"] in answers:
            cell.source = answers[meta["grade_id"]]
        elif solved:
            cell.source = solutions[meta["grade_id"]]
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


def cell_scores(root: Path, tier: str, student: str) -> dict[tuple[str, str], tuple[float | None, float]]:
    """(notebook, grade id) -> (score, max) for every graded cell of a learner, from the gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook("sqlite:///" + (root / "grader" / "gradebook.db").as_posix(), "kakao-channel-academy") as gradebook:
        submission = gradebook.find_submission(tier, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                scores[(notebook.name, grade.name)] = (grade.score, grade.max_score)
    return scores


def autograded_output(root: Path, tier: str, student: str, lesson: str, cell: str) -> str:
    nb = nbformat.read(root / "grader" / "autograded" / student / tier / lesson, as_version=4)
    target = next(c for c in nb.cells if grade_id(c) == cell)
    return "".join(o.get("text", "") for o in target.outputs if o.output_type == "stream")


def visible_text(notebook: Path) -> str:
    """A notebook's sources with the check tokens (hashes) taken out."""
    return "\n".join(TOKEN.sub(")", cell.source) for cell in nbformat.read(notebook, as_version=4).cells)


def number_strings(value: float) -> list[str]:
    return [repr(value), f"{value:.4f}", f"{value:.3f}"] + ([f"{100 * value:.2f}"] if abs(value) < 1 else [])


def answer_strings(qid: str) -> list[str]:
    """Ways an answer could be written into a notebook, for leak scans (a function's answer is code: none)."""
    value = answer(qid)
    kind = get(qid).kind
    if kind in ("function", "draft"):  # code, or a draft judged by a public rubric: nothing secret to leak
        return []
    if kind == "table":
        numbers = [item for item in value.to_numpy() if not isinstance(item, str)]  # text values are named labels
        return [text for number in numbers for text in number_strings(float(number))
                if len(text.replace("0", "").replace(".", "")) >= 3]  # skip forms like 0.100 that prose may hold
    if kind == "idset" and get(qid).chosen:  # a few numbers chosen from a list: the whole choice is the secret
        numbers = sorted(int(item) for item in value)
        return [", ".join(map(str, numbers)), ",".join(map(str, numbers)), "|".join(sorted(map(str, numbers)))]
    if kind == "idset":
        return sorted(str(item) for item in value)[:50]
    if isinstance(value, pd.Timestamp):
        return [f"{value:%Y-%m-%d}"]
    if isinstance(value, float):  # forms like 0.001 that prose may hold (p < 0.001) are too short to tell apart
        return [text for text in number_strings(value) if len(text.replace("0", "").replace(".", "").lstrip("-")) >= 3]
    if isinstance(value, str):  # a text answer is one of the labels the lesson itself names (a source, a type)
        return []
    text = str(int(value))
    return [text, f"{int(value):,}"] if len(text.lstrip("-")) >= 3 else []


@dataclass
class GradedTier:
    root: Path
    env: dict[str, str]
    tier: str
    scores: dict[str, Score]
    questions: list[Question]
    mistakes: dict[str, list[tuple[Question, str]]] = field(default_factory=dict)  # student -> (question, message)
    answers: dict[str, list[str]] = field(default_factory=dict)  # qid -> strings to scan for
    stock: Path | None = None  # the copy of the course stock nbgrader graded
    cross_checked: list[str] = field(default_factory=list)  # learners graded by both
    summary: object = None  # the engine's summary


__all__ = ["build_student_copies", "run_nbgrader", "make_course_root", "submission", "place", "export_scores",
           "solution_lines", "exemplar_lines", "questions", "graded_tiers", "distinguishable_mistakes", "cell_scores",
           "autograded_output", "visible_text", "answer_strings", "GradedTier", "Question"]
