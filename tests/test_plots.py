"""Hangul renders in plots: no missing-glyph warning, and the check itself can fail."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import course  # noqa: E402  (sets the Korean style)

TITLE = "일별 친구 수와 차단율 (7일 이동평균)"


def render(path, family=None) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        context = {"font.family": family} if family else {}
        with plt.rc_context(context):
            fig, ax = plt.subplots()
            ax.plot([1, 2, 3], [-1, 0, 2])
            ax.set_title(TITLE)
            ax.set_xlabel("날짜")
            ax.set_ylabel("친구 수 (명)")
            fig.savefig(path)
            plt.close(fig)
    return [str(w.message) for w in caught if "missing from" in str(w.message)]


def test_hangul_title_and_labels_render_without_missing_glyphs(tmp_path):
    assert "Nanum" in course.FONT or "Gothic" in course.FONT
    assert render(tmp_path / "korean.png") == []
    assert (tmp_path / "korean.png").stat().st_size > 5_000


def test_missing_glyphs_are_detected_with_a_latin_only_font(tmp_path):
    missing = render(tmp_path / "tofu.png", family="DejaVu Sans")
    assert missing, "the glyph check must be able to fail"


def test_minus_sign_renders_in_the_korean_font():
    assert matplotlib.rcParams["axes.unicode_minus"] is False


@pytest.mark.parametrize("key", ["axes.titlesize", "axes.labelsize"])
def test_readable_sizes(key):
    assert float(matplotlib.rcParams[key]) >= 12
