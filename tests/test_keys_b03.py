"""Each key of beginner/03 (메시지 작성과 발송 규칙) against an independent computation from the raw files, on three seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import raw
from grader.keys import answer, assert_answer, get, score_answer, spec_for


def is_night(sent_at: pd.Series) -> pd.Series:
    """20:50 이상 또는 08:00 미만 (the platform takes no ad then), read from the text "YYYY-MM-DD HH:MM:SS" itself."""
    clock = sent_at.str.slice(11, 16)
    return (clock >= "20:50") | (clock < "08:00")


def ad_rows(folder) -> pd.DataFrame:
    campaigns = raw(folder, "campaigns")
    ads = campaigns[campaigns["is_ad"] == 1]
    rows = raw(folder, "deliveries").merge(ads[["campaign_id", "sent_at"]], on="campaign_id")
    return rows.merge(raw(folder, "friends")[["friend_id", "night_ad_consent"]], on="friend_id")


# ----- 문제 1: check_message -----------------------------------------------------------------------

def msg(**changes) -> dict:
    base = {"msg_type": "와이드 이미지형", "is_ad": True, "text": "(광고) 가을 정기 세일", "sent_at": "2026-09-01 12:00",
            "sender": "리빙소품 채널 02-000-0000", "opt_out": "채널 차단으로 수신 거부", "buttons": ["보러 가기"],
            "items": 0, "night_consent_only": False}
    return {**base, **changes}


CASES = [
    (msg(), set()),
    (msg(is_ad=False, text="배송 안내", sender="", opt_out="", sent_at="2026-09-01 23:30"), set()),
    (msg(sent_at="2026-09-01 21:00"), {"야간 발송"}),
    (msg(sent_at="2026-09-01 20:59"), {"야간 발송"}),
    (msg(sent_at="2026-09-01 20:50"), {"야간 발송"}),
    (msg(sent_at="2026-09-01 20:49"), set()),
    (msg(sent_at="2026-09-02 08:00"), set()),
    (msg(sent_at="2026-09-02 07:59"), {"야간 발송"}),
    (msg(sent_at="2026-09-02 00:00", night_consent_only=True), {"야간 발송"}),
    (msg(sent_at="2026-09-02 09:00", night_consent_only=True), set()),
    (msg(text="가을 정기 세일 (광고)"), {"광고 표기"}),
    (msg(text=" \n(광고) 가을 정기 세일"), set()),
    (msg(text="(광 고) 가을 정기 세일"), {"광고 표기"}),
    (msg(sender="  "), {"발신자 정보"}),
    (msg(opt_out=""), {"수신 거부"}),
    (msg(text="(광고)" + "x" * 72), set()),  # 76 characters
    (msg(text="(광고)" + "x" * 73), {"글자 수"}),  # 77 characters
    (msg(is_ad=False, msg_type="기본 텍스트형", text="y" * 1300), set()),
    (msg(is_ad=False, msg_type="기본 텍스트형", text="y" * 1301), {"글자 수"}),
    (msg(msg_type="와이드 리스트형", text="(광고) " + "z" * 2000, items=3), set()),  # no text limit in the table
    (msg(buttons=["12345678", "123456789"]), {"버튼 이름"}),
    (msg(buttons=[]), set()),
    (msg(msg_type="와이드 리스트형", items=4), set()),
    (msg(msg_type="와이드 리스트형", items=5), {"항목 수"}),
    (msg(msg_type="캐러셀형", items=2), set()),
    (msg(msg_type="캐러셀형", items=6), set()),
    (msg(msg_type="캐러셀형", items=7), {"항목 수"}),
    (msg(text="세일", sender="", opt_out="", sent_at="2026-09-01 22:00", buttons=["지금 구매하러 가기"],
         msg_type="캐러셀형", items=1),
     {"광고 표기", "발신자 정보", "수신 거부", "야간 발송", "버튼 이름", "항목 수"}),
]


@pytest.mark.parametrize("message, expected", CASES)
def test_check_message_on_hand_written_cases(message, expected):
    assert set(answer("b03.check_message")(message)) == expected


def test_check_message_reference_passes_and_each_mistake_is_named():
    from grader.keys.b03_messages import _consent_exempts, _label_anywhere, _law_hours, _length_for_ads_only

    reference = answer("b03.check_message")
    assert_answer("b03.check_message", reference)
    assert score_answer("b03.check_message", reference, points=4) == 4
    spec = spec_for("b03.check_message")
    assert spec.judge(reference).correct
    question = get("b03.check_message")
    assert len(question.examples) >= 5 and len(question.hidden) >= 12
    for function in (_law_hours, _consent_exempts, _label_anywhere, _length_for_ads_only):
        message = next(m.message for m in question.mistakes if m.value() is function)
        verdict = spec.judge(function)
        assert not verdict.correct and message in verdict.message
        assert 0 < score_answer("b03.check_message", function, points=4) < 4
    assert score_answer("b03.check_message", lambda message: set(), points=4) < 2


# ----- 문제 2~5: the log -------------------------------------------------------------------------

def test_noncompliant_ad_sends_counts_each_bad_send_once(cohort):
    campaigns = raw(cohort, "campaigns")
    ads = campaigns[campaigns["is_ad"] == 1]
    assert (campaigns["title"].str.startswith("(광고)") == (campaigns["has_ad_label"] == 1)).all()
    unlabelled = set(ads.loc[ads["has_ad_label"] == 0, "campaign_id"])
    night = set(ads.loc[is_night(ads["sent_at"]), "campaign_id"])
    assert unlabelled - night and night, "the log has ads without the label by day and ads at night"
    assert night <= unlabelled, "the platform stops a labelled ad at night: every night ad went out as 정보성"
    assert (ads.loc[ads["campaign_id"].isin(night), "sent_at"].str.slice(11, 13) == "20").any(), "20:50~20:59 send"
    assert answer("b03.noncompliant_ad_sends") == len(unlabelled | night)


def test_info_ad_ratio_by_month_is_the_info_share_of_sends(cohort):
    campaigns = raw(cohort, "campaigns")
    month = campaigns["sent_at"].str.slice(0, 7)
    expected = (campaigns["is_ad"] == 0).groupby(month).mean()
    key = answer("b03.info_ad_ratio_by_month")
    assert list(key.index) == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    for label, share in expected.items():
        assert key[label] == pytest.approx(share, abs=1e-12)
    assert score_answer("b03.info_ad_ratio_by_month", expected, points=3) == 3
    assert score_answer("b03.info_ad_ratio_by_month", expected.to_dict(), points=3) == 3


def test_night_ad_friends_are_every_friend_a_night_ad_reached(cohort):
    rows = ad_rows(cohort)
    reached = rows[is_night(rows["sent_at"]) & (rows["delivered"] == 1)]
    expected = set(reached["friend_id"])
    assert expected and answer("b03.night_ad_friends") == expected
    assert_answer("b03.night_ad_friends", sorted(expected))
    friends = raw(cohort, "friends").set_index("friend_id")
    assert friends.loc[sorted(expected), "night_ad_consent"].nunique() == 2, "night consent does not matter here"


def test_night_ad_block_rate_pools_blocks_over_delivered_night_ads(cohort):
    rows = ad_rows(cohort)
    night = rows[is_night(rows["sent_at"]) & (rows["delivered"] == 1)]
    assert answer("b03.night_ad_block_rate") == pytest.approx(night["blocked_24h"].sum() / len(night), abs=1e-12)


# ----- 문제 6: ad_messages -----------------------------------------------------------------------------

def test_ad_messages_follow_the_guides_exceptions_and_each_mistake_is_named():
    """Each message is 정보성 only if it is one of the four exceptions with nothing promotional in it; the key module's
    reasons agree with the texts, and each common mistake is a different set the check names and grading scores 0."""
    from course.composer import AD_WORDS
    from course.message_kinds import CASES
    from grader.keys.b03_messages import KINDS, MIXED, TRADE

    assert set(KINDS) == set(CASES) and set(KINDS.values()) == {"정보성", "광고성"}
    key = answer("b03.ad_messages")
    assert key == {n for n, kind in KINDS.items() if kind == "광고성"}
    # a second reading of the twelve texts: what each one is, and whether something promotional is in it
    reading = {1: ("거래 확인", False), 2: ("거래 확인", True), 3: ("상품 소개", True), 4: ("이용 안내", False),
               5: ("이용 안내", True), 6: ("요청한 1회성 정보", False), 7: ("상품 소개", True), 8: ("산 상품의 안내", False),
               9: ("이용 안내", False), 10: ("쿠폰", True), 11: ("경품 이벤트", True), 12: ("이용 안내", False)}
    exceptions = {"거래 확인", "산 상품의 안내", "요청한 1회성 정보", "이용 안내"}
    assert key == {n for n, (what, promotes) in reading.items() if what not in exceptions or promotes}
    assert MIXED <= key and TRADE <= key
    worded = {n for n, text in CASES.items() if any(word in text for word in AD_WORDS)}
    assert worded - key and key - worded, "the words alone give a different set"
    spec = spec_for("b03.ad_messages")
    assert spec.judge(sorted(key)).correct and spec.judge([str(n) for n in key]).correct
    messages = [m.message for m in get("b03.ad_messages").mistakes]
    for mistake in get("b03.ad_messages").mistakes:
        verdict = spec.judge(mistake.value())
        assert not verdict.correct and mistake.message in verdict.message
        assert score_answer("b03.ad_messages", mistake.value(), points=3) == 0
    nearly = set(key) ^ {1}
    verdict = spec.judge(nearly)
    assert not verdict.correct and not any(m in verdict.message for m in messages)
    assert "1" not in verdict.message.split("힌트")[0], "the check does not say which number is wrong"


# ----- 문제 7: sale_draft -------------------------------------------------------------------------------

def test_sale_draft_is_judged_by_the_briefs_rubric_in_the_check_and_in_grading():
    from course.composer import Draft

    reference = answer("b03.sale_draft")
    spec = spec_for("b03.sale_draft")
    assert spec.judge(reference).correct and score_answer("b03.sale_draft", reference, points=3) == 3
    night = Draft(**{**reference.__dict__, "send_at": "2026-10-12 21:30", "buttons": []})
    verdict = spec.judge(night)
    assert not verdict.correct and "[예약 시각]" in verdict.message and "[버튼]" in verdict.message
    assert "20:50" in verdict.message  # the platform's reason, from the composer
    assert score_answer("b03.sale_draft", night, points=3) == round(3 * 4 / 7, 2)
    assert score_answer("b03.sale_draft", ..., points=3) == 0
    assert score_answer("b03.sale_draft", {"text": "세일"}, points=3) == 0
    assert get("b03.sale_draft").chosen and _public(spec)


def _public(spec) -> bool:
    """A draft's check holds no hash: only the brief's name, whose rubric the lesson teaches."""
    return spec.right == "가을 정기 세일" and spec.mistakes == []


def test_a_draft_question_must_name_a_brief_that_exists():
    from grader.keys import question

    with pytest.raises(ValueError, match="BRIEFS lacks"):
        question("demo.draft", variable="d", kind="draft", hint="", brief="없는 브리프")(lambda: None)
