"""Per-learner data: each learner of a cohort gets their own seeded variant of the channel data.

A cohort made with ``--per-learner-data`` keeps, for every learner it hands lessons to,

    <cohort>/learners/<id>/variant.json      the learner's seed (from the cohort's seed and the learner id)
    <cohort>/learners/<id>/data/              that seed's channel data (``course.datagen``)
    <cohort>/learners/<id>/checks/<tier>/     the check files (``.checks/<lesson>.json``) on that data

The seed is a hash of the cohort's seed and the id, so the same learner always gets the same data and two learners
get different data: an answer passed from one to another is wrong for the other. The learner's release folder holds
their data and their check files, so their notebooks read it with no step from them (``.academy.json``); grading
(the engine, and stock nbgrader through ``grader.preprocess.LearnerData``) reads the same learner's data and
computes the keys from it. Everything is written beside and moved into place whole, so a stopped run leaves nothing
half made, and a variant is never made twice.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Callable

import nbformat

from course.checks import CHECKS_FOLDER
from course.data import reading

from ..preprocess import CHECK_CALL
from ..tokens import prefill, tokens_for
from .errors import TrainerError
from .scratch import scratch_folder

LEARNERS = "learners"
VARIANT_FILE = "variant.json"
COHORT_FILE = "cohort.json"


def variant_seed(cohort_seed: int, learner: str) -> int:
    """The learner's data seed: the same for the same cohort and id, different from learner to learner."""
    digest = hashlib.sha256(f"kakao-channel-academy|{int(cohort_seed)}|{learner}".encode("utf-8")).digest()
    return 1_000 + int.from_bytes(digest[:4], "big") % 2_000_000_000


def home(cohort_folder: Path, learner: str) -> Path:
    return Path(cohort_folder) / LEARNERS / learner


def data_dir(cohort_folder: Path, learner: str) -> Path:
    return home(cohort_folder, learner) / "data"


def _complete(folder: Path) -> bool:
    from course.tables import TABLES

    return all((folder / table.file_name).is_file() for table in TABLES.values())


def ensure_data(cohort_folder: Path, cohort_seed: int, learner: str, say=print) -> Path:
    """The learner's data folder, generated on first use (written beside, moved in whole)."""
    from course.datagen import generate

    from . import names

    bad = names.problem(learner)
    if bad:
        raise TrainerError(f"학습자 ID '{learner}': {bad}.")
    folder = home(cohort_folder, learner)
    data = folder / "data"
    seed = variant_seed(cohort_seed, learner)
    marker = folder / VARIANT_FILE
    if marker.is_file():
        try:
            recorded = json.loads(marker.read_text(encoding="utf-8")).get("seed")
        except (ValueError, AttributeError):
            recorded = None
        if recorded != seed:
            raise TrainerError(f"{marker}의 시드가 이 반과 학습자에게서 나온 시드({seed})와 맞지 않아요. 이 학습자의 "
                               f"폴더({folder})를 다른 곳으로 옮기고 다시 실행해 주세요.")
        if _complete(data):
            return data
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    say(f"  - {learner}: 학습자 데이터 만드는 중 (시드 {seed})")
    scratch = scratch_folder(folder, ".data-")
    try:
        generate(scratch, seed=seed, progress=lambda step: None)
        marker.write_text(json.dumps({"learner": learner, "seed": seed, "cohort_seed": int(cohort_seed)},
                                     ensure_ascii=False) + "\n", encoding="utf-8")
        if data.exists():
            shutil.rmtree(data)
        scratch.rename(data)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"    끝 ({time.perf_counter() - started:.0f}초)")
    return data


def lesson_questions(release: Path) -> dict[str, list[str]]:
    """Each released lesson's question ids (from its check calls), by lesson name."""
    found = {}
    for path in sorted(Path(release).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        qids = [m["qid"] for c in nb.cells if c.cell_type == "code" for m in CHECK_CALL.finditer(c.source)]
        found[path.stem] = list(dict.fromkeys(qids))
    return found


def write_checks(release: Path, data: Path, target: Path, jobs: int | None = None, say=print) -> Path:
    """``target/.checks/<lesson>.json`` for every lesson of ``release``, computed on ``data`` (tokens are cached)."""
    lessons = {name: qids for name, qids in lesson_questions(release).items() if qids}
    prefill(lessons, folder=data, jobs=jobs)
    with reading(data):  # a token the prefill could not compute is computed here, and fails loudly
        Path(target).mkdir(parents=True, exist_ok=True)
        checks = Path(target) / CHECKS_FOLDER
        scratch = scratch_folder(target, ".checks-")
        try:
            for name, qids in lessons.items():
                tokens = tokens_for(qids, folder=data)
                text = json.dumps({"checks": tokens}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
                (scratch / f"{name}.json").write_text(text, encoding="utf-8")
            if checks.exists():
                shutil.rmtree(checks)
            scratch.rename(checks)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return checks


def per_learner(cohort_folder: Path) -> tuple[int, bool] | None:
    """(seed, per-learner data?) of the cohort in ``cohort_folder``, or None when it is not a cohort's folder."""
    path = Path(cohort_folder) / COHORT_FILE
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
        return int(facts["seed"]), bool(facts.get("per_learner_data", False))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        raise TrainerError(f"{path} 파일이 손상됐어요. 내용을 확인해 주세요.") from None


def data_lookup(cohort_folder: Path, say=print) -> Callable[[str], Path] | None:
    """For a per-learner cohort, learner id -> that learner's data folder (made if missing); otherwise None."""
    found = per_learner(cohort_folder)
    if not found or not found[1]:
        return None
    seed = found[0]
    return lambda learner: ensure_data(cohort_folder, seed, learner, say=say)
