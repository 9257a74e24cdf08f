"""What the lessons say about the data, as checks on the cohort ``course.load`` reads now.

Each check returns None when the lesson's sentence holds, else what is wrong. The seed sweep (test_seed_sweep.py) runs
them on many fresh cohorts; a sentence that cannot hold on every seed is rewritten or made to hold by the generator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from course import load
from grader.keys import answer
from grader.keys import i02_ab as i02

STORIES = {}


def story(lesson: str, sentence: str):
    def register(check):
        STORIES[f"{lesson}: {sentence}"] = check
        return check
    return register


@story("b01", "7월 중하순에 차단이 크게 늘었어요")
def _july_blocks():
    daily = load("daily_stats").set_index("date")["blocked"]
    worst = daily.idxmax()
    if not pd.Timestamp("2026-07-11") <= worst <= pd.Timestamp("2026-07-31"):
        return f"차단이 가장 많은 날이 {worst.date()}"


@story("b02", "이벤트는 새 친구 1명 값이 광고보다 싸지만 남은 친구 1명 값은 광고보다 비싸요")
def _event_costs_more():
    cost = answer("b02.cost_per_kept_friend")
    if not cost["이벤트"] > cost["광고"]:
        return f"남은 친구 1명당: 이벤트 {cost['이벤트']:.0f}원, 광고 {cost['광고']:.0f}원"


@story("b03", "세일 기간을 빼고 모아 보면 야간·표기 없는 광고의 차단율이 낮 시간 광고보다 한참 높아요")
def _rule_breaking_ads_block_more():
    deliveries, campaigns = load("deliveries"), load("campaigns")
    reached = deliveries[deliveries["delivered"]]
    sums = reached.groupby("campaign_id")["blocked_24h"].agg(["sum", "size"])
    per = campaigns.set_index("campaign_id").join(sums)
    clock = per["sent_at"].dt.hour + per["sent_at"].dt.minute / 60
    night = (clock >= 21) | (clock < 8)
    sale = (per["sent_at"] >= "2026-07-13") & (per["sent_at"] < "2026-07-20")
    day = per[per["is_ad"] & per["has_ad_label"] & ~night & ~sale]
    base = day["sum"].sum() / day["size"].sum()
    for name, mask in (("야간", per["is_ad"] & night & ~sale), ("표기 없음", per["is_ad"] & ~per["has_ad_label"] & ~sale)):
        group = per[mask]
        if len(group) == 0 or group["sum"].sum() / group["size"].sum() < 1.5 * base:
            return f"{name} 광고가 기준의 1.5배에 못 미쳐요"


def _b04_rows():
    from grader.keys import b04_goals as b04

    sends = b04._sends()
    return b04, sends, b04._counts()


@story("b04", "타깃 발송(A/B 테스트 포함)의 클릭률이 전체 발송보다 훨씬 높고, 메시지별 비율의 평균은 합계끼리보다 높아요; "
              "A/B 테스트는 전체 발송에 섞이지 않아요")
def _targeted_click_more():
    _, sends, _ = _b04_rows()
    broadcast = sends["target"] == "전체"
    if not sends.loc[~broadcast, "clicked"].mean() > 1.5 * sends.loc[broadcast, "clicked"].mean():
        return "타깃 발송이 전체 발송의 1.5배에 못 미쳐요"
    if not sends.groupby("campaign_id")["clicked"].mean().mean() > sends["clicked"].mean():
        return "메시지별 비율의 평균이 합계끼리보다 낮아요"
    if sends.loc[broadcast, "ab_test"].notna().any():
        return "A/B 테스트가 전체 발송에 있어요"


@story("b04", "세일 주와 그다음 주에는 평소보다 훨씬 많이 받았고, 많이 받은(6통 이상) 줄은 거의 모두 그때예요; "
              "평소 주의 정보성 줄에서 5통 이상은 드물어요")
def _sale_weeks_carry_the_many_messages():
    b04, sends, counts = _b04_rows()
    start, end = b04.SALE_AND_AFTER
    sale = (sends["sent_at"] >= start) & (sends["sent_at"] < end)
    ordered = sends.sort_values(["friend_id", "sent_at"])
    key = (pd.factorize(ordered["friend_id"], sort=True)[0].astype(np.int64) * 10**10
           + ordered["sent_at"].to_numpy().astype("datetime64[s]").astype(np.int64))
    fortnight = pd.Series(np.searchsorted(key, key) - np.searchsorted(key, key - 14 * 86_400),
                          index=ordered.index).reindex(sends.index)
    if not fortnight[sale].mean() > 1.5 * fortnight[~sale].mean():
        return f"14일 수신: 세일 {fortnight[sale].mean():.1f}, 평소 {fortnight[~sale].mean():.1f}"
    if not sale[counts >= 6].mean() >= 0.9:
        return f"6통 이상 가운데 세일 때 {sale[counts >= 6].mean():.0%}"
    ordinary = b04._ordinary_informational(sends)
    if not (counts[ordinary] >= 5).mean() <= 0.08:
        return f"평소 주 5통 이상 {(counts[ordinary] >= 5).mean():.0%}"


@story("b04", "평소 주 피로도 곡선에서 0통 묶음이 가장 높고 막 친구가 된 사람이 많아요; 1통~4통 이상의 차이는 0통에 비하면 작아요")
def _quiet_week_bucket_is_new_friends():
    b04, sends, counts = _b04_rows()
    curve = answer("b04.fatigue_block_rate")
    rest = curve.drop("0")
    if not curve["0"] - rest.max() > rest.max() - rest.min():
        return f"곡선 {curve.round(4).to_dict()}"
    ordinary = b04._ordinary_informational(sends)
    added = sends["friend_id"].map(load("friends").set_index("friend_id")["added_at"])
    new = (sends["sent_at"] - added) < pd.Timedelta(days=7)
    new_share = new[ordinary].groupby(b04._bucket(counts[ordinary])).mean()
    if not (new_share["0"] >= 0.25 and new_share["0"] >= 5 * new_share["2"]):
        return f"새 친구 비율 {new_share.round(2).to_dict()}"


@story("i02·i03", "EXP01에서는 배정 문제(SRM)의 증거가 없고, EXP05에는 있어요")
def _srm():
    if i02._srm_p(i02._arms(experiment="EXP01")) < i02.SRM_THRESHOLD:
        return "EXP01에 SRM"
    if i02._srm_p(i02._arms(experiment="EXP05")) >= i02.SRM_THRESHOLD:
        return "EXP05에 SRM 없음"


@story("i03", "EXP02의 구간은 0을 포함하지 않고, EXP03은 유의한 차이가 나오지 않았어요")
def _intervals():
    low, high = i02._newcombe(i02._arms(experiment="EXP02"))
    if low <= 0 <= high:
        return f"EXP02 구간 {low:.4f}~{high:.4f}"
    low, high = i02._newcombe(i02._arms(experiment="EXP03"))
    if not low <= 0 <= high:
        return f"EXP03 구간 {low:.4f}~{high:.4f}"


@story("i04", "교육 판단은 미리 정한 세 표현 가운데 하나예요")
def _decision_words():
    if answer("i04.training_decision") not in ("실습 워크숍 그룹이 높음", "온라인 강의 그룹이 높음", "판단 보류"):
        return answer("i04.training_decision")


@story("a01", "가장 빠른 응답 구간보다 가장 늦은 구간의 전환이 낮아요")
def _slow_answers_convert_less():
    chats = load("chats")
    agent = chats[chats["handled_by"] == "상담원"]
    bands = pd.cut(agent["first_response_seconds"] / 60, [0, 2, 5, 10, 30, np.inf], include_lowest=True)
    rates = agent.groupby(bands, observed=True)["converted_7d"].mean()
    if not rates.iloc[-1] < rates.iloc[0]:
        return f"구간별 전환 {rates.round(3).tolist()}"


@story("a03", "조용한 주에는 경보가 없고, 사건이 시작된 뒤 모든 시나리오에서 경보가 울려요")
def _alerts():
    from grader.keys import a03_detection as a03

    for scenario_id in ("INC1", "INC2", "INC3", "INC4"):
        over = a03._over(scenario_id)
        if over[:168].any():
            return f"{scenario_id} 조용한 주에 경보"
        hours = np.flatnonzero(over[168:])
        if not len(hours) or 168 + hours[0] + 1 <= a03._onset_hours(scenario_id):
            return f"{scenario_id} 경보가 없거나 사건 전"


@story("a03", "루머는 친구를 잃게 하고(초과 차단 50명 이상) 중복 경품은 그렇지 않아요")
def _excess():
    excess = answer("a03.excess_blocks")
    if not excess["INC3"] >= 50 > excess["INC4"]:
        return excess.to_dict()


@story("a04", "INC1과 INC3의 차단이 기록 안에서 평소 수준으로 돌아와요")
def _back_to_normal():
    from grader.keys import a04_drill as a04

    for scenario_id in ("INC1", "INC3"):
        if a04._days_back(scenario_id) > 6:
            return f"{scenario_id}이 돌아오지 않아요"
