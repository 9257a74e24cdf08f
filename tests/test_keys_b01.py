"""Each key of beginner/01 (채널 현황 읽기) against an independent computation from the raw files, on three seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import raw
from grader.keys import answer


def daily_from_friends(folder) -> pd.DataFrame:
    """Adds and blocks per day counted from the friends table itself (not daily_stats)."""
    friends = raw(folder, "friends")
    days = pd.date_range("2026-05-01", "2026-10-31", freq="D")
    added = pd.to_datetime(friends["added_at"]).dt.normalize().value_counts()
    blocked = pd.to_datetime(friends.loc[friends["blocked_at"] != "", "blocked_at"]).dt.normalize().value_counts()
    return pd.DataFrame({"added": added.reindex(days, fill_value=0), "blocked": blocked.reindex(days, fill_value=0)})


def test_friends_end_of_july_matches_the_admin_centre_export(cohort):
    daily = raw(cohort, "daily_stats").set_index("date")
    assert answer("b01.friends_end_of_july") == int(daily.loc["2026-07-31", "friends_total"])


def test_net_adds_august_from_friend_events_and_from_the_friend_total(cohort):
    by_day = daily_from_friends(cohort).loc["2026-08-01":"2026-08-31"]
    assert answer("b01.net_adds_august") == int(by_day["added"].sum() - by_day["blocked"].sum())
    daily = raw(cohort, "daily_stats").set_index("date")
    assert answer("b01.net_adds_august") == int(daily.loc["2026-08-31", "friends_total"] - daily.loc["2026-07-31", "friends_total"])


def test_worst_block_day_is_the_first_day_with_most_blocks(cohort):
    blocked = daily_from_friends(cohort)["blocked"]
    first_max = blocked[blocked == blocked.max()].index.min()
    assert answer("b01.worst_block_day") == first_max


def test_avg_daily_adds_last_4w_counts_28_days_of_adds(cohort):
    friends = raw(cohort, "friends")
    added = pd.to_datetime(friends["added_at"])
    in_window = ((added >= "2026-10-04") & (added < "2026-11-01")).sum()
    assert answer("b01.avg_daily_adds_last_4w") == pytest.approx(in_window / 28, abs=1e-9)


def test_sale_week_block_rate_pools_blocks_over_deliveries(cohort):
    campaigns = raw(cohort, "campaigns")
    sent = pd.to_datetime(campaigns["sent_at"])
    week = set(campaigns.loc[(sent >= "2026-07-13") & (sent < "2026-07-20"), "campaign_id"])
    assert week, "the sale week has messages"
    deliveries = raw(cohort, "deliveries")
    reached = deliveries[deliveries["campaign_id"].isin(week) & (deliveries["delivered"] == 1)]
    assert answer("b01.sale_week_block_rate") == pytest.approx(reached["blocked_24h"].sum() / len(reached), abs=1e-12)


def test_blocked_ma7_peak_is_the_highest_full_week_average(cohort):
    blocked = daily_from_friends(cohort)["blocked"].to_numpy()
    weekly = [blocked[i - 7:i].mean() for i in range(7, len(blocked) + 1)]
    assert answer("b01.blocked_ma7_peak") == pytest.approx(max(weekly), abs=1e-9)
