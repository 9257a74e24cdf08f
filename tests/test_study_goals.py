"""The team's weekly SMART goal: each letter checked as beginner/04 teaches it, kept only when all five hold, and
last week's result read against it."""

from __future__ import annotations

from datetime import date

import pytest

from grader.study.goals import goal_of, make_goal, record_result, review, set_goal
from grader.study.store import StudyDB, StudyError

TODAY = date(2026, 12, 3)
GOOD = dict(week=5, kpi="클릭률", scope="전체 발송", baseline="0.031", target="0.036", swing="0.003",
            due="2026-12-10", why="클릭이 상품 페이지 방문과 주문으로 이어져요", check_how="매주 목요일 통계 메뉴의 클릭률을 합계끼리 나눠 봐요")


def _letters(**changed) -> dict[str, bool]:
    return {l.letter: l.ok for l in review(make_goal(**{**GOOD, **changed}), today=TODAY)}


def test_a_good_goal_holds_all_five_letters():
    assert _letters() == dict.fromkeys("SMART", True)


@pytest.mark.parametrize("changed, letter", [
    ({"kpi": "인기"}, "S"), ({"scope": ""}, "S"),
    ({"baseline": "3.1", "target": "3.6"}, "M"),  # a rate ×100
    ({"target": "0.030"}, "A"),  # the wrong way
    ({"target": "0.033"}, "A"),  # inside the usual swing: cannot be told from chance
    ({"kpi": "차단율", "baseline": "0.010", "target": "0.012"}, "A"),  # 차단율 goes down
    ({"why": "그냥"}, "R"),
    ({"due": "2026-12-25"}, "T"), ({"due": "2026-12-01"}, "T"), ({"due": "다음 주"}, "T"), ({"check_how": ""}, "T"),
])
def test_each_letter_fails_on_its_own_mistake(changed, letter):
    letters = _letters(**changed)
    assert not letters[letter] and all(ok for name, ok in letters.items() if name != letter), letters


def test_a_goal_is_kept_only_when_smart_and_its_result_is_read_against_it(tmp_path):
    db = StudyDB(tmp_path)
    with pytest.raises(StudyError, match=r"A\(달성 가능\): 목표까지의 변화"):
        set_goal(db, make_goal(**{**GOOD, "target": "0.033"}), today=TODAY)
    assert goal_of(db, 5) is None
    set_goal(db, make_goal(**GOOD), today=TODAY)
    with pytest.raises(StudyError, match="클릭률은 0과 1 사이 소수로"):
        record_result(db, 5, "3.4", today=TODAY)
    goal, notes = record_result(db, 5, "0.033", today=TODAY)
    assert notes == ["기한(12월 10일) 전이라 중간 결과예요. 기한이 지나면 다시 적어요."]
    goal, notes = record_result(db, 5, "0.034", today=date(2026, 12, 10))
    assert notes == ["결과를 바꿨어요: 0.033 → 0.034"]
    assert goal.progress() == pytest.approx(0.6) and goal.reached() is False
    assert goal_of(db, 5).result == 0.034
    with pytest.raises(StudyError, match="이미 결과가 적혀 있어요"):
        set_goal(db, make_goal(**GOOD), today=TODAY)
    with pytest.raises(StudyError, match="6주차 목표가 없어요"):
        record_result(db, 6, "0.1")
    with pytest.raises(StudyError, match="기준선: 숫자로"):
        make_goal(**{**GOOD, "baseline": "많이"})
