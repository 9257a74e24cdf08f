"""Python source for a value: what a learner's code would have produced, typed into an answer cell."""

from __future__ import annotations

import pandas as pd


def literal(value) -> str:
    """Python source that evaluates to ``value`` (what a learner's mistaken code would have produced)."""
    if isinstance(value, pd.Timestamp):
        return f'"{value:%Y-%m-%d}"'
    if isinstance(value, pd.Series):  # a table answer: a dict literal is judged the same way
        return "{" + ", ".join(f"{literal(label)}: {literal(item) if isinstance(item, str) else repr(float(item))}"
                               for label, item in value.items()) + "}"
    if isinstance(value, (set, frozenset, list, tuple, pd.Index)):  # an id set
        return repr(sorted(str(item) for item in value))
    if isinstance(value, int) or getattr(value, "dtype", None) is not None and str(value.dtype).startswith("int"):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))
    return repr(value if not isinstance(value, str) else str(value))
