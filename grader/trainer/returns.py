"""Returning feedback: every learner's pages of a tier in one zip, one folder per learner (for an LMS or mail)."""

from __future__ import annotations

import zipfile
from pathlib import Path


def zip_feedback(course: Path, tier: str, students: list[str] | None = None) -> Path | None:
    """``<course>/feedback-<tier>.zip`` with ``<id>/<lesson>.html`` for each learner that has feedback; None if none."""
    from ..engine.grading import open_course

    opened = open_course(course)
    pages = []
    for student in opened.students(tier):
        if students and student not in students:
            continue
        folder = opened.feedback(student, tier)
        pages += [(student, page) for page in sorted(folder.glob("*.html"))] if folder.is_dir() else []
    if not pages:
        return None
    archive = Path(course).resolve() / f"feedback-{tier}.zip"
    partial = archive.with_name(archive.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for student, page in pages:
            bundle.write(page, f"{student}/{page.name}")
    partial.replace(archive)
    return archive
