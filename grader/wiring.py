"""How a lesson wires its questions: each check cell's ``check("qid", variable)`` and the answer cell just before it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

CHECK_CALL = re.compile(r'check\("(?P<qid>[\w.]+)", (?P<variable>\w+)\)')


@dataclass(frozen=True)
class Question:
    """A graded question as a lesson wires it: answer cell, test cell, question id, variable."""

    lesson: str
    qid: str
    variable: str
    answer_cell: str
    test_cell: str
    points: float


def questions(source: Path) -> list[Question]:
    """Pair each test cell's check("qid", variable) with the answer cell just before it."""
    found, last_answer = [], None
    for cell in nbformat.read(source, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            last_answer = meta["grade_id"]
        match = CHECK_CALL.search(cell.source)
        if meta.get("grade") and match:
            found.append(Question(source.name, match["qid"], match["variable"], last_answer, meta["grade_id"],
                                  float(meta["points"])))
    return found
