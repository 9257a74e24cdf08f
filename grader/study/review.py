"""What to review this week: the two concepts the team missed most, each with the lesson section that teaches it and
its glossary entry.

A concept is a glossary skill a question is tagged with (``@question(skills=...)``). Its miss rate is the share of
points the members did not earn on its auto-graded questions. The section is the lesson heading above the question's
check; the link opens the learner's copy of the lesson (``workspace/<tier>/``, never the source with its solutions)
there (JupyterLab follows heading links).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from course.glossary import SECTIONS

from .lessons import ROOT, lessons

TOP = 2


@dataclass(frozen=True)
class Concept:
    skill: str
    missed: float  # share of points not earned, 0-1
    meaning: str  # its glossary entry
    lesson: str  # tier/notebook
    lesson_title: str
    section: str
    link: str  # the lesson's student copy with the section's anchor, relative to a learner's workspace
    question: str  # the question most missed on it


def meaning_of(word: str) -> str:
    for terms in SECTIONS.values():
        for term in terms:
            if term.word == word:
                return term.meaning
    return ""


@lru_cache(maxsize=64)
def section_of(lesson: str, qid: str, root: Path = ROOT) -> str:
    """The heading of the lesson section whose cells hold ``check("qid"``."""
    cells = json.loads((Path(root) / f"{lesson}.ipynb").read_text(encoding="utf-8"))["cells"]
    heading = ""
    for cell in cells:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            found = re.findall(r"^##\s+(.+)$", text, flags=re.M)
            if found:
                heading = found[-1].strip()
        elif f'check("{qid}"' in text:
            return heading
    return heading


def anchor(heading: str) -> str:
    """JupyterLab's id for a heading: its text with spaces as hyphens."""
    return heading.replace(" ", "-")


def most_missed(cells: pd.DataFrame, top: int = TOP) -> list[Concept]:
    from ..trainer.report import NO_SKILL, skills_of

    scored = cells[cells["points"].notna() & ~cells["written"].astype(bool) & cells["qid"].astype(bool)]
    if scored.empty:
        return []
    rows = []
    for row in scored.itertuples(index=False):
        for skill in skills_of(row.qid):
            if skill != NO_SKILL:
                rows.append({"skill": skill, "qid": row.qid, "tier": row.tier, "notebook": row.notebook,
                             "title": row.title, "points": row.points, "max_points": row.max_points})
    if not rows:
        return []
    table = pd.DataFrame(rows)
    by_skill = table.groupby("skill")[["points", "max_points"]].sum()
    by_skill["missed"] = 1 - by_skill["points"] / by_skill["max_points"]
    chosen = by_skill[by_skill["missed"] > 0].sort_values(["missed", "max_points"], ascending=False).head(top)
    titles = lessons()
    found = []
    for skill, line in chosen.iterrows():
        mine = table[table["skill"] == skill]
        per_q = mine.groupby(["qid", "tier", "notebook", "title"])[["points", "max_points"]].sum().reset_index()
        per_q["missed"] = 1 - per_q["points"] / per_q["max_points"]
        worst = per_q.sort_values("missed", ascending=False).iloc[0]
        lesson = f"{worst['tier']}/{worst['notebook']}"
        section = section_of(lesson, worst["qid"])
        found.append(Concept(skill, float(line["missed"]), meaning_of(skill), lesson, titles.get(lesson, lesson),
                             section, f"{lesson}.ipynb#{anchor(section)}", str(worst["title"])))
    return found
