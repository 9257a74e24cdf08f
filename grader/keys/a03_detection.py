"""Keys for advanced/03_crisis_detection (위기 감지): control limits on a quiet week, the first alert, time to detect,
keyword monitoring of chats, the type and the severity of each crisis scenario.

The lesson works INC1 as its example; the graded questions read INC2, INC3 and INC4. Every scenario is 14 days
long: hours 0-167 are the quiet week (the baseline), hours 168-335 the incident week. The rules, stated once in the
lesson:

- 차단 한계 (per hour of day h): λ_h = mean of the quiet week's blocks at hours of day h-2 … h+2 (wrapping around
  midnight; 5 hours × 7 days = 35 values); limit = ``scipy.stats.poisson.ppf(0.9999, λ_h)``.
- 항의 채팅 한계 (one for the day): λ = mean complaint chats per hour over the 168 quiet hours; limit =
  ``poisson.ppf(0.9999, λ)``. (Per hour of day, most hours have λ = 0 and a limit of 0: one complaint would alarm.)
- 경보: the first hour from hour 168 on whose blocks or complaint chats are above (>) their limit.
- 감지 시간 = (alert hour + 1 h, when that hour's count is complete) − 사건 시작, in hours.
- 초과 차단 = blocks in the incident week − blocks in the quiet week.
- 키워드: spaces removed, a rumor word first ("루머"), else a complaint word ("항의"), else None.
- 심각도: SEV-1 if 영향 친구 ≥ 1,000 or 초과 차단 ≥ 200; SEV-2 if ≥ 100 or ≥ 50; else SEV-3; the higher level
  wins when the two measures disagree (PagerDuty: if unsure, the higher severity).

Alert hours have no value mistake: on INC2 every rule fires at the first flooded hour, so no mistaken rule differs in
every row on every seed (the hour-of-day slip is named instead).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course import load
from course.datagen import monitor

from . import question

GRADED = ("INC2", "INC3", "INC4")
QUIET_HOURS = 7 * 24
ALL_HOURS = 14 * 24
BLOCKS, COMPLAINTS, CHATS, ONSET = "시간별 차단", "시간별 항의 채팅", "채팅", "사건 시작"

RUMOR_WORDS = ("유해물질", "소문", "리콜", "맘카페", "망한다", "쓰면안된다")
COMPLAINT_WORDS = ("그만", "차단", "폭탄", "또왔", "사기", "장난", "취소", "보상", "오발송", "중복", "두개", "두번", "실망")
TYPES = ("과다 발송", "오발송", "루머", "중복 발송", "개인정보 유출", "서비스 장애")
AFFECTED_KINDS = ("오발송 수신", "중복 수령")


# ----- the hourly counts and the limits --------------------------------------------------------------------------

def _scenario(scenario_id: str) -> pd.DataFrame:
    incidents = load("incidents")
    return incidents[incidents["scenario_id"] == scenario_id]


def _start(scenario_id: str) -> pd.Timestamp:
    """The scenario's first hour: day 1, 00:00 KST."""
    return _scenario(scenario_id)["at"].min().normalize()


def _hours_since_start(scenario_id: str, at: pd.Series) -> pd.Series:
    return (at - _start(scenario_id)) / pd.Timedelta(hours=1)


def _counts(scenario_id: str, kind: str) -> np.ndarray:
    """Counts per hour number 0-335 (hour number = hours since the scenario's first day 00:00)."""
    rows = _scenario(scenario_id)
    rows = rows[rows["kind"] == kind]
    hour = _hours_since_start(scenario_id, rows["at"]).astype(int)
    counts = pd.Series(rows["count"].astype(int).to_numpy(), index=hour.to_numpy()).reindex(range(ALL_HOURS))
    assert counts.notna().all(), (scenario_id, kind)
    return counts.to_numpy()


def _complaint_limit(scenario_id: str, baseline_hours: int = QUIET_HOURS) -> float:
    return monitor.complaint_limit(_counts(scenario_id, COMPLAINTS)[:baseline_hours])


def _complaint_limit_3sigma(scenario_id: str) -> float:
    quiet = _counts(scenario_id, COMPLAINTS)[:QUIET_HOURS]
    return float(quiet.mean() + 3 * quiet.std(ddof=1))


def _over(scenario_id: str) -> np.ndarray:
    """Hour by hour 0-335: blocks above their hour-of-day limit, or complaint chats above theirs."""
    return monitor.over_hours(_counts(scenario_id, BLOCKS), _counts(scenario_id, COMPLAINTS))


def _alert_hour(scenario_id: str) -> int:
    hour = monitor.alert_hour(_counts(scenario_id, BLOCKS), _counts(scenario_id, COMPLAINTS))
    if hour is None:  # the generator redraws such a scenario; a cohort made otherwise cannot be graded on it
        raise ValueError(f"{scenario_id}: 사건 주에 한계를 넘은 시간이 없어 경보 문제를 채점할 수 없어요. "
                         "`python -m course.datagen`으로 데이터를 다시 만들어 주세요.")
    return hour


def _onset_hours(scenario_id: str) -> float:
    rows = _scenario(scenario_id)
    return float(_hours_since_start(scenario_id, rows.loc[rows["kind"] == ONSET, "at"]).iloc[0])


def _table(values) -> pd.Series:
    return pd.Series({scenario: values(scenario) for scenario in GRADED})


# ----- 문제 1: 항의 채팅 한계 ---------------------------------------------------------------------------------------

@question(
    "a03.complaint_limit", variable="complaint_limit", kind="table", decimals=1,
    hint="2절의 inc1_hourly(시간 번호 × 종류 표), complaint_lambda, inc1_complaint_limit을 시나리오마다 되풀이해요. 시간 번호는 그 "
         "시나리오 첫날 0시(at의 min().normalize())부터 세고, loc[0:167]의 시간별 항의 채팅 평균 λ 하나를 poisson.ppf(0.9999, λ)에 "
         "넣어요.",
    mistakes=(
        (lambda: _table(lambda s: _complaint_limit(s, ALL_HOURS)),
         "14일 전체로 기준선을 잡았어요. 사건 주의 항의가 평균을 끌어올려 한계가 높아져요. 조용한 주(첫 7일)만 써요."),
        (lambda: _table(_complaint_limit_3sigma),
         "평균 + 3 × 표준편차로 한계를 정했어요. 건수는 포아송 분포로 보고 poisson.ppf(0.9999, λ)를 써요."),
    ),
    skills=("관리 한계",),
)
def complaint_limit() -> pd.Series:
    return _table(_complaint_limit)


# ----- 문제 2: 첫 경보 시간 -----------------------------------------------------------------------------------------

@question(
    "a03.alert_hour", variable="alert_hour", kind="table", decimals=1,
    hint="2절 예제의 block_limit(시각별 평균을 np.roll로 앞뒤 2시간씩 밀어 평균한 λ의 한계)과 inc1_over, idxmax()를 시나리오마다 되풀이해요. "
         "차단 한계는 그 시나리오의 조용한 주로 다시 구하고, 첫 경보는 loc[168:]에서 찾아요. 한계를 넘는 것은 같음이 아니라 큼(>)이에요.",
    mistakes=(
        (lambda: _table(lambda s: _alert_hour(s) % 24),
         "몇 시(0~23)인지만 적었어요. 시나리오 첫날 0시부터 센 시간 번호(168 이상)를 적어요."),
    ),
    skills=("경보", "관리 한계"),
)
def alert_hour() -> pd.Series:
    return _table(_alert_hour)


# ----- 문제 3: 감지 시간 --------------------------------------------------------------------------------------------

@question(
    "a03.detect_hours", variable="detect_hours", kind="table", decimals=2,
    hint="2절 예제의 inc1_began_no, inc1_detect와 같은 계산이에요. 사건 시작 시각의 시간 번호는 (그 시각 − 시나리오 첫날 0시) ÷ "
         "pd.Timedelta(hours=1)로 분까지 소수로 나와요. 첫 경보 시간 번호는 문제 2의 alert_hour를 써요.",
    mistakes=(
        (lambda: _table(lambda s: _alert_hour(s) - _onset_hours(s)),
         "경보 시간의 시작 시각에서 뺐어요. 한 시간의 건수는 그 시간이 끝나야(+1시간) 알 수 있어요."),
        (lambda: _table(lambda s: _alert_hour(s) + 1 - QUIET_HOURS),
         "조용한 주가 끝난 때(8일째 0시)부터 쟀어요. 감지 시간은 사건 시작 시각부터 재요."),
    ),
    skills=("감지 시간",),
)
def detect_hours() -> pd.Series:
    return _table(lambda s: _alert_hour(s) + 1 - _onset_hours(s))


# ----- 문제 4: 초과 차단 --------------------------------------------------------------------------------------------

def _excess_blocks(scenario_id: str) -> int:
    return monitor.excess_blocks(_counts(scenario_id, BLOCKS))


@question(
    "a03.excess_blocks", variable="excess_blocks", kind="table", decimals=1,
    hint="3절 예제의 inc1_excess를 시나리오마다 되풀이해요: 시간별 차단 표에서 loc[168:335]의 합계 − loc[0:167]의 합계예요 (loc은 끝 번호도 "
         "넣어요). 음수일 수도 있어요.",
    mistakes=(
        (lambda: _table(lambda s: int(_counts(s, BLOCKS)[QUIET_HOURS:].sum())),
         "사건 주의 차단을 모두 셌어요. 평소에도 생기는 차단(조용한 주의 합계)을 빼야 사건 때문에 늘어난 몫이에요."),
        (lambda: _table(lambda s: float(_counts(s, BLOCKS)[QUIET_HOURS:].sum() - _counts(s, BLOCKS).sum() / 2)),
         "14일 전체의 평균으로 평소 수준을 잡았어요. 사건 주가 평소 수준에 섞이면 초과분이 반으로 줄어요. 조용한 주만 써요."),
    ),
    skills=("심각도(SEV)",),
)
def excess_blocks() -> pd.Series:
    return _table(_excess_blocks)


# ----- 문제 5: 키워드 분류 ------------------------------------------------------------------------------------------

def _flag(text: str, *, strip_spaces: bool = True, complaint_first: bool = False, extra_rumor: tuple[str, ...] = ()):
    squeezed = "".join(text.split()) if strip_spaces else text
    rumor = any(word in squeezed for word in RUMOR_WORDS + extra_rumor)
    complaint = any(word in squeezed for word in COMPLAINT_WORDS)
    if complaint_first and complaint:
        return "항의"
    if rumor:
        return "루머"
    return "항의" if complaint else None


def _flag_with_spaces(text: str):
    return _flag(text, strip_spaces=False)


def _flag_complaint_first(text: str):
    return _flag(text, complaint_first=True)


def _flag_with_article(text: str):
    return _flag(text, extra_rumor=("기사",))


FLAG_EXAMPLES = (
    ("소문 문의", "회사 곧 망한다는 소문 있던데 사실이에요?"),
    ("띄어 쓴 루머 낱말", "머그컵에서 유해 물질 나왔다는 글 봤어요"),
    ("루머와 항의가 함께", "맘카페에서 리콜한다던데 환불 말고 보상은요? 사기 아닌가요"),
    ("띄어 쓴 항의 낱말", "같은 광고가 또 왔어요, 메시지 폭 탄이네요"),
    ("평범한 교환 문의", "교환 신청했는데 회수 기사님이 안 오셨어요"),
    ("평범한 배송 문의", "주문한 도마 언제 도착하나요?"),
)
FLAG_HIDDEN = (
    ("리콜", "러그 리콜 한다는 얘기 돌던데 진짜예요?"),
    ("쓰면 안 된다", "고양이 식기 쓰면 안 된다는 글 봤는데요"),
    ("루머 + 취소", "유해물질 검출 기사 봤어요, 주문 취소할게요"),
    ("중복", "경품이 중 복으로 왔어요"),
    ("두 개", "같은 경품이 두 개 왔어요"),
    ("두 번", "경품 두 번 온 것 같아요"),
    ("차단", "알림이 계속 와서 차단합니다"),
    ("그만", "광고 그만 좀 보내세요"),
    ("오발송", "오발송이면 보상해 주셔야죠"),
    ("장난", "장난하세요? 당첨 취소가 말이 돼요?"),
    ("실망", "쿠션 커버 품질이 너무 실망스러워요"),
    ("기사 링크", "기사 링크 받았는데 해명해 주세요"),
    ("기사님", "택배 기사님이 문 앞에 두고 가셨어요"),
    ("망한다", "회사 망한다던데 주문한 거 받을 수 있나요?"),
    ("평범한 쿠폰 문의", "이벤트 당첨자 발표 언제예요?"),
    ("빈 문자열", ""),
    ("폭탄", "메시지 폭탄이네요 진짜"),
    ("맘 카페", "맘 카페에서 봤는데 환불돼요?"),
)


@question(
    "a03.flag_chat", variable="flag_chat", kind="function",
    hint="4절 예제에서 squeezed(공백을 지운 글)를 만들고 np.where로 루머를 먼저, 그다음 항의를 본 순서를 글 하나에 옮겨요. 공백을 지운 글을 joined라 하면 "
         'any(word in joined for word in RUMOR_WORDS)이면 "루머", 아니면 COMPLAINT_WORDS로 같은 확인을 해 "항의", 둘 다 없으면 '
         "None을 돌려줘요.",
    mistakes=(
        (_flag_with_spaces, "공백을 지우지 않고 찾았어요. '유해 물질'처럼 띄어 쓴 글도 잡으려면 공백을 모두 지운 뒤에 찾아요."),
        (_flag_complaint_first, "항의 낱말을 먼저 봤어요. 루머 낱말이 있으면 항의 낱말이 함께 있어도 \"루머\"예요."),
        (_flag_with_article, "'기사'를 루머 낱말로 넣었어요. '회수 기사님'처럼 평범한 문의까지 루머로 잡혀요. 정해 둔 낱말 목록만 써요."),
    ),
    examples=FLAG_EXAMPLES, hidden=FLAG_HIDDEN,
    skills=("정밀도", "재현율"),
)
def flag_chat(text: str):
    return _flag(text)


# ----- 문제 6: 루머를 물어 온 친구 목록 -----------------------------------------------------------------------------

def _incident_week_chats(scenario_id: str) -> pd.DataFrame:
    rows = _scenario(scenario_id)
    rows = rows[rows["kind"] == CHATS]
    return rows[_hours_since_start(scenario_id, rows["at"]) >= QUIET_HOURS]


def _flagged_friends(scenario_id: str, labels: tuple[str, ...]) -> list[str]:
    chats = _incident_week_chats(scenario_id)
    flags = chats["text"].astype(str).map(_flag)
    return sorted(set(chats.loc[flags.isin(labels), "friend_id"].astype(str)))


@question(
    "a03.rumor_friends", variable="rumor_friends", kind="idset",
    hint='INC3의 줄은 incidents["scenario_id"] == "INC3", 채팅은 kind가 "채팅"인 줄이에요. 시간 번호 168은 첫날 0시(at의 '
         'min().normalize()) + pd.Timedelta(days=7)이에요. 그 줄의 text에 map(flag_chat)을 적용해 "루머"인 줄의 '
         "friend_id를 중복 없이 모아요.",
    mistakes=(
        (lambda: _flagged_friends("INC3", ("루머", "항의")),
         "항의로 분류된 채팅의 친구까지 넣었어요. 해명 메시지를 보낼 목록이라 \"루머\"로 분류된 채팅의 친구만 넣어요."),
    ),
    skills=("경보",),
)
def rumor_friends() -> list[str]:
    return _flagged_friends("INC3", ("루머",))


# ----- 문제 7: 위기 유형 --------------------------------------------------------------------------------------------

def _type(scenario_id: str) -> str:
    """The type read from the evidence a monitor has (never from the post-mortem row)."""
    rows = _scenario(scenario_id)
    kinds = set(rows["kind"].astype(str))
    if "오발송 수신" in kinds:
        return "오발송"
    if "중복 수령" in kinds:
        return "중복 발송"
    sends = rows[rows["kind"] == "메시지 발송"]
    if len(sends) > 1 and sends["at"].dt.normalize().nunique() == 1:
        return "과다 발송"
    flags = _incident_week_chats(scenario_id)["text"].astype(str).map(_flag)
    if (flags == "루머").sum() > (flags == "항의").sum():
        return "루머"
    return "서비스 장애"


@question(
    "a03.crisis_type", variable="crisis_type", kind="table",
    hint="시나리오마다 기록 종류(kind)와 채팅 내용을 살펴요. 누가 무엇을 잘못 받았는지, 같은 발송이 몇 번 나갔는지, "
         "채팅이 무엇을 묻는지가 증거예요. 목록의 낱말을 그대로 적어요.",
    skills=("심각도(SEV)",),
)
def crisis_type() -> pd.Series:
    return _table(_type)


# ----- 문제 8: 심각도 -----------------------------------------------------------------------------------------------

def _affected(scenario_id: str) -> int:
    """Friends who received the wrong thing: 오발송 수신 / 중복 수령 rows; for over-sending, the friends sent to."""
    rows = _scenario(scenario_id)
    wrong = rows["kind"].isin(AFFECTED_KINDS)
    if wrong.any():
        return int(rows.loc[wrong, "friend_id"].nunique())
    if _type(scenario_id) == "과다 발송":
        return int(rows.loc[rows["kind"] == "메시지 발송", "count"].max())
    return 0


@question(
    "a03.severity", variable="severity", kind="table",
    hint="5절의 INC1 예제(inc1_reached, by_reach, by_excess, 최종은 min)와 같은 규칙이에요. 영향 친구 수는 오발송 수신·중복 수령 줄의 "
         "friend_id를 시나리오마다 세고(한 친구는 한 번, INC3은 0명), 초과 차단은 문제 4의 excess_blocks를 써요.",
    skills=("심각도(SEV)",),
)
def severity() -> pd.Series:
    return _table(lambda s: monitor.severity(_affected(s), _excess_blocks(s)))
