"""An A/B test the way a channel runs one: the 관리자센터 has no split button, so the customer file is randomised into
two 친구그룹 and each group gets its own message.

    a, b = split_groups(customers, seed=20261014)      # reproducible: the same file and seed give the same groups
    balance(a, b, ["gender", "age_band", "region"])    # sizes (SRM) and each characteristic's mix, side by side

A real upload names people by phone number or app user id (course.platform); the course's ``friend_id`` stands in for
either. The split sorts the file by its id first, so the groups do not depend on the order the file was exported in.
Balance is checked as an experimentation team does before the send: the sizes against 50:50 with a chi-square
goodness-of-fit test (SRM), and each characteristic with a chi-square test of independence and its largest
difference in share between the groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .errors import CourseError

SRM_THRESHOLD = 0.001  # as the glossary's 배정 비율 불일치(SRM)


class GroupError(CourseError):
    title = "그룹을 나누지 못했어요"


def split_groups(customers: pd.DataFrame, seed: int, id_column: str = "friend_id") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two groups of (almost) equal size, drawn at random with ``seed`` after sorting by ``id_column``."""
    if id_column not in customers.columns:
        raise GroupError(f"'{id_column}' 열이 없어요. 고객 파일의 식별 열(전화번호·앱 사용자 ID, 이 과정에서는 friend_id)을 "
                         "주세요.")
    if customers[id_column].isna().any() or customers[id_column].duplicated().any():
        raise GroupError(f"'{id_column}'에 빈 값이나 겹치는 값이 있어요. 한 사람이 두 그룹에 들어가지 않게 먼저 정리해요.")
    if len(customers) < 2:
        raise GroupError("두 그룹으로 나누려면 두 사람 이상이 필요해요.")
    ordered = customers.sort_values(id_column, kind="stable").reset_index(drop=True)
    order = np.random.default_rng(seed).permutation(len(ordered))
    half = len(ordered) // 2
    return ordered.iloc[np.sort(order[:half])].reset_index(drop=True), ordered.iloc[np.sort(order[half:])].reset_index(drop=True)


@dataclass
class Balance:
    sizes: tuple[int, int]
    srm_p: float
    by_column: pd.DataFrame  # column, p (chi-square independence), max_diff: largest share difference (0-1)

    @property
    def srm(self) -> bool:
        return self.srm_p < SRM_THRESHOLD


def balance(a: pd.DataFrame, b: pd.DataFrame, columns: list[str]) -> Balance:
    """The two groups' sizes against 50:50 and each column's mix, compared."""
    sizes = (len(a), len(b))
    srm_p = float(stats.chisquare(sizes).pvalue)
    rows = []
    for column in columns:
        table = pd.crosstab(pd.concat([a[column], b[column]], ignore_index=True),
                            np.repeat(["A", "B"], sizes))
        share = table / table.sum()
        p = float(stats.chi2_contingency(table.to_numpy()).pvalue) if table.shape[0] > 1 else 1.0
        rows.append({"column": column, "p": p, "max_diff": float((share["A"] - share["B"]).abs().max())})
    return Balance(sizes, srm_p, pd.DataFrame(rows))


def group_files(a: pd.DataFrame, b: pd.DataFrame, id_column: str = "friend_id") -> tuple[str, str]:
    """The two customer files to upload as 친구그룹 (one id per line, a header), as CSV text."""
    return (a[[id_column]].to_csv(index=False), b[[id_column]].to_csv(index=False))
