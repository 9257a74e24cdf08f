"""Each key of advanced/04 (위기 대응 훈련) against an independent computation from the raw files, on three seeds.

The raw route reads incidents.csv as written (times as text, compared as text), sums daily blocks by the date
prefix of the text and takes the standard deviation with the statistics module; the drill is replayed step by
step through Drill.choose instead of run_drill.
"""

from __future__ import annotations

import statistics
from datetime import date

import pandas as pd
import pytest

from conftest import raw
from course.drills import Drill
from grader.keys import answer, assert_answer, get, score_answer, spec_for


def scenario_rows(folder, scenario: str) -> pd.DataFrame:
    rows = raw(folder, "incidents")
    return rows[rows["scenario_id"] == scenario]


def onset_text(rows: pd.DataFrame) -> str:
    return rows.loc[rows["kind"] == "사건 시작", "at"].iloc[0]


# ----- 문제 1, 2: type and strategy --------------------------------------------------------------------

def test_crisis_cluster_and_primary_strategy_follow_what_the_post_mortem_found(cohort):
    found = {s: scenario_rows(cohort, s).loc[lambda r: r["kind"] == "사건 시작", "text"].iloc[0]
             for s in ("INC1", "INC2", "INC3", "INC4")}
    assert "실수" in found["INC1"]  # a person's mistake: preventable
    assert "시스템 오류" in found["INC2"] and "시스템 오류" in found["INC4"]  # technical errors: accidental
    assert "근거 없는" in found["INC3"]  # a rumor: victim
    clusters = {"INC1": "예방 가능형", "INC2": "사고형", "INC3": "피해자형", "INC4": "사고형"}
    assert answer("a04.crisis_cluster").to_dict() == clusters
    # the lesson's table: rumor → 부인, preventable → 재건, accidental with misled friends (INC2's wrong winners) → 재건,
    # accidental without (INC4's second parcel harmed no one) → 축소
    assert answer("a04.primary_strategy").to_dict() == {"INC1": "재건", "INC2": "재건", "INC3": "부인", "INC4": "축소"}
    for qid, value in (("a04.crisis_cluster", clusters), ("a04.primary_strategy", answer("a04.primary_strategy"))):
        assert_answer(qid, value)
        assert spec_for(qid).judge(value).correct and not get(qid).mistakes  # the same on every seed: no named mistakes
    partly = {**clusters, "INC4": "예방 가능형"}
    assert score_answer("a04.crisis_cluster", partly, points=2) == 1.5
    assert "INC4" in spec_for("a04.crisis_cluster").judge(partly).message
    assert not spec_for("a04.crisis_cluster").judge({**clusters, "INC1": "예방가능형"}).correct  # the word as listed


# ----- 문제 3, 4: INC2 wrong-winner send ----------------------------------------------------------------

def test_affected_friends_are_the_wrong_winner_rows_and_match_the_send_count(cohort):
    rows = scenario_rows(cohort, "INC2")
    wrong = rows[rows["kind"] == "오발송 수신"]
    expected = set(wrong["friend_id"])
    assert len(expected) == len(wrong)  # one row per friend
    send = rows[rows["kind"] == "메시지 발송"]
    assert len(send) == 1 and int(send["count"].iloc[0]) == len(expected)
    assert answer("a04.affected_friends") == expected
    assert_answer("a04.affected_friends", sorted(expected))
    assert_answer("a04.affected_friends", pd.Series(sorted(expected)))
    friends = set(raw(cohort, "friends")["friend_id"])
    assert expected <= friends


def test_compensation_cost_by_the_stated_rule(cohort):
    rows = scenario_rows(cohort, "INC2")
    affected = set(rows.loc[rows["kind"] == "오발송 수신", "friend_id"])
    start = onset_text(rows)
    chats = rows[(rows["kind"] == "채팅") & (rows["at"] >= start)]  # "YYYY-MM-DD HH:MM:SS" sorts as text
    asked = affected & set(chats["friend_id"])
    assert 0 < len(asked) < len(affected)
    expected = sum(5_000 if friend in asked else 3_000 for friend in affected)
    assert answer("a04.compensation_cost") == expected
    assert_answer("a04.compensation_cost", float(expected))


# ----- 문제 5: check_notice -------------------------------------------------------------------------------

GOOD = ("정말 죄송합니다. 추첨 시스템 오류로 당첨 메시지가 잘못 나갔어요. 앞으로 발송 전에 한 번 더 확인할게요. "
        "채팅으로 문의해 주세요.")

NOTICE_CASES = [
    (GOOD, set()),
    ("", {"사과", "원인", "향후 조치", "문의처"}),
    ("사과드려요. 담당자 실수 때문이에요. 재발 방지 교육을 했어요. 고객센터로 연락 주세요.", set()),
    ("불편을 드렸어요. 원인을 찾았어요. 조치를 마쳤어요. 상담원이 기다려요.", {"사과"}),
    ("죄송해요. 조치할 예정이에요. 문의는 채팅으로.", {"원인"}),
    ("죄송해요. 시스템 오류로 잘못 갔어요. 문의는 채팅으로.", {"향후 조치"}),
    ("죄송해요. 시스템 오류로 잘못 갔어요. 앞으로 조심할게요.", {"문의처"}),
    ("(광고) " + GOOD, {"(광고) 없음"}),
    (GOOD + " (광고)", {"(광고) 없음"}),
    ("(광 고) " + GOOD, set()),
    (GOOD + "x" * (1000 - len(GOOD)), set()),
    (GOOD + "x" * (1001 - len(GOOD)), {"1,000자 이하"}),
    (GOOD + " " * (1001 - len(GOOD)), {"1,000자 이하"}),
    ("안녕하세요", {"사과", "원인", "향후 조치", "문의처"}),
]


@pytest.mark.parametrize("text, expected", NOTICE_CASES)
def test_check_notice_on_hand_written_cases(text, expected):
    assert set(answer("a04.check_notice")(text)) == expected


def test_check_notice_reference_passes_and_each_mistake_is_named():
    from grader.keys.a04_drill import _ad_at_start, _bytes, _first_word, _no_spaces, _strict

    reference = answer("a04.check_notice")
    assert_answer("a04.check_notice", reference)
    assert score_answer("a04.check_notice", reference, points=4) == 4
    spec = spec_for("a04.check_notice")
    assert spec.judge(reference).correct
    question = get("a04.check_notice")
    assert len(question.examples) == 5 and len(question.hidden) >= 12
    for function in (_bytes, _ad_at_start, _strict, _no_spaces, _first_word):
        message = next(m.message for m in question.mistakes if m.value() is function)
        verdict = spec.judge(function)
        assert not verdict.correct and message in verdict.message, (function.__name__, verdict.message)
        assert 0 < score_answer("a04.check_notice", function, points=4) < 4
    assert score_answer("a04.check_notice", lambda text: [], points=4) < 2
    assert score_answer("a04.check_notice", lambda text: 1 / 0, points=4) == 0
    # the order of the codes does not matter, a set does as well as a list
    assert score_answer("a04.check_notice", lambda text: set(reversed(reference(text))), points=4) == 4


def test_the_notice_examples_measure_what_their_labels_say():
    from grader.keys.a04_drill import EXAMPLES, HIDDEN

    sizes = {label: len(text) for label, text in EXAMPLES + HIDDEN}
    assert sizes["네 부분을 모두 담은 정확히 1,000자 공지"] == 1000
    assert sizes["띄어쓰기를 포함해 1,001자인 공지"] == 1001 and sizes["띄어쓰기를 포함해 1,002자"] == 1002
    assert sizes["줄바꿈을 포함해 1,001자"] == 1001 and sizes["1,001자, 띄어쓰기 없음"] == 1001


# ----- 문제 6: FAQ templates -------------------------------------------------------------------------------

def test_faq_templates_match_each_inquiry_type_once():
    key = answer("a04.faq_templates")
    assert sorted(key.index) == sorted(["당첨 여부 확인", "경품 수령 문의", "보상 요구", "사기 의심", "취소 항의"])
    assert key.is_unique and not set(key) & {"R2", "R7", "R8"}  # INC4 templates and the ad are never the reply
    assert_answer("a04.faq_templates", key.to_dict())
    assert score_answer("a04.faq_templates", {**key.to_dict(), "보상 요구": "R8"}, points=2) == 1.6
    assert not get("a04.faq_templates").mistakes


# ----- 문제 7: the drill on twenty seeds ------------------------------------------------------------------

def replay_by_steps(seed: int, path) -> int:
    drill = Drill("INC2", seed)
    for choice_id in path:
        drill.choose(choice_id)
    return drill.outcome().complaints


def test_complaints_saved_is_the_mean_difference_over_seeds_1_to_20(cohort):
    manual = ["report_now", "notice_now", "rebuild", "fix_and_share"]
    silent = ["watch", "wait_for_cause", "diminish", "fix_quietly"]
    saved = [replay_by_steps(seed, silent) - replay_by_steps(seed, manual) for seed in range(1, 21)]
    assert all(difference > 0 for difference in saved)  # common random numbers: the manual path wins on every seed
    assert answer("a04.complaints_saved") == pytest.approx(statistics.fmean(saved), abs=1e-12)
    assert_answer("a04.complaints_saved", statistics.fmean(saved) + 0.04)


# ----- 문제 8: INC1 post-mortem ----------------------------------------------------------------------------

def test_days_to_baseline_by_date_prefix_and_statistics_stdev(cohort):
    rows = scenario_rows(cohort, "INC1")
    hourly = rows[rows["kind"] == "시간별 차단"]
    daily = hourly.assign(day=hourly["at"].str.slice(0, 10), n=hourly["count"].astype(int)).groupby("day")["n"].sum()
    assert len(daily) == 14 and daily.index[0] == "2026-11-02"
    quiet = [int(x) for x in daily.iloc[:7]]
    limit = statistics.mean(quiet) + 3 * statistics.stdev(quiet)
    incident = onset_text(rows)[:10]
    assert incident == daily.index[7]  # the incident is on day 8
    assert daily[incident] > limit  # the day itself is far above the baseline
    later = [(day, n) for day, n in daily.items() if day > incident]
    # back = the first later day from which every day to the end of the record is at or below the limit
    first_back = next(day for i, (day, _) in enumerate(later) if all(n <= limit for _, n in later[i:]))
    expected = (date.fromisoformat(first_back) - date.fromisoformat(incident)).days
    assert answer("a04.days_to_baseline") == expected
    assert 1 <= expected <= 6
    first_dip = next(day for day, n in later if n <= limit)  # a dip can come before a higher day: never later than back
    assert first_dip <= first_back


def test_a_dip_followed_by_a_higher_day_is_not_back_yet(monkeypatch):
    """A late-growing incident (INC3 on seed 7: daily blocks 24, 47, 74 after the incident day, limit about 52.6) is
    back only from the day it stays at or below the limit to the end of the record, not at its first dip."""
    import grader.keys.a04_drill as keys

    quiet = [30, 34, 38, 31, 36, 33, 35]  # limit = mean + 3 × stdev ≈ 42.2
    days = pd.date_range("2026-12-01", periods=14, freq="D")

    def fake(after: list[int]):
        daily = pd.Series(quiet + [120] + after, index=days)
        monkeypatch.setattr(keys, "_daily_blocks", lambda scenario: (daily, days[7]))

    fake([24, 47, 74, 44, 37, 40])  # dips on day 1, above again on days 2-4: back on day 5
    assert keys._days_back() == 5 and keys._days_back(first_day_is_one=True) == 6
    fake([40, 38, 30, 30, 30, 30])  # straight down
    assert keys._days_back() == 1
    fake([40, 38, 30, 30, 30, 45])  # the last day is above: not back within the record
    assert keys._days_back() == 7


# ----- every value mistake ----------------------------------------------------------------------------------

def test_each_value_mistake_gets_its_own_message(cohort):
    for qid in ("a04.affected_friends", "a04.compensation_cost", "a04.complaints_saved", "a04.days_to_baseline"):
        spec = spec_for(qid)
        assert spec.judge(answer(qid)).correct
        assert len(get(qid).mistakes) >= 2
        for mistake in get(qid).mistakes:
            verdict = spec.judge(mistake.value())
            assert not verdict.correct and mistake.message in verdict.message, (qid, mistake.message)
