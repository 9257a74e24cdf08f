"""``python -m grader collect``: submissions from a folder or an LMS zip into ``submitted/``; late, renamed, duplicate
and unknown-learner files reported and kept aside, a resubmission keeping the copy it replaces, nothing lost."""

from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

from grader.trainer.collect import ASIDE, EARLIER, collect, parse_deadline
from grader.trainer.errors import TrainerError
from grader.trainer.roster import import_roster
from grading import submission
from trainer_cohort import LESSON, REPO, TIER, lay_out, write_csv

ROSTER = "id,name,email\nkim01,김민지,kim@example.com\nlee02,이서준,lee@example.com\npark03,박지훈,\n"
DEADLINE = datetime(2026, 12, 20, 18, 0)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    cohort = lay_out(tmp_path_factory.mktemp("collect") / "반", build=True)
    import_roster(cohort, write_csv(cohort.folder.parent / "명단.csv", ROSTER), say=lambda _: None)
    return cohort


def _notebook_bytes(cohort, solved: bool) -> bytes:
    nb = submission(cohort.grader / "release" / TIER / LESSON, cohort.folder / TIER / LESSON, solved=solved)
    return nbformat.writes(nb).encode("utf-8")


def _lms_zip(path: Path, files: dict[str, tuple[bytes, datetime]]) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, (data, when) in files.items():
            bundle.writestr(zipfile.ZipInfo(name, when.timetuple()[:6]), data)
    return path


def _aside_reasons(cohort) -> dict[str, str]:
    rows = {}
    for sheet in (cohort.grader / ASIDE).glob("*/사유.csv"):
        with open(sheet, encoding="utf-8-sig", newline="") as handle:
            rows.update({row["파일"]: row["사유"] for row in csv.DictReader(handle)})
    return rows


def test_an_lms_zip_is_sorted_and_nothing_is_dropped(built, tmp_path):
    cohort = built
    right, blank = _notebook_bytes(cohort, True), _notebook_bytes(cohort, False)
    on_time, late = datetime(2026, 12, 19, 10, 0), datetime(2026, 12, 21, 9, 30)
    source = _lms_zip(tmp_path / "LMS_다운로드.zip", {
        f"김민지_12345_assignsubmission_file_{LESSON}": (right, on_time),  # by name
        "lee02_과제.ipynb": (blank, on_time),  # by id, renamed: its lesson found by its cells
        f"박지훈_999_{LESSON}": (right, late),  # after the deadline
        f"최유진_777_{LESSON}": (right, on_time),  # not on the roster
        "김민지_12345_메모.txt": (b"notes", on_time),  # not a notebook
        "__MACOSX/._x.ipynb": (b"junk", on_time),
    })
    said: list[str] = []
    result = collect(cohort, TIER, source, deadline=DEADLINE, say=said.append)
    submitted = cohort.grader / "submitted"
    assert (submitted / "kim01" / TIER / LESSON).read_bytes() == right
    assert (submitted / "lee02" / TIER / LESSON).read_bytes() == blank
    assert not (submitted / "park03").exists() and not (submitted / "최유진").exists()
    assert (submitted / "kim01" / TIER / "timestamp.txt").read_text(encoding="utf-8").startswith("2026-12-19 10:00:00")
    reasons = _aside_reasons(cohort)
    assert "마감 후 제출" in reasons[f"박지훈_999_{LESSON}"]
    assert "명단에 없는" in reasons[f"최유진_777_{LESSON}"]
    assert "이름이 바뀐" in reasons["lee02_과제.ipynb"]
    assert "노트북(.ipynb) 파일이 아니에요" in reasons["김민지_12345_메모.txt"]
    assert "__MACOSX/._x.ipynb" not in reasons
    kept = {p.name for p in result.aside.rglob("*") if p.is_file()}
    assert {f"박지훈_999_{LESSON}", f"최유진_777_{LESSON}", "lee02_과제.ipynb", "김민지_12345_메모.txt"} <= kept
    assert "받은 제출물 2개" in said[0] and "받지 않고 따로 둔 파일 3개" in said[0]


def test_a_resubmission_keeps_the_copy_it_replaces_and_the_same_file_again_changes_nothing(built, tmp_path):
    cohort = built
    first, second = _notebook_bytes(cohort, False), _notebook_bytes(cohort, True)
    folder = tmp_path / "제출"
    (folder / "park03" / TIER).mkdir(parents=True)
    (folder / "park03" / TIER / LESSON).write_bytes(first)
    collect(cohort, TIER, folder, say=lambda _: None)
    target = cohort.grader / "submitted" / "park03" / TIER / LESSON
    assert target.read_bytes() == first
    again = collect(cohort, TIER, folder, say=lambda _: None)
    assert [o.reason for o in again.outcomes] == ["이미 받은 것과 같아요 (그대로 둠)"]
    (folder / "park03" / TIER / LESSON).write_bytes(second)
    newer = collect(cohort, TIER, folder, say=lambda _: None)
    assert target.read_bytes() == second and "다시 낸 제출물" in newer.outcomes[0].reason
    kept = list((cohort.grader / EARLIER).rglob(f"park03/{TIER}/{LESSON}"))
    assert kept and any(path.read_bytes() == first for path in kept)


def test_two_copies_of_one_lesson_take_the_later_and_keep_the_other(built, tmp_path):
    cohort = built
    older, newer = _notebook_bytes(cohort, False), _notebook_bytes(cohort, True)
    source = _lms_zip(tmp_path / "두번.zip", {f"lee02_1_{LESSON}": (older, datetime(2026, 12, 18, 9, 0)),
                                             f"lee02_2_{LESSON}": (newer, datetime(2026, 12, 19, 9, 0))})
    collect(cohort, TIER, source, say=lambda _: None)
    assert (cohort.grader / "submitted" / "lee02" / TIER / LESSON).read_bytes() == newer
    assert "또 냈어요" in _aside_reasons(cohort)[f"lee02_1_{LESSON}"]


@pytest.mark.parametrize("make, words", [(lambda p: p / "없음", "없어요"),
                                         (lambda p: (p / "a.txt").write_text("x") and p / "a.txt", "zip 파일이 아니에요")])
def test_a_bad_source_is_refused_in_korean(built, tmp_path, make, words):
    before = sorted(p.relative_to(built.grader).as_posix() for p in built.grader.rglob("*"))
    with pytest.raises(TrainerError, match=words):
        collect(built, TIER, make(tmp_path), say=lambda _: None)
    assert sorted(p.relative_to(built.grader).as_posix() for p in built.grader.rglob("*")) == before


def test_a_deadline_is_read_or_refused_in_korean():
    assert parse_deadline("2026-12-20 18:00") == DEADLINE
    assert parse_deadline("2026-12-20") == datetime(2026, 12, 20, 23, 59, 59)
    with pytest.raises(TrainerError, match="마감 시각"):
        parse_deadline("12월 20일")


def test_the_cli_collects_and_reports_in_korean(built, tmp_path):
    folder = tmp_path / "폴더"
    (folder / "kim01").mkdir(parents=True)
    (folder / "kim01" / LESSON).write_bytes(_notebook_bytes(built, True))
    shown = subprocess.run([sys.executable, "-m", "grader", "collect", TIER, str(folder), "--cohort", str(built.folder),
                            "--deadline", "2026-12-20 18:00"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert shown.returncode == 0, shown.stderr
    assert "받은 제출물 1개" in shown.stdout
    bad = subprocess.run([sys.executable, "-m", "grader", "collect", TIER, str(folder), "--cohort", str(built.folder),
                          "--deadline", "내일"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and bad.stderr.startswith("오류: ") and "Traceback" not in bad.stderr


def test_a_renamed_file_finds_its_lesson_among_lessons_that_share_grade_ids():
    """Lessons reuse grade ids (a1, t1, ...): the lesson is told by its locked cells' text, and a file name that
    names a lesson wins over the content."""
    from grader.trainer.collect import Item, _cells_of, _lesson_of

    sources = {name: (REPO / TIER / name).read_bytes() for name in ("01_channel_status.ipynb", "04_smart_goals.ipynb")}
    lessons = {name: _cells_of(data) for name, data in sources.items()}
    when = datetime(2026, 12, 19)
    assert _lesson_of(Item("김민지_과제.ipynb", sources["04_smart_goals.ipynb"], when), lessons) == (
        "04_smart_goals.ipynb", True)
    assert _lesson_of(Item("김민지_과제.ipynb", sources["01_channel_status.ipynb"], when), lessons) == (
        "01_channel_status.ipynb", True)
    assert _lesson_of(Item("kim01_04_smart_goals.ipynb", sources["04_smart_goals.ipynb"], when), lessons) == (
        "04_smart_goals.ipynb", False)
    assert _lesson_of(Item("메모.ipynb", b"{}", when), lessons) == ("", False)
