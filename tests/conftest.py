"""Shared fixtures: cohorts on three seeds (the committed default and two fresh ones)."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from course.data import DEFAULT_DATA_DIR
from course.datagen import DEFAULT_SEED, generate

ROOT = Path(__file__).resolve().parent.parent
# every lesson notebook of the course, orientation included, in tier order
NOTEBOOKS = sorted(p for tier in ("beginner", "intermediate", "advanced")
                   for p in (ROOT / tier).glob("[0-9][0-9]_*.ipynb"))
OTHER_SEEDS = (7, 31)
SEEDS = (DEFAULT_SEED, *OTHER_SEEDS)


@pytest.fixture(scope="session")
def cohort_dirs(tmp_path_factory) -> dict[int, Path]:
    """Folder of each seed's cohort: the committed datasets/ for the default, fresh ones for the rest."""
    dirs = {DEFAULT_SEED: DEFAULT_DATA_DIR}
    for seed in OTHER_SEEDS:
        out = tmp_path_factory.mktemp(f"cohort{seed}")
        generate(out, seed=seed)
        dirs[seed] = out
    return dirs


@pytest.fixture(params=SEEDS, ids=lambda seed: f"seed{seed}")
def cohort(request, cohort_dirs, monkeypatch) -> Path:
    """One cohort, made the current data folder of ``course.load`` for the test."""
    folder = cohort_dirs[request.param]
    monkeypatch.setenv("KAKAO_ACADEMY_DATA", str(folder))
    monkeypatch.setattr("course.data._chosen_dir", None)
    return folder


def raw(folder: Path, name: str) -> pd.DataFrame:
    """A table straight from its CSV file, every value as written (for computing keys independently of course.load)."""
    return pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False)


@contextmanager
def using_data(folder: Path):
    """Point course.load at ``folder`` for a block (for session fixtures, where monkeypatch is not available)."""
    import course.data

    previous = course.data._chosen_dir
    course.data._chosen_dir = Path(folder).resolve()
    try:
        yield
    finally:
        course.data._chosen_dir = previous


GRADING_FILE = re.compile(r"(^|/)test_grading\w*\.py::")
TIER_SEED = re.compile(r"[\[-](?P<tier>[a-z]+)-seed(?P<seed>\d+)[\]-]")


# modules whose tests share one costly module fixture (a graded course): all on one worker, built once
ONE_WORKER = re.compile(r"(^|/)(test_engine|test_trainer_\w+)\.py::")


# modules that make OS users and open /root to them for a while: one worker, one module after the other
OS_USERS = re.compile(r"(^|/)(test_trainer_exchange|test_hub)\.py::")


def grading_scope(nodeid: str) -> str | None:
    """The worker unit of a test: every test of one tier and seed's graded course runs on one worker, and so does
    every test of a module in ``ONE_WORKER``; the modules in ``OS_USERS`` share one worker; any other test is its
    own unit."""
    if OS_USERS.search(nodeid):
        return "os-users"
    shared = ONE_WORKER.search(nodeid)
    if shared:
        return f"module-{shared[2]}"
    if not GRADING_FILE.search(nodeid):
        return None
    found = TIER_SEED.search(nodeid)
    return f"grading-{found['tier']}-{found['seed']}" if found else "grading"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Send each tier and seed's grading tests to one worker (its nbgrader run is shared), the rest test by test.

    pytest-xdist's own ``--dist loadgroup`` does not group here (pytest 9 keeps the node id it rewrites), so the
    grouping is done in the scheduler itself.
    """
    from xdist.scheduler import LoadScopeScheduling

    class SeedScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return grading_scope(nodeid) or nodeid

    return SeedScheduling(config, log)
