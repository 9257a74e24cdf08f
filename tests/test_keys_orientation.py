"""Each orientation key against an independent computation, on three seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import raw
from grader.keys import answer


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
