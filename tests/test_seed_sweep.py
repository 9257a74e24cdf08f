"""Any seed is a valid cohort: on fresh seeds every answer key computes and every story a lesson tells holds.

Seeds come from a fixed list (none of them is the committed default or a conftest seed): small ones, and the seeds
a per-learner cohort gives its learners (``grader.trainer.variants``), one test per seed so the workers share them.
On the first seven, every lesson's source notebook runs end to end, solutions and hidden tests
included, in one namespace per notebook as a kernel would (in this process: no kernel start per notebook); each hidden
test must find the solution fully right. The visible ``check(...)`` is left out there: it has its own tests. No test
here knows a seed's answer: each story is the lesson's sentence as a rule.
"""

from __future__ import annotations

import matplotlib
import nbformat
import pytest
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
from traitlets.config.loader import PyFileConfigLoader

from conftest import NOTEBOOKS as LESSONS, ROOT, using_data
from course.datagen import generate
from grader.keys import QUESTIONS, _data_state, _expected_results, _load_all, _right_form
from grader.trainer.variants import variant_seed
from stories import STORIES

_load_all()
SWEEP_SEEDS = tuple(range(101, 125)) + tuple(variant_seed(77, f"learner{n:02d}") for n in range(12))  # 36 seeds
END_TO_END = SWEEP_SEEDS[:7]


def as_blank(notebook):
    """The notebook as the blank student copy has it: nbgrader's own preprocessors with the course's config (solutions
    replaced by the stub, hidden tests removed)."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "grader")).load_config()
    for step in (ClearSolutions, ClearHiddenTests):
        notebook, _ = step(config=config).preprocess(notebook, {})
    return notebook


def _shows(source: str, where: str, namespace: dict) -> str:
    """Run a cell as a notebook does and return what it shows: its printed text and its last expression's repr."""
    import ast
    import contextlib
    import io

    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(tree, where, "exec"), namespace)
        value = eval(compile(ast.Expression(last.value), where, "eval"), namespace) if last else None
    return printed.getvalue() + ("" if value is None else repr(value))


def _run_lessons(monkeypatch, blank: bool = False, lessons=LESSONS, shown: list | None = None) -> list[str]:
    """Every lesson's cells in order; the problems (a cell that raised, a hidden test that failed).

    ``blank``: the cells as a learner who has answered nothing runs them. ``shown``: filled with (where, text) for
    every worked example (a locked cell that is neither an answer nor a test), the text it shows the learner."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    import grader.keys

    def full_marks(qid, value, points):
        assert grader.keys.fraction_correct(qid, value) == 1.0, qid
        return points

    monkeypatch.setattr(grader.keys, "score_answer", full_marks)
    matplotlib.use("Agg")
    problems = []
    for lesson in lessons:
        namespace = {"__name__": "__main__", "display": display}
        notebook = nbformat.read(lesson, as_version=4)
        for index, cell in enumerate((as_blank(notebook) if blank else notebook).cells):
            if cell.cell_type != "code":
                continue
            where = f"{lesson.parent.name}/{lesson.name}[{index}]"
            meta = cell.metadata.get("nbgrader", {})
            try:
                if shown is not None and not meta.get("solution") and not meta.get("grade"):
                    shown.append((where, _shows(cell.source, where, namespace)))
                else:
                    exec(compile(cell.source, where, "exec"), namespace)
            except BaseException as error:  # noqa: BLE001 (an assert of a hidden test, or any error of a cell)
                problems.append(f"{lesson.parent.name}/{lesson.name} 셀 {index}: {type(error).__name__}: {error}")
                break
            finally:
                plt.close("all")
            if "check" in namespace:
                namespace["check"] = lambda *args, **kwargs: None
    return problems


def _every_key_computes() -> list[str]:
    """What grading computes of each key (its right form, or a function's results on every case); the keys that fail."""
    failed, state = [], _data_state()
    for qid in sorted(QUESTIONS):
        try:
            (_expected_results if QUESTIONS[qid].kind == "function" else _right_form)(qid, state)
        except Exception as error:  # noqa: BLE001 (report every key that fails, not the first)
            failed.append(f"{qid}: {type(error).__name__}: {error}")
    return failed


@pytest.mark.parametrize("seed", SWEEP_SEEDS, ids=lambda seed: f"seed{seed}")
def test_a_fresh_seed_is_a_valid_cohort(seed, tmp_path, monkeypatch):
    generate(tmp_path, seed=seed)
    with using_data(tmp_path):
        if seed in END_TO_END:  # the hidden tests compute every key
            assert _run_lessons(monkeypatch) == []
        else:
            assert _every_key_computes() == []
        broken = {name: problem for name, check in STORIES.items() if (problem := check()) is not None}
        assert broken == {}


def test_a_story_that_does_not_hold_is_reported(monkeypatch):
    """The sweep would see a broken sentence: a story run on data that contradicts it returns its problem."""
    import pandas as pd

    import stories

    monkeypatch.setattr(stories, "answer", lambda qid: pd.Series({"이벤트": 900.0, "광고": 1400.0}))
    assert "이벤트 900원" in stories.STORIES[next(n for n in stories.STORIES if n.startswith("b02"))]()


@pytest.fixture(scope="module")
def blank_run():
    """Every blank copy run top to bottom on the default data, once: the problems and what each worked example shows."""
    shown: list[tuple[str, str]] = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        problems = _run_lessons(monkeypatch, blank=True, shown=shown)
    return problems, shown


def test_a_learner_who_has_answered_nothing_sees_no_traceback(blank_run):
    """Running a blank copy top to bottom on the default data, no worked example or locked cell raises (an unanswered
    ``...`` stub never reaches a cell that calls it)."""
    problems, _ = blank_run
    assert problems == []


def test_worked_examples_show_rounded_numbers_not_numpy_reprs(blank_run):
    """What any lesson's worked example prints or ends with reads as a plain number (``0.0123``), never as
    ``np.float64(0.0123...)``: the examples print ``round(float(x), 4)`` or a Series."""
    import re

    numpy_repr = re.compile(r"np\.(?:float|int|uint|bool|str)\w*\(|np\.(?:True|False)_")
    _, shown = blank_run
    assert len(shown) > 100
    assert {where.split("/")[0] for where, _ in shown} == {"beginner", "intermediate", "advanced"}
    assert [(where, text[:200]) for where, text in shown if numpy_repr.search(text)] == []
    assert numpy_repr.search(_shows("import numpy as np\nnp.float64(0.5), 1", "planted", {}))  # it would be seen


def test_a_blank_cell_is_what_the_student_copy_holds():
    answer = nbformat.v4.new_code_cell("x = ...  # 숫자\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\nprint(x)",
                                       metadata={"nbgrader": {"solution": True, "grade": False, "grade_id": "a1",
                                                              "locked": False, "schema_version": 3}})
    test = nbformat.v4.new_code_cell("check('q', x)\n### BEGIN HIDDEN TESTS\nassert x\n### END HIDDEN TESTS\n",
                                     metadata={"nbgrader": {"solution": False, "grade": True, "grade_id": "t1",
                                                            "points": 1, "locked": True, "schema_version": 3}})
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    blank = as_blank(nbformat.v4.new_notebook(cells=[answer, test], metadata={"kernelspec": kernel}))
    assert blank.cells[0].source == "x = ...  # 숫자\n# 여기에 코드를 쓰세요\nprint(x)"
    assert "assert x" not in blank.cells[1].source and "check('q', x)" in blank.cells[1].source
