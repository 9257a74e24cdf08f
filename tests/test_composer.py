"""The message composer, headless: each step's rule from the platform table, the platform's night window for ads, the
preview and the cost; and its widget clicked without a browser."""

from __future__ import annotations

import pytest

from course.composer import Draft, cost_range, preview, problems
from course.platform import value
from course.widgets import composer_widget

NOW = "2026-10-13 09:00"
GOOD = dict(msg_type="와이드 이미지형", text="가을 정기 세일, 거실 소품 최대 30% 할인", buttons=["세일 보기"], target="친구그룹",
            group_size=3200, is_ad=True, send_at="2026-10-14 12:00")


def _rules(**changed) -> set[tuple[str, str]]:
    return {(p.rule, p.level) for p in problems(Draft(**{**GOOD, **changed}), now=NOW)}


def test_a_good_ad_goes_through():
    assert _rules() == set()


@pytest.mark.parametrize("changed, rule", [
    ({"text": "가" * (value("와이드 이미지형 글자 수") + 1)}, ("글자 수", "오류")),
    ({"msg_type": "기본 텍스트형", "text": "가" * (value("기본 텍스트형 글자 수") + 1)}, ("글자 수", "오류")),
    ({"buttons": ["가을세일상품보기"  + "!"]}, ("버튼 이름", "오류")),
    ({"msg_type": "와이드 리스트형", "items": ["쿠션"] * 5}, ("항목 수", "오류")),
    ({"msg_type": "캐러셀형", "items": ["카드"]}, ("항목 수", "오류")),
    ({"group_size": None}, ("대상 인원", "오류")),
    ({"is_ad": False}, ("광고성", "주의")),
    ({"is_ad": False, "text": "(광고) 세일"}, ("광고 표기", "오류")),
    ({"send_at": "2026-10-14 20:50"}, ("야간 발송", "오류")),
    ({"send_at": "2026-10-15 07:59"}, ("야간 발송", "오류")),
    ({"send_at": "2026-10-12 12:00"}, ("예약 시각", "오류")),
    ({"send_at": "내일 점심"}, ("예약 시각", "오류")),
])
def test_each_step_refuses_its_own_mistake(changed, rule):
    assert rule in _rules(**changed), _rules(**changed)


def test_the_platform_night_is_stricter_than_the_law_and_only_for_ads():
    assert _rules(send_at="2026-10-14 20:49") == set()  # before the platform's window
    assert ("야간 발송", "오류") in _rules(send_at="2026-10-14 20:55")  # the law would allow it with night consent
    assert _rules(send_at="2026-10-15 08:00") == set()
    info = dict(GOOD, is_ad=False, text="주문하신 상품이 내일 도착해요", send_at="2026-10-14 22:00")
    assert problems(Draft(**info), now=NOW) == []  # an informational message is not an ad


def test_the_preview_and_the_cost():
    shown = preview(Draft(**GOOD), channel="소소리빙")
    assert shown.splitlines()[:2] == ["[소소리빙]", "(광고) 가을 정기 세일, 거실 소품 최대 30% 할인"]
    assert "[ 세일 보기 ]" in shown and "수신 거부" in shown and "친구그룹 3,200명 · 2026-10-14 12:00 예약" in shown
    low, high = value("채널 메시지 단가")
    assert cost_range(Draft(**GOOD), friends=10_000) == (3200 * low, 3200 * high)
    assert cost_range(Draft(**{**GOOD, "target": "전체"}), friends=10_000) == (10_000 * low, 10_000 * high)


def test_the_widget_shows_what_to_fix_then_the_preview():
    view = composer_widget("소소리빙", friends=10_000, now=NOW)
    for name, value_ in {"msg_type": "와이드 이미지형", "text": GOOD["text"], "buttons": "가을 세일 상품 보기",
                         "target": "친구그룹", "group_size": 3200, "is_ad": True, "send_at": "2026-10-14 21:00"}.items():
        view.fields[name].value = value_
    view.check.click()
    assert "이대로는 보낼 수 없어요" in view.result.value and "야간 발송" in view.result.value and "버튼 이름" in view.result.value
    view.fields["buttons"].value = "세일 보기"
    view.fields["send_at"].value = "2026-10-14 12:00"
    view.check.click()
    assert "미리보기" in view.result.value and "(광고) 가을 정기 세일" in view.result.value and "3,200명" in view.result.value


# ----- the brief's rubric (beginner/03, 문제 7) ---------------------------------------------------------------

def _sale(**changes) -> Draft:
    base = dict(msg_type="와이드 이미지형", text="거실 소품 최대 30% 할인\n가을 정기 세일, 10월 18일까지예요.",
                buttons=["세일 보기"], target="친구그룹", group_size=3200, is_ad=True, send_at="2026-10-12 12:00")
    return Draft(**{**base, **changes})


def _missed(draft: Draft) -> list[str]:
    from course.composer import BRIEFS, rubric

    return [c.item for c in rubric(draft, BRIEFS["가을 정기 세일"]) if not c.met]


@pytest.mark.parametrize("changes, missed", [
    ({}, []),
    ({"is_ad": False}, ["광고 설정"]),
    ({"send_at": "2026-10-12 21:30"}, ["보낼 수 있음", "예약 시각"]),  # the platform refuses an ad then
    ({"send_at": "2026-10-12 13:00"}, ["예약 시각"]),  # the window's end is not in it
    ({"send_at": "2026-10-12 11:00"}, []),
    ({"send_at": "오늘 점심"}, ["보낼 수 있음", "예약 시각"]),
    ({"target": "전체", "group_size": None}, ["대상"]),
    ({"group_size": 320}, ["대상"]),
    ({"text": "가을 정기 세일을 시작해요\n거실 소품 최대 30% 할인, 10월 18일까지"}, ["첫 줄"]),
    ({"text": "거실 소품 최대 30% 할인\n가을 정기 세일이에요."}, ["혜택"]),
    ({"text": "(광고) 거실 소품 최대 30% 할인, 18일까지"}, ["첫 줄"]),  # 광고 표기 is a warning here; the first line is long
    ({"buttons": []}, ["버튼"]),
    ({"buttons": ["보기", "담기", "공유"]}, ["버튼"]),
    ({"buttons": ["가을 세일 바로 보기"]}, ["보낼 수 있음"]),
    ({"text": "가" * 77}, ["보낼 수 있음", "혜택", "첫 줄"]),
])
def test_the_briefs_rubric_names_what_a_draft_misses(changes, missed):
    assert _missed(_sale(**changes)) == missed


def test_a_draft_travels_as_data_and_is_graded_by_share_of_the_rubric():
    from course.checks import NotAnswered, WrongKind, canonical, draft_fraction
    from course.composer import draft_from_form

    draft = _sale(is_ad=False, buttons=[])
    form = canonical(draft, "draft")
    assert draft_from_form(form) == draft
    share, missed = draft_fraction("가을 정기 세일", form)
    assert share == pytest.approx(5 / 7) and [c.item for c in missed] == ["광고 설정", "버튼"]
    assert draft_fraction("가을 정기 세일", '{"text": 1}') == (0.0, [])
    with pytest.raises(WrongKind):
        canonical({"text": "세일"}, "draft")
    with pytest.raises(NotAnswered):
        canonical(..., "draft")
