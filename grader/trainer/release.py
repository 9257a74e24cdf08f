"""Handing a tier out: the cohort's student copies, fresh for its data, in a form that reads that data by itself.

``release`` first rebuilds the tier's student copies if they were made for other data (or older lessons or keys),
so a stale copy is never handed out, then writes ``.academy.json`` beside the released lessons (the cohort's data
folder: what a JupyterHub exchange or a shared folder hands out) and, under ``<cohort>/handout/``:

    handout/<tier>/                  one learner's folder: <tier>/ (lessons, .checks/, glossary, .academy.json) + data/
    handout/<tier>.zip               the same as one zip to hand out (LMS, mail, USB)
    handout/<tier>-learners/<id>/    with ``--per-learner``: one such folder per roster learner

The handout's ``.academy.json`` says ``../data``: unzipped anywhere, the lessons read the data beside them. Each
output is written beside and moved into place whole; a learner's own work is never in a handout, so nothing is lost
by writing one again.

In a cohort with per-learner data there is no shared handout: every roster learner's folder (and, with zips,
``<tier>-learners/<id>.zip``) holds that learner's own data variant and the check files computed on it
(``grader.trainer.variants``).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from course.data import MARKER

from ..build import BUILT, build_student_copies
from ..tokens import data_state
from . import variants
from .cohort import Cohort
from .errors import TrainerError


@dataclass
class Handout:
    tier: str
    folder: Path
    archive: Path | None = None
    learners: list[Path] = field(default_factory=list)
    rebuilt: bool = False


def _write_marker(folder: Path, data: str) -> None:
    (folder / MARKER).write_text(json.dumps({"data": data}, ensure_ascii=False) + "\n", encoding="utf-8")


def fresh_release(cohort: Cohort, tier: str, say=print) -> tuple[Path, bool]:
    """The tier's release folder, rebuilt first if it was made for other data; and whether it was rebuilt."""
    if tier not in cohort.tiers():
        raise TrainerError(f"'{tier}' 과정이 이 반에 없어요. 있는 과정: {', '.join(cohort.tiers())}")
    built = build_student_copies(cohort.folder, [tier], extra_env=cohort.env(), say=say)
    release = cohort.grader / "release" / tier
    stamp = (release / BUILT).read_text(encoding="utf-8").strip() if (release / BUILT).exists() else ""
    if stamp != data_state(cohort.data):  # build_student_copies checks this too; never hand out a copy that fails it
        raise TrainerError(f"{tier} 학습용 사본이 이 반의 데이터와 맞지 않아요. "
                           f"`python -m grader cohort {cohort.name} --seed {cohort.seed}`로 다시 만들어 주세요.")
    _write_marker(release, str(cohort.data))
    return release, bool(built)


def _learner_folder(target: Path, release: Path, tier: str, data: Path) -> None:
    shutil.copytree(release, target / tier, ignore=shutil.ignore_patterns(BUILT))
    _write_marker(target / tier, "../data")
    shutil.copytree(data, target / "data")


def _replace(scratch: Path, target: Path) -> None:
    if target.exists():
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
        scratch.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        scratch.rename(target)


def _zip(folder: Path, archive: Path) -> None:
    partial = archive.with_name(archive.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                bundle.write(path, path.relative_to(folder).as_posix())
    partial.replace(archive)


def _variant_folders(cohort: Cohort, tier: str, source: Path, learners: list[str], out: Path, make_zip: bool,
                     say) -> list[Path]:
    """One folder per learner with their own data and check files (a per-learner cohort)."""
    every = out / f"{tier}-learners"
    scratch = Path(tempfile.mkdtemp(prefix=f".{tier}-learners-", dir=out))
    try:
        for number, learner in enumerate(learners, 1):
            say(f"- 학습자 {number}/{len(learners)}: {learner}")
            data = variants.ensure_data(cohort.folder, cohort.seed, learner, say=say)
            _learner_folder(scratch / learner, source, tier, data)
            variants.write_checks(source, data, scratch / learner / tier, say=say)
            if make_zip:
                _zip(scratch / learner, scratch / f"{learner}.zip")
        _replace(scratch, every)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"- 학습자별 폴더 {len(learners)}개 (학습자마다 다른 데이터): {every}")
    return [every / learner for learner in learners]


def release(cohort: Cohort, tier: str, make_zip: bool = True, learners: list[str] | None = None,
            say=print) -> Handout:
    """Write the tier's handout for the cohort (see the module's docstring)."""
    if cohort.per_learner_data and not learners:
        raise TrainerError("이 반은 학습자마다 데이터가 달라서 학습자별로만 나눠 줄 수 있어요. 명단을 먼저 넣고 "
                           f"(`python -m grader roster 명단.csv --cohort {cohort.name}`) --per-learner로 다시 실행해 "
                           "주세요.")
    source, rebuilt = fresh_release(cohort, tier, say)
    out = cohort.folder / "handout"
    out.mkdir(exist_ok=True)
    handout = Handout(tier=tier, folder=out / tier, rebuilt=rebuilt)
    if cohort.per_learner_data:
        handout.learners = _variant_folders(cohort, tier, source, list(learners), out, make_zip, say)
        return handout
    scratch = Path(tempfile.mkdtemp(prefix=f".{tier}-", dir=out))
    try:
        _learner_folder(scratch, source, tier, cohort.data)
        _replace(scratch, handout.folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"- 나눠 줄 폴더: {handout.folder}")
    if make_zip:
        handout.archive = out / f"{tier}.zip"
        _zip(handout.folder, handout.archive)
        say(f"- 나눠 줄 zip: {handout.archive} ({handout.archive.stat().st_size / 1e6:.1f} MB)")
    if learners:
        every = out / f"{tier}-learners"
        scratch = Path(tempfile.mkdtemp(prefix=f".{tier}-learners-", dir=out))
        try:
            for learner in learners:
                _learner_folder(scratch / learner, source, tier, cohort.data)
            _replace(scratch, every)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        handout.learners = [every / learner for learner in learners]
        say(f"- 학습자별 폴더 {len(learners)}개: {every}")
    return handout
