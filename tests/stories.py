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


@story("b03", "세일 기간을 빼고 모아 보면 야간 광고와 낮에 표기 없이 나간 광고의 차단율이 낮 시간 광고보다 한참 높아요")
def _rule_breaking_ads_block_more():
    deliveries, campaigns = load("deliveries"), load("campaigns")
    reached = deliveries[deliveries["delivered"]]
    sums = reached.groupby("campaign_id")["blocked_24h"].agg(["sum", "size"])
    per = campaigns.set_index("campaign_id").join(sums)
    clock = per["sent_at"].dt.hour + per["sent_at"].dt.minute / 60
    night = (clock >= 20 + 50 / 60) | (clock < 8)
    sale = (per["sent_at"] >= "2026-07-13") & (per["sent_at"] < "2026-07-20")
    day = per[per["is_ad"] & per["has_ad_label"] & ~night & ~sale]
    base = day["sum"].sum() / day["size"].sum()
    for name, mask in (("야간", per["is_ad"] & night & ~sale), ("표기 없음", per["is_ad"] & ~per["has_ad_label"] & ~night & ~sale)):
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
    if i02.srm_p(i02.arms("EXP01")) < i02.SRM_THRESHOLD:
        return "EXP01에 SRM"
    if i02.srm_p(i02.arms("EXP05")) >= i02.SRM_THRESHOLD:
        return "EXP05에 SRM 없음"


@story("i03", "EXP02의 구간은 0을 포함하지 않고, EXP03은 유의한 차이가 나오지 않았어요")
def _intervals():
    low, high = i02.newcombe(i02.arms("EXP02"))
    if low <= 0 <= high:
        return f"EXP02 구간 {low:.4f}~{high:.4f}"
    low, high = i02.newcombe(i02.arms("EXP03"))
    if not low <= 0 <= high:
        return f"EXP03 구간 {low:.4f}~{high:.4f}"


@story("i02·i03·i04", "결정은 과정의 네 낱말 가운데 하나이고, EXP05는 테스트 무효예요")
def _decision_words():
    words = {qid: answer(qid) for qid in ("i02.decision", "i03.exp05_decision", "i04.training_decision")}
    if not set(words.values()) <= set(i02.DECISIONS) or words["i03.exp05_decision"] != i02.INVALID:
        return words


@story("i03", "같은 친구에게 여러 번 보낸 클릭은 서로 닮아 설계 효과가 1보다 커요 (9월 정보성 전체 발송)")
def _design_effect():
    deliveries, campaigns = load("deliveries"), load("campaigns")
    sends = campaigns[(campaigns["sent_at"] >= "2026-09-01") & (campaigns["sent_at"] < "2026-10-01")
                      & (campaigns["target"] == "전체") & ~campaigns["is_ad"] & campaigns["ab_test"].isna()]
    rows = deliveries[deliveries["campaign_id"].isin(sends["campaign_id"]) & deliveries["delivered"]]
    per = rows.groupby("friend_id")["clicked"].agg(["sum", "size"])
    per = per[per["size"] == len(sends)]
    rate = per["sum"].sum() / (len(sends) * len(per))
    effect = per["sum"].var() / (len(sends) * rate * (1 - rate))
    if not len(sends) >= 2 or not effect > 1:
        return f"발송 {len(sends)}번, 설계 효과 {effect:.2f}"


@story("i03·i04", "1.10배(i03 문제 1)와 +1%p(i04 예제)에 필요한 한 안의 인원은 친구 수의 절반보다 많아요")
def _more_than_the_friends():
    from grader.keys import i03_design as i03

    if not answer("i03.n_per_arm") > i03._friends_now() // 2:
        return f"한 안 {answer('i03.n_per_arm')}명, 친구 절반 {i03._friends_now() // 2}명"


@story("a01", "가장 빠른 응답 구간보다 가장 늦은 구간의 전환이 낮아요")
def _slow_answers_convert_less():
    from course.windows import full_7d

    chats = load("chats")
    agent = chats[(chats["handled_by"] == "상담원") & full_7d(chats["started_at"])]
    bands = pd.cut(agent["first_response_seconds"] / 60, bins=[0, 2, 5, 10, 20, 60], right=True)  # the lesson's plot
    rates = agent.groupby(bands, observed=True)["converted_7d"].mean()
    if not rates.iloc[-1] < rates.iloc[0]:
        return f"구간별 전환 {rates.round(3).tolist()}"


@story("a01", "유형을 통제한 1분당 오즈비의 상한이 1보다 작고, 5분 목표일 때 예측 상담원 전환율이 지금보다 높아요")
def _faster_predicts_more():
    odds = answer("a01.odds_ratio_per_minute")
    if not odds["상한"] < 1:
        return f"오즈비 구간 {odds['하한']:.3f}~{odds['상한']:.3f}"
    if not answer("a01.predicted_agent_conversion")["예측"] > answer("a01.conversion_rate")["상담원"]:
        return "5분 목표의 예측이 지금보다 높지 않아요"


@story("a02", "기록은 10월 31일 24시에 끝나 11월 1일에는 발송도 주문도 없어요")
def _nothing_sent_or_ordered_on_november_first():
    end = pd.Timestamp("2026-11-01")
    if (load("campaigns")["sent_at"] >= end).any() or (load("orders")["ordered_at"] >= end).any():
        return "11월 1일 이후의 발송이나 주문이 있어요"


@story("a02", "설명 변수가 많은 모델은 학습 기간 AUC가 검증 기간 AUC보다 높아요 (학습 데이터 안의 AUC는 낙관적)")
def _in_sample_auc_is_optimistic():
    from grader.keys import a02_crm as a02

    learned = a02._auc(np.asarray(a02.model().predict()), a02.training_rows()["blocked_24h"].to_numpy())
    if not learned > answer("a02.block_auc"):
        return f"학습 {learned:.3f}, 검증 {answer('a02.block_auc'):.3f}"


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
