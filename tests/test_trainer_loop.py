"""The trainer's loop through the command line on a small cohort: roster, collect, autograde, feedback, export, and
every command run again over the work already there (nothing lost, a resubmission regraded, the earlier copy kept)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from course.data import DATA_ENV
from grading import submission
from trainer_cohort import LESSON, REPO, TIER, lay_out, write_csv

ROSTER = "아이디,이름,이메일\nkim01,김민지,kim@example.com\nlee02,이서준,lee@example.com\n"


def grader(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != DATA_ENV}
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=900)


def _answers(cohort, solved: bool) -> bytes:
    nb = submission(cohort.grader / "release" / TIER / LESSON, cohort.folder / TIER / LESSON, solved=solved)
    return nbformat.writes(nb).encode("utf-8")


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """One pass of the loop; returns the cohort and what each command printed."""
    base = tmp_path_factory.mktemp("loop")
    cohort = lay_out(base / "반", build=True)
    where = ("--cohort", str(cohort.folder))
    shown = {"roster": grader("roster", str(write_csv(base / "명단.csv", ROSTER)), *where)}
    bundle = base / "lms.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr(f"김민지_1_{LESSON}", _answers(cohort, True))
        archive.writestr(f"이서준_2_{LESSON}", _answers(cohort, False))
    shown["collect"] = grader("collect", TIER, str(bundle), *where)
    shown["autograde"] = grader("autograde", TIER, "--quiet", *where)
    shown["feedback"] = grader("feedback", TIER, *where)
    shown["export"] = grader("export", *where)
    return cohort, base, shown


def test_each_command_succeeds_and_says_so_in_korean(loop):
    _, _, shown = loop
    for command, result in shown.items():
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert "받은 제출물 2개" in shown["collect"].stdout
    assert "피드백 2개" in shown["feedback"].stdout and "zip" in shown["feedback"].stdout


def test_the_feedback_zip_holds_one_page_per_learner_and_no_answer(loop):
    cohort, _, _ = loop
    with zipfile.ZipFile(cohort.grader / f"feedback-{TIER}.zip") as archive:
        names = sorted(archive.namelist())
        pages = {name: archive.read(name).decode("utf-8") for name in names}
    assert names == [f"kim01/{LESSON.replace('.ipynb', '.html')}", f"lee02/{LESSON.replace('.ipynb', '.html')}"]
    assert all("HIDDEN TESTS" not in page and "grader.keys" not in page for page in pages.values())
    assert "맞았어요" in pages[names[0]] and "아직 답을 넣지 않았어요" in pages[names[1]]


def test_the_export_shows_the_graded_learners(loop):
    cohort, _, _ = loop
    with open(cohort.grader / "exports" / "grades.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {row["아이디 (id)"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"kim01", "lee02"} and rows["kim01"]["이름 (name)"] == "김민지"


def test_running_every_command_again_loses_nothing_and_regrades_only_a_resubmission(loop):
    cohort, base, _ = loop
    where = ("--cohort", str(cohort.folder))
    graded = cohort.grader / "autograded" / "kim01" / TIER / LESSON
    before = graded.read_bytes()
    again = grader("autograde", TIER, "--quiet", *where)
    assert again.returncode == 0 and graded.read_bytes() == before  # nothing new: nothing regraded
    assert grader("roster", str(base / "명단.csv"), *where).stdout.count("바뀐 것이 없어요") == 1
    # 이서준 hands in the right answers: collect keeps the blank copy, autograde regrades and keeps the earlier grading
    folder = base / "다시" / "lee02"
    folder.mkdir(parents=True)
    (folder / LESSON).write_bytes(_answers(cohort, True))
    assert "다시 낸 제출물" in grader("collect", TIER, str(base / "다시"), *where).stdout
    assert grader("autograde", TIER, "--quiet", *where).returncode == 0
    assert list((cohort.grader / "submitted-earlier").rglob(f"lee02/{TIER}/{LESSON}"))
    assert list((cohort.grader / "autograded-earlier").rglob(LESSON))
    regraded = nbformat.read(cohort.grader / "autograded" / "lee02" / TIER / LESSON, as_version=4)
    outputs = "".join(o.get("text", "") for c in regraded.cells for o in c.get("outputs", []))
    assert "맞았어요" in outputs
    assert grader("feedback", TIER, *where).returncode == 0 and grader("export", *where).returncode == 0


def test_a_cohort_that_does_not_exist_is_named_in_korean(loop):
    missing = grader("autograde", TIER, "--cohort", "없는반")
    assert missing.returncode == 1 and "찾지 못했어요" in missing.stderr


def test_release_per_learner_gives_each_roster_learner_a_folder(loop):
    cohort, _, _ = loop
    shown = grader("release", TIER, "--per-learner", "--no-zip", "--cohort", str(cohort.folder))
    assert shown.returncode == 0, shown.stderr
    every = cohort.folder / "handout" / f"{TIER}-learners"
    assert sorted(p.name for p in every.iterdir()) == ["kim01", "lee02"]
    for folder in every.iterdir():
        assert (folder / TIER / LESSON).is_file() and (folder / "data" / "friends.csv").is_file()
        assert (folder / TIER / ".academy.json").read_text(encoding="utf-8").strip() == '{"data": "../data"}'
