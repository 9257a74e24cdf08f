"""The orientation lesson through real nbgrader: student copy, autograde, export, feedback.

One scratch course per seed (default and two others); the seeds run on different workers.
"""

from __future__ import annotations

import nbformat
import pytest

from conftest import SEEDS, using_data
from course.data import DATA_ENV
from grader.keys import answer
from nbgrader_loop import (build_student_copies, export_scores, make_course_root, place, run_nbgrader,
                           solution_lines, submission)

TIER, LESSON = "beginner", "00_orientation.ipynb"
QUESTIONS = ("orientation.friends_now", "orientation.event_share")
WARNING_ANSWER = '''import warnings


class Count(int):
    def __float__(self):
        warnings.warn("Series.__float__ is deprecated", FutureWarning)
        return int.__float__(self)


friends_now = Count(int(friends["blocked_at"].isna().sum()))
'''
MISTAKE_ANSWER = "friends_now = len(friends)\n"


@pytest.fixture(scope="module", params=[pytest.param(seed, marks=pytest.mark.xdist_group(f"grading-{seed}"))
                                        for seed in SEEDS], ids=lambda seed: f"seed{seed}")
def graded(request, tmp_path_factory, cohort_dirs):
    """Build, submit four learners, autograde, export; returns what the tests look at."""
    seed = request.param
    data = cohort_dirs[seed]
    env = {DATA_ENV: str(data)}
    root = make_course_root(tmp_path_factory.mktemp(f"course{seed}"))
    build_student_copies(root, [TIER], force=True, extra_env=env, say=lambda message: None)
    student_copy = root / "grader" / "release" / TIER / LESSON
    source = root / TIER / LESSON

    place(root, "correct", TIER, LESSON, submission(student_copy, source))
    place(root, "blank", TIER, LESSON, submission(student_copy, source, solved=False))
    place(root, "mistake", TIER, LESSON, submission(student_copy, source, {"a1-friends_now": MISTAKE_ANSWER}))
    place(root, "warning", TIER, LESSON, submission(student_copy, source, {"a1-friends_now": WARNING_ANSWER}))
    result = run_nbgrader(["autograde", TIER], root, env)  # every learner in one stock run
    assert result.returncode == 0, result.stdout + result.stderr
    # The same warning submission graded without the ignore pattern, to show the guard does the work.
    place(root, "warning_off", TIER, LESSON, submission(student_copy, source, {"a1-friends_now": WARNING_ANSWER}))
    result = run_nbgrader(["autograde", TIER, "--student", "warning_off", "--IgnorePattern.enabled=False"], root, env)
    assert result.returncode == 0, result.stdout + result.stderr
    feedback = run_nbgrader(["generate_feedback", TIER], root, env)
    assert feedback.returncode == 0, feedback.stdout + feedback.stderr

    with using_data(data):
        answers = {qid: answer(qid) for qid in QUESTIONS}
    return {"root": root, "env": env, "scores": export_scores(root, env, TIER), "student_copy": student_copy,
            "source": source, "answers": answers}


def answer_strings(answers: dict) -> list[str]:
    friends_now, event_share = answers["orientation.friends_now"], answers["orientation.event_share"]
    return [str(friends_now), f"{friends_now:,}", repr(event_share), f"{event_share:.3f}", f"{event_share:.4f}",
            f"{100 * event_share:.1f}"]


def autograded(graded, student: str) -> nbformat.NotebookNode:
    return nbformat.read(graded["root"] / "grader" / "autograded" / student / TIER / LESSON, as_version=4)


def cell_output(nb, grade_id: str) -> str:
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_correct_submission_gets_full_marks(graded):
    score = graded["scores"]["correct"]
    assert score.max_score == 4 and score.score == score.max_score


def test_blank_submission_gets_zero(graded):
    assert graded["scores"]["blank"].score == 0


def test_a_common_mistake_loses_that_question_and_is_named(graded):
    assert graded["scores"]["mistake"].score == 2
    nb = autograded(graded, "mistake")
    assert "차단한 친구까지 셌어요" in cell_output(nb, "t1-friends_now")
    assert "맞았어요" in cell_output(nb, "t2-event_share")


def test_visible_checks_in_the_student_copy_answer_at_once(graded):
    correct = autograded(graded, "correct")
    blank = autograded(graded, "blank")
    for grade_id in ("t1-friends_now", "t2-event_share"):
        assert "맞았어요" in cell_output(correct, grade_id)
        assert "아직 답을 넣지 않았어요" in cell_output(blank, grade_id)


def test_a_future_warning_on_stderr_does_not_zero_a_correct_answer(graded):
    assert graded["scores"]["warning"].score == 4
    # The same submission without the ignore pattern loses the question: the guard is doing the work.
    assert graded["scores"]["warning_off"].score == 2


def test_student_copy_holds_no_answer_solution_or_hidden_test(graded):
    text = graded["student_copy"].read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "assert_answer", "grader.keys"):
        assert marker not in text
    for line in solution_lines(graded["source"]):
        if line.startswith("#") or "= ..." in line:
            continue
        assert line not in text, line
    copy = nbformat.read(graded["student_copy"], as_version=4)
    visible = "\n".join(cell.source for cell in copy.cells)
    for value in answer_strings(graded["answers"]):
        assert value not in visible, value


def test_feedback_holds_no_answer_or_solution_code(graded):
    feedback = list((graded["root"] / "grader" / "feedback").rglob("*.html"))
    assert {p.parent.parent.name for p in feedback} >= {"correct", "blank"}
    blank_html = next(p for p in feedback if p.parent.parent.name == "blank").read_text(encoding="utf-8")
    for value in answer_strings(graded["answers"]):
        assert value not in blank_html, value
    for line in solution_lines(graded["source"]):
        if line.startswith("#") or "= ..." in line:
            continue
        assert line not in blank_html, line


def test_grades_are_the_same_when_graded_again(graded):
    result = run_nbgrader(["autograde", TIER, "--student", "[cm]*", "--force"], graded["root"], graded["env"])
    assert result.returncode == 0, result.stderr
    again = export_scores(graded["root"], graded["env"], TIER)
    for student in ("correct", "mistake"):
        assert again[student] == graded["scores"][student]
