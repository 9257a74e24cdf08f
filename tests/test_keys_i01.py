"""Each key of intermediate/01 (세그먼트와 타깃 메시지) against an independent computation from the raw files, on three seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import raw
from grader.keys import answer, get, spec_for


def send_of(campaign) -> str:
    if campaign["ab_test"] != "":
        return "A/B"
    return "전체 발송" if campaign["target"] == "전체" else "타깃 발송"


def reached_rows(folder) -> pd.DataFrame:
    """Delivered rows with the send kind and the friend's segment columns, from the CSV files."""
    campaigns = raw(folder, "campaigns")
    kind = {row["campaign_id"]: send_of(row) for _, row in campaigns.iterrows()}
    deliveries = raw(folder, "deliveries")
    deliveries = deliveries[deliveries["delivered"] == 1].copy()
    deliveries["send"] = deliveries["campaign_id"].map(kind)
    deliveries["sent_at"] = deliveries["campaign_id"].map(campaigns.set_index("campaign_id")["sent_at"])
    friends = raw(folder, "friends").set_index("friend_id")
    for column in ("gender", "age_band", "interest"):
        deliveries[column] = deliveries["friend_id"].map(friends[column])
    return deliveries


def test_send_kinds_split_broadcast_segment_and_ab_sends(cohort):
    campaigns = raw(cohort, "campaigns")
    kinds = campaigns.apply(send_of, axis=1)
    assert (campaigns.loc[kinds == "A/B", "target"].str.startswith("A/B 테스트")).all()
    assert (kinds == "타깃 발송").sum() > 0 and (kinds == "전체 발송").sum() > 0


def test_click_rate_by_segment_counts_clicks_over_broadcast_deliveries(cohort):
    rows = reached_rows(cohort)
    rows = rows[rows["send"] == "전체 발송"]
    expected = {}
    for (gender, age), group in rows.groupby(["gender", "age_band"]):
        expected[f"{gender}·{age}"] = group["clicked"].sum() / len(group)
    key = answer("i01.click_rate_by_segment")
    assert set(key.index) == set(expected)
    assert len(expected) == 15  # three genders × five age bands
    for label, rate in expected.items():
        assert key[label] == pytest.approx(rate, abs=1e-12)


FULL_7D = "2026-10-24 00:00:00"  # the course's censoring rule, as text: 7 days (+1 for the click) before 10-31 24:00


def test_conversion_by_interest_counts_purchases_over_broadcast_deliveries_with_7_full_days(cohort):
    rows = reached_rows(cohort)
    rows = rows[(rows["send"] == "전체 발송") & (rows["sent_at"] < FULL_7D)]
    totals = rows.groupby("interest").agg(buys=("purchased_7d", "sum"), reach=("delivered", "count"))
    key = answer("i01.conversion_by_interest")
    assert set(key.index) == set(totals.index)
    for interest, row in totals.iterrows():
        assert key[interest] == pytest.approx(row["buys"] / row["reach"], abs=1e-12)


def test_targeted_click_ratio_is_pooled_rate_over_pooled_rate_without_ab_sends(cohort):
    rows = reached_rows(cohort)
    rate = {kind: rows.loc[rows["send"] == kind, "clicked"].sum() / (rows["send"] == kind).sum()
            for kind in ("타깃 발송", "전체 발송")}
    ratio = answer("i01.targeted_click_ratio")
    assert ratio == pytest.approx(rate["타깃 발송"] / rate["전체 발송"], rel=1e-12)
    assert 1.8 < ratio < 3.5  # the generator's built-in effect: targeted sends click roughly 2-3x


def costs_from_files(folder, kind: str) -> dict[str, float]:
    campaigns = raw(folder, "campaigns")
    picked = campaigns[(campaigns.apply(send_of, axis=1) == kind) & (campaigns["sent_at"] < FULL_7D)]
    rows = reached_rows(folder)
    rows = rows[rows["campaign_id"].isin(picked["campaign_id"])]
    spend = picked["cost_krw"].sum()
    return {"클릭당 비용": spend / rows["clicked"].sum(), "구매당 비용": spend / rows["purchased_7d"].sum()}


@pytest.mark.parametrize("qid, kind", [("i01.targeted_costs", "타깃 발송"), ("i01.broadcast_costs", "전체 발송")])
def test_costs_divide_total_spend_by_total_clicks_and_purchases(cohort, qid, kind):
    key = answer(qid)
    expected = costs_from_files(cohort, kind)
    assert set(key.index) == set(expected)
    for label, value in expected.items():
        assert key[label] == pytest.approx(value, rel=1e-12)


def test_targeted_sends_buy_clicks_cheaper_than_broadcasts(cohort):
    assert answer("i01.targeted_costs")["클릭당 비용"] < answer("i01.broadcast_costs")["클릭당 비용"]


def test_friend_group_ids_keep_current_consenting_kitchen_friends_who_bought_in_90_days(cohort):
    friends = raw(cohort, "friends")
    orders = raw(cohort, "orders")
    bought = set(orders.loc[(orders["ordered_at"] >= "2026-08-03 00:00:00") & (orders["ordered_at"] < "2026-11-01 00:00:00"),
                            "friend_id"])
    expected = {row["friend_id"] for _, row in friends.iterrows()
                if (row["blocked_at"] == "" or row["blocked_at"] >= "2026-11-01 00:00:00")
                and row["ad_consent"] == 1 and row["interest"] == "주방용품" and row["friend_id"] in bought}
    key = answer("i01.friend_group_ids")
    assert set(key) == expected and len(key) == len(expected)
    assert 0 < len(expected) <= 2000  # one upload request


def test_every_table_mistake_is_wrong_on_every_label(cohort):
    """A mistaken table must earn no partial credit: each of its labels differs from the answer."""
    from grader.keys import score_answer

    for qid in ("i01.click_rate_by_segment", "i01.conversion_by_interest", "i01.targeted_costs", "i01.broadcast_costs"):
        for mistake in get(qid).mistakes:
            assert score_answer(qid, mistake.value(), points=3) == 0, (qid, mistake.message)
            assert spec_for(qid).judge(mistake.value()).message.endswith(mistake.message)
