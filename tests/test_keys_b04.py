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
    """Delivered rows (delivered == 1) with the message's send time, type, ad flag, target and A/B test, from the CSV
    files."""
    from pathlib import Path

    folder = Path(folder_text)
    deliveries = raw(folder, "deliveries")
    campaigns = raw(folder, "campaigns")
    campaigns["sent"] = pd.to_datetime(campaigns["sent_at"], format="%Y-%m-%d %H:%M:%S")
    rows = deliveries[deliveries["delivered"] == 1].merge(
        campaigns[["campaign_id", "sent", "msg_type", "is_ad", "target", "ab_test"]], on="campaign_id", validate="many_to_one")
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
    """For each delivered row: the friend's delivered messages (any kind) sent in [t − 168 h, t), one friend at a time;
    then only informational rows sent from 8 May on, outside 13-27 July, bucketed 0, 1, 2, 3, 4+."""
    seconds = (rows["sent"] - pd.Timestamp("2026-01-01")).dt.total_seconds().astype(int).to_numpy()
    by_friend: dict[str, list[int]] = defaultdict(list)
    for friend, second in zip(rows["friend_id"], seconds):
        by_friend[friend].append(second)
    for times in by_friend.values():
        times.sort()
    first_full_week = (pd.Timestamp("2026-05-08") - pd.Timestamp("2026-01-01")).total_seconds()
    sale = [(pd.Timestamp(day) - pd.Timestamp("2026-01-01")).total_seconds() for day in ("2026-07-13", "2026-07-27")]
    labels, kept = [], []
    for friend, second, is_ad in zip(rows["friend_id"], seconds, rows["is_ad"]):
        times = by_friend[friend]
        before = bisect_left(times, second) - bisect_left(times, second - 168 * 3600)
        labels.append("4+" if before >= 4 else str(before))
        kept.append(is_ad == 0 and second >= first_full_week and not sale[0] <= second < sale[1])
    keep = np.array(kept)
    return rates(rows[keep], np.array(labels)[keep], "blocked_24h")


def test_fatigue_block_rate_counts_every_message_then_reads_ordinary_informational_rows(cohort):
    rows = reached(cohort)
    expected = fatigue_by_loop(rows)
    assert set(expected) == {"0", "1", "2", "3", "4+"}
    assert_table("b04.fatigue_block_rate", expected)
    # What holds on every seed (tests/stories.py checks it on the sweep): the first message of a quiet week blocks
    # most (new friends), not the many-message bucket; the generator's fatigue is too weak in ordinary weeks to
    # promise a rising curve from 1 to 4+ on every seed.
    assert expected["0"] > max(value for label, value in expected.items() if label != "0")


def broadcast_rate(rows: pd.DataFrame, start: str, end: str) -> float:
    window = rows[(rows["target"] == "전체") & (rows["sent"] >= start) & (rows["sent"] < end)]
    return window["clicked"].sum() / len(window)


def swing_by_hand(rows: pd.DataFrame) -> float:
    monthly = [broadcast_rate(rows, f"2026-0{month}-01", f"2026-0{month + 1}-01") for month in (5, 6, 7)]
    return max(monthly) - min(monthly)


def target_by_hand(rows: pd.DataFrame) -> float:
    baseline = broadcast_rate(rows, "2026-05-01", "2026-08-01")
    return max(1.1 * baseline, baseline + swing_by_hand(rows))


def test_broadcasts_hold_no_ab_test_so_the_fixed_mix_needs_one_filter(cohort):
    rows = reached(cohort)
    assert (rows.loc[rows["target"] == "전체", "ab_test"] == "").all()
    assert (rows["ab_test"] != "").any()


def test_baseline_click_rate_pools_may_to_july_broadcasts(cohort):
    rows = reached(cohort)
    expected = broadcast_rate(rows, "2026-05-01", "2026-08-01")
    assert answer("b04.baseline_click_rate") == pytest.approx(expected, abs=1e-12)


def test_monthly_swing_is_the_highest_minus_the_lowest_baseline_month(cohort):
    assert answer("b04.monthly_swing") == pytest.approx(swing_by_hand(reached(cohort)), abs=1e-12)


def test_target_click_rate_is_the_larger_of_ten_percent_and_the_swing(cohort):
    assert answer("b04.target_click_rate") == pytest.approx(target_by_hand(reached(cohort)), abs=1e-12)


def test_goal_progress_is_the_share_of_the_planned_lift_reached_on_broadcasts(cohort):
    rows = reached(cohort)
    baseline = broadcast_rate(rows, "2026-05-01", "2026-08-01")
    current = broadcast_rate(rows, "2026-08-01", "2026-11-01")
    expected = (current - baseline) / (target_by_hand(rows) - baseline)
    assert answer("b04.goal_progress") == pytest.approx(expected, abs=1e-9)


def test_the_worked_example_says_what_its_cell_prints():
    """The lesson's hand-checkable example (a different channel's numbers, written with two decimals so they never
    read as this cohort's answers): the sentence after the cell names the target, progress and 달성률 it prints."""
    import contextlib
    import io
    import re

    import nbformat

    from conftest import ROOT

    cells = nbformat.read(ROOT / "beginner" / "04_smart_goals.ipynb", as_version=4).cells
    at = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "example_baseline, example_swing" in c.source)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(cells[at].source, {})
    target, progress, share = re.fullmatch(r"목표 ([\d.]+), 진행률 ([\d.]+), 달성률 ([\d.]+)\n", printed.getvalue()).groups()
    sentence = cells[at + 1].source
    assert f"목표는 {target}" in sentence and f"진행률은 {progress}" in sentence and f"달성률은 {share}" in sentence
    assert "오르내린 폭을 더한" in sentence  # the example is one where the swing, not the 10 %, sets the target


def test_change_interval_agrees_with_scipys_bootstrap_over_messages(cohort):
    """The lesson's campaign-resampled interval against scipy's percentile bootstrap (other draws, same unit)."""
    from scipy.stats import bootstrap

    from grader.keys.b04_goals import change_interval

    rows = reached(cohort)
    broadcast = rows[rows["target"] == "전체"]
    per = broadcast.groupby("campaign_id").agg(clicks=("clicked", "sum"), size=("clicked", "size"), sent=("sent", "first"))
    before, during = per[per["sent"] < "2026-08-01"], per[per["sent"] >= "2026-08-01"]

    def change(pick_before, pick_during, axis=-1):
        def rate(table, pick):
            pick = pick.astype(int)
            return table["clicks"].to_numpy()[pick].sum(axis=axis) / table["size"].to_numpy()[pick].sum(axis=axis)
        return rate(during, pick_during) - rate(before, pick_before)

    result = bootstrap((np.arange(len(before)), np.arange(len(during))), change, n_resamples=4000, vectorized=True,
                       method="percentile", random_state=np.random.default_rng(7))
    low, high = change_interval()
    point = change(np.arange(len(before)), np.arange(len(during)))
    assert low < point < high
    width = high - low
    assert low == pytest.approx(result.confidence_interval.low, abs=0.08 * width)
    assert high == pytest.approx(result.confidence_interval.high, abs=0.08 * width)


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
def test_each_table_mistake_misses_every_row_but_one_by_chance(cohort, qid):
    """A mistake may meet the key on one label by chance at the graded precision (seed 31: the "2" bucket of the
    undelivered-rows mistake, 0.003917 against 0.003918), never on more."""
    from grader.keys import fraction_correct, get

    spec = spec_for(qid)
    labels = len(answer(qid))
    for mistake in get(qid).mistakes:
        value = mistake.value()
        assert fraction_correct(qid, value) <= 1 / labels, (qid, mistake.message)
        assert mistake.message in spec.judge(value).message