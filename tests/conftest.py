"""Shared fixtures: cohorts on three seeds (the committed default and two fresh ones)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

from course.data import DEFAULT_DATA_DIR
from course.datagen import DEFAULT_SEED, generate

ROOT = Path(__file__).resolve().parent.parent
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
