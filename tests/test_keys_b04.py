"""Each key of beginner/04 (성과 측정과 SMART 목표) against an independent computation from the raw files, on three seeds."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

from conftest import raw
from grader.keys import answer, assert_answer, spec_for


@lru_cache(maxsize=3)
def _reached(folder_text: str) -> pd.DataFrame:
    """Delivered rows (delivered == 1) with the message's send time, type and A/B test, from the CSV files."""
    from pathlib import Path

    folder = Path(folder_text)
    deliveries = raw(folder, "deliveries")
    campaigns = raw(folder, "campaigns")
    campaigns["sent"] = pd.to_datetime(campaigns["sent_at"], format="%Y-%m-%d %H:%M:%S")
    rows = deliveries[deliveries["delivered"] == 1].merge(
        campaigns[["campaign_id", "sent", "msg_type", "ab_test"]], on="campaign_id", validate="many_to_one")
    assert len(rows) > 0.9 * len(deliveries)
    return rows


def reached(folder) -> pd.DataFrame:
    return _reached(str(folder))


def rates(rows: pd.DataFrame, labels, column: str = "clicked") -> dict[str, float]:
    """Pooled rate per label: sum of the 0/1 column ÷ number of delivered rows."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for label, value in zip(labels, rows[column]):
        totals[str(label)][0] += int(value)
        totals[str(label)][1] += 1
    return {label: hits / count for label, (hits, count) in totals.items()}


def assert_table(qid, expected: dict[str, float]):
    key = answer(qid)
    assert {str(label) for label in key.index} == set(expected)
    for label, value in key.items():
        assert value == pytest.approx(expected[str(label)], abs=1e-12), (qid, label)


def test_click_rate_by_type_pools_clicks_over_delivered(cohort):
    rows = reached(cohort)
    assert_table("b04.click_rate_by_type", rates(rows, rows["msg_type"]))


def test_click_rate_by_weekday_uses_the_send_day_in_korean(cohort):
    rows = reached(cohort)
    names = ["월", "화", "수", "목", "금", "토", "일"]
    days = [names[stamp.weekday()] for stamp in rows["sent"]]
    assert_table("b04.click_rate_by_weekday", rates(rows, days))


def test_click_rate_by_hour_counts_every_send_hour_with_ab_tests(cohort):
    rows = reached(cohort)
    hours = [stamp.hour for stamp in rows["sent"]]
    expected = rates(rows, hours)
    assert_table("b04.click_rate_by_hour", expected)
    assert (rows["ab_test"] != "").any(), "A/B sends are in the table"
    # The built-in effect the lesson points at: noon beats 9 a.m.
    assert expected["12"] > expected["9"]


def fatigue_by_loop(rows: pd.DataFrame) -> dict[str, float]:
    """For each delivered row: the friend's delivered messages sent in [t − 168 h, t), one friend at a time."""
    seconds = (rows["sent"] - pd.Timestamp("2026-01-01")).dt.total_seconds().astype(int).to_numpy()
    by_friend: dict[str, list[int]] = defaultdict(list)
    for friend, second in zip(rows["friend_id"], seconds):
        by_friend[friend].append(second)
    for times in by_friend.values():
        times.sort()
    labels = []
    for friend, second in zip(rows["friend_id"], seconds):
        times = by_friend[friend]
        before = bisect_left(times, second) - bisect_left(times, second - 168 * 3600)
        labels.append("6+" if before >= 6 else str(before))
    return rates(rows, labels, "blocked_24h")


def test_fatigue_block_rate_counts_the_previous_168_hours_without_this_message(cohort):
    rows = reached(cohort)
    expected = fatigue_by_loop(rows)
    assert set(expected) == {"0", "1", "2", "3", "4", "5", "6+"}
    assert_table("b04.fatigue_block_rate", expected)
    # Fatigue is built in: many messages in the last week block more than a quiet week.
    assert expected["6+"] > 1.5 * max(expected["0"], expected["2"])


def pooled_click_rate(rows: pd.DataFrame, start: str, end: str) -> float:
    window = rows[(rows["sent"] >= start) & (rows["sent"] < end)]
    return window["clicked"].sum() / len(window)


def test_baseline_click_rate_pools_may_to_july(cohort):
    rows = reached(cohort)
    expected = pooled_click_rate(rows, "2026-05-01", "2026-08-01")
    assert answer("b04.baseline_click_rate") == pytest.approx(expected, abs=1e-12)


def test_target_click_rate_is_ten_percent_above_the_baseline(cohort):
    rows = reached(cohort)
    expected = 1.1 * pooled_click_rate(rows, "2026-05-01", "2026-08-01")
    assert answer("b04.target_click_rate") == pytest.approx(expected, abs=1e-12)


def test_goal_progress_is_the_share_of_the_planned_lift_reached(cohort):
    rows = reached(cohort)
    baseline = pooled_click_rate(rows, "2026-05-01", "2026-08-01")
    current = pooled_click_rate(rows, "2026-08-01", "2026-11-01")
    expected = (current - baseline) / (0.1 * baseline)
    assert answer("b04.goal_progress") == pytest.approx(expected, abs=1e-9)


def test_goal_progress_on_hand_written_numbers():
    """The progress rule on numbers a trainer can check by hand: 0.050 → 0.055 planned, 0.052 reached."""
    baseline, target, current = 0.050, 0.050 * 1.1, 0.052
    assert (current - baseline) / (target - baseline) == pytest.approx(0.4)


@pytest.mark.parametrize("qid", ["b04.click_rate_by_type", "b04.click_rate_by_weekday", "b04.click_rate_by_hour",
                                 "b04.fatigue_block_rate"])
def test_table_keys_pass_their_own_check_written_as_a_series_or_a_dict(cohort, qid):
    """A learner may answer with the groupby result or with a dict literal: both are judged the same way."""
    from grading import literal

    key = answer(qid)
    assert isinstance(key, pd.Series) and np.isfinite(key.to_numpy()).all()
    assert spec_for(qid).judge(key).correct
    assert spec_for(qid).judge(eval(literal(key))).correct  # noqa: S307 (a dict literal, as a submission writes it)
    assert_answer(qid, pd.Series(dict(key.items())))


@pytest.mark.parametrize("qid", ["b04.click_rate_by_type", "b04.click_rate_by_weekday", "b04.click_rate_by_hour",
                                 "b04.fatigue_block_rate"])
def test_each_table_mistake_misses_every_row_so_it_earns_no_partial_credit(cohort, qid):
    from grader.keys import fraction_correct, get

    for mistake in get(qid).mistakes:
        assert fraction_correct(qid, mistake.value()) == 0, (qid, mistake.message)
        assert mistake.message in spec_for(qid).judge(mistake.value()).message


def test_projected_progress_uses_only_august_and_september(cohort):
    rows = reached(cohort)
    baseline = pooled_click_rate(rows, "2026-05-01", "2026-08-01")
    so_far = pooled_click_rate(rows, "2026-08-01", "2026-10-01")
    expected = (so_far - baseline) / (1.1 * baseline - baseline)
    assert answer("b04.projected_progress") == pytest.approx(expected, abs=1e-9)
