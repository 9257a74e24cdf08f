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
