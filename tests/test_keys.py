"""Rules every answer key keeps, whatever its lesson: reachable mistakes, quiet hidden tests, a test of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.keys import QUESTIONS, _load_all, answer, assert_answer, get, spec_for

_load_all()
ALL_QIDS = sorted(QUESTIONS)
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
    # On the data a mistake may coincide with the answer (then the check cannot name it); it must not here.
    assert len(spec_for(qid).mistakes) == len(question.mistakes), qid
    for mistake in question.mistakes:
        with pytest.raises(AssertionError) as failure:
            assert_answer(qid, mistake.value())
        for form in written_forms(key):
            assert form not in str(failure.value)


def test_every_key_has_its_own_unit_test():
    """Each question id is named in a tests/test_keys_<lesson>.py file (beside the generic rules above)."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in HERE.glob("test_keys_*.py"))
    named = set(re.findall(r'"([a-z0-9]+\.[a-z0-9_]+)"', text))
    assert set(ALL_QIDS) <= named, sorted(set(ALL_QIDS) - named)
