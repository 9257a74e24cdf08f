"""``python -m grader roster``: a learner CSV into the cohort's roster.csv and nbgrader gradebook.

Every test works on its own copy of one small cohort (laid out by hand, its gradebook made once) and a real
nbgrader gradebook. Bad rows are reported together with Excel's row numbers and leave everything as it was.
"""

from __future__ import annotations

import unicodedata

import pytest

from grader.__main__ import main
from grader.trainer import roster
from grader.trainer.errors import TrainerError
from trainer_cohort import TIER, copy_of, lay_out, quiet, students, write_csv

GOOD = "id,name,email\nkim01,김민지,kim01@example.com\nlee02,이서준,\nnamgoong,남궁민수,ng@example.kr\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    cohort = lay_out(tmp_path_factory.mktemp("roster-template") / "12기")
    with roster.gradebook_of(cohort):  # the gradebook made once (nbgrader runs alembic for it)
        pass
    return cohort


@pytest.fixture
def cohort(template, tmp_path):
    return copy_of(template, tmp_path / "12기")


def state(cohort) -> tuple[dict, bytes | None]:
    path = roster.roster_path(cohort)
    return students(cohort), path.read_bytes() if path.exists() else None


def test_a_good_roster_lands_in_roster_csv_and_the_gradebook(cohort, tmp_path):
    report = roster.import_roster(cohort, write_csv(tmp_path / "명단.csv", GOOD), say=quiet)
    assert report.added == ["kim01", "lee02", "namgoong"] and report.total == 3
    saved = roster.roster_path(cohort).read_bytes()
    assert saved.startswith(b"\xef\xbb\xbf") and "김민지".encode() in saved
    assert [l.name for l in roster.read_roster(cohort)] == ["김민지", "이서준", "남궁민수"]
    # formgrader shows "last_name, first_name": a Korean name splits at its family name, so it reads 김, 민지
    assert students(cohort) == {"kim01": ("민지", "김", "kim01@example.com"), "lee02": ("서준", "이", None),
                                "namgoong": ("민수", "남궁", "ng@example.kr")}


def test_every_bad_row_is_named_and_nothing_is_imported(cohort, tmp_path):
    roster.import_roster(cohort, write_csv(tmp_path / "first.csv", GOOD), say=quiet)
    before = state(cohort)
    bad = write_csv(tmp_path / "bad.csv", "아이디,이름,이메일\n"
                    "park03,박지훈,p@example.kr\n"      # row 2: good
                    "park03,박지훈,\n"                   # row 3: duplicate of row 2
                    ",이름만,\n"                         # row 4: empty id
                    "../x,점점,\n"                       # row 5: unsafe id
                    "a/b,슬래시,\n"                      # row 6: unsafe id
                    "choi05,최유나,\n"                   # row 7: good, a Korean name
                    "PARK03,박대문자,\n"                 # row 8: same folder as row 2 on Windows and macOS
                    "jung06,,메일아님\n")                # row 9: no name, not an e-mail
    with pytest.raises(TrainerError) as raised:
        roster.import_roster(cohort, bad, say=quiet)
    message = str(raised.value)
    lines = message.splitlines()
    assert "아무것도 가져오지 않았어요" in lines[0] and "6줄" in lines[0]
    assert [line.split("행:")[0].strip() for line in lines[1:]] == ["3", "4", "5", "6", "8", "9"]
    assert "2행과 겹쳐요" in lines[1] and "아이디가 비어 있어요" in lines[2]
    assert "'../x'" in lines[3] and "폴더 이름으로 쓸 수 없어요" in lines[3] and "'a/b'" in lines[4]
    assert "2행과 겹쳐요" in lines[5] and "이름이 비어 있어요" in lines[6] and "'메일아님'" in lines[6]
    assert state(cohort) == before


def test_the_command_prints_the_korean_error_and_exits_1(cohort, tmp_path, capsys):
    bad = write_csv(tmp_path / "bad.csv", "id,name\nkim01,김민지\nkim01,김민지\n")
    assert main(["roster", str(bad), "--cohort", str(cohort.folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("오류: 명단에 고칠 곳이 1줄") and "3행: 아이디 'kim01': 2행과 겹쳐요" in err
    assert not roster.roster_path(cohort).exists() and students(cohort) == {}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp949"])
def test_excel_s_csv_kinds_read_alike(cohort, tmp_path, encoding):
    """CSV UTF-8 (BOM), a plain UTF-8 file and Korean Excel's plain "CSV" (CP949), with Korean headers."""
    path = write_csv(tmp_path / "명단.csv", "학번,이름,이메일\n2026001,김민지,\n2026002,이서준,lee@example.com\n",
                     encoding)
    told = []
    report = roster.import_roster(cohort, path, say=told.append)
    assert (report.encoding == "cp949") == (encoding == "cp949")
    assert ("CP949" in told[0]) == (encoding == "cp949")
    assert [(l.id, l.name) for l in roster.read_roster(cohort)] == [("2026001", "김민지"), ("2026002", "이서준")]
    assert students(cohort)["2026001"] == ("민지", "김", None)


def test_a_mac_s_decomposed_korean_id_is_composed_and_still_a_duplicate(cohort, tmp_path):
    nfd = unicodedata.normalize("NFD", "김민지")
    assert nfd != "김민지"
    roster.import_roster(cohort, write_csv(tmp_path / "mac.csv", f"id,name\n{nfd},{nfd}\n"), say=quiet)
    assert list(students(cohort)) == ["김민지"] and roster.read_roster(cohort)[0].name == "김민지"
    with pytest.raises(TrainerError, match="3행: 아이디 '김민지': 2행과 겹쳐요"):
        roster.parse(f"id,name\n김민지,김민지\n{nfd},김민지\n")


def test_a_header_without_ids_says_what_it_found(tmp_path):
    with pytest.raises(TrainerError, match=r"1행\(제목 줄\)에 아이디 열이 없어요 \(지금 제목: 성명, 메일\)"):
        roster.parse("성명,메일\n김민지,kim@example.com\n")


def test_a_rerun_with_the_same_file_changes_nothing_and_says_so(cohort, tmp_path):
    path = write_csv(tmp_path / "명단.csv", GOOD)
    roster.import_roster(cohort, path, say=quiet)
    before, stamp = state(cohort), roster.roster_path(cohort).stat().st_mtime_ns
    told = []
    report = roster.import_roster(cohort, path, say=told.append)
    assert not report.changed and "바뀐 것이 없어요" in told[0]
    assert state(cohort) == before and roster.roster_path(cohort).stat().st_mtime_ns == stamp


def test_changes_are_applied_and_a_learner_with_work_is_never_deleted(cohort, tmp_path):
    roster.import_roster(cohort, write_csv(tmp_path / "v1.csv", GOOD), say=quiet)
    submitted = cohort.grader / "submitted" / "kim01" / TIER
    submitted.mkdir(parents=True)
    (submitted / "00_orientation.ipynb").write_text("{}", encoding="utf-8")  # collected, not yet graded
    # kim01 (with a submission) and lee02 (nothing yet) left out; namgoong's e-mail changed; one new learner
    changed = "id,name,email\nnamgoong,남궁민수,new@example.kr\nchoi05,최유나,\n"
    told = []
    report = roster.import_roster(cohort, write_csv(tmp_path / "v2.csv", changed), say=told.append)
    assert (report.added, report.updated, report.removed, report.kept) == (["choi05"], ["namgoong"], ["lee02"],
                                                                           ["kim01"])
    assert "제출물·점수가 있어 그대로 두었어요: kim01" in told[0]
    assert set(students(cohort)) == {"kim01", "namgoong", "choi05"}
    assert students(cohort)["namgoong"][2] == "new@example.kr"
    assert [l.id for l in roster.read_roster(cohort)] == ["namgoong", "choi05", "kim01"]
    assert (submitted / "00_orientation.ipynb").read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize("name, split", [("김민지", ("민지", "김")), ("남궁민수", ("민수", "남궁")),
                                         ("김 민지", ("민지", "김")), ("Jane Doe", ("Jane", "Doe")),
                                         ("Madonna", ("", "Madonna"))])
def test_names_are_split_the_way_formgrader_joins_them(name, split):
    """formgrader writes "last_name, first_name" (and "None" for a missing part): each name appears once, whole."""
    assert roster.split_name(name) == split
