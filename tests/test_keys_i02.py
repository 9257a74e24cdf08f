"""Each key of intermediate/02 (A/B 테스트 읽기) against an independent computation from the raw files, on three seeds.

The statistics are recomputed by other routes: the chi-square statistic by its formula, Newcombe's interval from
two Wilson intervals (proportion_confint), the Wald test from its z statistic.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy.stats import chi2, norm
from statsmodels.stats.proportion import proportion_confint

from conftest import raw
from grader.keys import answer, assert_answer, get, spec_for


def arms(folder, column: str = "clicked") -> dict[str, tuple[int, int, float]]:
    """EXP02 per arm: (friends with ``column`` = 1, friends reached, planned share), counted from experiments.csv."""
    rows = raw(folder, "experiments")
    rows = rows[rows["experiment_id"] == "EXP02"]
    out = {}
    for arm in ("A", "B"):
        part = rows[rows["arm"] == arm]
        assert part["friend_id"].is_unique
        out[arm] = (int(part[column].astype(int).sum()), len(part), float(part["planned_share"].iloc[0]))
    assert set(rows["arm"]) == {"A", "B"}
    return out


def test_exp02_is_the_title_tone_test_on_reached_friends_only(cohort):
    rows = raw(cohort, "experiments")
    rows = rows[rows["experiment_id"] == "EXP02"]
    deliveries = raw(cohort, "deliveries")
    reached = deliveries[deliveries["campaign_id"].isin(set(rows["campaign_id"])) & (deliveries["delivered"] == 1)]
    assert set(zip(reached["campaign_id"], reached["friend_id"])) == set(zip(rows["campaign_id"], rows["friend_id"]))
    assert len(reached) < (deliveries["campaign_id"].isin(set(rows["campaign_id"]))).sum()  # some were not reached


def test_srm_p_exp02_by_the_chi_square_formula(cohort):
    counts = arms(cohort)
    total = sum(n for _, n, _ in counts.values())
    statistic = sum((n - share * total) ** 2 / (share * total) for _, n, share in counts.values())
    assert answer("i02.srm_p_exp02") == pytest.approx(chi2.sf(statistic, df=1), abs=1e-12)
    assert answer("i02.srm_p_exp02") >= 0.001  # a clean split on every seed


def test_click_rate_by_arm_is_clicks_over_reached_friends(cohort):
    counts = arms(cohort)
    key = answer("i02.click_rate_by_arm")
    assert sorted(str(label) for label in key.index) == ["A", "B"]
    for arm, (clicks, n, _) in counts.items():
        assert key[arm] == pytest.approx(clicks / n, abs=1e-12)
    assert key["B"] > key["A"]  # the warm title wins, as the generator builds in


def test_abs_and_rel_lift(cohort):
    counts = arms(cohort)
    rate_a = counts["A"][0] / counts["A"][1]
    rate_b = counts["B"][0] / counts["B"][1]
    assert answer("i02.abs_lift") == pytest.approx(rate_b - rate_a, abs=1e-12)
    assert answer("i02.rel_lift") == pytest.approx(rate_b / rate_a - 1, abs=1e-12)


def test_diff_ci_is_newcombe_from_two_wilson_intervals(cohort):
    counts = arms(cohort)
    (ca, na, _), (cb, nb, _) = counts["A"], counts["B"]
    pa, pb = ca / na, cb / nb
    la, ua = proportion_confint(ca, na, alpha=0.05, method="wilson")
    lb, ub = proportion_confint(cb, nb, alpha=0.05, method="wilson")
    low = (pb - pa) - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2)
    high = (pb - pa) + math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)
    key = answer("i02.diff_ci")
    assert list(key.index) == ["하한", "상한"]
    assert key["하한"] == pytest.approx(low, abs=1e-12)
    assert key["상한"] == pytest.approx(high, abs=1e-12)


def test_purchase_p_value_is_the_two_sided_wald_test(cohort):
    counts = arms(cohort, "purchased_7d")
    (ca, na, _), (cb, nb, _) = counts["A"], counts["B"]
    pa, pb = ca / na, cb / nb
    z = (pb - pa) / math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
    assert answer("i02.purchase_p_value") == pytest.approx(2 * norm.sf(abs(z)), rel=1e-9)
    assert answer("i02.purchase_p_value") > 0.01  # a moderate p값: its written forms are not common strings


def test_decision_follows_the_rule_written_before_the_data(cohort):
    counts = arms(cohort)
    total = sum(n for _, n, _ in counts.values())
    srm = chi2.sf(sum((n - s * total) ** 2 / (s * total) for _, n, s in counts.values()), df=1)
    (ca, na, _), (cb, nb, _) = counts["A"], counts["B"]
    pa, pb = ca / na, cb / nb
    la, ua = proportion_confint(ca, na, alpha=0.05, method="wilson")
    lb, _ = proportion_confint(cb, nb, alpha=0.05, method="wilson")
    low = (pb - pa) - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2)
    expected = "판단 보류" if srm < 0.001 else ("B 채택" if low > 0 else "A 유지")
    assert answer("i02.decision") == expected
    assert_answer("i02.decision", " B  채택 " if expected == "B 채택" else expected)  # spaces do not matter
    assert spec_for("i02.decision").judge("B채택" if expected == "B 채택" else "?").correct is False


def test_each_value_mistake_gets_its_own_message(cohort):
    for qid in ("i02.srm_p_exp02", "i02.click_rate_by_arm", "i02.abs_lift", "i02.rel_lift", "i02.diff_ci", "i02.purchase_p_value"):
        spec = spec_for(qid)
        named = {message for _, message in spec.mistakes}
        for mistake in get(qid).mistakes:
            if mistake.message not in named:  # coincides with the answer on this cohort (tests/test_keys.py says when)
                continue
            verdict = spec.judge(mistake.value())
            assert not verdict.correct and mistake.message in verdict.message, (qid, mistake.message)
        assert spec.judge(answer(qid)).correct
