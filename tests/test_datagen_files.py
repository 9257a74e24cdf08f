"""The generator is deterministic, the committed default cohort is its seed-2026 output, files open cleanly."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from course.data import DEFAULT_DATA_DIR
from course.datagen import DEFAULT_SEED, generate
from course.tables import TABLES

BOM = b"\xef\xbb\xbf"


def digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_and_the_committed_cohort_is_current(tmp_path):
    generate(tmp_path / "a", seed=DEFAULT_SEED)
    assert digests(tmp_path / "a") == digests(DEFAULT_DATA_DIR), (
        "datasets/ differs from a fresh seed-2026 run: run `make data` and commit")


def test_command_line_matches_the_library_and_other_seeds_differ(tmp_path):
    subprocess.run([sys.executable, "-m", "course.datagen", "--seed", "7", "--out", str(tmp_path / "cli")],
                   check=True, capture_output=True)
    generate(tmp_path / "lib", seed=7)
    assert digests(tmp_path / "cli") == digests(tmp_path / "lib")
    assert digests(tmp_path / "cli")["friends.csv"] != digests(DEFAULT_DATA_DIR)["friends.csv"]


def test_command_line_does_not_replace_existing_data_without_force(tmp_path):
    out = tmp_path / "cohort"
    generate(out, seed=7)
    before = digests(out)
    refused = subprocess.run([sys.executable, "-m", "course.datagen", "--seed", "8", "--out", str(out)],
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "이미 데이터" in refused.stderr and "--force" in refused.stderr
    assert digests(out) == before
    forced = subprocess.run([sys.executable, "-m", "course.datagen", "--seed", "8", "--out", str(out), "--force"],
                            capture_output=True, text=True)
    assert forced.returncode == 0 and digests(out) != before


def test_command_line_refuses_a_too_small_channel(tmp_path):
    result = subprocess.run([sys.executable, "-m", "course.datagen", "--friends", "10", "--out", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "친구 수는 1,000명 이상" in result.stderr


@pytest.mark.parametrize("name", list(TABLES))
def test_utf8_with_bom_and_plain_pandas_reads_it_unchanged(name):
    path = DEFAULT_DATA_DIR / TABLES[name].file_name
    assert path.read_bytes().startswith(BOM)
    plain = pd.read_csv(path)  # no encoding argument: what a learner would type
    assert list(plain.columns) == TABLES[name].column_names
    assert len(plain) > 0


def test_data_dictionary_describes_every_table_and_column():
    text = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    for table in TABLES.values():
        assert f"## `{table.name}`" in text
        for column in table.columns:
            assert f"| `{column.name}` | {column.meaning} |" in text, (table.name, column.name)


def test_default_cohort_has_about_ten_thousand_friends_over_six_months():
    friends = pd.read_csv(DEFAULT_DATA_DIR / "friends.csv", encoding="utf-8-sig")
    daily = pd.read_csv(DEFAULT_DATA_DIR / "daily_stats.csv", encoding="utf-8-sig")
    assert len(friends) == 10_000
    assert daily["date"].iloc[0] == "2026-05-01" and daily["date"].iloc[-1] == "2026-10-31"
