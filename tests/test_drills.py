"""The crisis drill engine (course.drills) without widgets, and its ipywidgets front-end clicked headless."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings

import pandas as pd
import pytest

from conftest import ROOT
from course.drills import CHOICES, MANUAL_STEPS, SCENARIOS, Drill, DrillError, Outcome, run_drill

HANGUL = re.compile(r"[가-힣]")
BEST_STRATEGY = {"INC1": "rebuild", "INC2": "rebuild", "INC3": "deny", "INC4": "diminish"}
SILENT = ["watch", "wait_for_cause", "diminish", "fix_quietly"]
WORST = ["fix_alone", "promo_message", "deny", "blame_person"]


def manual(scenario: str) -> list[str]:
    return ["report_now", "notice_now", BEST_STRATEGY[scenario], "fix_and_share"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_drill_has_the_four_manual_steps_in_order_with_korean_situations(scenario):
    drill = Drill(scenario, seed=3)
    seen = []
    while not drill.finished:
        step = drill.current
        assert step.number == len(seen) + 1 and step.manual_step == MANUAL_STEPS[step.number - 1]
        assert HANGUL.search(step.situation) and len(step.choices) >= 3
        assert all(HANGUL.search(choice.label) for choice in step.choices)
        seen.append(step.manual_step)
        assert drill.choose(step.choices[0].id) == drill.current
    assert tuple(seen) == MANUAL_STEPS and drill.current is None


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_same_seed_and_choices_replay_the_same_outcome(scenario):
    first = run_drill(scenario, 11, manual(scenario))
    again = Drill(scenario, 11)
    for choice_id in manual(scenario):
        again.choose(choice_id)
    assert again.outcome() == first == Drill.replay(scenario, 11, manual(scenario))
    assert again.outcome() is again.outcome()  # simulated once


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_another_seed_gives_another_valid_outcome(scenario):
    outcomes = [run_drill(scenario, seed, manual(scenario)) for seed in (1, 2, 3)]
    assert len({(o.complaints, o.blocks, o.minutes_to_first_notice) for o in outcomes}) == 3
    for outcome in outcomes:
        assert isinstance(outcome, Outcome)
        assert outcome.complaints >= 0 and outcome.blocks > 0 and outcome.minutes_to_first_notice > 0
        assert len(outcome.debrief) == 4 and all(HANGUL.search(text) for text in outcome.debrief)
        assert sum(outcome.hourly_complaints) == outcome.complaints and sum(outcome.hourly_blocks) == outcome.blocks
        assert outcome.as_dict() == {"항의 채팅": outcome.complaints, "차단": outcome.blocks,
                                     "경보 후 첫 공지까지(분)": outcome.minutes_to_first_notice}
        assert outcome.summary().startswith(f"[{scenario} · 시드 {outcome.seed}]")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_manual_path_beats_silence_and_the_worst_path_on_every_cohort_and_several_seeds(cohort, scenario):
    for seed in range(5):
        good = run_drill(scenario, seed, manual(scenario))
        silent = run_drill(scenario, seed, SILENT)
        worst = run_drill(scenario, seed, WORST)
        assert good.complaints < silent.complaints and good.complaints < worst.complaints
        assert good.blocks <= silent.blocks and good.blocks < worst.blocks
        assert good.minutes_to_first_notice < worst.minutes_to_first_notice < silent.minutes_to_first_notice


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_fitting_strategy_scores_best_and_denying_a_true_error_backfires(scenario):
    by_strategy = {choice.id: run_drill(scenario, 5, ["report_now", "notice_now", choice.id, "fix_and_share"]).complaints
                   for choice in CHOICES[2]}
    assert min(by_strategy, key=by_strategy.get) == BEST_STRATEGY[scenario]
    if scenario != "INC3":  # a real error denied does worse than saying nothing about strategy at all
        assert by_strategy["deny"] == max(by_strategy.values())
    else:  # a rumor: correcting the facts beats compensating
        assert by_strategy["deny"] < by_strategy["rebuild"]


def test_an_early_ad_adds_blocks_and_a_fast_report_brings_the_notice_forward():
    base = ["report_now", "notice_now", "rebuild", "fix_and_share"]
    promo = run_drill("INC2", 4, ["report_now", "promo_message", "rebuild", "fix_and_share"])
    assert promo.blocks > run_drill("INC2", 4, base).blocks
    late = run_drill("INC2", 4, ["watch", *base[1:]])
    assert late.minutes_to_first_notice > run_drill("INC2", 4, base).minutes_to_first_notice
    assert late.complaints > run_drill("INC2", 4, base).complaints


def test_wrong_use_gets_a_korean_message():
    drill = Drill("INC1", 1)
    with pytest.raises(DrillError, match="선택지가 아니에요") as wrong:
        drill.choose("panic")
    assert "panic" in str(wrong.value) and "report_now" in str(wrong.value)
    with pytest.raises(DrillError, match="남았어요"):
        drill.outcome()
    for choice_id in manual("INC1"):
        drill.choose(choice_id)
    with pytest.raises(DrillError, match="이미 끝났어요"):
        drill.choose("report_now")
    with pytest.raises(DrillError, match="시나리오는 없어요"):
        Drill("INC9", 1)
    for seed in (-1, 1.5, "7", True):
        with pytest.raises(DrillError, match="시드는"):
            Drill("INC1", seed)
    with pytest.raises(DrillError, match="4개"):
        run_drill("INC1", 1, ["report_now"])
    with pytest.raises(DrillError, match="리스트"):
        run_drill("INC1", 1, "report_now")
    with pytest.raises(DrillError, match="2단계"):  # a step-3 choice given at step 2
        run_drill("INC1", 1, ["report_now", "rebuild", "rebuild", "fix_and_share"])


def test_the_widget_builds_and_clicks_through_headless_to_the_engines_outcome():
    from course.widgets import DrillView, drill_widget

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view = drill_widget("INC2", seed=9)
        assert isinstance(view, DrillView)
        assert "1/4단계" in view.step_label.value and MANUAL_STEPS[0] in view.step_label.value
        path = manual("INC2")
        for number, choice_id in enumerate(path, start=1):
            assert view.progress.value == number - 1
            button = next(b for b in view.buttons if b.choice_id == choice_id)
            button.click()
        assert view.drill.finished and view.buttons == [] and view.progress.value == 4
        button.click()  # a stale click after the end changes nothing
    outcome = run_drill("INC2", 9, path)
    assert view.drill.outcome() == outcome
    assert f"{outcome.complaints:,}" in view.result.value and "되짚어 보기" in view.result.value
    for text in outcome.debrief:
        assert text.split(".")[0] in view.result.value


def a03_forms(scenario: str) -> tuple[list[str], list[str]]:
    """Lesson 03's alert hour and time to detect for ``scenario`` on the current cohort, written as a lesson would.

    The alert hour: as 03 prints it (시간 번호 N, the clock of its start and end); the time to detect: as hours with
    two and one decimals, as minutes, as hours and minutes. A bare number equal to the hour number is not looked
    for: counts such as "차단 201건" can equal it by chance and say nothing about when the alert fired.
    """
    from grader.keys import a03_detection

    alert = a03_detection._alert_hour(scenario)
    detect = alert + 1 - a03_detection._onset_hours(scenario)
    start = a03_detection._start(scenario)
    words = [f"시간 번호 {alert}"]
    for hour in (alert, alert + 1):  # the alert hour's start and its end (when its count is complete)
        clock = start + pd.Timedelta(hours=hour)
        words += [clock.strftime("%m월 %d일"), f"{clock.month}월 {clock.day}일", clock.strftime("%H:%M"), f"{clock.hour}시"]
    minutes = round(detect * 60)
    numbers = [f"{detect:.2f}", f"{detect:.1f}시간", f"{minutes}분",
               f"{minutes // 60}시간 {minutes % 60}분" if minutes % 60 else f"{minutes // 60}시간"]
    return words, numbers


def drill_texts(scenario: str, seed: int, path: list[str]) -> list[str]:
    """Every text the engine and the widget show for one drill: situations, choices, outcome, debrief, widget HTML."""
    from course.widgets import drill_widget

    drill, view = Drill(scenario, seed), drill_widget(scenario, seed)
    texts = []
    for choice_id in path:
        step = drill.current
        texts += [step.manual_step, step.situation, *(choice.label for choice in step.choices)]
        texts += [view.title.value, view.step_label.value, view.situation.value, view.history.value,
                  *(button.description for button in view.buttons)]
        drill.choose(choice_id)
        next(button for button in view.buttons if button.choice_id == choice_id).click()
    outcome = drill.outcome()
    texts += [outcome.summary(), *outcome.debrief, *(f"{name} {value}" for name, value in outcome.as_dict().items())]
    texts += [repr(outcome), repr(drill.profile)]
    texts += [view.step_label.value, view.history.value, view.result.value]
    return texts


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_drill_text_gives_away_lesson_03s_alert_hour_or_time_to_detect(cohort, scenario):
    from grader.keys import answer

    words, numbers = a03_forms(scenario)
    if scenario != "INC1":  # INC1 is 03's worked example; the others are its graded answers
        assert words[0] == f"시간 번호 {answer('a03.alert_hour')[scenario]}"
    clock = re.compile(r"\d{1,2}:\d{2}|\d+월 \d+일|\d+시(?!간)")
    for seed in range(8):
        for path in (manual(scenario), SILENT, WORST):
            for text in drill_texts(scenario, seed, path):
                assert not clock.search(text), (seed, path, text)  # no clock time at all: the drill's clock is 경보 후 N분
                assert "사건 시작 후" not in text, (seed, path, text)
                for word in words:
                    assert word not in text, (seed, path, word, text)
                for number in numbers:  # standalone: "60분" is found in "경보 후 60분" but not in "160분"
                    assert not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text), (seed, path, number, text)


def test_the_drill_clock_counts_from_the_alert(cohort):
    drill = Drill("INC3", 2)
    assert drill.current.situation.startswith("경보가 울렸어요")
    drill.choose("watch")
    assert drill.current.situation.startswith(f"경보 후 {drill._report_minutes()}분:")
    assert 60 <= drill._report_minutes() <= 90
    drill.choose("notice_now")
    outcome = Drill.replay("INC3", 2, ["watch", "notice_now", "deny", "fix_and_share"])
    assert drill.current.situation.startswith(f"경보 후 {outcome.minutes_to_first_notice}분:")
    assert drill._report_minutes() + 20 <= outcome.minutes_to_first_notice <= drill._report_minutes() + 40
    assert f"경보 후 {outcome.minutes_to_first_notice}분" in outcome.debrief[1]


def test_the_prevention_choice_acts_only_from_the_moment_it_is_made(cohort):
    """Step 4 is chosen a day after the strategy: every hour before that is the same whichever prevention is picked."""
    from course.drills import PREVENTION_DELAY

    for scenario in SCENARIOS:
        base = [*manual(scenario)[:3]]
        shared = Drill(scenario, 3)
        for choice_id in base:
            shared.choose(choice_id)
        acts_from = shared._strategy_minutes() + PREVENTION_DELAY
        first_changed = (shared.profile.alert_minute + acts_from - 30) // 60 + 1 - shared.profile.onset_hour
        runs = [run_drill(scenario, 3, [*base, choice.id]) for choice in CHOICES[3]]
        before = {run.hourly_complaints[:first_changed] + run.hourly_blocks[:first_changed] for run in runs}
        assert len(before) == 1, scenario
        assert len({run.hourly_complaints[first_changed:] + run.hourly_blocks[first_changed:] for run in runs}) > 1, scenario
        assert "다음 날부터" not in " ".join(run.debrief[3] for run in runs)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_quoted_chats_are_the_crisis_own_words_never_seen_in_the_quiet_week(cohort, scenario):
    from conftest import raw

    rows = raw(cohort, "incidents")
    chats = rows[(rows["scenario_id"] == scenario) & (rows["kind"] == "채팅")]
    first_day = chats["at"].min()[:10]
    quiet_end = str(pd.Timestamp(first_day) + pd.Timedelta(days=7))
    quiet = set(chats.loc[chats["at"] < quiet_end, "text"])
    onset = rows.loc[(rows["scenario_id"] == scenario) & (rows["kind"] == "사건 시작"), "at"].iloc[0]
    later = set(chats.loc[chats["at"] >= onset, "text"])
    drill = Drill(scenario, 1)
    quoted = [drill.profile.first_chat, drill.profile.later_chat]
    assert quoted[0] != quoted[1]
    for text in quoted:
        assert text in later and text not in quiet, text
    assert f"“{quoted[0]}”" in drill.current.situation
    drill.choose("report_now")
    drill.choose("notice_now")
    assert f"“{quoted[1]}”" in drill.current.situation


def test_course_imports_neither_grader_nor_a_browser():
    code = ("import sys, course.drills, course.widgets\n"
            "course.widgets.drill_widget('INC1', 1)\n"
            "assert not [m for m in sys.modules if m == 'grader' or m.startswith('grader.')]\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr
