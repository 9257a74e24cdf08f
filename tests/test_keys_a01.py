"""Each key of advanced/01 (챗봇과 상담 자동화) against an independent computation from the raw files, on three seeds.

Other routes: the rules as regular expressions and precision/recall from a confusion matrix's diagonal; conversion
recomputed from orders.csv (an order in [start, start + 7 days)) on chats started before 24 Oct (a date written here,
not course.windows); the logit refitted as a binomial GLM on hand-made dummy columns with a Wald interval from its
standard error, and the prediction and its delta-method interval done by hand with the logistic function; the
designed response-time effect found inside the interval. The SkillResponse functions are checked
on hand-written cases, and each mistaken function through the visible check.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from conftest import raw
from grader.keys import answer, assert_answer, get, score_answer, spec_for

INTENTS = ["배송 문의", "쿠폰·이벤트", "영업시간·매장", "교환·반품", "재입고 문의", "불만·항의", "상품 문의"]
PATTERNS = [re.compile(p) for p in ("배송|도착|택배|송장", "쿠폰|할인", "매장|영업시간", "교환|반품", "재입고",
                                    "광고|너무|실망", "크기|소재|색상|추천|세트|포장")]


def routed(text: str) -> str:
    return next((intent for intent, pattern in zip(INTENTS, PATTERNS) if pattern.search(text)), "상담원 연결")


def chats(folder) -> pd.DataFrame:
    rows = raw(folder, "chats")
    return rows.assign(minutes=rows["first_response_seconds"] / 60)


# ----- 문제 1~3 ---------------------------------------------------------------------------------------

def test_precision_and_recall_from_the_confusion_matrix(cohort):
    rows = chats(cohort)
    matrix = pd.crosstab(rows["intent"], rows["inquiry"].map(routed))
    assert set(matrix.index) == set(INTENTS) and set(matrix.columns) == set(INTENTS) | {"상담원 연결"}
    diagonal = pd.Series({x: matrix.loc[x, x] for x in INTENTS})
    precision = diagonal / matrix[INTENTS].sum(axis=0)
    recall = diagonal / matrix.sum(axis=1)
    for key, expected in ((answer("a01.intent_precision"), precision), (answer("a01.intent_recall"), recall)):
        assert sorted(key.index) == sorted(INTENTS)
        for intent in INTENTS:
            assert key[intent] == pytest.approx(expected[intent], abs=1e-12)
    assert (matrix["상담원 연결"] > 0).all()  # every intent has chats the starter rules miss
    assert precision["배송 문의"] < 0.9  # the first rule takes others' chats that mention 배송
    assert_answer("a01.intent_recall", recall.to_dict())


def test_bot_coverage_is_bot_chats_over_all_chats(cohort):
    rows = chats(cohort)
    assert set(rows["handled_by"]) == {"챗봇", "상담원"}
    assert answer("a01.bot_coverage") == pytest.approx((rows["handled_by"] == "챗봇").sum() / len(rows), abs=1e-12)
    bot = rows[rows["handled_by"] == "챗봇"]
    assert set(bot["intent"]) <= {"배송 문의", "쿠폰·이벤트", "영업시간·매장"} and (bot["agent"] == "").all()


# ----- 문제 4: build_skill_response -------------------------------------------------------------------

def request(utterance: str, intent: str, properties: dict) -> dict:
    return {"intent": {"id": "x1", "name": intent},
            "userRequest": {"timezone": "Asia/Seoul", "utterance": utterance, "lang": "ko",
                            "user": {"id": "u1", "type": "botUserKey", "properties": properties}},
            "bot": {"id": "b1", "name": "봇"}, "action": {"id": "a1", "name": "스킬", "params": {}}}


def reply(name: str) -> dict:
    return {"label": name, "action": "message", "messageText": name}


def test_build_skill_response_on_hand_written_requests():
    from course.chatbot import FAQ_ANSWERS, FRIEND_ONLY_NOTICE

    build = answer("a01.build_skill_response")
    assert build(request("택배 언제 와요", "배송 문의", {"isFriend": True})) == {
        "version": "2.0",
        "template": {"outputs": [{"simpleText": {"text": FAQ_ANSWERS["배송 문의"]}}],
                     "quickReplies": [reply("쿠폰·이벤트"), reply("영업시간·매장"), reply("상담원 연결")]}}
    coupon = build(request("쿠폰 주세요", "쿠폰·이벤트", {"isFriend": False}))
    assert [o["simpleText"]["text"] for o in coupon["template"]["outputs"]] == [FAQ_ANSWERS["쿠폰·이벤트"], FRIEND_ONLY_NOTICE]
    assert len(build(request("쿠폰 주세요", "쿠폰·이벤트", {"isFriend": True}))["template"]["outputs"]) == 1
    assert len(build(request("쿠폰 주세요", "쿠폰·이벤트", {}))["template"]["outputs"]) == 2  # no isFriend: not a friend
    assert len(build(request("몇 시까지 해요", "영업시간·매장", {"isFriend": False}))["template"]["outputs"]) == 1
    card = build(request("도마 소재가 뭔가요?", "상품 문의", {"isFriend": True}))
    assert card == {"version": "2.0", "template": {
        "outputs": [{"basicCard": {"title": "상담원에게 연결해 드릴게요", "description": "문의하신 내용: 도마 소재가 뭔가요?",
                                   "thumbnail": {"imageUrl": "https://example.com/images/handover.png"},
                                   "buttons": [{"label": "상담원 연결", "action": "operator"}]}}],
        "quickReplies": [reply("배송 문의"), reply("쿠폰·이벤트"), reply("영업시간·매장")]}}
    for n, expected_length in ((221, 230), (222, 230), (400, 230), (5, 14)):
        description = build(request("가" * n, "폴백 블록", {}))["template"]["outputs"][0]["basicCard"]["description"]
        assert len(description) == expected_length
        assert description.endswith("…") == (n > 221)


def test_every_built_response_passes_the_validator_and_keeps_kakaos_limits():
    build, validate = answer("a01.build_skill_response"), answer("a01.validate_skill_response")
    question = get("a01.build_skill_response")
    assert len(question.examples) >= 5 and len(question.hidden) >= 10
    for _, case in question.examples + question.hidden:
        json.dumps(case, ensure_ascii=False)  # JSON-serialisable
        response = build(case)
        assert validate(response) == []
        template = response["template"]
        assert 1 <= len(template["outputs"]) <= 3 and len(template["quickReplies"]) <= 10


def test_build_skill_response_reference_passes_and_each_mistake_is_named():
    from grader.keys.a01_chatbot import _no_cut, _no_friend_check, _outputs_at_top, _version_number

    qid = "a01.build_skill_response"
    reference = answer(qid)
    assert_answer(qid, reference)
    assert score_answer(qid, reference, points=4) == 4
    spec = spec_for(qid)
    assert spec.judge(reference).correct
    for function in (_outputs_at_top, _version_number, _no_cut, _no_friend_check):
        message = next(m.message for m in get(qid).mistakes if m.value() is function)
        verdict = spec.judge(function)
        assert not verdict.correct and message in verdict.message, function.__name__
        assert score_answer(qid, function, points=4) < 4
    assert score_answer(qid, lambda request: {}, points=4) == 0


# ----- 문제 5: validate_skill_response ----------------------------------------------------------------

def text(n: int) -> dict:
    return {"simpleText": {"text": "한" * n}}


def card(**changes) -> dict:
    base = {"title": "제목", "description": "설명", "thumbnail": {"imageUrl": "https://example.com/a.png"},
            "buttons": [{"label": "보기", "action": "webLink", "webLinkUrl": "https://example.com"}]}
    base.update(changes)
    return {"basicCard": {k: v for k, v in base.items() if v is not None}}


def ok(outputs, replies=None, version="2.0") -> dict:
    template = {"outputs": outputs}
    if replies is not None:
        template["quickReplies"] = replies
    return {"version": version, "template": template}


def quick(n: int, action: str = "message") -> list:
    return [{"label": f"q{k}", "action": action, "messageText": f"q{k}"} for k in range(n)]


VALIDATOR_CASES = [
    (ok([text(1)]), set()),
    (ok([text(1000)]), set()),
    (ok([text(1001)]), {"텍스트 길이"}),
    (ok([text(999), text(999), text(999)], quick(10)), set()),
    (ok([text(1)] * 4), {"출력 개수"}),
    (ok([]), {"출력 개수"}),
    ({"version": "2.0"}, {"출력 개수"}),
    ({"template": {"outputs": [text(1)]}}, {"버전"}),
    (ok([text(1)], version=2), {"버전"}),
    (ok([text(1)], quick(11)), {"바로가기 개수"}),
    (ok([text(1)], quick(1, "operator")), {"바로가기 동작"}),
    (ok([text(1)], quick(2, "block")), set()),
    (ok([card(title="t" * 50, description="d" * 230)]), set()),
    (ok([card(title="t" * 51)]), {"카드 제목"}),
    (ok([card(description="d" * 231)]), {"카드 설명"}),
    (ok([card(thumbnail=None)]), {"썸네일"}),
    (ok([card(thumbnail={})]), {"썸네일"}),
    (ok([card(buttons=[{"label": "b" * 14, "action": "phone"}] * 3)]), set()),
    (ok([card(buttons=[{"label": "b", "action": "share"}] * 4)]), {"버튼 개수"}),
    (ok([card(buttons=[{"label": "b" * 15, "action": "block"}])]), {"버튼 이름"}),
    (ok([card(buttons=[{"label": "b", "action": "call"}])]), {"버튼 동작"}),
    (ok([card(title=None, description=None, buttons=None)]), set()),
    (ok([card(title="t" * 51), card(title="u" * 99)]), {"카드 제목"}),  # each code once
]


@pytest.mark.parametrize("response, expected", VALIDATOR_CASES)
def test_validate_skill_response_on_hand_written_cases(response, expected):
    from course.chatbot import VALIDATION_CODES

    found = answer("a01.validate_skill_response")(response)
    assert isinstance(found, list) and len(found) == len(set(found)) and set(found) <= set(VALIDATION_CODES)
    assert set(found) == expected


def test_validate_skill_response_reference_passes_and_each_mistake_is_named():
    from grader.keys.a01_chatbot import _bytes, _four_outputs, _no_version_check, _side_by_side

    qid = "a01.validate_skill_response"
    reference = answer(qid)
    assert_answer(qid, reference)
    assert assert_answer(qid, lambda response: set(reference(response))) is None  # a set is fine too
    assert score_answer(qid, reference, points=4) == 4
    spec = spec_for(qid)
    assert spec.judge(reference).correct
    assert len(get(qid).examples) >= 5 and len(get(qid).hidden) >= 12
    for function in (_no_version_check, _four_outputs, _bytes, _side_by_side):
        message = next(m.message for m in get(qid).mistakes if m.value() is function)
        verdict = spec.judge(function)
        assert not verdict.correct and message in verdict.message, function.__name__
        assert 0 < score_answer(qid, function, points=4) < 4
    assert score_answer(qid, lambda response: [], points=4) < 2


# ----- 문제 6~8: conversion ---------------------------------------------------------------------------

FULL_BEFORE = pd.Timestamp("2026-11-01") - pd.Timedelta(days=8)  # the record's end less 7 days and a day


def counted(folder) -> pd.DataFrame:
    rows = chats(folder)
    return rows[pd.to_datetime(rows["started_at"]) < FULL_BEFORE]


def test_conversion_rate_from_orders_within_seven_days(cohort):
    rows = counted(cohort)
    orders = raw(cohort, "orders")
    started = pd.to_datetime(rows["started_at"])
    ordered = orders.assign(at=pd.to_datetime(orders["ordered_at"])).groupby("friend_id")["at"].apply(list)
    converted = [any(s <= t < s + pd.Timedelta(days=7) for t in ordered.get(f, [])) for f, s in zip(rows["friend_id"], started)]
    converted = pd.Series(converted, index=rows.index)
    assert (converted.astype(int) == rows["converted_7d"]).all()  # the column is what the definition says
    key = answer("a01.conversion_rate")
    assert sorted(key.index) == sorted(["전체", "챗봇", "상담원"])
    assert key["전체"] == pytest.approx(converted.sum() / len(rows), abs=1e-12)
    for handler in ("챗봇", "상담원"):
        part = rows["handled_by"] == handler
        assert key[handler] == pytest.approx(converted[part].sum() / part.sum(), abs=1e-12)


def model_rows(folder) -> pd.DataFrame:
    """Counted agent chats of the intents with a conversion among them (by set arithmetic, not a groupby)."""
    rows = counted(folder)
    rows = rows[rows["handled_by"] == "상담원"]
    return rows[rows["intent"].isin(set(rows.loc[rows["converted_7d"].astype(bool), "intent"]))]


def design(rows: pd.DataFrame, minutes: pd.Series) -> pd.DataFrame:
    """Constant, one dummy per intent except the first in sorted order (the formula API's reference level), minutes."""
    levels = sorted(set(rows["intent"]))
    columns = {"const": 1.0, **{level: (rows["intent"] == level).astype(float) for level in levels[1:]}, "minutes": minutes}
    return pd.DataFrame(columns, index=rows.index)


def glm(folder):
    rows = model_rows(folder)
    return rows, sm.GLM(rows["converted_7d"].astype(float), design(rows, rows["minutes"]),
                        family=sm.families.Binomial()).fit()


def test_odds_ratio_and_its_interval_by_a_binomial_glm(cohort):
    rows, fit = glm(cohort)
    key = answer("a01.odds_ratio_per_minute")
    assert list(key.index) == ["오즈비", "하한", "상한"]
    se = fit.bse["minutes"]
    expected = np.exp(fit.params["minutes"] + np.array([0.0, -1.959964, 1.959964]) * se)
    assert key.to_numpy() == pytest.approx(expected, abs=1e-6)
    assert key["상한"] < 1  # faster first responses convert better, beyond chance


def test_the_model_recovers_the_designed_response_time_effect(cohort):
    """The generator makes the lesson's model the true one among agent chats, so its estimate is the designed log odds
    ratio per minute up to sampling error: within the 99% interval (a seed misses it 1 time in 100; 47 of seeds
    101-150 are inside the 95% one)."""
    from course.datagen import params

    _, fit = glm(cohort)
    assert abs(fit.params["minutes"] - params.RESPONSE_MINUTE_LOGIT) < 2.575829 * fit.bse["minutes"]


def test_prediction_and_its_interval_by_hand(cohort):
    """Mean of the logistic function over the capped rows; the delta method with the gradient mean(p(1 - p) x)."""
    rows, fit = glm(cohort)
    X = design(rows, rows["minutes"].clip(upper=5)).to_numpy()
    p = 1 / (1 + np.exp(-(X @ fit.params.to_numpy())))
    gradient = (p * (1 - p))[:, None] * X
    se = np.sqrt(gradient.mean(axis=0) @ fit.cov_params().to_numpy() @ gradient.mean(axis=0))
    key = answer("a01.predicted_agent_conversion")
    assert list(key.index) == ["예측", "하한", "상한"]
    assert key.to_numpy() == pytest.approx([p.mean(), p.mean() - 1.959964 * se, p.mean() + 1.959964 * se], abs=1e-6)
    assert key["예측"] > rows["converted_7d"].mean()  # bringing slow answers to 5 minutes predicts more conversion


def test_leaving_intent_out_changes_the_estimate(cohort):
    rows = model_rows(cohort)
    alone = sm.Logit(rows["converted_7d"].astype(float), sm.add_constant(rows[["minutes"]])).fit(disp=0)
    assert abs(np.exp(alone.params["minutes"]) - answer("a01.odds_ratio_per_minute")["오즈비"]) > 0.0005


def test_each_value_mistake_gets_its_own_message(cohort):
    for qid in ("a01.intent_precision", "a01.intent_recall", "a01.bot_coverage", "a01.conversion_rate",
                "a01.odds_ratio_per_minute", "a01.predicted_agent_conversion"):
        spec = spec_for(qid)
        for mistake in get(qid).mistakes:
            verdict = spec.judge(mistake.value())
            assert not verdict.correct and mistake.message in verdict.message, (qid, mistake.message)
        assert spec.judge(answer(qid)).correct
