"""Korean plot style: Hangul fonts through koreanize-matplotlib, readable sizes, no tofu boxes."""

from __future__ import annotations

import warnings

import matplotlib

STYLE = {
    "figure.figsize": (8, 4.5),
    "figure.dpi": 100,
    "axes.titlesize": 14,
    "axes.labelsize": 12,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": False,  # Hangul fonts often lack the Unicode minus sign
}


def use_korean_style() -> str:
    """Register the bundled Korean font and the course's plot defaults; returns the font family."""
    with warnings.catch_warnings():
        # koreanize-matplotlib 0.1.1 still compares versions with distutils; that warning is not the learner's.
        warnings.simplefilter("ignore", DeprecationWarning)
        import koreanize_matplotlib  # noqa: F401  (importing it registers NanumGothic and sets rcParams)

    matplotlib.rcParams.update(STYLE)
    return matplotlib.rcParams["font.family"][0]
