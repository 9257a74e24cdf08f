"""The weekly study pack: an empty team, one member graded from a folder (no trainer), twelve members from a cohort's
gradebook; the drill of the week replays for the same week and changes with the next; goals and cases in the pack."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta

import nbformat
import pytest

from conftest import ROOT, using_data
from grader.engine.grading import Limits, autograde
from grader.study.caselog import add_case, make_case
from grader.study.drill_week import drill_of_week, week_scenario, week_seed
from grader.study.goals import make_goal, record_result, set_goal
from grader.study.pack import week_pack
from grader.study.progress import board_from_cohort
from grader.study.review import anchor, most_missed
from grader.study.store import StudyDB
from grader.trainer import roster
from grader.trainer.simulate import simulate
from grading import submission
from trainer_cohort import LESSON, TIER, lay_out, quiet, write_csv

TODAY = date.today()


def _sections(page: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", page)


def test_an_empty_team_gets_a_whole_pack_that_says_what_is_missing(tmp_path):
    pack, sheet = week_pack(1, tmp_path / "빈팀", say=quiet)
    page = pack.read_text(encoding="utf-8")
    assert _sections(page)[:2] == ["오늘 순서 (50분)", "1. 진행 상황"]
    assert "아직 멤버가 없어요" in page and "아직 공유된 사례가 없어요" in page and "이번 주 목표를 정해요" in page
    assert "<img" not in page  # nothing to plot yet
    answers = sheet.read_text(encoding="utf-8")
    assert "가장 좋은 길" in answers and "가장 좋은 길" not in page  # the answers stay on the facilitator's sheet


def test_the_drill_replays_for_the_same_week_and_moves_on_the_next(tmp_path):
    first = drill_of_week("우리팀", 3, tmp_path / "a", say=quiet)
    again = drill_of_week("우리팀", 3, tmp_path / "b", say=quiet)
    assert (first.seed, first.scenario, first.first_situation, first.best, first.worst) == \
        (again.seed, again.scenario, again.first_situation, again.best, again.worst)
    assert (first.data / "incidents.csv").read_bytes() == (again.data / "incidents.csv").read_bytes()
    following = [week_scenario("우리팀", week) for week in range(3, 7)]
    assert len(set(following)) == 4 and week_seed("우리팀", 4) != first.seed
    assert first.best.complaints + first.best.blocks <= first.worst.complaints + first.worst.blocks
    assert first.best.complaints + first.best.blocks < first.worst.complaints + first.worst.blocks


@pytest.fixture(scope="module")
def twelve(tmp_path_factory):
    """A cohort of twelve simulated members, graded by the engine (the orientation lesson)."""
    base = tmp_path_factory.mktemp("study12")
    cohort = lay_out(base / "스터디반", build=True)
    made = simulate(cohort.folder, TIER, n=12, seed=5, data=cohort.data)
    roster.import_roster(cohort, write_csv(base / "명단.csv", made.roster.read_text(encoding="utf-8-sig")),
                         say=quiet)
    with using_data(cohort.data):
        summary = autograde(cohort.grader, TIER, jobs=2, limits=Limits(cell_seconds=30), progress=False, say=quiet)
    assert len(summary.graded) == 12, summary.text()
    return cohort, made


def test_twelve_members_from_the_gradebook_fill_the_board_and_the_review(twelve, tmp_path):
    cohort, made = twelve
    board = board_from_cohort(cohort)
    assert len(board.names) == 12 and list(board.percent.columns) == [f"{TIER}/{LESSON.removesuffix('.ipynb')}"]
    blank = [l.id for l in made.learners if l.profile == "blank"]
    assert blank and all(board.percent.loc[b].iloc[0] == 0 for b in blank)
    cells = board.cells[board.cells["points"].notna()]
    for member in board.names:  # the board's percent is the member's points over the points there were
        mine = cells[cells["learner"] == member]
        if len(mine):
            assert board.percent.loc[member].iloc[0] == pytest.approx(100 * mine["points"].sum() / mine["max_points"].sum())
    concepts = most_missed(board.cells)
    assert len(concepts) == 2 and concepts[0].missed >= concepts[1].missed > 0 and concepts[0].meaning

    team = tmp_path / "팀"
    db = StudyDB(team)
    add_case(db, make_case(2, "김민지", "동네빵집", "주말 쿠폰 뒤 차단이 늘었어요", "주 1회로 줄였어요", "차단율", "0.012",
                           "0.007", "b04", "성공", "빈도가 문제였어요"))
    add_case(db, make_case(2, "이서준", "꽃집", "<b>야간</b> 발송 실수", "예약 발송 시각 점검표", "차단율", "0.02", "0.03",
                           "b03", "실패", "예약 전에 두 사람이 확인해요"))
    set_goal(db, make_goal(1, "클릭률", "전체 발송", "0.031", "0.036", TODAY + timedelta(days=7),
                           "클릭이 주문으로 이어져요", "매주 목요일 통계를 봐요", swing="0.003"), today=TODAY)
    record_result(db, 1, "0.0335", today=TODAY + timedelta(days=8))
    week_pack(1, team, cohort=cohort, say=quiet)
    pack, _ = week_pack(2, team, cohort=cohort, say=quiet)
    page = pack.read_text(encoding="utf-8")
    assert page.count("<img") == 2  # the heat map and, from the second week on, the trend
    for concept in concepts:
        href = next(h for h in re.findall(r'href="([^"]+)"', page) if h.endswith(concept.link))
        opened = (pack.parent / href.split("#")[0]).resolve()  # the learner's copy, never the source with solutions
        assert opened == (ROOT / "workspace" / concept.link.split("#")[0]).resolve() and concept.skill in page
        assert concept.link.endswith("#" + anchor(concept.section)) and concept.section
    assert "&lt;b&gt;야간&lt;/b&gt;" in page and "<b>야간</b>" not in page  # a member's text is escaped
    assert "2주차 사례 2건" in page and "실패 1건" in page
    assert "결과 <b>0.0335</b>: 미달성 (기준선에서 목표까지의 50%)" in page


def test_a_team_without_a_trainer_is_graded_from_a_folder_on_the_spot(tmp_path):
    """One member's notebooks in a folder: graded by the engine in the team folder, the same score a trainer gets."""
    course = tmp_path / "과정"
    lay_out(course, build=True)  # a course of the orientation lesson (its source, built student copy, config)
    members = tmp_path / "노트북"
    (members / "김민지").mkdir(parents=True)
    release = course / "grader" / "release" / TIER / LESSON
    nbformat.write(submission(release, course / TIER / LESSON), members / "김민지" / LESSON)
    source = tmp_path / "원본"
    (source / TIER).mkdir(parents=True)
    shutil.copy(ROOT / TIER / LESSON, source / TIER / LESSON)
    (source / "grader").mkdir()
    shutil.copy(ROOT / "grader" / "nbgrader_config.py", source / "grader")
    pack, _ = week_pack(1, tmp_path / "팀", members=members, say=quiet, source=source)
    page = pack.read_text(encoding="utf-8")
    assert page.count("<img") == 1 and "멤버 1명" in page
    from grader.study.progress import GRADING_FOLDER
    from grader.trainer.cohort import read

    board = board_from_cohort(read(tmp_path / "팀" / GRADING_FOLDER))
    assert board.percent.loc["김민지"].iloc[0] > 0
    auto = board.cells[~board.cells["written"].astype(bool)]
    assert auto["points"].sum() == auto["max_points"].sum()  # the solution's code earns every auto-graded point
