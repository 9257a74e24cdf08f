"""Keys for intermediate/04_improvement_loop (성과 분석과 개선 루프): attributed revenue, ROI,
cost per order, per-writer click rates and the training experiment (Welch), weekly KPI board.

The training experiment is a test at the staff level: the eight writers were split 4/4 by lot (the generator's
permutation), so the course's decision words apply, with 온라인 강의 as A (the way so far) and 실습 워크숍 as B. Its
test is Welch's t on one click rate per writer, not the two-proportion test: the unit of randomisation is the writer.
"""

from __future__ import annotations

import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import test_proportions_2indep

from course import load
from course.windows import full_7d

from . import question
from .i02_ab import INCONCLUSIVE, KEEP, SHIP

AUGUST = (pd.Timestamp("2026-08-01"), pd.Timestamp("2026-09-01"))
WORKSHOP, ONLINE = "실습 워크숍", "온라인 강의"
WEEKS = (pd.Timestamp("2026-05-04"), pd.Timestamp("2026-10-26"))  # 25 full weeks, Monday-Sunday
NET_TARGET, CLICK_TARGET, BLOCK_TARGET = 50, 0.08, 0.005


def _in(series: pd.Series, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.Series:
    start, end = window
    return (series >= start) & (series < end)


def _per_campaign() -> pd.DataFrame:
    """One row per message: cost, attributed revenue, attributed orders, deliveries and clicks."""
    campaigns = load("campaigns").set_index("campaign_id")
    deliveries = load("deliveries")
    reached = deliveries[deliveries["delivered"]]
    orders = load("orders").dropna(subset=["campaign_id"])
    out = campaigns[["sent_at", "is_ad", "cost_krw", "author"]].copy()
    out["revenue"] = deliveries.groupby("campaign_id")["purchase_amount_krw"].sum().reindex(out.index, fill_value=0)
    out["orders"] = orders.groupby("campaign_id").size().reindex(out.index, fill_value=0)
    out["delivered"] = reached.groupby("campaign_id").size().reindex(out.index, fill_value=0)
    out["clicks"] = reached.groupby("campaign_id")["clicked"].sum().reindex(out.index, fill_value=0)
    out["kind"] = out["is_ad"].map({True: "광고", False: "정보성"})
    return out


def _full_window() -> pd.DataFrame:
    per = _per_campaign()
    return per[full_7d(per["sent_at"])]


# ---------------------------------------------------------------- revenue, ROI, cost per order

def _orders_in_august() -> pd.DataFrame:
    orders = load("orders")
    return orders[_in(orders["ordered_at"], AUGUST)]


@question(
    "i04.revenue_august", variable="revenue_august", kind="int",
    hint="1절 예제의 july, july_rows, july_revenue를 8월로 옮겨요: campaigns에서 sent_at으로 8월 발송을 고르고, 그 campaign_id의 "
         "deliveries 줄만 isin으로 골라 purchase_amount_krw를 더해요. 기간은 주문한 날이 아니라 보낸 날로 잡아요.",
    mistakes=(
        (lambda: int(_orders_in_august()["amount_krw"].sum()),
         "8월의 모든 주문 금액을 더했어요. 메시지 링크로 들어온 주문(메시지 기여 매출)만 세요."),
        (lambda: int(_orders_in_august().dropna(subset=["campaign_id"])["amount_krw"].sum()),
         "주문 시각으로 기간을 잡았어요. 기준은 메시지를 보낸 시각(sent_at)이에요. 8월 말에 보낸 메시지의 9월 주문도 8월 메시지의 성과예요."),
    ),
    skills=("메시지 기여 매출",),
)
def revenue_august() -> int:
    per = _per_campaign()
    return int(per.loc[_in(per["sent_at"], AUGUST), "revenue"].sum())


def _roi(frame: pd.DataFrame) -> pd.Series:
    sums = frame.groupby("kind")[["revenue", "cost_krw"]].sum()
    return (sums["revenue"] - sums["cost_krw"]) / sums["cost_krw"]


@question(
    "i04.roi_by_kind", variable="roi_by_kind", kind="table", decimals=3,
    hint="1절 예제의 july_roi처럼 (매출 − 비용) ÷ 비용이에요. 매출은 deliveries의 campaign_id별 purchase_amount_krw 합계를 "
         "campaigns에 붙여(groupby 뒤 map) 구하고, is_ad별로 매출과 cost_krw를 먼저 더한 뒤 나눠요. 10월 24일 0시 전에 보낸 메시지만 넣어요.",
    mistakes=(
        (lambda: (lambda s: s["revenue"] / s["cost_krw"])(_full_window().groupby("kind")[["revenue", "cost_krw"]].sum()),
         "매출 ÷ 비용을 구했어요(ROAS). ROI는 (매출 − 비용) ÷ 비용이라 비용을 먼저 빼요."),
        (lambda: _full_window().assign(roi=lambda f: (f["revenue"] - f["cost_krw"]) / f["cost_krw"]).groupby("kind")["roi"].mean(),
         "메시지별 ROI를 단순 평균했어요. 그룹의 매출 합계와 비용 합계로 한 번에 계산해요."),
        (lambda: 100 * roi_by_kind(),
         "ROI는 비율 그대로(예: 12.345) 적어요. 100을 곱해 %로 만들지 않아요."),
    ),
    skills=("ROI",),
)
def roi_by_kind() -> pd.Series:
    return _roi(_full_window())


def _ads() -> pd.DataFrame:
    frame = _full_window()
    return frame[frame["is_ad"]]


@question(
    "i04.cost_per_order_ad", variable="cost_per_order_ad", kind="number", decimals=0,
    hint='1절 예제의 july_orders, july_cost_per_order처럼 주문은 orders["campaign_id"].isin(...)으로 세요. 광고 메시지는 '
         "campaigns에서 is_ad가 참이고 sent_at이 10월 24일 0시 전인 줄이에요.",
    mistakes=(
        (lambda: float(_ads()["cost_krw"].sum() / _ads()["clicks"].sum()),
         "클릭 수로 나눴어요(클릭당 비용). 분모는 메시지로 이어진 주문 수예요."),
        (lambda: float(_ads()["revenue"].sum() / _ads()["orders"].sum()),
         "매출을 주문 수로 나눴어요(객단가). 분자는 발송 비용이에요."),
    ),
    skills=("클릭당 비용 · 구매당 비용",),
)
def cost_per_order_ad() -> float:
    ads = _ads()
    return float(ads["cost_krw"].sum() / ads["orders"].sum())


# ---------------------------------------------------------------- per-writer click rates, Welch

def _writer_sums() -> pd.DataFrame:
    return _per_campaign().groupby("author")[["clicks", "delivered"]].sum()


@question(
    "i04.writer_click_rates", variable="writer_click_rates", kind="table", decimals=4,
    hint="작성자(campaigns.author)별로 도달한 줄의 clicked 합계 ÷ 도달한 줄 수예요. 인덱스는 staff_id(S01 …)예요.",
    mistakes=(
        (lambda: (lambda d: d.groupby("author")["clicked"].mean())(
            load("deliveries").merge(load("campaigns")[["campaign_id", "author"]], on="campaign_id")),
         "도달하지 못한 메시지까지 분모에 넣었어요. 클릭률의 분모는 도달한 메시지 수예요."),
        (lambda: _per_campaign().assign(rate=lambda f: f["clicks"] / f["delivered"]).groupby("author")["rate"].mean(),
         "메시지별 클릭률을 단순 평균했어요. 작성자의 클릭 합계 ÷ 도달 합계로 계산해요."),
        (lambda: 100 * writer_click_rates(),
         "클릭률은 0과 1 사이 소수로 적어요. 100을 곱하지 않아요."),
    ),
    skills=("클릭률",),
)
def writer_click_rates() -> pd.Series:
    sums = _writer_sums()
    return sums["clicks"] / sums["delivered"]


def _groups() -> tuple[pd.Series, pd.Series]:
    rates = writer_click_rates()
    training = load("staff").set_index("staff_id")["training"].astype(str)
    style = training.reindex(rates.index)
    return rates[style == WORKSHOP], rates[style == ONLINE]


def _pooled():
    sums = _writer_sums()
    training = load("staff").set_index("staff_id")["training"].astype(str)
    pooled = sums.groupby(training.reindex(sums.index)).sum()
    return test_proportions_2indep(pooled.loc[WORKSHOP, "clicks"], pooled.loc[WORKSHOP, "delivered"],
                                   pooled.loc[ONLINE, "clicks"], pooled.loc[ONLINE, "delivered"],
                                   method="score", alternative="two-sided")


def _welch():
    workshop, online = _groups()
    return stats.ttest_ind(workshop, online, equal_var=False)


POOLED_MESSAGE = ("모든 클릭을 한데 모아 두 비율을 비교했어요. 교육을 받은 단위는 직원이라, 직원 한 명당 클릭률 하나로 "
                  "검정해야 해요. 수십만 건을 모으면 p값이 터무니없이 작아져요.")


@question(
    "i04.welch_t", variable="welch_t", kind="number", decimals=3,
    hint="작성자별 클릭률로 scipy.stats.ttest_ind(실습 워크숍, 온라인 강의, equal_var=False)의 statistic이에요.",
    mistakes=(
        (lambda: -float(_welch().statistic),
         "두 그룹 순서를 바꿨어요. 첫 번째가 실습 워크숍, 두 번째가 온라인 강의예요."),
        (lambda: float(_pooled().statistic), POOLED_MESSAGE),
    ),
    skills=("양측 검정",),
)
def welch_t() -> float:
    return float(_welch().statistic)


@question(
    "i04.welch_p", variable="welch_p", kind="number", decimals=4,
    hint="같은 Welch t-검정(equal_var=False, 양측)의 pvalue예요.",
    mistakes=(
        (lambda: float(stats.ttest_ind(*_groups(), equal_var=True).pvalue),
         "equal_var=True(Student t-검정)를 썼어요. 두 그룹의 분산이 같다고 가정하지 않는 Welch 검정(equal_var=False)이에요."),
        (lambda: float(_welch().pvalue) / 2,
         "단측 p값이에요. 미리 정한 대로 양측 검정의 p값을 그대로 적어요."),
        (lambda: float(_pooled().pvalue), POOLED_MESSAGE),
    ),
    skills=("p값", "양측 검정"),
)
def welch_p() -> float:
    return float(_welch().pvalue)


def _decision(p: float, t: float) -> str:
    if p >= 0.05:
        return INCONCLUSIVE
    return SHIP if t > 0 else KEEP


@question(
    "i04.training_decision", variable="training_decision", kind="text",
    hint="문제 5·6의 welch_t, welch_p로 if/else를 적어요. p < 0.05이면 t > 0일 때 'B안 채택'(실습 워크숍), t < 0일 때 'A안 "
         "유지'(온라인 강의), 그 밖에는 '판단 보류'예요.",
    mistakes=(
        (lambda: _decision(float(_pooled().pvalue), float(_pooled().statistic)),
         POOLED_MESSAGE),
    ),
    skills=("유의수준", "양측 검정"),
)
def training_decision() -> str:
    result = _welch()
    return _decision(float(result.pvalue), float(result.statistic))


# ---------------------------------------------------------------- weekly KPI board

def _board(window: tuple[pd.Timestamp, pd.Timestamp] = WEEKS, *, delivered_only: bool = True) -> pd.DataFrame:
    daily = load("daily_stats")
    daily = daily[_in(daily["date"], window)]
    week_of = lambda s: s.dt.to_period("W-SUN").dt.start_time  # noqa: E731 (Monday of the week)
    friends = daily.groupby(week_of(daily["date"]))[["added", "blocked"]].sum()
    campaigns = load("campaigns")
    campaigns = campaigns[_in(campaigns["sent_at"], window)]
    rows = load("deliveries").merge(campaigns[["campaign_id", "sent_at"]], on="campaign_id")
    if delivered_only:
        rows = rows[rows["delivered"]]
    messages = rows.groupby(week_of(rows["sent_at"])).agg(click_rate=("clicked", "mean"), block_rate=("blocked_24h", "mean"))
    board = pd.DataFrame({"net_adds": friends["added"] - friends["blocked"]}).join(messages)
    return board


def _board_of_message_means() -> pd.DataFrame:
    """The board with each week's rates as a plain mean of per-message rates (a mistake)."""
    per = _per_campaign()
    per = per[_in(per["sent_at"], WEEKS)]
    reached = load("deliveries").query("delivered")
    per["click_rate"] = per["clicks"] / per["delivered"]
    per["block_rate"] = reached.groupby("campaign_id")["blocked_24h"].mean().reindex(per.index)
    means = per.groupby(per["sent_at"].dt.to_period("W-SUN").dt.start_time)[["click_rate", "block_rate"]].mean()
    return _board()[["net_adds"]].join(means)


def _on_target(board: pd.DataFrame) -> int:
    met = (board["net_adds"] >= NET_TARGET) & (board["click_rate"] >= CLICK_TARGET) & (board["block_rate"] <= BLOCK_TARGET)
    return int(met.sum())


@question(
    "i04.weeks_on_target", variable="weeks_on_target", kind="int",
    hint='3절의 weekly 표(to_period("W-SUN").dt.start_time으로 묶은, 월요일에 시작하는 주)에 클릭률·차단율 열을 더해요. 도달한 '
         "deliveries 줄에 campaigns의 sent_at을 merge로 붙여 같은 방법으로 주를 만들고, clicked, blocked_24h의 평균을 join해요. 세 "
         "조건을 &로 묶어 참인 주를 세요.",
    mistakes=(
        (lambda: _on_target(_board_of_message_means()),
         "메시지별 클릭률·차단율을 단순 평균했어요. 그 주에 보낸 메시지의 클릭(차단) 합계 ÷ 도달 합계로 계산해요."),
        (lambda: int(((_board()["net_adds"] >= NET_TARGET) & (_board()["block_rate"] <= BLOCK_TARGET)).sum()),
         "클릭률 목표를 빠뜨렸어요. 세 목표(순증, 클릭률, 차단율)를 모두 지킨 주만 세요."),
        (lambda: len(_board()) - weeks_on_target(),
         "목표를 놓친 주를 셌어요. 세 목표를 모두 지킨 주를 세요."),
    ),
    skills=("순증", "클릭률"),
)
def weeks_on_target() -> int:
    return _on_target(_board())


# ----- 문제 9: friend_budget -----------------------------------------------------------------------

FRIEND_BUDGET = 500_000  # next month's budget for new friends (원)
CAPACITY_FACTOR = 1.5  # 과정 가정: a route brings at most 1.5 × its monthly mean of new friends in a month
BUDGET_MONTHS = 6  # 2026-05 .. 2026-10


def _monthly_new_friends() -> pd.Series:
    from .b02_friends import COST_PER_NEW_FRIEND, LOG_END, _cohort

    counts = _cohort(end=LOG_END)["source"].value_counts()  # every friend added in the log's six months
    return (counts.reindex(list(COST_PER_NEW_FRIEND)).fillna(0) / BUDGET_MONTHS).astype(float)


def _fill(order: pd.Series, room: pd.Series | None, budget: float = FRIEND_BUDGET) -> pd.Series:
    """Budget to each route, the cheapest by ``order`` first, each up to its ``room`` (won); None: no limit."""
    given = pd.Series(0.0, index=order.index)
    left = float(budget)
    for route in order.sort_values(kind="stable").index:
        put = left if room is None else min(left, float(room[route]))
        given[route] = put
        left -= put
    return given


def _budget(order: str = "kept", factor: float = CAPACITY_FACTOR, capacity: bool = True) -> pd.Series:
    from .b02_friends import COST_PER_NEW_FRIEND, cost_per_kept_friend

    cost = pd.Series(COST_PER_NEW_FRIEND, dtype=float)
    room = _monthly_new_friends() * factor * cost if capacity else None
    return _fill(cost_per_kept_friend() if order == "kept" else cost, room)


@question(
    "i04.friend_budget", variable="friend_budget", kind="table", decimals=0,
    hint="5절 예제의 fill_budget(순서, 한도, 예산)을 그대로 써요. 순서는 kept_cost, 한도는 경로마다 "
         "(5~10월 신규 친구 수 ÷ 6) × 1.5 × cost_per_new_friend예요. friends의 added_at으로 기간을 고르고 "
         "source의 value_counts()로 세요.",
    mistakes=(
        (lambda: _budget(order="new"),
         "새 친구 1명당 비용(CPA) 순으로 채웠어요. 금방 차단하는 친구가 많은 경로는 싸 보여도 비싸요. 남은 친구 1명당 비용 순으로 채워요."),
        (lambda: _budget(capacity=False),
         "한 경로에 예산을 다 넣었어요. 경로마다 한 달에 모을 수 있는 친구에 한계가 있으니, 한도까지만 넣고 다음 경로로 넘어가요."),
        (lambda: _budget(factor=1.0),
         "한도에 1.5를 곱하지 않았어요. 한 달 한계 인원은 월평균 신규 친구 수의 1.5배예요."),
    ),
    skills=("친구 1명당 비용(CPA)", "30일 유지율"),
)
def friend_budget() -> pd.Series:
    return _budget()
