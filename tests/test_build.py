"""Student-copy builds: a failed first run leaves no gradebook; the learner's folder is never overwritten."""

from __future__ import annotations

import json

import nbformat
import pytest

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


def test_workspace_keeps_the_learners_work_and_adds_new_lessons(root, tmp_path):
    build_student_copies(root, ["beginner"], extra_env=ENV, say=quiet)
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
