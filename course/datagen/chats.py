"""1:1 chat consultations: who asks what, who answers how fast, and who buys afterwards."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import params as P
from .people import Friends, Staff

# Inquiry templates per intent. Some mention another intent's words on purpose, so that
# keyword rules have real mistakes to make.
INQUIRIES: dict[str, tuple[str, ...]] = {
    "배송 문의": (
        "주문한 {item} 언제 도착하나요?", "배송 조회가 안 돼요. 송장번호 알려주세요", "어제 주문했는데 오늘 출발하나요?",
        "{item} 배송이 아직 안 왔어요", "택배사가 어디인가요?", "주문한 지 5일째인데 배송 중으로만 떠요",
        "제주도도 배송되나요? 며칠 걸려요?", "{item} 언제 받을 수 있을까요",
    ),
    "교환·반품": (
        "{item} 색상이 사진이랑 달라서 교환하고 싶어요", "{item} 받았는데 깨져서 왔어요. 반품 가능할까요?",
        "사이즈가 안 맞아서 교환 원해요", "반품 접수는 어디서 하나요?", "배송 받은 {item}에 흠집이 있어요, 교환돼요?",
        "단순 변심도 환불되나요?", "교환 신청했는데 회수 기사님이 안 오셨어요",
    ),
    "상품 문의": (
        "{item} 실제 크기가 어느 정도인가요?", "{item} 식기세척기 써도 되나요?", "{item} 소재가 뭔가요?",
        "{item}하고 같이 쓰기 좋은 거 추천해 주세요", "선물용 포장도 되나요?", "{item} 다른 색상도 있나요?",
        "{item} 세트로 사면 더 싸요?", "원룸에 놓기에 {item} 너무 크지 않을까요?",
    ),
    "재입고 문의": (
        "{item} 품절이던데 언제 다시 들어와요?", "{item} 재입고 알림 받을 수 있나요?", "{item} 재입고 예정 있나요?",
        "품절된 {item} 다시 파시나요?",
    ),
    "쿠폰·이벤트": (
        "친구 추가 쿠폰은 어디서 받아요?", "쿠폰이 적용이 안 돼요", "이벤트 당첨자 발표 언제예요?",
        "할인 쿠폰 유효기간이 언제까지인가요?", "메시지로 받은 쿠폰 어떻게 써요?", "이벤트 경품 배송은 언제 되나요?",
    ),
    "영업시간·매장": (
        "매장 영업시간 알려주세요", "주말에도 매장 여나요?", "오프라인 매장 어디 있어요?", "상담 몇 시까지 하세요?",
        "매장에서 {item} 직접 볼 수 있나요?",
    ),
    "불만·항의": (
        "메시지가 너무 자주 와요", "상담원 연결이 왜 이렇게 늦어요?", "광고 메시지 그만 보내주세요",
        "{item} 품질이 너무 실망스러워요", "배송이 늦는데 연락도 없네요, 너무하네요", "환불 처리가 일주일째 안 돼요",
        "밤늦게 광고 메시지가 와서 깼어요",
    ),
}
# Ads sent at night or without "(광고)" bring complaints into the chat.
TRIGGERED_COMPLAINTS = {
    "night": ("밤늦게 광고 메시지가 와서 깼어요", "밤에 광고 보내는 거 괜찮은 건가요?", "야간 광고 받겠다고 동의한 적 없는데요",
              "새벽에 광고 알림 오는 거 너무 불편해요"),
    "no_label": ("광고 표시도 없이 광고를 보내요?", "(광고) 표시가 없어서 공지인 줄 알았어요", "공지인 줄 알고 열었더니 광고네요"),
}
TRIGGERED_COMPLAINT_RATE = 0.008
ITEMS = ("머그컵", "수납 바구니", "쿠션 커버", "도마", "다이어리", "펜 세트", "에코백", "조명", "고양이 식기", "러그")


@dataclass
class ChatLog:
    friend: np.ndarray
    started_s: np.ndarray
    response_s: np.ndarray
    inquiry: list[str]
    intent: np.ndarray  # index into P.INTENTS
    by_bot: np.ndarray
    agent: np.ndarray  # staff index, -1 for the bot
    will_buy: np.ndarray
    buy_s: np.ndarray
    buy_amount: np.ndarray
    satisfaction: np.ndarray  # 0 = no answer
    satisfaction_rest: np.ndarray  # the satisfaction score without its response-time part (noise, complaint)


def _triggered(rng: np.random.Generator, friends: Friends, triggers) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Complaint chats within hours of a night or unlabelled ad (at the next open hour)."""
    open_from, open_to = P.CHAT_OPEN_HOURS
    friend_parts, time_parts, texts = [], [], []
    for recipients, sent_s, reason in triggers:
        who = recipients[rng.random(len(recipients)) < TRIGGERED_COMPLAINT_RATE]
        t = sent_s + rng.exponential(1.5 * P.HOUR, len(who)).astype(np.int64)
        hour = (t % P.DAY) // P.HOUR
        next_open = np.where(hour >= open_to, t // P.DAY + 1, t // P.DAY) * P.DAY + open_from * P.HOUR
        t = np.where((hour < open_from) | (hour >= open_to), next_open + rng.integers(0, 2 * P.HOUR, len(who)), t)
        keep = (t < friends.blocked_s[who]) & (t < P.DAYS * P.DAY)
        friend_parts.append(who[keep])
        time_parts.append(t[keep])
        pool = TRIGGERED_COMPLAINTS[reason]
        texts += [pool[int(k)] for k in rng.integers(0, len(pool), int(keep.sum()))]
    if not friend_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), []
    return np.concatenate(friend_parts), np.concatenate(time_parts), texts


def make_chats(rng: np.random.Generator, friends: Friends, staff: Staff, triggers=()) -> ChatLog:
    horizon = P.DAYS * P.DAY
    start = np.maximum(friends.added_s, 0)
    end = np.minimum(friends.blocked_s, horizon)
    active = np.clip(end - start, 0, None).astype(float)
    n = int(rng.poisson(P.CHATS_PER_FRIEND * len(friends)))
    friend = np.sort(rng.choice(len(friends), size=n, p=active / active.sum()))
    # A day inside the friend's active span, during open hours; drop the few that miss it.
    open_from, open_to = P.CHAT_OPEN_HOURS
    t = start[friend] + (rng.random(n) * active[friend]).astype(np.int64)
    day = t // P.DAY
    hour_weights = np.array([3, 5, 6, 5, 7, 6, 5, 6, 7, 8, 8, 6], float)  # 09..20
    hour = open_from + rng.choice(open_to - open_from, size=n, p=hour_weights / hour_weights.sum())
    started = day * P.DAY + hour * P.HOUR + rng.integers(0, P.HOUR, size=n)
    keep = (started >= start[friend]) & (started < end[friend]) & (started < horizon)
    friend, started = friend[keep], started[keep]
    intent = rng.choice(len(P.INTENTS), size=len(friend), p=P.INTENT_SHARE)
    forced_text: list[str | None] = [None] * len(friend)
    extra_friend, extra_started, extra_text = _triggered(rng, friends, triggers)
    friend = np.concatenate([friend, extra_friend])
    started = np.concatenate([started, extra_started])
    intent = np.concatenate([intent, np.full(len(extra_friend), P.INTENTS.index("불만·항의"))])
    forced_text += extra_text
    order = np.lexsort((friend, started))
    friend, started, intent = friend[order], started[order], intent[order]
    forced_text = [forced_text[k] for k in order]
    n = len(friend)

    bot_share = np.array([P.BOT_INTENTS.get(name, 0.0) for name in P.INTENTS])[intent]
    by_bot = rng.random(n) < bot_share
    # A first draw of the response times, which drives the chats' own orders; the recorded times are drawn again
    # given the outcome (settle_agent_responses).
    busy = np.isin((started % P.DAY) // P.HOUR, (12, 13, 19, 20))
    agent_wait = (rng.lognormal(np.log(P.AGENT_RESPONSE_MEDIAN_S), P.AGENT_RESPONSE_SIGMA, n) * np.where(busy, 1.5, 1.0)
                  * _intent_scale(intent))
    response = np.where(by_bot, rng.integers(1, 4, n), np.minimum(agent_wait, P.AGENT_RESPONSE_CAP_S)).astype(np.int64)
    agents = np.array(staff.agents)
    agent = np.where(by_bot, -1, agents[rng.integers(0, len(agents), n)])

    logit = (np.array([P.INTENT_CONVERSION_LOGIT[name] for name in P.INTENTS])[intent]
             + P.RESPONSE_MINUTE_LOGIT * response / 60.0)
    will_buy = rng.random(n) < 1.0 / (1.0 + np.exp(-logit))
    buy_s = started + np.minimum(rng.exponential(1.0 * P.DAY, n), 7 * P.DAY - 3_600).astype(np.int64)
    buy_amount = np.round(rng.lognormal(np.log(P.ORDER_AMOUNT_MEDIAN * 1.2), P.ORDER_AMOUNT_SIGMA, n), -2).astype(np.int64)

    answered = rng.random(n) < 0.4
    complaint = intent == P.INTENTS.index("불만·항의")
    rest = np.where(answered, 4.3 - 1.2 * complaint + rng.normal(0, 0.7, n), np.nan)

    inquiry = [text if text is not None else _inquiry(rng, P.INTENTS[i]) for text, i in zip(forced_text, intent)]
    return ChatLog(friend, started, response, inquiry, intent, by_bot, agent, will_buy, buy_s, buy_amount,
                   _satisfaction(rest, response), rest)


def _satisfaction(rest: np.ndarray, response_s: np.ndarray) -> np.ndarray:
    score = rest - 0.03 * response_s / 60.0
    return np.where(np.isnan(rest), 0, np.clip(np.round(np.nan_to_num(score)), 1, 5)).astype(np.int64)


def settle_agent_responses(chats: ChatLog, converted: np.ndarray, seed: int) -> None:
    """Draw the agents' first-response times given each chat's 7-day outcome, so that the lesson's model is true.

    The outcome (``converted_7d``: any order of the friend within 7 days) mixes the chat's own orders with orders
    that would have come anyway, which dilutes the response-time effect of the chat orders toward nothing. Drawing
    the recorded response time *given* the outcome instead (Bayes, exponential tilting) makes the effect exact on the
    recorded outcome: a non-converted agent chat's response comes from the agents' response distribution f, a
    converted one's from f(m)·exp(β·m) (rejection sampling, β = ``RESPONSE_MINUTE_LOGIT`` < 0), hence
    logit P(converted | m, intent) = a_intent + β·m among agent chats, m in minutes: the model of advanced/01
    recovers β within its interval. f does not depend on the hour (an hour effect would be a variable the lesson's
    model leaves out); it depends on the intent, which the model controls for. A generator of its own (from the seed), so that every other table keeps its draws; the chat
    orders already drawn are kept. Rewrites ``response_s`` and ``satisfaction`` in place.
    """
    rng = np.random.default_rng([seed, 1_001])
    agent = np.flatnonzero(~chats.by_bot)
    scale = _intent_scale(chats.intent[agent])
    response = _agent_wait(rng, scale)
    pending = np.flatnonzero(converted[agent])
    while len(pending):
        draw = _agent_wait(rng, scale[pending])
        accept = rng.random(len(pending)) < np.exp(P.RESPONSE_MINUTE_LOGIT * draw / 60.0)
        response[pending[accept]] = draw[accept]
        pending = pending[~accept]
    chats.response_s[agent] = response
    chats.satisfaction = _satisfaction(chats.satisfaction_rest, chats.response_s)


def _intent_scale(intent: np.ndarray) -> np.ndarray:
    """How much longer than the median the agents take on each chat's intent."""
    return np.array([P.AGENT_RESPONSE_INTENT.get(name, 1.0) for name in P.INTENTS])[intent]


def _agent_wait(rng: np.random.Generator, scale: np.ndarray) -> np.ndarray:
    """Whole seconds, at least 1: the agents' first-response distribution f_intent (lognormal, capped), the median
    times ``scale`` (one per chat)."""
    wait = rng.lognormal(np.log(P.AGENT_RESPONSE_MEDIAN_S), P.AGENT_RESPONSE_SIGMA, len(scale)) * scale
    return np.maximum(np.minimum(wait, P.AGENT_RESPONSE_CAP_S), 1).astype(np.int64)


def _inquiry(rng: np.random.Generator, intent: str) -> str:
    template = INQUIRIES[intent][int(rng.integers(len(INQUIRIES[intent])))]
    return template.format(item=ITEMS[int(rng.integers(len(ITEMS)))])


def make_organic_orders(rng: np.random.Generator, friends: Friends) -> tuple[np.ndarray, np.ndarray]:
    """Orders that did not come through a message link: friend index and time, sorted by time."""
    horizon = P.DAYS * P.DAY
    start = np.maximum(friends.added_s, 0)
    span = np.clip(horizon - start, 0, None)
    # Some friends buy often, most rarely (gamma-distributed buying rates).
    rate = rng.gamma(0.5, 2 * P.ORGANIC_ORDERS_PER_FRIEND, len(friends)) / (P.DAYS * P.DAY)
    counts = rng.poisson(rate * span)
    friend = np.repeat(np.arange(len(friends)), counts)
    t = start[friend] + (rng.random(len(friend)) * span[friend]).astype(np.int64)
    order = np.argsort(t, kind="stable")
    return friend[order], t[order]
