"""Visible checks: right, not yet, named mistakes, never the answer."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest

from course.checks import Spec, canonical, check, digest


def make_spec(answer, kind="number", decimals=3, mistakes=()):
    salt = "test-salt"
    return Spec("demo.q", "rate", kind, decimals, salt, digest(salt, canonical(answer, kind, decimals)),
                [(digest(salt, canonical(value, kind, decimals)), message) for value, message in mistakes], "분모를 확인해요.")


def test_right_answer_within_the_stated_precision():
    spec = make_spec(0.18254)
    assert spec.judge(0.18254).correct
    assert spec.judge(np.float64(0.1826)).correct  # one step at the third decimal
    assert not spec.judge(0.1850).correct


def test_common_mistake_is_named_and_other_wrong_answers_get_the_hint():
    spec = make_spec(0.18254, mistakes=[(18.254, "100을 곱하지 않아요.")])
    assert spec.judge(18.254).message == "아직이에요. 100을 곱하지 않아요."
    assert spec.judge(0.5).message == "아직이에요. 힌트: 분모를 확인해요."


@pytest.mark.parametrize("value, words", [
    (..., "아직 답을 넣지 않았어요"), (None, "아직 답을 넣지 않았어요"),
    ("0.18", "str"), (pd.Series([0.18]), "Series"), (True, "bool"), (float("nan"), "NaN"),
])
def test_unfinished_or_wrong_kind_answers(value, words):
    verdict = make_spec(0.18254).judge(value)
    assert not verdict.correct and words in verdict.message


def test_an_object_that_equals_everything_earns_nothing():
    class Always:
        def __eq__(self, other):
            return True

    assert not make_spec(6234, kind="int").judge(Always()).correct


def test_integer_answers_are_exact_and_dates_are_normalised():
    assert make_spec(6234, kind="int").judge(6234.0).correct
    assert not make_spec(6234, kind="int").judge(6235).correct
    assert not make_spec(6234, kind="int").judge(6234.5).correct
    spec = make_spec("2026-07-14", kind="date")
    assert spec.judge(pd.Timestamp("2026-07-14 13:00")).correct and not spec.judge("2026-07-15").correct


def test_token_round_trips_and_holds_no_answer():
    spec = make_spec(0.18254, mistakes=[(18.254, "100을 곱하지 않아요.")])
    token = spec.to_token()
    assert Spec.from_token(token) == spec
    decoded = base64.b64decode(token).decode("utf-8")
    for plain in ("0.18254", "0.183", "183", "18.254", "18254"):
        assert plain not in decoded


def test_check_prints_only_to_stdout_and_returns_the_verdict(capsys):
    token = make_spec(0.18254).to_token()
    assert check("demo.q", 0.1825, token) is True
    assert check("demo.q", 0.3, token) is False
    out, err = capsys.readouterr()
    assert "맞았어요" in out and "아직이에요" in out and err == ""
