"""Student-copy builds: a failed first run leaves no gradebook; the learner's folder is never overwritten; check tokens
out of sight; the 제출 전 점검; builds skipped only while data and keys are the same."""

from __future__ import annotations

import json

import nbformat
import pytest

from conftest import using_data
from course.checks import Spec
from course.data import DATA_ENV, DEFAULT_DATA_DIR
from grader.build import BuildError, build_student_copies, sync_workspace
from grading import make_course_root

ENV = {DATA_ENV: str(DEFAULT_DATA_DIR)}


@pytest.fixture
def root(tmp_path):
    return make_course_root(tmp_path / "course")


def quiet(message):
    pass


def test_failed_first_build_leaves_no_gradebook_and_the_next_run_works(root):
    lesson = root / "beginner" / "00_orientation.ipynb"
    good = lesson.read_text(encoding="utf-8")
    nb = json.loads(good)
    nb["cells"][13]["source"] = "check(\"orientation.no_such_question\", friends_now)"
    lesson.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(BuildError) as error:
        build_student_copies(root, ["beginner"], extra_env=ENV, say=quiet)
    assert "학습용 사본을 만들지 못했어요" in str(error.value)
    assert not (root / "grader" / "gradebook.db").exists()

    lesson.write_text(good, encoding="utf-8")
    assert build_student_copies(root, ["beginner"], extra_env=ENV, say=quiet) == ["beginner"]
    assert (root / "grader" / "gradebook.db").exists()
    assert (root / "grader" / "release" / "beginner" / "00_orientation.ipynb").exists()
    # Nothing changed since: the second call does not rebuild.
    assert build_student_copies(root, ["beginner"], extra_env=ENV, say=quiet) == []


# --- the student copy as built: tokens out of sight, the 제출 전 점검, the token cache ---------------------------

LESSON = "00_orientation.ipynb"
SAID: list[str] = []  # what the shared build told the learner, step by step


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The beginner tier built once (stock nbgrader), shared by the tests below."""
    root = make_course_root(tmp_path_factory.mktemp("built") / "course")
    build_student_copies(root, ["beginner"], force=True, extra_env=ENV, say=SAID.append)
    return root


def test_the_build_says_in_korean_what_it_does_at_each_step(built):
    said = "\n".join(SAID)
    for step in ("문제 확인표", "nbgrader 시작 중", "학습용 사본 만드는 중 (1/1) beginner", "beginner 끝"):
        assert step in said, said


def test_workspace_keeps_the_learners_work_and_adds_new_lessons(built, tmp_path):
    root = built
    workspace = tmp_path / "학습 폴더"
    first = sync_workspace(workspace, root)
    mine = workspace / "beginner" / "00_orientation.ipynb"
    lessons = sorted((root / "beginner").glob("*.ipynb"))
    assert first.added == [workspace / "beginner" / lesson.name for lesson in lessons]
    assert mine in first.added

    nb = nbformat.read(mine, as_version=4)
    nb.cells[0].source += "\n\n내 메모: 다음 주 스터디에서 질문하기"
    nbformat.write(nb, mine)
    mine_before = mine.read_bytes()

    build_student_copies(root, ["beginner"], force=True, extra_env=ENV, say=quiet)  # a re-run of `make lab`
    (root / "grader" / "release" / "beginner" / "01_new.ipynb").write_bytes(mine_before)
    second = sync_workspace(workspace, root)
    assert mine.read_bytes() == mine_before
    assert second.kept == first.added
    assert second.added == [workspace / "beginner" / "01_new.ipynb"]
    (root / "grader" / "release" / "beginner" / "01_new.ipynb").unlink()
    # the check files are course material: always the newest, beside the kept notebooks
    checks = workspace / "beginner" / ".checks" / "00_orientation.json"
    assert checks.read_bytes() == (root / "grader" / "release" / "beginner" / ".checks" / checks.name).read_bytes()


def _gradebook_cells(root, tier: str, notebook: str) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + (root / "grader" / "gradebook.db").as_posix(), "kakao-channel-academy") as gradebook:
        found = gradebook.find_notebook(notebook, tier)
        return {"source": {c.name: c.source for c in found.source_cells},
                "graded": {c.name for c in found.grade_cells}}


def test_check_cells_show_no_token_and_the_check_files_hold_only_hashes(built):
    from course.checks import CHECKS_FOLDER
    from grader.preprocess import TOKEN_CALL
    from grading import answer_strings, questions

    release = built / "grader" / "release" / "beginner"
    for lesson in sorted((built / "beginner").glob("*.ipynb")):
        copy = nbformat.read(release / lesson.name, as_version=4)
        checks = [c.source for c in copy.cells if "check(" in c.source and c.cell_type == "code"]
        asked = questions(lesson)
        assert len(checks) == len(asked) and not any(TOKEN_CALL.search(source) for source in checks)
        tokens = json.loads((release / CHECKS_FOLDER / f"{lesson.stem}.json").read_text(encoding="utf-8"))["checks"]
        assert set(tokens) == {q.qid for q in asked}
        stored = _gradebook_cells(built, "beginner", lesson.stem)["source"]
        for q in asked:  # grading keeps the token in the gradebook's copy of the cell
            assert f'check("{q.qid}", {q.variable}, "{tokens[q.qid]}")' in stored[q.test_cell]
        with using_data(DEFAULT_DATA_DIR):
            for q in asked:
                spec = Spec.from_token(tokens[q.qid]).__dict__
                words = json.dumps({"hint": spec["hint"], "messages": [m for _, m in spec["mistakes"]],
                                    "examples": spec["right"] if spec["kind"] == "function" else []},
                                   ensure_ascii=False)
                for value in answer_strings(q.qid):
                    assert value not in words, (q.qid, value)


def test_each_lesson_ends_with_a_locked_review_of_its_questions_that_grading_does_not_count(built):
    from grader.preprocess import REVIEW_IDS
    from grading import questions

    release = built / "grader" / "release" / "beginner"
    for lesson in sorted((built / "beginner").glob("*.ipynb")):
        cells = nbformat.read(release / lesson.name, as_version=4).cells
        assert [c.metadata["nbgrader"]["grade_id"] for c in cells[-2:]] == list(REVIEW_IDS)
        assert all(c.metadata["nbgrader"]["locked"] and not c.metadata["nbgrader"]["grade"] for c in cells[-2:])
        assert cells[-2].source.startswith("## 제출 전 점검")
        for q in questions(lesson):
            assert f'"{q.qid}"' in cells[-1].source
        gradebook = _gradebook_cells(built, "beginner", lesson.stem)
        assert set(REVIEW_IDS) <= set(gradebook["source"]) and not set(REVIEW_IDS) & gradebook["graded"]


def _run_copy(notebook, folder, monkeypatch) -> dict[str, str]:
    """The copy's code cells run in one namespace from ``folder`` (as a kernel started there would): grade id -> output."""
    import contextlib
    import io

    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(folder)
    namespace, outputs = {"__name__": "__main__"}, {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed), using_data(DEFAULT_DATA_DIR):
                exec(compile(cell.source, "cell", "exec"), namespace)
            outputs[cell.metadata.get("nbgrader", {}).get("grade_id")] = printed.getvalue()
    return outputs


def test_in_the_learners_folder_checks_and_the_review_answer_from_the_check_files(built, tmp_path, monkeypatch):
    import course.checks
    from grading import submission

    monkeypatch.setattr(course.checks, "_live_spec", lambda qid: pytest.fail("a learner's copy asked the keys"))
    workspace = tmp_path / "학습 폴더"
    sync_workspace(workspace, built)
    mine = workspace / "beginner"
    source = built / "beginner" / LESSON
    monkeypatch.setattr(course.checks, "_SEEN", {})
    blank = _run_copy(submission(mine / LESSON, source, solved=False), mine, monkeypatch)
    assert "아직 답을 넣지 않았어요" in blank["t1-friends_now"]
    checked = sum(1 for cell in json.loads(source.read_text(encoding="utf-8"))["cells"]
                  if cell["cell_type"] == "code" and "check(" in "".join(cell["source"]))
    assert checked >= 2 and f"맞음 0개 · 아직 0개 · 안 씀 {checked}개" in blank["zz-review-check"]
    monkeypatch.setattr(course.checks, "_SEEN", {})
    wrong = {"a2-event_share": "event_share = 0.5\n"}
    half = _run_copy(submission(mine / LESSON, source, wrong), mine, monkeypatch)
    assert "맞았어요" in half["t1-friends_now"] and "아직이에요" in half["t2-event_share"]
    assert "`friends_now`: 맞음" in half["zz-review-check"] and "`event_share`: 아직" in half["zz-review-check"]


def test_a_copy_as_released_is_graded_as_released():
    """The learner's check cell has no token, the gradebook's has: not a retyped cell; a changed call still is."""
    from grader.engine.layout import Released, ReleasedCell, prepare
    from grader.preprocess import without_tokens

    stored = 'check("orientation.friends_now", friends_now, "ZXhhbXBsZQ==")\n### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS'
    meta = {"nbgrader": {"grade": True, "grade_id": "t1", "locked": True, "points": 2, "schema_version": 3,
                         "solution": False, "task": False}}
    released = Released("lesson", [ReleasedCell("t1", "code", stored, True, True, False, 2, meta)])
    shown = without_tokens('check("orientation.friends_now", friends_now, "ZXhhbXBsZQ==")')
    assert shown == 'check("orientation.friends_now", friends_now)'
    for source, flags in ((shown, []), ('check("orientation.friends_now", 6234)', ["retyped"])):
        cell = nbformat.v4.new_code_cell(source, metadata=meta)
        prepared = prepare(nbformat.v4.new_notebook(cells=[cell]), released)
        assert [f.code for f in prepared.flags] == flags
        assert prepared.notebook.cells[0].source == stored  # the run gets the gradebook's cell, token and all


def test_a_build_is_skipped_only_while_its_data_and_keys_are_the_same(built, tmp_path):
    import shutil

    from grader.build import _up_to_date

    assert _up_to_date(built, "beginner", DEFAULT_DATA_DIR)
    other = tmp_path / "cohort"
    shutil.copytree(DEFAULT_DATA_DIR, other)
    assert not _up_to_date(built, "beginner", other)  # another cohort's data: new tokens, new copies


def test_tokens_are_cached_per_data_state_and_the_same_computed_in_parallel(tmp_path, monkeypatch):
    import grader.tokens as tokens

    monkeypatch.setattr(tokens, "CACHE", tmp_path / "cache")
    lessons = {"a": ["orientation.friends_now"], "b": ["orientation.event_share"]}
    with using_data(DEFAULT_DATA_DIR):
        expected = tokens.compute(["orientation.friends_now", "orientation.event_share"])
    assert tokens.prefill(lessons, DEFAULT_DATA_DIR, jobs=2) == 2
    assert tokens.prefill(lessons, DEFAULT_DATA_DIR, jobs=2) == 0  # all cached now
    monkeypatch.setattr(tokens, "compute", lambda qids: pytest.fail("computed again"))
    with using_data(DEFAULT_DATA_DIR):
        assert tokens.tokens_for(list(expected)) == expected
    monkeypatch.setattr(tokens, "code_state", lambda: "a key changed")
    tokens._data_digest.cache_clear()
    with using_data(DEFAULT_DATA_DIR), pytest.raises(pytest.fail.Exception, match="computed again"):
        tokens.tokens_for(list(expected))
    tokens._data_digest.cache_clear()
