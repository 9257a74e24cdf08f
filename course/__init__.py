"""카카오톡 채널 실무 아카데미: the package every lesson imports.

    from course import load, check
    friends = load("friends")
"""

from __future__ import annotations

from .checks import check
from .data import DataError, current_data_dir, load, table_names, use_data
from .errors import CourseError
from .plots import use_korean_style

__all__ = ["load", "use_data", "current_data_dir", "table_names", "check", "use_korean_style",
           "CourseError", "DataError"]

FONT = use_korean_style()
