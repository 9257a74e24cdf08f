"""Integrity flags: what a learner's notebook did that grading must not reward, in Korean for the trainer.

Each flag says what happened, where, and what it cost: ``0점`` (the questions it touched earn nothing)
or ``검토`` (points kept, the trainer should look: a value typed in rather than computed). The flags of
every graded learner go to ``integrity.csv`` beside the gradebook (UTF-8 with BOM for Korean Excel).
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, fields
from pathlib import Path

# code -> does it zero the questions it touches?
ZEROES = {
    "builtins": True, "course": True, "machinery": True, "transformer": True, "tracing": True,
    "suspect": True, "keys": True,
    "network": False, "literal": False, "retyped": False, "deleted": False, "reordered": False,
}
ACTION = {True: "0점", False: "검토"}
COLUMNS = ("tier", "student", "notebook", "cell", "question", "code", "reason", "action")


@dataclass
class Flag:
    code: str
    reason: str
    notebook: str = ""
    cell: str = ""  # grade id of the graded cell it concerns, if one
    question: str = ""
    tier: str = ""
    student: str = ""

    @property
    def zeroes(self) -> bool:
        return ZEROES.get(self.code, True)

    @property
    def action(self) -> str:
        return ACTION[self.zeroes]

    def row(self) -> dict[str, str]:
        data = {k: v for k, v in asdict(self).items()}
        data["action"] = self.action
        return {column: str(data.get(column, "")) for column in COLUMNS}

    @classmethod
    def from_dict(cls, data: dict) -> "Flag":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def write_integrity(path: Path, tier: str, flags_by_student: dict[str, list[Flag]]) -> None:
    """Replace the rows of these learners for ``tier``; keep every other row (other tiers, other learners)."""
    kept: list[dict[str, str]] = []
    if path.exists():
        with open(path, encoding="utf-8-sig", newline="") as handle:
            kept = [row for row in csv.DictReader(handle)
                    if not (row.get("tier") == tier and row.get("student") in flags_by_student)]
    rows = kept + [flag.row() for student in sorted(flags_by_student) for flag in flags_by_student[student]]
    temporary = path.with_suffix(".csv.tmp")
    with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    temporary.replace(path)


def read_integrity(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
