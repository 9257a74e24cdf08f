"""Which names may be folder names: a cohort's name and a learner's id (nbgrader makes a folder of each)."""

from __future__ import annotations

import re
import unicodedata

SAFE = re.compile(r"[0-9A-Za-z\uac00-\ud7a3][0-9A-Za-z\uac00-\ud7a3._-]{0,63}")
RULE = "글자·숫자로 시작하고 글자·숫자·점(.)·밑줄(_)·하이픈(-)만, 64자까지"


def clean(text: str) -> str:
    """Spaces around taken off and Hangul composed (a Mac saves 김민지 as separate jamo, NFD)."""
    return unicodedata.normalize("NFC", text.strip())


def problem(name: str) -> str | None:
    """Why ``name`` (already ``clean``) cannot be a folder name, in Korean; None if it can."""
    if not name:
        return "비어 있어요"
    if name in (".", "..") or not SAFE.fullmatch(name):
        return f"폴더 이름으로 쓸 수 없어요 ({RULE})"
    return None
