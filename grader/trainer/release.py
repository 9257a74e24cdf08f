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
(``grader.trainer.variants``). The check files are kept in ``learners/<id>/checks/<tier>/`` too, and the release's
own ``.academy.json`` names ``learners/{user}/...``: a copy handed out through the JupyterHub exchange (one copy for
everyone) reads the data and checks of the learner who opened it, by their user name.

``exchange=True`` then hands the release to the JupyterHub exchange with stock ``nbgrader release_assignment``.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from course.checks import CHECKS_FOLDER
from course.data import MARKER, USER

from ..build import BUILT, build_student_copies, run_nbgrader
from ..tokens import data_state
from . import variants
from .cohort import Cohort
from .errors import TrainerError
from .scratch import scratch_folder


@dataclass
class Handout:
    tier: str
    folder: Path
    archive: Path | None = None
    learners: list[Path] = field(default_factory=list)
    rebuilt: bool = False


def _write_marker(folder: Path, data: str, checks: str | None = None) -> None:
    facts = {"data": data} if checks is None else {"data": data, "checks": checks}
    (folder / MARKER).write_text(json.dumps(facts, ensure_ascii=False) + "\n", encoding="utf-8")


def _learners_marker(cohort: Cohort, tier: str) -> tuple[str, str]:
    """(data, checks) for a per-learner cohort's shared release: the folders of whoever opens the copy."""
    mine = variants.home(cohort.folder, USER)
    return str(mine / "data"), str(mine / "checks" / tier)


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
    if cohort.per_learner_data:
        _write_marker(release, *_learners_marker(cohort, tier))
    else:
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
    scratch = scratch_folder(out, f".{tier}-learners-")
    try:
        for number, learner in enumerate(learners, 1):
            say(f"- 학습자 {number}/{len(learners)}: {learner}")
            data = variants.ensure_data(cohort.folder, cohort.seed, learner, say=say)
            _learner_folder(scratch / learner, source, tier, data)
            checks = variants.write_checks(source, data, variants.home(cohort.folder, learner) / "checks" / tier,
                                           say=say)
            shutil.rmtree(scratch / learner / tier / CHECKS_FOLDER, ignore_errors=True)
            shutil.copytree(checks, scratch / learner / tier / CHECKS_FOLDER)
            if make_zip:
                _zip(scratch / learner, scratch / f"{learner}.zip")
        _replace(scratch, every)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"- 학습자별 폴더 {len(learners)}개 (학습자마다 다른 데이터): {every}")
    return [every / learner for learner in learners]


def to_exchange(cohort: Cohort, tier: str, say=print) -> None:
    """Hand the tier's release to the JupyterHub exchange (stock ``nbgrader release_assignment``, as configured)."""
    result = run_nbgrader(["release_assignment", tier, "--force"], cohort.folder, cohort.env())
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-12:])
        raise TrainerError(f"nbgrader release_assignment {tier}가 실패했어요. 교환 폴더(Exchange.root) 설정과 "
                           f"권한을 확인해 주세요:\n{tail}")
    say(f"- JupyterHub 교환 폴더로 내보냈어요: 학습자는 Assignments 탭이나 `nbgrader fetch_assignment {tier}`로 "
        "받아요.")


def release(cohort: Cohort, tier: str, make_zip: bool = True, learners: list[str] | None = None,
            exchange: bool = False, say=print) -> Handout:
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
        if exchange:
            to_exchange(cohort, tier, say)
        return handout
    scratch = scratch_folder(out, f".{tier}-")
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
        scratch = scratch_folder(out, f".{tier}-learners-")
        try:
            for learner in learners:
                _learner_folder(scratch / learner, source, tier, cohort.data)
            _replace(scratch, every)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        handout.learners = [every / learner for learner in learners]
        say(f"- 학습자별 폴더 {len(learners)}개: {every}")
    if exchange:
        to_exchange(cohort, tier, say)
    return handout
