"""``python -m grader report``: the class report of a simulated class, graded by the engine on the orientation lesson.

Twelve simulated learners (strong, average, weak, a blank one and a broken one) on the committed data, a roster that
also names a learner who never handed anything in (her name has markup in it), one learner who wrote the written answer
(채점 대기 until the trainer grades it) and one who deleted a check cell (an integrity flag). Graded once; tests that
change grades work on a copy. The numbers the report prints are recomputed here from the engine's records.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import warnings
from pathlib import Path
from statistics import median

import nbformat
import pandas as pd
import pytest
from scipy import stats

from conftest import using_data
from grader.__main__ import main
from grader.engine.grading import Limits, autograde
from grader.trainer import report, roster
from grader.trainer.errors import TrainerError
from grader.trainer.items import NO_SPREAD, REVIEW, TOO_FEW, item_statistics
from grader.trainer.simulate import simulate
from trainer_cohort import LESSON, TIER, copy_of, lay_out, quiet, write_csv

NOTEBOOK = LESSON.removesuffix(".ipynb")
ABSENT, ABSENT_NAME = "absent9", "<script>alert('박')</script>"
FLAGGED_CELL = "t1-friends_now"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    cohort = lay_out(base / "12기", build=True)
    made = simulate(cohort.folder, TIER, n=12, seed=5, data=cohort.data)
    text = made.roster.read_text(encoding="utf-8-sig") + f'{ABSENT},"{ABSENT_NAME}",\n'
    roster.import_roster(cohort, write_csv(base / "명단.csv", text), say=quiet)
    writer = next(l for l in made.learners if l.profile == "strong")
    deleter = next(l for l in made.learners if l.profile == "broken")
    # one written answer left for the trainer: every other learner's 현업 적용 cell back to the released stub
    release = nbformat.read(cohort.grader / "release" / TIER / LESSON, as_version=4)
    stub = next(c.source for c in release.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "w1")
    for learner in made.learners:
        path = cohort.grader / "submitted" / learner.id / TIER / LESSON
        if learner is writer or learner.broken == "not_json":
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "w1":
                cell.source = stub
        nbformat.write(nb, path)
    for learner, change in ((writer, "write"), (deleter, "delete")):
        path = cohort.grader / "submitted" / learner.id / TIER / LESSON
        nb = nbformat.read(path, as_version=4)
        for cell in list(nb.cells):
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if change == "write" and grade_id == "w1":
                cell.source = "지금 친구 수를 매주 월요일에 확인하겠어요."
            if change == "delete" and grade_id == FLAGGED_CELL:
                nb.cells.remove(cell)
        nbformat.write(nb, path)
    with using_data(cohort.data):
        summary = autograde(cohort.grader, TIER, jobs=2, limits=Limits(cell_seconds=30), progress=False)
    assert len(summary.graded) == 12, summary.text()
    path = report.class_report(cohort, say=quiet)
    return cohort, made, writer, deleter, path


@pytest.fixture
def copy(graded, tmp_path):
    return copy_of(graded[0], tmp_path / "12기")


def records(cohort) -> dict[str, dict]:
    """Each graded learner's engine record, read straight from autograded/<id>/<tier>/.engine.json."""
    found = {}
    for path in sorted((cohort.grader / "autograded").glob(f"*/{TIER}/.engine.json")):
        found[path.parent.parent.name] = json.loads(path.read_text(encoding="utf-8"))
    return found


def grades(record: dict) -> list[dict]:
    return record["notebooks"][NOTEBOOK]["grades"]


def table(path: Path, name: str) -> list[dict[str, str]]:
    with open(path.parent / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def scores_by_learner(path: Path) -> dict[str, dict[str, str]]:
    return {row["아이디"]: row for row in table(path, "점수.csv")}


def items_by_cell(path: Path) -> dict[str, dict[str, str]]:
    return {row["칸 (grade_id)"]: row for row in table(path, "문항_통계.csv")}


def test_the_page_is_one_korean_file_with_embedded_plots_and_escaped_names(graded):
    path = graded[-1]
    page = path.read_text(encoding="utf-8")
    assert path.name == "report.html" and path.parent.parent == graded[0].grader / "reports"
    assert '<html lang="ko">' in page and "<h1>반 보고서: 테스트반</h1>" in page
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[0] == "요약" and {"학습자별 점수", "기술별 숙달도", "문항 통계 (난이도·변별도)",
                                     "무결성 표시와 채점 문제", "채점 대기 답안 (서술형)", "그래프"} <= set(headings)
    sources = re.findall(r'src="([^"]*)"', page)
    assert len(sources) >= 2 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "<link" not in page and "http://" not in page and "https://" not in page
    assert "<script" not in page  # the absent learner's name is text, not markup
    assert "&lt;script&gt;alert(&#x27;박&#x27;)&lt;/script&gt;" in page


def test_each_total_agrees_with_the_engine_records(graded):
    cohort, _, writer, _, path = graded
    shown = scores_by_learner(path)
    for learner, record in records(cohort).items():
        cells = grades(record)
        points = sum(g["points"] for g in cells if g["points"] is not None)
        row = shown[learner]
        assert float(row["만점"]) == sum(g["max_points"] for g in cells) == 13
        if learner == writer.id:
            assert (row["상태"], row["점수"], row["백분율"]) == ("채점 대기",) * 3
            assert float(row["채점된 점수"]) == points and float(row["채점된 만점"]) == 12
        else:
            assert row["상태"] == "완료" and float(row["점수"]) == points
            assert row["백분율"] == f"{100 * points / 13:.1f}"


def test_item_difficulty_and_discrimination_recomputed_from_the_records(graded):
    cohort, _, _, _, path = graded
    learners = records(cohort)
    shown = items_by_cell(path)
    by_cell = {g["grade_id"]: [] for g in grades(next(iter(learners.values())))}
    for record in learners.values():
        for g in grades(record):
            by_cell[g["grade_id"]].append(g)
    auto = [cell for cell in by_cell if cell != "w1"]
    rest = {learner: sum(g["points"] for g in grades(r) if g["grade_id"] in auto) for learner, r in learners.items()}
    for cell, cells in by_cell.items():
        known = [g["points"] / g["max_points"] for g in cells if g["points"] is not None]
        assert int(shown[cell]["학습자 수 (n)"]) == len(known)
        assert float(shown[cell]["난이도 (difficulty)"]) == pytest.approx(sum(known) / len(known), abs=5e-4)
    for cell in auto:  # point-biserial of the item with the rest of the tier's automatic points
        item = [next(g for g in grades(r) if g["grade_id"] == cell)["points"] for r in learners.values()]
        others = [rest[learner] - points for learner, points in zip(learners, item)]
        expected = stats.pointbiserialr([p / 2 for p in item], others).statistic
        assert float(shown[cell]["변별도 (discrimination)"]) == pytest.approx(expected, abs=5e-4)
        assert (shown[cell]["비고 (note)"] == REVIEW) == (expected < 0)
    assert int(shown["w1"]["학습자 수 (n)"]) == 11  # the pending written answer is left out


def test_the_blank_learner_is_a_zero_and_the_absent_one_is_미제출_outside_the_statistics(graded):
    cohort, made, writer, _, path = graded
    shown = scores_by_learner(path)
    blank = next(l for l in made.learners if l.profile == "blank")
    assert (shown[blank.id]["점수"], shown[blank.id]["백분율"]) == ("0", "0.0")
    assert [shown[ABSENT][c] for c in ("상태", "점수", "백분율", "채점된 점수")] == ["미제출", "미제출", "미제출", ""]
    assert shown[ABSENT]["이름"] == ABSENT_NAME
    assert all(int(row["학습자 수 (n)"]) <= 12 for row in table(path, "문항_통계.csv"))
    (summary,) = table(path, "요약.csv")
    finals = [float(row["백분율"]) for row in shown.values() if row["상태"] == "완료"]
    assert len(finals) == 11 and blank.id in shown  # 12 graded, one waiting; the absent learner is no 0 here
    assert (summary["학습자"], summary["제출"], summary["미제출"], summary["채점 대기 답안"]) == ("13", "12", "1", "1")
    assert summary["중앙값(%, 점수 확정)"] == f"{median(finals):.1f}"
    graded_parts = [100 * float(row["채점된 점수"]) / float(row["채점된 만점"]) for row in shown.values()
                    if row["상태"] in ("완료", "채점 대기")]
    assert len(graded_parts) == 12 and summary["채점된 부분 중앙값(%)"] == f"{median(graded_parts):.1f}"
    assert all(int(row["학습자 수 (learners)"]) == 12 for row in table(path, "기술별_숙달도.csv"))


def test_skill_mastery_is_the_share_of_points_on_the_skills_questions(graded):
    cohort, _, _, _, path = graded
    from grader.keys import get

    earned: dict[str, list[float]] = {}
    for record in records(cohort).values():
        for g in grades(record):
            for skill in (get(g["qid"]).skills if g["qid"] else ()):
                earned.setdefault(skill, [0.0, 0.0])
                earned[skill][0] += g["points"]
                earned[skill][1] += g["max_points"]
    shown = {row["기술 (skill)"]: float(row["숙달도 (mastery)"]) for row in table(path, "기술별_숙달도.csv")}
    assert set(shown) == set(earned) and "친구 수" in shown and "(기술 미지정)" not in shown
    for skill, (points, most) in earned.items():
        assert shown[skill] == pytest.approx(points / most, abs=5e-4)
    assert "기술별 숙달도" in path.read_text(encoding="utf-8")


def test_the_pending_written_answer_is_listed_as_ungraded(graded):
    _, _, writer, _, path = graded
    assert [(r["아이디"], r["칸"], r["배점"]) for r in table(path, "채점_대기.csv")] == [(writer.id, "w1", "1")]
    assert "서술형 1개가 아직 채점 대기예요" in path.read_text(encoding="utf-8")


def test_the_deleted_check_cell_is_an_integrity_flag_in_the_report(graded):
    cohort, _, _, deleter, path = graded
    flags = records(cohort)[deleter.id]["notebooks"][NOTEBOOK]["flags"]
    assert flags, "the engine flags a deleted check cell"
    rows = [r for r in table(path, "무결성.csv") if r["아이디"] == deleter.id and r["종류"] == flags[0]["code"]]
    assert rows and rows[0]["사유"] == flags[0]["reason"] and rows[0]["처리"] in ("0점", "검토")
    page = path.read_text(encoding="utf-8")
    assert page.count(deleter.id) >= 2  # in the score table and in the flags table


def test_the_most_missed_question_names_its_most_frequent_mistake(graded):
    cohort, _, _, _, path = graded
    from grader.keys import get

    missed = table(path, "많이_틀린_문항.csv")
    first = missed[0]
    assert float(first["난이도 (difficulty)"]) == min(float(r["난이도 (difficulty)"]) for r in missed)
    messages = [g["message"] for r in records(cohort).values() for g in grades(r)
                if g["grade_id"] == first["칸 (grade_id)"] and g["points"] < g["max_points"]]
    known = [m.message for m in get(first["문제 ID (qid)"]).mistakes]
    counts = {m: sum(m in message for message in messages) for m in known}
    assert int(first["틀림·빈 답 (missed)"]) == len(messages)
    if max(counts.values()):
        assert int(first["그 실수 학습자 수 (mistake_count)"]) == max(counts.values())
        assert counts[first["가장 많은 실수 (mistake)"]] == max(counts.values())


def give_scores(cohort, scores: dict[tuple[str, str], float]) -> None:
    """What formgrader does when the trainer sets a cell's score: (learner, grade id) -> points."""
    from nbgrader.api import Gradebook

    url = "sqlite:///" + (cohort.grader / "gradebook.db").as_posix()
    with warnings.catch_warnings(), Gradebook(url, "kakao-channel-academy") as gradebook:
        warnings.simplefilter("ignore")
        for (student, grade_id), points in scores.items():
            grade = gradebook.find_grade(grade_id, NOTEBOOK, TIER, student)
            grade.manual_score = points
            grade.needs_manual_grade = False
        gradebook.db.commit()


def test_manual_grades_count_and_a_reversed_item_is_marked_for_review(copy, graded):
    _, _, writer, _, _ = graded
    learners = records(copy)
    # the trainer grades the written answer, and (say, by a wrong key) an item scores the opposite of the rest
    flipped = {(learner, "t5-sales_by_source"): 2 - next(g for g in grades(r) if g["grade_id"] == "t5-sales_by_source")
               ["points"] for learner, r in learners.items()}
    give_scores(copy, {(writer.id, "w1"): 1, **flipped})
    path = report.class_report(copy, say=quiet)
    row = scores_by_learner(path)[writer.id]
    expected = sum(g["points"] for g in grades(learners[writer.id]) if g["grade_id"] not in ("w1", "t5-sales_by_source"))
    expected += 1 + flipped[(writer.id, "t5-sales_by_source")]
    assert (row["상태"], float(row["점수"])) == ("완료", expected)
    assert table(path, "채점_대기.csv") == []
    item = items_by_cell(path)["t5-sales_by_source"]
    assert float(item["변별도 (discrimination)"]) < 0 and item["비고 (note)"] == REVIEW
    assert '<tr class="review">' in path.read_text(encoding="utf-8")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of the cohort but the reports: grades, submissions, records, feedback."""
    reports, data = folder / "grader" / "reports", folder / "data"
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and reports not in p.parents and data not in p.parents}


def test_a_rerun_writes_a_new_report_and_changes_nothing_else(copy, capsys):
    before = snapshot(copy.folder)
    earlier = {p: p.read_bytes() for p in (copy.grader / "reports").rglob("*") if p.is_file()}
    assert main(["report", "--cohort", str(copy.folder)]) == 0
    assert main(["report", "--cohort", str(copy.folder), "--tier", TIER]) == 0
    printed = capsys.readouterr().out
    made = re.findall(r"반 보고서를 만들었어요: (.*report\.html)", printed)
    assert len(made) == 2 and made[0] != made[1] and all(Path(p).is_file() for p in made)
    assert snapshot(copy.folder) == before and len(before) > 30
    assert all(p.read_bytes() == content for p, content in earlier.items())
    assert not list((copy.grader / "reports").glob(".*partial"))
    first, second = (Path(p).parent for p in made)
    assert (first / "점수.csv").read_bytes() == (second / "점수.csv").read_bytes()


def test_bad_input_is_refused_in_korean_and_writes_nothing(copy, tmp_path, capsys):
    folders = set((copy.grader / "reports").iterdir())
    assert main(["report", "--cohort", str(copy.folder), "--tier", "advanced"]) == 1
    assert "성적부에 없는 과정이에요: advanced" in capsys.readouterr().err
    a_file = tmp_path / "보고서.html"
    a_file.write_text("x", encoding="utf-8")
    assert main(["report", "--cohort", str(copy.folder), "--out", str(a_file)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("오류: ") and "파일이에요" in err
    assert main(["report", "--cohort", str(tmp_path / "없는반")]) == 1
    assert "반을 찾지 못했어요" in capsys.readouterr().err
    assert set((copy.grader / "reports").iterdir()) == folders and a_file.read_text(encoding="utf-8") == "x"


def test_a_cohort_with_no_graded_work_gets_a_clear_message(tmp_path, capsys):
    cohort = lay_out(tmp_path / "새반", build=True)
    with pytest.raises(TrainerError, match="학습자가 없어요"):
        report.class_report(cohort, say=quiet)
    roster.import_roster(cohort, write_csv(tmp_path / "명단.csv", "id,name\nkim01,김민지\n"), say=quiet)
    assert main(["report", "--cohort", str(cohort.folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("오류: 아직 채점된 제출물이 없어요") and "autograde" in err
    assert not (cohort.grader / "reports").exists()


# ---------------------------------------------------------------- the item statistics on a table whose answer is known


def long(shares: dict[str, list[float | None]], most: float = 1.0) -> pd.DataFrame:
    rows = [{"learner": f"L{n}", "item": item, "points": math.nan if share is None else share * most,
             "max_points": most} for item, column in shares.items() for n, share in enumerate(column)]
    return pd.DataFrame(rows)


def test_item_statistics_on_a_hand_made_class():
    # six learners; q1..q3 rise with ability, "reversed" falls with it, "easy" everyone got, "late" has a pending score
    shares = {"q1": [0, 0, 0, 1, 1, 1], "q2": [0, 0, 1, 0, 1, 1], "q3": [0, 1, 0, 1, 1, 1],
              "reversed": [1, 1, 1, 0, 0, 0], "easy": [1, 1, 1, 1, 1, 1], "late": [0, 0, 1, 1, None, 1]}
    result = item_statistics(long(shares, most=2)).set_index("item")
    table_ = pd.DataFrame(shares)
    common = ["q1", "q2", "q3", "reversed", "easy"]  # "late" is not known for everyone: no part of any rest-score
    for item in shares:
        known = table_[item].dropna()
        rest = 2 * table_[[c for c in common if c != item]].sum(axis=1).loc[known.index]
        assert result.loc[item, "n"] == len(known)
        assert result.loc[item, "difficulty"] == pytest.approx(known.mean())
        if item == "easy":
            assert math.isnan(result.loc[item, "discrimination"]) and result.loc[item, "note"] == NO_SPREAD
        else:
            assert result.loc[item, "discrimination"] == pytest.approx(stats.pointbiserialr(known, rest).statistic)
    assert result.loc["reversed", "note"] == REVIEW and result.loc["reversed", "discrimination"] < 0
    assert all(result.loc[item, "note"] == "" for item in ("q1", "q2", "q3", "late"))


def test_too_few_learners_give_no_discrimination():
    result = item_statistics(long({"q1": [0, 1, 1, 0], "q2": [1, 0, 1, 0]})).set_index("item")
    assert result["note"].eq(TOO_FEW).all() and result["discrimination"].isna().all()
    assert result.loc["q1", "difficulty"] == 0.5
