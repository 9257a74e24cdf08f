"""Each key of intermediate/02 (A/B 테스트 읽기) against an independent computation from the raw files, on three seeds.

The statistics are recomputed by other routes: the chi-square statistic by its formula, Newcombe's interval from
two Wilson intervals (proportion_confint), the score test from its pooled z statistic with the Miettinen–Nurminen
N/(N − 1) variance factor, and the decision from those.
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


def score_p(xb, nb, xa, na) -> float:
    """Two-sided score test of B − A = 0: the pooled z with the Miettinen–Nurminen variance factor N / (N − 1)."""
    pool, total = (xa + xb) / (na + nb), na + nb
    z = (xb / nb - xa / na) / math.sqrt(pool * (1 - pool) * (1 / na + 1 / nb) * total / (total - 1))
    return 2 * norm.sf(abs(z))


def newcombe_by_wilson(xb, nb, xa, na, alpha):
    pa, pb = xa / na, xb / nb
    la, ua = proportion_confint(xa, na, alpha=alpha, method="wilson")
    lb, ub = proportion_confint(xb, nb, alpha=alpha, method="wilson")
    return (pb - pa) - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2), (pb - pa) + math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)


def test_purchase_p_value_is_the_two_sided_score_test(cohort):
    counts = arms(cohort, "purchased_7d")
    (ca, na, _), (cb, nb, _) = counts["A"], counts["B"]
    assert answer("i02.purchase_p_value") == pytest.approx(score_p(cb, nb, ca, na), rel=1e-9)
    assert answer("i02.purchase_p_value") > 0.01  # a moderate p값: its written forms are not common strings


def test_block_upper_is_the_one_sided_95_upper_bound_of_newcombe(cohort):
    counts = arms(cohort, "blocked_24h")
    (ca, na, _), (cb, nb, _) = counts["A"], counts["B"]
    assert answer("i02.block_upper") == pytest.approx(newcombe_by_wilson(cb, nb, ca, na, alpha=0.10)[1], abs=1e-12)
    assert answer("i02.block_upper") < newcombe_by_wilson(cb, nb, ca, na, alpha=0.05)[1]


def test_decision_follows_the_rule_written_before_the_data(cohort):
    counts = arms(cohort)
    blocks = arms(cohort, "blocked_24h")
    total = sum(n for _, n, _ in counts.values())
    srm = chi2.sf(sum((n - s * total) ** 2 / (s * total) for _, n, s in counts.values()), df=1)
    (ca, na, _), (cb, nb, _) = counts["A"], counts["B"]
    guard = newcombe_by_wilson(blocks["B"][0], nb, blocks["A"][0], na, alpha=0.10)[1]
    if srm < 0.001:
        expected = "테스트 무효"
    elif guard >= 0.005:
        expected = "A안 유지"
    elif score_p(cb, nb, ca, na) < 0.05:
        expected = "B안 채택" if cb / nb > ca / na else "A안 유지"
    else:
        expected = "판단 보류"
    assert answer("i02.decision") == expected
    assert_answer("i02.decision", f"  {expected} ")  # spaces around do not matter
    assert spec_for("i02.decision").judge(expected.replace("안", "")).correct is False  # the old words are not taken


def test_the_rule_reads_every_two_arm_test(cohort):
    """The same rule reads EXP01, EXP03 and EXP05 (the lessons' worked examples): SRM first, then the guardrail."""
    from grader.keys import i02_ab

    assert i02_ab.read_test("EXP05") == "테스트 무효"
    assert {i02_ab.read_test(e) for e in ("EXP01", "EXP03")} <= {"B안 채택", "A안 유지", "판단 보류"}


def test_each_value_mistake_gets_its_own_message(cohort):
    for qid in ("i02.srm_p_exp02", "i02.click_rate_by_arm", "i02.abs_lift", "i02.rel_lift", "i02.diff_ci", "i02.block_upper",
                "i02.purchase_p_value"):
        spec = spec_for(qid)
        named = {message for _, message in spec.mistakes}
        for mistake in get(qid).mistakes:
            if mistake.message not in named:  # coincides with the answer on this cohort (tests/test_keys.py says when)
                continue
            verdict = spec.judge(mistake.value())
            assert not verdict.correct and mistake.message in verdict.message, (qid, mistake.message)
        assert spec.judge(answer(qid)).correct
