"""Each orientation key against an independent computation, on three seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from grader.keys import QUESTIONS, answer, assert_answer, get, spec_for


def raw(folder, name):
    return pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False)


def test_friends_now_equals_the_admin_centre_count(cohort):
    daily = raw(cohort, "daily_stats")
    assert answer("orientation.friends_now") == int(daily["friends_total"].iloc[-1])
    friends = raw(cohort, "friends")
    assert answer("orientation.friends_now") == int((friends["blocked_at"] == "").sum())


def test_event_share_by_hand(cohort):
    friends = raw(cohort, "friends")
    current = friends[friends["blocked_at"] == ""]
    counts = current["source"].value_counts()
    assert answer("orientation.event_share") == pytest.approx(counts["이벤트"] / counts.sum(), abs=1e-12)


@pytest.mark.parametrize("qid", ["orientation.friends_now", "orientation.event_share"])
def test_every_mistake_is_distinguishable_and_the_hidden_test_hides_the_answer(cohort, qid):
    question = get(qid)
    assert len(spec_for(qid).mistakes) == len(question.mistakes)  # each mistake message can be reached
    key = answer(qid)
    assert_answer(qid, key)
    for mistake in question.mistakes:
        with pytest.raises(AssertionError) as failure:
            assert_answer(qid, mistake.value())
        assert str(key) not in str(failure.value) and f"{key:.3f}" not in str(failure.value)


def test_every_registered_key_has_a_test_here():
    answer("orientation.friends_now")  # loads the registry
    tested = {"orientation.friends_now", "orientation.event_share"}
    assert {qid for qid in QUESTIONS if qid.startswith("orientation.")} == tested
