"""Grades for an LMS: one CSV row per learner from the cohort's gradebook, UTF-8 with BOM for Korean Excel.

    아이디 (id), 이름 (name), 이메일 (email),
    per tier (an nbgrader assignment):   점수 (points), 만점 (max), 백분율 (percent), 상태 (status)
    per lesson (a notebook of the tier): 점수 (points), 백분율 (percent)

A score is a number only when it is final. Where a written answer (현업 적용) still waits for the trainer, the points
and percent cells say ``채점 대기``; where the learner handed nothing in, ``미제출``: an LMS import then never reads
either as a grade. The learners are the roster's, in its order, then anyone else the gradebook holds a submission of.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..build import TIERS
from .cohort import Cohort
from .errors import TrainerError
from .roster import HANGUL, Learner, gradebook_of, csv_text, read_roster, write_atomically

EXPORT_FILE = Path("exports") / "grades.csv"
PENDING = "채점 대기"
MISSING = "미제출"
FINAL = "완료"
TIER_NAMES = {"beginner": "초급", "intermediate": "중급", "advanced": "고급"}


@dataclass(frozen=True)
class Cell:
    """One score as the export shows it: points and percent, or a word saying why there is no final number."""

    points: float | None
    max_points: float
    status: str  # FINAL, PENDING or MISSING

    def shown(self) -> tuple[str, str]:
        if self.status != FINAL or self.points is None:
            return self.status, self.status
        percent = 100 * self.points / self.max_points if self.max_points else 0.0
        return number(self.points), f"{percent:.1f}"


def number(value: float) -> str:
    """12.0 -> "12", 12.5 -> "12.5" (what a gradebook column expects)."""
    return f"{round(float(value), 2):g}"


def tier_label(tier: str) -> str:
    return TIER_NAMES.get(tier, tier)


def default_path(cohort: Cohort) -> Path:
    return cohort.grader / EXPORT_FILE


def _ordered_tiers(gradebook) -> list:
    order = {tier: n for n, tier in enumerate(TIERS)}
    return sorted(gradebook.assignments, key=lambda a: (order.get(a.name, len(order)), a.name))


def _learners(cohort: Cohort, gradebook) -> list[Learner]:
    """The roster's learners, then gradebook learners with a submission the roster does not name (never dropped)."""
    from nbgrader.api import SubmittedAssignment

    roster = read_roster(cohort)
    named = {learner.id for learner in roster}
    with_work = {row[0] for row in gradebook.db.query(SubmittedAssignment.student_id).distinct()}
    others = [student for student in gradebook.students
              if student.id not in named and (student.id in with_work or not roster)]
    return roster + [Learner(s.id, _full_name(s.first_name, s.last_name), s.email or "")
                     for s in sorted(others, key=lambda s: s.id)]


def _full_name(first: str | None, last: str | None) -> str:
    first, last = first or "", last or ""
    if HANGUL.match(last):
        return last + first  # 김 + 민지
    return " ".join(part for part in (first, last) if part)


def _tier_cells(gradebook, tier, student: str) -> tuple[Cell, dict[str, Cell]]:
    """The tier's cell and each lesson's, for one learner."""
    from nbgrader.api import MissingEntry

    lessons = sorted(tier.notebooks, key=lambda n: n.name)
    try:
        submission = gradebook.find_submission(tier.name, student)
    except MissingEntry:
        return Cell(None, tier.max_score, MISSING), {n.name: Cell(None, n.max_score, MISSING) for n in lessons}
    by_lesson = {}
    for lesson in lessons:
        try:
            found = gradebook.find_submission_notebook(lesson.name, tier.name, student)
        except MissingEntry:
            by_lesson[lesson.name] = Cell(None, lesson.max_score, MISSING)
            continue
        by_lesson[lesson.name] = Cell(found.score, found.max_score, PENDING if found.needs_manual_grade else FINAL)
    pending = submission.needs_manual_grade or any(cell.status == PENDING for cell in by_lesson.values())
    return Cell(submission.score, submission.max_score, PENDING if pending else FINAL), by_lesson


def header(tiers) -> list[str]:
    columns = ["아이디 (id)", "이름 (name)", "이메일 (email)"]
    for tier in tiers:
        label = tier_label(tier.name)
        columns += [f"{label} 점수 ({tier.name} points)", f"{label} 만점 ({tier.name} max)",
                    f"{label} 백분율 ({tier.name} percent)", f"{label} 상태 ({tier.name} status)"]
        for lesson in sorted(tier.notebooks, key=lambda n: n.name):
            columns += [f"{label} {lesson.name} 점수 (points)", f"{label} {lesson.name} 백분율 (percent)"]
    return columns


def rows(cohort: Cohort) -> tuple[list[list[str]], dict[str, int]]:
    """The export's rows (header first) and how many learner-tiers are pending or missing."""
    counts = {PENDING: 0, MISSING: 0}
    with gradebook_of(cohort) as gradebook:
        tiers = _ordered_tiers(gradebook)
        if not tiers:
            raise TrainerError("성적부에 과정(과제)이 아직 없어요. 먼저 학습용 사본을 만들고 제출물을 채점해 주세요.")
        learners = _learners(cohort, gradebook)
        if not learners:
            raise TrainerError("내보낼 학습자가 없어요. 먼저 `python -m grader roster 명단.csv`로 명단을 가져오세요.")
        table = [header(tiers)]
        for learner in learners:
            row = [learner.id, learner.name, learner.email]
            for tier in tiers:
                total, lessons = _tier_cells(gradebook, tier, learner.id)
                counts[total.status] = counts.get(total.status, 0) + 1
                points, percent = total.shown()
                row += [points, number(total.max_points), percent, total.status]
                for lesson in sorted(lessons):
                    row += list(lessons[lesson].shown())
            table.append(row)
    return table, counts


def export_grades(cohort: Cohort, out: Path | None = None, say=print) -> Path:
    """Write the cohort's grades CSV (only that file is replaced, whole) and say what it holds."""
    path = Path(out) if out else default_path(cohort)
    if path.is_dir():
        raise TrainerError(f"'{path}'는 폴더예요. --out에는 파일 이름을 주세요 (예: {path / 'grades.csv'}).")
    table, counts = rows(cohort)
    try:
        write_atomically(path, csv_text(table))
    except PermissionError:
        raise TrainerError(f"'{path}'에 쓸 수 없어요. Excel에서 열려 있으면 닫고 다시 실행해 주세요.") from None
    notes = [f"{word} {counts[word]}건" for word in (PENDING, MISSING) if counts.get(word)]
    say(f"성적을 내보냈어요: {path} (학습자 {len(table) - 1}명" + (", " + ", ".join(notes) if notes else "") + ")")
    if counts.get(PENDING):
        say(f"  '{PENDING}' 칸은 서술형(현업 적용) 채점이 끝나지 않은 점수예요. formgrader에서 채점한 뒤 다시 내보내세요.")
    return path
