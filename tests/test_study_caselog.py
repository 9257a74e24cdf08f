"""The study team's case log (SQLite): Korean text round-trips, bad input is named, two writers at once both land,
a damaged file is refused and left as it was, and the log exports to a CSV Korean Excel reads."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.study.caselog import add_case, cases, export_csv, make_case
from grader.study.store import StudyDB, StudyError

STORY = dict(week=3, member="김민지", channel="동네빵집 🍞", situation="주말 쿠폰을 보낸 뒤 차단이 늘었어요.\n둘째 줄",
             tried="발송을 주 3회에서 주 1회로, '(광고)' 표기 확인", kpi="차단율", before="0.012", after="0.006",
             lesson="b04", outcome="실패", learned="쿠폰보다 빈도가 문제였어요. 다음엔 A/B 테스트로 확인해요.")


def test_a_korean_case_comes_back_as_it_was_written(tmp_path):
    log = StudyDB(tmp_path / "스터디")
    number = add_case(log, make_case(**STORY))
    [case] = cases(StudyDB(tmp_path / "스터디" / "스터디.sqlite"))
    assert case.id == number and case.lesson == "beginner/04_smart_goals" and case.outcome == "실패"
    for name in ("member", "channel", "situation", "tried", "kpi", "learned"):
        assert getattr(case, name) == STORY[name], name
    assert (case.before, case.after) == (0.012, 0.006) and case.change == pytest.approx(-0.006)
    assert cases(log, week=3) == [case] and cases(log, week=4) == []


def test_every_problem_of_a_case_is_named_in_korean_and_nothing_is_added(tmp_path):
    log = StudyDB(tmp_path / "스터디.sqlite")
    bad = {**STORY, "member": " ", "before": "3%", "lesson": "z99", "outcome": "반반", "week": "0", "kpi": "클릭수"}
    with pytest.raises(StudyError) as raised:
        add_case(log, make_case(**bad))
    said = str(raised.value)
    for words in ("공유한 사람(--member): 비어 있어요", "시도 전 값(--before): 숫자로", "3%는 0.03",
                  "'z99'는 과정에 없는 수업", "b04 성과 측정과 SMART 목표", "'성공' 또는 '실패'", "주차(--week): 1 이상",
                  "'클릭수'는 용어집의 KPI가 아니에요"):
        assert words in said, said
    assert cases(log) == []


WRITER = """
import sys, time
from pathlib import Path
from grader.study.caselog import add_case, make_case
from grader.study.store import StudyDB
path, who, count, gate = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
(gate / who).touch()
while len(list(gate.iterdir())) < 2:
    time.sleep(0.001)
log = StudyDB(path)
for n in range(count):
    add_case(log, make_case(1, who, "채널", f"상황 {n}", "시도", "클릭률", n, n + 1, "i02", "성공", "배운 점"))
    while n == 0 and len({row["member"] for row in log.rows("SELECT member FROM cases")}) < 2:
        time.sleep(0.001)  # the rest only once the other member's first case is in: both are writing now
"""


def test_two_members_adding_at_the_same_moment_lose_nothing(tmp_path):
    """Two processes open a new log and add 150 cases each, starting together (WAL and BEGIN IMMEDIATE).

    Each writer says it is ready (its imports done) in a gate folder and waits for the other; both then start the
    new file at once, and each writes the rest only after the other's first case is in. So a slow start under load
    cannot let one finish before the other begins."""
    path, count, gate = tmp_path / "스터디.sqlite", 150, tmp_path / "gate"
    gate.mkdir()
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), who, str(count), str(gate)],
                                stderr=subprocess.PIPE, text=True) for who in ("김민지", "이서준")]
    for writer in writers:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
    found = cases(StudyDB(path))
    assert len(found) == 2 * count and len({c.id for c in found}) == 2 * count
    for who in ("김민지", "이서준"):
        assert sorted(c.situation for c in found if c.member == who) == sorted(f"상황 {n}" for n in range(count))
    order = [c.member for c in found]
    assert sum(a != b for a, b in zip(order, order[1:])) > 1, "the two writers did not overlap"
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("damage", ["garbage", "other database", "truncated"])
def test_a_damaged_log_is_refused_in_korean_and_left_as_it_was(tmp_path, damage):
    path = tmp_path / "스터디.sqlite"
    if damage == "garbage":
        path.write_bytes("이건 사례 기록이 아니에요".encode("utf-8") * 100)
    elif damage == "other database":
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE orders (id INTEGER)")
        other.commit()
        other.close()
    else:
        log = StudyDB(path)
        for _ in range(30):
            add_case(log, make_case(**STORY))
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    before = path.read_bytes()
    with pytest.raises(StudyError, match="손상됐거나 스터디 파일이 아니에요. 파일은 그대로 두었어요"):
        StudyDB(path)
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists() or damage == "truncated"


def test_the_log_exports_to_a_csv_korean_excel_reads(tmp_path):
    log = StudyDB(tmp_path / "스터디.sqlite")
    add_case(log, make_case(**STORY))
    add_case(log, make_case(**{**STORY, "week": 4, "outcome": "성공", "member": "박하윤"}))
    out = export_csv(log, tmp_path)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["공유한 사람"] for r in rows] == ["김민지", "박하윤"] and rows[0]["상황"] == STORY["situation"]
    assert (rows[0]["전"], rows[0]["후"], rows[1]["결과"]) == ("0.012", "0.006", "성공")


def test_a_removed_case_leaves_the_log_and_is_kept_beside_it(tmp_path):
    from grader.study.caselog import REMOVED, remove_case

    log = StudyDB(tmp_path)
    first = add_case(log, make_case(**STORY))
    add_case(log, make_case(**{**STORY, "member": "박하윤"}))
    gone = remove_case(log, first)
    assert gone.member == "김민지" and [c.member for c in cases(log)] == ["박하윤"]
    with open(tmp_path / REMOVED, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["번호"], r["공유한 사람"], r["상황"]) for r in rows] == [(str(first), "김민지", STORY["situation"])]
    with pytest.raises(StudyError, match="99번 사례가 없어요"):
        remove_case(log, 99)
