"""Every tier with lessons through real nbgrader, on three seeds: one scratch course per tier and seed.

Learners: ``correct`` (every solution), ``blank`` (nothing), ``mistakeN`` (the N-th common mistake of every
question at once, as the value that mistake produces), ``warning``/``warning_off`` (a correct answer that
prints a FutureWarning while being checked, graded with and without the ignore pattern).
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from conftest import SEEDS, using_data
from course.datagen import DEFAULT_SEED
from course.data import DATA_ENV
from grading import (GradedTier, answer_strings, autograded_output, build_student_copies, cell_scores,
                     distinguishable_mistakes, export_scores, graded_tiers, make_course_root, place, questions,
                     run_nbgrader, solution_lines, submission, visible_text)

TIERS = graded_tiers()
FIRST_TIER = "beginner"  # holds the orientation lesson
ORIENTATION = "00_orientation.ipynb"
WARNING_ANSWER = '''import warnings


class Count(int):
    def __float__(self):
        warnings.warn("Series.__float__ is deprecated", FutureWarning)
        return int.__float__(self)


friends_now = Count(int(friends["blocked_at"].isna().sum()))
'''


_graded: dict[tuple[str, int], GradedTier] = {}


def grade_tier(tier: str, seed: int, data, scratch) -> GradedTier:
    """Build one tier for one seed's data, submit, autograde and make feedback (once per worker, tier and seed)."""
    if (tier, seed) in _graded:
        return _graded[(tier, seed)]
    env = {DATA_ENV: str(data)}
    root = make_course_root(scratch)
    build_student_copies(root, [tier], force=True, extra_env=env, say=lambda message: None)
    release = root / "grader" / "release" / tier
    lessons = sorted((root / tier).glob("*.ipynb"))
    all_questions = [q for lesson in lessons for q in questions(lesson)]

    for lesson in lessons:
        place(root, "correct", tier, lesson.name, submission(release / lesson.name, lesson))
        place(root, "blank", tier, lesson.name, submission(release / lesson.name, lesson, solved=False))

    with using_data(data):
        per_question = {q.qid: distinguishable_mistakes(q.qid) for q in all_questions}
        answers = {q.qid: answer_strings(q.qid) for q in all_questions}
    mistakes: dict[str, list] = {}
    if seed == DEFAULT_SEED:  # each mistake is submitted once; right and blank run on every seed
        for k in range(max(len(found) for found in per_question.values())):
            student = f"mistake{k + 1}"
            by_lesson: dict[str, dict[str, str]] = defaultdict(dict)
            for q in all_questions:
                if len(per_question[q.qid]) > k:
                    value, message = per_question[q.qid][k]
                    by_lesson[q.lesson][q.answer_cell] = f"{q.variable} = {value}\n"
                    mistakes.setdefault(student, []).append((q, message))
            for name, answer_cells in by_lesson.items():
                place(root, student, tier, name, submission(release / name, root / tier / name, answer_cells))

    if tier == FIRST_TIER:
        warning = submission(release / ORIENTATION, root / tier / ORIENTATION, {"a1-friends_now": WARNING_ANSWER})
        place(root, "warning", tier, ORIENTATION, warning)
    result = run_nbgrader(["autograde", tier], root, env)  # every learner in one stock run
    assert result.returncode == 0, result.stdout + result.stderr
    if tier == FIRST_TIER:
        place(root, "warning_off", tier, ORIENTATION, warning)
        result = run_nbgrader(["autograde", tier, "--student", "warning_off", "--IgnorePattern.enabled=False"],
                              root, env)
        assert result.returncode == 0, result.stdout + result.stderr
    feedback = run_nbgrader(["generate_feedback", tier, "--student", "blank"], root, env)
    assert feedback.returncode == 0, feedback.stdout + feedback.stderr
    _graded[(tier, seed)] = GradedTier(root, env, tier, export_scores(root, env, tier), all_questions, mistakes,
                                       answers)
    return _graded[(tier, seed)]


def scratch_for(factory, tier: str, seed: int):
    return factory.mktemp(f"course-{tier}-{seed}")


@pytest.fixture(scope="module", params=[(tier, seed) for tier in TIERS for seed in SEEDS],
                ids=lambda param: f"{param[0]}-seed{param[1]}")
def graded(request, tmp_path_factory, cohort_dirs) -> GradedTier:
    tier, seed = request.param
    return grade_tier(tier, seed, cohort_dirs[seed], scratch_for(tmp_path_factory, tier, seed))


@pytest.fixture(scope="module", params=TIERS, ids=lambda tier: f"{tier}-seed{DEFAULT_SEED}")
def graded_default(request, tmp_path_factory, cohort_dirs) -> GradedTier:
    tier = request.param
    return grade_tier(tier, DEFAULT_SEED, cohort_dirs[DEFAULT_SEED], scratch_for(tmp_path_factory, tier, DEFAULT_SEED))


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"{FIRST_TIER}-seed{seed}")
def graded_first_tier(request, tmp_path_factory, cohort_dirs) -> GradedTier:
    seed = request.param
    return grade_tier(FIRST_TIER, seed, cohort_dirs[seed], scratch_for(tmp_path_factory, FIRST_TIER, seed))


def auto_cells(graded: GradedTier, student: str) -> dict:
    names = {(q.lesson.removesuffix(".ipynb"), q.test_cell) for q in graded.questions}
    return {key: value for key, value in cell_scores(graded.root, graded.tier, student).items() if key in names}


def test_every_lesson_has_at_least_five_auto_graded_answers_after_orientation(graded):
    per_lesson = defaultdict(int)
    for q in graded.questions:
        per_lesson[q.lesson] += 1
    if graded.tier == FIRST_TIER:
        assert per_lesson.pop(ORIENTATION) == 2
    assert per_lesson and all(count >= 5 for count in per_lesson.values())


def test_correct_solutions_earn_every_auto_graded_mark(graded):
    cells = auto_cells(graded, "correct")
    assert len(cells) == len(graded.questions)
    assert all(score == maximum for score, maximum in cells.values()), cells
    auto_total = sum(q.points for q in graded.questions)
    assert graded.scores["correct"].score == auto_total
    assert graded.scores["correct"].max_score > auto_total  # the written answers wait for the trainer


def test_blank_copy_scores_zero(graded):
    assert graded.scores["blank"].score == 0
    assert all(score == 0 for score, _ in cell_scores(graded.root, graded.tier, "blank").values())


def test_each_common_mistake_is_named_and_earns_nothing(graded_default):
    graded = graded_default
    assert graded.mistakes, "no mistakes were submitted"
    for student, wrong in graded.mistakes.items():
        cells = auto_cells(graded, student)
        for q, message in wrong:
            assert cells[(q.lesson.removesuffix(".ipynb"), q.test_cell)][0] == 0, (student, q.qid)
            assert message in autograded_output(graded.root, graded.tier, student, q.lesson, q.test_cell), (student, q.qid)


def test_visible_checks_answer_at_once(graded):
    for q in graded.questions:
        assert "맞았어요" in autograded_output(graded.root, graded.tier, "correct", q.lesson, q.test_cell), q.qid
        assert "아직 답을 넣지 않았어요" in autograded_output(graded.root, graded.tier, "blank", q.lesson, q.test_cell), q.qid


def test_a_future_warning_on_stderr_does_not_zero_a_correct_answer(graded_first_tier):
    graded = graded_first_tier
    assert graded.scores["warning"].score == 4
    # The same submission without the ignore pattern loses the question: the guard is doing the work.
    assert graded.scores["warning_off"].score == 2


def test_student_copies_hold_no_answer_solution_or_hidden_test(graded):
    for lesson in sorted((graded.root / graded.tier).glob("*.ipynb")):
        copy = graded.root / "grader" / "release" / graded.tier / lesson.name
        raw = copy.read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "assert_answer", "grader.keys"):
            assert marker not in raw, (lesson.name, marker)
        text = visible_text(copy)
        for line in solution_lines(lesson):
            assert line not in text, (lesson.name, line)
        source_text = visible_text(lesson)
        for q in (q for q in graded.questions if q.lesson == lesson.name):
            for value in graded.answers[q.qid]:
                if "-" in value and value in source_text.split("### BEGIN SOLUTION")[0]:
                    continue  # a date the lesson itself names before any solution
                assert value not in text, (q.qid, value)


def test_feedback_holds_no_answer_or_solution_code(graded):
    feedback = list((graded.root / "grader" / "feedback" / "blank").rglob("*.html"))
    assert not (graded.root / "grader" / "feedback" / "correct").exists()
    assert len(feedback) == len(list((graded.root / graded.tier).glob("*.ipynb")))
    for page in feedback:
        html = re.sub(r"<style.*?</style>", "", page.read_text(encoding="utf-8"), flags=re.S)  # CSS has #333 etc.
        html = re.sub(r"[A-Za-z0-9+/=]{40,}", "", html)  # embedded plot images and check tokens
        lesson = graded.root / graded.tier / (page.stem + ".ipynb")
        for line in solution_lines(lesson):
            assert line not in html, (page.name, line)
        for q in (q for q in graded.questions if q.lesson == lesson.name):
            for value in graded.answers[q.qid]:
                if "-" not in value:
                    assert value not in html, (q.qid, value)


def test_grades_are_the_same_when_graded_again(graded_default):
    """Determinism, once per tier (on the default seed): regrading every tier on every seed cost minutes for no new fact."""
    graded = graded_default
    before = {student: cell_scores(graded.root, graded.tier, student) for student in ("correct", "blank")}
    result = run_nbgrader(["autograde", graded.tier, "--student", "correct", "--force"], graded.root, graded.env)
    assert result.returncode == 0, result.stderr
    for student, cells in before.items():
        assert cell_scores(graded.root, graded.tier, student) == cells
