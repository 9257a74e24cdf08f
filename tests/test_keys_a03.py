"""Each key of advanced/03 (위기 감지) against an independent computation from the raw incidents file, on three seeds.

Other routes: hour numbers from the text of ``at``; a Poisson limit as the smallest count whose CDF reaches 0.9999
(``poisson.cdf``, not ``ppf``); the 5-hour window by a circular pandas rolling mean; keywords by a regular expression
that allows spaces between letters; the types checked against the generator's truths.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy.stats import poisson

from conftest import raw
from course.datagen.incidents import SCENARIOS
from grader.keys import answer, assert_answer, get, score_answer, spec_for

GRADED = ["INC2", "INC3", "INC4"]
RUMOR = ["유해물질", "소문", "리콜", "맘카페", "망한다", "쓰면안된다"]
COMPLAINT = ["그만", "차단", "폭탄", "또왔", "사기", "장난", "취소", "보상", "오발송", "중복", "두개", "두번", "실망"]


def spaced(words: list[str]) -> re.Pattern:
    """A pattern matching any of the words with any whitespace between their letters."""
    return re.compile("|".join(r"\s*".join(map(re.escape, word)) for word in words))


RUMOR_RE, COMPLAINT_RE = spaced(RUMOR), spaced(COMPLAINT)


def flag(text: str):
    return "루머" if RUMOR_RE.search(text) else "항의" if COMPLAINT_RE.search(text) else None


def scenario(folder, scenario_id: str) -> pd.DataFrame:
    rows = raw(folder, "incidents")
    rows = rows[rows["scenario_id"] == scenario_id].copy()
    day = pd.to_datetime(rows["at"].str.slice(0, 10))
    first = day.min()
    rows["hour_no"] = ((day - first).dt.days * 24 + rows["at"].str.slice(11, 13).astype(int)
                       + rows["at"].str.slice(14, 16).astype(int) / 60)
    return rows


def hourly(rows: pd.DataFrame, kind: str) -> pd.Series:
    part = rows[rows["kind"] == kind]
    series = pd.Series(part["count"].astype(int).to_numpy(), index=part["hour_no"].astype(int).to_numpy()).sort_index()
    assert list(series.index) == list(range(336))
    return series


def poisson_limit(lam: float) -> int:
    count = 0
    while poisson.cdf(count, lam) < 0.9999:
        count += 1
    return count


def limits(rows: pd.DataFrame) -> tuple[list[int], int]:
    blocks = hourly(rows, "시간별 차단")
    by_hour = blocks[blocks.index < 168].groupby(blocks.index[blocks.index < 168] % 24).sum() / 7
    circular = pd.concat([by_hour.iloc[-2:], by_hour, by_hour.iloc[:2]])
    window = circular.rolling(5, center=True).mean().iloc[2:-2]
    complaints = hourly(rows, "시간별 항의 채팅")
    return [poisson_limit(lam) for lam in window], poisson_limit(complaints.iloc[:168].sum() / 168)


def first_alert(rows: pd.DataFrame) -> int:
    block_limits, complaint_limit = limits(rows)
    blocks, complaints = hourly(rows, "시간별 차단"), hourly(rows, "시간별 항의 채팅")
    for hour in range(168, 336):
        if blocks[hour] > block_limits[hour % 24] or complaints[hour] > complaint_limit:
            return hour
    raise AssertionError("no alert")


def onset(rows: pd.DataFrame) -> float:
    return float(rows.loc[rows["kind"] == "사건 시작", "hour_no"].iloc[0])


def test_complaint_limit_is_the_poisson_quantile_of_the_quiet_week(cohort):
    key = answer("a03.complaint_limit")
    assert list(key.index) == GRADED
    for scenario_id in GRADED:
        assert key[scenario_id] == limits(scenario(cohort, scenario_id))[1]
        assert key[scenario_id] in (2, 3)


def test_no_false_alarm_in_any_quiet_week_and_every_incident_caught_after_it_began(cohort):
    for scenario_id, _ in SCENARIOS:
        rows = scenario(cohort, scenario_id)
        block_limits, complaint_limit = limits(rows)
        blocks, complaints = hourly(rows, "시간별 차단"), hourly(rows, "시간별 항의 채팅")
        quiet = [h for h in range(168) if blocks[h] > block_limits[h % 24] or complaints[h] > complaint_limit]
        assert quiet == [], (scenario_id, quiet)
        assert first_alert(rows) + 1 > onset(rows) > 168  # no alert before 사건 시작 either


def test_alert_hour_and_time_to_detect(cohort):
    hours, detect = answer("a03.alert_hour"), answer("a03.detect_hours")
    for scenario_id in GRADED:
        rows = scenario(cohort, scenario_id)
        assert hours[scenario_id] == first_alert(rows)
        assert detect[scenario_id] == pytest.approx(first_alert(rows) + 1 - onset(rows), abs=1e-9)
        assert 0 < detect[scenario_id] < 30
    assert detect["INC2"] <= 1  # the flood of complaints is caught in its first hour
    assert detect["INC4"] > 12  # nobody complains before the parcels arrive the next morning


def test_excess_blocks_is_incident_week_minus_quiet_week(cohort):
    key = answer("a03.excess_blocks")
    for scenario_id in GRADED:
        blocks = hourly(scenario(cohort, scenario_id), "시간별 차단")
        assert key[scenario_id] == blocks.iloc[168:].sum() - blocks.iloc[:168].sum()
    assert key["INC3"] >= 50 > key["INC4"]  # the rumor costs friends; the duplicate parcels do not


def test_flag_chat_matches_the_keyword_rule_and_catches_the_incident_chats(cohort):
    reference = answer("a03.flag_chat")
    question = get("a03.flag_chat")
    for _, text in question.examples + question.hidden:
        assert reference(text) == flag(text), text
    chats = raw(cohort, "incidents")
    chats = chats[chats["kind"] == "채팅"]
    for text in chats["text"]:
        assert reference(text) == flag(text), text
    assert score_answer("a03.flag_chat", flag, points=3) == 3
    assert score_answer("a03.flag_chat", lambda text: None, points=3) < 1


def test_each_mistaken_flag_function_gets_its_message():
    spec = spec_for("a03.flag_chat")
    assert spec.judge(answer("a03.flag_chat")).correct
    for mistake in get("a03.flag_chat").mistakes:
        verdict = spec.judge(mistake.value())
        assert not verdict.correct and mistake.message in verdict.message, mistake.message


def test_rumor_friends_are_the_incident_week_rumor_chats_of_inc3(cohort):
    rows = scenario(cohort, "INC3")
    chats = rows[(rows["kind"] == "채팅") & (rows["hour_no"] >= 168)]
    expected = sorted({friend for friend, text in zip(chats["friend_id"], chats["text"]) if flag(text) == "루머"})
    assert answer("a03.rumor_friends") == expected
    quiet = rows[(rows["kind"] == "채팅") & (rows["hour_no"] < 168)]
    assert not any(flag(text) == "루머" for text in quiet["text"])  # no rumor before it began
    assert_answer("a03.rumor_friends", set(expected))


def test_types_are_the_generators_truths(cohort):
    truth = dict(SCENARIOS)
    words = {"INC1": "과다 발송", "INC2": "오발송", "INC3": "루머", "INC4": "중복 발송"}
    for scenario_id, word in words.items():
        assert word.split()[-1] in truth[scenario_id] or word in truth[scenario_id]
    key = answer("a03.crisis_type")
    assert key.to_dict() == {s: words[s] for s in GRADED}
    assert_answer("a03.crisis_type", {"INC2": "오발송", "INC3": " 루머", "INC4": "중복  발송"})
    assert score_answer("a03.crisis_type", {"INC2": "오발송", "INC3": "루머", "INC4": "중복발송"}, points=2) == pytest.approx(1.33)


def test_severity_follows_the_stated_rule(cohort):
    incidents = raw(cohort, "incidents")
    affected = {"INC2": incidents.loc[incidents["kind"] == "오발송 수신", "friend_id"].nunique(), "INC3": 0,
                "INC4": incidents.loc[incidents["kind"] == "중복 수령", "friend_id"].nunique()}
    excess = answer("a03.excess_blocks")

    def level(reached: float, extra: float) -> str:
        levels = [1 if reached >= 1000 else 2 if reached >= 100 else 3, 1 if extra >= 200 else 2 if extra >= 50 else 3]
        return f"SEV-{min(levels)}"

    expected = {scenario_id: level(affected[scenario_id], excess[scenario_id]) for scenario_id in GRADED}
    assert answer("a03.severity").to_dict() == expected
    # the level is the scenario's own: moving either measure by 10 % does not change it (the generator redraws)
    for scenario_id in GRADED:
        a, e = affected[scenario_id], int(excess[scenario_id])
        for a2, e2 in ((a * 0.9, e), (a * 1.1, e), (a, e - 0.1 * max(abs(e), 50)), (a, e + 0.1 * max(abs(e), 50))):
            assert level(a2, e2) == expected[scenario_id], (scenario_id, a, e)


def test_each_value_mistake_gets_its_own_message(cohort):
    for qid in ("a03.complaint_limit", "a03.alert_hour", "a03.detect_hours", "a03.excess_blocks", "a03.rumor_friends"):
        spec = spec_for(qid)
        for mistake in get(qid).mistakes:
            verdict = spec.judge(mistake.value())
            assert not verdict.correct and mistake.message in verdict.message, (qid, mistake.message)
            if get(qid).kind == "table":  # a table mistake is off in every row: it earns nothing
                assert score_answer(qid, mistake.value(), points=3) == 0, (qid, mistake.message)
        assert spec.judge(answer(qid)).correct
