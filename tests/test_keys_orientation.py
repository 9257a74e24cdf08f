"""Each orientation key against an independent computation from the raw CSV text, on three seeds."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest

from conftest import raw
from grader.keys import answer


def _when(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


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


def test_metro_ad_friends_row_by_row(cohort):
    rows = raw(cohort, "friends").to_dict("records")
    expected = sum(1 for r in rows
                   if r["blocked_at"] == "" and r["region"] in ("서울", "경기·인천") and str(r["ad_consent"]) == "1")
    assert answer("orientation.metro_ad_friends") == expected


def test_night_consent_by_age_by_counting(cohort):
    agreed, everyone = Counter(), Counter()
    for r in raw(cohort, "friends").to_dict("records"):
        if r["blocked_at"] == "":
            everyone[r["age_band"]] += 1
            agreed[r["age_band"]] += str(r["night_ad_consent"]) == "1"
    got = answer("orientation.night_consent_by_age")
    assert {str(k) for k in got.index} == set(everyone)
    for band, n in everyone.items():
        assert got[band] == pytest.approx(agreed[band] / n, abs=1e-12), band


def test_sales_by_source_with_a_lookup_instead_of_a_merge(cohort):
    source_of = dict(zip(raw(cohort, "friends")["friend_id"], raw(cohort, "friends")["source"]))
    totals = defaultdict(int)
    for r in raw(cohort, "orders").to_dict("records"):
        totals[source_of[r["friend_id"]]] += int(r["amount_krw"])
    got = answer("orientation.sales_by_source")
    assert {str(k) for k in got.index} == set(totals)
    assert sum(totals.values()) == int(raw(cohort, "orders")["amount_krw"].astype(int).sum())
    for source, total in totals.items():
        assert got[source] == total, source


def test_quick_blocks_august_with_datetimes(cohort):
    start, end, day = datetime(2026, 8, 1), datetime(2026, 9, 1), timedelta(hours=24)
    expected = 0
    for r in raw(cohort, "friends").to_dict("records"):
        added = _when(r["added_at"])
        if start <= added < end and r["blocked_at"] and _when(r["blocked_at"]) - added < day:
            expected += 1
    assert answer("orientation.quick_blocks_august") == expected
    assert 0 < expected  # the question has something to count on every seed


def test_each_new_mistake_differs_from_the_answer_and_is_named(cohort):
    """The visible check names these mistakes: each gives a value other than the answer on this seed, and a table
    mistake earns nothing (no age band or source right by coincidence, which would be partial credit)."""
    from grader.keys import fraction_correct, get, spec_for

    for qid, least in (("orientation.metro_ad_friends", 3), ("orientation.night_consent_by_age", 3),
                       ("orientation.sales_by_source", 3), ("orientation.quick_blocks_august", 3)):
        assert len(spec_for(qid).mistakes) >= least, qid
        if get(qid).kind == "table":
            assert [fraction_correct(qid, m.value()) for m in get(qid).mistakes] == [0.0] * len(get(qid).mistakes), qid
