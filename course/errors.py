"""Errors a learner can meet, shown in Korean without a traceback from the course's own code."""

from __future__ import annotations


class CourseError(Exception):
    """Base of every error the course raises on purpose; ``str(error)`` is the Korean message."""

    title = "문제가 생겼어요"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def _render_traceback_(self) -> list[str]:
        """IPython/Jupyter hook: show the title and message only (the cell still counts as failed)."""
        return [f"\x1b[1;31m{self.title}\x1b[0m: {self.message}"]
