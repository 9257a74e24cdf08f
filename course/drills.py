"""Crisis drill engine for advanced/04 (위기 대응 훈련): pure Python, no widgets, replayable.

A drill takes one scenario of the ``incidents`` table (INC1-INC4) and walks the learner through the
4-step manual after the incident has been noticed: 상황 파악·보고 → 공지 → 고객 응대 → 재발 방지. Each step
shows the situation (in Korean, with the scenario's own numbers) and a few choices. When the last choice is
made, a seeded simulation replays the scenario's hours from the moment it began to the end of its
monitoring period and scores the outcome: complaint chats, blocks and minutes from the alert to the first
public notice, with a short Korean debrief per step.

The drill's clock starts at the alert (경보 후 N분): it never shows the alert's clock time nor how long after
사건 시작 it fired. Those are what lesson 03 (위기 감지) asks the learner to compute, and the drill's own simple
alert rule often agrees with lesson 03's, so showing them would give lesson 03's answers away.

How the simulation works (so trainers can explain it):
- the scenario's recorded hourly counts are the course of the crisis with no good response; the quiet
  week gives the ordinary level for each hour of the day;
- the drill's monitoring alerts at the end of the first hour from the onset whose blocks or complaint chats
  beat the quiet week's hourly maximum (simpler than lesson 03's Poisson limits); that moment is minute 0;
- every choice moves the clock (report delay, time to prepare a notice) and scales the *excess* over
  the ordinary level from the moment it takes effect (a prompt honest notice cuts complaints, silence and
  an early "(광고)" promo make them worse, a strategy that fits the crisis works best, and the step-4 choice
  acts from the moment it is made, a day after the strategy);
- counts are drawn with common random numbers: one uniform number per hour from a generator seeded by
  ``(seed, scenario)``, turned into a Poisson count by its inverse CDF. The same seed and choices give
  exactly the same outcome, and on one seed a path with lower rates never scores more.

``run_drill(scenario, seed, choices)`` plays a whole drill headless (for the lesson and its grading);
``course.widgets.drill_widget`` is the clickable front-end over the same engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.stats import poisson

from .chatbot import SIMPLE_TEXT_MAX
from .data import current_data_dir, load
from .errors import CourseError
from .platform import value

MANUAL_STEPS = ("상황 파악·보고", "공지", "고객 응대", "재발 방지")
"""The 4-step crisis manual; a drill has one decision per step, in this order."""

SCENARIOS = ("INC1", "INC2", "INC3", "INC4")
HOURS_PER_DAY = 24
QUIET_DAYS = 7

# ----- the notice rules of the lesson (the learner's check_notice uses these) -----------------------

AD_LABEL = value("광고 표기")
NOTICE_KEYWORDS = {
    "사과": ("죄송", "사과"),
    "원인": ("원인", "때문", "오류로"),
    "향후 조치": ("앞으로", "재발", "조치", "예정"),
    "문의처": ("문의", "고객센터", "상담"),
}
"""Required parts of a crisis notice: the part counts as present when any of its words appears in the text."""

NOTICE_CODES = (*NOTICE_KEYWORDS, "(광고) 없음", "1,000자 이하")
"""Every requirement of a notice, by the code ``check_notice`` returns when it is not met."""

__all__ = ["MANUAL_STEPS", "SCENARIOS", "CHOICES", "AD_LABEL", "NOTICE_KEYWORDS", "NOTICE_CODES", "SIMPLE_TEXT_MAX",
           "Choice", "Step", "Outcome", "Drill", "DrillError", "run_drill"]


class DrillError(CourseError):
    """A drill used the wrong way: unknown scenario or choice, a choice after the end, an outcome too early."""

    title = "훈련을 진행할 수 없어요"


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True)
class Step:
    number: int  # 1-based
    manual_step: str
    situation: str
    choices: tuple[Choice, ...]

    def choice_ids(self) -> list[str]:
        return [choice.id for choice in self.choices]


@dataclass(frozen=True)
class Outcome:
    """How the drill ended: totals from the moment the incident began to the end of its monitoring period."""

    scenario: str
    seed: int
    choices: tuple[str, ...]
    complaints: int  # 항의 채팅 수
    blocks: int  # 차단 수
    minutes_to_first_notice: int  # 경보 → 첫 공지 (minutes from the alert, never from 사건 시작)
    debrief: tuple[str, ...]  # one Korean paragraph per manual step
    hourly_complaints: tuple[int, ...] = field(repr=False, default=())
    hourly_blocks: tuple[int, ...] = field(repr=False, default=())
    start: pd.Timestamp | None = field(repr=False, default=None)  # the hour the simulated counts begin

    def as_dict(self) -> dict[str, int]:
        return {"항의 채팅": self.complaints, "차단": self.blocks, "경보 후 첫 공지까지(분)": self.minutes_to_first_notice}

    def summary(self) -> str:
        lines = [f"[{self.scenario} · 시드 {self.seed}] 항의 채팅 {self.complaints}건, 차단 {self.blocks}건, "
                 f"경보 후 첫 공지까지 {self.minutes_to_first_notice}분"]
        lines += [f"{number}. {MANUAL_STEPS[number - 1]}: {text}" for number, text in enumerate(self.debrief, start=1)]
        return "\n".join(lines)


# ----- the choices and what they do ------------------------------------------------------------------

CHOICES: tuple[tuple[Choice, ...], ...] = (
    (Choice("report_now", "바로 책임자에게 보고하고, 남은 예약 발송과 자동화를 멈춘 뒤 대응팀을 모은다"),
     Choice("watch", "한 시간쯤 더 지켜보고 확실해지면 보고한다"),
     Choice("fix_alone", "보고 없이 혼자 원인을 찾아 조용히 해결해 본다")),
    (Choice("notice_now", "사과·원인·향후 조치·문의처를 담은 공지를 바로 올린다"),
     Choice("holding_reply", "\"확인 중입니다\"라는 짧은 안내만 먼저 올린다"),
     Choice("wait_for_cause", "원인을 100% 확인할 때까지 공지하지 않는다"),
     Choice("promo_message", "분위기를 바꾸려고 (광고) 할인 메시지를 먼저 보낸다")),
    (Choice("deny", "부인: 우리 잘못이 아니라고, 사실과 다르다고 밝힌다"),
     Choice("diminish", "축소: 의도하지 않은 오류였음을 설명하고 해결 방법을 안내한다"),
     Choice("rebuild", "재건: 사과하고 피해를 본 친구에게 보상한다"),
     Choice("bolster", "강화: 그동안 친구들과 쌓아 온 좋은 일들을 강조한다")),
    (Choice("fix_and_share", "원인을 고치고, 재발 방지 대책을 친구들에게 공지한다"),
     Choice("fix_quietly", "원인은 고치되 따로 알리지 않는다"),
     Choice("blame_person", "담당자를 문책하는 것으로 마무리한다")),
)

# All times are minutes from the alert (the end of the hour the drill's monitoring first fires).
# Minutes each step-1 choice takes before the team acts: base + a random part drawn from the seed.
REPORT_DELAY = {"report_now": (10, 10), "watch": (60, 30), "fix_alone": (120, 60)}
# Step 2: minutes to the first public word after the report (base, random part), and the complaint factor from then.
NOTICE_PLAN = {"notice_now": (20, 20), "holding_reply": (5, 10), "wait_for_cause": (720, 120), "promo_message": (360, 60)}
NOTICE_EFFECT = {"notice_now": 0.6, "holding_reply": 0.85, "wait_for_cause": 0.6, "promo_message": 0.85}
SILENCE_EFFECT = {"notice_now": 1.0, "holding_reply": 1.0, "wait_for_cause": 1.2, "promo_message": 1.35}
# Step 3: complaint factor of each strategy, per scenario (how well it fits what really happened).
STRATEGY_FIT = {
    "INC1": {"deny": 1.4, "diminish": 0.85, "rebuild": 0.5, "bolster": 1.15},
    "INC2": {"deny": 1.5, "diminish": 0.8, "rebuild": 0.5, "bolster": 1.2},
    "INC3": {"deny": 0.45, "diminish": 1.0, "rebuild": 1.15, "bolster": 0.9},
    "INC4": {"deny": 1.4, "diminish": 0.55, "rebuild": 0.65, "bolster": 1.1},
}
# Step 4 is chosen a day after the strategy reaches the friends; its factor on complaints and blocks acts from then on.
PREVENTION_DELAY = 24 * 60
PREVENTION_EFFECT = {"fix_and_share": 0.7, "fix_quietly": 0.9, "blame_person": 1.1}
PROMO_EXTRA_BLOCKS = 1.5  # an ad in the middle of a crisis: extra blocks, as many as 1.5 quiet days, over 6 hours


@dataclass(frozen=True, repr=False)
class Profile:
    """What the engine reads from the ``incidents`` table for one scenario.

    Its repr names the scenario only: the alert's hour is what lesson 03 asks for, so it is not shown by accident.
    """

    scenario: str
    start: pd.Timestamp  # first hour of the monitoring period
    onset: pd.Timestamp  # 사건 시작 (post-mortem record)
    onset_hour: int  # hour index of the onset within the period
    detect_hour: int  # first hour from the onset whose blocks or complaints beat the quiet week's maximum
    alert_minute: int  # minutes from ``start`` to the alert: the end of ``detect_hour`` (the drill's minute 0)
    blocks: np.ndarray
    complaints: np.ndarray
    ordinary_blocks: np.ndarray  # quiet-week mean per hour of day (24)
    ordinary_complaints: np.ndarray
    first_chat: str  # quoted at step 1
    later_chat: str  # quoted at step 3
    found: str
    quiet_daily_blocks: float

    def __repr__(self) -> str:
        return f"Profile({self.scenario!r})"


def _profile(scenario: str) -> Profile:
    folder = current_data_dir()
    path = folder / "incidents.csv"
    stat = path.stat() if path.is_file() else None
    return _cached_profile(scenario, str(folder), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)


@lru_cache(maxsize=32)
def _cached_profile(scenario: str, folder: str, mtime_ns: int, size: int) -> Profile:
    rows = load("incidents", folder)
    rows = rows[rows["scenario_id"] == scenario]
    start = rows["at"].min().floor("D")
    hour = ((rows["at"] - start) // pd.Timedelta(hours=1)).astype(int)
    n_hours = int(hour.max()) + 1

    def hourly(kind: str) -> np.ndarray:
        part = rows["kind"] == kind
        counts = np.zeros(n_hours)
        counts[hour[part].to_numpy()] = rows.loc[part, "count"].astype(float).to_numpy()
        return counts

    blocks, complaints = hourly("시간별 차단"), hourly("시간별 항의 채팅")
    quiet = QUIET_DAYS * HOURS_PER_DAY
    onset_row = rows[rows["kind"] == "사건 시작"].iloc[0]
    onset = onset_row["at"]
    onset_hour = int((onset - start) // pd.Timedelta(hours=1))
    above = (blocks > blocks[:quiet].max()) | (complaints > complaints[:quiet].max())
    later = np.flatnonzero(above[onset_hour:])
    detect_hour = onset_hour + (int(later[0]) if len(later) else int(np.argmax(complaints[onset_hour:])))
    first_chat, later_chat = _quoted_chats(rows, start, onset, start + pd.Timedelta(hours=detect_hour + 1))
    return Profile(
        scenario=scenario, start=start, onset=onset, onset_hour=onset_hour, detect_hour=detect_hour,
        alert_minute=(detect_hour + 1) * 60,
        blocks=blocks, complaints=complaints,
        ordinary_blocks=blocks[:quiet].reshape(QUIET_DAYS, HOURS_PER_DAY).mean(axis=0),
        ordinary_complaints=complaints[:quiet].reshape(QUIET_DAYS, HOURS_PER_DAY).mean(axis=0),
        first_chat=first_chat, later_chat=later_chat, found=str(onset_row["text"]),
        quiet_daily_blocks=float(blocks[:quiet].sum() / QUIET_DAYS),
    )


def _quoted_chats(rows: pd.DataFrame, start: pd.Timestamp, onset: pd.Timestamp, alert: pd.Timestamp) -> tuple[str, str]:
    """The two chats the drill quotes: texts written from the onset on that never appear in the quiet week.

    An ordinary inquiry ("매장 영업시간 알려주세요") also comes in during a crisis; a text seen in the quiet week is
    not the crisis's own words. Step 1 quotes the most frequent such text up to the alert (what the monitor has
    seen), step 3 the most frequent other one in the day after the alert; ties go to the text that sorts first.
    """
    chats = rows[rows["kind"] == "채팅"]
    quiet = set(chats.loc[chats["at"] < start + pd.Timedelta(days=QUIET_DAYS), "text"])
    crisis = chats[(chats["at"] >= onset) & ~chats["text"].isin(quiet)]

    def ranked(part: pd.DataFrame) -> list[str]:
        counts = part["text"].astype(str).value_counts()
        return sorted(counts.index, key=lambda text: (-counts[text], text))

    every = ranked(crisis) or ["(채팅 없음)"]
    seen = ranked(crisis[crisis["at"] < alert])
    first = seen[0] if seen else every[0]
    next_day = ranked(crisis[(crisis["at"] >= alert) & (crisis["at"] < alert + pd.Timedelta(days=1))])
    later = next((text for text in next_day + every if text != first), first)
    return first, later


# ----- the drill ----------------------------------------------------------------------------------

class Drill:
    """One crisis drill: ``Drill("INC2", seed=7)``, then ``choose(choice_id)`` once per step, then ``outcome()``."""

    def __init__(self, scenario: str, seed: int):
        if scenario not in SCENARIOS:
            raise DrillError(f"'{scenario}'라는 시나리오는 없어요. 쓸 수 있는 시나리오: {', '.join(SCENARIOS)}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise DrillError(f"시드는 0 이상의 정수로 넣어 주세요 (지금 넣은 값: {seed!r}).")
        self.scenario = scenario
        self.seed = int(seed)
        self.profile = _profile(scenario)
        rng = np.random.default_rng([self.seed, SCENARIOS.index(scenario)])
        # Every random number is drawn now, whatever the choices: two paths on one seed share their luck.
        self._jitter = rng.random(2)
        self._uniforms = rng.random((2, len(self.profile.blocks)))
        self.choices: list[str] = []
        self._outcome: Outcome | None = None

    # --- state ---
    @property
    def n_steps(self) -> int:
        return len(MANUAL_STEPS)

    @property
    def finished(self) -> bool:
        return len(self.choices) == self.n_steps

    @property
    def current(self) -> Step | None:
        """The step waiting for a choice (None when the drill is over)."""
        if self.finished:
            return None
        number = len(self.choices) + 1
        return Step(number, MANUAL_STEPS[number - 1], self._situation(number), CHOICES[number - 1])

    def choose(self, choice_id: str) -> Step | None:
        """Take ``choice_id`` at the current step; returns the next step (None after the last one)."""
        step = self.current
        if step is None:
            raise DrillError(f"훈련이 이미 끝났어요 ({self.n_steps}단계 모두 선택함). 결과는 outcome()으로 보고, "
                             f"다시 하려면 Drill(\"{self.scenario}\", seed={self.seed})로 새로 시작하세요.")
        if choice_id not in step.choice_ids():
            raise DrillError(f"'{choice_id}'는 {step.number}단계({step.manual_step})의 선택지가 아니에요. "
                             f"고를 수 있는 선택지: {', '.join(step.choice_ids())}")
        self.choices.append(choice_id)
        return self.current

    def outcome(self) -> Outcome:
        if not self.finished:
            raise DrillError(f"아직 {len(self.choices) + 1}단계({MANUAL_STEPS[len(self.choices)]})가 남았어요. "
                             f"{self.n_steps}단계를 모두 고른 뒤에 결과를 볼 수 있어요.")
        if self._outcome is None:
            self._outcome = self._simulate()
        return self._outcome

    @classmethod
    def replay(cls, scenario: str, seed: int, choices) -> Outcome:
        """Play a whole drill from a list of choice ids (one per step) and return its outcome."""
        if isinstance(choices, str):
            raise DrillError("선택은 단계마다 하나씩, 리스트로 넣어 주세요 (예: [\"report_now\", \"notice_now\", ...]).")
        choices = list(choices)
        drill = cls(scenario, seed)
        if len(choices) != drill.n_steps:
            raise DrillError(f"선택은 {drill.n_steps}개(단계마다 하나)여야 해요. 지금 {len(choices)}개를 넣었어요.")
        for choice_id in choices:
            drill.choose(choice_id)
        return drill.outcome()

    # --- timeline: minutes from the alert (minute 0), never clock times nor minutes from 사건 시작 ---
    def _report_minutes(self) -> int:
        base, spread = REPORT_DELAY[self.choices[0]]
        return base + int(self._jitter[0] * (spread + 1))

    def _notice_minutes(self) -> int:
        base, spread = NOTICE_PLAN[self.choices[1]]
        return self._report_minutes() + base + int(self._jitter[1] * (spread + 1))

    def _strategy_minutes(self) -> int:
        """The strategy reaches the friends with the full notice: an hour after a prompt one, later after a holding reply."""
        extra = {"notice_now": 60, "holding_reply": 180}.get(self.choices[1], 0)
        return self._notice_minutes() + extra

    def _prevention_minutes(self) -> int:
        """Step 4 is decided a day after the strategy reached the friends and acts from that moment."""
        return self._strategy_minutes() + PREVENTION_DELAY

    # --- texts ---
    def _situation(self, number: int) -> str:
        p = self.profile
        hour = p.detect_hour
        ordinary_blocks = p.ordinary_blocks[hour % HOURS_PER_DAY]
        if number == 1:
            clue = {
                "INC1": "조금 전 (광고) 메시지가 전체 친구에게 나갔어요.",
                "INC2": "\"당첨\"을 묻는 채팅이 갑자기 몰려요. 이벤트 추첨 결과는 아직 발표 전이에요.",
                "INC3": "채팅에 맘카페 글 이야기가 보이기 시작해요.",
                "INC4": "경품 택배를 받은 친구들의 채팅이 들어오기 시작해요.",
            }[self.scenario]
            return (f"경보가 울렸어요 (훈련 시계 0분). 모니터링 화면: 방금 한 시간 동안 차단 {int(p.blocks[hour])}건"
                    f"(평소 이 시간 {ordinary_blocks:.1f}건), 항의 채팅 {int(p.complaints[hour])}건. "
                    f"채팅 예: “{p.first_chat}” {clue} 가장 먼저 무엇을 할까요?")
        if number == 2:
            return (f"경보 후 {self._report_minutes()}분: 대응팀이 모였어요. 지금까지 파악한 원인은 이래요(아직 100% 확인된 것은 "
                    f"아니에요): {p.found}. 친구들에게 무엇을 먼저 알릴까요?")
        if number == 3:
            return (f"경보 후 {self._notice_minutes()}분: 첫 안내가 나갔어요. 채팅은 계속 들어와요: “{p.later_chat}” "
                    f"상담원과 챗봇은 어떤 전략으로 답할까요?")
        return ("고객 응대 전략이 친구들에게 닿고 하루가 지났어요. 채팅이 잦아들고 있어요. "
                "마지막으로 무엇을 할까요? (고른 대책은 지금부터 효과를 내요.)")

    def _debrief(self, notice: int) -> tuple[str, ...]:
        report, strategy, prevention = self.choices[0], self.choices[2], self.choices[3]
        report_minutes = self._report_minutes()
        report_text = {
            "report_now": f"바로 보고해서 경보 후 {report_minutes}분 만에 대응팀이 움직였어요. "
                          "보고가 빠를수록 공지도 빨라져요. 이미 나간 메시지는 되돌릴 수 없으니, 남은 예약 발송과 "
                          "자동화를 먼저 멈춰 더 나가지 않게 막는 것이 첫 일이에요.",
            "watch": f"지켜보는 사이 시간이 흘러 대응팀이 경보 후 {report_minutes}분에야 모였어요. "
                     "'확실해질 때까지' 기다린 만큼 항의가 쌓여요.",
            "fix_alone": f"혼자 해결하려다 보고가 늦어져 경보 후 {report_minutes}분에야 대응팀이 모였어요. "
                         "위기는 혼자 끌어안지 말고 먼저 보고해요.",
        }[report]
        notice_text = {
            "notice_now": f"첫 공지가 경보 후 {notice}분에 나갔어요. 빠르고 정직한 공지가 항의를 가장 크게 줄여요.",
            "holding_reply": f"짧은 안내가 경보 후 {notice}분에 나갔지만, 원인과 조치가 없어 항의가 덜 줄었어요. "
                             "짧은 안내 뒤에는 곧바로 제대로 된 공지가 이어져야 해요.",
            "wait_for_cause": f"공지가 경보 후 {notice}분에야 나갔어요. 침묵하는 동안 추측과 항의가 더 늘었어요. "
                              "모든 것을 알기 전이라도 아는 만큼 먼저 알려요.",
            "promo_message": f"위기 중에 보낸 (광고) 메시지가 차단을 늘렸고, 공지는 경보 후 {notice}분에야 나갔어요. "
                             "위기 때는 광고를 멈추는 것이 먼저예요.",
        }[self.choices[1]]
        fit = STRATEGY_FIT[self.scenario][strategy]
        best = min(STRATEGY_FIT[self.scenario].values())
        if fit == best:
            strategy_text = "고른 전략이 이 사건에 잘 맞아 항의가 빨리 줄었어요."
        elif fit < 1:
            strategy_text = "고른 전략이 도움은 됐지만, 이 사건에 더 잘 맞는 전략이 있었어요. 책임이 누구에게 있는지 다시 따져 보세요."
        else:
            strategy_text = "고른 전략으로는 항의가 줄지 않았어요. 사실과 책임에 맞지 않는 답은 효과가 없거나 오히려 역효과가 나요."
        if strategy == "deny" and fit > 1:
            strategy_text += " 실제로 우리 쪽 오류가 있었는데 부인하면 신뢰를 잃어요."
        if strategy == "rebuild" and fit > 1:
            strategy_text += " 사실이 아닌 일에 보상하면 소문을 인정하는 것처럼 보여요. 근거로 사실을 바로잡는 편이 나아요."
        prevention_text = {
            "fix_and_share": "원인을 고치고 재발 방지 대책을 알려서, 알린 때부터 항의와 차단이 빨리 가라앉았어요.",
            "fix_quietly": "원인은 고쳤지만 알리지 않아 친구들은 같은 일이 또 생길까 걱정했어요. 대책은 알려야 신뢰가 돌아와요.",
            "blame_person": "담당자 문책은 원인을 고치지 못해요. 시스템과 절차를 고치고 대책을 알리는 것이 재발 방지예요.",
        }[prevention]
        return report_text, notice_text, strategy_text, prevention_text

    # --- simulation ---
    def _simulate(self) -> Outcome:
        p = self.profile
        n_hours = len(p.blocks)
        hours = np.arange(n_hours)
        middle = hours * 60 + 30 - p.alert_minute  # each hour's middle, in minutes from the alert
        notice, strategy_start = self._notice_minutes(), self._strategy_minutes()
        notice_choice = self.choices[1]
        complaint_factor = np.ones(n_hours)
        complaint_factor[(middle >= 0) & (middle < notice)] = SILENCE_EFFECT[notice_choice]
        complaint_factor[middle >= notice] = NOTICE_EFFECT[notice_choice]
        complaint_factor[middle >= strategy_start] *= STRATEGY_FIT[self.scenario][self.choices[2]]
        complaint_factor[middle >= self._prevention_minutes()] *= PREVENTION_EFFECT[self.choices[3]]
        block_factor = 1 - 0.5 * (1 - complaint_factor)  # blocks follow complaints, half as strongly

        # Only the excess over the ordinary level of that hour of the day moves with the choices.
        excess_c = np.maximum(p.complaints - p.ordinary_complaints[hours % HOURS_PER_DAY], 0)
        excess_b = np.maximum(p.blocks - p.ordinary_blocks[hours % HOURS_PER_DAY], 0)
        complaint_rate = p.complaints + excess_c * (complaint_factor - 1)
        block_rate = p.blocks + excess_b * (block_factor - 1)
        if notice_choice == "promo_message":
            sent = self._report_minutes() + 15
            window = (middle >= sent) & (middle < sent + 6 * 60)
            block_rate[window] += PROMO_EXTRA_BLOCKS * p.quiet_daily_blocks / 6
        counted = hours >= p.onset_hour
        complaints = poisson.ppf(self._uniforms[0], np.maximum(complaint_rate, 1e-12)).astype(int) * counted
        blocks = poisson.ppf(self._uniforms[1], np.maximum(block_rate, 1e-12)).astype(int) * counted
        return Outcome(
            scenario=self.scenario, seed=self.seed, choices=tuple(self.choices),
            complaints=int(complaints.sum()), blocks=int(blocks.sum()), minutes_to_first_notice=int(notice),
            debrief=self._debrief(notice),
            hourly_complaints=tuple(int(x) for x in complaints[counted]),
            hourly_blocks=tuple(int(x) for x in blocks[counted]),
            start=p.start + pd.Timedelta(hours=p.onset_hour),
        )


def run_drill(scenario: str, seed: int, choices) -> Outcome:
    """Play a whole drill headless: ``run_drill("INC2", seed=7, choices=["report_now", ...])``."""
    return Drill.replay(scenario, seed, choices)
