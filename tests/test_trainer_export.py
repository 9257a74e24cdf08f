"""``python -m grader export``: the cohort's gradebook as an LMS CSV, on a small course graded by the engine.

One cohort with the orientation lesson only: a roster of three (김민지 hands in the solutions, 이서준 a blank copy,
박지훈 nothing) and a guest the roster does not name, graded once; tests that change grades work on a copy.
"""

from __future__ import annotations

import csv
import hashlib
import warnings
from pathlib import Path

import nbformat
import pytest

from conftest import using_data
from grader.__main__ import main
from grader.engine.grading import Limits, autograde
from grader.trainer import export, roster
from grader.trainer.errors import TrainerError
from grading import submission
from trainer_cohort import LESSON, TIER, copy_of, lay_out, quiet, students, write_csv

ROSTER = "아이디,이름,이메일\nkim01,김민지,kim01@example.com\nlee02,이서준,\npark03,박지훈,park03@example.kr\n"
POINTS = "초급 점수 (beginner points)"
MAX = "초급 만점 (beginner max)"
PERCENT = "초급 백분율 (beginner percent)"
STATUS = "초급 상태 (beginner status)"
LESSON_POINTS = "초급 00_orientation 점수 (points)"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("export")
    cohort = lay_out(base / "12기", build=True)
    roster.import_roster(cohort, write_csv(base / "명단.csv", ROSTER), say=quiet)
    release, source = cohort.grader / "release" / TIER / LESSON, cohort.folder / TIER / LESSON
    for student, solved in (("kim01", True), ("lee02", False), ("guest9", True)):
        folder = cohort.grader / "submitted" / student / TIER
        folder.mkdir(parents=True)
        nbformat.write(submission(release, source, solved=solved), folder / LESSON)
    with using_data(cohort.data):
        summary = autograde(cohort.grader, TIER, jobs=2, limits=Limits(cell_seconds=30), progress=False)
    assert sorted(summary.graded) == ["guest9", "kim01", "lee02"], summary.text()
    return cohort


@pytest.fixture
def copy(graded, tmp_path):
    return copy_of(graded, tmp_path / "12기")


def lesson_max() -> float:
    """The orientation lesson's points, read from its source (every graded cell, the written answer too)."""
    cells = nbformat.read(Path(__file__).resolve().parent.parent / TIER / LESSON, as_version=4).cells
    return sum(float(c.metadata["nbgrader"]["points"]) for c in cells if c.metadata.get("nbgrader", {}).get("grade"))


def exported(cohort, out: Path | None = None) -> dict[str, dict[str, str]]:
    path = export.export_grades(cohort, out, say=quiet)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row["아이디 (id)"]: row for row in csv.DictReader(handle)}


def give_written_grade(cohort, student: str, points: float) -> None:
    """What formgrader does when the trainer scores the 현업 적용 answer."""
    url = "sqlite:///" + (cohort.grader / "gradebook.db").as_posix()
    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(url, "kakao-channel-academy") as gradebook:
        warnings.simplefilter("ignore")
        grade = gradebook.find_grade("w1", LESSON.removesuffix(".ipynb"), TIER, student)
        grade.manual_score = points
        grade.needs_manual_grade = False
        gradebook.db.commit()


def test_every_roster_learner_has_a_row_in_roster_order_then_the_guest(graded):
    rows = exported(graded)
    assert list(rows) == ["kim01", "lee02", "park03", "guest9"]
    assert [rows[i]["이름 (name)"] for i in ("kim01", "lee02", "park03")] == ["김민지", "이서준", "박지훈"]
    assert rows["guest9"]["이름 (name)"] == ""  # graded, not on the roster: still exported, never dropped


def test_a_pending_written_answer_is_never_a_number(graded):
    rows = exported(graded)
    kim = rows["kim01"]
    assert (kim[POINTS], kim[PERCENT], kim[STATUS], kim[LESSON_POINTS]) == ("채점 대기",) * 4
    assert float(kim[MAX]) == lesson_max()


def test_a_blank_copy_is_a_final_zero_and_an_absent_learner_is_미제출(graded):
    rows = exported(graded)
    assert (rows["lee02"][POINTS], rows["lee02"][PERCENT], rows["lee02"][STATUS]) == ("0", "0.0", "완료")
    park = rows["park03"]
    assert (park[POINTS], park[PERCENT], park[STATUS], park[LESSON_POINTS]) == ("미제출",) * 4
    assert float(park[MAX]) == lesson_max()


def test_once_the_written_answer_is_graded_the_score_is_final(copy):
    give_written_grade(copy, "kim01", 1)
    kim = exported(copy)["kim01"]
    assert (float(kim[POINTS]), kim[PERCENT], kim[STATUS]) == (lesson_max(), "100.0", "완료")
    give_written_grade(copy, "kim01", 0)
    kim = exported(copy)["kim01"]
    expected = 100 * (lesson_max() - 1) / lesson_max()
    assert (float(kim[POINTS]), kim[PERCENT]) == (lesson_max() - 1, f"{expected:.1f}")


def snapshot(folder: Path, leave_out: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p != leave_out}


def test_rerunning_export_and_roster_over_graded_work_loses_nothing(copy, tmp_path, capsys):
    out = export.default_path(copy)
    assert main(["export", "--cohort", str(copy.folder)]) == 0
    first = out.read_bytes()
    before = snapshot(copy.folder, out)
    assert main(["export", "--cohort", str(copy.folder)]) == 0
    assert out.read_bytes() == first and snapshot(copy.folder, out) == before
    assert not list(out.parent.glob("*.partial"))  # kim01 and guest9 wait for the written grade; park03 is absent
    assert "채점 대기 2건, 미제출 1건" in capsys.readouterr().out
    # the roster again without kim01, who has graded work: kept in the gradebook, the roster and the export
    told = []
    report = roster.import_roster(copy, write_csv(tmp_path / "v2.csv", "id,name\nlee02,이서준\npark03,박지훈\n"),
                                  say=told.append)
    assert report.kept == ["kim01"] and "kim01" in students(copy)
    assert exported(copy)["kim01"][STATUS] == "채점 대기"


def test_out_names_the_file_and_a_folder_is_refused(graded, tmp_path, capsys):
    target = tmp_path / "LMS" / "성적.csv"
    assert main(["export", "--cohort", str(graded.folder), "--out", str(target)]) == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf") and "김민지".encode() in target.read_bytes()
    assert main(["export", "--cohort", str(graded.folder), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("오류: ") and "폴더예요" in err
    with pytest.raises(TrainerError, match="폴더예요"):
        export.export_grades(graded, tmp_path, say=quiet)
