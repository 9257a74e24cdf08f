"""What a team member typed, read as numbers: each problem is added to ``problems`` in Korean, so a form or a command
can name every problem at once."""

from __future__ import annotations

import math


def number(value, label: str, problems: list[str]) -> float:
    """``value`` as a number (thousands commas allowed); NaN after adding the problem."""
    try:
        found = float(str(value).replace(",", "").strip())
    except ValueError:
        hint = " 비율은 0과 1 사이 소수로 적어요 (3%는 0.03)." if str(value).strip().endswith("%") else ""
        problems.append(f"{label}: 숫자로 적어 주세요 (예: 0.031 또는 1200).{hint} 받은 값: '{value}'")
        return math.nan
    if not math.isfinite(found):
        problems.append(f"{label}: 숫자로 적어 주세요. 받은 값: '{value}'")
    return found


def week(value, label: str, problems: list[str]) -> int:
    """``value`` as a study week (1 or more); 0 after adding the problem."""
    try:
        found = int(value)
        if found < 1:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(f"{label}: 1 이상의 정수로 적어 주세요. 받은 값: '{value}'")
        return 0
    return found
