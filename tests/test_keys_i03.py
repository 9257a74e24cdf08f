"""Each key of intermediate/03 (실험 설계와 함정) against an independent computation from the raw files, on three seeds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2, norm

from conftest import raw
from grader.keys import answer


def last_4w(folder) -> pd.DataFrame:
    daily = raw(folder, "daily_stats")
    return daily[(daily["date"] >= "2026-10-04") & (daily["date"] < "2026-11-01")]


def counts(folder, experiment_id):
    experiments = raw(folder, "experiments")
    test = experiments[experiments["experiment_id"] == experiment_id]
    return {arm: (int(rows["clicked"].astype(int).sum()), len(rows), float(rows["planned_share"].iloc[0]))
            for arm, rows in test.groupby("arm")}


def cohen_h(p2, p1):
    return 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))


def test_n_per_arm_by_the_normal_formula_on_cohens_h(cohort):
    weeks = last_4w(cohort)
    assert len(weeks) == 28
    p1 = weeks["message_clicks"].astype(int).sum() / weeks["messages_delivered"].astype(int).sum()
    h = cohen_h(1.1 * p1, p1)
    z = norm.ppf(0.975) + norm.ppf(0.8)
    n = 2 * (z / h) ** 2  # equal arms: n = 2 (z_{α/2} + z_β)² / h² (ignoring the negligible far tail)
    assert answer("i03.n_per_arm") == math.ceil(n)


def lift_by_inverting_h(h, p1):
    """p2 with 2·asin(√p2) − 2·asin(√p1) = h, found by bisection (not the closed form the key uses)."""
    low, high = p1, 1.0
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if cohen_h(middle, p1) < h else (low, middle)
    return low - p1, (low - p1) / p1


def test_mde_one_send_follows_from_the_friends_at_the_end_of_the_record(cohort):
    friends = raw(cohort, "friends")
    now = ((friends["added_at"] < "2026-11-01 00:00:00")
           & ((friends["blocked_at"] == "") | (friends["blocked_at"] >= "2026-11-01 00:00:00"))).sum()
    per_arm = int(now) // 2
    weeks = last_4w(cohort)
    p1 = weeks["message_clicks"].astype(int).sum() / weeks["messages_delivered"].astype(int).sum()
    h = (norm.ppf(0.975) + norm.ppf(0.8)) * math.sqrt(2 / per_arm)  # equal arms, far tail ignored
    absolute, relative = lift_by_inverting_h(h, p1)
    key = answer("i03.mde_one_send")
    assert list(key.index) == ["절대", "상대"]
    assert key["절대"] == pytest.approx(absolute, rel=1e-3) and key["상대"] == pytest.approx(relative, rel=1e-3)
    assert per_arm < answer("i03.n_per_arm")  # the channel is too small for a +10% test in one send


def score_z(xb, nb, xa, na):
    """The score test's z for B − A = 0: pooled variance times N / (N − 1) (Miettinen–Nurminen), elementwise."""
    pool, total = (xa + xb) / (na + nb), na + nb
    return (xb / nb - xa / na) / np.sqrt(pool * (1 - pool) * (1 / na + 1 / nb) * total / (total - 1))


def test_peeking_fpr_by_a_hand_written_score_test_over_the_same_draws():
    rng = np.random.default_rng(2026)
    clicks = rng.binomial(200, 0.08, size=(2000, 10, 2)).cumsum(axis=1)
    n = 200 * np.arange(1, 11)
    z = score_z(clicks[:, :, 1], n, clicks[:, :, 0], n)
    rate = float((2 * norm.sf(np.abs(z)) < 0.05).any(axis=1).mean())
    assert answer("i03.peeking_fpr") == pytest.approx(rate, abs=1e-12)
    assert 0.15 < answer("i03.peeking_fpr") < 0.25  # well above the nominal 5%, as the lesson says


def pooled_p(x1, n1, x2, n2):
    return 2 * norm.sf(abs(float(score_z(x1, n1, x2, n2))))


def holm(pvalues: dict) -> dict:
    order = sorted(pvalues, key=pvalues.get)
    adjusted, running = {}, 0.0
    for rank, arm in enumerate(order):
        running = max(running, min(1.0, (len(order) - rank) * pvalues[arm]))
        adjusted[arm] = running
    return adjusted


def test_exp04_holm_p_and_exp04_n_winners_by_hand(cohort):
    arms = counts(cohort, "EXP04")
    base = arms["A"]
    raw_p = {arm: pooled_p(arms[arm][0], arms[arm][1], base[0], base[1]) for arm in "BCD"}
    adjusted = holm(raw_p)
    key = answer("i03.exp04_holm_p")
    assert sorted(key.index) == ["B", "C", "D"]
    for arm in "BCD":
        assert key[arm] == pytest.approx(adjusted[arm], abs=1e-9)
    winners = {arm for arm in "BCD" if adjusted[arm] < 0.05 and arms[arm][0] / arms[arm][1] > base[0] / base[1]}
    assert answer("i03.exp04_n_winners") == len(winners)
    assert "B" in winners  # the warm title wins even after the correction


def test_exp05_srm_chi2_against_the_planned_shares(cohort):
    arms = counts(cohort, "EXP05")
    total = sum(n for _, n, _ in arms.values())
    statistic = sum((n - share * total) ** 2 / (share * total) for _, n, share in arms.values())
    assert answer("i03.exp05_srm_chi2") == pytest.approx(statistic, rel=1e-9)
    assert chi2.sf(statistic, df=len(arms) - 1) < 0.001  # the mismatch the lesson must catch
    assert answer("i03.exp05_decision") == "테스트 무효"


def wilson(x, n, z):
    centre = (x + z * z / 2) / (n + z * z)
    half = z * math.sqrt(x * (n - x) / n + z * z / 4) / (n + z * z)
    return centre - half, centre + half


def test_exp03_ci_is_newcombes_hybrid_score_interval(cohort):
    arms = counts(cohort, "EXP03")
    (x_b, n_b, _), (x_a, n_a, _) = arms["B"], arms["A"]
    z = norm.ppf(0.975)
    p_b, p_a = x_b / n_b, x_a / n_a
    l_b, u_b = wilson(x_b, n_b, z)
    l_a, u_a = wilson(x_a, n_a, z)
    diff = p_b - p_a
    lower = diff - math.sqrt((p_b - l_b) ** 2 + (u_a - p_a) ** 2)
    upper = diff + math.sqrt((u_b - p_b) ** 2 + (p_a - l_a) ** 2)
    key = answer("i03.exp03_ci")
    assert list(key.index) == ["하한", "상한"]
    assert key["하한"] == pytest.approx(lower, abs=1e-9)
    assert key["상한"] == pytest.approx(upper, abs=1e-9)
    assert key["하한"] < 0 < key["상한"]  # the underpowered null: no evidence either way


def test_exp03_mde_h_by_the_normal_formula(cohort):
    arms = counts(cohort, "EXP03")
    n_a, n_b = arms["A"][1], arms["B"][1]
    z = norm.ppf(0.975) + norm.ppf(0.8)
    h = z * math.sqrt(1 / n_a + 1 / n_b)
    assert answer("i03.exp03_mde_h") == pytest.approx(h, rel=1e-3)


def test_exp03_mde_lift_turns_h_back_into_a_click_rate_difference(cohort):
    arms = counts(cohort, "EXP03")
    p1 = arms["A"][0] / arms["A"][1]
    absolute, relative = lift_by_inverting_h(answer("i03.exp03_mde_h"), p1)
    key = answer("i03.exp03_mde_lift")
    assert key["절대"] == pytest.approx(absolute, rel=1e-6) and key["상대"] == pytest.approx(relative, rel=1e-6)
    assert key["상대"] > 0.10  # far above the +10% question 1 wanted: the null could not tell


def test_ab_age_gap_splits_the_customer_file_as_the_lesson_says(cohort):
    """The coupon test's file (friends at 10월 31일 24시 who consented to ads), sorted by id, permuted with the seed,
    the first half A: the largest difference in age-band share, from the raw file without course.abgroups."""
    friends = raw(cohort, "friends")
    end = pd.Timestamp("2026-11-01")
    added, blocked = pd.to_datetime(friends["added_at"]), pd.to_datetime(friends["blocked_at"])
    consent = friends["ad_consent"].astype(str).str.lower().isin(["true", "1"])
    file = friends[(added < end) & (blocked.isna() | (blocked >= end)) & consent].sort_values("friend_id")
    order = np.random.default_rng(20261101).permutation(len(file))
    half = len(file) // 2
    a, b = file.iloc[order[:half]], file.iloc[order[half:]]
    gap = (a["age_band"].value_counts(normalize=True) - b["age_band"].value_counts(normalize=True)).abs().max()
    assert answer("i03.ab_age_gap") == pytest.approx(gap, abs=1e-12)
    assert 0 < gap < 0.1
