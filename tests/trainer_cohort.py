"""A small cohort laid out by hand for the trainer's commands: the orientation lesson only, on the committed data.

``cohort.create`` builds every tier (minutes); this is the same layout with one lesson, so a test builds and grades it
in well under a minute.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from course.data import DATA_ENV, DEFAULT_DATA_DIR
from grader.build import build_student_copies
from grader.trainer.cohort import COHORT_FILE, Cohort, read

REPO = Path(__file__).resolve().parent.parent
TIER = "beginner"
LESSON = "00_orientation.ipynb"


def lay_out(folder: Path, name: str = "테스트반", build: bool = False) -> Cohort:
    """A cohort folder: cohort.json, data -> the committed datasets/, the orientation lesson, the nbgrader config."""
    folder.mkdir(parents=True, exist_ok=True)
    facts = {"name": name, "seed": 42, "created": "2026-01-01 09:00", "course_version": "test"}
    (folder / COHORT_FILE).write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    (folder / "data").symlink_to(DEFAULT_DATA_DIR.resolve(), target_is_directory=True)
    (folder / TIER).mkdir()
    shutil.copy(REPO / TIER / LESSON, folder / TIER / LESSON)
    (folder / "grader").mkdir()
    shutil.copy(REPO / "grader" / "nbgrader_config.py", folder / "grader")
    cohort = read(folder)
    if build:
        build_student_copies(folder, [TIER], force=True, extra_env={DATA_ENV: str(cohort.data)}, say=lambda _: None)
    return cohort


def write_csv(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    """A roster file as Excel saves it: CRLF line ends, in ``encoding``."""
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def students(cohort: Cohort) -> dict[str, tuple[str | None, str | None, str | None]]:
    """The gradebook's learners: id -> (first_name, last_name, email)."""
    from nbgrader.api import Gradebook

    url = "sqlite:///" + (cohort.grader / "gradebook.db").as_posix()
    with Gradebook(url, "kakao-channel-academy") as gradebook:
        return {s.id: (s.first_name, s.last_name, s.email) for s in gradebook.students}


def quiet(_message: str) -> None:
    """A ``say`` that says nothing (the commands' progress lines are not what these tests read)."""


def copy_of(cohort: Cohort, folder: Path) -> Cohort:
    """A copy of a built cohort for one test to change (its data link kept a link)."""
    shutil.copytree(cohort.folder, folder, symlinks=True)
    return read(folder)
