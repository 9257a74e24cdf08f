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


def _show_course_error(shell, etype, value, tb, tb_offset=None):
    """IPython handler: the title and the message, no stack frames."""
    return [f"\x1b[1;31m{value.title}\x1b[0m: {value}"]


def install_notebook_handler() -> bool:
    """In IPython/Jupyter, show CourseError as one short line (the cell still counts as failed)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((CourseError,), _show_course_error)
    return True
