"""Through a real nbgrader exchange, with learners as real OS users: release, fetch, submit, collect, grade.

nbgrader names a submission by the OS user who made it, so each learner here is an OS user of their own (made with
``useradd``, which needs root: CI runs as root). The cohort has per-learner data: the one copy the exchange hands out
must read the data and check files of whoever opens it. The trainer releases with ``release(..., exchange=True)``
(stock ``nbgrader release_assignment``); learners fetch and submit with stock nbgrader under their own accounts;
``collect`` reads every submission in the inbound (not only the newest, as ``nbgrader collect`` does) with the usual
rules, and leaves the exchange as it was.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from course.data import reading
from grader.keys import answer
from grader.trainer import cohort as cohorts
from grader.trainer import variants
from grader.trainer.collect import ASIDE, EARLIER, collect
from grader.trainer.exchange import inbox_of
from grader.trainer.literals import literal
from grader.trainer.release import release
from grader.trainer.roster import import_roster
from grading import cell_scores, questions, submission
from machine import free_port, let_users_through, run_as
from trainer_cohort import quiet, write_csv

if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
    pytest.skip("학습자마다 OS 사용자를 만들어야 해서 root 권한(useradd, runuser)이 필요해요. CI는 root로 실행해요 "
                "(needs root to create the learners' OS users; CI runs as root).", allow_module_level=True)

SEED = 77
TIER = "beginner"
LESSON = "00_orientation.ipynb"
MINJI, SEOJUN, GUEST = "ac-minji", "ac-seojun", "ac-guest"  # the guest has an account but is not on the roster
ROSTER = f"id,name,email\n{MINJI},김민지,minji@example.com\n{SEOJUN},이서준,\n"
BIN = Path(sys.executable).parent


def _user(name: str) -> Path:
    try:
        return Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", name], check=True, capture_output=True)
        return Path(pwd.getpwnam(name).pw_dir)


def _as(name: str, args: list[str], cwd: Path, config: Path) -> subprocess.CompletedProcess:
    """``args`` run as the OS user ``name`` in ``cwd``, with only what a learner's server would have set."""
    return run_as(name, args, {"PATH": f"{BIN}:/usr/bin:/bin", "JUPYTER_CONFIG_DIR": str(config)}, cwd=cwd,
                  timeout=600)


def _write_as(name: str, path: Path, nb) -> None:
    nbformat.write(nb, path)
    user = pwd.getpwnam(name)
    os.chown(path, user.pw_uid, user.pw_gid)


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A per-learner cohort released to a real exchange; three OS users fetch it and submit."""
    base = Path(tempfile.mkdtemp(prefix="academy-exchange-", dir="/tmp"))
    base.chmod(0o755)  # the learners read the cohort's data folders and the nbgrader config from here
    exchange, config = base / "exchange", base / "jupyter"
    exchange.mkdir()
    exchange.chmod(0o777)  # as nbgrader's docs set up an exchange
    config.mkdir()
    (config / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n"
        "c.CourseDirectory.course_id = 'kakao-channel-academy'\n", encoding="utf-8")
    saved = dict(os.environ)  # put back whole at the end: loading a cohort's nbgrader config sets its data folder
    os.environ["JUPYTER_CONFIG_DIR"] = str(config)  # the trainer's nbgrader reads the same site configuration
    opened = let_users_through([Path(sys.executable), ROOT])
    homes = {name: _user(name) for name in (MINJI, SEOJUN, GUEST)}
    for home in homes.values():
        shutil.rmtree(home / TIER, ignore_errors=True)  # a fetch from an earlier run
    try:
        source = base / "course"
        (source / TIER).mkdir(parents=True)
        shutil.copy(ROOT / TIER / LESSON, source / TIER / LESSON)
        (source / "grader").mkdir()
        shutil.copy(ROOT / "grader" / "nbgrader_config.py", source / "grader")
        cohort = cohorts.create("허브반", SEED, parent=base / "cohorts", source=source, say=quiet,
                                per_learner_data=True)
        import_roster(cohort, write_csv(base / "명단.csv", ROSTER), say=quiet)
        release(cohort, TIER, learners=[MINJI, SEOJUN], make_zip=False, exchange=True, say=quiet)
        for name, home in homes.items():
            fetched = _as(name, ["nbgrader", "fetch_assignment", TIER], home, config)
            assert fetched.returncode == 0 and (home / TIER / LESSON).is_file(), fetched.stdout + fetched.stderr
        yield cohort, base, homes, config
    finally:
        os.environ.clear()  # this worker's later tests must not read this cohort's (removed) data folder
        os.environ.update(saved)
        for name in (MINJI, SEOJUN, GUEST):
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        for folder, mode in opened.items():
            folder.chmod(mode)
        shutil.rmtree(base, ignore_errors=True)


def _submit(name: str, homes, config) -> None:
    done = _as(name, ["nbgrader", "submit", TIER], homes[name], config)
    assert done.returncode == 0, done.stdout + done.stderr
    time.sleep(0.05)  # nbgrader's submission times are to the microsecond; keep them apart


@pytest.fixture(scope="module")
def collected(hub):
    """minji submits the blank copy, then her solution, then (after the deadline) the blank copy again; seojun
    submits minji's answers as values; the guest submits the blank copy."""
    cohort, base, homes, config = hub
    copy = homes[MINJI] / TIER / LESSON
    blank = nbformat.read(copy, as_version=4)
    solved = submission(copy, cohort.folder / TIER / LESSON)
    _submit(MINJI, homes, config)
    _write_as(MINJI, copy, solved)
    _submit(MINJI, homes, config)
    hers = _her_values(cohort)
    _write_as(SEOJUN, homes[SEOJUN] / TIER / LESSON, submission(homes[SEOJUN] / TIER / LESSON,
                                                                cohort.folder / TIER / LESSON, answers=hers))
    _submit(SEOJUN, homes, config)
    _submit(GUEST, homes, config)
    time.sleep(0.05)
    deadline = datetime.now()
    time.sleep(0.05)
    _write_as(MINJI, copy, blank)
    _submit(MINJI, homes, config)
    inbound = _tree(base / "exchange")
    result = collect(cohort, TIER, inbox_of(cohort), deadline=deadline, say=quiet)
    return cohort, result, solved, inbound


def _her_values(cohort) -> dict[str, str]:
    """minji's answers typed in as values (what she might send a classmate), from the keys on her data."""
    with reading(variants.data_dir(cohort.folder, MINJI)):
        return {q.answer_cell: f"{q.variable} = {literal(answer(q.qid))}\n" for q in questions(ROOT / TIER / LESSON)}


def test_the_one_released_copy_reads_the_data_and_checks_of_whoever_opens_it(hub):
    """minji's fetched copy, opened under her account, reads her data folder; her own values, run in a real kernel
    there, hear 맞았어요 from every check (her check file; the cohort's would not agree). The guest, not on the roster,
    is told in Korean that there is no data for them."""
    cohort, base, homes, config = hub
    work = homes[MINJI] / "run"
    work.mkdir(exist_ok=True)
    shutil.copytree(homes[MINJI] / TIER, work / TIER, dirs_exist_ok=True)
    copy = work / TIER / LESSON
    nbformat.write(submission(copy, cohort.folder / TIER / LESSON, answers=_her_values(cohort)), copy)
    subprocess.run(["chown", "-R", f"{MINJI}:", str(work)], check=True)
    where = _as(MINJI, ["python", "-c", "import course; print(course.current_data_dir())"], copy.parent, config)
    assert where.stdout.strip() == str(variants.data_dir(cohort.folder, MINJI).resolve()), where.stdout + where.stderr
    ran = _as(MINJI, ["python", "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                      "--ExecutePreprocessor.timeout=300", "--output", "ran.ipynb", str(copy)], copy.parent, config)
    assert ran.returncode == 0, ran.stderr[-3000:]
    nb = nbformat.read(copy.parent / "ran.ipynb", as_version=4)
    said = ["".join(o.get("text", "") for o in c.get("outputs", []) if o.get("output_type") == "stream")
            for c in nb.cells if 'check("' in c.source]
    assert said and all("맞았어요" in text for text in said), said

    tried = _as(GUEST, ["python", "-c", "from course.data import load; load('friends')"], homes[GUEST] / TIER,
                config)
    assert tried.returncode != 0 and f"'{GUEST}' 사용자의 데이터가 이 반에 없어요" in tried.stderr, tried.stderr[-2000:]


def test_every_submission_in_the_exchange_is_sorted_by_the_collect_rules(collected):
    cohort, result, solved, _ = collected
    placed = {(o.learner, o.lesson) for o in result.placed}
    assert placed == {(MINJI, LESSON), (SEOJUN, LESSON)}, result.text()
    got = nbformat.read(cohort.grader / "submitted" / MINJI / TIER / LESSON, as_version=4)
    assert [c.source for c in got.cells] == [c.source for c in solved.cells]  # the last one before the deadline
    kept = [o for o in result.outcomes if not o.placed]
    reasons = sorted((o.learner, o.reason.split(" (")[0].split(":")[0]) for o in kept)
    assert reasons == sorted([(MINJI, "같은 수업을 또 냈어요"), (MINJI, "마감 후 제출이에요"),
                              ("", "명단에 없는 학습자의 파일이에요")]), result.text()
    assert any(GUEST in o.where for o in kept if not o.learner)
    aside = list((cohort.grader / ASIDE).glob("*/사유.csv"))
    assert len(aside) == 1 and len(aside[0].read_text(encoding="utf-8-sig").strip().splitlines()) == 1 + len(kept)
    assert len([p for p in (cohort.grader / ASIDE).rglob("*.ipynb")]) == len(kept)  # every file kept aside is there


@pytest.fixture(scope="module")
def graded(collected):
    """The collected submissions graded by the engine, each learner on their own data."""
    from grader.engine.grading import autograde

    cohort, *_ = collected
    return cohort, autograde(cohort.grader, TIER, jobs=2, progress=False, say=quiet,
                             data_for=variants.data_lookup(cohort.folder, say=quiet))


def test_grading_keys_each_hub_learner_to_their_own_data(graded):
    """minji's solution earns full marks on her data; seojun, who typed in her answers, earns at most a quarter."""
    cohort, summary = graded
    assert sorted(summary.graded) == [MINJI, SEOJUN], summary.text()
    tests = {q.test_cell: q.points for q in questions(ROOT / TIER / LESSON)}
    points = sum(tests.values())
    scores = {name: cell_scores(cohort.folder, TIER, name) for name in (MINJI, SEOJUN)}
    auto = {name: sum(s for (_, cell), (s, _) in cells.items() if cell in tests) for name, cells in scores.items()}
    assert auto[MINJI] == points, scores[MINJI]
    assert auto[SEOJUN] <= 0.25 * points, scores[SEOJUN]


@pytest.fixture
def formgrader(graded):
    """nbgrader's formgrader in a real Jupyter server started in the cohort's grader folder, as a trainer opens it."""
    import secrets
    import urllib.request

    cohort, _ = graded
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen([sys.executable, "-m", "jupyter", "server", "--allow-root", "--no-browser",
                               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={cohort.grader}"],
                              cwd=cohort.grader, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def call(path: str, body: dict | None = None):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="GET" if body is None else "PUT",
                                         data=None if body is None else json.dumps(body).encode("utf-8"),
                                         headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            text = answer.read().decode("utf-8")
        return json.loads(text) if path.startswith("/formgrader/api") else text

    try:
        for _ in range(240):
            try:
                call("/api/status")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()[-3000:]
                time.sleep(0.5)
        yield call
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_the_trainer_grades_the_written_answer_in_formgrader_and_the_report_follows(graded, formgrader):
    """The written answer waits in the report and the export; graded through formgrader's own API (what its page
    calls), it counts in both."""
    from grader.trainer import report
    from grader.trainer.export import export_grades

    cohort, _ = graded
    page = report.class_report(cohort, say=quiet)
    waiting = list(csv_rows(page.parent / "채점_대기.csv"))
    assert {row["아이디"] for row in waiting} == {MINJI, SEOJUN}, waiting
    assert "<title>nbgrader formgrade</title>" in formgrader("/formgrader")
    notebooks = formgrader(f"/formgrader/api/submitted_notebooks/{TIER}/{LESSON.removesuffix('.ipynb')}")
    mine = next(nb for nb in notebooks if nb["student"] == MINJI)
    grades = formgrader(f"/formgrader/api/grades?submission_id={mine['id']}")
    written = [g for g in grades if g["needs_manual_grade"]]
    assert written, grades
    shown = formgrader(f"/formgrader/submissions/{mine['id']}")  # the page the trainer grades on
    assert LESSON.removesuffix(".ipynb") in shown and all(g["name"] in shown for g in written)
    for grade in written:
        done = formgrader(f"/formgrader/api/grade/{grade['id']}", {"manual_score": grade["max_score"],
                                                                    "extra_credit": 0})
        assert done["needs_manual_grade"] is False and done["manual_score"] == grade["max_score"]

    page = report.class_report(cohort, say=quiet)
    assert {row["아이디"] for row in csv_rows(page.parent / "채점_대기.csv")} == {SEOJUN}
    rows = {row[0]: row for row in csv.reader(export_grades(cohort, say=quiet).read_text(encoding="utf-8-sig")
                                              .splitlines())}
    assert "채점 대기" not in rows[MINJI] and "채점 대기" in rows[SEOJUN]


def csv_rows(path: Path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def test_collecting_again_with_no_deadline_takes_the_newest_and_keeps_the_one_it_replaces(collected, hub):
    """Run last (it replaces minji's graded copy). The exchange itself is only read, by either run."""
    cohort, result, solved, inbound = collected
    _, base, _, _ = hub
    seojun = (cohort.grader / "submitted" / SEOJUN / TIER / LESSON).read_bytes()
    again = subprocess.run([sys.executable, "-m", "grader", "collect", TIER, "--exchange", "--cohort",
                            str(cohort.folder)], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "교환 폴더에서 모아요" in again.stdout and "다시 낸 제출물이에요" in again.stdout, again.stdout
    assert "이미 받은 것과 같아요" in again.stdout  # seojun's, unchanged
    assert (cohort.grader / "submitted" / SEOJUN / TIER / LESSON).read_bytes() == seojun
    kept = list((cohort.grader / EARLIER).glob(f"*/{MINJI}/{TIER}/{LESSON}"))
    assert len(kept) == 1
    assert [c.source for c in nbformat.read(kept[0], as_version=4).cells] == [c.source for c in solved.cells]
    assert _tree(base / "exchange") == inbound


def test_a_missing_exchange_is_named_in_korean(hub, tmp_path):
    cohort, *_ = hub
    ran = subprocess.run([sys.executable, "-m", "grader", "collect", TIER, "--exchange", str(tmp_path / "없음"),
                          "--cohort", str(cohort.folder)], capture_output=True, text=True, timeout=600)
    assert ran.returncode == 1 and "교환 폴더에 이 과정(kakao-channel-academy)의 제출함이 없어요" in ran.stderr + ran.stdout
    both = subprocess.run([sys.executable, "-m", "grader", "collect", TIER, str(tmp_path), "--exchange",
                           "--cohort", str(cohort.folder)], capture_output=True, text=True, timeout=600)
    assert both.returncode == 1 and "하나만 주세요" in both.stderr + both.stdout
