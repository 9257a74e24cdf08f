"""Keys for intermediate/01_segments (세그먼트와 타깃 메시지): click rate and conversion per segment,
targeted versus broadcast sends (rate ratio, cost per click and per purchase), the 친구그룹 file.

7-day outcomes (the conversion table, the cost tables with their cost per purchase) count only sends whose 7 days fit
in the record: the course's one censoring rule, ``course.windows.full_7d``.
"""

from __future__ import annotations

import pandas as pd

from course import load
from course.windows import full_7d

from . import question

BROADCAST = "전체"
TARGETED, BROADCASTED = "타깃 발송", "전체 발송"
END = pd.Timestamp("2026-11-01")  # 2026-10-31 24:00 KST
LAST_90_DAYS = (pd.Timestamp("2026-08-03"), END)  # 90 days: 8월 3일 0시 이상, 11월 1일 0시 미만
GROUP_INTEREST = "주방용품"


def _send_kind(campaigns: pd.DataFrame) -> pd.Series:
    """전체 발송 (target 전체), 타깃 발송 (a segment, not an A/B test), or None for A/B test sends."""
    target = campaigns["target"].astype(str)
    kind = pd.Series(TARGETED, index=campaigns.index, dtype=object)
    kind[target == BROADCAST] = BROADCASTED
    kind[campaigns["ab_test"].notna()] = None
    return kind


def _rows(delivered_only: bool = True) -> pd.DataFrame:
    """Deliveries with the send kind, the campaign cost and the friend's segment columns."""
    campaigns = load("campaigns").assign(send=lambda c: _send_kind(c))
    rows = load("deliveries").merge(campaigns[["campaign_id", "send", "cost_krw", "sent_at"]], on="campaign_id")
    rows = rows.merge(load("friends")[["friend_id", "gender", "age_band", "interest"]], on="friend_id")
    return rows[rows["delivered"]] if delivered_only else rows


def _broadcast(delivered_only: bool = True) -> pd.DataFrame:
    rows = _rows(delivered_only)
    return rows[rows["send"] == BROADCASTED]


def _by_segment(rows: pd.DataFrame, column: str) -> pd.Series:
    labels = rows["gender"].astype(str) + "·" + rows["age_band"].astype(str)
    return rows.groupby(labels)[column].mean().astype(float)


def _by_interest(rows: pd.DataFrame, column: str) -> pd.Series:
    return rows.groupby(rows["interest"].astype(str))[column].mean().astype(float)


@question(
    "i01.click_rate_by_segment", variable="click_rate_by_segment", kind="table", decimals=4,
    hint="전체 발송(target이 '전체')의 도달한 줄만 모아 성별·연령대별로 clicked 평균(클릭 수 ÷ 도달 수)을 구하고, "
         "항목 이름을 '여성·20대'처럼 만드세요.",
    mistakes=(
        (lambda: _by_segment(_broadcast(delivered_only=False), "clicked"),
         "분모에 도달하지 못한 메시지(delivered가 0인 줄)까지 넣었어요. 클릭률의 분모는 도달 수예요."),
        (lambda: 100 * click_rate_by_segment(),
         "클릭률은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
        (lambda: _by_segment(_rows().query("send.notna()", engine="python"), "clicked"),
         "타깃 발송까지 섞었어요. 이 표는 전체 발송(target이 '전체')만으로 만들어요."),
    ),
    skills=("클릭률", "타깃 발송"),
)
def click_rate_by_segment() -> pd.Series:
    return _by_segment(_broadcast(), "clicked")


def _full_broadcast(delivered_only: bool = True) -> pd.DataFrame:
    rows = _broadcast(delivered_only)
    return rows[full_7d(rows["sent_at"])]


@question(
    "i01.conversion_by_interest", variable="conversion_by_interest", kind="table", decimals=5,
    hint="3절의 broadcast_7d(전체 발송 가운데 7일을 다 본 도달 줄)에 조건이 이미 다 들어 있어요. 그 표를 interest로 groupby해 purchased_7d "
         "합계 ÷ delivered 합계(도달 수)를 구해요.",
    mistakes=(
        (lambda: _by_interest(_full_broadcast().query("clicked"), "purchased_7d"),
         "클릭한 친구만 분모에 넣었어요(클릭 후 구매율). 이 문제의 전환율 분모는 도달 수예요."),
        (lambda: _by_interest(_full_broadcast(delivered_only=False), "purchased_7d"),
         "분모에 도달하지 못한 메시지까지 넣었어요. 분모는 도달 수예요."),
        (lambda: 100 * conversion_by_interest(),
         "전환율은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
    skills=("7일 구매 전환율",),
)
def conversion_by_interest() -> pd.Series:
    return _by_interest(_full_broadcast(), "purchased_7d")


def _rate(rows: pd.DataFrame, send: str) -> float:
    picked = rows[rows["send"] == send]
    return float(picked["clicked"].sum() / len(picked))


def _ratio_with_ab_as_targeted() -> float:
    rows = _rows()
    targeted = rows[rows["send"] != BROADCASTED]
    return float(targeted["clicked"].mean()) / _rate(rows, BROADCASTED)


def _ratio_to_all_sends() -> float:
    rows = _rows()
    return _rate(rows, TARGETED) / float(rows["clicked"].mean())


@question(
    "i01.targeted_click_ratio", variable="targeted_click_ratio", kind="number", decimals=2,
    hint='2절의 reached에는 1절에서 나눈 send 열(타깃 발송·전체 발송·A/B 테스트)이 붙어 있어요. groupby("send")로 묶어 종류마다 clicked 합계 '
         "÷ delivered 합계를 구하고, 타깃 발송 값을 전체 발송 값으로 나눠요. 메시지마다 구한 비율을 평균하지 않아요.",
    mistakes=(
        (_ratio_with_ab_as_targeted,
         "A/B 테스트 발송까지 타깃 발송에 넣었어요. 이 비교에서 A/B 테스트 발송은 빼요."),
        (_ratio_to_all_sends,
         "분모를 모든 발송의 클릭률로 잡았어요. 타깃 발송을 뺀 전체 발송(target이 '전체')의 클릭률로 나눠요."),
        (lambda: _rate(_rows(), TARGETED) - _rate(_rows(), BROADCASTED),
         "두 클릭률의 차이를 구했어요. 이 문제는 몇 배인지, 곧 나눈 값이에요."),
        (lambda: 1 / targeted_click_ratio(),
         "거꾸로 나눴어요. 타깃 발송 클릭률을 전체 발송 클릭률로 나눠요."),
    ),
    skills=("타깃 발송", "클릭률"),
)
def targeted_click_ratio() -> float:
    rows = _rows()
    return _rate(rows, TARGETED) / _rate(rows, BROADCASTED)


PER_CLICK, PER_PURCHASE = "클릭당 비용", "구매당 비용"


def _costs(send: str, ab_as_targeted: bool = False, per_campaign: bool = False, all_sends: bool = False) -> pd.Series:
    """Cost per click and per 7-day purchase (원) of one send kind: cost_krw total ÷ clicks (purchases) total, over the
    sends whose 7 days are in the record. (Counting every send is no named mistake: its cost per click can coincide.)"""
    campaigns = load("campaigns").assign(send=lambda c: _send_kind(c))
    campaigns = campaigns[full_7d(campaigns["sent_at"])]
    if ab_as_targeted:
        campaigns.loc[campaigns["send"].isna(), "send"] = TARGETED
    if not all_sends:
        campaigns = campaigns[campaigns["send"] == send]
    reached = load("deliveries").query("delivered")
    counts = reached.groupby("campaign_id")[["clicked", "purchased_7d"]].sum()
    campaigns = campaigns.join(counts, on="campaign_id").fillna({"clicked": 0, "purchased_7d": 0})
    result = {}
    for label, column in ((PER_CLICK, "clicked"), (PER_PURCHASE, "purchased_7d")):
        if per_campaign:
            useful = campaigns[campaigns[column] > 0]
            result[label] = float((useful["cost_krw"] / useful[column]).mean())
        else:
            result[label] = float(campaigns["cost_krw"].sum() / campaigns[column].sum())
    return pd.Series(result)


@question(
    "i01.targeted_costs", variable="targeted_costs", kind="table", decimals=1,
    hint='1절의 sends에서 send가 "타깃 발송"이고 full_7d(sends["sent_at"])가 참인 campaign_id를 골라요. 비용은 sends(메시지 한 '
         "줄)에서, 클릭·구매는 reached(도달한 줄)에서 그 campaign_id만 isin으로 골라 더해요 (4절 예제도 비용은 sends에서 더했어요).",
    mistakes=(
        (lambda: _costs(TARGETED, ab_as_targeted=True),
         "A/B 테스트 발송까지 타깃 발송에 넣었어요. 이 비교에서 A/B 테스트 발송은 빼요."),
        (lambda: _costs(TARGETED, per_campaign=True),
         "메시지별 비용을 따로 구해 단순 평균했어요. 비용 합계를 클릭(구매) 수 합계로 나눠요."),
    ),
    skills=("타깃 발송", "클릭당 비용 · 구매당 비용"),
)
def targeted_costs() -> pd.Series:
    return _costs(TARGETED)


@question(
    "i01.broadcast_costs", variable="broadcast_costs", kind="table", decimals=1,
    hint="target이 '전체'이고 10월 24일 0시 전에 보낸 발송만 모아, cost_krw 합계 ÷ 클릭 수 합계, cost_krw 합계 ÷ purchased_7d 합계를 구하세요.",
    mistakes=(
        (lambda: _costs(BROADCASTED, all_sends=True),
         "모든 발송(타깃·A/B 테스트 포함)을 합쳤어요. 여기서 '전체 발송'은 target이 '전체'인 메시지만이에요."),
        (lambda: _costs(BROADCASTED, per_campaign=True),
         "메시지별 비용을 따로 구해 단순 평균했어요. 비용 합계를 클릭(구매) 수 합계로 나눠요."),
    ),
    skills=("클릭당 비용 · 구매당 비용",),
)
def broadcast_costs() -> pd.Series:
    return _costs(BROADCASTED)


def _group(check_blocked: bool = True, check_consent: bool = True, window: bool = True) -> list[str]:
    friends = load("friends")
    orders = load("orders")
    if window:
        start, end = LAST_90_DAYS
        orders = orders[(orders["ordered_at"] >= start) & (orders["ordered_at"] < end)]
    keep = (friends["interest"] == GROUP_INTEREST) & (friends["added_at"] < END)
    if check_blocked:
        keep &= friends["blocked_at"].isna() | (friends["blocked_at"] >= END)
    if check_consent:
        keep &= friends["ad_consent"]
    keep &= friends["friend_id"].isin(orders["friend_id"])
    return sorted(friends.loc[keep, "friend_id"].astype(str))


@question(
    "i01.friend_group_ids", variable="friend_group_ids", kind="idset",
    hint="5절 예제의 pet_group(current, ad_consent, interest)에 조건 4를 하나 더해요: orders에서 기간 안의 주문을 고른 뒤 "
         'friends["friend_id"].isin(...)으로 주문한 친구를 찾아요. 예제처럼 drop_duplicates(), sort_values("friend_id")로 '
         "파일 형식을 맞춰요.",
    mistakes=(
        (lambda: _group(check_blocked=False),
         "차단한 친구까지 넣었어요. 차단한 사람은 친구그룹에 올려도 받지 못해요. 10월 31일 24시 기준 친구만 남기세요."),
        (lambda: _group(check_consent=False),
         "광고 수신 동의(ad_consent)를 확인하지 않았어요. 광고 메시지를 보낼 그룹이라 동의한 친구만 넣어요."),
        (lambda: _group(window=False),
         "90일이 아니라 6개월 전체의 주문을 봤어요. 8월 3일 0시 이상 11월 1일 0시 미만의 주문만 봐요."),
    ),
    skills=("타깃 발송",),
)
def friend_group_ids() -> list[str]:
    return _group()
