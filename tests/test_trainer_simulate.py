"""``simulate``: a class of strong, average and weak learners, a blank one and a broken one, graded by the engine
exactly as each simulated learner's answers say (right answers earn the cell, mistakes and blanks earn nothing)."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from conftest import ROOT
from course.data import DEFAULT_DATA_DIR
from grader.engine.grading import autograde
from grader.trainer.errors import TrainerError
from grader.trainer.simulate import simulate
from grading import cell_scores, questions
from trainer_cohort import lay_out

TIER, LESSON = "beginner", "00_orientation.ipynb"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = lay_out(tmp_path_factory.mktemp("simulated") / "반", build=True).folder
    made = simulate(root, TIER, n=12, seed=5, data=DEFAULT_DATA_DIR)
    summary = autograde(root / "grader", TIER, jobs=2, progress=False)
    return root, made, summary


def test_the_class_has_every_kind_of_learner_and_a_roster(graded):
    _, made, _ = graded
    profiles = [learner.profile for learner in made.learners]
    assert {"strong", "average", "weak", "blank", "broken"} <= set(profiles) and len(profiles) == 12
    lines = made.roster.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "id,name,email" and len(lines) == 13
    assert all(learner.name in made.roster.read_text(encoding="utf-8-sig") for learner in made.learners)


def test_the_same_seed_gives_the_same_class(graded, tmp_path):
    root, made, _ = graded
    copy = tmp_path / "again"
    shutil.copytree(root / TIER, copy / TIER)
    shutil.copytree(root / "grader" / "release", copy / "grader" / "release")
    again = simulate(copy, TIER, n=12, seed=5, data=DEFAULT_DATA_DIR)
    assert [(l.id, l.name, l.profile, l.answers) for l in again.learners] == \
           [(l.id, l.name, l.profile, l.answers) for l in made.learners]
    first = made.learners[0].id
    assert (copy / "grader" / "submitted" / first / TIER / LESSON).read_bytes() == \
           (root / "grader" / "submitted" / first / TIER / LESSON).read_bytes()


def test_each_answer_earns_what_the_simulation_says(graded):
    """A right answer earns its cell, a common mistake or a blank earns nothing: the engine agrees cell by cell."""
    root, made, summary = graded
    wired = {q.answer_cell: q for q in questions(ROOT / TIER / LESSON)}
    kinds = set()
    for learner in made.learners:
        if learner.broken == "not_json":
            assert learner.id in summary.failed or learner.id not in summary.graded
            continue
        scores = cell_scores(root, TIER, learner.id)
        for answer_cell, kind in learner.answers[LESSON.removesuffix(".ipynb")].items():
            q = wired[answer_cell]
            earned, most = scores[(LESSON.removesuffix(".ipynb"), q.test_cell)]
            if learner.broken == "typo" and answer_cell == next(iter(learner.answers[LESSON.removesuffix(".ipynb")])):
                assert earned == 0, learner.id  # the typo stops the cell before its answer
                continue
            kinds.add(kind)
            assert earned == (most if kind == "right" else 0), (learner.id, learner.profile, answer_cell, kind)
    assert {"right", "mistake", "blank"} <= kinds


def test_written_answers_wait_for_the_trainer(graded):
    """A simulated learner who wrote the 현업 적용 answer leaves it for formgrader; one who did not gets a final 0."""
    from nbgrader.api import Gradebook

    root, made, _ = graded
    lesson = LESSON.removesuffix(".ipynb")
    wrote = {l.id for l in made.learners if l.written.get(lesson) and l.broken != "not_json"}
    skipped = {l.id for l in made.learners if not l.written.get(lesson) and l.broken != "not_json"}
    assert wrote and skipped
    pending = {}
    with Gradebook("sqlite:///" + (root / "grader" / "gradebook.db").as_posix(), "kakao-channel-academy") as book:
        for learner in wrote | skipped:
            notebook = book.find_submission_notebook(lesson, TIER, learner)
            written = [g for g in notebook.grades if g.cell.name == "w1"]
            pending[learner] = (written[0].auto_score, written[0].needs_manual_grade)
    assert all(pending[l] == (None, True) for l in wrote), pending
    assert all(pending[l] == (0.0, False) for l in skipped), pending


def test_a_blank_learner_scores_zero_and_a_broken_file_is_reported(graded):
    root, made, summary = graded
    blank = next(l for l in made.learners if l.profile == "blank")
    assert all(score == 0 for score, _ in cell_scores(root, TIER, blank.id).values() if score is not None)
    broken = next(l for l in made.learners if l.profile == "broken")
    assert broken.broken in ("typo", "deleted_check", "not_json")


def test_a_course_without_student_copies_is_refused_in_korean(tmp_path):
    (tmp_path / TIER).mkdir()
    shutil.copy(ROOT / TIER / LESSON, tmp_path / TIER / LESSON)
    with pytest.raises(TrainerError, match="학습용 사본이 없어요"):
        simulate(tmp_path, TIER, n=3)
    assert not (tmp_path / "grader" / "submitted").exists()
