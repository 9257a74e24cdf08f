"""Keeping what grading found: scores in nbgrader's gradebook, the autograded copies, a record per learner.

A learner's tier is written all at once: the new autograded folder is made beside the old one and moved
into place, and an earlier graded copy is kept under ``autograded-earlier/`` rather than deleted. The
record (``.engine.json``) is written last; a run stopped before it simply grades that learner again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from .flags import Flag
from .judge import CellGrade, NotebookResult

RECORD = ".engine.json"


def fingerprint(folder: Path) -> str:
    """What a submission is: its notebooks' bytes and its timestamp (a resubmission changes it)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and (path.suffix == ".ipynb" or path.name == "timestamp.txt"):
            digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def read_record(autograded: Path) -> dict | None:
    try:
        return json.loads((autograded / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save_copies(autograded: Path, submitted: Path, results: list[NotebookResult], record: dict) -> None:
    """The autograded folder of one learner and tier, replaced as a whole; the earlier one is kept."""
    partial = autograded.parent / f".{autograded.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for result in results:
        if result.notebook is not None:
            nbformat.write(result.notebook, partial / f"{result.name}.ipynb")
    stamp = submitted / "timestamp.txt"
    if stamp.exists():
        shutil.copy2(stamp, partial / "timestamp.txt")
    (partial / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    if autograded.exists():
        keep = autograded.parent.parent.parent / (autograded.parent.parent.name + "-earlier") / autograded.parent.name \
            / autograded.name / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        keep.parent.mkdir(parents=True, exist_ok=True)
        autograded.rename(keep)
    partial.rename(autograded)


def make_record(fingerprint_: str, results: list[NotebookResult], problems: list[str]) -> dict:
    return {
        "fingerprint": fingerprint_,
        "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "problems": problems,
        "notebooks": {r.name: {"grades": [asdict(g) for g in r.grades], "problem": r.problem,
                               "flags": [asdict(f) for f in r.flags]} for r in results},
    }


def results_from_record(record: dict) -> list[NotebookResult]:
    found = []
    for name, data in record.get("notebooks", {}).items():
        found.append(NotebookResult(name, [CellGrade(**g) for g in data["grades"]],
                                    [Flag.from_dict(f) for f in data["flags"]], problem=data.get("problem", "")))
    return found


def write_gradebook(gradebook, tier: str, student: str, results: list[NotebookResult], timestamp) -> None:
    """Scores as nbgrader's SaveAutoGrades would write them; manual grades already given are never touched."""
    with warnings.catch_warnings():  # nbgrader's own session juggling warns on every new submission
        warnings.simplefilter("ignore", category=Warning)
        _write_gradebook(gradebook, tier, student, results, timestamp)


def _write_gradebook(gradebook, tier: str, student: str, results: list[NotebookResult], timestamp) -> None:
    gradebook.update_or_create_student(student)
    if timestamp:
        gradebook.update_or_create_submission(tier, student, timestamp=timestamp)
    else:
        gradebook.update_or_create_submission(tier, student)
    for result in results:
        for cell in result.grades:
            grade = gradebook.find_grade(cell.grade_id, result.name, tier, student)
            grade.auto_score = cell.points
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        for grade_id, unchanged in result.no_response.items():
            try:
                comment = gradebook.find_comment(grade_id, result.name, tier, student)
            except Exception:  # noqa: BLE001 (a cell nbgrader keeps no comment for)
                continue
            comment.auto_comment = "No response." if unchanged else None
    gradebook.db.commit()
