"""The study team's case log: successes and failures from members' own channels, in the team's SQLite file.

Each case: who shared it, the study week, the channel, the situation, what was tried, the KPI with its value before
and after, the lesson it relates to, 성공 or 실패, and what the team learned. A failure is a case worth sharing: the
log has no field for blame.

Two members adding cases at the same moment both land (``store``). ``export_csv`` writes UTF-8 with BOM (Korean
Excel).
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from .lessons import lesson_key, lessons, short
from . import typed
from .store import StudyDB, StudyError, insert

OUTCOMES = ("성공", "실패")
LABELS = {"id": "번호", "added": "기록한 때", "week": "주차", "member": "공유한 사람", "channel": "채널",
          "situation": "상황", "tried": "시도한 것", "kpi": "KPI", "before": "전", "after": "후",
          "lesson": "관련 수업", "outcome": "결과", "learned": "배운 점"}


@dataclass
class Case:
    week: int
    member: str
    channel: str
    situation: str
    tried: str
    kpi: str
    before: float
    after: float
    lesson: str
    outcome: str
    learned: str
    added: str = ""
    id: int | None = None

    @property
    def change(self) -> float:
        return self.after - self.before


def make_case(week, member, channel, situation, tried, kpi, before, after, lesson, outcome, learned) -> Case:
    """A case from what a member typed, checked; every problem is named at once (``CaseLogError``)."""
    problems = []
    texts = {"member": member, "channel": channel, "situation": situation, "tried": tried, "kpi": kpi,
             "learned": learned}
    cleaned = {name: str(value or "").strip() for name, value in texts.items()}
    for name, value in cleaned.items():
        if not value:
            problems.append(f"{LABELS[name]}(--{name}): 비어 있어요")
    from .goals import KPIS

    if cleaned["kpi"] and cleaned["kpi"] not in KPIS:
        problems.append(f"KPI(--kpi): '{cleaned['kpi']}'는 용어집의 KPI가 아니에요. 이 중에서 적어 주세요: {', '.join(KPIS)}")
    week = typed.week(week, "주차(--week)", problems)
    before_value = typed.number(before, "시도 전 값(--before)", problems)
    after_value = typed.number(after, "시도 후 값(--after)", problems)
    key = lesson_key(str(lesson or ""))
    if key is None:
        codes = ", ".join(f"{short(k)} {title.split('. ', 1)[-1]}" for k, title in lessons().items())
        problems.append(f"관련 수업(--lesson): '{lesson}'는 과정에 없는 수업이에요. 이 중에서 적어 주세요: {codes}")
    outcome = str(outcome or "").strip()
    if outcome not in OUTCOMES:
        problems.append(f"결과(--outcome): '성공' 또는 '실패'로 적어 주세요. 받은 값: '{outcome}'")
    if problems:
        raise StudyError("사례를 기록하지 못했어요. 고칠 곳:\n" + "\n".join(f"  - {p}" for p in problems))
    return Case(week=week, before=before_value, after=after_value, lesson=key, outcome=outcome, **cleaned)


def add_case(db: StudyDB, case: Case) -> int:
    """Store ``case`` (one transaction); returns its number."""
    values = asdict(case)
    values["added"] = values["added"] or datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    values.pop("id")
    with db.writing() as connection:
        return insert(connection, "cases", values)


def cases(db: StudyDB, week: int | None = None) -> list[Case]:
    """Every case (or one week's), oldest first."""
    where = " WHERE week = ?" if week is not None else ""
    return [Case(**row) for row in db.rows(f"SELECT * FROM cases{where} ORDER BY id",
                                           () if week is None else (int(week),))]


REMOVED = "지운_사례.csv"  # beside the team file: a removed case is kept here, never simply gone


def remove_case(db: StudyDB, number: int) -> Case:
    """Take case ``number`` out of the log (a wrong or test entry); its row is first added to ``지운_사례.csv``."""
    found = db.rows("SELECT * FROM cases WHERE id = ?", (int(number),))
    if not found:
        raise StudyError(f"{number}번 사례가 없어요. `python -m grader study case list`로 번호를 확인해 주세요.")
    case = Case(**found[0])
    kept = db.path.parent / REMOVED
    fresh = not kept.exists()
    with open(kept, "a", encoding="utf-8-sig" if fresh else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if fresh:
            writer.writerow([LABELS[name] for name in ORDER])
        row = asdict(case)
        writer.writerow([row[name] for name in ORDER])
    with db.writing() as connection:
        connection.execute("DELETE FROM cases WHERE id = ?", (int(number),))
    return case


ORDER = ("id", "added", "week", "member", "channel", "situation", "tried", "kpi", "before", "after", "lesson",
         "outcome", "learned")


def export_csv(db: StudyDB, out: str | Path) -> Path:
    """Every case as CSV, UTF-8 with BOM, Korean headers; written beside and moved into place."""
    out = Path(out)
    if out.is_dir():
        out = out / "사례_기록.csv"
    partial = out.with_name(out.name + ".partial")
    with open(partial, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([LABELS[name] for name in ORDER])
        for case in cases(db):
            row = asdict(case)
            writer.writerow([f"{row[name]:g}" if name in ("before", "after") else row[name] for name in ORDER])
    partial.replace(out)
    return out
