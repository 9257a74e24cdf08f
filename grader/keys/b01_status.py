"""Keys for beginner/01_channel_status (채널 현황 읽기): friends, 순증, blocks, moving averages."""

from __future__ import annotations

import pandas as pd

from course import load

from . import question

END_OF_JULY = pd.Timestamp("2026-08-01")  # 2026-07-31 24:00
AUGUST = (pd.Timestamp("2026-08-01"), pd.Timestamp("2026-09-01"))
SALE_WEEK = (pd.Timestamp("2026-07-13"), pd.Timestamp("2026-07-20"))


def _daily() -> pd.DataFrame:
    return load("daily_stats").set_index("date")


def _in(series: pd.Series, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.Series:
    start, end = window
    return (series >= start) & (series < end)


def _sale_week_deliveries() -> pd.DataFrame:
    campaigns = load("campaigns")
    week = campaigns[_in(campaigns["sent_at"], SALE_WEEK)]
    return load("deliveries").merge(week[["campaign_id", "n_targeted"]], on="campaign_id")


@question(
    "b01.friends_end_of_july", variable="friends_end_of_july", kind="int",
    hint="1절 예제(6월 30일 기준)의 기준 시각을 \"2026-08-01\"로 바꿔 보세요: friends에서 added_at이 그 전이고, "
         "blocked_at이 비어 있거나(isna) 그 이후인 줄을 세요. daily_stats의 7월 31일 friends_total과 같아야 해요.",
    mistakes=(
        (lambda: int((load("friends")["added_at"] < END_OF_JULY).sum()),
         "차단한 친구까지 셌어요. 7월 31일까지 차단한 친구는 빼야 해요."),
        (lambda: int(((load("friends")["added_at"] < END_OF_JULY) & load("friends")["blocked_at"].isna()).sum()),
         "지금(10월 31일) 기준으로 차단 여부를 봤어요. 7월 31일 24시 기준으로, 그 뒤에 차단한 친구는 그때 아직 친구였어요."),
    ),
    skills=("친구 수",),
)
def friends_end_of_july() -> int:
    friends = load("friends")
    still = friends["blocked_at"].isna() | (friends["blocked_at"] >= END_OF_JULY)
    return int(((friends["added_at"] < END_OF_JULY) & still).sum())


@question(
    "b01.net_adds_august", variable="net_adds_august", kind="int",
    hint="2절의 6월 순증 예제와 같아요: daily_stats에서 date가 \"2026-08-01\" 이상 \"2026-09-01\" 미만인 줄을 고르고 "
         "added 합계에서 blocked 합계를 빼요. 고른 줄이 31개인지 len()으로 확인해 보세요.",
    mistakes=(
        (lambda: int(_daily().loc["2026-08", "added"].sum()),
         "차단한 친구를 빼지 않았어요. 순증은 추가에서 차단을 뺀 값이에요."),
        (lambda: int((_daily().loc["2026-08-01":"2026-08-30", "added"] - _daily().loc["2026-08-01":"2026-08-30", "blocked"]).sum()),
         "8월 31일 하루가 빠졌어요. 끝을 '8월 31일 0시'로 잡으면 마지막 날이 통째로 빠져요."),
        (lambda: int(_daily().loc["2026-08-31", "friends_total"] - _daily().loc["2026-08-01", "friends_total"]),
         "8월 1일 하루의 변화가 빠졌어요. 7월 31일 친구 수와 비교해야 8월 한 달 전체가 들어가요."),
    ),
    skills=("순증",),
)
def net_adds_august() -> int:
    month = _daily().loc["2026-08"]
    return int(month["added"].sum() - month["blocked"].sum())


@question(
    "b01.worst_block_day", variable="worst_block_day", kind="date",
    hint="daily[\"blocked\"].idxmax()는 값이 가장 큰 줄의 번호(같은 값이면 앞선 줄)를 줘요. "
         "그 줄의 date는 daily.loc[번호, \"date\"]로 꺼내요.",
    mistakes=(
        (lambda: _daily()["added"].idxmax(),
         "친구 추가가 가장 많은 날을 골랐어요. blocked 열을 보세요."),
    ),
    skills=("순증",),
)
def worst_block_day() -> pd.Timestamp:
    return _daily()["blocked"].idxmax()


@question(
    "b01.avg_daily_adds_last_4w", variable="avg_daily_adds_last_4w", kind="number", decimals=1,
    hint="daily_stats에서 date가 \"2026-10-04\" 이상 \"2026-11-01\" 미만인 줄을 고르고 added 열의 .mean()을 구해요. "
         "고른 줄이 28개인지 len()으로 확인해 보세요.",
    mistakes=(
        (lambda: float(_daily()["added"].iloc[-30:].mean()),
         "30일 평균을 냈어요. 4주는 28일이에요."),
        (lambda: float(_daily()["added"].iloc[-29:].mean()),
         "하루가 더 들어갔어요(29일). 10월 4일부터 31일까지 28일만 넣어요."),
        (lambda: float((_daily()["added"] - _daily()["blocked"]).iloc[-28:].mean()),
         "순증의 평균을 냈어요. 문제는 추가한 친구 수의 평균이에요."),
    ),
    skills=("순증",),
)
def avg_daily_adds_last_4w() -> float:
    return float(_daily()["added"].iloc[-28:].mean())


@question(
    "b01.sale_week_block_rate", variable="sale_week_block_rate", kind="number", decimals=5,
    hint="4절의 5월 예제와 같은 모양이에요: campaigns의 sent_at으로 세일 기간 메시지를 고르고, deliveries에서 "
         "campaign_id가 그 메시지(isin)이면서 delivered가 참인 줄만 남긴 뒤 blocked_24h 합계 ÷ 줄 수.",
    mistakes=(
        (lambda: float(_sale_week_deliveries()["blocked_24h"].sum() / len(_sale_week_deliveries())),
         "분모에 도달하지 못한 메시지까지 넣었어요. 차단율의 분모는 도달한 메시지 수(delivered)예요."),
        (lambda: 100 * sale_week_block_rate(),
         "차단율은 0과 1 사이 소수로 적어 주세요 (예: 0.0123). 100을 곱하지 않아요."),
        (lambda: float(_sale_week_deliveries().query("delivered").groupby("campaign_id")["blocked_24h"].mean().mean()),
         "메시지별 차단율을 단순 평균했어요. 기간 전체의 blocked_24h 합계를 기간 전체 도달 수로 나눠요."),
    ),
    skills=("차단율",),
)
def sale_week_block_rate() -> float:
    delivered = _sale_week_deliveries().query("delivered")
    return float(delivered["blocked_24h"].sum() / len(delivered))


@question(
    "b01.blocked_ma7_peak", variable="blocked_ma7_peak", kind="number", decimals=2,
    hint="3절 그래프의 빨간 선(blocked_ma7)이 바로 이 7일 이동평균이에요. 그 Series에서 가장 큰 값은 .max()로 골라요 "
         "(앞 6일의 NaN은 max가 건너뛰어요).",
    mistakes=(
        (lambda: float(_daily()["blocked"].rolling(7).sum().max()),
         "7일 이동합계를 구했어요. 7로 나눈 평균이 필요해요."),
        (lambda: float(_daily()["blocked"].max()),
         "이동평균이 아니라 하루 차단 수의 최댓값이에요. rolling(7).mean()을 써 보세요."),
    ),
    skills=("순증",),
)
def blocked_ma7_peak() -> float:
    return float(_daily()["blocked"].rolling(7).mean().max())
