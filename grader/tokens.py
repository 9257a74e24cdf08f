"""Check tokens per data state: computed once (in parallel, one lesson's keys per task), kept on disk.

A token is what a student copy's visible check holds (``course.checks.Spec``: salted hashes only). Computing
one runs the question's key and its common mistakes on the cohort's data, which is most of the time a build of
the student copies takes. ``tokens_for`` reads them from ``grader/.cache/tokens-<state>.json``, where the state
is a hash of the data files' contents, of the code the keys run (``grader/keys``, ``course``) and of the
libraries' versions: new data, a changed key or a new pandas each give a new state, so a cached token is never
stale. ``prefill`` computes the missing ones in worker processes before nbgrader runs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable, Iterable

from course import current_data_dir
from course import data as course_data
from course.data import DATA_ENV

HERE = Path(__file__).resolve().parent
COURSE = HERE.parent / "course"
CACHE_ENV = "KAKAO_ACADEMY_TOKEN_CACHE"  # another cache folder (make bench measures a cold start with one)
CACHE = Path(os.environ.get(CACHE_ENV) or HERE / ".cache")
KEPT = 64  # cache files kept (one per data state: a per-learner cohort has one per learner); older ones go
LIBRARIES = ("pandas", "numpy", "scipy", "statsmodels")


def _hash_files(digest, paths: Iterable[Path], base: Path) -> None:
    for path in sorted(paths):
        digest.update(str(path.relative_to(base)).encode("utf-8"))
        digest.update(path.read_bytes())


@functools.lru_cache(maxsize=1)
def code_state() -> str:
    """The keys' code, the course package they call and the libraries' versions."""
    digest = hashlib.sha256()
    _hash_files(digest, (HERE / "keys").glob("*.py"), HERE)
    _hash_files(digest, COURSE.rglob("*.py"), COURSE)
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}".encode())
        except PackageNotFoundError:
            pass
    return digest.hexdigest()


def data_state(folder: Path | None = None) -> str:
    """The data files' contents (hashed once per file version) and ``code_state``."""
    folder = Path(folder or current_data_dir()).resolve()
    files = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv")))
    return _data_digest(str(folder), files)


@functools.lru_cache(maxsize=16)
def _data_digest(folder: str, files: tuple) -> str:
    digest = hashlib.sha256(folder.encode("utf-8"))
    _hash_files(digest, (Path(folder) / name for name, _, _ in files), Path(folder))
    digest.update(code_state().encode())
    return digest.hexdigest()[:24]


def cache_file(state: str) -> Path:
    return CACHE / f"tokens-{state}.json"


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _store(state: str, found: dict[str, str]) -> None:
    """Merge ``found`` into the state's cache file (atomic replace: parallel builds never read half a file)."""
    if not found:
        return
    path = cache_file(state)
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        merged = {**_read(path), **found}
        handle, scratch = tempfile.mkstemp(prefix=".tokens-", dir=CACHE)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(merged, out, ensure_ascii=False, sort_keys=True)
        os.replace(scratch, path)
        for old in sorted(CACHE.glob("tokens-*.json"), key=lambda p: p.stat().st_mtime)[:-KEPT]:
            old.unlink(missing_ok=True)
    except OSError:  # a read-only checkout: tokens are computed each time, nothing breaks
        pass


def compute(qids: list[str]) -> dict[str, str]:
    from .keys import spec_for

    return {qid: spec_for(qid).to_token() for qid in qids}


def tokens_for(qids: list[str], folder: Path | None = None) -> dict[str, str]:
    """The tokens of ``qids`` on the data in ``folder`` (default: the current data), from the cache or computed."""
    state = data_state(folder)
    cached = _read(cache_file(state))
    missing = [qid for qid in qids if qid not in cached]
    if missing:
        found = compute(missing)
        _store(state, found)
        cached.update(found)
    return {qid: cached[qid] for qid in qids}


def _worker_init(folder: str) -> None:
    os.environ[DATA_ENV] = folder
    course_data.use_data(folder)


def _compute_quietly(qids: list[str]) -> dict[str, str]:
    """``compute``, or nothing when a key fails: nbgrader then meets the failure and reports it in its own words."""
    try:
        return compute(qids)
    except Exception:  # noqa: BLE001
        return {}


def prefill(lessons: dict[str, list[str]], folder: Path | None = None, jobs: int | None = None,
            done: Callable[[str], None] = lambda lesson: None) -> int:
    """Compute the tokens of every lesson's questions that the cache lacks, one lesson per task; returns how many.

    ``lessons`` maps a lesson's name to its question ids; ``done`` is called as each lesson finishes.
    """
    folder = Path(folder or current_data_dir()).resolve()
    state = data_state(folder)
    cached = _read(cache_file(state))
    todo = {name: [q for q in qids if q not in cached] for name, qids in lessons.items()}
    todo = {name: qids for name, qids in todo.items() if qids}
    for name in lessons:
        if name not in todo:
            done(name)
    if not todo:
        return 0
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    found: dict[str, str] = {}
    if jobs == 1:
        with course_data.reading(folder):
            for name, qids in todo.items():
                found.update(_compute_quietly(qids))
                done(name)
    else:
        with ProcessPoolExecutor(jobs, initializer=_worker_init, initargs=(str(folder),)) as pool:
            futures = {pool.submit(_compute_quietly, qids): name for name, qids in todo.items()}
            for future in as_completed(futures):
                try:
                    found.update(future.result())
                except Exception:  # noqa: BLE001 (a worker that died: nbgrader computes those tokens itself)
                    pass
                done(futures[future])
    _store(state, found)
    return len(found)
