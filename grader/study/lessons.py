"""The course's lessons as a study team names them: ``b04`` or ``beginner/04_smart_goals``, with their titles."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TIERS = ("beginner", "intermediate", "advanced")


@lru_cache(maxsize=4)
def lessons(root: Path = ROOT) -> dict[str, str]:
    """``tier/stem`` -> title (the lesson's first heading, e.g. "04. 성과 측정과 SMART 목표"), in course order."""
    found = {}
    for tier in TIERS:
        for path in sorted((Path(root) / tier).glob("[0-9][0-9]_*.ipynb")):
            first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]
            line = ("".join(first) if isinstance(first, list) else first).strip().splitlines()[0]
            found[f"{tier}/{path.stem}"] = line.lstrip("# ").strip()
    return found


def short(key: str) -> str:
    """``beginner/04_smart_goals`` -> ``b04``."""
    tier, stem = key.split("/", 1)
    return tier[0] + stem[:2]


def lesson_key(text: str, root: Path = ROOT) -> str | None:
    """The lesson ``text`` names (``b04``, ``B04``, ``beginner/04``, ``beginner/04_smart_goals.ipynb``), or None."""
    wanted = re.sub(r"\.ipynb$", "", text.strip()).lower()
    for key in lessons(root):
        if wanted in (key.lower(), short(key)) or (wanted.count("/") == 1 and key.startswith(wanted + "_")):
            return key
    return None
