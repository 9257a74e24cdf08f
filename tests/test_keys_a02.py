"""Each key of advanced/02 (CRM 세그먼트와 자동화 규칙) against an independent computation from the raw files, on three seeds.

Routes differ from the keys on purpose: RFM scores from scipy's rankdata (mean rank of ties) in integer arithmetic
instead of pandas' pct rank; the 7-day counts from a friend × campaign matrix times a campaign-window matrix; the
30-day click flag from merge_asof; the model through the formula API (statsmodels.formula) instead of arrays, on the
deliveries sent from 2026-05-31 to 1 Sep (text comparison of the raw times); the held-out AUC from scipy's rankdata, the
held-out totals and the per-recipient risks from the formula model's own predict on data frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy.stats import rankdata

from conftest import raw
from grader.keys import answer, get, score_answer, spec_for
from grader.keys.a02_crm import model as key_model

REFERENCE = "2026-11-01 00:00:00"
LOG_START = pd.Timestamp("2026-05-01 00:00:00")
MODEL_START = "2026-05-31 00:00:00"  # 30 days after the log starts
HOLDOUT_START, HOLDOUT_END = "2026-09-01 00:00:00", "2026-10-31 00:00:00"  # learn before, judge inside
SEND_AT = pd.Timestamp("2026-11-01 19:30:00")  # day: the platform takes ads 08:00-20:50
SEGMENTS = ["챔피언", "충성 고객", "잠재 충성", "이탈 위험", "동면"]


def text_time(moment: pd.Timestamp) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


# ----- RFM ----------------------------------------------------------------------------------------

def scores(values: pd.Series) -> pd.Series:
    """1-5: ceil(5 · mean rank / n) in integers: twice the mean rank is a whole number a, so the score is
    the smallest k with 2·n·k ≥ 5·a."""
    n = len(values)
    twice_rank = np.rint(2 * rankdata(values.to_numpy(), method="average")).astype(np.int64)
    return pd.Series(-((-5 * twice_rank) // (2 * n)), index=values.index)


def rfm_from_files(folder) -> pd.DataFrame:
    friends = raw(folder, "friends")
    current = friends[(friends["added_at"] < REFERENCE) & ((friends["blocked_at"] == "") | (friends["blocked_at"] >= REFERENCE))]
    orders = raw(folder, "orders")
    orders = orders[(orders["ordered_at"] < REFERENCE) & orders["friend_id"].isin(set(current["friend_id"]))]
    table = orders.groupby("friend_id").agg(last=("ordered_at", "max"), n=("order_id", "count"), m=("amount_krw", "sum"))
    table = table.sort_index()
    table["R"], table["F"], table["M"] = scores(table["last"]), scores(table["n"]), scores(table["m"])
    return table


def segments_from(table: pd.DataFrame) -> pd.Series:
    def one(row) -> str:
        if row.R >= 4 and row.F >= 4 and row.M >= 4:
            return "챔피언"
        if row.F >= 4:
            return "충성 고객" if row.R >= 3 else "이탈 위험"
        return "잠재 충성" if row.R >= 3 else "동면"

    return pd.Series([one(row) for row in table.itertuples()], index=table.index)


def test_rfm_scores_are_quintiles_with_recent_buyers_on_top_and_ties_kept_together(cohort):
    table = rfm_from_files(cohort)
    assert set(table["R"]) == set(range(1, 6))
    assert (table["R"].value_counts() / len(table) - 0.2).abs().max() < 0.01  # almost no ties in time: fifths
    # recency: every R 5 friend bought later than every R 1 friend
    assert table.loc[table["R"] == 5, "last"].min() > table.loc[table["R"] == 1, "last"].max()
    # equal values, equal score: never split by friend_id
    for value, score in (("last", "R"), ("n", "F"), ("m", "M")):
        assert (table.groupby(value)[score].nunique() == 1).all(), score
    # frequency ties: the single-order friends (over 40 %) share one low score, so F's groups are not fifths
    single = table.loc[table["n"] == 1, "F"]
    assert (table["n"] == 1).mean() > 0.4 and single.nunique() == 1 and single.iloc[0] <= 3
    assert (table.loc[table["n"] >= 2, "F"] > single.iloc[0]).all()


def test_champion_ids_have_all_three_scores_at_least_four(cohort):
    table = rfm_from_files(cohort)
    expected = set(table.index[segments_from(table) == "챔피언"])
    key = answer("a02.champion_ids")
    assert set(key) == expected and len(key) == len(expected) > 100


def test_segment_counts_follow_the_rules_in_order(cohort):
    table = rfm_from_files(cohort)
    expected = segments_from(table).value_counts().reindex(SEGMENTS, fill_value=0)
    key = answer("a02.segment_counts")
    assert list(key.index) == SEGMENTS
    assert key.to_dict() == expected.to_dict()
    assert key.sum() == len(table)


# ----- block-risk model ---------------------------------------------------------------------------

_ROWS: dict[str, pd.DataFrame] = {}


def message_rows(folder) -> pd.DataFrame:
    """Delivered rows with recent_7d (friend × campaign matrix route) and clicked_30d (merge_asof route)."""
    if str(folder) in _ROWS:
        return _ROWS[str(folder)]
    campaigns = raw(folder, "campaigns")
    sent = pd.to_datetime(campaigns.set_index("campaign_id")["sent_at"])
    deliveries = raw(folder, "deliveries")
    reached = deliveries[deliveries["delivered"] == 1].copy()
    friend_ids = sorted(set(reached["friend_id"]))
    f_index = {f: i for i, f in enumerate(friend_ids)}
    c_index = {c: j for j, c in enumerate(sent.index)}
    got = np.zeros((len(friend_ids), len(sent)), dtype=np.int32)
    got[reached["friend_id"].map(f_index).to_numpy(), reached["campaign_id"].map(c_index).to_numpy()] = 1
    times = sent.to_numpy()
    within = ((times[:, None] >= times[None, :] - np.timedelta64(7, "D")) & (times[:, None] < times[None, :])).astype(np.int32)
    before = got @ within  # [friend, campaign]: deliveries to the friend in [t_c − 7 days, t_c)
    reached["recent_7d"] = before[reached["friend_id"].map(f_index).to_numpy(), reached["campaign_id"].map(c_index).to_numpy()]
    reached["sent_at"] = reached["campaign_id"].map(sent)
    clicks = deliveries[deliveries["clicked"] == 1][["friend_id", "clicked_at"]]
    clicks = clicks.assign(clicked_at=pd.to_datetime(clicks["clicked_at"])).sort_values("clicked_at")
    reached = reached.sort_values("sent_at")
    last = pd.merge_asof(reached[["friend_id", "sent_at"]], clicks, left_on="sent_at", right_on="clicked_at",
                         by="friend_id", allow_exact_matches=False)
    reached["clicked_30d"] = (last["clicked_at"] >= last["sent_at"] - pd.Timedelta(days=30)).astype(int).to_numpy()
    friends = raw(folder, "friends").set_index("friend_id")
    reached["source"] = reached["friend_id"].map(friends["source"])
    reached["age_band"] = reached["friend_id"].map(friends["age_band"])
    # counted on the whole log above; the model keeps the sends whose 30-day window lies inside the log
    reached = reached[campaigns.set_index("campaign_id").loc[reached["campaign_id"], "sent_at"].to_numpy() >= MODEL_START]
    _ROWS[str(folder)] = reached
    return reached


FORMULA = ("blocked_24h ~ recent_7d + C(source, Treatment('채널 검색')) + C(age_band, Treatment('10대')) + clicked_30d")
_MODELS: dict[str, object] = {}


def period(folder, start: str, end: str) -> pd.DataFrame:
    rows = message_rows(folder)
    sent = rows["campaign_id"].map(raw(folder, "campaigns").set_index("campaign_id")["sent_at"])  # text times
    return rows[(sent >= start) & (sent < end)]


def formula_model(folder):
    if str(folder) not in _MODELS:
        _MODELS[str(folder)] = smf.logit(FORMULA, data=period(folder, MODEL_START, HOLDOUT_START)).fit(disp=0)
    return _MODELS[str(folder)]


def test_model_rows_start_30_days_after_the_log_and_learn_before_september(cohort):
    rows = message_rows(cohort)
    first_event = min(pd.to_datetime(raw(cohort, "campaigns")["sent_at"]).min(),
                      pd.to_datetime(raw(cohort, "orders")["ordered_at"]).min())
    assert first_event >= LOG_START  # the log starts on 2026-05-01
    assert rows["sent_at"].min() - pd.Timedelta(days=30) >= LOG_START
    train = period(cohort, MODEL_START, HOLDOUT_START)
    assert key_model().nobs == len(train) < len(rows)
    assert train["sent_at"].max() < pd.Timestamp(HOLDOUT_START)


def test_block_rate_by_recent_groups_deliveries_by_the_count_before_the_send(cohort):
    rows = message_rows(cohort)
    expected = rows.groupby(rows["recent_7d"].clip(upper=6))["blocked_24h"].mean()
    key = answer("a02.block_rate_by_recent")
    assert list(key.index) == list(range(7))
    for count, rate in expected.items():
        assert key[count] == pytest.approx(rate, abs=1e-12)
    assert key[6] > 2 * key[2]  # fatigue: the generator's built-in effect


def test_block_odds_ratios_match_the_formula_fit(cohort):
    params = formula_model(cohort).params
    source = "C(source, Treatment('채널 검색'))[T.{}]"
    expected = {"최근 7일 수신": params["recent_7d"], "광고": params[source.format("광고")],
                "이벤트": params[source.format("이벤트")], "오프라인 QR": params[source.format("오프라인 QR")],
                "지인 추천": params[source.format("지인 추천")], "최근 30일 클릭": params["clicked_30d"]}
    key = answer("a02.block_odds_ratios")
    assert set(key.index) == set(expected)
    for label, coefficient in expected.items():
        assert key[label] == pytest.approx(np.exp(coefficient), rel=1e-5)
    assert key["이벤트"] > key["광고"] > key["오프라인 QR"] > 1 and key["최근 7일 수신"] > 1.1


def holdout(folder) -> tuple[np.ndarray, np.ndarray]:
    rows = period(folder, HOLDOUT_START, HOLDOUT_END)
    return formula_model(folder).predict(rows).to_numpy(), rows["blocked_24h"].to_numpy() == 1


def test_block_auc_is_the_rank_sum_statistic_on_the_held_out_months(cohort):
    predicted, y = holdout(cohort)
    ranks = rankdata(predicted)
    n1, n0 = y.sum(), (~y).sum()
    auc = (ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)
    assert answer("a02.block_auc") == pytest.approx(auc, abs=1e-6)
    assert 0.6 < auc < 0.85


def test_holdout_blocks_add_the_held_out_probabilities_and_blocks(cohort):
    predicted, y = holdout(cohort)
    key = answer("a02.holdout_blocks")
    assert list(key.index) == ["예측", "실제"]
    assert key["예측"] == pytest.approx(predicted.sum(), rel=1e-6) and key["실제"] == y.sum()
    train = period(cohort, MODEL_START, HOLDOUT_START)  # in sample the totals agree (a logit with a constant)
    assert formula_model(cohort).predict(train).sum() == pytest.approx(train["blocked_24h"].sum(), rel=1e-4)


# ----- automation rule ----------------------------------------------------------------------------

def people_at_send(folder) -> pd.DataFrame:
    """Friends at 2026-11-01 19:30 with the rule's facts, each counted by filtering the raw text times."""
    t = SEND_AT
    friends = raw(folder, "friends")
    people = friends[(friends["added_at"] < text_time(t)) & ((friends["blocked_at"] == "") | (friends["blocked_at"] >= text_time(t)))].copy()
    campaigns = raw(folder, "campaigns")
    window_7 = campaigns[(campaigns["sent_at"] >= text_time(t - pd.Timedelta(days=7))) & (campaigns["sent_at"] < text_time(t))]
    deliveries = raw(folder, "deliveries")
    got = deliveries[(deliveries["delivered"] == 1) & deliveries["campaign_id"].isin(set(window_7["campaign_id"]))]
    people["recent_7d"] = people["friend_id"].map(got["friend_id"].value_counts()).fillna(0).astype(int)
    clicked_at = deliveries.loc[deliveries["clicked"] == 1, ["friend_id", "clicked_at"]]
    orders = raw(folder, "orders")

    def who(frame, column, days):
        inside = (frame[column] >= text_time(t - pd.Timedelta(days=days))) & (frame[column] < text_time(t))
        return set(frame.loc[inside, "friend_id"])

    people["clicked_30d"] = people["friend_id"].isin(who(clicked_at, "clicked_at", 30)).astype(int)
    quiet = ~people["friend_id"].isin(who(clicked_at, "clicked_at", 60) | who(orders, "ordered_at", 60))
    bought = people["friend_id"].isin(set(orders.loc[orders["ordered_at"] < text_time(t), "friend_id"]))
    people["rule"] = (people["ad_consent"] == 1) & (people["recent_7d"] <= 3) & bought & quiet
    return people


def test_reengage_ids_keep_consent_cap_and_dormancy(cohort):
    people = people_at_send(cohort)
    expected = set(people.loc[people["rule"], "friend_id"])
    key = answer("a02.reengage_ids")
    assert set(key) == expected and len(key) == len(expected) > 10
    assert (people.loc[people["rule"], "recent_7d"] <= 3).all()
    assert people.loc[people["rule"], "night_ad_consent"].nunique() == 2, "19:30 is day: night consent plays no part"


def test_risk_per_recipient_averages_the_formula_models_risk_over_the_list_and_the_legal_audience(cohort):
    people = people_at_send(cohort)
    risk = formula_model(cohort).predict(people).to_numpy()
    legal = ((people["ad_consent"] == 1) & (people["recent_7d"] <= 3)).to_numpy()
    assert (people["ad_consent"] == 1).sum() > legal.sum(), "the cap keeps some consenting friends out"
    key = answer("a02.risk_per_recipient")
    assert list(key.index) == ["재참여 목록", "보낼 수 있는 친구 전체"]
    assert key["재참여 목록"] == pytest.approx(risk[people["rule"].to_numpy()].mean(), rel=1e-5)
    assert key["보낼 수 있는 친구 전체"] == pytest.approx(risk[legal].mean(), rel=1e-5)
    assert people["rule"].to_numpy()[~legal].sum() == 0  # the list lies inside what may be sent


# ----- mistakes -----------------------------------------------------------------------------------

QIDS = ["a02.champion_ids", "a02.segment_counts", "a02.block_rate_by_recent", "a02.block_odds_ratios",
        "a02.block_auc", "a02.holdout_blocks", "a02.reengage_ids", "a02.risk_per_recipient"]


@pytest.mark.parametrize("qid", QIDS)
def test_each_mistake_is_named_by_the_check_and_earns_only_its_right_labels(cohort, qid):
    """A mistake earns nothing, except a table's labels it happens to get right (partial credit per label)."""
    spec = spec_for(qid)
    assert spec.judge(answer(qid)).correct
    right = answer(qid)
    for mistake in get(qid).mistakes:
        value = mistake.value()
        verdict = spec.judge(value)
        assert not verdict.correct and verdict.message.endswith(mistake.message), (qid, mistake.message)
        if isinstance(right, pd.Series) and get(qid).kind == "table":
            same = sum(label in value.index and spec.judge(right.where(right.index != label, value[label])).correct
                       for label in right.index)
            assert score_answer(qid, value, points=3) == pytest.approx(3 * same / len(right)), (qid, mistake.message)
        else:
            assert score_answer(qid, value, points=3) == 0, (qid, mistake.message)
