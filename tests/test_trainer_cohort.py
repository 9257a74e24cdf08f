"""``python -m grader cohort`` and ``release``: a cohort in its own folder, on its own seed's data, handed out so the
lessons read that data with no step from the learner, and never handed out stale.

The cohort is made by the real code (data from the generator, stock nbgrader's gradebook and generate_assignment)
from a course of one lesson (the orientation), so it takes seconds, not the minutes of every tier.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from course.data import DATA_ENV, MARKER
from grader.trainer import cohort as cohorts
from grader.trainer.errors import TrainerError
from grader.trainer.release import release
from grading import submission

SEED = 77  # not the default data's seed: a copy reading the default data would hear "아직이에요"
LESSON = "00_orientation.ipynb"


@pytest.fixture(scope="module")
def one_lesson_course(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("course")
    (source / "beginner").mkdir()
    shutil.copy(ROOT / "beginner" / LESSON, source / "beginner" / LESSON)
    (source / "grader").mkdir()
    shutil.copy(ROOT / "grader" / "nbgrader_config.py", source / "grader")
    return source


@pytest.fixture(scope="module")
def made(one_lesson_course, tmp_path_factory):
    parent = tmp_path_factory.mktemp("cohorts")
    said: list[str] = []
    cohort = cohorts.create("2026-12기", SEED, parent=parent, source=one_lesson_course, say=said.append)
    return cohort, parent, said


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in __import__("os").environ.items() if k != DATA_ENV}
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=600)


def test_a_cohort_is_an_nbgrader_course_on_its_own_seed(made):
    cohort, parent, said = made
    assert cohort.folder == (parent / "2026-12기").resolve() and cohort.seed == SEED
    facts = json.loads((cohort.folder / cohorts.COHORT_FILE).read_text(encoding="utf-8"))
    assert facts["seed"] == SEED and facts["name"] == "2026-12기"
    assert (cohort.data / "friends.csv").is_file() and (cohort.grader / "gradebook.db").is_file()
    assert (cohort.grader / "release" / "beginner" / LESSON).is_file()
    # the data are the seed's, not the course's default
    assert (cohort.data / "friends.csv").read_bytes() != (ROOT / "datasets" / "friends.csv").read_bytes()
    assert any("데이터 만드는 중" in line for line in said)
    assert [c.name for c in cohorts.list_cohorts(parent)] == ["2026-12기"]


def test_stock_nbgrader_in_the_cohort_folder_reads_the_cohorts_data(made):
    """The copied nbgrader_config.py points nbgrader (and its kernels, and the keys) at the cohort's data."""
    cohort, _, _ = made
    code = ("from traitlets.config.loader import PyFileConfigLoader\nimport os\n"
            "PyFileConfigLoader('nbgrader_config.py', path='.').load_config()\nprint(os.environ['KAKAO_ACADEMY_DATA'])")
    env = {k: v for k, v in __import__("os").environ.items() if k != DATA_ENV}
    shown = subprocess.run([sys.executable, "-c", code], cwd=cohort.grader, env=env, capture_output=True, text=True,
                           check=True).stdout.strip()
    assert Path(shown) == cohort.data


def test_making_it_again_fills_only_what_is_missing_and_keeps_the_gradebook(made, one_lesson_course):
    cohort, parent, _ = made
    gradebook = (cohort.grader / "gradebook.db").stat().st_mtime_ns
    friends = (cohort.data / "friends.csv").stat().st_mtime_ns
    (cohort.folder / "beginner" / LESSON).unlink()  # a lesson copy lost: it comes back
    said: list[str] = []
    again = cohorts.create("2026-12기", SEED, parent=parent, source=one_lesson_course, say=said.append)
    assert again == cohort and "이미 있어요" in said[0]
    assert (cohort.folder / "beginner" / LESSON).is_file()
    assert (cohort.data / "friends.csv").stat().st_mtime_ns == friends
    assert (cohort.grader / "gradebook.db").stat().st_mtime_ns >= gradebook and (cohort.grader / "gradebook.db").exists()


@pytest.mark.parametrize("name, seed, words", [("2026-12기", SEED + 1, "이미 시드 77로"), ("../밖", SEED, "폴더 이름으로"),
                                               ("", SEED, "비어 있어요")])
def test_a_bad_cohort_is_refused_in_korean_and_changes_nothing(made, one_lesson_course, name, seed, words):
    cohort, parent, _ = made
    before = sorted(p.name for p in parent.iterdir())
    with pytest.raises(TrainerError, match=words):
        cohorts.create(name, seed, parent=parent, source=one_lesson_course, say=lambda line: None)
    assert sorted(p.name for p in parent.iterdir()) == before
    assert cohorts.read(cohort.folder).seed == SEED


def test_the_cli_lists_cohorts_and_says_what_is_wrong_in_korean(made):
    cohort, parent, _ = made
    listed = run_cli("cohort", "--list", "--parent", str(parent))
    assert listed.returncode == 0 and "2026-12기" in listed.stdout and "시드 77" in listed.stdout
    refused = run_cli("cohort", "2026-12기", "--seed", "78", "--parent", str(parent))
    assert refused.returncode == 1 and refused.stderr.startswith("오류: ") and "다른 이름" in refused.stderr
    assert "Traceback" not in refused.stderr
    missing = run_cli("release", "beginner", "--cohort", "없는반")
    assert missing.returncode == 1 and "찾지 못했어요" in missing.stderr


def _run_in_kernel(notebook: Path, monkeypatch) -> list[str]:
    """The notebook run top to bottom in a real kernel from its own folder, as a learner's lab runs it."""
    from nbclient import NotebookClient

    monkeypatch.delenv(DATA_ENV, raising=False)
    nb = nbformat.read(notebook, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    return ["".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            for cell in nb.cells if 'check("' in cell.source]


def test_a_handout_reads_the_cohorts_data_with_no_step_from_the_learner(made, monkeypatch, tmp_path):
    """Unzipped anywhere, the right answers hear 맞았어요: the lessons read the data handed out beside them."""
    cohort, _, _ = made
    handout = release(cohort, "beginner", say=lambda line: None)
    assert handout.archive is not None and handout.archive.is_file()
    with zipfile.ZipFile(handout.archive) as bundle:
        names = set(bundle.namelist())
        bundle.extractall(tmp_path / "learner")
    assert {f"beginner/{LESSON}", f"beginner/{MARKER}", "data/friends.csv"} <= names
    assert not any(name.startswith("grader/") or "gradebook" in name for name in names)
    copy = tmp_path / "learner" / "beginner" / LESSON
    answered = submission(copy, cohort.folder / "beginner" / LESSON)  # the learner writes the right code
    nbformat.write(answered, copy)
    said = _run_in_kernel(copy, monkeypatch)
    assert said and all("맞았어요" in text for text in said), said


def test_a_copy_made_for_other_data_is_rebuilt_before_it_is_handed_out(made, tmp_path):
    """The cohort's data change (here: another seed's files in its data folder): release rebuilds, never stale."""
    from course.datagen import generate

    cohort, _, _ = made
    first = release(cohort, "beginner", make_zip=False, say=lambda line: None)
    checks_before = (first.folder / "beginner" / ".checks" / "00_orientation.json").read_text(encoding="utf-8")
    saved = tmp_path / "saved-data"
    shutil.copytree(cohort.data, saved)
    try:
        generate(cohort.data, seed=SEED + 1)
        second = release(cohort, "beginner", make_zip=False, say=lambda line: None)
        assert second.rebuilt
        checks_after = (second.folder / "beginner" / ".checks" / "00_orientation.json").read_text(encoding="utf-8")
        assert checks_after != checks_before
    finally:
        shutil.rmtree(cohort.data)
        shutil.copytree(saved, cohort.data)


def test_the_demo_runs_the_whole_loop_on_a_simulated_class(one_lesson_course, tmp_path):
    """make demo's loop on 12 simulated learners of the one-lesson course: a report page, feedback, an export."""
    from grader.trainer.demo import run_demo

    said: list[str] = []
    report = run_demo(learners=12, seed=SEED, parent=tmp_path, say=said.append, source=one_lesson_course,
                      progress=False)
    assert report.name == "report.html" and report.is_file()
    demo = tmp_path / "demo"
    assert len(list((demo / "grader" / "submitted").iterdir())) == 12
    assert (demo / "grader" / "feedback-beginner.zip").is_file()
    assert (demo / "grader" / "exports" / "grades.csv").is_file()
    assert [line[:5] for line in said if line.startswith("[")] == [f"[{n}/8]" for n in range(1, 9)]
    assert said[-1].startswith("끝") and str(report) in said[-1]
