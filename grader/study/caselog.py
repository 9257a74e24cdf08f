"""The study team's case log: successes and failures from members' own channels, kept in a local SQLite file.

Each case: who shared it, the study week, the channel, the situation, what was tried, the KPI with its value before
and after, the lesson it relates to, 성공 or 실패, and what the team learned. A failure is a case worth sharing: the
log has no field for blame.

The file is opened in WAL mode with a busy timeout and every write is one ``BEGIN IMMEDIATE`` transaction, so two
members adding cases at the same moment both land. A file that is not a case log (damaged, or another database) is
refused with a Korean message and never written to. ``export_csv`` writes UTF-8 with BOM (Korean Excel).
"""

from __future__ import annotations

import csv
import math
import sqlite3
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

from .lessons import lesson_key, lessons, short

SCHEMA_VERSION = 1
OUTCOMES = ("성공", "실패")
LABELS = {"id": "번호", "added": "기록한 때", "week": "주차", "member": "공유한 사람", "channel": "채널",
          "situation": "상황", "tried": "시도한 것", "kpi": "KPI", "before": "전", "after": "후",
          "lesson": "관련 수업", "outcome": "결과", "learned": "배운 점"}
_TABLE = """CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    added TEXT NOT NULL,
    week INTEGER NOT NULL CHECK (week >= 1),
    member TEXT NOT NULL,
    channel TEXT NOT NULL,
    situation TEXT NOT NULL,
    tried TEXT NOT NULL,
    kpi TEXT NOT NULL,
    before REAL NOT NULL,
    after REAL NOT NULL,
    lesson TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('성공', '실패')),
    learned TEXT NOT NULL
)"""


class CaseLogError(Exception):
    """A case log that cannot be used, or a case that cannot be added (the message is Korean)."""


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


def _number(value, label: str, problems: list[str]) -> float:
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        problems.append(f"{label}: 숫자로 적어 주세요 (예: 0.031 또는 1200). 받은 값: '{value}'")
        return math.nan
    if not math.isfinite(number):
        problems.append(f"{label}: 숫자로 적어 주세요. 받은 값: '{value}'")
    return number


def make_case(week, member, channel, situation, tried, kpi, before, after, lesson, outcome, learned) -> Case:
    """A case from what a member typed, checked; every problem is named at once (``CaseLogError``)."""
    problems = []
    texts = {"member": member, "channel": channel, "situation": situation, "tried": tried, "kpi": kpi,
             "learned": learned}
    cleaned = {name: str(value or "").strip() for name, value in texts.items()}
    for name, value in cleaned.items():
        if not value:
            problems.append(f"{LABELS[name]}: 비어 있어요")
    try:
        week = int(week)
        if week < 1:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(f"주차: 1 이상의 정수로 적어 주세요. 받은 값: '{week}'")
        week = 0
    before_value = _number(before, LABELS["before"], problems)
    after_value = _number(after, LABELS["after"], problems)
    key = lesson_key(str(lesson or ""))
    if key is None:
        codes = ", ".join(short(k) for k in lessons())
        problems.append(f"관련 수업: '{lesson}'는 과정에 없는 수업이에요. 이 중에서 적어 주세요: {codes}")
    outcome = str(outcome or "").strip()
    if outcome not in OUTCOMES:
        problems.append(f"결과: '성공' 또는 '실패'로 적어 주세요. 받은 값: '{outcome}'")
    if problems:
        raise CaseLogError("사례를 기록하지 못했어요. 고칠 곳:\n" + "\n".join(f"  - {p}" for p in problems))
    return Case(week=week, before=before_value, after=after_value, lesson=key, outcome=outcome, **cleaned)


class CaseLog:
    """The log in ``path`` (made on first use)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.is_dir():
            raise CaseLogError(f"'{self.path}'는 폴더예요. 사례 기록 파일의 경로를 주세요 (예: 스터디/사례.sqlite).")
        empty = not self.path.exists() or self.path.stat().st_size == 0 or self._check_existing()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self._connect()
        try:
            db.execute("PRAGMA journal_mode=WAL")
            if empty:  # made here, in one transaction (two members starting the log at once make it once)
                db.execute("BEGIN IMMEDIATE")
                if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'cases'").fetchone():
                    db.execute(_TABLE)
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("COMMIT")
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 30000")
        return db

    def _check_existing(self) -> bool:
        """Whether the file is an empty database (a log being started); refuse, without writing a byte, a file that
        is not a readable case log."""
        damaged = (f"사례 기록 파일 '{self.path}'을 읽지 못했어요: 손상됐거나 사례 기록 파일이 아니에요. 파일은 그대로 "
                   "두었어요. 백업이 있으면 되돌리고, 없으면 이 파일을 다른 이름으로 옮긴 뒤 다시 실행해 새로 시작하세요.")
        try:
            db = sqlite3.connect(f"file:{self.path.resolve().as_posix()}?mode=ro", uri=True, timeout=30)
            try:
                ok = db.execute("PRAGMA quick_check").fetchone()[0]
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                columns = {row[1] for row in db.execute("PRAGMA table_info(cases)")}
                version = db.execute("PRAGMA user_version").fetchone()[0]
            finally:
                db.close()
        except sqlite3.DatabaseError:
            raise CaseLogError(damaged) from None
        if ok == "ok" and not tables:
            return True
        if ok != "ok" or columns != {f.name for f in fields(Case)} or version != SCHEMA_VERSION:
            raise CaseLogError(damaged)
        return False

    def add(self, case: Case) -> int:
        """Store ``case`` (one transaction); returns its number."""
        values = asdict(case)
        values["added"] = values["added"] or datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        values.pop("id")
        names = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            number = db.execute(f"INSERT INTO cases ({names}) VALUES ({marks})", values).lastrowid
            db.execute("COMMIT")
        except sqlite3.Error as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise CaseLogError(f"사례를 기록하지 못했어요 ({error}). 기록된 것은 없어요. 잠시 뒤 다시 해 주세요.") from None
        finally:
            db.close()
        return int(number)

    def cases(self, week: int | None = None) -> list[Case]:
        """Every case (or one week's), oldest first."""
        db = self._connect()
        try:
            db.row_factory = sqlite3.Row
            query = "SELECT * FROM cases" + (" WHERE week = ?" if week is not None else "") + " ORDER BY id"
            rows = db.execute(query, () if week is None else (int(week),)).fetchall()
        finally:
            db.close()
        return [Case(**dict(row)) for row in rows]

    def export_csv(self, out: str | Path) -> Path:
        """Every case as CSV, UTF-8 with BOM, Korean headers; written beside and moved into place."""
        out = Path(out)
        if out.is_dir():
            out = out / "사례_기록.csv"
        partial = out.with_name(out.name + ".partial")
        order = ["id", "added", "week", "member", "channel", "situation", "tried", "kpi", "before", "after",
                 "lesson", "outcome", "learned"]
        with open(partial, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([LABELS[name] for name in order])
            for case in self.cases():
                row = asdict(case)
                writer.writerow([f"{row[name]:g}" if name in ("before", "after") else row[name] for name in order])
        partial.replace(out)
        return out
