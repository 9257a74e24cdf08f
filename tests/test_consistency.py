"""The raw tables agree with each other and with daily_stats, on every seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course import load

DAY = pd.Timedelta(days=1)


@pytest.fixture
def tables(cohort):
    return {name: load(name) for name in ("friends", "campaigns", "deliveries", "daily_stats", "chats", "orders",
                                          "experiments", "staff", "incidents")}


def test_daily_stats_equal_the_raw_tables(tables):
    friends, deliveries, campaigns = tables["friends"], tables["deliveries"], tables["campaigns"]
    chats, daily = tables["chats"], tables["daily_stats"].set_index("date")
    days = daily.index
    expected = pd.DataFrame(index=days)
    expected["added"] = friends["added_at"].dt.normalize().value_counts().reindex(days, fill_value=0)
    expected["blocked"] = friends["blocked_at"].dt.normalize().value_counts().reindex(days, fill_value=0)
    ends = days + DAY
    added_by_end = np.searchsorted(np.sort(friends["added_at"].to_numpy()), ends.to_numpy(), side="left")
    blocked_by_end = np.searchsorted(np.sort(friends["blocked_at"].dropna().to_numpy()), ends.to_numpy(), side="left")
    expected["friends_total"] = added_by_end - blocked_by_end
    sent = deliveries.merge(campaigns[["campaign_id", "sent_at"]], on="campaign_id")
    sent_day = sent["sent_at"].dt.normalize()
    expected["messages_delivered"] = sent[sent["delivered"]].groupby(sent_day).size().reindex(days, fill_value=0)
    expected["message_clicks"] = sent[sent["clicked"]].groupby(sent_day).size().reindex(days, fill_value=0)
    expected["chat_requests"] = chats["started_at"].dt.normalize().value_counts().reindex(days, fill_value=0)
    for column in expected.columns:
        assert (daily[column].to_numpy() == expected[column].to_numpy()).all(), column
    assert len(daily) == 184 and days.is_monotonic_increasing and days.is_unique


def test_every_id_resolves(tables):
    friend_ids = set(tables["friends"]["friend_id"])
    campaign_ids = set(tables["campaigns"]["campaign_id"])
    staff_ids = set(tables["staff"]["staff_id"])
    assert tables["friends"]["friend_id"].is_unique and tables["campaigns"]["campaign_id"].is_unique
    for name in ("deliveries", "chats", "orders", "experiments"):
        assert set(tables[name]["friend_id"]) <= friend_ids, name
    assert set(tables["incidents"]["friend_id"].dropna()) <= friend_ids
    assert set(tables["deliveries"]["campaign_id"]) == campaign_ids
    assert set(tables["orders"]["campaign_id"].dropna()) <= campaign_ids
    assert set(tables["experiments"]["campaign_id"]) <= campaign_ids
    assert set(tables["campaigns"]["author"]) <= staff_ids
    assert set(tables["chats"]["agent"].dropna()) <= staff_ids
    assert not tables["deliveries"].duplicated(["campaign_id", "friend_id"]).any()


def test_nobody_is_messaged_clicks_or_chats_outside_friendship(tables):
    friends = tables["friends"].set_index("friend_id")
    never = pd.Timestamp("2100-01-01")
    d = tables["deliveries"].merge(tables["campaigns"][["campaign_id", "sent_at"]], on="campaign_id")
    added = friends.loc[d["friend_id"], "added_at"].to_numpy()
    blocked = friends.loc[d["friend_id"], "blocked_at"].fillna(never).to_numpy()
    assert (d["sent_at"].to_numpy() >= added).all(), "messaged before being added"
    assert (d["sent_at"].to_numpy() < blocked).all(), "messaged after blocking"
    clicks = d[d["clicked"]]
    click_blocked = friends.loc[clicks["friend_id"], "blocked_at"].fillna(never).to_numpy()
    assert (clicks["clicked_at"].to_numpy() < click_blocked).all(), "clicked after blocking"
    assert (clicks["clicked_at"] >= clicks["sent_at"]).all() and (clicks["clicked_at"] < clicks["sent_at"] + DAY).all()
    assert not d.loc[~d["delivered"], ["clicked", "blocked_24h", "purchased_7d"]].any().any()
    assert d.loc[d["clicked"], "clicked_at"].notna().all() and d.loc[~d["clicked"], "clicked_at"].isna().all()
    chats = tables["chats"]
    assert (chats["started_at"].to_numpy() >= friends.loc[chats["friend_id"], "added_at"].to_numpy()).all()
    assert (chats["started_at"].to_numpy() < friends.loc[chats["friend_id"], "blocked_at"].fillna(never).to_numpy()).all()


def test_blocked_24h_follows_blocked_at(tables):
    friends = tables["friends"].set_index("friend_id")
    d = tables["deliveries"].merge(tables["campaigns"][["campaign_id", "sent_at"]], on="campaign_id")
    blocked = friends.loc[d["friend_id"], "blocked_at"].to_numpy()
    within = d["delivered"].to_numpy() & (blocked >= d["sent_at"].to_numpy()) & (blocked < (d["sent_at"] + DAY).to_numpy())
    assert (d["blocked_24h"].to_numpy() == within).all()


def test_orders_and_purchases_line_up(tables):
    d = tables["deliveries"]
    orders = tables["orders"]
    by_message = orders.dropna(subset=["campaign_id"])
    assert orders["order_id"].is_unique
    assert not by_message.duplicated(["campaign_id", "friend_id"]).any()
    bought = d[d["purchased_7d"]].merge(by_message, on=["campaign_id", "friend_id"], how="left", validate="one_to_one")
    assert bought["order_id"].notna().all(), "a purchase flag without its order"
    assert len(bought) == len(by_message), "an order through a message without its purchase flag"
    assert (bought["purchase_amount_krw"] == bought["amount_krw"]).all()
    assert bought["clicked"].all()
    delay = bought["ordered_at"] - bought["clicked_at"]
    assert (delay >= pd.Timedelta(0)).all() and (delay < 7 * DAY).all()
    assert (d.loc[~d["purchased_7d"], "purchase_amount_krw"] == 0).all()
    assert (orders["amount_krw"] > 0).all()


def test_chat_conversion_follows_its_definition(tables):
    chats, orders = tables["chats"], tables["orders"]
    pairs = chats[["chat_id", "friend_id", "started_at"]].merge(orders[["friend_id", "ordered_at"]], on="friend_id")
    inside = pairs[(pairs["ordered_at"] >= pairs["started_at"]) & (pairs["ordered_at"] < pairs["started_at"] + 7 * DAY)]
    expected = chats["chat_id"].isin(inside["chat_id"])
    assert (chats["converted_7d"] == expected).all()
    bot = chats["handled_by"] == "챗봇"
    assert chats.loc[bot, "agent"].isna().all() and chats.loc[~bot, "agent"].notna().all()
    assert chats["satisfaction"].dropna().between(1, 5).all()


def test_campaign_counts_and_costs(tables):
    campaigns, d = tables["campaigns"].set_index("campaign_id"), tables["deliveries"]
    assert (d.groupby("campaign_id").size().reindex(campaigns.index) == campaigns["n_targeted"]).all()
    unit = campaigns["msg_type"].map({"기본 텍스트형": 15, "와이드 이미지형": 20, "와이드 리스트형": 20, "캐러셀형": 20}).astype(int)
    delivered = d[d["delivered"]].groupby("campaign_id").size().reindex(campaigns.index, fill_value=0)
    assert (campaigns["cost_krw"] == delivered * unit).all()
    labelled = campaigns["title"].str.startswith("(광고)")
    assert (campaigns["has_ad_label"] == (campaigns["is_ad"] & labelled)).all()
    assert not (labelled & ~campaigns["is_ad"]).any()


def test_experiments_match_deliveries(tables):
    experiments, campaigns, d = tables["experiments"], tables["campaigns"], tables["deliveries"]
    arms = campaigns.dropna(subset=["ab_test"])
    joined = experiments.merge(arms[["campaign_id", "ab_test", "arm"]], on="campaign_id", how="left")
    assert (joined["ab_test"] == joined["experiment_id"]).all() and (joined["arm_x"] == joined["arm_y"]).all()
    exposed = d[d["campaign_id"].isin(arms["campaign_id"]) & d["delivered"]]
    merged = exposed.merge(experiments, on=["campaign_id", "friend_id"], how="outer", validate="one_to_one",
                           suffixes=("_d", "_e"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["clicked_d"] == merged["clicked_e"]).all() and (merged["purchased_7d_d"] == merged["purchased_7d_e"]).all()
    assert (merged["blocked_24h_d"] == merged["blocked_24h_e"]).all()
    shares = experiments.drop_duplicates(["experiment_id", "arm"]).groupby("experiment_id")["planned_share"].sum()
    assert np.allclose(shares.to_numpy(), 1.0)
    assert not experiments.duplicated(["experiment_id", "friend_id"]).any()


def test_incident_friends_are_still_friends_when_it_happens(tables):
    friends = tables["friends"].set_index("friend_id")
    incidents = tables["incidents"].dropna(subset=["friend_id"])
    assert friends.loc[incidents["friend_id"], "blocked_at"].isna().all()
    assert (incidents["at"] > tables["daily_stats"]["date"].max() + DAY).all()
    hourly = tables["incidents"][tables["incidents"]["kind"].astype(str).str.startswith("시간별")]
    assert hourly.groupby(["scenario_id", "kind"], observed=True).size().eq(14 * 24).all()
    starts = tables["incidents"][tables["incidents"]["kind"] == "사건 시작"]
    assert starts["scenario_id"].value_counts().eq(1).all() and starts["scenario_id"].nunique() == 4
    # Each incident begins on its scenario's eighth day, after seven quiet days.
    first_hour = tables["incidents"].groupby("scenario_id")["at"].min()
    assert ((starts.set_index("scenario_id")["at"] - first_hour).dt.days == 7).all()
