"""Item statistics for the class report: how hard each question was and whether it tells strong from weak learners.

The input is one row per learner and question (``learner``, ``item``, ``points``, ``max_points``; ``points`` is NaN
where the score is not known yet: a written answer waiting for the trainer). The statistics use only known scores.

    난이도 (difficulty)      the mean share of the points earned (1 = everyone right)
    변별도 (discrimination)  the point-biserial (Pearson) correlation of the item's share with the rest-score:
                             the learner's points on the other items, over the items every learner has a score for
An item whose discrimination is negative (weaker learners did better on it than stronger ones) is marked
``검토 필요``: a key or a question that may reward the wrong thing. With fewer than ``MIN_LEARNERS`` scores an item's
discrimination is not computed: with so few learners it is noise.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MIN_LEARNERS = 5
REVIEW = "검토 필요"
TOO_FEW = "학습자가 적어 의미 없음"
NO_SPREAD = "모두 같은 점수 (변별도 없음)"
COLUMNS = ("item", "n", "difficulty", "discrimination", "note")


def fractions_table(scores: pd.DataFrame) -> pd.DataFrame:
    """learner × item: the share of the item's points each learner earned (NaN: not known yet)."""
    share = scores["points"] / scores["max_points"].where(scores["max_points"] > 0)
    table = scores.assign(share=share).pivot_table(index="learner", columns="item", values="share",
                                                    aggfunc="first", dropna=False)
    return table


def points_table(scores: pd.DataFrame) -> pd.DataFrame:
    return scores.pivot_table(index="learner", columns="item", values="points", aggfunc="first", dropna=False)


def rest_scores(points: pd.DataFrame, item) -> pd.Series:
    """Each learner's points on the other items that every learner has a score for."""
    common = [column for column in points.columns if column != item and points[column].notna().all()]
    return points[common].sum(axis=1)


def discrimination(share: pd.Series, rest: pd.Series) -> float:
    """Point-biserial correlation of an item's share with the rest-score; NaN when either does not vary."""
    both = pd.concat([share, rest], axis=1).dropna()
    if len(both) < 2 or both.iloc[:, 0].nunique() < 2 or both.iloc[:, 1].nunique() < 2:
        return math.nan
    return float(np.corrcoef(both.iloc[:, 0].astype(float), both.iloc[:, 1].astype(float))[0, 1])


def item_statistics(scores: pd.DataFrame, min_learners: int = MIN_LEARNERS) -> pd.DataFrame:
    """One row per item: n (learners with a score), difficulty, discrimination, note (검토 필요 or why none)."""
    if scores.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    shares, points = fractions_table(scores), points_table(scores)
    rows = []
    for item in shares.columns:
        known = shares[item].dropna()
        n = int(len(known))
        difficulty = float(known.mean()) if n else math.nan
        value, note = math.nan, ""
        if n < min_learners:
            note = TOO_FEW
        else:
            value = discrimination(known, rest_scores(points, item).loc[known.index])
            if math.isnan(value):
                note = NO_SPREAD
            elif value < 0:
                note = REVIEW
        rows.append({"item": item, "n": n, "difficulty": difficulty, "discrimination": value, "note": note})
    return pd.DataFrame(rows, columns=list(COLUMNS))
