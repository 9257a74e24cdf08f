"""The study team's one SQLite file (``스터디.sqlite``): the case log, the weekly goals and each week's progress.

Opened in WAL mode with a busy timeout; every write is one ``BEGIN IMMEDIATE`` transaction, so two members writing at
the same moment both land. A file that is not this team file (damaged, or another database) is refused with a Korean
message and never written to: not a byte, not a journal.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

SCHEMA_VERSION = 1
FILE_NAME = "스터디.sqlite"
TABLES = {
    "cases": """CREATE TABLE cases (
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
    )""",
    "goals": """CREATE TABLE goals (
        week INTEGER PRIMARY KEY CHECK (week >= 1),
        set_on TEXT NOT NULL,
        kpi TEXT NOT NULL,
        scope TEXT NOT NULL,
        baseline REAL NOT NULL,
        target REAL NOT NULL,
        swing REAL,
        due TEXT NOT NULL,
        why TEXT NOT NULL,
        check_how TEXT NOT NULL,
        result REAL
    )""",
    "progress": """CREATE TABLE progress (
        week INTEGER NOT NULL,
        member TEXT NOT NULL,
        lesson TEXT NOT NULL,
        percent REAL NOT NULL,
        PRIMARY KEY (week, member, lesson)
    )""",
}


class StudyError(Exception):
    """Something about the study team's files or input that the team must fix (the message is Korean)."""


class StudyDB:
    """The team file at ``path``, or ``스터디.sqlite`` in the team folder ``path`` (made on first use)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.is_dir() or self.path.suffix != ".sqlite":  # a team folder
            self.path = self.path / FILE_NAME
        empty = not self.path.exists() or self.path.stat().st_size == 0 or self._is_empty_database()
        if empty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.writing() as db:  # two members starting the file at once make it once
                made = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                for name, statement in TABLES.items():
                    if name not in made:
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _damaged(self) -> StudyError:
        return StudyError(f"스터디 파일 '{self.path}'을 읽지 못했어요: 손상됐거나 스터디 파일이 아니에요. 파일은 그대로 "
                          "두었어요. 백업이 있으면 되돌리고, 없으면 이 파일을 다른 이름으로 옮긴 뒤 다시 실행해 새로 "
                          "시작하세요.")

    def _is_empty_database(self) -> bool:
        """True for a database with no tables yet (being started); raises for anything but this team file."""
        try:
            db = sqlite3.connect(f"file:{self.path.resolve().as_posix()}?mode=ro", uri=True, timeout=30)
            try:
                ok = db.execute("PRAGMA quick_check").fetchone()[0]
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                version = db.execute("PRAGMA user_version").fetchone()[0]
            finally:
                db.close()
        except sqlite3.DatabaseError:
            raise self._damaged() from None
        if ok == "ok" and not tables:
            return True
        if ok != "ok" or not set(TABLES) <= tables or version != SCHEMA_VERSION:
            raise self._damaged()
        return False

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 30000")
        self._use_wal(db)
        db.row_factory = sqlite3.Row
        return db

    @staticmethod
    def _use_wal(db: sqlite3.Connection) -> None:
        """Switch a new file to WAL. SQLite answers "database is locked" at once, without waiting out the busy
        timeout, when another member's connection is starting the same file, so wait for it here (up to 30 s)."""
        deadline = time.monotonic() + 30
        while db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            try:
                db.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    @contextmanager
    def writing(self):
        """One write transaction: all of it lands or none of it does."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except sqlite3.Error as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise StudyError(f"스터디 파일에 쓰지 못했어요 ({error}). 바뀐 것은 없어요. 잠시 뒤 다시 해 주세요.") from None
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def rows(self, query: str, arguments: tuple = ()) -> list[dict]:
        db = self._connect()
        try:
            return [dict(row) for row in db.execute(query, arguments).fetchall()]
        finally:
            db.close()


def insert(connection: sqlite3.Connection, table: str, values: dict) -> int:
    """One row of ``values`` (column -> value) into ``table`` inside a ``writing()`` block; returns its rowid."""
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    return int(connection.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values).lastrowid)
