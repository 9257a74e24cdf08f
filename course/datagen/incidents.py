"""Crisis drill scenarios: 14 days each, a quiet week, then the incident as a monitor sees it.

These timelines are simulated apart from the six-month channel log (they follow it, one after another
from November 2026) so the drills can be replayed without touching ``daily_stats``; their friend ids
are friends still on the channel at the end of the log.

Each scenario: seven quiet days (the baseline a monitor sets its control limits on), the incident on
the morning-to-evening of day 8 (its ``사건 시작`` row is the post-mortem's record of when it really began),
then seven days in which it fades, so a post-mortem can count the days until blocks are back to normal.
The scenario name in the data is neutral (its dates): what kind of crisis it is, the learner reads
from the evidence. The truths stay here.
"""

from __future__ import annotations

import numpy as np

from . import params as P
from . import monitor
from .chats import INQUIRIES, ITEMS

DAYS_PER_SCENARIO = 14
QUIET_DAYS = 7
HOURS = DAYS_PER_SCENARIO * 24
FIRST_DAY = P.DAYS + 1  # 2026-11-02

# Hour-of-day shape of ordinary activity (index 0 = midnight).
DIURNAL = np.array([.3, .2, .15, .1, .1, .15, .3, .6, .9, 1.1, 1.2, 1.2, 1.4, 1.3, 1.2, 1.2, 1.2, 1.3,
                    1.4, 1.5, 1.6, 1.5, 1.1, .6])

# (id, what really happened: the generator's truth, never a column of the data)
SCENARIOS = (
    ("INC1", "과다 발송 후 차단 급증"),
    ("INC2", "이벤트 당첨 안내 오발송"),
    ("INC3", "제품 관련 루머 확산"),
    ("INC4", "이벤트 경품 중복 발송"),
)
# Hour of day (on day 8) the incident may begin, per scenario: [from, to).
ONSET_HOURS = {"INC1": (9, 12), "INC2": (10, 19), "INC3": (8, 22), "INC4": (15, 19)}
# What the post-mortem found (the text of the 사건 시작 row).
FOUND = {
    "INC1": "마케팅 자동화 설정 실수로 같은 광고 메시지가 하루에 네 번 전체 친구에게 예약됨",
    "INC2": "이벤트 추첨 시스템 오류로 낙첨자에게 당첨 안내 메시지가 나감",
    "INC3": "지역 맘카페에 '{item}에서 유해물질이 나왔다'는 근거 없는 글이 올라옴",
    "INC4": "물류 시스템 오류로 이벤트 경품이 일부 당첨자에게 두 번 출고됨",
}

COMPLAINTS = {
    "INC1": ("하루에 메시지를 몇 번이나 보내요?", "알림이 계속 와서 차단합니다", "광고 그만 좀 보내세요",
             "아까 온 거랑 똑같은 메시지가 또 왔어요", "메시지 폭탄이네요 진짜"),
    "INC2": ("당첨됐다고 해서 좋아했는데 취소라니요?", "당첨 메시지 받았는데 경품 어떻게 받아요?",
             "저도 당첨 문자 받았어요, 진짜 당첨 맞나요?", "오발송이면 보상해 주셔야죠", "장난하세요? 당첨 취소가 말이 돼요?",
             "친구들도 다 당첨 문자 받았다는데 사기 아닌가요"),
    "INC3": ("{item}에서 유해물질 나왔다는 글 봤는데 사실인가요?", "회사 곧 망한다는 소문 있던데 환불 받을 수 있나요?",
             "{item} 쓰면 안 된다는 얘기 돌던데 진짜예요?", "맘카페에서 {item} 리콜한다고 하던데요",
             "유해물질 검출 기사 링크 받았어요, 해명해 주세요"),
    "INC4": ("경품이 두 개 왔어요, 하나 돌려보내야 하나요?", "같은 경품이 또 배송됐어요", "중복으로 온 거 반품 어떻게 해요?",
             "저는 아직 하나도 못 받았는데 다른 사람은 두 개 받았다네요", "경품 두 번 온 것 같아요"),
}


def _scenario_label(start_day: int) -> str:
    first = P.START + np.timedelta64(start_day, "D")
    last = first + np.timedelta64(DAYS_PER_SCENARIO - 1, "D")
    return f"{str(first)[5:7].lstrip('0')}월 {str(first)[8:10].lstrip('0')}일~" \
           f"{str(last)[5:7].lstrip('0')}월 {str(last)[8:10].lstrip('0')}일 모니터링"


def make_incidents(rng: np.random.Generator, active_friend_index: np.ndarray) -> list[dict]:
    """Long-format rows: one per hourly count, message send, chat or affected friend.

    Each scenario is drawn again (from the same generator, so a seed's files stay the same) until the lessons' story
    holds on it: see ``story_problems``.
    """
    rows: list[dict] = []
    for number, (scenario_id, _truth) in enumerate(SCENARIOS):
        for _attempt in range(MAX_DRAWS):
            drawn, facts = _draw_scenario(rng, number, scenario_id, active_friend_index)
            if not story_problems(scenario_id, **facts):
                break
        else:
            raise RuntimeError(f"{scenario_id}: {MAX_DRAWS}번 다시 뽑아도 수업의 이야기가 맞지 않아요: "
                               f"{story_problems(scenario_id, **facts)}")
        rows.extend(drawn)
    rows.sort(key=lambda r: (r["scenario_id"], r["at_s"], r["kind"]))
    return rows


MAX_DRAWS = 50
MARGIN = 0.10  # the severity level holds when a measure moves by this share


def story_problems(scenario_id: str, blocks: np.ndarray, complaints: np.ndarray, onset: int,
                   affected: int) -> list[str]:
    """What the crisis lessons say of every scenario, checked on one draw (empty when all of it holds).

    advanced/03: the quiet week never crosses a limit; the first alert comes at or after the hour the incident began
    (never a false alarm before it, never no alert at all); over-sending crosses the block limit first, every other
    crisis the complaint limit first; a limit taken over all 14 days is higher than the quiet week's (the incident's
    complaints pull it up: the lesson's common mistake must show); the severity level stays the same when either measure moves by 10 %, so it is
    the scenario's own and not a coin toss at a threshold; the rumor (INC3) costs friends (excess blocks at least 55)
    and the duplicate parcels (INC4) do not (under 45). advanced/04: daily blocks are back under the quiet week's
    limit before the record ends; each crisis rises well above its quiet week within two days and has faded by the
    last two days (blocks for INC1, complaint chats for the others).
    """
    problems = []
    block_over, complaint_over = monitor.over_each(blocks, complaints)
    over = block_over | complaint_over
    if over[:monitor.QUIET_HOURS].any():
        problems.append("조용한 주에 한계를 넘은 시간이 있어요")
    alert = monitor.first_hour(over)
    if alert is None:
        problems.append("사건 주에 경보가 울리지 않아요")
    elif alert < onset:
        problems.append("사건이 시작되기 전에 경보가 울려요")
    first_blocks, first_complaints = monitor.first_hour(block_over), monitor.first_hour(complaint_over)
    if scenario_id == "INC1" and not _earlier(first_blocks, first_complaints):
        problems.append("과다 발송인데 차단보다 항의 채팅이 먼저 한계를 넘어요")
    if scenario_id != "INC1" and not _earlier(first_complaints, first_blocks):
        problems.append("항의 채팅보다 차단이 먼저 한계를 넘어요")
    quiet_limit = monitor.complaint_limit(np.asarray(complaints)[:monitor.QUIET_HOURS])
    if monitor.complaint_limit(complaints) <= quiet_limit:
        problems.append("14일 전체로 잡은 항의 한계가 조용한 주의 한계보다 높지 않아요")
    excess = monitor.excess_blocks(blocks)
    if abs(excess) < 2:  # advanced/03's mistake of a 14-day baseline halves the excess: it must show
        problems.append(f"초과 차단이 0에 가까워 반으로 줄어도 같아 보여요 (초과 차단 {excess}명)")
    level = monitor.severity(affected, excess)
    wobble = MARGIN * max(abs(excess), monitor.EXCESS_LEVELS[1])
    if any(monitor.severity(a, e) != level for a in (affected * (1 - MARGIN), affected * (1 + MARGIN))
           for e in (excess - wobble, excess, excess + wobble)):
        problems.append(f"심각도가 경계에 걸려 있어요 (영향 친구 {affected}명, 초과 차단 {excess}명)")
    if scenario_id == "INC3" and excess < (1 + MARGIN) * monitor.EXCESS_LEVELS[1]:
        problems.append(f"루머가 친구를 잃게 하지 않아요 (초과 차단 {excess}명)")
    if scenario_id == "INC4" and excess >= (1 - MARGIN) * monitor.EXCESS_LEVELS[1]:
        problems.append(f"중복 경품이 차단을 부른 것처럼 보여요 (초과 차단 {excess}명)")
    daily_blocks = np.asarray(blocks).reshape(DAYS_PER_SCENARIO, 24).sum(axis=1)
    # the lessons' plot of the crisis rising and fading: blocks for over-sending, complaint chats for the others
    by_day = (daily_blocks if scenario_id == "INC1" else
              np.asarray(complaints).reshape(DAYS_PER_SCENARIO, 24).sum(axis=1)).astype(float)
    quiet_days = by_day[:QUIET_DAYS]
    ceiling = quiet_days.mean() + 3 * max(quiet_days.std(ddof=1), np.sqrt(quiet_days.mean()))
    if not by_day[QUIET_DAYS:QUIET_DAYS + 2].max() > ceiling:
        problems.append("사건 첫 이틀이 조용한 주보다 뚜렷이 높지 않아요")
    if not by_day[-2:].mean() < ceiling:
        problems.append("기록 마지막 이틀까지 사건이 가라앉지 않아요")
    if monitor.days_back(daily_blocks, QUIET_DAYS) is None:
        problems.append("기록이 끝날 때까지 차단이 평소 수준으로 돌아오지 않아요")
    return problems


def _earlier(hour: int | None, other: int | None) -> bool:
    """``hour`` comes, and strictly before ``other`` (which may never come)."""
    return hour is not None and (other is None or hour < other)


def _draw_scenario(rng: np.random.Generator, number: int, scenario_id: str,
                   active_friend_index: np.ndarray) -> tuple[list[dict], dict]:
    """One scenario's rows, and the facts its story is checked on."""
    rows: list[dict] = []
    scale = max(len(active_friend_index), 1) / 6_000  # counts grow with the channel
    n_active = len(active_friend_index)
    start_day = FIRST_DAY + DAYS_PER_SCENARIO * number
    start_s = start_day * P.DAY
    name = _scenario_label(start_day)
    onset = QUIET_DAYS * 24 + int(rng.integers(*ONSET_HOURS[scenario_id]))
    hours = np.arange(HOURS)
    shape = DIURNAL[hours % 24]
    since = np.clip(hours - onset, 0, None)
    after = hours >= onset
    block_rate = 1.4 * scale * shape
    chat_rate = 0.9 * scale * shape
    complaint_rate = 0.12 * scale * shape

    def row(hour: int, kind: str, count=None, text=None, friend=None, minute: int = 0) -> None:
        rows.append({"scenario_id": scenario_id, "scenario": name,
                     "at_s": start_s + hour * P.HOUR + minute * 60, "kind": kind,
                     "count": count, "text": text, "friend_index": friend})

    def mishap(hour: int, kind: str, text: str, each_kind: str, size_range: tuple[int, int]) -> int:
        """One mistaken send to many friends: a summary row, then a row per affected friend; returns how many."""
        size = min(n_active, int(rng.integers(*size_range) * scale) + 1)
        affected = np.sort(rng.choice(active_friend_index, size=size, replace=False))
        row(hour, kind, len(affected), text)
        for friend in affected:
            row(hour, each_kind, 1, None, int(friend))
        return len(affected)

    affected = n_active if scenario_id == "INC1" else 0  # friends who got the wrong thing (over-sending: everyone)

    found = FOUND[scenario_id].format(item=ITEMS[int(rng.integers(len(ITEMS)))])
    minute = int(rng.integers(0, 10))  # a rumor is posted some minutes into the hour;
    row(onset, "사건 시작", None, found, None, minute if scenario_id == "INC3" else 0)  # a mistaken send starts it at :00
    if scenario_id == "INC1":
        # The same ad four times in one day; fatigue keeps friends blocking for days.
        for k, gap in enumerate((0, 3, 6, 9)):
            row(onset + gap, "메시지 발송", n_active, f"(광고) 오늘만 특가 {k + 1}탄")
        sent = sum(hours >= onset + gap for gap in (0, 3, 6, 9))
        block_rate = block_rate + after * scale * (2.5 * sent * np.exp(-since / 6.0) + 4.0 * np.exp(-since / 36.0)) * shape
        complaint_rate = complaint_rate + after * 1.6 * scale * np.exp(-since / 12.0) * shape
    elif scenario_id == "INC2":
        affected = mishap(onset, "메시지 발송", "축하합니다! 가을 감사 이벤트에 당첨되셨어요", "오발송 수신",
                          (900, 1_300))
        complaint_rate = complaint_rate + after * 7.0 * scale * np.exp(-since / 10.0) * np.maximum(shape, 0.5)
        chat_rate = chat_rate + after * 5.0 * scale * np.exp(-since / 10.0) * np.maximum(shape, 0.5)
        block_rate = block_rate + after * 2.0 * scale * np.exp(-since / 18.0) * shape
    elif scenario_id == "INC3":
        # A rumor grows for a day and a half, then fades slowly.
        wave = after * np.minimum(since / 36.0, 1.0) * np.exp(-np.clip(since - 36, 0, None) / 30.0)
        complaint_rate = complaint_rate + wave * 2.4 * scale * shape
        chat_rate = chat_rate + wave * 2.0 * scale * shape
        block_rate = block_rate + wave * 1.6 * scale * shape
    elif scenario_id == "INC4":
        affected = mishap(onset, "중복 발송", "이벤트 경품 택배 출고 (시스템 오류로 같은 경품이 두 번 출고됨)",
                          "중복 수령", (250, 400))
        # Parcels arrive from 9 a.m. the next day.
        arrival = (onset // 24 + 1) * 24 + 9
        arrived = (hours >= arrival) * np.exp(-np.clip(hours - arrival, 0, None) / 16.0)
        complaint_rate = complaint_rate + arrived * 2.5 * scale * np.maximum(shape, 0.5)
        chat_rate = chat_rate + arrived * 3.0 * scale * np.maximum(shape, 0.5)

    blocks = rng.poisson(block_rate)
    complaints = rng.poisson(complaint_rate)
    ordinary = rng.poisson(chat_rate)
    for hour in hours:
        row(int(hour), "시간별 차단", int(blocks[hour]))
        row(int(hour), "시간별 채팅", int(ordinary[hour] + complaints[hour]))
        row(int(hour), "시간별 항의 채팅", int(complaints[hour]))
        # The chat texts a monitor would read: every complaint, and a sample of ordinary chats.
        for _ in range(int(complaints[hour])):
            pool = COMPLAINTS[scenario_id] if hour >= onset and rng.random() < 0.85 else INQUIRIES["불만·항의"]
            template = pool[int(rng.integers(len(pool)))]
            row(int(hour), "채팅", None, template.format(item=ITEMS[int(rng.integers(len(ITEMS)))]),
                int(rng.choice(active_friend_index)), int(rng.integers(60)))
        for _ in range(min(int(ordinary[hour]), 4)):
            intent = P.INTENTS[int(rng.integers(len(P.INTENTS) - 1))]
            template = INQUIRIES[intent][int(rng.integers(len(INQUIRIES[intent])))]
            row(int(hour), "채팅", None, template.format(item=ITEMS[int(rng.integers(len(ITEMS)))]),
                int(rng.choice(active_friend_index)), int(rng.integers(60)))
    return rows, {"blocks": blocks, "complaints": complaints, "onset": onset, "affected": affected}
