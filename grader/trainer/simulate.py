"""A realistic class of simulated learners, for the tests, the benchmark and the demo.

Each learner has a profile: ``strong``, ``average`` or ``weak`` (how often an answer is right, one of the key's
common mistakes, or left blank), and a few are ``blank`` (nothing answered) or ``broken`` (a notebook that fails in
one of the ways real ones do: a typo that raises, a deleted check cell, a file that is not JSON). A right answer is
the lesson's own solution code; a common mistake is the value that mistake produces (the keys compute it from the
cohort's data), typed into the answer cell; a function question is answered right or left blank.

The class is drawn from its own seed, so the same seed gives the same class. Submissions are written as nbgrader
expects them (``submitted/<id>/<tier>/<lesson>.ipynb``) and a roster CSV (id, name, email) beside them.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..wiring import questions
from .errors import TrainerError

# (right, common mistake, blank): the chance of each for one answer
PROFILES = {"strong": (0.9, 0.08, 0.02), "average": (0.65, 0.25, 0.10), "weak": (0.35, 0.35, 0.30)}
WRITES = {"strong": 0.9, "average": 0.7, "weak": 0.4, "broken": 0.5, "blank": 0.0}  # the chance of a written answer
WRITTEN = ("(모의 학습자의 답) 우리 채널의 지난달 숫자를 이 수업의 방법으로 다시 계산하고, 다음 달 목표와 확인할 날짜를 "
           "정해 팀에 공유하겠습니다.")
MIX = (("strong", 0.25), ("average", 0.45), ("weak", 0.2), ("blank", 0.05), ("broken", 0.05))
BROKEN = ("typo", "deleted_check", "not_json")
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ("민지", "서준", "지우", "하은", "도윤", "서연", "시우", "수아", "예준", "지민", "주원", "하린", "건우", "채원",
         "유진", "현우", "다은", "준서", "윤서", "은우")


@dataclass
class Learner:
    id: str
    name: str
    profile: str
    answers: dict[str, dict[str, str]] = field(default_factory=dict)  # lesson -> {grade id: right|mistake|blank}
    broken: str = ""  # for a broken learner: typo | deleted_check | not_json (in the tier's first lesson)
    written: dict[str, bool] = field(default_factory=dict)  # lesson -> wrote its 현업 적용 answer (left to the trainer)


@dataclass
class SimulatedClass:
    learners: list[Learner]
    roster: Path
    submitted: Path


def _solutions(source: Path) -> dict[str, str]:
    """grade id -> the solution code of each answer cell of a source lesson."""
    found = {}
    for cell in nbformat.read(source, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            text = cell.source
            if "### BEGIN SOLUTION" in text:
                text = text.split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION", 1)[0].strip("\n") + "\n"
            found[meta["grade_id"]] = text
    return found


def _mistake_code(qid: str, variable: str, rng: random.Random) -> str | None:
    """One of the key's common mistakes as code (the mistaken value typed in), or None if it has none."""
    from ..keys import get, spec_for
    from .literals import literal

    q = get(qid)
    if q.kind == "function":
        return None
    shown = {message for _, message in spec_for(qid).mistakes}  # those the check can tell from the answer here
    mistakes = [m for m in q.mistakes if m.message in shown]
    if not mistakes:
        return None
    return f"{variable} = {literal(rng.choice(mistakes).value())}\n"


def _draw_profiles(n: int, rng: random.Random) -> list[str]:
    profiles = [name for name, share in MIX for _ in range(round(share * n))]
    profiles = (profiles + ["average"] * n)[:n]
    if n >= 10:  # a class of ten or more always shows each kind the report must handle
        profiles[-2:] = ["blank", "broken"]
    rng.shuffle(profiles)
    return profiles


def _names(n: int, rng: random.Random) -> list[str]:
    pool = [s + g for s in SURNAMES for g in GIVEN]
    rng.shuffle(pool)
    return pool[:n]


def simulate(course: Path, tier: str, n: int = 30, seed: int = 0, data: Path | None = None,
             prefix: str = "s") -> SimulatedClass:
    """Write ``n`` simulated learners' submissions of ``tier`` into the course folder ``course`` (an nbgrader course:
    ``<course>/<tier>/`` the source lessons, ``<course>/grader/release/<tier>/`` the student copies)."""
    from ..keys import get
    from course.data import use_data

    course = Path(course)
    release = course / "grader" / "release" / tier
    lessons = sorted((course / tier).glob("*.ipynb"))
    if not lessons or not all((release / lesson.name).is_file() for lesson in lessons):
        raise TrainerError(f"{tier} 학습용 사본이 없어요. 먼저 학습용 사본을 만드세요 (python -m grader release {tier}).")
    if n < 1:
        raise TrainerError("모의 학습자 수는 1명 이상이어야 해요.")
    rng = random.Random(f"{seed}:{tier}:{n}")
    submitted = course / "grader" / "submitted"
    learners = [Learner(id=f"{prefix}{number:03d}", name=name, profile=profile)
                for number, (name, profile) in enumerate(zip(_names(n, rng), _draw_profiles(n, rng)), 1)]
    for number, learner in enumerate(l for l in learners if l.profile == "broken"):
        learner.broken = BROKEN[number % len(BROKEN)]
    import course.data as course_data

    previous = course_data._chosen_dir
    try:
        if data is not None:
            use_data(data)
        for lesson in lessons:
            solutions = _solutions(lesson)
            answers = {q.answer_cell: q.qid for q in questions(lesson)}
            for learner in learners:
                nb = nbformat.read(release / lesson.name, as_version=4)
                learner.answers[lesson.stem] = _fill(nb, learner, solutions, answers, rng, get,
                                                     breaks=lesson == lessons[0], lesson=lesson.stem)
                target = submitted / learner.id / tier / lesson.name
                target.parent.mkdir(parents=True, exist_ok=True)
                if learner.broken == "not_json" and lesson == lessons[0]:
                    target.write_text('{"cells": [ 저장하다 끊긴 파일', encoding="utf-8")
                else:
                    nbformat.write(nb, target)
    finally:
        course_data._chosen_dir = previous
    roster = course / "grader" / f"simulated-{tier}-roster.csv"
    with open(roster, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "email"])
        for learner in learners:
            writer.writerow([learner.id, learner.name, f"{learner.id}@example.com"])
    return SimulatedClass(learners, roster, submitted)


def _fill(nb, learner: Learner, solutions: dict[str, str], answers: dict[str, str], rng: random.Random,
          get, breaks: bool, lesson: str = "") -> dict[str, str]:
    """Fill the answer cells of one student copy as the learner would; returns grade id -> right|mistake|blank."""
    chosen = {}
    broken = learner.broken if breaks else ""
    first_answer, deleted = True, False
    for cell in list(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if meta.get("solution") and cell.cell_type == "code" and grade_id in solutions:
            qid = answers.get(grade_id)
            if learner.profile in ("blank",):
                kind = "blank"
            elif learner.profile == "broken":
                kind = "right"
            else:
                right, mistake, _ = PROFILES[learner.profile]
                draw = rng.random()
                kind = "right" if draw < right else "mistake" if draw < right + mistake else "blank"
            code = None
            if kind == "mistake" and qid:
                code = _mistake_code(qid, get(qid).variable, rng)
                if code is None:  # no mistake to make here (a function question): the learner gets it right
                    kind = "right"
            if kind == "right":
                code = solutions[grade_id]
            if broken == "typo" and first_answer and code:
                code = "print(resutl)  # 오타: 이 줄에서 멈춰 답이 만들어지지 않아요\n" + code
            first_answer = False
            if code is not None:
                cell.source = code
            chosen[grade_id] = kind
        elif meta.get("solution") and cell.cell_type == "markdown" and meta.get("grade"):
            if rng.random() < WRITES[learner.profile]:
                cell.source = WRITTEN
                learner.written[lesson] = True
        elif broken == "deleted_check" and meta.get("grade") and not meta.get("solution") and not deleted:
            nb.cells.remove(cell)  # the first check cell deleted (the engine grades it as released, and flags it)
            deleted = True
    return chosen


