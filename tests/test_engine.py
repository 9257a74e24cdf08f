"""The grading engine against tricks and broken submissions, on the orientation lesson (two questions, 2 points each).

One scratch course is built with stock ``nbgrader generate_assignment``; every learner below is graded in one
engine run (two jobs, a 3-second cell limit), and the tests read the gradebook, integrity.csv, the records and
the autograded copies. Each learner is a submission a trainer could meet.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from pathlib import Path

import nbformat
import pytest

from conftest import using_data
from course.data import DATA_ENV, DEFAULT_DATA_DIR
from grader.build import build_student_copies
from grader.engine import sandbox as sandbox_module
from grader.engine.flags import read_integrity
from grader.engine.grading import Limits, autograde, feedback, open_course
from grader.engine.results import RECORD
from grading import cell_scores, make_course_root, submission

TIER = "beginner"
LESSON = "00_orientation.ipynb"
NAME = "00_orientation"
A1, A2, T1, T2 = "a1-friends_now", "a2-event_share", "t1-friends_now", "t2-event_share"
RIGHT1 = 'friends_now = int(friends["blocked_at"].isna().sum())\n'
RIGHT2 = ('current_friends = friends[friends["blocked_at"].isna()]\n'
          'event_share = float((current_friends["source"] == "이벤트").mean())\n')
REPO = Path(__file__).resolve().parent.parent
FAST = Limits(cell_seconds=3)

PROBE = '''
import pathlib, socket
readable = []
for path in {paths!r}:
    try:
        pathlib.Path(path).read_bytes()
        readable.append(path)
    except OSError:
        pass
print("READ:", readable or "none")
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    print("NET: open")
except OSError:
    print("NET: blocked")
''' + RIGHT1

LEAK = '''
# SECRET-FROM-ISO-A-1234: a marker a later learner must not find in its own memory
import os, pathlib, threading, time, pandas as pd, course.data
pathlib.Path("/tmp/leak.txt").write_text("from iso_a")
pathlib.Path("leak_here.txt").write_text("from iso_a")
os.environ["ACADEMY_LEAK"] = "1"
pd.DataFrame.sum = lambda self, *a, **k: 0
threading.Thread(target=lambda: time.sleep(3600), daemon=True).start()
folder = course.data.current_data_dir()
path = folder / "friends.csv"
stat = path.stat()
cached = course.data._read(str(path), stat.st_mtime_ns, stat.st_size, "friends")
cached.drop(cached.index, inplace=True)
import subprocess
subprocess.Popen(["sleep", "3600"], start_new_session=True)
for n in range(300):  # what iso_a printed passed through the server, which a later fork must not inherit
    print("SECRET-FROM-ISO-A-" + str(1000 + n) * 40)
''' + RIGHT1

ISOLATED = '''
import os, pathlib, threading, pandas as pd
from course import load
seen = [pathlib.Path("/tmp/leak.txt").exists(), pathlib.Path("leak_here.txt").exists(),
        "ACADEMY_LEAK" in os.environ, pd.DataFrame({"x": [1, 2]}).sum().iloc[0] != 3,
        threading.active_count() != 1, len(load("friends")) != 10000]
import re
marker = re.compile(rb"SECRET-FROM-ISO-A-\\d{4}")  # iso_a's comment; this pattern's own text does not match it
found = False
with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
    for line in maps:
        span, perms = line.split()[:2]
        if "r" not in perms:
            continue
        start, end = (int(x, 16) for x in span.split("-"))
        try:
            mem.seek(start)
            found = found or marker.search(mem.read(end - start)) is not None
        except (OSError, OverflowError, ValueError):
            pass
seen.append(found)
print("ISOLATED" if not any(seen) else f"LEAKED {seen}")
''' + RIGHT1

FORGE = '''
import json, os
lines = [{"t": "cell", "i": [0]}, {"t": "flag"}, {"t": "start", "i": "x"}, {"t": "cell", "i": 999},
         {"t": "export", "i": 5, "qid": "orientation.friends_now", "result": {"status": "form", "form": [1]}},
         {"t": "cell", "i": 5, "outputs": [5], "status": "ok"}, {"t": "done", "status": "ok"}, "junk"]
for fd in map(int, os.listdir("/proc/self/fd")):
    try:
        for line in lines:
            os.write(fd, (json.dumps(line) + "\\n").encode() + b"\\xff\\xfe not utf-8\\n" + b"x" * 70000 + b"\\n")
    except OSError:
        pass
''' + RIGHT1

WARNING_VALUE = '''import warnings


class Count(int):
    def __float__(self):
        warnings.warn("a warning the ignore pattern does not name", RuntimeWarning)
        warnings.warn("and pandas's own", FutureWarning)
        return int.__float__(self)


friends_now = Count(int(friends["blocked_at"].isna().sum()))
'''


def learners(paths: list[str], port: int) -> dict[str, dict[str, str]]:
    """Learner -> the answer cells they wrote (grade id -> code); unnamed cells keep the solution."""
    return {
        "correct": {},
        "김민지": {},  # a Korean learner id as the folder name
        # importing a course module no earlier cell imported is not tampering (it once flagged every i01 copy)
        "imports_course": {A1: "from course.windows import full_7d\nimport course.glossary\n" + RIGHT1},
        "blank": {A1: "friends_now = ...\n", A2: "event_share = ...\n"},
        "wrong_literal": {A1: "friends_now = 12\n"},  # a wrong number typed in: no points, nothing to review
        "import_keys": {A1: 'from grader.keys import answer\nfriends_now = answer("orientation.friends_now")\n'},
        "generator": {A1: "import os, course\nprint('DATAGEN:', sorted(os.listdir(os.path.join(os.path.dirname("
                           "course.__file__), 'datagen'))))\nfrom course.datagen import monitor\n" + RIGHT1},
        "probe": {A1: PROBE.format(paths=paths, port=port)},
        "transformer": {A1: "get_ipython().input_transformers_cleanup.append(lambda lines: [])\n" + RIGHT1},
        "builtins": {A1: "import builtins\nbuiltins.round = lambda x, *a: x\n" + RIGHT1},
        "patch_course": {A1: "import course.checks\ncourse.checks.canonical = lambda *a, **k: 0\n" + RIGHT1},
        "tracing": {A1: "import sys\nsys.settrace(lambda *a: None)\n" + RIGHT1},
        "always_equal": {A1: "class Same(int):\n    def __eq__(self, other):\n        return True\n"
                             "    __hash__ = int.__hash__\n\nfriends_now = Same(0)\n"},
        "runaway": {A2: "while True:\n    pass\n"},
        "ignores_sigint": {A2: "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"},
        "exits": {A2: "import os\nos._exit(0)\n"},
        "crashes": {A2: "import ctypes\nctypes.string_at(0)\n"},
        "memory": {A2: RIGHT2 + "hoard = bytearray(6 * 1024 ** 3)\n"},
        "floods": {A2: "for n in range(300):\n    print(f'{n} ' + '출력' * 5_000)\n" + RIGHT2},  # 3 M chars, few calls
        "warns": {A1: WARNING_VALUE},
        "iso_a": {A1: LEAK},
        "forger": {A1: FORGE},
        "iso_b": {A1: ISOLATED},
    }


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The orientation lesson built, every learner placed, graded once by the engine."""
    root = tmp_path_factory.mktemp("engine-course")
    (root / TIER).mkdir()
    shutil.copy(REPO / TIER / LESSON, root / TIER / LESSON)
    (root / "grader").mkdir()
    shutil.copy(REPO / "grader" / "nbgrader_config.py", root / "grader")
    env = {DATA_ENV: str(DEFAULT_DATA_DIR)}
    build_student_copies(root, [TIER], force=True, extra_env=env, say=lambda message: None)
    release = root / "grader" / "release" / TIER / LESSON
    source = root / TIER / LESSON
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    threading.Thread(target=lambda: [listener.accept() for _ in range(5)], daemon=True).start()
    secrets = [str(source), str(root / "grader" / "gradebook.db"), str(REPO / "grader" / "keys" / "b01_status.py"),
               str(root / "grader" / "submitted" / "correct" / TIER / LESSON), str(Path.home() / ".bashrc")]
    for student, answers in learners(secrets, listener.getsockname()[1]).items():
        place(root, student, submission(release, source, answers))
    # the submitted trick notebooks below are changed by hand, after the answers
    _place_changed(root, release, source)
    (root / "grader" / "submitted" / "broken_json" / TIER).mkdir(parents=True)
    (root / "grader" / "submitted" / "broken_json" / TIER / LESSON).write_text('{"cells": [ 깨진', encoding="utf-8")
    extra = root / "grader" / "submitted" / "extra_notebook" / TIER
    extra.mkdir(parents=True)
    nbformat.write(submission(release, source), extra / "my_notes.ipynb")
    with using_data(DEFAULT_DATA_DIR):
        summary = autograde(root / "grader", TIER, jobs=2, limits=FAST, progress=False)
    listener.close()
    return root, summary


def place(root: Path, student: str, nb) -> None:
    folder = root / "grader" / "submitted" / student / TIER
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / LESSON)


def _place_changed(root: Path, release: Path, source: Path) -> None:
    nb = submission(release, source, {A1: str(_answer_literal())})
    place(root, "literal", nb)
    nb = submission(release, source)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != T1]
    place(root, "deleted_test", nb)
    nb = submission(release, source, {A2: "event_share = 0.0\n"})
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == T2:
            cell.source = "print('맞았어요! ✅')"
    place(root, "retyped_test", nb)
    nb = submission(release, source)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    first, second = ids.index(T1), ids.index(T2)
    nb.cells[first], nb.cells[second] = nb.cells[second], nb.cells[first]
    place(root, "reordered_test", nb)


def _answer_literal() -> str:
    from grader.keys import answer

    with using_data(DEFAULT_DATA_DIR):
        return f"friends_now = {int(answer('orientation.friends_now'))}\n"


def points(root: Path, student: str) -> dict[str, float | None]:
    return {cell: score for (notebook, cell), (score, _) in cell_scores(root, TIER, student).items()
            if notebook == NAME and cell in (T1, T2)}


def flags_of(root: Path, student: str) -> list[dict[str, str]]:
    return [row for row in read_integrity(root / "grader" / "integrity.csv") if row["student"] == student]


def output_of(root: Path, student: str, grade_id: str) -> str:
    nb = nbformat.read(root / "grader" / "autograded" / student / TIER / LESSON, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def test_the_sandbox_is_real_here(course):
    """CI installs bubblewrap: grading here must not fall back."""
    _, summary = course
    assert summary.sandboxed, summary.warning


@pytest.mark.parametrize("student", ["correct", "김민지", "imports_course"])
def test_an_honest_learner_gets_every_point(course, student):
    root, _ = course
    assert points(root, student) == {T1: 2, T2: 2}
    assert flags_of(root, student) == []


def test_a_blank_copy_scores_zero(course):
    root, _ = course
    assert points(root, "blank") == {T1: 0, T2: 0}


def test_the_keys_cannot_be_imported(course):
    root, _ = course
    assert points(root, "import_keys")[T1] == 0
    assert any(row["code"] == "keys" for row in flags_of(root, "import_keys"))


def test_the_generator_and_its_rules_are_not_in_the_sandbox(course):
    """course/datagen holds the generator's truths and the crisis lessons' monitoring rules: an empty folder inside."""
    root, _ = course
    assert "DATAGEN: []" in output_of(root, "generator", A1)
    assert points(root, "generator")[T1] == 0  # the import fails, so the answer cell stops before its answer


def test_no_secret_file_and_no_network_reach_the_learner(course):
    root, _ = course
    text = output_of(root, "probe", A1)
    assert "READ: none" in text, text
    assert "NET: blocked" in text, text


@pytest.mark.parametrize("student, code", [("transformer", "transformer"), ("builtins", "builtins"),
                                           ("patch_course", "course"), ("tracing", "tracing"),
                                           ("always_equal", "suspect")])
def test_a_trick_earns_nothing_and_is_flagged(course, student, code):
    root, _ = course
    assert points(root, student)[T1] == 0
    rows = [row for row in flags_of(root, student) if row["code"] == code]
    assert rows and all(row["action"] == "0점" and row["reason"] for row in rows), flags_of(root, student)


def test_a_typed_in_value_keeps_its_points_and_is_flagged_for_review(course):
    root, _ = course
    assert points(root, "literal")[T1] == 2
    rows = flags_of(root, "literal")
    assert [(row["code"], row["action"], row["question"]) for row in rows] == [
        ("literal", "검토", "orientation.friends_now")]
    assert points(root, "wrong_literal")[T1] == 0 and flags_of(root, "wrong_literal") == []


@pytest.mark.parametrize("student, code, expected", [("deleted_test", "deleted", {T1: 2, T2: 2}),
                                                     ("retyped_test", "retyped", {T1: 2, T2: 0}),
                                                     ("reordered_test", "reordered", {T1: 2, T2: 2})])
def test_test_cells_are_graded_as_released_and_flagged(course, student, code, expected):
    root, _ = course
    assert points(root, student) == expected
    assert code in {row["code"] for row in flags_of(root, student)}


@pytest.mark.parametrize("student", ["runaway", "ignores_sigint", "exits", "crashes"])
def test_a_broken_notebook_keeps_what_was_earned_before_it_broke(course, student):
    root, summary = course
    assert points(root, student) == {T1: 2, T2: 0}
    assert student in summary.failed and summary.failed[student][0].startswith(NAME), summary.failed


def test_memory_and_output_caps_leave_the_answer_graded(course):
    root, summary = course
    assert points(root, "memory") == {T1: 2, T2: 2}
    assert "메모리 한도" in " ".join(summary.failed["memory"])
    assert "MemoryError" in json.dumps(nbformat.read(root / "grader" / "autograded" / "memory" / TIER / LESSON, 4))
    assert points(root, "floods") == {T1: 2, T2: 2}
    flooded = root / "grader" / "autograded" / "floods" / TIER / LESSON
    assert flooded.stat().st_size < 1_000_000 and "출력이 너무 길어" in flooded.read_text(encoding="utf-8")


def test_warnings_never_change_a_grade_and_stay_for_the_trainer(course):
    root, _ = course
    assert points(root, "warns") == {T1: 2, T2: 2}
    nb = nbformat.read(root / "grader" / "autograded" / "warns" / TIER / LESSON, as_version=4)
    stderr = [o for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert any("RuntimeWarning" in o["text"] for o in stderr)


def test_a_malformed_notebook_is_reported_and_left_as_it_was(course):
    root, summary = course
    assert points(root, "broken_json") == {T1: 0, T2: 0}
    assert "읽을 수 없어요" in " ".join(summary.failed["broken_json"])
    assert (root / "grader" / "submitted" / "broken_json" / TIER / LESSON).read_text(encoding="utf-8") == '{"cells": [ 깨진'


def test_a_missing_and_an_extra_notebook_are_reported(course):
    root, summary = course
    assert points(root, "extra_notebook") == {T1: 0, T2: 0}
    words = " ".join(summary.failed["extra_notebook"])
    assert "제출하지 않은" in words and "my_notes.ipynb" in words


def test_messages_forged_on_the_pipe_change_nothing(course):
    root, summary = course
    assert points(root, "forger") == {T1: 2, T2: 2}
    assert "forger" not in summary.failed, summary.failed.get("forger")


def test_learners_graded_back_to_back_in_one_parent_do_not_see_each_other(course):
    root, _ = course
    with using_data(DEFAULT_DATA_DIR):
        again = autograde(root / "grader", TIER, students=["iso_a", "iso_b"], jobs=1, force=True, progress=False)
    assert again.graded == ["iso_a", "iso_b"]
    assert "ISOLATED" in output_of(root, "iso_b", A1), output_of(root, "iso_b", A1)
    assert points(root, "iso_b") == {T1: 2, T2: 2}


def test_grades_do_not_depend_on_jobs_or_order(course):
    root, _ = course
    honest = ["blank", "correct", "literal", "warns", "김민지"]
    before = {student: cell_scores(root, TIER, student) for student in honest}
    for jobs in (1, 2):
        with using_data(DEFAULT_DATA_DIR):
            autograde(root / "grader", TIER, students=list(reversed(honest)), jobs=jobs, force=True, progress=False,
                      limits=FAST)
        assert {student: cell_scores(root, TIER, student) for student in honest} == before


def test_a_rerun_grades_only_what_changed_and_keeps_the_earlier_copy(course):
    root, _ = course
    with using_data(DEFAULT_DATA_DIR):
        unchanged = autograde(root / "grader", TIER, students=["correct", "blank"], jobs=1, progress=False)
    assert unchanged.graded == [] and unchanged.skipped == ["blank", "correct"]
    # an interrupted run: the record is written last, so a learner without one is graded again
    (root / "grader" / "autograded" / "blank" / TIER / RECORD).unlink()
    # a resubmission: the learner fixed their notebook after grading
    release = root / "grader" / "release" / TIER / LESSON
    place(root, "blank", submission(release, root / TIER / LESSON))
    with using_data(DEFAULT_DATA_DIR):
        again = autograde(root / "grader", TIER, students=["correct", "blank"], jobs=1, progress=False)
    assert again.graded == ["blank"] and again.skipped == ["correct"]
    assert points(root, "blank") == {T1: 2, T2: 2}
    earlier = list((root / "grader" / "autograded-earlier" / "blank" / TIER).iterdir())
    assert earlier and (earlier[0] / LESSON).exists()


def test_feedback_is_korean_and_holds_no_test_key_or_solution(course):
    root, _ = course
    with using_data(DEFAULT_DATA_DIR):
        pages = feedback(root / "grader", TIER, students=["blank", "correct"])
        from grader.keys import answer
        friends_now = str(int(answer("orientation.friends_now")))
    assert len(pages) == 2
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "피드백" in text and "점" in text
        for secret in ("assert_answer", "grader.keys", "HIDDEN", "blocked_at", friends_now, str(REPO), "Traceback"):
            assert secret not in text, (page, secret)
    blank = next(p for p in pages if "blank" in str(p)).read_text(encoding="utf-8")
    assert "아직 답을 넣지 않았어요" in blank or "맞았어요" in blank


def test_without_bubblewrap_grading_warns_loudly_and_still_grades(course, monkeypatch, tmp_path):
    root, _ = course
    monkeypatch.setattr(sandbox_module.shutil, "which", lambda name: None)
    chosen = sandbox_module.choose(DEFAULT_DATA_DIR)
    assert not chosen.sandboxed and "샌드박스" in chosen.warning and "bubblewrap" in chosen.warning
    with pytest.raises(RuntimeError, match="샌드박스"):
        sandbox_module.choose(DEFAULT_DATA_DIR, allow_fallback=False)
    told = []
    with using_data(DEFAULT_DATA_DIR):
        summary = autograde(root / "grader", TIER, students=["correct"], jobs=1, force=True, progress=False,
                            say=told.append)
    assert not summary.sandboxed and told and "bubblewrap" in summary.text()
    assert points(root, "correct") == {T1: 2, T2: 2}


def test_the_engine_reads_the_course_of_the_folder_it_runs_from(course, tmp_path):
    root, _ = course
    found = open_course(root / "grader")
    assert found.root == root.resolve()
    assert found.integrity_file() == root.resolve() / "grader" / "integrity.csv"
    with pytest.raises(Exception, match="nbgrader_config.py"):
        open_course(tmp_path)
    assert os.environ.get(DATA_ENV, "") != "nonsense"


def test_a_run_killed_midway_resumes_and_loses_nothing(course):
    """The trainer's terminal closes while grading: the next run grades only who is left, every submission intact."""
    import signal
    import subprocess
    import sys
    import time

    root, _ = course
    release = root / "grader" / "release" / TIER / LESSON
    names = [f"resume{n}" for n in range(1, 7)]
    for student in names:
        place(root, student, submission(release, root / TIER / LESSON))
    before = {s: (root / "grader" / "submitted" / s / TIER / LESSON).read_bytes() for s in names}
    command = [sys.executable, "-m", "grader", "autograde", TIER, "--jobs", "1", "--quiet"]
    for student in names:
        command += ["--student", student]
    process = subprocess.Popen(command, cwd=root / "grader", env={**os.environ, DATA_ENV: str(DEFAULT_DATA_DIR)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    records = [root / "grader" / "autograded" / s / TIER / RECORD for s in names]
    deadline = time.monotonic() + 300
    while not any(r.exists() for r in records) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = sum(r.exists() for r in records)
    assert 0 < done_before < len(names), "the run should have been stopped midway"
    with using_data(DEFAULT_DATA_DIR):
        resumed = autograde(root / "grader", TIER, students=names, jobs=2, progress=False, limits=FAST)
    assert len(resumed.skipped) == done_before and len(resumed.graded) == len(names) - done_before
    for student in names:
        assert points(root, student) == {T1: 2, T2: 2}, student
        assert (root / "grader" / "submitted" / student / TIER / LESSON).read_bytes() == before[student]
    assert not list((root / "grader" / "autograded").rglob("*.partial"))
