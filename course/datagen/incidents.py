"""Crisis drill scenarios: 72 hours each, a quiet baseline, then the incident as a monitor sees it.

These timelines are simulated apart from the six-month channel log (they fall in November 2026,
after it) so the drills can be replayed without touching ``daily_stats``; their friend ids are
friends still on the channel at the end of the log.
"""

from __future__ import annotations

import numpy as np

from . import params as P
from .chats import INQUIRIES, ITEMS

HOURS = 72
FIRST_DAY = P.DAYS + 1  # 2026-11-02

# Hour-of-day shape of ordinary activity (index 0 = midnight).
DIURNAL = np.array([.3, .2, .15, .1, .1, .15, .3, .6, .9, 1.1, 1.2, 1.2, 1.4, 1.3, 1.2, 1.2, 1.2, 1.3,
                    1.4, 1.5, 1.6, 1.5, 1.1, .6])

SCENARIOS = (
    ("INC1", "과다 발송 후 차단 급증"),
    ("INC2", "이벤트 당첨 안내 오발송"),
    ("INC3", "제품 관련 루머 확산"),
    ("INC4", "이벤트 경품 중복 발송"),
)

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


def make_incidents(rng: np.random.Generator, active_friend_index: np.ndarray) -> list[dict]:
    """Long-format rows: one per hourly count, message send, chat or affected friend."""
    rows: list[dict] = []
    scale = max(len(active_friend_index), 1) / 6_000  # counts grow with the channel
    for number, (scenario_id, name) in enumerate(SCENARIOS):
        start_s = (FIRST_DAY + 7 * number) * P.DAY
        onset = int(rng.integers(40, 52))  # the incident starts after two quiet days
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

        n_active = len(active_friend_index)

        def mishap(hour: int, kind: str, text: str, each_kind: str, size_range: tuple[int, int]) -> None:
            """One mistaken send to many friends: a summary row, then a row per affected friend."""
            size = min(n_active, int(rng.integers(*size_range) * scale) + 1)
            affected = np.sort(rng.choice(active_friend_index, size=size, replace=False))
            row(hour, kind, len(affected), text)
            for friend in affected:
                row(hour, each_kind, 1, None, int(friend))

        if scenario_id == "INC1":
            for k, gap in enumerate((0, 2, 5)):
                row(onset + gap, "메시지 발송", n_active, f"(광고) 오늘만 특가 {k + 1}탄")
            block_rate = block_rate + after * 9.0 * scale * np.exp(-since / 8.0)
            complaint_rate = complaint_rate + after * 1.5 * scale * np.exp(-since / 10.0)
        elif scenario_id == "INC2":
            mishap(onset, "메시지 발송", "축하합니다! 가을 감사 이벤트에 당첨되셨어요", "오발송 수신", (900, 1_300))
            complaint_rate = complaint_rate + after * 7.0 * scale * np.exp(-since / 9.0)
            chat_rate = chat_rate + after * 6.0 * scale * np.exp(-since / 9.0)
            block_rate = block_rate + after * 1.5 * scale * np.exp(-since / 12.0)
        elif scenario_id == "INC3":
            growth = after * np.minimum(since / 18.0, 1.0)
            complaint_rate = complaint_rate + growth * 2.2 * scale * shape
            chat_rate = chat_rate + growth * 2.0 * scale * shape
            block_rate = block_rate + growth * 1.0 * scale * shape
        elif scenario_id == "INC4":
            mishap(onset, "중복 발송", "이벤트 경품 택배 출고 (시스템 오류로 같은 경품이 두 번 출고됨)", "중복 수령", (250, 400))
            # Parcels arrive from six hours after the mistaken dispatch.
            arrived = (hours >= onset + 6) * np.exp(-np.clip(hours - onset - 6, 0, None) / 10.0)
            complaint_rate = complaint_rate + arrived * 2.5 * scale
            chat_rate = chat_rate + arrived * 3.0 * scale

        blocks = rng.poisson(block_rate)
        complaints = rng.poisson(complaint_rate)
        ordinary = rng.poisson(chat_rate)
        for hour in hours:
            row(int(hour), "시간별 차단", int(blocks[hour]))
            row(int(hour), "시간별 채팅", int(ordinary[hour] + complaints[hour]))
            row(int(hour), "시간별 항의 채팅", int(complaints[hour]))
            # The chat texts a monitor would read: every complaint, and a sample of ordinary chats.
            for _ in range(int(complaints[hour])):
                template = COMPLAINTS[scenario_id][int(rng.integers(len(COMPLAINTS[scenario_id])))] if hour >= onset \
                    else INQUIRIES["불만·항의"][int(rng.integers(len(INQUIRIES["불만·항의"])))]
                row(int(hour), "채팅", None, template.format(item=ITEMS[int(rng.integers(len(ITEMS)))]),
                    int(rng.choice(active_friend_index)), int(rng.integers(60)))
            for _ in range(min(int(ordinary[hour]), 6)):
                intent = P.INTENTS[int(rng.integers(len(P.INTENTS) - 1))]
                template = INQUIRIES[intent][int(rng.integers(len(INQUIRIES[intent])))]
                row(int(hour), "채팅", None, template.format(item=ITEMS[int(rng.integers(len(ITEMS)))]),
                    int(rng.choice(active_friend_index)), int(rng.integers(60)))
    rows.sort(key=lambda r: (r["scenario_id"], r["at_s"], r["kind"]))
    return rows
