"""The A/B group builder, headless: reproducible groups from a customer file, independent of the file's order, and a
balance check that flags a broken split."""

from __future__ import annotations

import pandas as pd
import pytest

from course import load
from course.abgroups import GroupError, balance, group_files, split_groups

COLUMNS = ["gender", "age_band", "region"]


@pytest.fixture(scope="module")
def customers():
    friends = load("friends")
    return friends[friends["ad_consent"] & friends["blocked_at"].isna()].reset_index(drop=True)


def test_the_same_file_and_seed_give_the_same_groups_whatever_the_order(customers):
    a, b = split_groups(customers, seed=7)
    shuffled = customers.sample(frac=1, random_state=1)
    a2, b2 = split_groups(shuffled, seed=7)
    assert a["friend_id"].tolist() == a2["friend_id"].tolist() and b["friend_id"].tolist() == b2["friend_id"].tolist()
    assert abs(len(a) - len(b)) <= 1 and set(a["friend_id"]).isdisjoint(b["friend_id"])
    assert len(a) + len(b) == len(customers)
    other, _ = split_groups(customers, seed=8)
    assert other["friend_id"].tolist() != a["friend_id"].tolist()


def test_a_random_split_is_balanced_and_a_split_by_a_characteristic_is_not(customers):
    a, b = split_groups(customers, seed=7)
    fair = balance(a, b, COLUMNS)
    assert not fair.srm and (fair.by_column["p"] > 0.001).all()
    women = customers["gender"] == customers["gender"].mode()[0]
    broken = balance(customers[women], customers[~women], COLUMNS)  # "split" by gender: not random
    assert broken.by_column.set_index("column").loc["gender", "max_diff"] == pytest.approx(1)
    lopsided = balance(a, b.iloc[: len(b) // 2], COLUMNS)
    assert lopsided.srm


def test_the_files_to_upload_hold_one_id_per_line(customers):
    a, b = split_groups(customers, seed=7)
    first, second = group_files(a, b)
    assert first.splitlines()[0] == "friend_id" and len(first.splitlines()) == len(a) + 1
    assert set(first.splitlines()[1:]).isdisjoint(second.splitlines()[1:])


def test_bad_files_are_refused_in_korean(customers):
    with pytest.raises(GroupError, match="'phone' 열이 없어요"):
        split_groups(customers, seed=1, id_column="phone")
    twice = pd.concat([customers.head(3), customers.head(1)])
    with pytest.raises(GroupError, match="겹치는 값"):
        split_groups(twice, seed=1)
    with pytest.raises(GroupError, match="두 사람 이상"):
        split_groups(customers.head(1), seed=1)
