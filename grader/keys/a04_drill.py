"""Keys for advanced/04_crisis_drill (위기 대응 훈련): SCCT types and strategies, the INC2 wrong-winner send (affected
friends, compensation), the notice checker, FAQ templates, the drill's outcome on seeds, the INC1 post-mortem."""

from __future__ import annotations

import pandas as pd

from course import load
from course.datagen import monitor
from course.drills import AD_LABEL, NOTICE_KEYWORDS, SIMPLE_TEXT_MAX, run_drill

from . import question

# ----- 문제 1, 2: crisis type and primary strategy (fixed by what the post-mortem found) --------------

CLUSTERS = ("피해자형", "사고형", "예방 가능형")
STRATEGIES = ("부인", "축소", "재건", "강화")


@question(
    "a04.crisis_cluster", variable="crisis_cluster", kind="table",
    hint="1절의 post_mortem 표(사건 시작 줄의 scenario_id, at, text)에서 시나리오마다 원인을 읽어요. 사실이 아닌 소문이면 피해자형, 의도하지 않은 "
         "기술(시스템) 오류면 사고형, 사람의 실수·규칙 위반이면 예방 가능형이에요 (2절 example_cases의 두 예처럼).",
    skills=("심각도(SEV)",),
)
def crisis_cluster() -> pd.Series:
    return pd.Series({"INC1": "예방 가능형", "INC2": "사고형", "INC3": "피해자형", "INC4": "사고형"})


@question(
    "a04.primary_strategy", variable="primary_strategy", kind="table",
    hint="문제 1의 crisis_cluster에서 출발해 2절 결정표를 위에서부터 적용해요 (example_cases의 두 예처럼): 루머는 부인, 예방 가능형은 재건, 사고형은 "
         "잘못된 안내를 믿고 손해·실망을 겪은 친구(피해자)가 있으면 재건, 없으면 축소예요. 강화는 보조 전략이라 주 전략이 되지 않아요.",
    skills=("심각도(SEV)",),
)
def primary_strategy() -> pd.Series:
    return pd.Series({"INC1": "재건", "INC2": "재건", "INC3": "부인", "INC4": "축소"})


# ----- 문제 3, 4: the INC2 wrong-winner send ---------------------------------------------------------

SCENARIO = "INC2"
BASE_COUPON, CHAT_COUPON = 3_000, 2_000


def _inc2() -> pd.DataFrame:
    rows = load("incidents")
    return rows[rows["scenario_id"] == SCENARIO]


def _onset(rows: pd.DataFrame) -> pd.Timestamp:
    return rows.loc[rows["kind"] == "사건 시작", "at"].iloc[0]


def _chatters(after_onset: bool = True) -> set[str]:
    rows = _inc2()
    chats = rows[rows["kind"] == "채팅"]
    if after_onset:
        chats = chats[chats["at"] >= _onset(rows)]
    return set(chats["friend_id"].dropna())


@question(
    "a04.affected_friends", variable="affected_friends", kind="idset",
    hint='4절의 INC4 예제 double_parcels와 같은 방법이에요. incidents에서 scenario_id가 "INC2"인 줄만 남기고, kind가 "오발송 수신"인 '
         "줄의 friend_id를 set으로 모아요.",
    mistakes=(
        (lambda: set(_inc2()["friend_id"].dropna()),
         "채팅을 보낸 친구까지 넣었어요. 오발송을 받은 친구는 kind가 \"오발송 수신\"인 줄에만 있어요."),
        (lambda: affected_friends() & _chatters(),
         "오발송을 받고 채팅까지 한 친구만 골랐어요. 채팅을 하지 않았어도 오발송을 받았으면 피해를 본 친구예요."),
    ),
    skills=("심각도(SEV)",),
)
def affected_friends() -> set[str]:
    rows = _inc2()
    return set(rows.loc[rows["kind"] == "오발송 수신", "friend_id"])


@question(
    "a04.compensation_cost", variable="compensation_cost", kind="int",
    hint="4절의 INC4 예제(inc4_start, double_parcels, inc4_chatted, 겹침은 &)를 INC2로 되풀이해요. 사건 시작 시각 이상(>=)에 채팅한 "
         "친구를 set으로 모아 문제 3의 affected_friends와 겹치는 친구만 2,000원을 더해요. 채팅이 여러 번이어도 한 친구는 한 번이에요.",
    mistakes=(
        (lambda: BASE_COUPON * len(affected_friends()),
         "기본 쿠폰만 셌어요. 사건 시작 이후 채팅으로 문의한 친구에게는 2,000원을 더 줘요."),
        (lambda: BASE_COUPON * len(affected_friends()) + CHAT_COUPON * len(affected_friends() & _chatters(after_onset=False)),
         "사건 전 조용한 주의 채팅까지 셌어요. 추가 쿠폰은 사건 시작 시각 이후에 채팅한 친구만 받아요."),
        (lambda: BASE_COUPON * len(affected_friends()) + CHAT_COUPON * len(_chatters()),
         "오발송을 받지 않은 친구의 채팅까지 추가 쿠폰을 줬어요. 추가 쿠폰도 오발송을 받은 친구에게만 줘요."),
    ),
    skills=("심각도(SEV)",),
)
def compensation_cost() -> int:
    affected = affected_friends()
    return BASE_COUPON * len(affected) + CHAT_COUPON * len(affected & _chatters())


# ----- 문제 5: check_notice ------------------------------------------------------------------------

def _missing(text: str, *, length=len, ad_at_start_only: bool = False, strict: bool = False,
             first_word_only: bool = False) -> list[str]:
    """The lesson's rules; the keyword switches give the common mistakes."""
    missing = [part for part, words in NOTICE_KEYWORDS.items()
               if not any(word in text for word in (words[:1] if first_word_only else words))]
    has_label = text.lstrip().startswith(AD_LABEL) if ad_at_start_only else AD_LABEL in text
    if has_label:
        missing.append("(광고) 없음")
    size = length(text)
    if size >= SIMPLE_TEXT_MAX if strict else size > SIMPLE_TEXT_MAX:
        missing.append("1,000자 이하")
    return missing


def _bytes(text: str) -> list[str]:
    return _missing(text, length=lambda t: len(t.encode("utf-8")))


def _no_spaces(text: str) -> list[str]:
    return _missing(text, length=lambda t: len("".join(t.split())))


def _strict(text: str) -> list[str]:
    return _missing(text, strict=True)


def _ad_at_start(text: str) -> list[str]:
    return _missing(text, ad_at_start_only=True)


def _first_word(text: str) -> list[str]:
    return _missing(text, first_word_only=True)


APOLOGY = "이벤트 당첨 안내가 잘못 나가 혼란을 드려 정말 죄송합니다. "
CAUSE = "추첨 시스템 오류로 당첨되지 않은 친구분들께도 당첨 메시지가 발송되었습니다. "
NEXT = "앞으로 발송 전 검수 단계를 하나 더 두겠습니다. "
ASK = "궁금하신 점은 채팅 상담으로 문의해 주세요."
FULL = APOLOGY + CAUSE + NEXT + ASK


def _padded(text: str, size: int, filler: str = "가") -> str:
    """``text`` followed by ``filler`` characters up to exactly ``size`` characters."""
    return text + (filler * size)[:size - len(text)]


EXAMPLES = (
    ("네 부분을 모두 담은 400자 공지", _padded(FULL + "\n", 400, "다")),
    ("중간에 (광고)가 있고 문의처가 없는 공지", APOLOGY + CAUSE + "(광고) 사과의 뜻으로 할인 쿠폰을 드려요. " + NEXT),
    ("네 부분을 모두 담은 정확히 1,000자 공지", _padded(FULL + "\n", 1000)),
    ("띄어쓰기를 포함해 1,001자인 공지", _padded(FULL + "\n", 1001, "나 ")),
    ("'사과드립니다'로 사과하고 원인이 없는 공지", "혼란을 드려 사과드립니다. " + NEXT + ASK),
)

HIDDEN = (
    ("빈 문자열", ""),
    ("사과만 있는 짧은 공지", "죄송합니다."),
    ("네 부분을 모두 담은 짧은 공지", FULL),
    ("맨 앞에 (광고)가 있는 공지", AD_LABEL + " " + FULL),
    ("맨 끝에 (광고)가 있는 공지", FULL + " " + AD_LABEL),
    ("'[광고]'로 적은 공지 (규칙 위반 아님)", "[광고] " + FULL),
    ("정확히 1,000자, 띄어쓰기 없음", _padded(FULL, 1000)),
    ("1,001자, 띄어쓰기 없음", _padded(FULL, 1001)),
    ("띄어쓰기를 포함해 1,002자", _padded(FULL, 1002, " 라")),
    ("줄바꿈을 포함해 1,001자", _padded(FULL, 1001, "\n")),
    ("원인을 '때문에'로 쓴 공지", APOLOGY + "서버 점검 때문에 안내가 잘못 나갔어요. " + NEXT + ASK),
    ("향후 조치를 '재발'로 쓴 공지", APOLOGY + CAUSE + "재발하지 않도록 하겠습니다. " + ASK),
    ("향후 조치를 '예정'으로 쓴 공지", APOLOGY + CAUSE + "내일 정정 안내를 보낼 예정입니다. " + ASK),
    ("문의처를 '고객센터'로 쓴 공지", APOLOGY + CAUSE + NEXT + "고객센터 1588-0000으로 연락 주세요."),
    ("원인과 향후 조치가 빠지고 (광고)가 있는 1,200자 공지", _padded(AD_LABEL + " " + APOLOGY + ASK, 1200)),
    ("아무 부분도 없는 안내", "오늘 하루도 좋은 하루 보내세요!"),
)


@question(
    "a04.check_notice", variable="check_notice", kind="function",
    hint="5절 예제의 found_words처럼 NOTICE_KEYWORDS.items()를 돌며, 부분마다 any(word in text for word in words)가 "
         '거짓이면 그 부분의 코드를 담아요. "(광고)"는 AD_LABEL in text로 보고, 글자 수는 len(text) > SIMPLE_TEXT_MAX일 때만 어긴 거예요.',
    mistakes=(
        (_strict, "정확히 1,000자도 넘었다고 봤어요. 한도는 1,000자 '이하'라서 1,000자까지는 괜찮아요."),
        (_bytes, "글자 수를 바이트로 셌어요. simpleText의 한도는 글자(문자) 1,000자예요: len(text)로 세요."),
        (_ad_at_start, "\"(광고)\"가 맨 앞에 있을 때만 잡았어요. 위기 공지에는 어디에도 \"(광고)\"가 있으면 안 돼요."),
        (_no_spaces, "띄어쓰기와 줄바꿈을 빼고 셌어요. 공백과 줄바꿈도 한 글자예요."),
        (_first_word, "부분마다 키워드 목록의 첫 낱말만 확인했어요. 목록의 낱말 가운데 하나라도 있으면 그 부분이 있는 거예요."),
    ),
    examples=EXAMPLES, hidden=HIDDEN,
    skills=("광고 메시지",),
)
def check_notice(text: str) -> list[str]:
    return _missing(text)


# ----- 문제 6: FAQ templates ----------------------------------------------------------------------------

@question(
    "a04.faq_templates", variable="faq_templates", kind="table",
    hint="문의 유형마다 그 질문에 바로 답하는 템플릿 하나를 골라요. (광고)가 든 템플릿과 INC4(중복 배송)용 템플릿은 쓰지 않아요.",
    skills=("챗봇 처리율",),
)
def faq_templates() -> pd.Series:
    return pd.Series({"당첨 여부 확인": "R4", "경품 수령 문의": "R6", "보상 요구": "R5", "사기 의심": "R1", "취소 항의": "R3"})


# ----- 문제 7: the drill on seeds ------------------------------------------------------------------------

MANUAL_PATH = ("report_now", "notice_now", "rebuild", "fix_and_share")
SILENT_PATH = ("watch", "wait_for_cause", "diminish", "fix_quietly")
DRILL_SEEDS = range(1, 21)


def _saved(measure: str = "complaints", silent_first: bool = True) -> list[int]:
    saved = []
    for seed in DRILL_SEEDS:
        manual, silent = run_drill(SCENARIO, seed, MANUAL_PATH), run_drill(SCENARIO, seed, SILENT_PATH)
        difference = getattr(silent, measure) - getattr(manual, measure)
        saved.append(difference if silent_first else -difference)
    return saved


@question(
    "a04.complaints_saved", variable="complaints_saved", kind="number", decimals=1,
    hint="3절의 blocks_avoided(시드마다 slow_path 결과 − fast_path 결과)와 같은 틀이에요. 시드는 range(1, 21), 시나리오는 INC2, 읽는 "
         "값은 .blocks가 아니라 .complaints예요. 스무 개의 차이를 모아 평균을 내요.",
    mistakes=(
        (lambda: sum(_saved(silent_first=False)) / len(DRILL_SEEDS),
         "거꾸로 뺐어요. 줄어든 항의 수는 (지켜보고 기다리는 경로 − 매뉴얼 경로)라서 양수예요."),
        (lambda: sum(_saved("blocks")) / len(DRILL_SEEDS), "차단 수를 비교했어요. 문제는 항의 채팅(complaints)이에요."),
        (lambda: float(sum(_saved())), "스무 번의 합계를 냈어요. 시드 하나당 평균으로 나눠 주세요."),
    ),
    skills=("경보", "감지 시간"),
)
def complaints_saved() -> float:
    saved = _saved()
    return sum(saved) / len(saved)


# ----- 문제 8: post-mortem, days until INC1's blocks are back to baseline ---------------------------------

QUIET_DAYS = 7


def _daily_blocks(scenario: str) -> tuple[pd.Series, pd.Timestamp]:
    rows = load("incidents")
    rows = rows[rows["scenario_id"] == scenario]
    hourly = rows[rows["kind"] == "시간별 차단"]
    daily = hourly.groupby(hourly["at"].dt.normalize())["count"].sum().astype(int)
    return daily, _onset(rows).normalize()


def _days_back(scenario: str = "INC1", *, first_day_is_one: bool = False, all_days: bool = False) -> int:
    """Days from the incident day to the first later day d such that d and every later day of the record are at or
    below the limit (a dip followed by a higher day is not back yet); the record's length + 1 if the last day is above."""
    daily, incident_day = _daily_blocks(scenario)
    position = daily.index.get_loc(incident_day)
    days = monitor.days_back(daily.to_numpy(), position, quiet_days=len(daily) if all_days else QUIET_DAYS)
    if days is None:
        days = len(daily) - position  # the record's days after the incident + 1
    return days + 1 if first_day_is_one else days


@question(
    "a04.days_to_baseline", variable="days_to_baseline", kind="int",
    hint="7절의 INC3 예제(inc3_daily, inc3_limit, inc3_stays_below, inc3_back)를 INC1로 되풀이해요. 날짜별 합계는 "
         'groupby(...dt.date)["count"].sum(), 상한은 처음 7일(iloc[:7])로 구해요. 처음 상한 아래로 내려간 날(inc3_first_dip)이 '
         "아니라 그 뒤로 다시 넘지 않은 첫 날이에요.",
    mistakes=(
        (lambda: _days_back(first_day_is_one=True),
         "사건 날을 1일로 셌어요. 사건 날 다음 날이 1일째예요 (그날 − 사건 날)."),
        (lambda: _days_back(all_days=True),
         "14일 전체로 상한을 잡았어요. 사건 날과 그 뒤의 높은 날이 섞이면 상한이 올라가요. 상한은 조용한 7일로만 잡아요."),
    ),
    skills=("관리 한계",),
)
def days_to_baseline() -> int:
    return _days_back()
