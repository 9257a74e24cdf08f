"""Keys for intermediate/02_ab_reading (A/B 테스트 읽기): EXP02 title tone, B (공감형) against A (딱딱한).

The worked example of the lesson reads EXP01 (send time); the graded questions read EXP02. Arm sizes and outcomes come
from ``experiments`` (one row per friend the message reached). This module holds the course's ONE way to read an A/B
test, which i03 and i04 import:

- SRM: chi-square goodness of fit against the planned shares; p < ``SRM_THRESHOLD`` makes the test invalid.
- The test: the two-sided score test of two proportions (``test_proportions_2indep(..., method="score")``), for the
  primary metric and for a sparse secondary one alike (it keeps its level with few events, where Wald does not).
- The interval: Newcombe's for B − A (``confint_proportions_2indep(..., method="newcomb")``).
- The guardrail: the block rate, non-inferior when the one-sided 95% upper bound of B − A (the upper end of the 90%
  Newcombe interval) is below ``BLOCK_MARGIN``.
- The decision (``decide``): 테스트 무효 / A안 유지 (guardrail not shown, or B worse) / B안 채택 / 판단 보류.
"""

from __future__ import annotations

import pandas as pd
from scipy.stats import chisquare
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from course import load

from . import question

EXPERIMENT = "EXP02"
SRM_THRESHOLD = 0.001
ALPHA = 0.05
BLOCK_MARGIN = 0.005  # B's 24-hour block rate may be at most 0.5%p above A's
INVALID, SHIP, KEEP, INCONCLUSIVE = "테스트 무효", "B안 채택", "A안 유지", "판단 보류"
DECISIONS = (INVALID, SHIP, KEEP, INCONCLUSIVE)
OUTCOMES = {"clicks": "clicked", "purchases": "purchased_7d", "blocks": "blocked_24h"}


def arms(experiment: str = EXPERIMENT) -> pd.DataFrame:
    """Per arm (A, B, …) of one test: friends reached (n), friends who clicked, bought in 7 days and blocked in 24 hours,
    and the planned share."""
    rows = load("experiments")
    rows = rows[rows["experiment_id"] == experiment]
    out = rows.groupby(rows["arm"].astype(str)).agg(
        n=("friend_id", "size"), **{name: (column, "sum") for name, column in OUTCOMES.items()},
        share=("planned_share", "first"))
    return out.sort_index().astype({"n": int, **{name: int for name in OUTCOMES}})


def _sent_arms() -> pd.DataFrame:
    """The mistaken arms: every deliveries row of the arm's message, reached or not."""
    rows = load("experiments")
    rows = rows[rows["experiment_id"] == EXPERIMENT]
    campaign_of = rows.groupby(rows["arm"].astype(str))["campaign_id"].first().loc[["A", "B"]]
    deliveries = load("deliveries")
    sent = deliveries[deliveries["campaign_id"].isin(campaign_of)].groupby("campaign_id").agg(
        n=("friend_id", "size"), clicks=("clicked", "sum"), blocks=("blocked_24h", "sum"))
    out = sent.loc[campaign_of.to_numpy()].set_axis(["A", "B"])
    out["share"] = arms()["share"]
    return out.astype({"n": int, "clicks": int, "blocks": int})


def rates(table: pd.DataFrame, outcome: str = "clicks") -> pd.Series:
    return (table[outcome] / table["n"]).astype(float)


def srm_p(table: pd.DataFrame) -> float:
    total = table["n"].sum()
    return float(chisquare(table["n"].to_numpy(), f_exp=table["share"].to_numpy() * total).pvalue)


def newcombe(table: pd.DataFrame, outcome: str = "clicks", arm: str = "B", base: str = "A", alpha: float = 0.05,
             method: str = "newcomb") -> tuple[float, float]:
    """The interval for rate(arm) − rate(base)."""
    low, high = confint_proportions_2indep(table.loc[arm, outcome], table.loc[arm, "n"],
                                           table.loc[base, outcome], table.loc[base, "n"],
                                           method=method, compare="diff", alpha=alpha)
    return float(low), float(high)


def p_value(table: pd.DataFrame, outcome: str = "clicks", arm: str = "B", base: str = "A", method: str = "score",
            alternative: str = "two-sided") -> float:
    """The course's test of rate(arm) = rate(base): two-sided score test."""
    result = test_proportions_2indep(table.loc[arm, outcome], table.loc[arm, "n"],
                                     table.loc[base, outcome], table.loc[base, "n"],
                                     method=method, compare="diff", alternative=alternative)
    return float(result.pvalue)


def guardrail_upper(table: pd.DataFrame, arm: str = "B", base: str = "A") -> float:
    """One-sided 95% upper bound of the block-rate difference arm − base (the upper end of the 90% Newcombe interval)."""
    return newcombe(table, "blocks", arm, base, alpha=0.10)[1]


def decide(srm: float, p: float, lift: float, block_upper: float) -> str:
    """The course's decision rule, in the order it is applied."""
    if srm < SRM_THRESHOLD:
        return INVALID
    if block_upper >= BLOCK_MARGIN:
        return KEEP
    if p < ALPHA:
        return SHIP if lift > 0 else KEEP
    return INCONCLUSIVE


def read_test(experiment: str) -> str:
    """The decision for a two-arm test, B against A, on clicks with the block-rate guardrail."""
    table = arms(experiment)
    lift = float(rates(table).loc["B"] - rates(table).loc["A"])
    return decide(srm_p(table), p_value(table), lift, guardrail_upper(table))


def _interval_table(low: float, high: float) -> pd.Series:
    return pd.Series({"하한": low, "상한": high})


@question(
    "i02.srm_p_exp02", variable="srm_p_exp02", kind="number", decimals=3,
    hint='2절 예제의 expected, srm(chisquare(exp01_arms["friends"], f_exp=expected))을 EXP02로 되풀이해요. 안별 인원은 '
         'exp02.groupby("arm", observed=True)의 줄 수(size)이고, 답은 결과의 pvalue예요.',
    mistakes=(
        (lambda: srm_p(_sent_arms()),
         "도달하지 못한 메시지까지 인원에 넣었어요. 분석 대상은 experiments에 있는 친구(메시지가 도달한 친구)예요."),
    ),
    skills=("SRM",),
)
def srm_p_exp02() -> float:
    return srm_p(arms())


@question(
    "i02.click_rate_by_arm", variable="click_rate_by_arm", kind="table", decimals=4,
    hint="EXP02의 안(arm)별로 clicked 합계 ÷ 인원(도달한 친구 수)을 구해 A, B 두 줄짜리 Series로 만드세요.",
    mistakes=(
        (lambda: rates(_sent_arms()),
         "분모에 도달하지 못한 메시지까지 넣었어요. 클릭률의 분모는 도달한 친구 수예요."),
        (lambda: 100 * rates(arms()),
         "클릭률은 0과 1 사이 소수로 적어 주세요 (예: 0.0712). 100을 곱하지 않아요."),
    ),
    skills=("A/B 테스트", "클릭률"),
)
def click_rate_by_arm() -> pd.Series:
    return rates(arms())


@question(
    "i02.abs_lift", variable="abs_lift", kind="number", decimals=4,
    hint="3절 예제의 exp01_abs와 같아요: 문제 2의 click_rate_by_arm에서 B 값 − A 값이에요. 0~1 소수끼리 빼요 (%p가 아니라 소수).",
    mistakes=(
        (lambda: -abs_lift(),
         "A − B로 뺐어요. 차이는 새 안(B)에서 기존 안(A)을 빼요."),
        (lambda: 100 * abs_lift(),
         "%p로 적었어요. 0~1 소수끼리 뺀 값 그대로 적어요 (100을 곱하지 않아요)."),
        (lambda: float(rates(_sent_arms()).diff().iloc[-1]),
         "분모에 도달하지 못한 메시지까지 넣은 클릭률로 뺐어요. 분모는 도달한 친구 수예요."),
    ),
    skills=("A/B 테스트",),
)
def abs_lift() -> float:
    clicks = rates(arms())
    return float(clicks["B"] - clicks["A"])


@question(
    "i02.rel_lift", variable="rel_lift", kind="number", decimals=3,
    hint="3절 예제의 exp01_rel처럼 절대 차이(문제 3의 abs_lift)를 기준이 되는 기존 안(A)의 클릭률(click_rate_by_arm의 A)로 나눠요. 소수로 "
         "적어요 (0.25 = 25% 향상).",
    mistakes=(
        (lambda: abs_lift() / float(rates(arms())["B"]),
         "B의 클릭률로 나눴어요. 상대 향상은 기존 안(A)의 클릭률을 기준으로 나눠요."),
        (lambda: 100 * rel_lift(),
         "%로 적었어요. 소수로 적어 주세요 (예: 25% 향상이면 0.25)."),
        (lambda: float(rates(arms())["B"] / rates(arms())["A"]),
         "B ÷ A 비율 그대로예요. 향상은 그 비율에서 1을 뺀 값이에요."),
    ),
    skills=("A/B 테스트",),
)
def rel_lift() -> float:
    clicks = rates(arms())
    return float((clicks["B"] - clicks["A"]) / clicks["A"])


@question(
    "i02.diff_ci", variable="diff_ci", kind="table", decimals=5,
    hint='4절 예제의 exp01_ci와 같은 호출이에요. 안별 클릭 수와 인원은 2절의 exp01_arms처럼 exp02.groupby("arm", observed=True)로 '
         "세고, B를 먼저 넣어요. 결과의 첫 값이 하한, 둘째 값이 상한이에요.",
    mistakes=(
        (lambda: _interval_table(*newcombe(arms(), arm="A", base="B")),
         "A − B의 구간을 구했어요. B를 앞에(count1, nobs1), A를 뒤에 넣어 B − A의 구간을 구해요."),
        (lambda: _interval_table(*newcombe(_sent_arms())),
         "분모에 도달하지 못한 메시지까지 넣었어요. 인원은 도달한 친구 수예요."),
    ),
    skills=("신뢰구간", "하한 · 상한"),
)
def diff_ci() -> pd.Series:
    return _interval_table(*newcombe(arms()))


@question(
    "i02.block_upper", variable="block_upper", kind="number", decimals=5,
    hint="blocked_24h로 B − A 차단율 차이의 Newcombe 구간을 alpha=0.10으로 구하고(90% 구간), 그 상한을 적어요. "
         "90% 구간의 상한이 한쪽 95% 상한이에요.",
    mistakes=(
        (lambda: newcombe(arms(), "blocks")[1],
         "95% 양측 구간(alpha=0.05)의 상한이에요. 가드레일은 '더 나빠지지 않았는지' 한쪽만 보니 alpha=0.10 구간의 상한을 써요."),
        (lambda: newcombe(_sent_arms(), "blocks", alpha=0.10)[1],
         "분모에 도달하지 못한 메시지까지 넣었어요. 차단율의 분모는 도달한 친구 수예요."),
    ),
    skills=("가드레일 허용 폭", "가드레일 지표"),
)
def block_upper() -> float:
    return guardrail_upper(arms())


@question(
    "i02.purchase_p_value", variable="purchase_p_value", kind="number", decimals=4,
    hint='문제 7 바로 위의 EXP01 구매 예제(exp01_buys, score_p)를 EXP02로 되풀이해요. 안별 구매 수는 exp02.groupby("arm", '
         "observed=True) 의 purchased_7d 합계, 인원은 안별 줄 수예요.",
    mistakes=(
        (lambda: p_value(arms(), "purchases", alternative="larger"),
         "한쪽 검정의 p값이에요. 미리 정한 대로 양측 검정(alternative=\"two-sided\")으로 구해요."),
        (lambda: p_value(arms(), "purchases", method="agresti-caffo"),
         "method를 적지 않아 기본값(Agresti–Caffo)으로 계산했어요. 과정의 검정인 method=\"score\"를 넣어요."),
    ),
    skills=("점수 검정", "p값"),
)
def purchase_p_value() -> float:
    return p_value(arms(), "purchases")


@question(
    "i02.decision", variable="decision", kind="text",
    hint="5절 예제의 exp01_decision을 고른 if/elif 순서 그대로예요. SRM은 문제 1의 srm_p_exp02, 클릭률 p값은 "
         'test_proportions_2indep(..., method="score")의 pvalue, B가 높은지는 문제 3의 abs_lift로 봐요.',
    skills=("가드레일 지표", "1차 지표"),
)
def decision() -> str:
    return read_test(EXPERIMENT)
