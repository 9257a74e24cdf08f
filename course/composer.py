"""A message composer that follows the 관리자센터's flow: type → content → buttons → target → 광고 표기 → schedule →
a preview like the phone shows. Pure Python, no widgets: ``course.widgets.composer_widget`` is its front end.

    draft = Draft(msg_type="와이드 이미지형", text="가을 정기 세일, 거실 소품 최대 30% 할인", buttons=["세일 보기"],
                  target="친구그룹", group_size=3200, is_ad=True, send_at="2026-10-14 12:00")
    problems(draft, now="2026-10-13 09:00")   # [] when the platform and the law would take it
    print(preview(draft, channel="소소리빙"))

Every limit comes from ``course.platform`` (with its source). A problem is a ``Problem(step, rule, message)`` with a
Korean message that says what to change; a warning (``level="주의"``) does not stop a send but is worth a look,
e.g. text that reads like an ad without the ad setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .platform import in_ad_night, value

STEPS = ("유형", "내용", "버튼", "대상", "광고 표기", "예약", "미리보기")
TYPES = ("기본 텍스트형", "와이드 이미지형", "와이드 리스트형", "캐러셀형")
TARGETS = ("전체", "친구그룹", "타깃 조건")
TEXT_LIMITS = {"기본 텍스트형": value("기본 텍스트형 글자 수"), "와이드 이미지형": value("와이드 이미지형 글자 수")}
ITEM_RANGES = {"와이드 리스트형": value("와이드 리스트 항목 수"), "캐러셀형": value("캐러셀 카드 수")}
BUTTON_NAME_MAX = value("버튼 이름 글자 수")
AD_LABEL = value("광고 표기")
PLATFORM_NIGHT = value("야간 광고 (플랫폼)")  # the platform takes no ad send in this window (stricter than the law)
PRICE_RANGE = value("채널 메시지 단가")
AD_WORDS = ("할인", "쿠폰", "세일", "특가", "이벤트", "적립", "무료 배송", "혜택", "증정", "1+1", "%")
"""Words that make a message read as 광고성 (an offer, a discount, an event), as the KISA guide describes 광고성 정보."""


@dataclass
class Draft:
    msg_type: str = "기본 텍스트형"
    text: str = ""
    items: list[str] = field(default_factory=list)  # 와이드 리스트 items or carousel cards (their titles)
    buttons: list[str] = field(default_factory=list)
    target: str = "전체"
    group_size: int | None = None  # recipients: the group's or the condition's size (전체: the friend count)
    is_ad: bool = False
    send_at: str = ""  # "YYYY-MM-DD HH:MM" (KST); "" = send now


@dataclass(frozen=True)
class Problem:
    step: str
    rule: str
    message: str
    level: str = "오류"  # "오류" stops the send, "주의" is a warning


def reads_like_ad(text: str) -> bool:
    return any(word in text for word in AD_WORDS)


def in_platform_night(moment: pd.Timestamp) -> bool:
    return bool(in_ad_night(moment.hour * 60 + moment.minute))


def problems(draft: Draft, now: str | pd.Timestamp | None = None) -> list[Problem]:
    """Everything the platform or the law would refuse (오류) and what is worth a second look (주의), step by step."""
    found: list[Problem] = []
    if draft.msg_type not in TYPES:
        found.append(Problem("유형", "유형", f"'{draft.msg_type}'는 메시지 유형이 아니에요. 고를 수 있는 유형: {', '.join(TYPES)}"))
        return found
    text = draft.text or ""
    if not text.strip() and draft.msg_type in TEXT_LIMITS:
        found.append(Problem("내용", "본문", "본문이 비어 있어요."))
    limit = TEXT_LIMITS.get(draft.msg_type)
    if limit is not None and len(text) > limit:
        found.append(Problem("내용", "글자 수", f"{draft.msg_type} 본문은 {limit:,}자까지예요. 지금 {len(text):,}자라 "
                                            f"{len(text) - limit:,}자를 줄여요."))
    if draft.msg_type in ITEM_RANGES:
        low, high = ITEM_RANGES[draft.msg_type]
        if not low <= len(draft.items) <= high:
            unit = "카드" if draft.msg_type == "캐러셀형" else "항목"
            found.append(Problem("내용", "항목 수", f"{draft.msg_type}은 {unit} {low}~{high}개예요. 지금 {len(draft.items)}개예요."))
    for name in draft.buttons:
        if not name.strip():
            found.append(Problem("버튼", "버튼 이름", "이름이 빈 버튼이 있어요."))
        elif len(name) > BUTTON_NAME_MAX:
            found.append(Problem("버튼", "버튼 이름", f"버튼 이름 '{name}': {len(name)}자예요. {BUTTON_NAME_MAX}자까지 줄여요."))
    if draft.target not in TARGETS:
        found.append(Problem("대상", "대상", f"대상은 {', '.join(TARGETS)} 중 하나예요."))
    elif draft.target != "전체" and not draft.group_size:
        found.append(Problem("대상", "대상 인원", f"{draft.target}의 인원이 없어요. 0명에게는 보낼 수 없어요."))
    if AD_LABEL in text or "[광고]" in text:
        found.append(Problem("광고 표기", "광고 표기", "본문에 광고 표기를 직접 쓰지 않아요. 광고 설정을 켜면 카카오가 맨 앞에 "
                                                  "(광고)를, 끝에 수신 거부 방법을 붙여요.",
                             level="주의" if draft.is_ad else "오류"))
    if not draft.is_ad and reads_like_ad(text + " " + " ".join(draft.items)):
        words = ", ".join(w for w in AD_WORDS if w in text)
        found.append(Problem("광고 표기", "광고성", f"할인·쿠폰·이벤트 같은 말({words})이 있어요. 광고성이면 광고로 "
                                                 "설정하세요 (광고를 정보성으로 보내면 법 위반이에요).", level="주의"))
    if draft.send_at:
        try:
            moment = pd.Timestamp(draft.send_at)
        except (ValueError, TypeError):
            found.append(Problem("예약", "예약 시각", f"예약 시각 '{draft.send_at}'을 읽지 못했어요. 예: 2026-10-14 12:00"))
            return found
        if now is not None and moment <= pd.Timestamp(now):
            found.append(Problem("예약", "예약 시각", "예약 시각이 이미 지났어요. 보낸 메시지는 되돌릴 수 없으니 시각을 다시 봐요."))
        if draft.is_ad and in_platform_night(moment):
            start, end = PLATFORM_NIGHT
            found.append(Problem("예약", "야간 발송", f"광고는 {start}부터 다음 날 {end}까지 보낼 수 없어요 (카카오 플랫폼; 법의 야간 "
                                                  f"21:00보다 먼저 막아요). {end}부터 {start} 전 사이로 옮겨요."))
    return found


def recipients(draft: Draft, friends: int) -> int:
    return int(friends if draft.target == "전체" else (draft.group_size or 0))


def cost_range(draft: Draft, friends: int) -> tuple[int, int]:
    """What the send costs at the published price range (원)."""
    low, high = PRICE_RANGE
    people = recipients(draft, friends)
    return people * low, people * high


def preview(draft: Draft, channel: str = "내 채널") -> str:
    """The message as the phone shows it, in plain text."""
    lines = [f"[{channel}]"]
    body = (f"{AD_LABEL} " if draft.is_ad else "") + (draft.text or "")
    lines += body.splitlines() or [""]
    for item in draft.items:
        lines.append(f"  · {item}")
    for name in draft.buttons:
        lines.append(f"[ {name} ]")
    if draft.is_ad:
        lines.append("수신 거부: 채널 홈 > 채널 차단")
    when = f"{draft.send_at} 예약" if draft.send_at else "지금 보내기"
    lines.append(f"— {draft.target}{f' {draft.group_size:,}명' if draft.group_size else ''} · {when}")
    return "\n".join(lines)


# ----- a brief and its rubric (beginner/03, 문제 7) -----------------------------------------------------------------

@dataclass(frozen=True)
class Brief:
    """What the team asks for: the offer the copy must carry, who gets it, and when it goes out."""

    name: str
    offer: tuple[str, ...]  # words the copy must carry: the offer first, then its end date
    target: str
    group_size: int | None
    window: tuple[str, str]  # send from, to (KST, "YYYY-MM-DD HH:MM"; the end not included)
    now: str  # when the draft is written (a schedule before it has passed)
    first_line_max: int = 20  # 과정 규칙: a notification and the chat list show only the start


BRIEFS = {
    "가을 정기 세일": Brief("가을 정기 세일", offer=("30%", "18일"), target="친구그룹", group_size=3200,
                      window=("2026-10-12 11:00", "2026-10-12 13:00"), now="2026-10-11 10:00"),
}


@dataclass(frozen=True)
class Criterion:
    item: str
    met: bool
    message: str  # what to change, when not met


def rubric(draft: Draft, brief: Brief) -> list[Criterion]:
    """The brief's seven checks of a draft: the platform's and the law's rules, then the copy."""
    text = draft.text or ""
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    errors = [p for p in problems(draft, now=brief.now) if p.level == "오류"]
    start, end = brief.window
    try:
        on_time = bool(draft.send_at) and pd.Timestamp(start) <= pd.Timestamp(draft.send_at) < pd.Timestamp(end)
    except (ValueError, TypeError):
        on_time = False
    return [
        Criterion("보낼 수 있음", not errors, errors[0].message if errors else ""),
        Criterion("광고 설정", draft.is_ad, "할인을 알리는 메시지는 광고예요. is_ad=True로 광고 설정을 켜요."),
        Criterion("대상", draft.target == brief.target and draft.group_size == brief.group_size,
                  f"대상은 {brief.target} {brief.group_size:,}명이에요 (target, group_size)."),
        Criterion("예약 시각", on_time, f"예약은 {start}부터 {end[-5:]} 전까지예요 (send_at)."),
        Criterion("혜택", all(word in text for word in brief.offer),
                  f"본문에 혜택과 끝나는 날({', '.join(brief.offer)})이 모두 있어야 해요."),
        Criterion("첫 줄", brief.offer[0] in first_line and len(first_line) <= brief.first_line_max,
                  f"첫 줄은 {brief.first_line_max}자 안에서 혜택({brief.offer[0]})부터 말해요. 알림과 채팅 목록에는 앞부분만 보여요."),
        Criterion("버튼", 1 <= len(draft.buttons) <= 2, "누를 곳이 분명하게 버튼을 하나(많아야 둘) 달아요."),
    ]


def draft_form(draft) -> str:
    """A draft as data (JSON of its fields): what is checked and graded, wherever the draft was made."""
    import json  # noqa: PLC0415

    fields = ("msg_type", "text", "items", "buttons", "target", "group_size", "is_ad", "send_at")
    data = {name: getattr(draft, name) for name in fields}
    data["items"], data["buttons"] = [str(x) for x in data["items"]], [str(x) for x in data["buttons"]]
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def draft_from_form(form: str) -> Draft:
    import json  # noqa: PLC0415

    return Draft(**json.loads(form))
