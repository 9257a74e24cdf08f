"""Keys for beginner/04_smart_goals (성과 측정과 SMART 목표): click rates by type, weekday and hour,
fatigue (block rate by messages received in the previous 168 hours), and a SMART goal on 클릭률.

Every rate is pooled: clicks (or blocks) summed over delivered rows ÷ delivered rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course import load

from . import question

WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")  # pandas day_of_week 0..6
BASELINE = (pd.Timestamp("2026-05-01"), pd.Timestamp("2026-08-01"))  # three months before the goal
GOAL_PERIOD = (pd.Timestamp("2026-08-01"), pd.Timestamp("2026-11-01"))
LIFT = 1.10  # achievability rule: 10 % above the baseline
FATIGUE_WINDOW = pd.Timedelta(hours=168)
TOP_BUCKET = 6  # 0, 1, 2, 3, 4, 5 and "6+"


def _table(series: pd.Series) -> pd.Series:
    """A table answer: one float per label, labels as text ("12", "캐러셀형", "6+")."""
    return pd.Series(series.to_numpy(dtype=float), index=[str(label) for label in series.index], dtype=float)


def _sends(delivered_only: bool = True) -> pd.DataFrame:
    """Deliveries with their message's send time, type, target and A/B test."""
    deliveries = load("deliveries")
    if delivered_only:
        deliveries = deliveries[deliveries["delivered"]]
    info = load("campaigns")[["campaign_id", "sent_at", "msg_type", "target", "ab_test"]]
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
    hint="도달한 줄(delivered)만 남기고 msg_type별로 클릭한 친구 수 ÷ 도달 수를 구해요 (메시지별 비율을 평균하지 않아요).",
    mistakes=(
        (lambda: _table(_pooled(_sends(delivered_only=False), "msg_type")),
         "분모에 도달하지 못한 메시지까지 넣었어요. 클릭률의 분모는 도달한 메시지 수예요."),
        (lambda: _table(_per_message(_sends(), "msg_type")),
         "메시지별 클릭률을 단순 평균했어요. 유형 전체의 클릭 수를 유형 전체의 도달 수로 나눠요."),
        (lambda: _table(100 * _pooled(_sends(), "msg_type")),
         "클릭률은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
)
def click_rate_by_type() -> pd.Series:
    return _table(_pooled(_sends(), "msg_type"))


# 2. click rate by weekday ----------------------------------------------------------------------

@question(
    "b04.click_rate_by_weekday", variable="click_rate_by_weekday", kind="table", decimals=4,
    hint="campaigns.sent_at의 요일(월~일)로 묶어, 도달한 줄만으로 클릭 수 ÷ 도달 수를 구해요. 발송이 있는 요일만 남아요.",
    mistakes=(
        (lambda: _table(_pooled(_sends(delivered_only=False).assign(day=_weekday), "day")),
         "분모에 도달하지 못한 메시지까지 넣었어요. 도달한 줄만 남기고 나눠요."),
        (lambda: _table(100 * _pooled(_sends(), _weekday(_sends()))),
         "클릭률은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
)
def click_rate_by_weekday() -> pd.Series:
    sends = _sends()
    return _table(_pooled(sends, _weekday(sends)))


# 3. click rate by send hour --------------------------------------------------------------------

def _hour(rows: pd.DataFrame) -> pd.Series:
    return rows["sent_at"].dt.hour


@question(
    "b04.click_rate_by_hour", variable="click_rate_by_hour", kind="table", decimals=4,
    hint="campaigns.sent_at의 시(0~23, 13시 30분 발송은 13)로 묶어요. A/B 테스트 발송도 넣고, 도달한 줄만으로 나눠요.",
    mistakes=(
        (lambda: _table(_pooled(_sends(delivered_only=False), _hour(_sends(delivered_only=False)))),
         "분모에 도달하지 못한 메시지까지 넣었어요. 도달한 줄만 남기고 나눠요."),
        (lambda: _table(100 * _pooled(_sends(), _hour(_sends()))),
         "클릭률은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
)
def click_rate_by_hour() -> pd.Series:
    sends = _sends()
    return _table(_pooled(sends, _hour(sends)))


# 4. fatigue: block rate by messages received in the previous 168 hours ----------------------------

def _received_before(sends: pd.DataFrame) -> pd.Series:
    """For each row, how many rows of the same friend were sent in [sent_at − 168 h, sent_at)."""
    ordered = sends.sort_values(["friend_id", "sent_at"])
    friend = pd.factorize(ordered["friend_id"], sort=True)[0].astype(np.int64)
    seconds = ordered["sent_at"].to_numpy().astype("datetime64[s]").astype(np.int64)
    key = friend * 10**10 + seconds  # sorted: friend first, then time
    window = int(FATIGUE_WINDOW.total_seconds())
    count = np.searchsorted(key, key, side="left") - np.searchsorted(key, key - window, side="left")
    return pd.Series(count, index=ordered.index).reindex(sends.index)


def _bucket(count: pd.Series) -> pd.Series:
    return count.clip(upper=TOP_BUCKET).map(lambda n: f"{n}+" if n == TOP_BUCKET else str(n))


def _fatigue(sends: pd.DataFrame, count: pd.Series) -> pd.Series:
    return _table(_pooled(sends, _bucket(count), "blocked_24h"))


def _same_calendar_week(sends: pd.DataFrame) -> pd.Series:
    """Mistake: messages earlier in the same Monday-to-Sunday week instead of the previous 168 hours."""
    week = sends["sent_at"].dt.normalize() - pd.to_timedelta(sends["sent_at"].dt.day_of_week, unit="D")
    ordered = sends.assign(week=week).sort_values(["friend_id", "sent_at"])
    return ordered.groupby(["friend_id", "week"]).cumcount().reindex(sends.index)


@question(
    "b04.fatigue_block_rate", variable="fatigue_block_rate", kind="table", decimals=5,
    hint="도달한 메시지마다, 같은 친구가 그 발송 전 168시간(발송 시각 − 168시간 이상, 발송 시각 미만) 안에 받은 메시지 수를 세고 "
         "0, 1, 2, 3, 4, 5, 6+로 묶어 24시간 안 차단 수 ÷ 도달 수를 구해요.",
    mistakes=(
        (lambda: _fatigue(_sends(), _received_before(_sends()) + 1),
         "지금 받은 메시지까지 셌어요. 이 메시지보다 먼저 받은 메시지만 세요 (처음 받은 메시지는 0이에요)."),
        (lambda: _fatigue(_sends(), _same_calendar_week(_sends())),
         "같은 주(월~일)에 앞서 받은 메시지를 셌어요. 달력의 주가 아니라 발송 직전 168시간을 봐요."),
        (lambda: _fatigue(_sends(delivered_only=False), _received_before(_sends(delivered_only=False))),
         "도달하지 못한 메시지까지 넣었어요. 받은 메시지 수를 셀 때도, 차단율의 분모에도 도달한 메시지만 써요."),
        (lambda: _table(100 * _fatigue(_sends(), _received_before(_sends()))),
         "차단율은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
)
def fatigue_block_rate() -> pd.Series:
    sends = _sends()
    return _fatigue(sends, _received_before(sends))


# 5-7. SMART goal on 클릭률 ------------------------------------------------------------------------

def _window(rows: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    start, end = window
    return rows[(rows["sent_at"] >= start) & (rows["sent_at"] < end)]


@question(
    "b04.baseline_click_rate", variable="baseline_click_rate", kind="number", decimals=5,
    hint="5월 1일 0시 이상 8월 1일 0시 미만에 보낸 메시지의 도달한 줄 전체에서 클릭 수 ÷ 도달 수예요 (석 달을 한꺼번에).",
    mistakes=(
        (lambda: float(_window(_sends(), BASELINE).groupby(_window(_sends(), BASELINE)["sent_at"].dt.month)["clicked"]
                       .mean().mean()),
         "달마다 클릭률을 구해 평균했어요. 석 달의 클릭 수 합계를 석 달의 도달 수 합계로 나눠요."),
        (lambda: float(_window(_sends(delivered_only=False), BASELINE)["clicked"].mean()),
         "분모에 도달하지 못한 메시지까지 넣었어요. 클릭률의 분모는 도달한 메시지 수예요."),
        (lambda: float(_window(_sends(), BASELINE).groupby("campaign_id")["clicked"].mean().mean()),
         "메시지별 클릭률을 단순 평균했어요. 클릭 수 합계를 도달 수 합계로 나눠요."),
        (lambda: float(_window(_sends(), GOAL_PERIOD)["clicked"].mean()),
         "목표 기간(8~10월)으로 기준선을 잡았어요. 기준선은 목표를 세우기 전 석 달(5~7월)이에요."),
    ),
)
def baseline_click_rate() -> float:
    return float(_window(_sends(), BASELINE)["clicked"].mean())


@question(
    "b04.target_click_rate", variable="target_click_rate", kind="number", decimals=5,
    hint="달성 가능성 규칙: 목표 = 기준선 × 1.10 (기준선보다 10% 높게)이에요.",
    mistakes=(
        (lambda: baseline_click_rate() + 0.10,
         "10%p(0.10)를 더했어요. '10% 높게'는 기준선에 1.10을 곱하는 거예요."),
        (lambda: baseline_click_rate() * 0.10,
         "기준선의 10%만 남았어요. 기준선 × 1.10이에요."),
        (lambda: 100 * baseline_click_rate() * LIFT,
         "클릭률은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
)
def target_click_rate() -> float:
    return baseline_click_rate() * LIFT


def _goal_click_rate() -> float:
    return float(_window(_sends(), GOAL_PERIOD)["clicked"].mean())


@question(
    "b04.goal_progress", variable="goal_progress", kind="number", decimals=3,
    hint="진행률 = (목표 기간 클릭률 − 기준선) ÷ (목표 − 기준선). 목표 기간은 8월 1일 0시 이상 11월 1일 0시 미만이에요.",
    mistakes=(
        (lambda: _goal_click_rate() / target_click_rate(),
         "목표 기간 클릭률 ÷ 목표(달성률)를 구했어요. 진행률은 기준선에서 목표까지 올려야 할 폭 가운데 얼마나 왔는지예요."),
        (lambda: (_goal_click_rate() - baseline_click_rate()) / baseline_click_rate(),
         "기준선 대비 상승률을 구했어요. 올라간 폭을 기준선이 아니라 (목표 − 기준선)으로 나눠요."),
        (lambda: 100 * goal_progress(),
         "진행률은 소수로 적어 주세요 (예: 0.25). 100을 곱하지 않아요."),
    ),
)
def goal_progress() -> float:
    baseline = baseline_click_rate()
    return (_goal_click_rate() - baseline) / (target_click_rate() - baseline)


# 8. projected attainment at the check-in on 1 October ------------------------------------------

CHECK_IN = pd.Timestamp("2026-10-01")  # the mid-goal check-in: October's sends are not known yet


def _run_rate() -> float:
    """The goal period's click rate so far (Aug-Sep pooled), taken as the forecast for the whole period."""
    return float(_window(_sends(), (GOAL_PERIOD[0], CHECK_IN))["clicked"].mean())


def _progress(rate: float) -> float:
    baseline = baseline_click_rate()
    return (rate - baseline) / (target_click_rate() - baseline)


@question(
    "b04.projected_progress", variable="projected_progress", kind="number", decimals=4,
    hint="10월 1일 0시에는 8월 1일 0시 이상 10월 1일 0시 미만에 보낸 메시지만 알아요. 그 클릭률(합계끼리)이 10월에도 "
         "이어진다고 보고 (예상 클릭률 − 기준선) ÷ (목표 − 기준선)을 구해요.",
    mistakes=(
        (lambda: goal_progress(),
         "10월에 보낸 메시지까지 넣었어요. 10월 1일 점검 때는 아직 10월 데이터가 없어요."),
        (lambda: _progress(float(_window(_sends(), (GOAL_PERIOD[0], CHECK_IN)).groupby(
            _window(_sends(), (GOAL_PERIOD[0], CHECK_IN))["sent_at"].dt.month)["clicked"].mean().mean())),
         "8월과 9월의 클릭률을 따로 구해 평균했어요. 두 달의 클릭 수 합계를 도달 수 합계로 나눠요."),
        (lambda: _run_rate() / target_click_rate(),
         "예상 클릭률 ÷ 목표(달성률)를 구했어요. 진행률은 (예상 − 기준선) ÷ (목표 − 기준선)이에요."),
    ),
)
def projected_progress() -> float:
    return _progress(_run_rate())
