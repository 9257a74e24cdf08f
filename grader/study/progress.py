"""Where every member stands: members × lessons, from a cohort's gradebook or from a folder of members' notebooks.

A team with a trainer reads the cohort's gradebook (``board_from_cohort``). A team without one hands in a folder,
``<member>/<lesson>.ipynb`` (or ``<member>/<tier>/<lesson>.ipynb``): the trainer's own loop runs on it in the team's
folder (a cohort on the course's data, the members as its roster, collect, then the grading engine), so each member
is graded exactly as a trainer would grade them (``board_from_folder``). Each week's board is kept in the team file,
so each member's trend can be drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..trainer.errors import TrainerError
from .store import StudyDB, StudyError

GRADING_FOLDER = "채점"  # in the team folder: the cohort a trainer-less team's notebooks are graded in


@dataclass
class Board:
    names: dict[str, str]  # member id -> name, in roster order
    percent: pd.DataFrame  # members (index) × lessons "tier/notebook" (columns), 0-100; NaN where not handed in
    cells: pd.DataFrame = field(default_factory=pd.DataFrame)  # the graded cells (report.gather's)

    @property
    def empty(self) -> bool:
        return self.percent.empty or self.percent.isna().all().all()


def _board(results) -> Board:
    names = {learner.id: learner.name or learner.id for learner in results.learners}
    cells = results.cells[results.cells["points"].notna()]
    lessons = [f"{t}/{n}" for t, n in dict.fromkeys(zip(results.cells["tier"], results.cells["notebook"]))]
    table = pd.DataFrame(index=list(names), columns=lessons, dtype=float)
    for (learner, tier, notebook), part in cells.groupby(["learner", "tier", "notebook"]):
        table.loc[learner, f"{tier}/{notebook}"] = 100 * part["points"].sum() / part["max_points"].sum()
    return Board(names, table, results.cells)


def board_from_cohort(cohort) -> Board:
    """The cohort's gradebook as a board (an empty board before anything is graded)."""
    from ..trainer.report import gather
    from ..trainer.roster import read_roster

    try:
        return _board(gather(cohort))
    except TrainerError:
        names = {learner.id: learner.name or learner.id for learner in read_roster(cohort)}
        return Board(names, pd.DataFrame(index=list(names), dtype=float))


def board_from_folder(members: Path, team_folder: Path, say=print, source: Path | None = None,
                      jobs: int | None = None) -> Board:
    """Grade the members' notebooks on the spot (only what is new or changed since the last time) and read them."""
    from ..engine.grading import autograde
    from ..trainer import cohort as cohorts
    from ..trainer.collect import collect
    from ..trainer.roster import import_roster

    members = Path(members)
    if not members.is_dir():
        raise StudyError(f"'{members}' 폴더가 없어요. 멤버마다 폴더가 하나씩 있는 폴더를 주세요 (예: 노트북/김민지/...).")
    people = sorted(p.name for p in members.iterdir() if p.is_dir() and not p.name.startswith("."))
    folder = Path(team_folder) / GRADING_FOLDER
    extra = {"source": source} if source is not None else {}
    say("진행 상황: 멤버들의 노트북을 채점해요 (처음 한 번은 학습용 사본을 만드느라 몇 분 걸려요)")
    cohort = cohorts.create("스터디", 2026, folder=folder, say=lambda line: say(f"  {line}"), **extra)
    if not people:
        return Board({}, pd.DataFrame(dtype=float))
    roster = folder / "멤버.csv"
    roster.write_text("id,name,email\n" + "".join(f"{p},{p},\n" for p in people), encoding="utf-8-sig")
    import_roster(cohort, roster, say=lambda line: None)
    for tier in cohort.tiers():
        collect(cohort, tier, members, say=lambda text: None)
        if any((cohort.grader / "submitted").glob(f"*/{tier}/*.ipynb")):
            summary = autograde(cohort.grader, tier, jobs=jobs, progress=False, say=lambda line: None)
            say(f"  {tier}: " + summary.text().splitlines()[0])
    return board_from_cohort(cohort)


def keep_week(db: StudyDB, week: int, board: Board) -> None:
    """The week's board into the team file (replacing what that week had)."""
    rows = [(int(week), member, lesson, float(value)) for member, row in board.percent.iterrows()
            for lesson, value in row.items() if not (value is None or math.isnan(value))]
    with db.writing() as connection:
        connection.execute("DELETE FROM progress WHERE week = ?", (int(week),))
        connection.executemany("INSERT INTO progress VALUES (?, ?, ?, ?)", rows)


def trend(db: StudyDB) -> pd.DataFrame:
    """Weeks (index) × members: the mean of each member's lesson percentages that week."""
    rows = db.rows("SELECT week, member, AVG(percent) AS percent FROM progress GROUP BY week, member ORDER BY week")
    if not rows:
        return pd.DataFrame(dtype=float)
    return pd.DataFrame(rows).pivot(index="week", columns="member", values="percent")
