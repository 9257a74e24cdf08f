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
    base = {"name": "성수 소품가게", "search_id": "seongsu", "public": True, "searchable": True,
            "support_phone": "1588-0000", "menu_buttons": ["신상품", "주문 조회"]}
    base.update(changes)
    return base


HAND_CASES = [
    (profile(), set()),
    (profile(name=" \t"), {"이름 없음"}),
    (profile(name="가" * 40), set()),  # no published length limit for the name: the check does not invent one
    (profile(search_id="a" * 15), set()),
    (profile(search_id="a" * 16), {"아이디 길이"}),
    (profile(search_id=""), {"아이디 길이"}),
    (profile(search_id="성수_sopum-1"), set()),
    (profile(search_id="seongSu"), {"아이디 글자"}),
    (profile(search_id="seong su"), {"아이디 글자"}),
    (profile(search_id="seongsu\t"), {"아이디 글자"}),
    (profile(search_id="ㅅㅅ"), {"아이디 글자"}),  # 자모 alone is not a 한글 syllable (가~힣)
    (profile(search_id="é"), {"아이디 글자"}),
    (profile(search_id="성수!" * 6), {"아이디 길이", "아이디 글자"}),
    (profile(public=False), {"비공개"}),
    (profile(searchable=False), {"검색 허용 안 함"}),
    (profile(support_phone="  "), {"고객센터 정보 없음"}),
    (profile(menu_buttons=[]), set()),
    (profile(menu_buttons=["메뉴"] * 10), set()),
    (profile(menu_buttons=["메뉴"] * 11), {"버튼 수"}),
    (profile(name="", search_id="", public=False, searchable=False, support_phone="", menu_buttons=["메뉴"] * 11),
     {"이름 없음", "아이디 길이", "비공개", "검색 허용 안 함", "고객센터 정보 없음", "버튼 수"}),
]


def test_the_check_enforces_the_recorded_limits():
    from course.platform import value
    from grader.keys import b02_friends

    assert b02_friends.SEARCH_ID_MAX == value("검색용 아이디")[0] == 15
    assert b02_friends.BUTTONS_MAX == value("채팅방 메뉴 버튼 수") == 10


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
    assert set().union(*results) == {"이름 없음", "아이디 길이", "아이디 글자", "비공개", "검색 허용 안 함",
                                     "고객센터 정보 없음", "버튼 수"}
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


def _lesson_code(marker: str) -> str:
    import nbformat

    from conftest import ROOT

    nb = nbformat.read(ROOT / "beginner" / "02_real_friends.ipynb", as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code" and marker in c.source)


def test_the_lessons_example_profiles_are_the_checks_examples():
    """The profiles section 5 prints are the ones the check cell runs the learner's function on."""
    from grader.keys.b02_friends import PROFILE_EXAMPLES

    namespace: dict = {}
    exec(_lesson_code("example_profiles = ").split("\n\nfor ")[0], namespace)
    assert [tuple(pair) for pair in namespace["example_profiles"]] == list(PROFILE_EXAMPLES)


def test_the_lessons_id_char_ok_is_the_keys_rule():
    """The worked example's id_char_ok (which the solution calls) accepts exactly the characters the key accepts."""
    from grader.keys.b02_friends import _id_char_ok

    namespace: dict = {}
    exec(_lesson_code("def id_char_ok").split("\n\n\nfor ")[0], namespace)
    probe = [chr(c) for c in range(0x20, 0x250)] + ["가", "힣", "ㄱ", "ㅏ", "각", "\u3000", "\t", "Ａ", "１"]
    assert [namespace["id_char_ok"](c) for c in probe] == [_id_char_ok(c) for c in probe]
    assert sum(map(_id_char_ok, probe)) == 26 + 10 + 2 + 3  # a-z, 0-9, - _, 가 힣 각
