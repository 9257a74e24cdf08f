"""Any seed is a valid cohort: on fresh seeds every answer key computes and every story a lesson tells holds.

Seeds are drawn once from a fixed list (none of them is the committed default or a conftest seed), one test per seed
so the workers share them. No test here knows a seed's answer: each story is the lesson's sentence as a rule.
"""

from __future__ import annotations

import pytest

from conftest import using_data
from course.checks import canonical, run_case
from course.datagen import generate
from grader.keys import QUESTIONS, _load_all
from stories import STORIES

_load_all()
SWEEP_SEEDS = tuple(range(101, 151))  # 50 seeds


def _every_key_computes() -> list[str]:
    failed = []
    for qid in sorted(QUESTIONS):
        question = QUESTIONS[qid]
        try:
            if question.kind == "function":
                reference = question.key()
                for _, argument in question.examples + question.hidden:
                    run_case(reference, argument)
            else:
                canonical(question.key(), question.kind, question.decimals)
        except Exception as error:  # noqa: BLE001 (report every key that fails, not the first)
            failed.append(f"{qid}: {type(error).__name__}: {error}")
    return failed


@pytest.mark.parametrize("seed", SWEEP_SEEDS, ids=lambda seed: f"seed{seed}")
def test_a_fresh_seed_is_a_valid_cohort(seed, tmp_path):
    generate(tmp_path, seed=seed)
    with using_data(tmp_path):
        assert _every_key_computes() == []
        broken = {name: problem for name, check in STORIES.items() if (problem := check()) is not None}
        assert broken == {}


def test_a_story_that_does_not_hold_is_reported(monkeypatch):
    """The sweep would see a broken sentence: a story run on data that contradicts it returns its problem."""
    import pandas as pd

    import stories

    monkeypatch.setattr(stories, "answer", lambda qid: pd.Series({"이벤트": 900.0, "광고": 1400.0}))
    assert "이벤트 900원" in stories.STORIES[next(n for n in stories.STORIES if n.startswith("b02"))]()
