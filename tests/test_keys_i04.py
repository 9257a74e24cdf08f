"""Each key of intermediate/04 (성과 분석과 개선 루프) against an independent computation from the raw files, on three seeds."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

from conftest import raw
from grader.keys import answer, assert_answer, get

WORKSHOP, ONLINE = "실습 워크숍", "온라인 강의"


def campaign_frame(folder) -> pd.DataFrame:
    campaigns = raw(folder, "campaigns")
    campaigns["sent_at"] = pd.to_datetime(campaigns["sent_at"])
    return campaigns


def attributed_orders(folder) -> pd.DataFrame:
    orders = raw(folder, "orders")
    return orders[orders["campaign_id"] != ""]


def writer_rates_from_raw(folder) -> pd.Series:
    """Clicks ÷ deliveries per writer, summed message by message from the raw rows."""
    deliveries = raw(folder, "deliveries")
    deliveries = deliveries[deliveries["delivered"] == 1]
    per_message = deliveries.groupby("campaign_id").agg(clicks=("clicked", "sum"), reached=("clicked", "size"))
    author = raw(folder, "campaigns").set_index("campaign_id")["author"]
    per_writer = per_message.groupby(author.reindex(per_message.index)).sum()
    return per_writer["clicks"] / per_writer["reached"]


def training_groups(folder) -> tuple[list[float], list[float]]:
    rates = writer_rates_from_raw(folder)
    style = raw(folder, "staff").set_index("staff_id")["training"]
    workshop = [rate for staff_id, rate in rates.items() if style[staff_id] == WORKSHOP]
    online = [rate for staff_id, rate in rates.items() if style[staff_id] == ONLINE]
    return workshop, online


def welch_by_formula(a: list[float], b: list[float]) -> tuple[float, float]:
    """Welch's t and two-sided p from the textbook formula (Welch-Satterthwaite degrees of freedom)."""
    na, nb = len(a), len(b)
    ma, mb = sum(a) / na, sum(b) / nb
    va = sum((x - ma) ** 2 for x in a) / (na - 1)
    vb = sum((x - mb) ** 2 for x in b) / (nb - 1)
    se2 = va / na + vb / nb
    t = (ma - mb) / math.sqrt(se2)
    df = se2 ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    return t, 2 * stats.t.sf(abs(t), df)


def test_revenue_august_equals_the_linked_orders_of_august_messages(cohort):
    campaigns = campaign_frame(cohort)
    august = set(campaigns.loc[(campaigns["sent_at"] >= "2026-08-01") & (campaigns["sent_at"] < "2026-09-01"), "campaign_id"])
    orders = attributed_orders(cohort)
    assert answer("i04.revenue_august") == int(orders.loc[orders["campaign_id"].isin(august), "amount_krw"].sum())
    deliveries = raw(cohort, "deliveries")
    assert answer("i04.revenue_august") == int(deliveries.loc[deliveries["campaign_id"].isin(august), "purchase_amount_krw"].sum())


def test_roi_by_kind_nets_cost_out_of_pooled_revenue(cohort):
    campaigns = campaign_frame(cohort)
    complete = campaigns[campaigns["sent_at"] < "2026-10-24"]
    revenue = attributed_orders(cohort).groupby("campaign_id")["amount_krw"].sum()
    roi = answer("i04.roi_by_kind")
    assert set(roi.index) == {"광고", "정보성"}
    for label, flag in (("광고", 1), ("정보성", 0)):
        group = complete[complete["is_ad"] == flag]
        earned = revenue.reindex(group["campaign_id"]).fillna(0).sum()
        spent = group["cost_krw"].sum()
        assert roi[label] == pytest.approx((earned - spent) / spent, abs=1e-9)
    assert_answer("i04.roi_by_kind", roi)


def test_cost_per_order_ad_divides_ad_cost_by_linked_orders(cohort):
    campaigns = campaign_frame(cohort)
    ads = campaigns[(campaigns["sent_at"] < "2026-10-24") & (campaigns["is_ad"] == 1)]
    n_orders = attributed_orders(cohort)["campaign_id"].isin(set(ads["campaign_id"])).sum()
    # the same count from the buyer flag: one attributed order per buyer in this data
    deliveries = raw(cohort, "deliveries")
    assert n_orders == deliveries.loc[deliveries["campaign_id"].isin(set(ads["campaign_id"])), "purchased_7d"].sum()
    assert answer("i04.cost_per_order_ad") == pytest.approx(ads["cost_krw"].sum() / n_orders, abs=1e-9)


def test_writer_click_rates_pool_each_writers_messages(cohort):
    rates = answer("i04.writer_click_rates")
    expected = writer_rates_from_raw(cohort)
    assert sorted(rates.index) == sorted(expected.index) == sorted(
        raw(cohort, "staff").query("role == '메시지 작성'")["staff_id"])
    for staff_id, rate in expected.items():
        assert rates[staff_id] == pytest.approx(rate, abs=1e-12)


def test_welch_t_and_p_match_the_formula_and_differ_from_the_pooled_test(cohort):
    workshop, online = training_groups(cohort)
    t, p = welch_by_formula(workshop, online)
    assert answer("i04.welch_t") == pytest.approx(t, abs=1e-9)
    assert answer("i04.welch_p") == pytest.approx(p, abs=1e-9)
    # the pooled two-proportion z-test is the mistake: it claims far more evidence than 8 writers hold
    rates = writer_rates_from_raw(cohort)
    deliveries = raw(cohort, "deliveries")
    deliveries = deliveries[deliveries["delivered"] == 1].merge(raw(cohort, "campaigns")[["campaign_id", "author"]], on="campaign_id")
    style = raw(cohort, "staff").set_index("staff_id")["training"]
    deliveries["training"] = deliveries["author"].map(style)
    sums = deliveries.groupby("training")["clicked"].agg(["sum", "count"])
    _, pooled_p = proportions_ztest(sums.loc[[WORKSHOP, ONLINE], "sum"].to_numpy(), sums.loc[[WORKSHOP, ONLINE], "count"].to_numpy())
    assert pooled_p < 1e-6 < answer("i04.welch_p")
    assert len(rates) == 8


def test_training_decision_follows_the_stated_rule(cohort):
    workshop, online = training_groups(cohort)
    t, p = welch_by_formula(workshop, online)
    expected = "판단 보류" if p >= 0.05 else ("B안 채택" if t > 0 else "A안 유지")  # B = 실습 워크숍, A = 온라인 강의
    assert answer("i04.training_decision") == expected
    assert_answer("i04.training_decision", expected)


def test_weeks_on_target_counts_full_monday_weeks(cohort):
    start = pd.Timestamp("2026-05-04")
    daily = raw(cohort, "daily_stats")
    daily["week"] = (pd.to_datetime(daily["date"]) - start).dt.days // 7
    daily = daily[(daily["week"] >= 0) & (daily["week"] < 25)]
    net = daily.groupby("week")["added"].sum() - daily.groupby("week")["blocked"].sum()
    campaigns = campaign_frame(cohort)
    campaigns["week"] = (campaigns["sent_at"] - start).dt.days // 7
    deliveries = raw(cohort, "deliveries")
    rows = deliveries[deliveries["delivered"] == 1].merge(campaigns[["campaign_id", "week"]], on="campaign_id")
    rows = rows[(rows["week"] >= 0) & (rows["week"] < 25)]
    sums = rows.groupby("week").agg(clicks=("clicked", "sum"), blocks=("blocked_24h", "sum"), reached=("clicked", "size"))
    assert len(net) == len(sums) == 25
    met = (net >= 50) & (sums["clicks"] / sums["reached"] >= 0.08) & (sums["blocks"] / sums["reached"] <= 0.005)
    assert answer("i04.weeks_on_target") == int(met.sum())
    assert 0 < answer("i04.weeks_on_target") < 25


def test_every_i04_question_is_registered():
    for qid in ("i04.revenue_august", "i04.roi_by_kind", "i04.cost_per_order_ad", "i04.writer_click_rates",
                "i04.welch_t", "i04.welch_p", "i04.training_decision", "i04.weeks_on_target"):
        assert get(qid).variable == qid.split(".", 1)[1]


# ----- 문제 9: friend_budget ------------------------------------------------------------------------------

def test_friend_budget_fills_the_cheapest_kept_friend_first_up_to_each_routes_room(cohort):
    """From the raw files: 30-day retention and monthly new friends per route, the greedy fill written out again;
    the order by cost per kept friend differs from the order by cost per new friend, and the budget reaches past the
    two cheapest routes, so each named mistake is a different table on every seed."""
    cost = {"광고": 1200, "이벤트": 800, "오프라인 QR": 300, "지인 추천": 500}
    friends = raw(cohort, "friends")
    added, blocked = pd.to_datetime(friends["added_at"]), pd.to_datetime(friends["blocked_at"].replace("", None))
    window = (added >= "2026-05-01") & (added < "2026-10-02")
    kept = ~(blocked < added + pd.Timedelta(days=30))
    retention = kept[window].groupby(friends.loc[window, "source"]).mean()
    kept_cost = {route: cost[route] / retention[route] for route in cost}
    in_log = friends[(added >= "2026-05-01") & (added < "2026-11-01")]["source"].value_counts()
    room = {route: in_log[route] / 6 * 1.5 * cost[route] for route in cost}
    left, expected = 500_000.0, {}
    for route in sorted(cost, key=kept_cost.get):
        expected[route] = min(left, room[route])
        left -= expected[route]
    key = answer("i04.friend_budget")
    for route, won in expected.items():
        assert key[route] == pytest.approx(won, abs=1e-6)
    assert sorted(cost, key=kept_cost.get) != sorted(cost, key=cost.get)
    cheapest_two = sorted(cost, key=kept_cost.get)[:2]
    assert sum(room[r] for r in cheapest_two) < 500_000 < sum(room.values())
    assert_answer("i04.friend_budget", pd.Series(expected))
