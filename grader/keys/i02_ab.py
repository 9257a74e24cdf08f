"""Keys for intermediate/02_ab_reading (A/B 테스트 읽기): EXP02 title tone, B (공감형) against A (딱딱한).

The worked example of the lesson reads EXP01 (send time); the graded questions read EXP02. Arm sizes and
clicks come from ``experiments`` (one row per friend the message reached). Statistics follow the
lesson's stated methods: SRM by chi-square goodness of fit against the planned shares, Newcombe's
interval for B − A (``confint_proportions_2indep``), a two-sided Wald test (``test_proportions_2indep``) on the
secondary metric (7-day purchases; a p값 of the clicks would be tiny, and its printed forms such as 0.000
would be found in any notebook). A Wald interval is no named mistake: its lower bound equals Newcombe's at the
graded decimals, so it would earn partial credit.
"""

from __future__ import annotations

import pandas as pd
from scipy.stats import chisquare
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from course import load

from . import question

EXPERIMENT = "EXP02"
SRM_THRESHOLD = 0.001
DECISIONS = ("B 채택", "A 유지", "판단 보류")


def _arms(outcome: str = "clicks", experiment: str = EXPERIMENT) -> pd.DataFrame:
    """Per arm (A, B): friends reached (n), friends with the outcome in ``clicks``, planned share.

    ``outcome`` is "clicks" (clicked, the primary metric) or "purchases" (purchased_7d, a secondary one).
    """
    rows = load("experiments")
    rows = rows[rows["experiment_id"] == experiment]
    arms = rows.groupby(rows["arm"].astype(str)).agg(
        n=("friend_id", "size"), clicks=("clicked" if outcome == "clicks" else "purchased_7d", "sum"),
        share=("planned_share", "first"))
    return arms.loc[["A", "B"]].astype({"n": int, "clicks": int})


def _sent_arms() -> pd.DataFrame:
    """The mistaken arms: every deliveries row of the arm's message, reached or not."""
    rows = load("experiments")
    rows = rows[rows["experiment_id"] == EXPERIMENT]
    campaign_of = rows.groupby(rows["arm"].astype(str))["campaign_id"].first().loc[["A", "B"]]
    deliveries = load("deliveries")
    sent = deliveries[deliveries["campaign_id"].isin(campaign_of)].groupby("campaign_id").agg(
        n=("friend_id", "size"), clicks=("clicked", "sum"))
    arms = sent.loc[campaign_of.to_numpy()].set_axis(["A", "B"])
    arms["share"] = _arms()["share"]
    return arms.astype({"n": int, "clicks": int})


def _rates(arms: pd.DataFrame) -> pd.Series:
    return (arms["clicks"] / arms["n"]).astype(float)


def _srm_p(arms: pd.DataFrame) -> float:
    total = arms["n"].sum()
    return float(chisquare(arms["n"].to_numpy(), f_exp=arms["share"].to_numpy() * total).pvalue)


def _newcombe(arms: pd.DataFrame, method: str = "newcomb") -> tuple[float, float]:
    low, high = confint_proportions_2indep(arms.loc["B", "clicks"], arms.loc["B", "n"],
                                           arms.loc["A", "clicks"], arms.loc["A", "n"],
                                           method=method, compare="diff", alpha=0.05)
    return float(low), float(high)


def _p_value(arms: pd.DataFrame, method: str = "wald", alternative: str = "two-sided") -> float:
    result = test_proportions_2indep(arms.loc["B", "clicks"], arms.loc["B", "n"],
                                     arms.loc["A", "clicks"], arms.loc["A", "n"],
                                     method=method, compare="diff", alternative=alternative)
    return float(result.pvalue)


def _interval_table(low: float, high: float) -> pd.Series:
    return pd.Series({"하한": low, "상한": high})


@question(
    "i02.srm_p_exp02", variable="srm_p_exp02", kind="number", decimals=3,
    hint="experiments에서 EXP02의 안별 인원을 세고, 기대 인원(전체 × planned_share)과 함께 scipy.stats.chisquare에 넣어 p값를 구하세요.",
    mistakes=(
        (lambda: _srm_p(_sent_arms()),
         "도달하지 못한 메시지까지 인원에 넣었어요. 분석 대상은 experiments에 있는 친구(메시지가 도달한 친구)예요."),
    ),
)
def srm_p_exp02() -> float:
    return _srm_p(_arms())


@question(
    "i02.click_rate_by_arm", variable="click_rate_by_arm", kind="table", decimals=4,
    hint="EXP02의 안(arm)별로 clicked 합계 ÷ 인원(도달한 친구 수)을 구해 A, B 두 줄짜리 Series로 만드세요.",
    mistakes=(
        (lambda: _rates(_sent_arms()),
         "분모에 도달하지 못한 메시지까지 넣었어요. 클릭률의 분모는 도달한 친구 수예요."),
        (lambda: 100 * _rates(_arms()),
         "클릭률은 0과 1 사이 소수로 적어 주세요 (예: 0.0712). 100을 곱하지 않아요."),
    ),
)
def click_rate_by_arm() -> pd.Series:
    return _rates(_arms())


@question(
    "i02.abs_lift", variable="abs_lift", kind="number", decimals=4,
    hint="절대 차이 = B 클릭률 − A 클릭률이에요. 0~1 소수끼리 빼요 (%p가 아니라 소수).",
    mistakes=(
        (lambda: -abs_lift(),
         "A − B로 뺐어요. 차이는 새 안(B)에서 기존 안(A)을 빼요."),
        (lambda: 100 * abs_lift(),
         "%p로 적었어요. 0~1 소수끼리 뺀 값 그대로 적어요 (100을 곱하지 않아요)."),
        (lambda: float(_rates(_sent_arms()).diff().iloc[-1]),
         "분모에 도달하지 못한 메시지까지 넣은 클릭률로 뺐어요. 분모는 도달한 친구 수예요."),
    ),
)
def abs_lift() -> float:
    rates = _rates(_arms())
    return float(rates["B"] - rates["A"])


@question(
    "i02.rel_lift", variable="rel_lift", kind="number", decimals=3,
    hint="상대 향상 = (B − A) ÷ A 예요. 기준이 되는 기존 안(A)의 클릭률로 나눠요. 소수로 적어요 (0.25 = 25% 향상).",
    mistakes=(
        (lambda: abs_lift() / float(_rates(_arms())["B"]),
         "B의 클릭률로 나눴어요. 상대 향상은 기존 안(A)의 클릭률을 기준으로 나눠요."),
        (lambda: 100 * rel_lift(),
         "%로 적었어요. 소수로 적어 주세요 (예: 25% 향상이면 0.25)."),
        (lambda: float(_rates(_arms())["B"] / _rates(_arms())["A"]),
         "B ÷ A 비율 그대로예요. 향상은 그 비율에서 1을 뺀 값이에요."),
    ),
)
def rel_lift() -> float:
    rates = _rates(_arms())
    return float((rates["B"] - rates["A"]) / rates["A"])


@question(
    "i02.diff_ci", variable="diff_ci", kind="table", decimals=5,
    hint="confint_proportions_2indep(B 클릭 수, B 인원, A 클릭 수, A 인원, method=\"newcomb\")의 두 값을 '하한', '상한' 라벨의 Series로 만드세요.",
    mistakes=(
        (lambda: _interval_table(*(-x for x in reversed(_newcombe(_arms())))),
         "A − B의 구간을 구했어요. B를 앞에(count1, nobs1), A를 뒤에 넣어 B − A의 구간을 구해요."),
        (lambda: _interval_table(*_newcombe(_sent_arms())),
         "분모에 도달하지 못한 메시지까지 넣었어요. 인원은 도달한 친구 수예요."),
    ),
)
def diff_ci() -> pd.Series:
    return _interval_table(*_newcombe(_arms()))


@question(
    "i02.purchase_p_value", variable="purchase_p_value", kind="number", decimals=4,
    hint="EXP02의 안별 purchased_7d 합계와 인원을 test_proportions_2indep(B 구매 수, B 인원, A 구매 수, A 인원, method=\"wald\", alternative=\"two-sided\")에 넣고 pvalue를 읽어요.",
    mistakes=(
        (lambda: _p_value(_arms("purchases"), alternative="larger"),
         "한쪽 검정의 p값예요. 미리 정한 대로 양측 검정(alternative=\"two-sided\")으로 구해요."),
        (lambda: _p_value(_arms("purchases"), method="agresti-caffo"),
         "method를 적지 않아 기본값(Agresti–Caffo)으로 계산했어요. 문제에서 정한 method=\"wald\"를 넣어요."),
    ),
)
def purchase_p_value() -> float:
    return _p_value(_arms("purchases"))


@question(
    "i02.decision", variable="decision", kind="text",
    hint="미리 정한 규칙을 순서대로 적용해요: ① SRM p값가 0.001보다 작으면 '판단 보류' ② 아니면 95% 구간 하한이 0보다 크면 'B 채택' ③ 그 밖에는 'A 유지'.",
)
def decision() -> str:
    if srm_p_exp02() < SRM_THRESHOLD:
        return "판단 보류"
    low, _ = _newcombe(_arms())
    return "B 채택" if low > 0 else "A 유지"
