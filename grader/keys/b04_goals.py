"""Keys for beginner/04_smart_goals (성과 측정과 SMART 목표): click rates by type, weekday and hour,
fatigue (block rate by messages received in the previous 168 hours, read on informational messages in ordinary
weeks), and a SMART goal on the 클릭률 of 전체 발송 (a fixed mix) with a target set against the monthly swing.

Every rate is pooled: clicks (or blocks) summed over delivered rows ÷ delivered rows. The generator builds no trend
over the months, so the goal's progress is the mix held fixed plus chance; the lesson shows the campaign-resampled
interval of the change (``change_interval``) beside it.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from course import load

from . import _data_state, question

WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")  # pandas day_of_week 0..6
BASELINE = (pd.Timestamp("2026-05-01"), pd.Timestamp("2026-08-01"))  # three months before the goal
GOAL_PERIOD = (pd.Timestamp("2026-08-01"), pd.Timestamp("2026-11-01"))
LIFT = 1.10  # achievability rule: 10 % above the baseline
FATIGUE_WINDOW = pd.Timedelta(hours=168)


def _table(series: pd.Series) -> pd.Series:
    """A table answer: one float per label, labels as text ("12", "캐러셀형", "6+")."""
    return pd.Series(series.to_numpy(dtype=float), index=[str(label) for label in series.index], dtype=float)


def _sends(delivered_only: bool = True) -> pd.DataFrame:
    """Deliveries with their message's send time, type, ad flag, target and A/B test (shared: do not modify)."""
    return _sends_of(_data_state(), delivered_only)


@functools.lru_cache(maxsize=4)
def _sends_of(state: str, delivered_only: bool) -> pd.DataFrame:
    deliveries = load("deliveries")
    if delivered_only:
        deliveries = deliveries[deliveries["delivered"]]
    info = load("campaigns")[["campaign_id", "sent_at", "msg_type", "is_ad", "target", "ab_test"]]
    return deliveries.merge(info, on="campaign_id")


def _pooled(rows: pd.DataFrame, by, column: str = "clicked") -> pd.Series:
    return rows.groupby(by, observed=True)[column].mean()


def _per_message(rows: pd.DataFrame, by) -> pd.Series:
    """Mistake: the plain average of each message's own click rate."""
    per_message = rows.groupby("campaign_id", observed=True).agg(rate=("clicked", "mean"), group=(by, "first"))
    return per_message.groupby("group", observed=True)["rate"].mean()


def _weekday(rows: pd.DataFrame) -> pd.Series:
    return rows["sent_at"].dt.day_of_week.map(dict(enumerate(WEEKDAYS)))


# 1. click rate by message type ---------------------------------------------------------------

@question(
    "b04.click_rate_by_type", variable="click_rate_by_type", kind="table", decimals=4,
    hint="1절의 reached 표에는 이미 도달한 줄만 있어요. reached를 msg_type으로 groupby하고 clicked 열의 mean()을 내면 "
         "합계 ÷ 줄 수예요 (참/거짓 열의 평균).",
    mistakes=(
        (lambda: _table(_pooled(_sends(delivered_only=False), "msg_type")),
         "분모에 도달하지 못한 메시지까지 넣었어요. 클릭률의 분모는 도달한 메시지 수예요."),
        (lambda: _table(_per_message(_sends(), "msg_type")),
         "메시지별 클릭률을 단순 평균했어요. 유형 전체의 클릭 수를 유형 전체의 도달 수로 나눠요."),
        (lambda: _table(100 * _pooled(_sends(), "msg_type")),
         "클릭률은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
    skills=("클릭률",),
)
def click_rate_by_type() -> pd.Series:
    return _table(_pooled(_sends(), "msg_type"))


# 2. click rate by weekday ----------------------------------------------------------------------

@question(
    "b04.click_rate_by_weekday", variable="click_rate_by_weekday", kind="table", decimals=4,
    hint="2절 예제의 weekday_names 사전을 써요: reached[\"sent_at\"].dt.day_of_week.map(weekday_names)로 요일 이름을 만들고, "
         "그 이름으로 reached[\"clicked\"]를 groupby해 mean()을 내요.",
    mistakes=(
        (lambda: _table(_pooled(_sends(delivered_only=False).assign(day=_weekday), "day")),
         "분모에 도달하지 못한 메시지까지 넣었어요. 도달한 줄만 남기고 나눠요."),
        (lambda: _table(100 * _pooled(_sends(), _weekday(_sends()))),
         "클릭률은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
    skills=("클릭률",),
)
def click_rate_by_weekday() -> pd.Series:
    sends = _sends()
    return _table(_pooled(sends, _weekday(sends)))


# 3. click rate by send hour --------------------------------------------------------------------

def _hour(rows: pd.DataFrame) -> pd.Series:
    return rows["sent_at"].dt.hour


@question(
    "b04.click_rate_by_hour", variable="click_rate_by_hour", kind="table", decimals=4,
    hint="reached[\"sent_at\"].dt.hour가 발송 시(13시 30분이면 13)예요. 그것으로 groupby해 clicked의 mean()을 내요. "
         "reached에는 A/B 테스트 발송도 이미 들어 있으니 따로 거르지 않아요.",
    mistakes=(
        (lambda: _table(_pooled(_sends(delivered_only=False), _hour(_sends(delivered_only=False)))),
         "분모에 도달하지 못한 메시지까지 넣었어요. 도달한 줄만 남기고 나눠요."),
        (lambda: _table(100 * _pooled(_sends(), _hour(_sends()))),
         "클릭률은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
    skills=("클릭률",),
)
def click_rate_by_hour() -> pd.Series:
    sends = _sends()
    return _table(_pooled(sends, _hour(sends)))


# 4. fatigue: block rate by messages received in the previous 168 hours, in ordinary weeks ----------------------

FIRST_FULL_WEEK = pd.Timestamp("2026-05-08")  # 168 hours after the log starts: every earlier send lacks history
SALE_AND_AFTER = (pd.Timestamp("2026-07-13"), pd.Timestamp("2026-07-27"))  # the sale week and the 168 h after it
TOP_BUCKET = 4  # 0, 1, 2, 3 and "4+": an ordinary week brings a friend at most about four messages


def _received_before(sends: pd.DataFrame) -> pd.Series:
    """For each row, how many rows of the same friend were sent in [sent_at − 168 h, sent_at)."""
    ordered = sends.sort_values(["friend_id", "sent_at"])
    friend = pd.factorize(ordered["friend_id"], sort=True)[0].astype(np.int64)
    seconds = ordered["sent_at"].to_numpy().astype("datetime64[s]").astype(np.int64)
    key = friend * 10**10 + seconds  # sorted: friend first, then time
    window = int(FATIGUE_WINDOW.total_seconds())
    count = np.searchsorted(key, key, side="left") - np.searchsorted(key, key - window, side="left")
    return pd.Series(count, index=ordered.index).reindex(sends.index)


def _counts(delivered_only: bool = True) -> pd.Series:
    """``_received_before`` of ``_sends(delivered_only)``, computed once per data folder."""
    return _counts_of(_data_state(), delivered_only)


@functools.lru_cache(maxsize=4)
def _counts_of(state: str, delivered_only: bool) -> pd.Series:
    return _received_before(_sends(delivered_only))


def _bucket(count: pd.Series) -> pd.Series:
    return count.clip(upper=TOP_BUCKET).map(lambda n: f"{n}+" if n == TOP_BUCKET else str(n))


def _ordinary_informational(sends: pd.DataFrame) -> pd.Series:
    """Rows the curve is read on: informational messages, from the first full week on, outside the sale's two weeks
    (the sale days send only ads; the week after it counts the sale's ads as history)."""
    start, end = SALE_AND_AFTER
    at = sends["sent_at"]
    return ~sends["is_ad"] & (at >= FIRST_FULL_WEEK) & ~((at >= start) & (at < end))


def _fatigue(sends: pd.DataFrame, count: pd.Series, rows: pd.Series | None = None) -> pd.Series:
    rows = _ordinary_informational(sends) if rows is None else rows
    return _table(_pooled(sends[rows], _bucket(count[rows]), "blocked_24h"))


def _same_calendar_week(sends: pd.DataFrame) -> pd.Series:
    """Mistake: messages earlier in the same Monday-to-Sunday week instead of the previous 168 hours."""
    week = sends["sent_at"].dt.normalize() - pd.to_timedelta(sends["sent_at"].dt.day_of_week, unit="D")
    ordered = sends.assign(week=week).sort_values(["friend_id", "sent_at"])
    return ordered.groupby(["friend_id", "week"]).cumcount().reindex(sends.index)


def _counted_after_filtering() -> pd.Series:
    """Mistake: the rows filtered first, so the count misses the ads (and earlier weeks) the friend received."""
    sends = _sends()
    kept = sends[_ordinary_informational(sends)]
    return _fatigue(kept, _received_before(kept), pd.Series(True, index=kept.index))


def _every_row() -> pd.Series:
    """Mistake: no filter at all (ads, the first week and the sale's two weeks in)."""
    sends = _sends()
    return _fatigue(sends, _counts(), pd.Series(True, index=sends.index))


@question(
    "b04.fatigue_block_rate", variable="fatigue_block_rate", kind="table", decimals=5,
    hint="3절 예제의 merge_asof 두 단계를 window = pd.Timedelta(hours=168)로 바꿔 모든 도달 줄에서 먼저 세고, "
         "그다음에 줄을 골라요 (is_ad가 거짓, 5월 8일 0시 이상, 7월 13일 0시 ~ 7월 27일 0시 제외). "
         "묶음은 .clip(upper=4)로 만들고, 묶음마다 blocked_24h의 평균을 내요.",
    mistakes=(
        (lambda: _fatigue(_sends(), _counts() + 1),
         "지금 받은 메시지까지 셌어요. 이 메시지보다 먼저 받은 메시지만 세요 (처음 받은 메시지는 0이에요)."),
        (lambda: _fatigue(_sends(), _same_calendar_week(_sends())),
         "같은 주(월~일)에 앞서 받은 메시지를 셌어요. 달력의 주가 아니라 발송 직전 168시간을 봐요."),
        (lambda: _fatigue(_sends(delivered_only=False), _counts(delivered_only=False)),
         "도달하지 못한 메시지까지 넣었어요. 받은 메시지 수를 셀 때도, 차단율의 분모에도 도달한 메시지만 써요."),
        (_counted_after_filtering,
         "줄을 먼저 고른 뒤에 셌어요. 친구가 받은 메시지는 광고든 세일 주든 모두 세고, 줄은 센 다음에 골라요."),
        (_every_row,
         "줄을 고르지 않았어요. 정보성 메시지만, 5월 8일 0시부터, 세일 주와 그다음 주(7월 13일 0시 ~ 7월 27일 0시)는 빼요."),
        (lambda: _table(100 * _fatigue(_sends(), _counts())),
         "차단율은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
    skills=("차단율",),
)
def fatigue_block_rate() -> pd.Series:
    return _fatigue(_sends(), _counts())


# 5-8. SMART goal on the 클릭률 of 전체 발송 (a fixed mix: no segment, no A/B test) -----------------------------

BROADCAST = "전체"  # campaigns.target of a message sent to every friend; an A/B test's target names its test


def _window(rows: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    start, end = window
    return rows[(rows["sent_at"] >= start) & (rows["sent_at"] < end)]


def _broadcast(delivered_only: bool = True) -> pd.DataFrame:
    sends = _sends(delivered_only)
    return sends[sends["target"] == BROADCAST]


def _rate(rows: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp]) -> float:
    return float(_window(rows, window)["clicked"].mean())


def _monthly(rows: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp] = BASELINE) -> pd.Series:
    in_window = _window(rows, window)
    return in_window.groupby(in_window["sent_at"].dt.month)["clicked"].mean()


def _swing(monthly: pd.Series) -> float:
    """Highest minus lowest month."""
    return float(monthly.max() - monthly.min())


@question(
    "b04.baseline_click_rate", variable="baseline_click_rate", kind="number", decimals=5,
    hint="reached에서 target이 \"전체\"인 줄만 남기고, sent_at이 \"2026-05-01\" 이상 \"2026-08-01\" 미만인 줄의 "
         "clicked 평균을 내요 (.between(..., inclusive=\"left\")). A/B 테스트 발송은 target이 달라서 저절로 빠져요.",
    mistakes=(
        (lambda: _rate(_sends(), BASELINE),
         "모든 발송을 넣었어요. 기준선은 전체 발송(target이 \"전체\")만으로 재요: 타깃 발송 비중이 달마다 달라서예요."),
        (lambda: float(_monthly(_broadcast()).mean()),
         "달마다 클릭률을 구해 평균했어요. 석 달의 클릭 수 합계를 석 달의 도달 수 합계로 나눠요."),
        (lambda: _rate(_broadcast(delivered_only=False), BASELINE),
         "분모에 도달하지 못한 메시지까지 넣었어요. 클릭률의 분모는 도달한 메시지 수예요."),
        (lambda: float(_window(_broadcast(), BASELINE).groupby("campaign_id")["clicked"].mean().mean()),
         "메시지별 클릭률을 단순 평균했어요. 클릭 수 합계를 도달 수 합계로 나눠요."),
        (lambda: _rate(_broadcast(), GOAL_PERIOD),
         "목표 기간(8~10월)으로 기준선을 잡았어요. 기준선은 목표를 세우기 전 석 달(5~7월)이에요."),
    ),
    skills=("클릭률", "1차 지표"),
)
def baseline_click_rate() -> float:
    return _rate(_broadcast(), BASELINE)


@question(
    "b04.monthly_swing", variable="monthly_swing", kind="number", decimals=5,
    hint="문제 5의 줄을 sent_at.dt.month로 묶어 달마다 clicked 평균을 낸 뒤, .max() − .min()을 구해요. "
         "4절 예제의 타깃 발송 계산에서 target 조건만 바꾸면 돼요.",
    mistakes=(
        (lambda: _swing(_monthly(_sends())),
         "모든 발송으로 달마다 클릭률을 구했어요. 문제 5와 같은 전체 발송 줄만 써요."),
        (lambda: _swing(_monthly(_broadcast(), (BASELINE[0], GOAL_PERIOD[1]))),
         "여섯 달을 모두 넣었어요. 목표를 세우는 날(8월 1일)에는 기준선 석 달(5~7월)만 알아요."),
        (lambda: float(_monthly(_broadcast()).std()),
         "표준편차를 구했어요. 이 수업의 오르내린 폭은 가장 높은 달 − 가장 낮은 달이에요."),
        (lambda: 100 * monthly_swing(),
         "폭은 0과 1 사이 소수로 적어 주세요 (예: 0.008). 100을 곱하지 않아요."),
    ),
    skills=("클릭률",),
)
def monthly_swing() -> float:
    return _swing(_monthly(_broadcast()))


@question(
    "b04.target_click_rate", variable="target_click_rate", kind="number", decimals=5,
    hint="두 후보 baseline_click_rate * 1.10 과 baseline_click_rate + monthly_swing 을 구해 파이썬의 max(…, …)로 큰 쪽을 골라요.",
    mistakes=(
        (lambda: baseline_click_rate() * LIFT,
         "기준선 × 1.10만 썼어요. 달마다 오르내린 폭이 그보다 크면 목표는 기준선 + 오르내린 폭이에요 (둘 중 큰 쪽)."),
        (lambda: baseline_click_rate() + monthly_swing(),
         "기준선 + 오르내린 폭만 썼어요. 기준선 × 1.10이 더 크면 그쪽이 목표예요 (둘 중 큰 쪽)."),
        (lambda: max(baseline_click_rate() + 0.10, baseline_click_rate() + monthly_swing()),
         "10%p(0.10)를 더했어요. '10% 높게'는 기준선에 1.10을 곱하는 거예요."),
        (lambda: 100 * target_click_rate(),
         "클릭률은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
    skills=("클릭률", "1차 지표"),
)
def target_click_rate() -> float:
    baseline = baseline_click_rate()
    return max(baseline * LIFT, baseline + monthly_swing())


def _goal_click_rate() -> float:
    return _rate(_broadcast(), GOAL_PERIOD)


@question(
    "b04.goal_progress", variable="goal_progress", kind="number", decimals=3,
    hint="문제 5와 같은 전체 발송 줄에서 기간만 \"2026-08-01\" 이상 \"2026-11-01\" 미만으로 바꿔 clicked 평균을 내고, "
         "(그 값 − baseline_click_rate) ÷ (target_click_rate − baseline_click_rate)를 계산해요.",
    mistakes=(
        (lambda: _goal_click_rate() / target_click_rate(),
         "목표 기간 클릭률 ÷ 목표(달성률)를 구했어요. 진행률은 기준선에서 목표까지 올려야 할 폭 가운데 얼마나 왔는지예요."),
        (lambda: (_goal_click_rate() - baseline_click_rate()) / baseline_click_rate(),
         "기준선 대비 상승률을 구했어요. 올라간 폭을 기준선이 아니라 (목표 − 기준선)으로 나눠요."),
        (lambda: (_rate(_sends(), GOAL_PERIOD) - baseline_click_rate()) / (target_click_rate() - baseline_click_rate()),
         "목표 기간 클릭률에 모든 발송을 넣었어요. 기준선과 같은 전체 발송 줄로 재야 비교가 공정해요."),
        (lambda: 100 * goal_progress(),
         "진행률은 소수로 적어 주세요 (예: 0.25). 100을 곱하지 않아요."),
    ),
    skills=("클릭률", "1차 지표"),
)
def goal_progress() -> float:
    baseline = baseline_click_rate()
    return (_goal_click_rate() - baseline) / (target_click_rate() - baseline)


# The lesson's worked example after 문제 8 (not graded): the change's interval with campaigns as the unit.

RESAMPLES = 2000


def change_interval(seed: int = 2026) -> tuple[float, float]:
    """Percentile interval (2.5 %, 97.5 %) of goal-period − baseline 클릭률 of 전체 발송, the messages of each period
    resampled with replacement (the unit is the message: its friends share its title, type and hour); the draws in
    the lesson's order, so the lesson's cell prints these bounds."""
    per_message = _broadcast().groupby("campaign_id").agg(
        clicks=("clicked", "sum"), reached=("clicked", "size"), sent_at=("sent_at", "first"))
    before, during = (_window(per_message, window) for window in (BASELINE, GOAL_PERIOD))
    clicks_before, reached_before = before["clicks"].to_numpy(), before["reached"].to_numpy()
    clicks_during, reached_during = during["clicks"].to_numpy(), during["reached"].to_numpy()
    rng = np.random.default_rng(seed)
    changes = []
    for _ in range(RESAMPLES):
        pick_before = rng.integers(0, len(before), len(before))
        pick_during = rng.integers(0, len(during), len(during))
        changes.append(clicks_during[pick_during].sum() / reached_during[pick_during].sum()
                       - clicks_before[pick_before].sum() / reached_before[pick_before].sum())
    low, high = np.quantile(changes, [0.025, 0.975])
    return float(low), float(high)
