"""Every tier with lessons through real nbgrader, on three seeds: one scratch course per tier and seed.

Learners: ``correct`` (every solution), ``blank`` (nothing), ``half`` (the first half of each lesson's answers),
``mistakeN`` (the N-th common mistake of every question at once, as the value that mistake produces), graded by
the engine; stock nbgrader grades the same learners in a copy of the course as a cross-check (and
``warning``/``warning_off``: a correct answer that prints a FutureWarning while being checked, graded with and
without the ignore pattern).
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict

import nbformat
import pytest

from conftest import SEEDS, using_data
from course.datagen import DEFAULT_SEED
from course.data import DATA_ENV
from grader.engine.grading import autograde
from grader.keys import get
from grading import (GradedTier, answer_strings, autograded_output, build_student_copies, cell_scores,
                     distinguishable_mistakes, exemplar_lines, export_scores, graded_tiers, make_course_root, place,
                     questions, run_nbgrader, solution_lines, submission, visible_text)

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
CROSS_CHECKED = ("correct", "blank")  # graded by stock nbgrader too, on every tier and seed


def grade_tier(tier: str, seed: int, data, scratch) -> GradedTier:
    """Build one tier for one seed's data, submit, grade with the engine and cross-check with stock nbgrader.

    The engine grades every learner (and writes the feedback); stock ``nbgrader autograde`` grades a copy of the
    course with the learners it must agree with: the right and blank copies everywhere, and on the first tier's
    default seed also the half-done copy and the first mistake learner.
    """
    if (tier, seed) in _graded:
        return _graded[(tier, seed)]
    env = {DATA_ENV: str(data)}
    root = make_course_root(scratch / "engine")
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
    honest = list(CROSS_CHECKED)
    if seed == DEFAULT_SEED:  # each mistake is submitted once; right and blank run on every seed
        for lesson in lessons:  # half done: the first half of each lesson's answers
            cells = [q.answer_cell for q in all_questions if q.lesson == lesson.name]
            stubs = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source
                     for c in nbformat.read(release / lesson.name, as_version=4).cells}
            unsolved = {cell: stubs[cell] for cell in cells[len(cells) // 2:]}
            place(root, "half", tier, lesson.name, submission(release / lesson.name, lesson, unsolved))
        honest.append("half")
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
            honest.append(student)

    stock = scratch / "stock"
    shutil.copytree(root, stock)
    # the first tier's default seed: stock nbgrader also grades the half-done class and the first mistake learner
    # (partial credit of every answer kind); the other mistake learners only through the engine, to keep the time
    cross_checked = ([*CROSS_CHECKED, *(s for s in honest if s in ("half", "mistake1"))]
                     if (tier == FIRST_TIER and seed == DEFAULT_SEED) else list(CROSS_CHECKED))
    for folder in (stock / "grader" / "submitted").iterdir():
        if folder.name not in cross_checked:
            shutil.rmtree(folder)
    if tier == FIRST_TIER:
        warning = submission(release / ORIENTATION, root / tier / ORIENTATION, {"a1-friends_now": WARNING_ANSWER})
        place(stock, "warning", tier, ORIENTATION, warning)
    result = run_nbgrader(["autograde", tier], stock, env)
    assert result.returncode == 0, result.stdout + result.stderr
    if tier == FIRST_TIER:
        place(stock, "warning_off", tier, ORIENTATION, warning)
        result = run_nbgrader(["autograde", tier, "--student", "warning_off", "--IgnorePattern.enabled=False"],
                              stock, env)
        assert result.returncode == 0, result.stdout + result.stderr

    with using_data(data):
        summary = autograde(root / "grader", tier, jobs=2, progress=False, say=lambda message: None)
    unexpected = {student: [p for p in problems if "제출하지 않은" not in p]  # mistake learners skip some lessons
                  for student, problems in summary.failed.items()}
    assert summary.sandboxed and not any(unexpected.values()), summary.text()
    graded = GradedTier(root, env, tier, export_scores(root, env, tier), all_questions, mistakes, answers)
    graded.stock, graded.cross_checked, graded.summary = stock, cross_checked, summary
    _graded[(tier, seed)] = graded
    return graded


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
    if graded.tier == FIRST_TIER:  # two warm-ups, then one question per pandas step (conditions, groupby, merge, dates)
        assert per_lesson.pop(ORIENTATION) == 6
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
            score, most = cells[(q.lesson.removesuffix(".ipynb"), q.test_cell)]
            if get(q.qid).kind == "table":  # graded label by label: a mistake keeps the labels it happens to get right
                assert score < most, (student, q.qid)
            else:
                assert score == 0, (student, q.qid)
            assert message in autograded_output(graded.root, graded.tier, student, q.lesson, q.test_cell), (student, q.qid)


def test_visible_checks_answer_at_once(graded):
    for q in graded.questions:
        assert "맞았어요" in autograded_output(graded.root, graded.tier, "correct", q.lesson, q.test_cell), q.qid
        assert "아직 답을 넣지 않았어요" in autograded_output(graded.root, graded.tier, "blank", q.lesson, q.test_cell), q.qid


def test_a_future_warning_on_stderr_does_not_zero_a_correct_answer_in_stock_nbgrader(graded_first_tier):
    graded = graded_first_tier
    scores = export_scores(graded.stock, graded.env, graded.tier)
    orientation = sum(q.points for q in graded.questions if q.lesson == ORIENTATION)
    assert scores["warning"].score == orientation
    # The same submission without the ignore pattern loses the question: the guard is doing the work.
    first = next(q for q in graded.questions if q.answer_cell == "a1-friends_now")
    assert scores["warning_off"].score == orientation - first.points


def test_the_engine_and_stock_nbgrader_agree_cell_by_cell(graded):
    """Every learner stock nbgrader graded (on the first tier's default seed also the half-done and first mistaken)."""
    assert set(graded.cross_checked) >= set(CROSS_CHECKED)
    for student in graded.cross_checked:
        engine = cell_scores(graded.root, graded.tier, student)
        stock = cell_scores(graded.stock, graded.tier, student)
        assert engine == stock, student


def test_student_copies_hold_no_answer_solution_or_hidden_test(graded):
    for lesson in sorted((graded.root / graded.tier).glob("*.ipynb")):
        copy = graded.root / "grader" / "release" / graded.tier / lesson.name
        raw = copy.read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "assert_answer", "grader.keys"):
            assert marker not in raw, (lesson.name, marker)
        text = visible_text(copy)
        taught = _outside_solutions(lesson)
        for line in solution_lines(lesson):
            if line in taught:
                continue  # the same line is in a worked example the learner is meant to see (a plot's frame, a rule)
            assert line not in text, (lesson.name, line)
        exemplar = exemplar_lines(lesson)
        assert exemplar, lesson.name  # every written answer has its exemplar in the source ...
        for line in exemplar:  # ... and none of it reaches the learner
            assert line not in text, (lesson.name, line)
        source_text = visible_text(lesson)
        for q in (q for q in graded.questions if q.lesson == lesson.name):
            for value in graded.answers[q.qid]:
                if "-" in value and value in source_text.split("### BEGIN SOLUTION")[0]:
                    continue  # a date the lesson itself names before any solution
                assert value not in text, (q.qid, value)


def _outside_solutions(source) -> str:
    """The source notebook's text with every solution region and hidden test taken out."""
    kept = []
    for cell in nbformat.read(source, as_version=4).cells:
        text = re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "", cell.source, flags=re.S)
        kept.append(re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", text, flags=re.S))
    return "\n".join(kept)


def test_feedback_holds_no_answer_or_solution_code(graded):
    """The engine's Korean feedback pages, for the blank and the right copy: no hidden test, answer or solution."""
    for student in ("blank", "correct"):
        feedback = list((graded.root / "grader" / "feedback" / student).rglob("*.html"))
        assert len(feedback) == len(list((graded.root / graded.tier).glob("*.ipynb")))
        for page in feedback:
            html = re.sub(r"<style.*?</style>", "", page.read_text(encoding="utf-8"), flags=re.S)
            for marker in ("HIDDEN TESTS", "assert_answer", "score_answer", "grader.keys", "Traceback"):
                assert marker not in html, (page.name, marker)
            lesson = graded.root / graded.tier / (page.stem + ".ipynb")
            for line in solution_lines(lesson):
                assert line not in html, (page.name, line)
            for q in (q for q in graded.questions if q.lesson == lesson.name):
                for value in graded.answers[q.qid]:
                    if "-" not in value:
                        assert value not in html, (q.qid, value)
            assert ("아직 답을 넣지 않았어요" if student == "blank" else "맞았어요") in html, page.name


@pytest.fixture(scope="module", params=[FIRST_TIER], ids=lambda tier: f"{tier}-seed{DEFAULT_SEED}")
def graded_first_default(request, tmp_path_factory, cohort_dirs) -> GradedTier:
    return grade_tier(FIRST_TIER, DEFAULT_SEED, cohort_dirs[DEFAULT_SEED],
                      scratch_for(tmp_path_factory, FIRST_TIER, DEFAULT_SEED))


def test_grades_are_the_same_when_graded_again(graded_first_default):
    """Determinism on the first tier's default seed (the engine's code is the same for every tier): the right, blank,
    half-done and first mistaken copies again, one job instead of two."""
    graded = graded_first_default
    students = sorted(set(graded.cross_checked) & {"correct", "blank", "half", "mistake1"}, reverse=True)
    assert len(students) == 4
    before = {student: cell_scores(graded.root, graded.tier, student) for student in students}
    with using_data(graded.env[DATA_ENV]):
        again = autograde(graded.root / "grader", graded.tier, students=students, jobs=1, force=True, progress=False)
    assert sorted(again.graded) == sorted(students)
    for student, cells in before.items():
        assert cell_scores(graded.root, graded.tier, student) == cells, student


def test_feedback_shows_the_trainers_grade_and_comment_once_given(graded_default):
    """A written answer graded in formgrader (here through the same gradebook API) reaches the learner's page."""
    from grader.engine.grading import feedback
    from nbgrader.api import Gradebook

    graded = graded_default
    db = "sqlite:///" + (graded.root / "grader" / "gradebook.db").as_posix()
    with Gradebook(db, "kakao-channel-academy") as gradebook:
        submission_ = gradebook.find_submission(graded.tier, "correct")
        notebook = next(nb for nb in submission_.notebooks if any(g.cell.cell_type == "markdown" for g in nb.grades))
        written = next(g for g in notebook.grades if g.cell.cell_type == "markdown")
        written.manual_score = written.max_score
        comment = next(c for c in notebook.comments if c.name == written.name)
        comment.manual_comment = "내 채널 사례가 구체적이에요. 목표 기한도 적어 보세요."
        gradebook.db.commit()
        name, maximum = notebook.name, written.max_score
    with using_data(graded.env[DATA_ENV]):
        pages = feedback(graded.root / "grader", graded.tier, students=["correct"])
    page = next(p for p in pages if p.stem == name).read_text(encoding="utf-8")
    assert "내 채널 사례가 구체적이에요" in page and f"{maximum:g} / {maximum:g}점" in page
