"""Per-learner data: each learner's own data variant, their own keys, and answers that cannot be passed around.

A cohort of the orientation lesson with ``per_learner_data`` and three roster learners is made and released by the
real code (the generator for every variant, stock nbgrader's generate_assignment, the check tokens computed on each
variant). Then: the keys differ between learners; each folder holds its own data and checks and no answer; a copy
run in a real kernel from its folder hears 맞았어요 for the right code; and grading, by the engine and by stock
``nbgrader autograde`` alike, keys each learner to their own data: a learner's answers earn full marks for them and
0 for a classmate who copied them, while the solution code earns full marks for anyone.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from course.data import DATA_ENV, MARKER, reading
from grader.build import run_nbgrader
from course.checks import canonical
from grader.keys import answer, get
from grader.trainer import cohort as cohorts
from grader.trainer import variants
from grader.trainer.errors import TrainerError
from grader.trainer.literals import literal
from grader.trainer.release import release
from grading import answer_strings, cell_scores, questions, submission, visible_text
from trainer_cohort import quiet, write_csv

SEED = 77
TIER = "beginner"
LESSON = "00_orientation.ipynb"
LEARNERS = ("minji", "seojun", "hayun")
ROSTER = "id,name,email\nminji,김민지,minji@example.com\nseojun,이서준,seojun@example.com\nhayun,박하윤,\n"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The per-learner cohort, its roster imported and the tier released to each learner."""
    from grader.trainer.roster import import_roster

    source = tmp_path_factory.mktemp("course")
    (source / TIER).mkdir()
    shutil.copy(ROOT / TIER / LESSON, source / TIER / LESSON)
    (source / "grader").mkdir()
    shutil.copy(ROOT / "grader" / "nbgrader_config.py", source / "grader")
    parent = tmp_path_factory.mktemp("cohorts")
    cohort = cohorts.create("개인반", SEED, parent=parent, source=source, say=quiet, per_learner_data=True)
    import_roster(cohort, write_csv(parent / "명단.csv", ROSTER), say=quiet)
    handout = release(cohort, TIER, learners=list(LEARNERS), say=quiet)
    return cohort, handout


def _keys(cohort, learner: str) -> dict[str, object]:
    with reading(variants.data_dir(cohort.folder, learner)):
        return {q.qid: answer(q.qid) for q in questions(ROOT / TIER / LESSON)}


def _forms(keys: dict[str, object]) -> dict[str, object]:
    """The keys as the check compares them (rounded to the question's decimals, labels as text)."""
    return {qid: canonical(value, get(qid).kind, get(qid).decimals) for qid, value in keys.items()}


def test_every_learner_has_their_own_data_keys_and_checks(made):
    cohort, handout = made
    seeds = {learner: variants.variant_seed(SEED, learner) for learner in LEARNERS}
    assert len(set(seeds.values())) == len(LEARNERS) and SEED not in seeds.values()
    keys = {learner: _forms(_keys(cohort, learner)) for learner in LEARNERS}
    for qid in keys["minji"]:
        assert keys["minji"][qid] != keys["seojun"][qid], qid  # every answer of the lesson differs between the two
    checks = {}
    for folder in handout.learners:
        learner = folder.name
        facts = json.loads((cohort.folder / "learners" / learner / "variant.json").read_text(encoding="utf-8"))
        assert facts["seed"] == seeds[learner]
        assert json.loads((folder / TIER / MARKER).read_text(encoding="utf-8")) == {"data": "../data"}
        assert (folder / "data" / "friends.csv").read_bytes() == \
            (variants.data_dir(cohort.folder, learner) / "friends.csv").read_bytes()
        checks[learner] = json.loads((folder / TIER / ".checks" / "00_orientation.json").read_text(encoding="utf-8"))
        assert (folder.parent / f"{learner}.zip").is_file()
    assert checks["minji"]["checks"].keys() == checks["seojun"]["checks"].keys()
    assert all(checks["minji"]["checks"][q] != checks["seojun"]["checks"][q] for q in checks["minji"]["checks"])
    assert not (handout.folder / TIER).exists()  # no shared handout: it would carry the cohort's data


def test_no_copy_holds_an_answer(made):
    cohort, handout = made
    for folder in handout.learners:
        copy = folder / TIER / LESSON
        text = visible_text(copy) + (folder / TIER / ".checks" / "00_orientation.json").read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "assert_answer" not in text
        with reading(variants.data_dir(cohort.folder, folder.name)):
            for q in questions(ROOT / TIER / LESSON):
                for value in answer_strings(q.qid):
                    assert not re.search(rf"(?<![\d.]){re.escape(value)}(?![\d])", text), (folder.name, q.qid, value)


def test_a_learners_folder_reads_their_own_data_in_a_real_kernel(made, monkeypatch, tmp_path):
    """The right code, run from minji's unzipped folder with nothing set: every check says 맞았어요."""
    import zipfile

    from nbclient import NotebookClient

    cohort, handout = made
    with zipfile.ZipFile(handout.learners[0].parent / "minji.zip") as bundle:
        bundle.extractall(tmp_path / "minji")
    copy = tmp_path / "minji" / TIER / LESSON
    nbformat.write(submission(copy, cohort.folder / TIER / LESSON), copy)
    monkeypatch.delenv(DATA_ENV, raising=False)
    nb = nbformat.read(copy, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(copy.parent)}}).execute()
    said = ["".join(o.get("text", "") for o in c.get("outputs", []) if o.get("output_type") == "stream")
            for c in nb.cells if 'check("' in c.source]
    assert said and all("맞았어요" in text for text in said), said


def _literal_answers(cohort, learner: str) -> dict[str, str]:
    """The answer cells minji would send a friend: her own answers typed in as values."""
    keys = _keys(cohort, learner)
    return {q.answer_cell: f"{q.variable} = {literal(keys[q.qid])}\n" for q in questions(ROOT / TIER / LESSON)}


def _submit(cohort, learner: str, nb) -> None:
    folder = cohort.grader / "submitted" / learner / TIER
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / LESSON)
    (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC", encoding="utf-8")


def _scores(cohort, learner: str) -> dict[str, float]:
    return {cell: score for (_, cell), (score, _) in cell_scores(cohort.folder, TIER, learner).items()}


def test_grading_keys_each_learner_to_their_own_data(made):
    """minji's values: full marks for her, 0 for seojun who copied them; the solution code: full for hayun.

    A table answer is graded label by label for everyone, so a copied table keeps exactly the labels whose values
    happen to agree on both learners' data (within the check's one grid step); the test predicts that share from the
    two keys, and likewise a scalar answer whose two keys agree by chance (at most one may). The engine and stock nbgrader grade the same three submissions and agree cell by cell.
    """
    from grader.engine.grading import autograde

    cohort, handout = made
    release_copy = cohort.grader / "release" / TIER / LESSON
    minji = _literal_answers(cohort, "minji")
    _submit(cohort, "minji", submission(release_copy, cohort.folder / TIER / LESSON, answers=minji))
    _submit(cohort, "seojun", submission(release_copy, cohort.folder / TIER / LESSON, answers=minji))
    _submit(cohort, "hayun", submission(release_copy, cohort.folder / TIER / LESSON))
    points = {q.test_cell: q.points for q in questions(ROOT / TIER / LESSON)}

    summary = autograde(cohort.grader, TIER, jobs=2, progress=False, say=quiet,
                        data_for=variants.data_lookup(cohort.folder, say=quiet))
    assert sorted(summary.graded) == sorted(LEARNERS), summary.text()
    engine = {learner: _scores(cohort, learner) for learner in LEARNERS}
    mine, theirs = _forms(_keys(cohort, "minji")), _forms(_keys(cohort, "seojun"))
    chance = []
    for q in questions(ROOT / TIER / LESSON):
        cell, full = q.test_cell, q.points
        assert engine["minji"][cell] == full and engine["hayun"][cell] == full, (cell, engine)
        if get(q.qid).kind == "table":
            agree = sum(abs(mine[q.qid][label] - theirs[q.qid][label]) <= 1 for label in theirs[q.qid])
            assert agree < len(theirs[q.qid]) and engine["seojun"][cell] == round(full * agree / len(theirs[q.qid]), 2)
        else:  # a scalar earns only where the two learners' keys agree within one grid step by chance
            same = (abs(mine[q.qid] - theirs[q.qid]) <= 1 if isinstance(mine[q.qid], int)
                    else mine[q.qid] == theirs[q.qid])
            chance.append(same)
            assert engine["seojun"][cell] == (full if same else 0), (cell, engine)
    assert sum(chance) <= 1, "more than one scalar answer agrees by chance: the variants are too alike"
    assert sum(engine["seojun"].values()) <= 0.25 * sum(points.values())
    autograded = nbformat.read(cohort.grader / "autograded" / "hayun" / TIER / LESSON, as_version=4)
    shown = [o.get("text", "") for c in autograded.cells if 'check("' in c.source for o in c.get("outputs", [])]
    assert shown and all("맞았어요" in text for text in shown)  # hayun's visible checks carry her own tokens

    result = run_nbgrader(["autograde", TIER, "--force"], cohort.folder, {})
    assert result.returncode == 0, result.stdout + result.stderr
    stock = {learner: _scores(cohort, learner) for learner in LEARNERS}
    assert stock == engine


def test_a_per_learner_cohort_is_only_handed_out_per_learner_and_keeps_its_mode(made, tmp_path):
    cohort, _ = made
    with pytest.raises(TrainerError, match="학습자별로만"):
        release(cohort, TIER, say=quiet)
    with pytest.raises(TrainerError, match="학습자마다 다른 데이터"):
        cohorts.create("개인반", SEED, folder=cohort.folder, say=quiet)
    before = (variants.data_dir(cohort.folder, "minji") / "friends.csv").stat().st_mtime_ns
    variants.ensure_data(cohort.folder, SEED, "minji", say=quiet)  # made once, never again
    assert (variants.data_dir(cohort.folder, "minji") / "friends.csv").stat().st_mtime_ns == before
    with pytest.raises(TrainerError, match="폴더 이름으로"):
        variants.ensure_data(cohort.folder, SEED, "../밖", say=quiet)


def test_a_learners_data_is_made_again_only_when_it_is_incomplete(made):
    """A run stopped after the seed was noted and before the data moved in makes it again; another seed is refused."""
    cohort, _ = made
    home = variants.home(cohort.folder, "stopped")
    home.mkdir(parents=True)
    seed = variants.variant_seed(SEED, "stopped")
    (home / variants.VARIANT_FILE).write_text(json.dumps({"seed": seed}), encoding="utf-8")
    (home / "data").mkdir()
    (home / "data" / "friends.csv").write_text("half", encoding="utf-8")
    data = variants.ensure_data(cohort.folder, SEED, "stopped", say=quiet)
    assert variants._complete(data) and (data / "friends.csv").read_text(encoding="utf-8-sig") != "half"

    other = variants.home(cohort.folder, "moved")
    other.mkdir(parents=True)
    (other / variants.VARIANT_FILE).write_text(json.dumps({"seed": 5}), encoding="utf-8")
    with pytest.raises(TrainerError, match="시드"):
        variants.ensure_data(cohort.folder, SEED, "moved", say=quiet)
    assert json.loads((other / variants.VARIANT_FILE).read_text(encoding="utf-8")) == {"seed": 5}
