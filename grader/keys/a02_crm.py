"""Keys for advanced/02_crm_rules (CRM 세그먼트와 자동화 규칙): RFM quintile scores and the segment map,
a block-risk Logit read as odds ratios with its AUC, and an automation rule for a re-engagement send.

Reference moment: 2026-11-01 00:00 KST (10월 31일 24시, the day after the log ends). RFM is scored on the
friends who are friends at that moment and have at least one order in the log; each score is
``np.ceil(5 * x.rank(method="average", pct=True))``: the fifth in which the tied group's mean rank lies, so equal
values always get the same score and heavily tied values (order counts) leave some scores empty; R on the time of
the last order (the more recent, the higher).

The block-risk model's unit is one delivered message sent at or after 2026-05-31 00:00 (30 days after the log
starts, so that every window below lies inside the log); its features are counted before the send time t
with half-open windows [t - N days, t): delivered messages in the last 7 days (the current one is not in
its own window) and whether the friend clicked anything (``clicked_at``) in the last 30 days; plus the
friend's source (reference 채널 검색) and age band (reference 10대), dummies from
``pd.get_dummies(..., drop_first=True)``. The counts themselves use every delivery and click of the log, also those
before 2026-05-31. Out of time: ``sm.Logit(y, sm.add_constant(X))`` learns from the messages sent in
[05-31, 09-01) and is judged on those sent in [09-01, 10-31) (a later send's 24 hours are not all in the record): its
AUC (``scipy.stats.mannwhitneyu``) and, since the course adds probabilities into expected counts, its calibration:
predicted against observed blocks in the held-out months.

The automation rule picks, for an ad (a re-engagement coupon) sent at 2026-11-01 19:30 KST, the friends who
are friends then, consented to ads (the shop's CRM), received at most 3 messages in the
7 days before (cap: 4 a week counting this one), and are 휴면 고객: ordered at least once in the log but neither
ordered nor clicked in the 60 days before. Its risk is judged per recipient (the mean predicted block probability,
features as of the send time) against every friend it would be legal to send that ad to then (consent and cap). The operations team had set the tool to 21:30; the platform takes no ad from 20:50 to 08:00,
whatever a friend's night consent, so the lesson moves the send to 19:30 and night consent plays no part.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import mannwhitneyu

from course import current_data_dir, load

from . import question

REFERENCE = pd.Timestamp("2026-11-01 00:00:00")  # 10월 31일 24시 KST
SEND_AT = pd.Timestamp("2026-11-01 19:30:00")  # the re-engagement send, moved from 21:30 (the platform refuses ads then)
MODEL_START = pd.Timestamp("2026-05-31 00:00:00")  # log start 2026-05-01 + 30 days: every window inside the log
HOLDOUT_START = pd.Timestamp("2026-09-01 00:00:00")  # the model learns before, is judged after (out of time)
HOLDOUT_END = pd.Timestamp("2026-10-31 00:00:00")  # the record ends on 11-01 00:00: a later send's 24 hours are cut
DAY_S = 86_400
RECENT_DAYS, CLICK_DAYS, DORMANT_DAYS = 7, 30, 60
CAP_BEFORE = 3  # at most 4 messages a week counting this one: at most 3 in the 7 days before
TOP_COUNT = 6  # the block-rate table's last row: 6 or more
SEGMENTS = ("챔피언", "충성 고객", "잠재 충성", "이탈 위험", "동면")
TERMS = {"최근 7일 수신": "recent_7d", "광고": "source_광고", "이벤트": "source_이벤트",
         "오프라인 QR": "source_오프라인 QR", "지인 추천": "source_지인 추천", "최근 30일 클릭": "clicked_30d"}

_CACHE: dict[tuple, object] = {}


def _cached(name: str, compute):
    """One computation per data folder (the model takes seconds; every key of a kernel shares it)."""
    folder = current_data_dir()
    stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv")))
    key = (name, str(folder), stamp)
    if key not in _CACHE:
        _CACHE[key] = compute()
    return _CACHE[key]


def _seconds(times: pd.Series) -> np.ndarray:
    return times.to_numpy().astype("datetime64[s]").astype(np.int64)


def count_before(event_friend: pd.Series, event_time: pd.Series, at_friend: pd.Series, at_time: pd.Series,
                 days: int, friend_ids: pd.Series) -> np.ndarray:
    """For each (friend, moment t): the friend's events with time in [t - days, t), by binary search."""
    codes = pd.Index(friend_ids)
    stride = np.int64(10) ** 11
    events = np.sort(codes.get_indexer(event_friend).astype(np.int64) * stride + _seconds(event_time))
    at = codes.get_indexer(at_friend).astype(np.int64) * stride + _seconds(at_time)
    return np.searchsorted(events, at, side="left") - np.searchsorted(events, at - days * DAY_S, side="left")


# ---------------------------------------------------------------------------------------- RFM

def _is_friend(friends: pd.DataFrame, moment: pd.Timestamp) -> pd.Series:
    return (friends["added_at"] < moment) & (friends["blocked_at"].isna() | (friends["blocked_at"] >= moment))


def quintile(values: pd.Series, ties: str = "average") -> pd.Series:
    """1-5: the fifth in which a value's mean rank lies (equal values, equal score), as the lesson scores.

    ``ties="first"`` is the mistaken cut that breaks ties by row order (friend_id), ``pd.qcut`` of the first-come rank.
    """
    if ties == "first":
        return pd.qcut(values.rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)
    return pd.Series(np.ceil(5 * values.rank(method=ties, pct=True)), index=values.index).astype(int)


def rfm_table(moment: pd.Timestamp = REFERENCE, include_blocked: bool = False, invert_recency: bool = True,
              ties: str = "average") -> pd.DataFrame:
    """One row per friend (sorted by friend_id) with recency_days, frequency, monetary and R, F, M scores."""
    friends = load("friends")
    orders = load("orders")
    orders = orders[orders["ordered_at"] < moment]
    keep = friends["added_at"] < moment if include_blocked else _is_friend(friends, moment)
    orders = orders[orders["friend_id"].isin(friends.loc[keep, "friend_id"])]
    table = orders.groupby("friend_id").agg(last_order=("ordered_at", "max"), frequency=("order_id", "size"),
                                            monetary=("amount_krw", "sum")).sort_index()
    table["recency_days"] = (moment - table["last_order"]) / pd.Timedelta(days=1)
    table["R"] = quintile(table["last_order"] if invert_recency else table["recency_days"], ties)
    table["F"] = quintile(table["frequency"], ties)
    table["M"] = quintile(table["monetary"], ties)
    return table


def segment_of(table: pd.DataFrame) -> pd.Series:
    """The lesson's segment map, rules in order (the first that holds wins)."""
    r, f, m = table["R"], table["F"], table["M"]
    segment = pd.Series("동면", index=table.index, dtype=object)  # F 1-3, R 1-2
    segment[(f <= 3) & (r >= 3)] = "잠재 충성"
    segment[(f >= 4) & (r <= 2)] = "이탈 위험"
    segment[(f >= 4) & (r >= 3)] = "충성 고객"
    segment[(f >= 4) & (r >= 4) & (m >= 4)] = "챔피언"
    return segment


def _champions(**options) -> list[str]:
    table = rfm_table(**options)
    return sorted(table.index[segment_of(table) == "챔피언"].astype(str))


def _segment_counts(**options) -> pd.Series:
    counts = segment_of(rfm_table(**options)).value_counts()
    return counts.reindex(list(SEGMENTS), fill_value=0).astype(int)


@question(
    "a02.champion_ids", variable="champion_ids", kind="idset",
    hint="11월 1일 0시 기준 친구이면서 주문이 있는 친구마다 마지막 주문 시각·주문 수·주문 금액 합계를 구해, 세 값 각각에 "
         "평균 순위의 백분율(rank(pct=True))을 5배 해서 올림한 1~5점을 주세요(마지막 주문 시각에 매기면 최근일수록 R이 높아요). "
         "챔피언은 R·F·M이 모두 4점 이상이에요.",
    mistakes=(
        (lambda: _champions(invert_recency=False),
         "R 점수를 거꾸로 매겼어요. 경과일이 짧을수록(최근에 샀을수록) R이 5점이에요."),
        (lambda: _champions(include_blocked=True),
         "11월 1일 0시 전에 차단한 친구까지 점수를 매겼어요. 기준 시각에 친구인 사람만 남기세요."),
        (lambda: _champions(ties="first"),
         "동점을 friend_id 순서로 갈랐어요(rank(method='first')로 똑같이 다섯 묶음). 주문 수가 같은 친구는 같은 점수여야 해요. "
         "평균 순위 rank(method='average', pct=True)로 점수를 매기세요."),
    ),
    skills=("타깃 발송",),
)
def champion_ids() -> list[str]:
    return _champions()


@question(
    "a02.segment_counts", variable="segment_counts", kind="table",
    hint="문제 1에서 만든 R·F·M 점수 표(1절의 aug_rfm처럼 친구 한 명당 한 줄, 열 R, F, M)에 세그먼트 규칙을 위에서부터 적용해 줄마다 세그먼트 이름을 하나씩 "
         "붙이고(먼저 맞는 규칙이 이겨요), 그 이름을 value_counts()로 세요. 다섯 세그먼트를 모두 넣어요.",
    mistakes=(
        (lambda: _segment_counts(include_blocked=True),
         "11월 1일 0시 전에 차단한 친구까지 셌어요. 기준 시각에 친구인 사람만 남기세요."),
        (lambda: _segment_counts(invert_recency=False),
         "R 점수를 거꾸로 매겼어요. 최근에 샀을수록 R이 5점이에요."),
        (lambda: _segment_counts(ties="first"),
         "동점을 friend_id 순서로 갈랐어요(rank(method='first')로 똑같이 다섯 묶음). 주문 수가 같은 친구는 같은 점수여야 해요. "
         "평균 순위 rank(method='average', pct=True)로 점수를 매기세요."),
    ),
    skills=("타깃 발송", "휴면 고객"),
)
def segment_counts() -> pd.Series:
    return _segment_counts()


# ---------------------------------------------------------------------------- block-risk model

def message_rows() -> pd.DataFrame:
    """Delivered messages sent at or after MODEL_START with the send time, the friend's source and age band, and the
    features (counted on the whole log)."""
    def compute() -> pd.DataFrame:
        friends = load("friends")
        deliveries = load("deliveries")
        campaigns = load("campaigns")[["campaign_id", "sent_at"]]
        rows = deliveries[deliveries["delivered"]].merge(campaigns, on="campaign_id")
        rows = rows.merge(friends[["friend_id", "source", "age_band"]], on="friend_id")
        ids = friends["friend_id"]
        rows["recent_7d"] = count_before(rows["friend_id"], rows["sent_at"], rows["friend_id"], rows["sent_at"],
                                         RECENT_DAYS, ids)
        clicks = deliveries[deliveries["clicked"]]
        rows["clicked_30d"] = count_before(clicks["friend_id"], clicks["clicked_at"], rows["friend_id"], rows["sent_at"],
                                           CLICK_DAYS, ids) > 0
        return rows[rows["sent_at"] >= MODEL_START].reset_index(drop=True)

    return _cached("message_rows", compute)


def design(rows: pd.DataFrame) -> pd.DataFrame:
    """The model's X: the 7-day count, source and age dummies (first category dropped), past click, a constant."""
    dummies = pd.get_dummies(rows[["source", "age_band"]], drop_first=True, dtype=float)
    X = pd.concat([rows[["recent_7d"]].astype(float), dummies, rows[["clicked_30d"]].astype(float)], axis=1)
    return sm.add_constant(X, has_constant="add")


def _period(rows: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    return rows[(rows["sent_at"] >= start) & (rows["sent_at"] < end)].reset_index(drop=True)


def training_rows() -> pd.DataFrame:
    """The messages the model learns from: sent in [MODEL_START, HOLDOUT_START)."""
    return _cached("training_rows", lambda: _period(message_rows(), MODEL_START, HOLDOUT_START))


def holdout_rows() -> pd.DataFrame:
    """The messages held out to judge it: sent in [HOLDOUT_START, HOLDOUT_END), their 24 hours inside the record."""
    return _cached("holdout_rows", lambda: _period(message_rows(), HOLDOUT_START, HOLDOUT_END))


def model():
    """The block-risk Logit fitted on the training months only."""
    def compute():
        rows = training_rows()
        return sm.Logit(rows["blocked_24h"].astype(float), design(rows)).fit(disp=0)

    return _cached("model", compute)


def holdout_risk() -> np.ndarray:
    """The model's block probability of every held-out message."""
    return _cached("holdout_risk", lambda: np.asarray(model().predict(_aligned(design(holdout_rows())))))


def _aligned(X: pd.DataFrame) -> np.ndarray:
    assert list(X.columns) == list(model().params.index)
    return X.to_numpy()


def _block_rate_by_recent(shift: int = 0) -> pd.Series:
    rows = message_rows()
    counts = rows["recent_7d"] + shift
    return rows["blocked_24h"].groupby(counts.clip(upper=TOP_COUNT).to_numpy()).mean().astype(float)


@question(
    "a02.block_rate_by_recent", variable="block_rate_by_recent", kind="table", decimals=5,
    hint='건수는 2절의 count_before(events, moments, 7)로 세요. 3절의 received_events처럼 reached[["friend_id", '
         '"sent_at"]]의 열 이름을 at으로 바꾼 표를 events와 moments 둘 다로 넣으면, 줄마다 [발송 시각 − 7일, 발송 시각)에 받은 메시지 수가 나와요. '
         "건수는 reached 전체로 세고, 평균은 reached[in_model]에서 clip(upper=6)으로 묶은 건수별 groupby로 구해요.",
    mistakes=(
        (lambda: _block_rate_by_recent(shift=1),
         "이번 메시지까지 7일 수신 건수에 넣었어요. 창은 발송 시각 '미만'까지라 이번 메시지는 빼요."),
    ),
    skills=("차단율",),
)
def block_rate_by_recent() -> pd.Series:
    return _block_rate_by_recent()


def _odds_table(values: pd.Series) -> pd.Series:
    return pd.Series({label: float(values[column]) for label, column in TERMS.items()})


def _in_sample_model():
    """The mistake of fitting on every message from 31 May, the held-out months included."""
    rows = message_rows()
    return sm.Logit(rows["blocked_24h"].astype(float), design(rows)).fit(disp=0)


@question(
    "a02.block_odds_ratios", variable="block_odds_ratios", kind="table", decimals=3,
    hint="학습 기간(5월 31일 0시 이상 9월 1일 0시 미만)에 보낸 메시지만으로 sm.Logit(y, sm.add_constant(X)).fit()을 맞추고, "
         "계수(params)에 np.exp를 씌운 값이 오즈비예요. 물은 여섯 항목만 골라 이름을 바꿔 넣으세요.",
    mistakes=(
        (lambda: _odds_table(model().params),
         "로그 오즈(계수 그대로)를 넣었어요. 오즈비는 np.exp(계수)예요."),
        (lambda: _odds_table(np.exp(_cached("in_sample_model", _in_sample_model).params)),
         "9월 1일 이후의 메시지까지 넣어 맞췄어요. 9~10월은 모델을 검증할 기간이라 학습에서 빼 두어요."),
    ),
    skills=("차단율",),
)
def block_odds_ratios() -> pd.Series:
    return _odds_table(np.exp(model().params))


def _auc(predicted: np.ndarray, blocked: np.ndarray, swap: bool = False) -> float:
    first, second = (predicted[~blocked], predicted[blocked]) if swap else (predicted[blocked], predicted[~blocked])
    u = mannwhitneyu(first, second, alternative="two-sided").statistic
    return float(u / (len(first) * len(second)))


def _holdout_blocked() -> np.ndarray:
    return holdout_rows()["blocked_24h"].to_numpy()


@question(
    "a02.block_auc", variable="block_auc", kind="number", decimals=3,
    hint="2절의 auc_of(risk, blocked)가 바로 이 계산이에요(U ÷ 두 그룹 크기의 곱). 검증 기간 설명 변수 표는 문제 4의 표를 만든 방법 그대로 만들고, "
         "2절 source_design의 X[source_model.params.index]처럼 block_model.params.index로 열 순서를 맞춘 뒤 예측해요.",
    mistakes=(
        (lambda: _auc(holdout_risk(), _holdout_blocked(), swap=True),
         "두 그룹의 순서를 바꿨어요(1 − AUC가 나와요). mannwhitneyu의 첫 번째 인자에 차단한 쪽의 예측 확률을 넣어요."),
        (lambda: _auc(np.asarray(model().predict()), training_rows()["blocked_24h"].to_numpy()),
         "모델이 학습한 메시지로 AUC를 쟀어요(학습 데이터 안의 AUC는 낙관적이에요). 떼어 둔 9~10월 메시지로 재세요."),
    ),
    skills=("차단율",),
)
def block_auc() -> float:
    return _auc(holdout_risk(), _holdout_blocked())


def _totals(predicted: np.ndarray, blocked: np.ndarray) -> pd.Series:
    return pd.Series({"예측": float(predicted.sum()), "실제": float(blocked.sum())})


@question(
    "a02.holdout_blocks", variable="holdout_blocks", kind="table", decimals=1,
    hint="2절 보정 예제의 마지막 줄(holdout_source_risk.sum(), holdout_blocked.sum())과 같은 계산을 문제 5의 holdout_risk와 "
         '검증 기간의 blocked_24h로 해요. 두 값을 pd.Series({"예측": ..., "실제": ...})로 담아요.',
    mistakes=(
        (lambda: _totals(np.asarray(model().predict()), training_rows()["blocked_24h"].to_numpy()),
         "학습 기간의 메시지로 셌어요. 모델은 자기가 배운 기간의 합계는 거의 그대로 맞혀요(로지스틱 회귀의 성질). "
         "떼어 둔 9~10월 메시지로 견주세요."),
        (lambda: _totals(holdout_risk(), _holdout_blocked()) / len(holdout_rows()),
         "한 건당 평균을 넣었어요. 물은 것은 검증 기간 전체의 합계(명)예요."),
    ),
    skills=("차단율",),
)
def holdout_blocks() -> pd.Series:
    return _totals(holdout_risk(), _holdout_blocked())


# ------------------------------------------------------------------------------ automation rule

def snapshot(moment: pd.Timestamp = SEND_AT, include_blocked: bool = False) -> pd.DataFrame:
    """Every friend as of ``moment`` (friends then, unless ``include_blocked``): consent, the model's features,
    and the dormancy facts (ordered ever before, ordered or clicked in the 60 days before). A fresh copy of a cached
    table."""
    return _cached(f"snapshot_{moment}_{include_blocked}", lambda: _snapshot(moment, include_blocked)).copy()


def _snapshot(moment: pd.Timestamp, include_blocked: bool) -> pd.DataFrame:
    friends = load("friends")
    keep = friends["added_at"] < moment if include_blocked else _is_friend(friends, moment)
    people = friends[keep].sort_values("friend_id").reset_index(drop=True)
    at = pd.Series(moment, index=people.index)
    ids = friends["friend_id"]
    deliveries = load("deliveries")
    reached = deliveries[deliveries["delivered"]].merge(load("campaigns")[["campaign_id", "sent_at"]], on="campaign_id")
    clicks = deliveries[deliveries["clicked"]]
    orders = load("orders")
    orders = orders[orders["ordered_at"] < moment]
    people["recent_7d"] = count_before(reached["friend_id"], reached["sent_at"], people["friend_id"], at, RECENT_DAYS, ids)
    people["clicked_30d"] = count_before(clicks["friend_id"], clicks["clicked_at"], people["friend_id"], at,
                                         CLICK_DAYS, ids) > 0
    people["clicks_60d"] = count_before(clicks["friend_id"], clicks["clicked_at"], people["friend_id"], at,
                                        DORMANT_DAYS, ids)
    people["orders_60d"] = count_before(orders["friend_id"], orders["ordered_at"], people["friend_id"], at,
                                        DORMANT_DAYS, ids)
    people["ordered_ever"] = people["friend_id"].isin(orders["friend_id"])
    return people


def _legal(people: pd.DataFrame, night: bool = False, cap: int | None = CAP_BEFORE) -> pd.Series:
    """Who may receive an ad at the send time: consent to ads and under the cap (19:30 is day: no night consent;
    ``night`` is the mistake of asking for it, ``cap=None`` that of forgetting the cap)."""
    keep = people["ad_consent"].copy()
    if cap is not None:
        keep &= people["recent_7d"] <= cap
    if night:
        keep &= people["night_ad_consent"]
    return keep


def _rule(people: pd.DataFrame, night: bool = False, cap: int = CAP_BEFORE, clicks: bool = True) -> pd.Series:
    keep = _legal(people, night, cap) & people["ordered_ever"] & (people["orders_60d"] == 0)
    if clicks:
        keep &= people["clicks_60d"] == 0
    return keep


def _reengage(include_blocked: bool = False, **options) -> list[str]:
    people = snapshot(include_blocked=include_blocked)
    return sorted(people.loc[_rule(people, **options), "friend_id"].astype(str))


@question(
    "a02.reengage_ids", variable="reengage_ids", kind="idset",
    hint="3절 환영 쿠폰 예제(noon_people, steps)를 19:30으로 옮겨요. 친구 여부는 added_at·blocked_at으로, 7일 수신은 "
         "count_before(received_events, people, 7)로 세고, 60일 휴면은 count_before(order_events, people, 60)와 "
         "count_before(click_events, people, 60)가 둘 다 0인지로 봐요. 주문한 적은 발송 시각 전 orders의 friend_id로 isin해요.",
    mistakes=(
        (lambda: _reengage(night=True),
         "야간 광고 동의까지 요구했어요. 19:30은 야간이 아니에요. 카카오 채널에서는 20:50~08:00에 광고를 아예 못 보내니, "
         "야간 동의로 열리는 시간도 없어요."),
        (lambda: _reengage(include_blocked=True),
         "차단한 친구까지 넣었어요. 차단한 사람은 받지 못해요. 발송 시각에 친구인 사람만 남기세요."),
        (lambda: _reengage(cap=CAP_BEFORE - 1),
         "발송 상한을 하나 모자라게 잡았어요. 이번 메시지를 포함해 7일에 4건까지라, 지난 7일에 받은 메시지가 3건인 친구도 받을 수 있어요."),
        (lambda: _reengage(clicks=False),
         "휴면 기준에서 클릭을 빠뜨렸어요. 최근 60일에 주문도 클릭도 없는 친구만 휴면이에요."),
    ),
    skills=("휴면 고객", "광고 메시지"),
)
def reengage_ids() -> list[str]:
    return _reengage()


def block_risk(people: pd.DataFrame, shift: int = 0, counts_last: bool = False) -> pd.Series:
    """The model's block probability of each friend (features as of the send; ``shift`` adds to the 7-day count).

    ``counts_last`` is the mistake of a prediction matrix whose columns are in another order than the fitted
    model's (the two counts appended after the dummies): statsmodels' ``predict`` multiplies by position."""
    X = design(people.assign(recent_7d=people["recent_7d"] + shift))
    if counts_last:
        X = X[[c for c in X.columns if c not in ("recent_7d", "clicked_30d")] + ["recent_7d", "clicked_30d"]]
        return pd.Series(model().predict(X.to_numpy()), index=people.index)
    return pd.Series(model().predict(_aligned(X)), index=people.index)


LIST, LEGAL = "재참여 목록", "보낼 수 있는 친구 전체"


def _per_recipient(baseline: str = "legal", shift: int = 0, counts_last: bool = False, total: bool = False) -> pd.Series:
    people = snapshot()
    risk = block_risk(people, shift, counts_last)
    base = {"legal": _legal(people), "ad_only": _legal(people, cap=None)}
    chosen, others = risk[_rule(people)], risk[base[baseline]]
    summary = (lambda part: float(part.sum())) if total else (lambda part: float(part.mean()))
    return pd.Series({LIST: summary(chosen), LEGAL: summary(others)})


@question(
    "a02.risk_per_recipient", variable="risk_per_recipient", kind="table", decimals=5,
    hint='3절의 noon_people["block_risk"] 예제처럼 예측해요. 먼저 people에 발송 시각 기준으로 '
         "recent_7d(count_before(received_events, people, 7))와 clicked_30d(count_before(click_events, "
         "people, 30) > 0)를 다시 넣고, 문제 4의 설명 변수 표를 block_model.params.index 순서로 맞춰 예측한 뒤, rule과 legal인 친구의 "
         "평균을 각각 구해요.",
    mistakes=(
        (lambda: _per_recipient(baseline="ad_only"),
         "비교 대상에 발송 상한을 넘은 친구를 넣었어요. 지난 7일에 4건 이상 받은 친구에게는 이번에 보낼 수 없어요. "
         "비교 대상은 규칙 없이도 동의와 발송 상한을 지켜 보낼 수 있는 친구 전체예요."),
        (lambda: _per_recipient(shift=1),
         "이번 메시지까지 7일 수신 건수에 넣었어요. 모델을 만들 때처럼 발송 시각 '전' 7일에 받은 메시지만 세요."),
        (lambda: _per_recipient(total=True),
         "합계(예상 차단 수)를 넣었어요. 인원이 다른 두 목록은 한 명당 평균 확률로 견줘요."),
        (lambda: _per_recipient(counts_last=True),
         "예측에 넣은 설명 변수 표의 열 순서가 문제 4와 달라요(두 건수 열을 더미 열 뒤에 붙였어요). predict는 열 이름이 아니라 "
         "순서로 계수를 곱해요. 모델을 맞춘 표와 같은 순서로 맞추세요(예: people_X[model_X.columns])."),
    ),
    skills=("차단율", "휴면 고객"),
)
def risk_per_recipient() -> pd.Series:
    return _per_recipient()
