"""The drill of the week: a crisis scenario on channel data of a fresh seed, the team's questions and the
facilitator's answer sheet.

The seed comes from the team's name and the week number, so the drill differs from week to week and the same week
replays identically (the same data, the same situations, the same outcomes). The scenario moves on each week through
the four of the data. The data is made once per week in ``<team>/주차/<NN>주차/훈련_데이터`` beside that week's pack
(written beside, moved in whole).

The answer sheet plays every path through the four steps with the course's drill engine (``course.drills``): the
best and worst path, and what each first-notice choice does with the other steps at their best. The team's sheet
lists each step's choices in an order of the week's own, so last week's best answer is not simply "the first one".
"""

from __future__ import annotations

import hashlib
import itertools
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from course.data import reading
from course.drills import CHOICES, MANUAL_STEPS, SCENARIOS, Drill, Outcome, run_drill

from ..trainer.scratch import scratch_folder


def week_seed(team: str, week: int) -> int:
    digest = hashlib.sha256(f"kakao-channel-academy|study|{team}|{int(week)}".encode("utf-8")).digest()
    return 10_000 + int.from_bytes(digest[:4], "big") % 1_000_000_000


def week_scenario(team: str, week: int) -> str:
    """The scenarios in turn, from a start of the team's own (a new scenario every week, all four in four weeks)."""
    start = int.from_bytes(hashlib.sha256(team.encode("utf-8")).digest()[:2], "big")
    return SCENARIOS[(start + int(week)) % len(SCENARIOS)]


@dataclass
class WeekDrill:
    week: int
    scenario: str
    seed: int
    data: Path
    first_situation: str
    steps: list[tuple[str, list[str]]]  # (manual step, the choices' labels)
    best: Outcome
    worst: Outcome
    by_notice: dict[str, Outcome]  # first-notice choice label -> outcome, the other steps as in the best path

    def label(self, step: int, choice_id: str) -> str:
        return next(c.label for c in CHOICES[step] if c.id == choice_id)


def week_data(folder: Path, seed: int, say=print) -> Path:
    """The week's channel data (made once)."""
    from course.datagen import generate
    from course.tables import TABLES

    data = Path(folder) / "훈련_데이터"
    if all((data / table.file_name).is_file() for table in TABLES.values()):
        return data
    Path(folder).mkdir(parents=True, exist_ok=True)
    say(f"  이번 주 훈련 데이터를 만들어요 (시드 {seed}, 한 번만, 10~30초)")
    scratch = scratch_folder(Path(folder), ".data-")
    try:
        generate(scratch, seed=seed, progress=lambda step: None)
        shutil.rmtree(data, ignore_errors=True)
        scratch.rename(data)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return data


def drill_of_week(team: str, week: int, team_folder: Path, say=print) -> WeekDrill:
    seed, scenario = week_seed(team, week), week_scenario(team, week)
    data = week_data(Path(team_folder) / "주차" / f"{int(week):02d}주차", seed, say)
    with reading(data):
        first = Drill(scenario, seed).current.situation
        paths = list(itertools.product(*[[c.id for c in step] for step in CHOICES]))
        played = [run_drill(scenario, seed, path) for path in paths]
        harm = [o.complaints + o.blocks for o in played]
        best = played[harm.index(min(harm))]
        worst = played[harm.index(max(harm))]
        by_notice = {}
        for choice in CHOICES[1]:
            path = (best.choices[0], choice.id, *best.choices[2:])
            by_notice[choice.label] = run_drill(scenario, seed, path)
    order = random.Random(seed)  # the choices in the week's own order: the best one is not always listed first
    steps = [(MANUAL_STEPS[i], order.sample([c.label for c in CHOICES[i]], len(CHOICES[i])))
             for i in range(len(MANUAL_STEPS))]
    return WeekDrill(int(week), scenario, seed, data, first, steps, best, worst, by_notice)
