"""Keys for intermediate/03_experiment_design (실험 설계와 함정): power on the friends there are, peeking, Holm, SRM, a null
read by its interval and its detectable effect.

Every comparison is the course's test and interval (``i02_ab``: two-sided score test, Newcombe interval, the four
decision words). The power calculation uses Cohen's h (``NormalIndPower``), the normal approximation of that test.
A test's traffic is the friends it can randomise once (friends at the end of the record), not deliveries per day.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, chisquare
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize, proportions_ztest, test_proportions_2indep

from course import load
from course.abgroups import balance, split_groups

from . import question
from .i02_ab import INVALID, arms as _arms, newcombe, p_value, rates, read_test

LAST_4W = (pd.Timestamp("2026-10-04"), pd.Timestamp("2026-11-01"))  # 28 days
LIFT = 0.10  # relative lift to detect: p2 = p1 × 1.10
SIM_SEED, SIMS, LOOKS, PER_LOOK, SIM_RATE = 2026, 2000, 10, 200, 0.08
END = pd.Timestamp("2026-11-01")  # 10월 31일 24시: the friends a test could start with


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


def lift_of(h: float, p1: float) -> tuple[float, float]:
    """The rate p2 that Cohen's h ``h`` above ``p1`` means, as (p2 − p1, (p2 − p1) ÷ p1): %p and % of the baseline."""
    p2 = math.sin(math.asin(math.sqrt(p1)) + h / 2) ** 2
    return p2 - p1, (p2 - p1) / p1


def _lift_table(h: float, p1: float) -> pd.Series:
    absolute, relative = lift_of(h, p1)
    return pd.Series({"절대": absolute, "상대": relative})


@question(
    "i03.n_per_arm", variable="n_per_arm", kind="int",
    hint='1절 예제의 p_sep, h_sep, n_sep을 10월 4일~31일로 옮긴 계산이에요: daily["date"]로 기간을 고르고, 배율은 1.20이 아니라 '
         "1.10이에요. 효과 크기는 proportion_effectsize(p2, p1), 양측 검정, 반올림이 아니라 math.ceil로 올려 정수로 적어요.",
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
    skills=("검정력", "최소 검출 효과"),
)
def n_per_arm() -> int:
    return math.ceil(_raw_n(_cohen_h()))


def _friends_now(check_blocked: bool = True) -> int:
    friends = load("friends")
    keep = friends["added_at"] < END
    if check_blocked:
        keep &= friends["blocked_at"].isna() | (friends["blocked_at"] >= END)
    return int(keep.sum())


def _mde_h(per_arm: float) -> float:
    return float(NormalIndPower().solve_power(effect_size=None, nobs1=per_arm, alpha=0.05, power=0.8, ratio=1,
                                              alternative="two-sided"))


@question(
    "i03.mde_one_send", variable="mde_one_send", kind="table", decimals=4,
    hint='2절 예제의 sep_friends, h_friends, p2_friends를 10월 31일 24시(pd.Timestamp("2026-11-01"))로 옮겨요. 친구는 '
         "added_at이 그 시각 전이고 blocked_at이 비었거나 그 시각 이후인 친구예요. p1은 문제 1의 기준 클릭률이에요.",
    mistakes=(
        (lambda: _lift_table(_mde_h(_friends_now()), _baseline()),
         "한 안에 친구 전체를 넣었어요. 두 안이 친구를 나눠 가지니 한 안은 친구 수의 절반이에요."),
        (lambda: _lift_table(_mde_h(_friends_now(check_blocked=False) // 2), _baseline()),
         "차단한 친구까지 셌어요. 메시지를 받을 수 있는 친구는 10월 31일 24시에 차단하지 않은 친구예요."),
        (lambda: _lift_table(_mde_h(math.floor(_last_4w()["messages_delivered"].mean()) // 2), _baseline()),
         "하루 도달 수를 인원으로 썼어요. 테스트의 단위는 한 번 배정한 친구라, 인원은 서로 다른 친구 수예요."),
        (lambda: 100 * mde_one_send(),
         "0~1 소수로 적어요. %p·%로 바꾸는 건 보고할 때예요 (100을 곱하지 않아요)."),
    ),
    skills=("최소 검출 효과",),
)
def mde_one_send() -> pd.Series:
    return _lift_table(_mde_h(_friends_now() // 2), _baseline())


def _simulated_pvalues(cumulative: bool = True) -> np.ndarray:
    rng = np.random.default_rng(SIM_SEED)
    clicks = rng.binomial(PER_LOOK, SIM_RATE, size=(SIMS, LOOKS, 2))
    if not cumulative:
        return test_proportions_2indep(clicks[:, :, 1], PER_LOOK, clicks[:, :, 0], PER_LOOK,
                                       method="score", compare="diff", alternative="two-sided").pvalue
    counts = clicks.cumsum(axis=1)
    nobs = PER_LOOK * np.arange(1, LOOKS + 1)
    return test_proportions_2indep(counts[:, :, 1], nobs, counts[:, :, 0], nobs,
                                   method="score", compare="diff", alternative="two-sided").pvalue


@question(
    "i03.peeking_fpr", variable="peeking_fpr", kind="number", decimals=3,
    hint="3절 예제의 demo_clicks(cumsum(axis=1)로 누적), demo_friends, false_alarm_by_looks와 같은 틀이에요. k번째 확인의 "
         "인원은 np.arange(1, 11) * 200, 한 번이라도 p < 0.05인지는 any(axis=1)로 보고 그 비율을 mean()으로 구해요.",
    mistakes=(
        (lambda: float((_simulated_pvalues()[:, -1] < 0.05).mean()),
         "마지막 확인 한 번만 봤어요. 중간에 한 번이라도 p < 0.05가 나오면 그때 멈췄을 테니 '한 번이라도'를 세요."),
        (lambda: float((_simulated_pvalues(cumulative=False) < 0.05).any(axis=1).mean()),
         "확인할 때마다 새로 들어온 200명씩만 검정했어요. 각 확인은 처음부터 쌓인 누적 값으로 해요."),
        (lambda: 100 * peeking_fpr(),
         "비율은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
    skills=("유의수준",),
)
def peeking_fpr() -> float:
    return float((_simulated_pvalues() < 0.05).any(axis=1).mean())


def _exp04_raw(pooled_z: bool = False) -> pd.Series:
    table = _arms("EXP04")
    if pooled_z:  # the z-test of proportions_ztest: a near twin of the score test, but not the course's test
        return pd.Series({arm: float(proportions_ztest(table.loc[[arm, "A"], "clicks"].to_numpy(),
                                                       table.loc[[arm, "A"], "n"].to_numpy())[1]) for arm in "BCD"})
    return pd.Series({arm: p_value(table, arm=arm) for arm in ("B", "C", "D")})


@question(
    "i03.exp04_holm_p", variable="exp04_holm_p", kind="table", decimals=4,
    hint='4절 예제 multipletests(example_p, method="holm")[1]처럼 보정 p값은 결과의 [1]이에요. 안별 클릭 수와 인원은 '
         "groupby(\"arm\", observed=True)[\"clicked\"].agg([\"sum\", \"count\"])로 한 번에 세어요. 인덱스는 'B', 'C', 'D'.",
    mistakes=(
        (lambda: _exp04_raw(),
         "보정하지 않은 p값이에요. 세 p값을 multipletests(..., method=\"holm\")에 넣어 보정해요."),
        (lambda: pd.Series(multipletests(_exp04_raw().to_numpy(), alpha=0.05)[1], index=["B", "C", "D"]),
         "method를 적지 않아 기본값(Holm–Šidák)으로 보정했어요. method=\"holm\"을 넣어요."),
    ),
    skills=("p값",),
)
def exp04_holm_p() -> pd.Series:
    raw = _exp04_raw()
    return pd.Series(multipletests(raw.to_numpy(), alpha=0.05, method="holm")[1], index=raw.index)


@question(
    "i03.exp04_n_winners", variable="exp04_n_winners", kind="int",
    hint='문제 4의 exp04_holm_p와, 같은 groupby("arm") 표의 클릭 수 ÷ 인원으로 구한 안별 클릭률을 함께 봐요. 보정 p값 < 0.05 **그리고** '
         "클릭률이 A보다 높은 안만 세요 (A보다 유의하게 낮은 안은 빼요).",
    mistakes=(
        (lambda: sum(1 for arm, p in _exp04_raw().items() if p < 0.05 and _beats_a(arm)),
         "보정하지 않은 p값으로 셌어요. 세 번 비교했으니 Holm으로 보정한 p값으로 판단해요."),
    ),
    skills=("유의수준",),
)
def exp04_n_winners() -> int:
    return sum(1 for arm, p in exp04_holm_p().items() if p < 0.05 and _beats_a(arm))


def _beats_a(arm: str) -> bool:
    rate = rates(_arms("EXP04"))
    return bool(rate[arm] > rate["A"])


def _srm_table() -> pd.DataFrame:
    return _arms("EXP05")


@question(
    "i03.exp05_srm_chi2", variable="exp05_srm_chi2", kind="number", decimals=2,
    hint="5절 예제의 exp01_planned, exp01_expected, srm_exp01을 EXP05로 되풀이해요. 관측값은 안별 줄 수(size), 답은 결과의 "
         "statistic이에요 (pvalue가 아니라).",
    mistakes=(
        (lambda: float(chisquare(_srm_table()["n"].to_numpy(),
                                 _srm_table()["n"].to_numpy().astype(float)).statistic),
         "기대값을 관측된 인원으로 만들었어요. SRM은 설계할 때 정한 planned_share와 비교해요."),
        (lambda: float(chi2_contingency(pd.crosstab(load("experiments").query("experiment_id == 'EXP05'")["arm"],
                                                    load("experiments").query("experiment_id == 'EXP05'")["clicked"]
                                                    ).to_numpy())[0]),
         "클릭 여부 표로 검정했어요. SRM은 결과가 아니라 배정 인원이 계획대로인지 보는 검정이에요."),
    ),
    skills=("SRM",),
)
def exp05_srm_chi2() -> float:
    table = _srm_table()
    expected = table["share"] * table["n"].sum()
    return float(chisquare(table["n"].to_numpy(), expected.to_numpy()).statistic)


@question(
    "i03.exp05_decision", variable="exp05_decision", kind="text",
    hint="02 수업의 규칙을 if/elif로 차례대로 적어요. SRM은 문제 6 검정의 pvalue, 가드레일 상한은 confint_proportions_2indep(B 차단, B "
         '인원, A 차단, A 인원, method="newcomb", alpha=0.10)의 [1](한쪽 95%라서 alpha=0.10), 클릭률은 '
         'test_proportions_2indep(..., method="score")의 p값이에요.',
    mistakes=(
        (lambda: "B안 채택" if read_test("EXP05") == INVALID else INVALID,
         "클릭률 차이만 봤어요. 배정 비율이 계획과 다르면(SRM) 그 차이를 믿을 수 없어요."),
        (lambda: "A안 유지" if read_test("EXP05") == INVALID else INVALID,
         "A를 유지할 근거도 이 테스트에서는 나오지 않아요. SRM이 있으면 어느 안도 판단할 수 없어요."),
        (lambda: "판단 보류" if read_test("EXP05") == INVALID else INVALID,
         "'판단 보류'는 배정은 믿을 만한데 차이가 분명하지 않을 때의 말이에요. 배정부터 어긋났으면 '테스트 무효'예요."),
    ),
    skills=("SRM", "테스트 무효"),
)
def exp05_decision() -> str:
    return read_test("EXP05")


def _exp03_interval(method: str = "newcomb", first: str = "B", second: str = "A") -> pd.Series:
    low, high = newcombe(_arms("EXP03"), arm=first, base=second, method=method)
    return pd.Series({"하한": low, "상한": high})


@question(
    "i03.exp03_ci", variable="exp03_ci", kind="table", decimals=5,
    hint='6절 예제의 interval_02(EXP02)를 EXP03으로 바꾼 계산이에요. 안별 클릭 수와 인원은 exp02_arms처럼 groupby("arm", '
         'observed=True)["clicked"].agg(["sum", "count"])로 구하고, 결과의 첫 값이 하한, 둘째 값이 상한이에요. 차이는 B − A, 0~1 '
         "소수예요.",
    mistakes=(
        (lambda: _exp03_interval("newcomb", "A", "B"),
         "A − B로 계산했어요. 이 문제의 차이는 B(10% 할인) − A(3,000원 할인)예요."),
        (lambda: 100 * _exp03_interval("newcomb"),
         "퍼센트포인트로 적었어요. 0~1 소수(예: 0.012)로 적어 주세요."),
        (lambda: _exp03_interval("wald"),
         "Wald 구간을 구했어요. 이 문제는 Newcombe 구간(method=\"newcomb\")이에요."),
    ),
    skills=("신뢰구간",),
)
def exp03_ci() -> pd.Series:
    return _exp03_interval("newcomb")


def _exp03_mde(alternative: str) -> float:
    table = _arms("EXP03")
    n_a, n_b = table.loc["A", "n"], table.loc["B", "n"]
    return float(NormalIndPower().solve_power(effect_size=None, nobs1=n_a, alpha=0.05, power=0.8,
                                              ratio=n_b / n_a, alternative=alternative))


@question(
    "i03.exp03_mde_h", variable="exp03_mde_h", kind="number", decimals=3,
    hint="6절 예제의 mde_02와 같은 호출을 EXP03의 인원으로 해요. 인원은 exp02_arms처럼 안별 count이고, nobs1은 A안 인원, ratio는 B 인원 ÷ "
         "A 인원이에요.",
    mistakes=(
        (lambda: _exp03_mde("larger"),
         "단측 검정으로 계산했어요. 이 테스트는 양측(alternative=\"two-sided\")으로 정해 두었어요."),
    ),
    skills=("최소 검출 효과",),
)
def exp03_mde_h() -> float:
    return _exp03_mde("two-sided")


def _exp03_base() -> float:
    return float(rates(_arms("EXP03"))["A"])


@question(
    "i03.exp03_mde_lift", variable="exp03_mde_lift", kind="table", decimals=4,
    hint="6절 예제의 p_a02, p2_02처럼 math.sin(math.asin(math.sqrt(p1)) + h / 2) ** 2로 되돌려요. h는 문제 9의 "
         "exp03_mde_h, p1은 EXP03 A안의 클릭 수 ÷ 인원이에요. '절대' = p2 − p1, '상대' = (p2 − p1) ÷ p1이에요.",
    mistakes=(
        (lambda: _lift_table(exp03_mde_h(), float(rates(_arms("EXP03"))["B"])),
         "B안의 클릭률을 기준으로 삼았어요. 기준(p1)은 기존 안 A의 클릭률이에요."),
        (lambda: pd.Series({"절대": exp03_mde_h(), "상대": exp03_mde_h() / _exp03_base()}),
         "Cohen's h를 클릭률 차이로 그대로 읽었어요. h는 클릭률 차이가 아니라서 p2 = sin(asin(√p1) + h/2)²로 되돌려야 해요."),
        (lambda: 100 * exp03_mde_lift(),
         "0~1 소수로 적어요. %p·%로 바꾸는 건 보고할 때예요 (100을 곱하지 않아요)."),
    ),
    skills=("최소 검출 효과",),
)
def exp03_mde_lift() -> pd.Series:
    return _lift_table(exp03_mde_h(), _exp03_base())


# 11. An A/B test on the platform: a customer file split into two 친구그룹 --------------------------------------

AB_SEED = 20261101


def _customers(check_blocked: bool = True, consent: bool = True) -> pd.DataFrame:
    """The customer file of a coupon test at 10월 31일 24시: friends then (not blocked), who consented to ads."""
    friends = load("friends")
    keep = friends["added_at"] < END
    if check_blocked:
        keep &= friends["blocked_at"].isna() | (friends["blocked_at"] >= END)
    if consent:
        keep &= friends["ad_consent"]
    return friends[keep]


def _age_gap(customers: pd.DataFrame) -> float:
    a, b = split_groups(customers, seed=AB_SEED)
    return float(balance(a, b, ["age_band"]).by_column.loc[0, "max_diff"])


@question(
    "i03.ab_age_gap", variable="ab_age_gap", kind="number", decimals=4,
    hint="8절 예제의 file_now, group_a, group_b, gender_balance를 따라 해요. 고객 파일은 10월 31일 24시에 친구이고(added_at이 그 전, "
         "blocked_at이 비었거나 그 뒤) ad_consent가 참인 친구, 시드는 20261101, 보는 열은 \"age_band\"예요. 답은 "
         "balance(...).by_column의 max_diff 값 하나예요.",
    mistakes=(
        (lambda: _age_gap(_customers(check_blocked=False)),
         "차단한 친구까지 고객 파일에 넣었어요. 친구그룹에 넣어도 차단한 사람에게는 메시지가 가지 않아요: 10월 31일 24시에 "
         "친구인 사람만 넣어요."),
        (lambda: _age_gap(_customers(consent=False)),
         "광고 수신에 동의하지 않은 친구까지 넣었어요. 쿠폰 메시지는 광고라 동의한 친구만 나눠요."),
        (lambda: 100 * ab_age_gap(),
         "비중의 차이는 0과 1 사이 소수로 적어요 (0.012 = 1.2%p). 100을 곱하지 않아요."),
    ),
    skills=("A/B 테스트",),
)
def ab_age_gap() -> float:
    return _age_gap(_customers())
