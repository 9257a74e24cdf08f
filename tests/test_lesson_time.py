"""Each lesson states the time computed from its content (grader/lesson_time.py), not a guess."""

from __future__ import annotations

import copy
import json

import pytest

from grader import lesson_time

LESSONS = lesson_time.lessons()


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_stated_time_is_the_computed_time(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert lesson_time.stated_line(notebook) == lesson_time.expected_line(notebook), (
        "`python -m grader.lesson_time --write`로 예상 시간을 다시 계산해 넣으세요.")


def _cell(kind, source, **nbgrader):
    return {"cell_type": kind, "source": source, "metadata": {"nbgrader": nbgrader}}


def test_more_to_read_write_and_solve_takes_longer():
    base = {"cells": [_cell("markdown", "# 제목\n\n예상 시간: 약 5분\n"),
                      _cell("code", "a = ...\n### BEGIN SOLUTION\na = 1\n### END SOLUTION\n", solution=True),
                      _cell("code", 'check("q", a)\n', locked=True)]}
    assert lesson_time.minutes(base) == 5  # 3 + 1 minutes and a few words, rounded up to 5
    longer = copy.deepcopy(base)
    longer["cells"][2]["source"] = "a = ...\n### BEGIN SOLUTION\n" + "a += 1\n" * 12 + "### END SOLUTION\n"
    assert lesson_time.minutes(longer) == 20  # 3 + 12 minutes
    written = copy.deepcopy(base)
    written["cells"].append(_cell("markdown", "여기에 적어 보세요.", solution=True, grade=True))
    assert lesson_time.minutes(written) == 15  # + 10 minutes of writing
    wordy = copy.deepcopy(base)
    wordy["cells"][0]["source"] += "낱말 " * 600  # 600 어절 at 120 a minute
    assert lesson_time.minutes(wordy) == 10
    example = copy.deepcopy(base)
    example["cells"].insert(1, _cell("code", "x = 1\n", locked=True))
    assert lesson_time.minutes(example) == 10  # + 1.5 minutes for a worked example


def test_spoken_in_korean():
    assert lesson_time.spoken(40) == "약 40분"
    assert lesson_time.spoken(60) == "약 1시간"
    assert lesson_time.spoken(95) == "약 1시간 35분"
