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


def test_check_prints_only_to_stdout_and_shows_no_value_below(capsys):
    token = make_spec(0.18254).to_token()
    assert check("demo.q", 0.1825, token) is None  # a check cell's last line shows no Out[...] value
    check("demo.q", 0.3, token)
    out, err = capsys.readouterr()
    assert "맞았어요" in out and "아직이에요" in out and err == ""


def table_spec(answer: dict, mistakes=(), decimals=3):
    from course.checks import canonical_table, table_digests

    salt = "test-salt"
    return Spec("demo.t", "rates", "table", decimals, salt, table_digests(salt, canonical_table(answer, decimals)),
                [(table_digests(salt, canonical_table(m, decimals)), text) for m, text in mistakes], "분모는 도달 수예요.")


def test_table_answers_are_judged_label_by_label():
    spec = table_spec({"광고": 0.0812, "채널 검색": 0.1534}, mistakes=[({"광고": 8.12, "채널 검색": 15.34}, "100을 곱하지 않아요.")])
    assert spec.judge(pd.Series({"채널 검색": 0.15341, "광고": 0.0812})).correct  # order and float noise do not matter
    assert spec.judge(pd.DataFrame({"rate": [0.0812, 0.1534]}, index=["광고", "채널 검색"])).correct
    assert spec.judge({"광고": 8.12, "채널 검색": 15.34}).message == "아직이에요. 100을 곱하지 않아요."
    off = spec.judge(pd.Series({"광고": 0.0812, "채널 검색": 0.2}))
    assert not off.correct and "채널 검색의 값이 달라요" in off.message and "0.1534" not in off.message
    assert "빠진 항목" in spec.judge(pd.Series({"광고": 0.0812})).message
    assert "문제에 없는 항목" in spec.judge(pd.Series({"광고": 0.0812, "채널 검색": 0.1534, "이벤트": 0.1})).message
    assert "Series" in spec.judge(0.1).message


def test_table_answers_may_hold_text_per_label():
    spec = table_spec({"INC1": "과다 발송", "INC2": "시스템 오류"},
                      mistakes=[({"INC1": "시스템 오류", "INC2": "과다 발송"}, "두 사건을 바꿔 적었어요.")])
    assert spec.judge(pd.Series({"INC2": " 시스템  오류", "INC1": "과다 발송"})).correct  # spaces normalised, order free
    assert spec.judge({"INC1": "시스템 오류", "INC2": "과다 발송"}).message == "아직이에요. 두 사건을 바꿔 적었어요."
    off = spec.judge({"INC1": "과다 발송", "INC2": "루머"})
    assert not off.correct and "INC2의 값이 달라요" in off.message and "시스템 오류" not in off.message
    assert not spec.judge({"INC1": "과다 발송", "INC2": 3}).correct  # a number where text is expected


def test_integer_labels_read_the_same_from_any_index_type():
    spec = table_spec({0: 0.01, 1: 0.02})
    assert spec.judge(pd.Series([0.01, 0.02], index=pd.Index([0.0, 1.0]))).correct
    assert spec.judge(pd.Series([0.01, 0.02], index=pd.Index(["0", "1"]))).correct


def test_idset_answers_ignore_order_type_and_duplicates():
    from course.checks import canonical_idset

    salt = "test-salt"
    right = digest(salt, canonical_idset(["F000002", "F000001"]))
    spec = Spec("demo.s", "night_ad_friends", "idset", 0, salt, right, [], "야간 동의가 없는 친구만이에요.")
    assert spec.judge(pd.Series(["F000001", "F000002", "F000001"])).correct
    assert spec.judge({"F000002", "F000001"}).correct
    assert not spec.judge(["F000001"]).correct
    assert "값 하나" in spec.judge("F000001").message


def reference_rule(message: dict) -> set[str]:
    problems = set()
    if message["is_ad"] and not message["text"].startswith("(광고)"):
        problems.add("광고 표기")
    if message["is_ad"] and not 8 <= message["hour"] < 21:
        problems.add("야간 발송")
    return problems


def function_spec(mistakes=()):
    from course.checks import run_case

    salt = "test-salt"
    cases = [("밤 9시 광고", {"is_ad": True, "text": "(광고) 세일", "hour": 21}),
             ("표기 없는 광고", {"is_ad": True, "text": "세일", "hour": 12}),
             ("정보성", {"is_ad": False, "text": "배송 안내", "hour": 22})]
    right = [[label, arg, digest(salt, run_case(reference_rule, arg))] for label, arg in cases]
    hashed = [([digest(salt, run_case(fn, arg)) for _, arg in cases], text) for fn, text in mistakes]
    return Spec("demo.f", "check_message", "function", 0, salt, right, hashed, "광고일 때만 따져요.")


def test_function_answers_run_on_the_examples_and_name_a_known_mistake():
    def off_by_one(message):
        problems = reference_rule(message)
        if message["is_ad"] and message["hour"] == 21:
            problems.discard("야간 발송")
        return problems

    spec = function_spec(mistakes=[(off_by_one, "21시 정각도 야간이에요.")])
    assert spec.judge(reference_rule).correct
    assert spec.judge(lambda m: sorted(reference_rule(m))).correct  # a list is as good as a set
    assert "21시 정각도 야간이에요" in spec.judge(off_by_one).message
    assert "'정보성'" in spec.judge(lambda m: {"야간 발송"} if m["hour"] >= 21 else reference_rule(m)).message
    crashed = spec.judge(lambda m: m["missing"])
    assert not crashed.correct and "KeyError" in crashed.message
    assert "아직 답을 넣지 않았어요" in spec.judge(...).message
    assert "함수" in spec.judge(3).message


def test_the_learners_function_cannot_change_the_examples():
    spec = function_spec()

    def vandal(message):
        message["is_ad"] = False
        return reference_rule(message)

    spec.judge(vandal)
    assert spec.judge(reference_rule).correct


def test_a_token_hash_is_memory_hard():
    """scrypt, so trying candidate values against a student copy's token is slow (issue 9)."""
    import hashlib

    from course.checks import SCRYPT, digest

    assert SCRYPT["n"] >= 2**11 and SCRYPT["r"] >= 8
    expected = hashlib.scrypt(b"6239", salt=b"salt", n=SCRYPT["n"], r=SCRYPT["r"], p=SCRYPT["p"], dklen=SCRYPT["dklen"])
    assert digest("salt", 6239) == expected.hex()
    assert digest("salt", 6239) != hashlib.sha256(b"salt|6239").hexdigest()[:24]


def write_check_file(folder, *specs):
    import json

    from course.checks import CHECKS_FOLDER

    (folder / CHECKS_FOLDER).mkdir(exist_ok=True)
    path = folder / CHECKS_FOLDER / "lesson.json"
    path.write_text(json.dumps({"checks": {spec.qid: spec.to_token() for spec in specs}}), encoding="utf-8")
    return path


@pytest.fixture
def no_live_keys(monkeypatch):
    """As in a learner's copy: no answer-key provider to fall back on."""
    import course.checks

    monkeypatch.setattr(course.checks, "_live_spec", lambda qid: None)
    monkeypatch.setattr(course.checks, "_SEEN", {})


def test_a_check_without_token_reads_the_check_file_beside_the_notebook(tmp_path, monkeypatch, capsys, no_live_keys):
    from course.checks import NO_CHECK

    monkeypatch.chdir(tmp_path)
    check("demo.q", 0.1825)
    assert capsys.readouterr().out.strip() == NO_CHECK  # no check file here yet: a Korean sentence, no traceback
    path = write_check_file(tmp_path, make_spec(0.18254))
    check("demo.q", 0.1825)
    check("demo.q", 0.3)
    out = capsys.readouterr().out
    assert "맞았어요" in out and "아직이에요" in out
    path.write_text("{ 깨진", encoding="utf-8")  # a damaged check file is as if there were none
    check("demo.q", 0.1825)
    assert capsys.readouterr().out.strip() == NO_CHECK


def test_review_lists_every_question_as_right_not_yet_or_not_written(tmp_path, monkeypatch, capsys, no_live_keys):
    from course.checks import review

    monkeypatch.chdir(tmp_path)
    rate, count, share = make_spec(0.18254), make_spec(6234, kind="int"), make_spec(0.5)
    count.qid, count.variable, share.qid, share.variable = "demo.count", "count", "demo.share", "share"
    write_check_file(tmp_path, rate, count, share)
    questions = {"문제 1 (2점)": "demo.q", "문제 2 (1점)": "demo.count", "문제 3 (1점)": "demo.share",
                 "문제 4 (1점)": "demo.gone"}
    review(questions, {"rate": 0.1825, "count": 6000, "share": ...})
    out = capsys.readouterr().out
    assert "문제 1 (2점) `rate`: 맞음" in out and "문제 2 (1점) `count`: 아직" in out
    assert "문제 3 (1점) `share`: 안 씀" in out and "문제 4 (1점): 안 씀" in out
    assert "맞음 1개 · 아직 1개 · 안 씀 2개" in out
    assert "6234" not in out and "0.18" not in out
    # without a namespace: the calling cell's globals, i.e. the notebook's variables
    exec('review({"문제 1": "demo.q"})', {"review": review, "rate": 0.18254})
    assert "문제 1 `rate`: 맞음" in capsys.readouterr().out


def test_review_uses_the_token_the_check_cell_ran_with(tmp_path, monkeypatch, capsys, no_live_keys):
    """In grading there is no check file: the gradebook's check cells carry their tokens and the review reuses them."""
    from course.checks import review

    monkeypatch.chdir(tmp_path)
    check("demo.q", 0.5, make_spec(0.18254).to_token())
    review({"문제 1": "demo.q"}, {"rate": 0.18254})
    assert "문제 1 `rate`: 맞음" in capsys.readouterr().out
