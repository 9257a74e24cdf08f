"""Keys for intermediate/03_experiment_design (실험 설계와 함정): power and duration, peeking, Holm, SRM, a null read by its interval."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, chisquare
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (confint_proportions_2indep, proportion_effectsize, proportions_ztest,
                                          test_proportions_2indep)

from course import load

from . import question

LAST_4W = (pd.Timestamp("2026-10-04"), pd.Timestamp("2026-11-01"))  # 28 days
LIFT = 0.10  # relative lift to detect: p2 = p1 × 1.10
SIM_SEED, SIMS, LOOKS, PER_LOOK, SIM_RATE = 2026, 2000, 10, 200, 0.08
DECISIONS = ("B 채택", "A 유지", "결과 폐기")


def _last_4w() -> pd.DataFrame:
    daily = load("daily_stats")
    return daily[(daily["date"] >= LAST_4W[0]) & (daily["date"] < LAST_4W[1])]


def _baseline() -> float:
    weeks = _last_4w()
    return float(weeks["message_clicks"].sum() / weeks["messages_delivered"].sum())


def _raw_n(effect_size: float, alternative: str = "two-sided") -> float:
    return float(NormalIndPower().solve_power(effect_size=effect_size, alpha=0.05, power=0.8, ratio=1,
                                              alternative=alternative))


def _cohen_h() -> float:
    p1 = _baseline()
    return float(proportion_effectsize(p1 * (1 + LIFT), p1))


def _arms(experiment_id: str) -> pd.DataFrame:
    experiments = load("experiments")
    test = experiments[experiments["experiment_id"] == experiment_id]
    return test.groupby("arm", observed=True).agg(clicks=("clicked", "sum"), friends=("clicked", "size"),
                                                    planned=("planned_share", "first"))


@question(
    "i03.n_per_arm", variable="n_per_arm", kind="int",
    hint="기준 클릭률 p1은 10월 4일~31일 daily_stats의 클릭 합계 ÷ 도달 합계, 목표 p2 = p1 × 1.10이에요. "
         "효과 크기는 proportion_effectsize(p2, p1), 양측 검정, 올림해서 정수로 적어요.",
    mistakes=(
        (lambda: math.ceil(_raw_n(_cohen_h(), "larger")),
         "단측 검정으로 계산했어요. 어느 쪽으로 달라져도 알아내려면 alternative=\"two-sided\"예요."),
        (lambda: math.ceil(_raw_n(_baseline() * LIFT)),
         "효과 크기에 클릭률 차이(p2 − p1)를 그대로 넣었어요. NormalIndPower에는 Cohen's h(proportion_effectsize)를 넣어요."),
        (lambda: math.ceil(_raw_n(float(proportion_effectsize(_baseline() + LIFT, _baseline())))),
         "10%를 10%p로 읽었어요. 목표는 기준 클릭률의 1.10배(상대 10%)예요."),
        (lambda: int(_raw_n(_cohen_h())),
         "소수점 아래를 버렸어요. 표본 수는 모자라면 안 되니 올림(math.ceil)해요."),
    ),
)
def n_per_arm() -> int:
    return math.ceil(_raw_n(_cohen_h()))


@question(
    "i03.days_needed", variable="days_needed", kind="int",
    hint="두 안에 n_per_arm씩 필요해요. 하루 트래픽은 10월 4일~31일(28일) messages_delivered의 하루 평균이에요. 올림해서 정수로.",
    mistakes=(
        (lambda: math.ceil(n_per_arm() / _last_4w()["messages_delivered"].mean()),
         "한 안의 표본만 셌어요. A와 B 두 안이 각각 n_per_arm만큼 받아야 해요."),
        (lambda: int(2 * n_per_arm() / _last_4w()["messages_delivered"].mean()),
         "소수점 아래를 버렸어요. 모자란 날도 하루로 쳐서 올림(math.ceil)해요."),
    ),
)
def days_needed() -> int:
    per_day = _last_4w()["messages_delivered"].sum() / len(_last_4w())
    return math.ceil(2 * n_per_arm() / per_day)


def _simulated_pvalues(cumulative: bool = True) -> np.ndarray:
    rng = np.random.default_rng(SIM_SEED)
    clicks = rng.binomial(PER_LOOK, SIM_RATE, size=(SIMS, LOOKS, 2))
    if not cumulative:
        return test_proportions_2indep(clicks[:, :, 1], PER_LOOK, clicks[:, :, 0], PER_LOOK,
                                       method="wald", compare="diff", alternative="two-sided").pvalue
    counts = clicks.cumsum(axis=1)
    nobs = PER_LOOK * np.arange(1, LOOKS + 1)
    return test_proportions_2indep(counts[:, :, 1], nobs, counts[:, :, 0], nobs,
                                   method="wald", compare="diff", alternative="two-sided").pvalue


@question(
    "i03.peeking_fpr", variable="peeking_fpr", kind="number", decimals=3,
    hint="시뮬레이션 2,000번 가운데 10번의 확인 중 한 번이라도 p < 0.05가 나온 비율이에요. 각 확인은 그때까지 쌓인 누적 값으로 검정해요.",
    mistakes=(
        (lambda: float((_simulated_pvalues()[:, -1] < 0.05).mean()),
         "마지막 확인 한 번만 봤어요. 중간에 한 번이라도 p < 0.05가 나오면 그때 멈췄을 테니 '한 번이라도'를 세요."),
        (lambda: float((_simulated_pvalues(cumulative=False) < 0.05).any(axis=1).mean()),
         "확인할 때마다 새로 들어온 200명씩만 검정했어요. 각 확인은 처음부터 쌓인 누적 값으로 해요."),
        (lambda: 100 * peeking_fpr(),
         "비율은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
)
def peeking_fpr() -> float:
    return float((_simulated_pvalues() < 0.05).any(axis=1).mean())


def _exp04_raw() -> pd.Series:
    arms = _arms("EXP04")
    base = arms.loc["A"]
    return pd.Series({arm: float(proportions_ztest([arms.loc[arm, "clicks"], base["clicks"]],
                                                   [arms.loc[arm, "friends"], base["friends"]])[1])
                      for arm in ("B", "C", "D")})


@question(
    "i03.exp04_holm_p", variable="exp04_holm_p", kind="table", decimals=4,
    hint="B, C, D를 각각 A와 proportions_ztest(양측)로 비교한 p값 세 개를 multipletests(..., method=\"holm\")에 한꺼번에 넣어요. 인덱스는 'B', 'C', 'D'.",
)
def exp04_holm_p() -> pd.Series:
    raw = _exp04_raw()
    return pd.Series(multipletests(raw.to_numpy(), alpha=0.05, method="holm")[1], index=raw.index)


@question(
    "i03.exp04_n_winners", variable="exp04_n_winners", kind="int",
    hint="Holm 보정 p값이 0.05 미만이고 클릭률이 A보다 높은 안(B, C, D 가운데)의 개수예요.",
    mistakes=(
        (lambda: sum(1 for arm, p in _exp04_raw().items() if p < 0.05 and _beats_a(arm)),
         "보정하지 않은 p값으로 셌어요. 세 번 비교했으니 Holm으로 보정한 p값으로 판단해요."),
    ),
)
def exp04_n_winners() -> int:
    return sum(1 for arm, p in exp04_holm_p().items() if p < 0.05 and _beats_a(arm))


def _beats_a(arm: str) -> bool:
    arms = _arms("EXP04")
    rate = arms["clicks"] / arms["friends"]
    return bool(rate[arm] > rate["A"])


@question(
    "i03.exp05_srm_chi2", variable="exp05_srm_chi2", kind="number", decimals=2,
    hint="안별 배정 인원(행 수)을 관측값으로, 전체 인원 × planned_share를 기대값으로 scipy.stats.chisquare에 넣은 통계량이에요.",
    mistakes=(
        (lambda: float(chisquare(_arms("EXP05")["friends"],
                                 _arms("EXP05")["friends"].sum() * _arms("EXP05")["friends"]
                                 / _arms("EXP05")["friends"].sum()).statistic),
         "기대값을 관측된 비율로 만들었어요. SRM은 설계할 때 정한 planned_share와 비교해요."),
        (lambda: float(chi2_contingency(pd.crosstab(load("experiments").query("experiment_id == 'EXP05'")["arm"],
                                                    load("experiments").query("experiment_id == 'EXP05'")["clicked"]
                                                    ).to_numpy())[0]),
         "클릭 여부 표로 검정했어요. SRM은 결과가 아니라 배정 인원이 계획대로인지 보는 검정이에요."),
    ),
)
def exp05_srm_chi2() -> float:
    arms = _arms("EXP05")
    expected = arms["planned"] * arms["friends"].sum()
    return float(chisquare(arms["friends"].to_numpy(), expected.to_numpy()).statistic)


def _srm_p() -> float:
    arms = _arms("EXP05")
    return float(chisquare(arms["friends"].to_numpy(), (arms["planned"] * arms["friends"].sum()).to_numpy()).pvalue)


@question(
    "i03.exp05_decision", variable="exp05_decision", kind="text",
    hint="미리 정한 기준(SRM 검정 p < 0.001)을 먼저 보고, 그다음에 클릭률을 봐요. \"B 채택\", \"A 유지\", \"결과 폐기\" 중 하나예요.",
    mistakes=(
        (lambda: "B 채택",
         "클릭률 차이만 봤어요. 배정 비율이 계획과 다르면(SRM) 그 차이를 믿을 수 없어요."),
        (lambda: "A 유지",
         "A를 유지할 근거도 이 테스트에서는 나오지 않아요. SRM이 있으면 어느 안도 판단할 수 없어요."),
    ),
)
def exp05_decision() -> str:
    return "결과 폐기" if _srm_p() < 0.001 else ("B 채택" if _exp05_b_wins() else "A 유지")


def _exp05_b_wins() -> bool:
    arms = _arms("EXP05")
    p = proportions_ztest(arms.loc[["B", "A"], "clicks"].to_numpy(), arms.loc[["B", "A"], "friends"].to_numpy())[1]
    return bool(p < 0.05 and arms.loc["B", "clicks"] / arms.loc["B", "friends"] > arms.loc["A", "clicks"] / arms.loc["A", "friends"])


def _exp03_interval(method: str, first: str = "B", second: str = "A") -> pd.Series:
    arms = _arms("EXP03")
    low, high = confint_proportions_2indep(arms.loc[first, "clicks"], arms.loc[first, "friends"],
                                           arms.loc[second, "clicks"], arms.loc[second, "friends"],
                                           method=method, compare="diff", alpha=0.05)
    return pd.Series({"lower": float(low), "upper": float(high)})


@question(
    "i03.exp03_ci", variable="exp03_ci", kind="table", decimals=5,
    hint="confint_proportions_2indep(B 클릭, B 인원, A 클릭, A 인원, method=\"newcomb\", compare=\"diff\")의 두 값을 "
         "pd.Series({\"lower\": ..., \"upper\": ...})로 담아요. 차이는 B − A, 0~1 소수예요.",
    mistakes=(
        (lambda: _exp03_interval("newcomb", "A", "B"),
         "A − B로 계산했어요. 이 문제의 차이는 B(10% 할인) − A(3,000원 할인)예요."),
        (lambda: 100 * _exp03_interval("newcomb"),
         "퍼센트포인트로 적었어요. 0~1 소수(예: 0.012)로 적어 주세요."),
        (lambda: _exp03_interval("wald"),
         "Wald 구간을 구했어요. 이 문제는 Newcombe 구간(method=\"newcomb\")이에요."),
    ),
)
def exp03_ci() -> pd.Series:
    return _exp03_interval("newcomb")


def _exp03_mde(alternative: str) -> float:
    arms = _arms("EXP03")
    n_a, n_b = arms.loc["A", "friends"], arms.loc["B", "friends"]
    return float(NormalIndPower().solve_power(effect_size=None, nobs1=n_a, alpha=0.05, power=0.8,
                                              ratio=n_b / n_a, alternative=alternative))


@question(
    "i03.exp03_mde_h", variable="exp03_mde_h", kind="number", decimals=3,
    hint="NormalIndPower().solve_power에 effect_size=None, nobs1=A 인원, ratio=B 인원 ÷ A 인원, alpha=0.05, power=0.8, 양측을 넣어요.",
    mistakes=(
        (lambda: _exp03_mde("larger"),
         "단측 검정으로 계산했어요. 이 테스트는 양측(alternative=\"two-sided\")으로 정해 두었어요."),
    ),
)
def exp03_mde_h() -> float:
    return _exp03_mde("two-sided")
