"""The class report: one HTML page and its CSVs, from the engine's records and the gradebook.

    <반>/grader/reports/<YYYYMMDD-HHMMSS>/report.html      the page (CSS inline, plots embedded): what a trainer reads
    .../점수.csv (scores)            per learner and tier: 완료 with points, 채점 대기, 미제출, 채점 전
    .../기술별_숙달도.csv (mastery)    per tier and glossary skill: the share of the points earned
    .../문항_통계.csv (items)         per question: n, difficulty, discrimination, 검토 필요
    .../많이_틀린_문항.csv (missed)    the most-missed questions and the common mistake most often made on each
    .../무결성.csv (integrity)        the engine's integrity flags and the notebooks it could not grade
    .../채점_대기.csv (ungraded)       the written answers still waiting for the trainer

A learner on the roster who handed nothing in is 미제출 and is in no statistic (not a 0); a blank submission is a 0.
A written answer the trainer has not graded is 채점 대기 and is left out of every statistic that needs its score. A
cell's score is the gradebook's (a manual grade given in formgrader counts); the record adds the question, its title
and the check's message. Every run writes a new folder: grades, submissions and earlier reports are only read.
"""

from __future__ import annotations

import math
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..build import TIERS
from ..engine.results import read_record
from .cohort import Cohort
from .errors import TrainerError
from .export import FINAL, MISSING, PENDING, _learners, number, tier_label
from .items import MIN_LEARNERS, REVIEW, item_statistics
from .roster import gradebook_of

REPORTS = "reports"
NOT_GRADED = "채점 전"  # handed in, not graded yet
NO_SKILL = "(기술 미지정)"
WRITTEN = "서술형"
TOP_MISSED = 5


@dataclass
class ClassResults:
    """What the report is made of: one row per learner and tier, one per graded cell, the flags and problems."""

    cohort: Cohort
    tiers: list[str]
    learners: list = field(default_factory=list)  # roster.Learner, roster order then others with work
    standing: pd.DataFrame = None  # learner, name, tier, status, points, max_points, scored_points, scored_max
    cells: pd.DataFrame = None  # learner, tier, notebook, grade_id, qid, title, written, max_points, points, message
    flags: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)


CELL_COLUMNS = ("learner", "tier", "notebook", "grade_id", "qid", "title", "written", "max_points", "points",
                "message")


def _tier_order(names) -> list[str]:
    order = {tier: n for n, tier in enumerate(TIERS)}
    return sorted(names, key=lambda name: (order.get(name, len(order)), name))


def chosen_tiers(gradebook, tiers) -> list[str]:
    known = _tier_order(a.name for a in gradebook.assignments)
    if not known:
        raise TrainerError("성적부에 과정(과제)이 아직 없어요. 먼저 학습용 사본을 만들고 제출물을 채점해 주세요.")
    if not tiers:
        return known
    unknown = [tier for tier in tiers if tier not in known]
    if unknown:
        raise TrainerError(f"성적부에 없는 과정이에요: {', '.join(unknown)}. 있는 과정: {', '.join(known)}")
    return _tier_order(tiers)


def _graded_cells(cohort: Cohort, course, submission, tier: str, learner: str) -> list[dict]:
    """Each graded cell of one learner's tier: the gradebook's score, the record's question and message."""
    record = read_record(course.autograded(learner, tier)) or {}
    described = {(name, grade["grade_id"]): grade for name, data in record.get("notebooks", {}).items()
                 for grade in data.get("grades", [])}
    cells = []
    for notebook in submission.notebooks:
        for grade in notebook.grades:
            about = described.get((notebook.name, grade.name), {})
            pending = grade.manual_score is None and grade.auto_score is None
            cells.append({"learner": learner, "tier": tier, "notebook": notebook.name, "grade_id": grade.name,
                          "qid": about.get("qid", ""), "title": about.get("title", ""),
                          "written": bool(about.get("written", grade.cell.cell_type == "markdown")),
                          "max_points": float(grade.max_score), "points": math.nan if pending else float(grade.score),
                          "message": about.get("message", "")})
    return cells


def _record_extras(course, tier: str, learner: str, results: ClassResults) -> None:
    record = read_record(course.autograded(learner, tier)) or {}
    for name, data in record.get("notebooks", {}).items():
        for flag in data.get("flags", []):
            results.flags.append({"tier": tier, "learner": learner, "notebook": name, **flag})
    for problem in record.get("problems", []):
        results.problems.append({"tier": tier, "learner": learner, "problem": problem})


def gather(cohort: Cohort, tiers=None) -> ClassResults:
    """Read the gradebook and the records of the cohort (nothing is written)."""
    from nbgrader.api import MissingEntry

    from ..engine.grading import open_course

    course = open_course(cohort.grader)
    rows, cells = [], []
    with gradebook_of(cohort) as gradebook:
        results = ClassResults(cohort, chosen_tiers(gradebook, tiers))
        results.learners = _learners(cohort, gradebook)
        if not results.learners:
            raise TrainerError("보고서에 넣을 학습자가 없어요. 먼저 `python -m grader roster 명단.csv`로 명단을 가져오세요.")
        for tier in results.tiers:
            most = float(gradebook.find_assignment(tier).max_score)
            for learner in results.learners:
                row = {"learner": learner.id, "name": learner.name, "tier": tier, "max_points": most}
                try:
                    submission = gradebook.find_submission(tier, learner.id)
                except MissingEntry:
                    handed_in = course.submitted(learner.id, tier).is_dir()
                    rows.append({**row, "status": NOT_GRADED if handed_in else MISSING})
                    continue
                mine = _graded_cells(cohort, course, submission, tier, learner.id)
                cells += mine
                scored = [c for c in mine if not math.isnan(c["points"])]
                row.update(scored_points=sum(c["points"] for c in scored), scored_max=sum(c["max_points"] for c in scored))
                final = len(scored) == len(mine)
                row.update(status=FINAL if final else PENDING, points=row["scored_points"] if final else math.nan)
                rows.append(row)
                _record_extras(course, tier, learner.id, results)
    results.standing = pd.DataFrame(rows, columns=["learner", "name", "tier", "status", "points", "max_points",
                                                   "scored_points", "scored_max"])
    results.cells = pd.DataFrame(cells, columns=list(CELL_COLUMNS))
    if results.cells.empty:
        raise TrainerError("아직 채점된 제출물이 없어요. 제출물을 모으고(`python -m grader collect 과정 폴더`) "
                           "채점한 뒤(`python -m grader autograde 과정`) 다시 실행해 주세요.")
    return results


# ---------------------------------------------------------------- the tables


def item_label(tier: str, notebook: str, grade_id: str) -> str:
    return f"{tier}/{notebook}/{grade_id}"


def skills_of(qid: str) -> tuple[str, ...]:
    if not qid:
        return ()
    from ..keys import get

    try:
        return tuple(get(qid).skills) or (NO_SKILL,)
    except KeyError:
        return (NO_SKILL,)


def score_table(results: ClassResults) -> pd.DataFrame:
    """Per learner and tier: the final points and percent, or the word saying why there is none."""
    rows = []
    for row in results.standing.itertuples(index=False):
        final = row.status == FINAL
        percent = 100 * row.points / row.max_points if final and row.max_points else math.nan
        so_far = "" if row.status in (MISSING, NOT_GRADED) else number(row.scored_points)
        rows.append({"아이디": row.learner, "이름": row.name, "과정": tier_label(row.tier), "상태": row.status,
                     "점수": number(row.points) if final else row.status, "만점": number(row.max_points),
                     "백분율": f"{percent:.1f}" if final else row.status,
                     "채점된 점수": so_far,
                     "채점된 만점": "" if row.status in (MISSING, NOT_GRADED) else number(row.scored_max)})
    return pd.DataFrame(rows)


def _scored_items(results: ClassResults) -> pd.DataFrame:
    cells = results.cells.copy()
    cells["item"] = [item_label(t, n, g) for t, n, g in zip(cells["tier"], cells["notebook"], cells["grade_id"])]
    return cells


def item_table(results: ClassResults) -> pd.DataFrame:
    """Per question: n, difficulty, discrimination (point-biserial with the rest-score of its tier), note."""
    cells = _scored_items(results)
    frames = []
    for tier in results.tiers:
        mine = cells[cells["tier"] == tier]
        if mine.empty:
            continue
        stats = item_statistics(mine[["learner", "item", "points", "max_points"]])
        described = mine.drop_duplicates("item").set_index("item")
        stats["tier"] = tier
        for column in ("notebook", "grade_id", "qid", "title", "written"):
            stats[column] = stats["item"].map(described[column])
        frames.append(stats)
    table = pd.concat(frames, ignore_index=True)
    return table[["tier", "notebook", "grade_id", "qid", "title", "written", "n", "difficulty", "discrimination",
                  "note"]]


def mastery_table(results: ClassResults) -> pd.DataFrame:
    """Per tier and skill: the share of the points earned, over every known score of a question with that skill."""
    rows = []
    cells = results.cells.dropna(subset=["points"])
    for tier in results.tiers:
        earned: dict[str, list[float]] = {}
        questions: dict[str, set] = {}
        for cell in cells[cells["tier"] == tier].itertuples(index=False):
            for skill in skills_of(cell.qid):
                got = earned.setdefault(skill, [0.0, 0.0])
                got[0] += cell.points
                got[1] += cell.max_points
                questions.setdefault(skill, set()).add(cell.qid)
        learners = cells[cells["tier"] == tier]["learner"].nunique()
        for skill, (points, most) in sorted(earned.items(), key=lambda kv: (kv[0] == NO_SKILL, kv[0])):
            rows.append({"tier": tier, "skill": skill, "questions": len(questions[skill]), "learners": learners,
                         "mastery": points / most if most else math.nan})
    return pd.DataFrame(rows, columns=["tier", "skill", "questions", "learners", "mastery"])


def _mistake_messages(qid: str) -> list[str]:
    from ..keys import get

    try:
        return [mistake.message for mistake in get(qid).mistakes]
    except KeyError:
        return []


def common_mistake(qid: str, messages) -> tuple[str, int]:
    """The key's common mistake the check named most often among these messages, and how often."""
    known = _mistake_messages(qid)
    named = Counter(mistake for message in messages for mistake in known if mistake and mistake in message)
    if not named:
        return "", 0
    message, count = named.most_common(1)[0]
    return message, count


BLANK_MARK = "답을 넣지 않았어요"


def missed_table(results: ClassResults, items: pd.DataFrame, top: int = TOP_MISSED) -> pd.DataFrame:
    """Per tier the ``top`` questions with the lowest difficulty, with how many missed them and the top mistake."""
    cells = _scored_items(results).dropna(subset=["points"])
    rows = []
    for tier in results.tiers:
        mine = items[(items["tier"] == tier) & (items["qid"] != "") & (items["difficulty"] < 1)]
        for item in mine.sort_values(["difficulty", "grade_id"]).head(top).itertuples(index=False):
            these = cells[(cells["item"] == item_label(tier, item.notebook, item.grade_id))]
            missed = these[these["points"] < these["max_points"]]
            mistake, count = common_mistake(item.qid, missed["message"])
            rows.append({"tier": tier, "notebook": item.notebook, "grade_id": item.grade_id, "qid": item.qid,
                         "title": item.title, "difficulty": item.difficulty, "learners": len(these),
                         "missed": len(missed), "blank": int(missed["message"].str.contains(BLANK_MARK).sum()),
                         "mistake": mistake, "mistake_count": count})
    return pd.DataFrame(rows, columns=["tier", "notebook", "grade_id", "qid", "title", "difficulty", "learners",
                                       "missed", "blank", "mistake", "mistake_count"])


def ungraded_table(results: ClassResults) -> pd.DataFrame:
    names = {learner.id: learner.name for learner in results.learners}
    pending = results.cells[results.cells["points"].isna()]
    return pd.DataFrame([{"아이디": c.learner, "이름": names.get(c.learner, ""), "과정": tier_label(c.tier),
                          "수업": c.notebook, "칸": c.grade_id, "문항": c.title, "배점": number(c.max_points)}
                         for c in pending.itertuples(index=False)],
                        columns=["아이디", "이름", "과정", "수업", "칸", "문항", "배점"])


def integrity_table(results: ClassResults) -> pd.DataFrame:
    from ..engine.flags import ACTION, ZEROES

    rows = [{"과정": tier_label(f["tier"]), "아이디": f["learner"], "수업": f["notebook"], "칸": f.get("cell", ""),
             "문항": f.get("question", ""), "종류": f.get("code", ""), "사유": f.get("reason", ""),
             "처리": ACTION[ZEROES.get(f.get("code", ""), True)]} for f in results.flags]
    rows += [{"과정": tier_label(p["tier"]), "아이디": p["learner"], "수업": "", "칸": "", "문항": "",
              "종류": "채점 문제", "사유": p["problem"], "처리": "확인"} for p in results.problems]
    return pd.DataFrame(rows, columns=["과정", "아이디", "수업", "칸", "문항", "종류", "사유", "처리"])


def summary_table(results: ClassResults) -> pd.DataFrame:
    rows = []
    for tier in results.tiers:
        mine = results.standing[results.standing["tier"] == tier]
        final = mine[mine["status"] == FINAL]
        percent = 100 * final["points"] / final["max_points"]
        handed = mine[mine["status"].isin([FINAL, PENDING]) & (mine["scored_max"] > 0)]
        so_far = 100 * handed["scored_points"] / handed["scored_max"]  # the graded part, pending answers left out
        pending_cells = results.cells[(results.cells["tier"] == tier) & results.cells["points"].isna()]
        rows.append({"과정": tier_label(tier), "학습자": len(mine), "제출": int((mine["status"] != MISSING).sum()),
                     "미제출": int((mine["status"] == MISSING).sum()), "채점 전": int((mine["status"] == NOT_GRADED).sum()),
                     "점수 확정": len(final), "채점 대기 학습자": int((mine["status"] == PENDING).sum()),
                     "채점 대기 답안": len(pending_cells),
                     "중앙값(%, 점수 확정)": f"{percent.median():.1f}" if len(final) else "-",
                     "채점된 부분 중앙값(%)": f"{so_far.median():.1f}" if len(so_far) else "-"})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- writing


def report_folder(parent: Path) -> Path:
    """A new folder under ``parent`` named by the time (a second run in the same second gets -2, -3, ...)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder, n = parent / stamp, 1
    while folder.exists() or (parent / f".{folder.name}.partial").exists():
        n += 1
        folder = parent / f"{stamp}-{n}"
    return folder


CSV_FILES = {"scores": "점수.csv", "mastery": "기술별_숙달도.csv", "items": "문항_통계.csv",
             "missed": "많이_틀린_문항.csv", "integrity": "무결성.csv", "ungraded": "채점_대기.csv",
             "summary": "요약.csv"}


# the English column names of the statistics tables, as the CSVs show them (Korean first, for Excel)
CSV_HEADERS = {"tier": "과정 (tier)", "notebook": "수업 (notebook)", "grade_id": "칸 (grade_id)", "qid": "문제 ID (qid)",
               "title": "문항 (title)", "written": "서술형 (written)", "n": "학습자 수 (n)",
               "difficulty": "난이도 (difficulty)", "discrimination": "변별도 (discrimination)", "note": "비고 (note)",
               "skill": "기술 (skill)", "questions": "문항 수 (questions)", "learners": "학습자 수 (learners)",
               "mastery": "숙달도 (mastery)", "missed": "틀림·빈 답 (missed)", "blank": "빈 답 (blank)",
               "mistake": "가장 많은 실수 (mistake)", "mistake_count": "그 실수 학습자 수 (mistake_count)"}


def class_report(cohort: Cohort, tiers=None, out: Path | None = None, say=print) -> Path:
    """Write the class report into a new folder (under ``out``, default ``<반>/grader/reports``); returns report.html."""
    from .report_page import page

    results = gather(cohort, tiers)
    tables = {"summary": summary_table(results), "scores": score_table(results)}
    items = item_table(results)
    tables.update(items=items, mastery=mastery_table(results), missed=missed_table(results, items),
                  integrity=integrity_table(results), ungraded=ungraded_table(results))
    parent = Path(out) if out else cohort.grader / REPORTS
    if parent.exists() and not parent.is_dir():
        raise TrainerError(f"'{parent}'는 파일이에요. --out에는 보고서를 둘 폴더를 주세요.")
    folder = report_folder(parent)
    partial = parent / f".{folder.name}.partial"
    try:
        partial.mkdir(parents=True)
        for name, table in tables.items():
            table.rename(columns=CSV_HEADERS).to_csv(partial / CSV_FILES[name], index=False, encoding="utf-8-sig", float_format="%.3f")
        (partial / "report.html").write_text(page(results, tables), encoding="utf-8")
        partial.rename(folder)
    except PermissionError:
        shutil.rmtree(partial, ignore_errors=True)
        raise TrainerError(f"'{parent}'에 쓸 수 없어요. 폴더 권한을 확인해 주세요.") from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    path = folder / "report.html"
    counts = tables["summary"]
    say(f"반 보고서를 만들었어요: {path}")
    waiting = int(counts["채점 대기 답안"].sum())
    if waiting:
        say(f"  서술형 {waiting}개가 '{PENDING}'예요 (채점_대기.csv). formgrader에서 채점한 뒤 다시 만드세요.")
    flagged = len(tables["integrity"])
    if flagged:
        say(f"  무결성 표시·채점 문제 {flagged}건 (무결성.csv)")
    review = int((items["note"] == REVIEW).sum())
    if review:
        say(f"  변별도가 음수인 문항 {review}개: '{REVIEW}' (문항_통계.csv)")
    return path
