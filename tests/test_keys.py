"""Rules every answer key keeps, whatever its lesson: reachable mistakes, quiet hidden tests, a test of its own."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from grader.keys import QUESTIONS, _load_all, answer, assert_answer, get, spec_for

_load_all()
ALL_QIDS = sorted(QUESTIONS)  # the real keys, before any test adds a demo one
HERE = Path(__file__).resolve().parent


def written_forms(value) -> list[str]:
    if isinstance(value, float):
        return [repr(value), f"{value:.3f}", f"{value:.4f}"]
    return [str(value)]


@pytest.mark.parametrize("qid", ALL_QIDS)
def test_each_mistake_is_reachable_and_the_hidden_test_hides_the_answer(cohort, qid):
    question = get(qid)
    key = answer(qid)
    assert_answer(qid, key)
    # A mistake the check cannot name must coincide with the answer on this cohort (a number within a few grid steps:
    # e.g. few undelivered rows in a test); any other unnamed mistake is a broken mistake function.
    named = {message for _, message in spec_for(qid).mistakes}
    assert len(named) >= len(question.mistakes) - 1, qid
    for mistake in question.mistakes:
        if mistake.message not in named:
            assert question.kind in ("number", "int"), (qid, mistake.message)
            assert abs(mistake.value() - key) <= 3 * 10 ** -question.decimals, (qid, mistake.message)
            continue
        with pytest.raises(AssertionError) as failure:
            assert_answer(qid, mistake.value())
        for form in written_forms(key):
            assert form not in str(failure.value)


def test_every_key_has_its_own_unit_test():
    """Each question id is named in a tests/test_keys_<lesson>.py file (beside the generic rules above)."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in HERE.glob("test_keys_*.py"))
    named = set(re.findall(r'"([a-z0-9]+\.[a-z0-9_]+)"', text))
    assert set(ALL_QIDS) <= named, sorted(set(ALL_QIDS) - named)


@pytest.fixture
def demo_questions(monkeypatch):
    """Throwaway questions (a table, a text table and a function), registered only for one test."""
    import pandas as pd

    from grader.keys import Mistake, Question

    table = Question("demo.table", "rates", "table", lambda: pd.Series({"A": 0.5, "B": 0.25}), "힌트", 3)

    def double(x):
        return 2 * x

    function = Question("demo.function", "double", "function", lambda: double, "힌트",
                        mistakes=(Mistake(lambda: (lambda x: x + x + 1), "하나를 더했어요."),),
                        examples=(("하나", 1),), hidden=(("둘", 2), ("셋", 3), ("넷", 4)))
    types = Question("demo.types", "types", "table", lambda: pd.Series({"INC1": "과다 발송", "INC2": "루머"}), "힌트")
    monkeypatch.setitem(QUESTIONS, "demo.table", table)
    monkeypatch.setitem(QUESTIONS, "demo.types", types)
    monkeypatch.setitem(QUESTIONS, "demo.function", function)


def test_partial_credit_counts_right_labels_and_passed_cases(demo_questions):
    import pandas as pd

    from grader.keys import score_answer

    assert score_answer("demo.table", pd.Series({"A": 0.5, "B": 0.25}), 3) == 3
    assert score_answer("demo.table", pd.Series({"A": 0.5, "B": 0.3}), 3) == 1.5
    assert score_answer("demo.table", pd.Series({"A": 0.5, "B": 0.25, "C": 0.1}), 3) == 2  # an extra row costs
    assert score_answer("demo.table", ..., 3) == 0
    assert score_answer("demo.types", {"INC1": "과다 발송", "INC2": "루머"}, 2) == 2
    assert score_answer("demo.types", {"INC1": "과다 발송", "INC2": "오발송"}, 2) == 1  # text judged label by label
    assert score_answer("demo.function", lambda x: 2 * x, 4) == 4
    assert score_answer("demo.function", lambda x: 2 * x if x < 3 else 0, 4) == 2
    assert score_answer("demo.function", lambda x: 1 / 0, 4) == 0
    assert score_answer("demo.function", ..., 4) == 0
    with pytest.raises(AssertionError):
        assert_answer("demo.function", lambda x: 2 * x if x != 4 else 0)  # a hidden case fails: not all right


def test_a_hidden_test_imports_only_its_own_lessons_keys():
    """grader.keys.get("a03.x") loads a03_*.py alone, so a hidden test does not pay for every lesson's libraries."""
    import subprocess
    import sys

    code = ("import sys\nfrom grader.keys import get\nget('a03.alert_hour')\n"
            "print(sorted(m for m in sys.modules if m.startswith('grader.keys.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['grader.keys.a03_detection']"


LESSONS = [lesson for tier in ("beginner", "intermediate", "advanced")
           for lesson in sorted((HERE.parent / tier).glob("[0-9][0-9]_*.ipynb"))]  # in course order
CODE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")


def _question_texts(lesson: Path) -> dict[str, str]:
    """qid -> the question's own text (the markdown from its '### 문제' heading up to its check cell)."""
    import nbformat

    texts, current = {}, ""
    for cell in nbformat.read(lesson, as_version=4).cells:
        if cell.cell_type == "markdown":
            current = cell.source if cell.source.startswith("### 문제") else current + "\n" + cell.source
        found = re.search(r'check\("([\w.]+)"', cell.source) if cell.cell_type == "code" else None
        if found:
            texts[found[1]] = current
            current = ""
    return texts


@functools.cache
def _asked() -> list[tuple[str, Path, str]]:
    """(qid, lesson, question text) for every check cell of every lesson, read from the notebooks (no hand-kept list)."""
    return [(qid, lesson, text) for lesson in LESSONS for qid, text in _question_texts(lesson).items()]


def test_every_key_is_asked_by_exactly_one_lesson():
    asked = [qid for qid, _, _ in _asked()]
    assert sorted(asked) == ALL_QIDS, (sorted(set(ALL_QIDS) - set(asked)), sorted(set(asked) - set(ALL_QIDS)))


@pytest.mark.parametrize("qid", ALL_QIDS)
def test_a_hint_adds_where_to_look_or_which_function(qid):
    """A hint is read after a wrong answer: it names a table, column, variable or function the question's own text
    does not, so it tells the learner something new (where to look or what to call), not the question again."""
    question_words = {word for asked, _, text in _asked() if asked == qid for word in CODE_WORD.findall(text)}
    hint_words = set(CODE_WORD.findall(get(qid).hint))
    assert hint_words - question_words, (qid, get(qid).hint)
