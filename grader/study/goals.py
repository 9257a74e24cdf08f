"""The team's SMART goal for the coming week, checked the way beginner/04 teaches it, and last week's result.

A goal names one KPI of the glossary and the sends or friends it is measured on (S), has a baseline and a target in
the KPI's own unit, a rate as a decimal between 0 and 1 (M), a target moved in the KPI's good direction by more than
the usual swing, when the swing is known (A: a smaller change cannot be told from chance), a reason tied to the
channel's business (R) and a due date by the next meeting (T), plus how the team will check it each week.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from . import typed
from .store import StudyDB, StudyError, insert

RATES = ("클릭률", "차단율", "30일 유지율", "7일 구매 전환율", "상담 전환율", "챗봇 처리율", "정밀도", "재현율")
COUNTS = ("친구 수", "순증", "메시지 기여 매출", "ROI", "클릭당 비용", "구매당 비용", "감지 시간")
LOWER_IS_BETTER = ("차단율", "클릭당 비용", "구매당 비용", "감지 시간")
KPIS = RATES + COUNTS
WEEK_DAYS = 8  # a weekly goal is due by the next meeting (a day's slack)


def topic(word: str) -> str:
    """``word`` with 은 or 는, by its last syllable (차단율은, 친구 수는)."""
    last = word.rstrip()[-1:] or "가"
    code = ord(last) - 0xAC00
    return word + ("은" if 0 <= code <= 11171 and code % 28 else "는")


@dataclass
class Goal:
    week: int
    kpi: str
    scope: str  # what it is measured on: "전체 발송", "20대 여성 세그먼트에 보낸 메시지"
    baseline: float
    target: float
    due: str  # YYYY-MM-DD
    why: str
    check_how: str
    swing: float | None = None  # the usual week-to-week swing of the KPI, if the team measured it
    set_on: str = ""
    result: float | None = None

    @property
    def better_when_lower(self) -> bool:
        return self.kpi in LOWER_IS_BETTER

    def progress(self) -> float | None:
        """How far the result went from the baseline toward the target (1.0 = reached)."""
        if self.result is None or self.target == self.baseline:
            return None
        return (self.result - self.baseline) / (self.target - self.baseline)

    def reached(self) -> bool | None:
        if self.result is None:
            return None
        return self.result <= self.target if self.better_when_lower else self.result >= self.target


@dataclass(frozen=True)
class Letter:
    letter: str
    name: str
    ok: bool
    note: str


def review(goal: Goal, today: date | None = None) -> list[Letter]:
    """S, M, A, R, T each with whether it holds and a Korean note saying why or what to fix."""
    today = today or date.today()
    letters = []
    s_ok = goal.kpi in KPIS and len(goal.scope.strip()) >= 2
    letters.append(Letter("S", "구체적", s_ok, f"{goal.kpi} · {goal.scope}" if s_ok else
                          f"KPI는 용어집의 낱말 하나로 ({', '.join(KPIS)}), 무엇으로 재는지(예: 전체 발송)와 함께 적어요."))
    unit_ok = all(math.isfinite(v) for v in (goal.baseline, goal.target))
    if unit_ok and goal.kpi in RATES and not all(0 <= v <= 1 for v in (goal.baseline, goal.target)):
        m_note, unit_ok = f"{topic(goal.kpi)} 0과 1 사이 소수로 적어요 (예: 3.1%는 0.031). 100을 곱하지 않아요.", False
    else:
        m_note = f"기준선 {goal.baseline:g} → 목표 {goal.target:g}" if unit_ok else "기준선과 목표를 숫자로 적어요."
    letters.append(Letter("M", "측정 가능", unit_ok, m_note))
    change = goal.target - goal.baseline
    right_way = change < 0 if goal.better_when_lower else change > 0
    if not right_way:
        a_ok, a_note = False, (f"{topic(goal.kpi)} {'낮을수록' if goal.better_when_lower else '높을수록'} 좋아요. 목표가 "
                               "기준선보다 그쪽으로 움직여야 해요.")
    elif goal.swing is not None and abs(change) <= goal.swing:
        a_ok, a_note = False, (f"목표까지의 변화({abs(change):g})가 평소 오르내린 폭({goal.swing:g}) 안이에요. 이만큼은 "
                               "아무것도 안 해도 움직여서, 달성해도 우연과 가를 수 없어요. 폭보다 크게 잡아요.")
    else:
        a_ok = True
        a_note = ("기준선에서 평소 폭보다 크게 움직인 목표예요." if goal.swing is not None else
                  "기준선에서 출발했어요. 평소 오르내린 폭을 재 두면 우연과 가를 수 있어요.")
    letters.append(Letter("A", "달성 가능", a_ok, a_note))
    r_ok = len(goal.why.strip()) >= 8
    letters.append(Letter("R", "관련성", r_ok, goal.why.strip() if r_ok else
                          "왜 이 숫자인지, 채널의 매출·고객과 어떻게 이어지는지 한 문장으로 적어요."))
    try:
        due = datetime.strptime(goal.due.strip(), "%Y-%m-%d").date()
    except ValueError:
        due = None
    if due is None:
        t_ok, t_note = False, f"기한을 YYYY-MM-DD로 적어요 (받은 값: '{goal.due}')."
    elif not today < due <= today + timedelta(days=WEEK_DAYS):
        t_ok, t_note = False, f"주간 목표예요: 기한은 내일부터 {WEEK_DAYS}일 안(다음 모임까지)으로 잡아요 (받은 값: {due})."
    else:
        t_ok, t_note = (len(goal.check_how.strip()) >= 8,
                        f"{due.month}월 {due.day}일까지. 확인: {goal.check_how.strip()}" if len(goal.check_how.strip()) >= 8 else
                        "기한은 좋아요. 매주 무엇을 언제 볼지(확인 방법)도 적어요.")
    letters.append(Letter("T", "기한", t_ok, t_note))
    return letters


def make_goal(week, kpi, scope, baseline, target, due, why, check_how, swing=None) -> Goal:
    """A goal from what the team typed; numbers that are not numbers are named in Korean (``StudyError``)."""
    problems = []
    numbers = {"baseline": typed.number(baseline, "기준선", problems), "target": typed.number(target, "목표", problems),
               "swing": None if swing is None or str(swing).strip() == "" else typed.number(swing, "평소 폭", problems)}
    week = typed.week(week, "주차", problems)
    if problems:
        raise StudyError("목표를 적지 못했어요. 고칠 곳:\n" + "\n".join(f"  - {p}" for p in problems))
    return Goal(week=week, kpi=str(kpi).strip(), scope=str(scope).strip(), due=str(due).strip(), why=str(why).strip(),
                check_how=str(check_how).strip(), **numbers)


def set_goal(db: StudyDB, goal: Goal, today: date | None = None) -> list[Letter]:
    """Keep the week's goal if all five letters hold (replacing an earlier goal of that week); otherwise nothing
    is kept and the letters that fail are named (``StudyError``)."""
    letters = review(goal, today)
    failing = [f"  - {l.letter}({l.name}): {l.note}" for l in letters if not l.ok]
    if failing:
        raise StudyError("SMART 목표가 아직 아니에요. 고칠 곳:\n" + "\n".join(failing))
    values = asdict(goal)
    values["set_on"] = values["set_on"] or (today or date.today()).isoformat()
    with db.writing() as connection:
        kept = connection.execute("SELECT result FROM goals WHERE week = ?", (goal.week,)).fetchone()
        if kept is not None and kept[0] is not None:
            raise StudyError(f"{goal.week}주차 목표는 이미 결과가 적혀 있어요. 바꾸지 않았어요.")
        connection.execute("DELETE FROM goals WHERE week = ?", (goal.week,))
        insert(connection, "goals", values)
    return letters


def goal_of(db: StudyDB, week: int) -> Goal | None:
    rows = db.rows("SELECT * FROM goals WHERE week = ?", (int(week),))
    return Goal(**rows[0]) if rows else None


def record_result(db: StudyDB, week: int, result, today: date | None = None) -> tuple[Goal, list[str]]:
    """The value the KPI reached by the goal's due date; returns the goal and what is worth saying about the entry
    (an earlier result replaced, a result entered before the due date)."""
    goal = goal_of(db, week)
    if goal is None:
        raise StudyError(f"{week}주차 목표가 없어요. 먼저 목표를 적어 주세요 (python -m grader study goal ...).")
    try:
        value = float(str(result).replace(",", "").strip())
    except ValueError:
        raise StudyError(f"결과를 숫자로 적어 주세요. 받은 값: '{result}'") from None
    if not math.isfinite(value) or (goal.kpi in RATES and not 0 <= value <= 1):
        raise StudyError(f"{topic(goal.kpi)} 0과 1 사이 소수로 적어요 (예: 3.4%는 0.034). 받은 값: {result}. 적지 않았어요.")
    notes = []
    if goal.result is not None and goal.result != value:
        notes.append(f"결과를 바꿨어요: {goal.result:g} → {value:g}")
    due = datetime.strptime(goal.due, "%Y-%m-%d").date()
    if (today or date.today()) < due:
        notes.append(f"기한({due.month}월 {due.day}일) 전이라 중간 결과예요. 기한이 지나면 다시 적어요.")
    with db.writing() as connection:
        connection.execute("UPDATE goals SET result = ? WHERE week = ?", (value, int(week)))
    goal.result = value
    return goal, notes
