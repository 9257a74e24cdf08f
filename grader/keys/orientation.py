"""Keys for beginner/00_orientation: two warm-up questions, then one per pandas step the beginner tier uses
(rows by a condition, groupby, merge on an id, dates and time differences)."""

from __future__ import annotations

import pandas as pd

from course import load

from . import question

METRO = ("서울", "경기·인천")  # 수도권, as the question names it
AUGUST = (pd.Timestamp("2026-08-01"), pd.Timestamp("2026-09-01"))
DAY = pd.Timedelta(hours=24)


def _current_friends():
    friends = load("friends")
    return friends[friends["blocked_at"].isna()]


def _all_friends():
    return load("friends")


@question(
    "orientation.friends_now", variable="friends_now", kind="int",
    hint="friends 표의 blocked_at 열을 보세요. friends[\"blocked_at\"].isna()는 비어 있는(차단하지 않은) 줄이 True인 "
         "Series이고, .sum()은 True의 개수예요.",
    mistakes=(
        (lambda: len(_all_friends()),
         "차단한 친구까지 셌어요. 지금 친구는 blocked_at이 비어 있는 사람만이에요."),
        (lambda: int(_all_friends()["blocked_at"].notna().sum()),
         "차단한 친구 수를 셌어요. 지금 친구는 반대로 blocked_at이 비어 있는 사람이에요."),
    ),
    skills=("친구 수",),
)
def friends_now() -> int:
    """Friends at the end of the log (2026-10-31 24:00): added and not blocked."""
    return int(len(_current_friends()))


@question(
    "orientation.event_share", variable="event_share", kind="number", decimals=3,
    hint="먼저 friends[friends[\"blocked_at\"].isna()]로 지금 친구만 남기고, 그 표에서 (표[\"source\"] == \"이벤트\")의 "
         ".mean()을 구해요. 참/거짓의 평균이 곧 참의 비율이에요.",
    mistakes=(
        (lambda: float((_all_friends()["source"] == "이벤트").mean()),
         "차단한 친구까지 분모와 분자에 넣었어요. 지금 친구(차단하지 않은 친구)만으로 계산해 보세요."),
        (lambda: 100 * event_share(),
         "비율은 0과 1 사이 소수로 적어 주세요 (예: 0.125). 100을 곱하지 않아요."),
        (lambda: int((_current_friends()["source"] == "이벤트").sum()),
         "이벤트로 들어온 친구 수를 적었어요. 지금 친구 수로 나눠 비율로 만들어 보세요."),
    ),
    skills=("친구 수",),
)
def event_share() -> float:
    """Share of current friends who came through a giveaway event (0-1)."""
    current = _current_friends()
    return float((current["source"] == "이벤트").mean())


# ---------------------------------------------------------------- pandas step 1: rows by a condition


def _metro_ad(friends: pd.DataFrame, regions=METRO, consent: bool = True) -> int:
    chosen = friends["region"].isin(list(regions))
    if consent:
        chosen &= friends["ad_consent"]
    return int(chosen.sum())


@question(
    "orientation.metro_ad_friends", variable="metro_ad_friends", kind="int",
    hint="조건 세 개를 &로 묶어요: friends[\"blocked_at\"].isna(), friends[\"region\"].isin([\"서울\", \"경기·인천\"]), "
         "friends[\"ad_consent\"]. 예제의 is_current & agreed에 지역 조건 하나를 더하면 돼요.",
    mistakes=(
        (lambda: _metro_ad(_all_friends()),
         "차단한 친구까지 셌어요. blocked_at이 비어 있는 지금 친구만 세요."),
        (lambda: _metro_ad(_current_friends(), consent=False),
         "광고 수신 동의(ad_consent) 조건이 빠졌어요."),
        (lambda: _metro_ad(_current_friends(), regions=("서울",)),
         "경기·인천이 빠졌어요. 수도권은 서울과 경기·인천 두 지역이에요 (isin에 둘 다 넣어요)."),
    ),
    skills=("타깃 발송",),
)
def metro_ad_friends() -> int:
    """Current friends in 서울 or 경기·인천 who agreed to receive ads."""
    return _metro_ad(_current_friends())


# ---------------------------------------------------------------- pandas step 2: groupby


@question(
    "orientation.night_consent_by_age", variable="night_consent_by_age", kind="table", decimals=3,
    hint="지금 친구만 남긴 표에서 groupby(\"age_band\")로 묶고, 참/거짓 열 night_ad_consent의 .mean()을 구해요. "
         "예제의 경로별 광고 동의 비율과 같은 모양이에요.",
    # (counting blocked friends too is no mistake the check can name: blocked friends consent about as often, so some
    # age bands agree to three decimals and such a table would earn partial credit)
    mistakes=(
        (lambda: _current_friends().groupby("age_band", observed=True)["night_ad_consent"].sum().astype(float),
         "동의한 친구 수(합계)를 구했어요. 비율이 필요해요: .sum() 대신 .mean()을 써요."),
        (lambda: _current_friends().groupby("age_band", observed=True)["ad_consent"].mean().astype(float),
         "광고 수신 동의(ad_consent)의 비율이에요. 문제는 야간 광고 수신 동의(night_ad_consent)예요."),
        (lambda: 100 * night_consent_by_age(),
         "비율은 0과 1 사이 소수로 적어 주세요 (100을 곱하지 않아요)."),
    ),
    skills=("광고 메시지",),
)
def night_consent_by_age() -> pd.Series:
    """Per age band, the share of current friends who agreed to night-time ads."""
    return _current_friends().groupby("age_band", observed=True)["night_ad_consent"].mean().astype(float)


# ---------------------------------------------------------------- pandas step 3: merge on an id


def _orders_with_source(friends: pd.DataFrame) -> pd.DataFrame:
    return load("orders").merge(friends[["friend_id", "source"]], on="friend_id")


@question(
    "orientation.sales_by_source", variable="sales_by_source", kind="table", decimals=0,
    hint="orders에는 source가 없어요. 예제처럼 friends[[\"friend_id\", \"source\"]]를 friend_id로 merge한 뒤, "
         "source로 묶어(groupby) amount_krw의 .sum()을 구해요. 예제의 region을 source로 바꾸면 돼요.",
    mistakes=(
        (lambda: _orders_with_source(_current_friends()).groupby("source", observed=True)["amount_krw"].sum()
         .astype(float),
         "지금 친구의 주문만 남았어요. 나중에 차단한 친구의 주문도 모두 넣어요 (friends 전체와 이어요)."),
        (lambda: _orders_with_source(_all_friends()).groupby("source", observed=True)["amount_krw"].mean()
         .astype(float),
         "주문 1건당 평균 금액을 구했어요. 합계가 필요해요: .mean() 대신 .sum()을 써요."),
        (lambda: _orders_with_source(_all_friends()).groupby("source", observed=True).size().astype(float),
         "주문 건수를 셌어요. 금액(amount_krw)의 합계를 구해요."),
    ),
    skills=("친구 수",),
)
def sales_by_source() -> pd.Series:
    """Order amount (won) over the six months, by the source of the friend who ordered."""
    return _orders_with_source(_all_friends()).groupby("source", observed=True)["amount_krw"].sum().astype(float)


# ---------------------------------------------------------------- pandas step 4: dates and time differences


def _quick_blocks(added: pd.Series) -> int:
    friends = _all_friends()[added]
    return int((friends["blocked_at"] - friends["added_at"] < DAY).sum())


def _added(start=AUGUST[0], end=AUGUST[1]) -> pd.Series:
    added_at = _all_friends()["added_at"]
    return (added_at >= start) & (added_at < end)


def _blocked_same_date() -> int:
    friends = _all_friends()[_added()]
    return int((friends["blocked_at"].dt.date == friends["added_at"].dt.date).sum())


@question(
    "orientation.quick_blocks_august", variable="quick_blocks_august", kind="int",
    hint="friends의 added_at을 \"2026-08-01\" 이상, \"2026-09-01\" 미만으로 잘라 8월에 추가한 친구만 남기고, "
         "blocked_at − added_at이 pd.Timedelta(hours=24)보다 작은 줄을 세요(.sum()).",
    mistakes=(
        (lambda: _quick_blocks(_all_friends()["added_at"].dt.month == 8),
         "2025년 8월에 추가한 친구까지 들어갔어요. .dt.month는 연도를 보지 않아요. 기간을 \"2026-08-01\" 이상 "
         "\"2026-09-01\" 미만으로 잡아요."),
        (lambda: _quick_blocks(_added(end=pd.Timestamp("2026-08-31"))),
         "8월 31일 하루가 빠졌어요. 끝을 \"2026-08-31\"로 잡으면 8월 31일 0시까지만 들어가요. 9월 1일 0시 미만으로 잡아요."),
        (_blocked_same_date,
         "추가한 날과 같은 날짜에 차단한 친구를 셌어요. 24시간 안은 날짜가 아니라 걸린 시간으로 봐요 "
         "(밤 11시에 추가하고 다음 날 새벽에 차단해도 24시간 안이에요)."),
        (lambda: _quick_blocks(pd.Series(True, index=_all_friends().index)),
         "8월에 추가한 친구만 보지 않고 모든 친구를 셌어요. added_at으로 8월을 먼저 골라요."),
    ),
    skills=("30일 유지율",),
)
def quick_blocks_august() -> int:
    """Friends added in August 2026 who blocked within 24 hours of adding the channel."""
    return _quick_blocks(_added())
