"""A cohort: one class on one seed's data, in an nbgrader course folder of its own.

    <folder>/cohort.json          name, seed, when it was made, the course version its lessons come from
    <folder>/data/                the seed's channel data (``course.datagen``)
    <folder>/beginner/ ...        the cohort's own copies of the source lessons (a later course edit never changes them)
    <folder>/grader/              nbgrader_config.py, gradebook.db, release/, submitted/, autograded/, feedback/

The course's ``grader/nbgrader_config.py`` is copied in; in a folder with ``cohort.json`` it points nbgrader (and
the engine, and the keys) at the cohort's ``data/``, so ``cd <folder>/grader && nbgrader autograde beginner`` and
formgrader work there unchanged. Making a cohort is safe to repeat: a run that stopped halfway goes on from where it
was, and a finished cohort is left as it is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from course.data import DATA_ENV
from course.tables import TABLES

from ..build import ROOT, build_student_copies, tiers_with_lessons
from . import names
from .errors import TrainerError
from .scratch import scratch_folder

COHORTS = ROOT / "grader" / "cohorts"
COHORT_FILE = "cohort.json"


@dataclass(frozen=True)
class Cohort:
    folder: Path
    name: str
    seed: int
    created: str
    course_version: str = ""
    per_learner_data: bool = False  # each learner their own data variant (``grader.trainer.variants``)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def grader(self) -> Path:
        """The nbgrader folder (where stock nbgrader commands run)."""
        return self.folder / "grader"

    def env(self) -> dict[str, str]:
        return {DATA_ENV: str(self.data)}

    def tiers(self) -> list[str]:
        return tiers_with_lessons(self.folder)


def _course_version() -> str:
    try:
        found = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True,
                               text=True, timeout=10)
        return found.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def read(folder: Path) -> Cohort:
    path = Path(folder) / COHORT_FILE
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
        return Cohort(folder=Path(folder).resolve(), name=str(facts["name"]), seed=int(facts["seed"]),
                      created=str(facts.get("created", "")), course_version=str(facts.get("course_version", "")),
                      per_learner_data=bool(facts.get("per_learner_data", False)))
    except FileNotFoundError:
        raise TrainerError(f"'{folder}'는 반(cohort) 폴더가 아니에요 ({COHORT_FILE}이 없어요).") from None
    except (ValueError, KeyError, TypeError) as error:
        raise TrainerError(f"{path} 파일이 손상됐어요 ({type(error).__name__}). 내용을 확인해 주세요.") from None


def _data_complete(folder: Path) -> bool:
    return all((folder / table.file_name).is_file() for table in TABLES.values())


def _make_data(cohort: Cohort, say) -> None:
    """The seed's data, written beside and moved into place whole: a stopped run never leaves half a data folder."""
    from course.datagen import generate

    if _data_complete(cohort.data):
        return
    started = time.perf_counter()
    say(f"- 데이터 만드는 중 (시드 {cohort.seed})")
    scratch = scratch_folder(cohort.folder, ".data-")
    try:
        generate(scratch, seed=cohort.seed, progress=lambda step: say(f"  {step}"))
        if cohort.data.exists():
            shutil.rmtree(cohort.data)
        scratch.rename(cohort.data)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"  데이터 끝 ({time.perf_counter() - started:.0f}초)")


def _copy_course(cohort: Cohort, source: Path) -> None:
    """The lessons and nbgrader config, copied once: a cohort keeps the lessons it started with."""
    for tier in tiers_with_lessons(source):
        for lesson in sorted((source / tier).glob("*.ipynb")):
            target = cohort.folder / tier / lesson.name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(lesson, target)
    cohort.grader.mkdir(parents=True, exist_ok=True)
    config = cohort.grader / "nbgrader_config.py"
    if not config.exists():
        shutil.copy2(source / "grader" / "nbgrader_config.py", config)


def create(name: str, seed: int, parent: Path = COHORTS, folder: Path | None = None, say=print,
           source: Path = ROOT, per_learner_data: bool = False) -> Cohort:
    """Make (or finish making) the cohort ``name`` on ``seed``: data, lessons, gradebook, student copies of every tier.

    ``source`` is the course whose lessons are copied (the tests give a course of one lesson). With
    ``per_learner_data`` each learner gets their own data variant at release (``grader.trainer.variants``); the
    cohort's own data then serves the trainer's copies and the gradebook.
    """
    name = names.clean(name)
    bad = names.problem(name)
    if bad:
        raise TrainerError(f"반 이름 '{name}': {bad}.")
    folder = Path(folder or Path(parent) / name).resolve()
    if (folder / COHORT_FILE).exists():
        existing = read(folder)
        if existing.seed != seed:
            raise TrainerError(f"'{existing.name}' 반은 이미 시드 {existing.seed}로 만들어져 있어요 ({folder}). "
                               f"다른 시드로 새 반을 만들려면 다른 이름을 쓰세요.")
        if existing.per_learner_data != per_learner_data:
            now = "학습자마다 다른 데이터" if existing.per_learner_data else "모두 같은 데이터"
            raise TrainerError(f"'{existing.name}' 반은 이미 '{now}'로 만들어져 있어요. 이미 나눠 준 사본과 맞지 않게 "
                               f"되므로 바꾸지 않아요. 새 반을 만들어 주세요.")
        cohort = existing
        say(f"'{name}' 반이 이미 있어요. 빠진 것만 채워요.")
    else:
        if folder.exists() and any(folder.iterdir()):
            raise TrainerError(f"'{folder}' 폴더가 비어 있지 않아요. 반은 빈 폴더나 새 폴더에만 만들어요.")
        folder.mkdir(parents=True, exist_ok=True)
        cohort = Cohort(folder=folder, name=name, seed=int(seed), created=time.strftime("%Y-%m-%d %H:%M"),
                        course_version=_course_version(), per_learner_data=bool(per_learner_data))
        facts = {key: value for key, value in asdict(cohort).items() if key != "folder"}
        (folder / COHORT_FILE).write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        mode = ", 학습자마다 다른 데이터" if per_learner_data else ""
        say(f"'{name}' 반을 만들어요: {folder} (시드 {seed}{mode})")
    _make_data(cohort, say)
    _copy_course(cohort, Path(source))
    build_student_copies(cohort.folder, cohort.tiers(), extra_env=cohort.env(), say=say)
    say(f"'{name}' 반 준비 끝: 학습용 사본 {cohort.grader / 'release'}")
    return cohort


def list_cohorts(parent: Path = COHORTS) -> list[Cohort]:
    parent = Path(parent)
    if not parent.is_dir():
        return []
    found = []
    for folder in sorted(parent.iterdir()):
        if (folder / COHORT_FILE).is_file():
            try:
                found.append(read(folder))
            except TrainerError:
                continue
    return found


def open_cohort(which: str | os.PathLike | None, parent: Path = COHORTS) -> Cohort:
    """A cohort by name (under ``parent``) or folder; with none named, the only one there is."""
    known = list_cohorts(parent)
    if which is None:
        if len(known) == 1:
            return known[0]
        if not known:
            raise TrainerError("반이 아직 없어요. 먼저 `python -m grader cohort 반이름 --seed 숫자`로 만드세요.")
        raise TrainerError(f"반이 여러 개예요. --cohort로 고르세요: {', '.join(c.name for c in known)}")
    path = Path(which)
    if (path / COHORT_FILE).is_file():
        return read(path)
    for cohort in known:
        if cohort.name == str(which):
            return cohort
    listed = ", ".join(c.name for c in known) or "없음"
    raise TrainerError(f"'{which}' 반을 찾지 못했어요. 있는 반: {listed}")
