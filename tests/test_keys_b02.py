"""Each key of beginner/02 (진짜 친구 모으기) against an independent computation from the raw files, on three seeds."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from conftest import raw
from grader.keys import answer, assert_answer, fraction_correct, get, score_answer, spec_for

COSTS = {"광고": 1200, "이벤트": 800, "오프라인 QR": 300, "지인 추천": 500}  # the lesson's stated assumption


def retention_from_rows(folder) -> dict[str, float]:
    """Friend by friend with datetime arithmetic: added in [05-01, 10-02), not blocked within 30 days."""
    kept, total = {}, {}
    for row in raw(folder, "friends").itertuples():
        added = datetime.fromisoformat(row.added_at)
        if not datetime(2026, 5, 1) <= added < datetime(2026, 10, 2):
            continue
        blocked_early = row.blocked_at != "" and datetime.fromisoformat(row.blocked_at) - added < timedelta(days=30)
        total[row.source] = total.get(row.source, 0) + 1
        kept[row.source] = kept.get(row.source, 0) + (not blocked_early)
    return {source: kept[source] / total[source] for source in total}


def as_dict(series) -> dict[str, float]:
    return {str(k): float(v) for k, v in series.items()}


def test_retention_30d_by_source_counts_the_mature_cohort_friend_by_friend(cohort):
    expected = retention_from_rows(cohort)
    got = as_dict(answer("b02.retention_30d_by_source"))
    assert set(got) == set(expected) == {"채널 검색", "광고", "이벤트", "오프라인 QR", "지인 추천"}
    for source, value in expected.items():
        assert got[source] == pytest.approx(value, abs=1e-12), source
        assert 0 < got[source] < 1


def test_click_rate_by_source_pools_clicks_over_delivered_rows(cohort):
    source = dict(zip(raw(cohort, "friends")["friend_id"], raw(cohort, "friends")["source"]))
    deliveries = raw(cohort, "deliveries")
    delivered = deliveries[deliveries["delivered"] == 1]
    clicks, reached = {}, {}
    for friend, clicked in zip(delivered["friend_id"], delivered["clicked"]):
        clicks[source[friend]] = clicks.get(source[friend], 0) + int(clicked)
        reached[source[friend]] = reached.get(source[friend], 0) + 1
    got = as_dict(answer("b02.click_rate_by_source"))
    assert set(got) == set(reached)
    for name in reached:
        assert got[name] == pytest.approx(clicks[name] / reached[name], abs=1e-12), name


def test_best_source_has_the_highest_retention_and_search_beats_giveaways(cohort):
    retention = retention_from_rows(cohort)
    assert answer("b02.best_source") == max(retention, key=retention.get)
    # The data's built-in effect the lesson leans on: search friends stay and click more than event/ad friends.
    clicks = as_dict(answer("b02.click_rate_by_source"))
    for bought in ("이벤트", "광고"):
        assert retention["채널 검색"] > retention[bought]
        assert clicks["채널 검색"] > clicks[bought]


def test_cost_per_kept_friend_divides_the_assumed_cost_by_retention(cohort):
    retention = retention_from_rows(cohort)
    got = as_dict(answer("b02.cost_per_kept_friend"))
    assert set(got) == set(COSTS)
    for source, cost in COSTS.items():
        assert got[source] == pytest.approx(cost / retention[source], rel=1e-12), source
        assert got[source] > cost


@pytest.mark.parametrize("qid", ["b02.retention_30d_by_source", "b02.click_rate_by_source",
                                 "b02.cost_per_kept_friend"])
def test_a_table_mistake_earns_no_partial_credit(cohort, qid):
    """Every row of a mistaken table is off, so the mistake scores 0 (not a share of the points)."""
    for mistake in get(qid).mistakes:
        assert fraction_correct(qid, mistake.value()) == 0, mistake.message
        assert score_answer(qid, mistake.value(), points=3) == 0
    assert score_answer(qid, answer(qid), points=3) == 3


# ---------------------------------------------------------------- check_profile


def profile(**changes):
    base = {"name": "성수 소품가게", "description": "디자인 소품을 소개해요.", "searchable": True,
            "welcome_message": "반가워요!", "menu_buttons": ["신상품", "주문 조회"]}
    base.update(changes)
    return base


HAND_CASES = [
    (profile(), set()),
    (profile(name="가" * 20), set()),
    (profile(name="가" * 21), {"이름 길이"}),
    (profile(name=" " + "가" * 20 + " "), set()),
    (profile(name=" \t"), {"이름 없음"}),
    (profile(description=""), {"소개글 없음"}),
    (profile(description="   "), {"소개글 없음"}),
    (profile(searchable=False), {"검색 허용 안 함"}),
    (profile(welcome_message="\n"), {"환영 메시지 없음"}),
    (profile(menu_buttons=[]), {"버튼 수"}),
    (profile(menu_buttons=["메뉴"] * 10), set()),
    (profile(menu_buttons=["메뉴"] * 11), {"버튼 수"}),
    (profile(menu_buttons=["나" * 8]), set()),
    (profile(menu_buttons=["나" * 9]), {"버튼 이름 길이"}),
    (profile(menu_buttons=["  "]), {"버튼 이름 길이"}),
    (profile(name="", description="", searchable=False, welcome_message="", menu_buttons=["나" * 9] * 11),
     {"이름 없음", "소개글 없음", "검색 허용 안 함", "환영 메시지 없음", "버튼 수", "버튼 이름 길이"}),
]


def test_check_profile_reference_on_hand_written_cases():
    reference = answer("b02.check_profile")
    for case, expected in HAND_CASES:
        assert set(reference(case)) == expected, case
    assert_answer("b02.check_profile", reference)


def test_check_profile_cases_cover_the_boundaries():
    q = get("b02.check_profile")
    assert len(q.examples) >= 4 and len(q.hidden) >= 10
    labels = [label for label, _ in q.examples + q.hidden]
    assert len(labels) == len(set(labels))
    results = [answer("b02.check_profile")(argument) for _, argument in q.examples + q.hidden]
    assert set().union(*results) == {"이름 없음", "이름 길이", "소개글 없음", "검색 허용 안 함", "환영 메시지 없음",
                                     "버튼 수", "버튼 이름 길이"}
    assert any(not result for result in results)  # a profile that passes


def test_check_profile_mistakes_are_named_by_the_visible_check(cohort):
    spec = spec_for("b02.check_profile")
    q = get("b02.check_profile")
    assert spec.judge(answer("b02.check_profile")).correct
    for mistake in q.mistakes:
        verdict = spec.judge(mistake.value())
        assert not verdict.correct
        assert mistake.message in verdict.message
        assert 0 < fraction_correct("b02.check_profile", mistake.value()) < 1
