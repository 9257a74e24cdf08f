"""``python -m grader`` and every subcommand explain themselves Korean first, English second."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from grader.__main__ import main

COMMANDS = ("student", "lab", "autograde", "feedback", "cohort", "roster", "release", "collect", "report", "export",
            "demo", "study")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _help(*args: str) -> str:
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown), pytest.raises(SystemExit) as ended:
        main([*args, "--help"])
    assert ended.value.code == 0
    return shown.getvalue()


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_korean_help_with_english_beside_it(command):
    text = _help(command)
    assert text.startswith("사용법 (usage): python -m grader " + command)
    assert "옵션 (options)" in text and "show this help message" not in text
    description = text.split("\n\n")[1]
    assert HANGUL.search(description) and re.search(r"[A-Za-z]{4,}", description), description
    first_korean, first_english = HANGUL.search(description).start(), re.search(r"[A-Z][a-z]+ ", description)
    assert first_english is None or first_korean < first_english.start()


def test_the_command_list_names_every_command():
    text = _help()
    assert all(command in text for command in COMMANDS)


def test_argparse_s_own_errors_are_korean():
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, timeout=300)

    missing = run("study", "case", "add", "--week", "1")
    assert missing.returncode == 2 and "오류: 꼭 줘야 하는 것이 빠졌어요: --member" in missing.stderr
    assert "the following arguments" not in missing.stderr
    bad = run("study", "--week", "셋째")
    assert "오류: --week: 정수로 주세요 (받은 값: '셋째')" in bad.stderr
    unknown = run("없는명령")
    assert "고를 수 없어요" in unknown.stderr and "invalid choice" not in unknown.stderr
