"""course.load: typed frames, and a short Korean message for every kind of bad input."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import course
from course import DataError, load, use_data
from course.data import DATA_ENV, DEFAULT_DATA_DIR
from course.tables import TABLES


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch):
    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.setattr("course.data._chosen_dir", None)


@pytest.fixture
def small_cohort(tmp_path):
    """A copy of the small tables, to damage one by one."""
    for name in ("friends", "campaigns", "staff", "daily_stats"):
        shutil.copy(DEFAULT_DATA_DIR / TABLES[name].file_name, tmp_path)
    return tmp_path


@pytest.mark.parametrize("name", list(TABLES))
def test_types_follow_the_schema(name):
    frame = load(name)
    assert list(frame.columns) == TABLES[name].column_names
    for column in TABLES[name].columns:
        dtype = frame[column.name].dtype
        if column.kind in ("datetime", "date"):
            assert pd.api.types.is_datetime64_any_dtype(dtype), column.name
        elif column.kind == "bool":
            assert dtype == bool, column.name
        elif column.kind == "category":
            assert isinstance(dtype, pd.CategoricalDtype), column.name
            if column.categories:
                assert list(dtype.categories) == list(column.categories)
        elif column.kind == "int":
            assert pd.api.types.is_integer_dtype(dtype), column.name
        elif column.kind == "float":
            assert pd.api.types.is_float_dtype(dtype), column.name
        else:
            assert pd.api.types.is_string_dtype(dtype), column.name


def test_korean_table_name_and_a_fresh_copy_each_time():
    friends = load("친구")
    friends.loc[:, "region"] = "서울"
    assert (load("friends")["region"] != "서울").any()


def test_unknown_table_suggests_the_right_name():
    with pytest.raises(DataError) as error:
        load("frends")
    assert "\"frends\"라는 표는 없어요" in str(error.value) and "\"friends\"" in str(error.value)


def test_table_name_must_be_text():
    with pytest.raises(DataError, match="문자열"):
        load(3)


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="폴더"):
        load("friends", data_dir=tmp_path / "없는폴더")
    with pytest.raises(DataError, match="폴더가 없어요"):
        use_data(tmp_path / "없는폴더")


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="friends.csv 파일이 없어요"):
        load("friends", data_dir=tmp_path)


def test_env_variable_and_use_data_choose_the_folder(small_cohort, monkeypatch, tmp_path):
    (small_cohort / "staff.csv").write_bytes((DEFAULT_DATA_DIR / "staff.csv").read_bytes())
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(DataError, match=DATA_ENV):
        load("staff")
    use_data(small_cohort)
    assert course.current_data_dir() == small_cohort.resolve()
    assert len(load("staff")) == len(pd.read_csv(small_cohort / "staff.csv", encoding="utf-8-sig"))


def test_korean_folder_names_work(tmp_path):
    folder = tmp_path / "우리 기수 데이터"
    folder.mkdir()
    shutil.copy(DEFAULT_DATA_DIR / "staff.csv", folder)
    assert len(load("staff", data_dir=folder)) > 0


def _damage(folder, name, transform):
    path = folder / TABLES[name].file_name
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(transform(text), encoding="utf-8-sig")


@pytest.mark.parametrize("name, transform, expected", [
    ("staff", lambda t: t.replace("staff_id", "staffid", 1), "꼭 있어야 할 열 staff_id"),
    ("friends", lambda t: t.replace(",1,", ",예,", 1), "'ad_consent' 열에 0 또는 1이(가) 아닌 값 '예'"),
    ("daily_stats", lambda t: t.replace("2026-05-03,", "2026-05-3x,", 1), "'date' 열에 날짜"),
    ("staff", lambda t: t.replace(",2026-", ",2026/", 1), "'trained_on' 열에 날짜"),
    ("staff", lambda t: t.replace("S01", "", 1), "'staff_id' 열에 빈 칸"),
    ("daily_stats", lambda t: "\n".join(line + (",9,9" if i == 3 else "") for i, line in enumerate(t.splitlines())),
     "칸 수가 맞지 않는 줄"),
    ("daily_stats", lambda t: t.replace("\n2026-05-01,", "\n2026-05-01,많음", 1), "'friends_total' 열에 숫자"),
    ("staff", lambda t: "", "비어 있어요"),
    ("campaigns", lambda t: t.replace("기본 텍스트형", "기본텍스트", 1), "'msg_type' 열에 정해진 값"),
])
def test_damaged_files_get_a_korean_message(small_cohort, name, transform, expected):
    _damage(small_cohort, name, transform)
    with pytest.raises(DataError) as error:
        load(name, data_dir=small_cohort)
    message = str(error.value)
    assert expected in message
    assert "손상" in message and "course.datagen" in message  # what is wrong and what to do


def test_file_in_another_encoding(small_cohort):
    path = small_cohort / "staff.csv"
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode("cp949"))
    with pytest.raises(DataError, match="UTF-8"):
        load("staff", data_dir=small_cohort)


def test_a_load_error_in_a_notebook_shows_one_korean_line_not_a_traceback(tmp_path):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("from course import load\nload('frends')")])
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(CellExecutionError):
        client.execute()
    error = [o for o in nb.cells[0].outputs if o.output_type == "error"][0]
    assert len(error.traceback) == 1
    assert "데이터를 불러오지 못했어요" in error.traceback[0] and "friends" in error.traceback[0]
    assert "course/data.py" not in error.traceback[0]


def test_a_marker_naming_user_reads_the_folder_of_whoever_opened_the_copy(monkeypatch, tmp_path):
    """A copy handed out through the JupyterHub exchange: ``{user}`` is the learner's user name as nbgrader takes it
    (the OS user; ``JUPYTERHUB_USER`` where every server runs as jovyan). A user with no folder hears it in Korean."""
    import json

    from course.checks import CHECKS_FOLDER, released_token
    from course.data import MARKER, user_name

    for name in ("minji", "seojun"):
        (tmp_path / "learners" / name / "data").mkdir(parents=True)
        checks = tmp_path / "learners" / name / "checks" / CHECKS_FOLDER
        checks.mkdir(parents=True)
        (checks / "00.json").write_text(json.dumps({"checks": {"q1": f"token-of-{name}"}}), encoding="utf-8")
    lesson = tmp_path / "beginner"
    lesson.mkdir()
    (lesson / MARKER).write_text(json.dumps({"data": "../learners/{user}/data",
                                             "checks": "../learners/{user}/checks"}), encoding="utf-8")
    monkeypatch.chdir(lesson)
    monkeypatch.setattr("pwd.getpwuid", lambda uid: type("entry", (), {"pw_name": "jovyan"}))
    for name in ("minji", "seojun"):
        monkeypatch.setenv("JUPYTERHUB_USER", name)
        assert user_name() == name
        assert course.current_data_dir() == (tmp_path / "learners" / name / "data").resolve()
        assert released_token("q1") == f"token-of-{name}"
    monkeypatch.setenv("JUPYTERHUB_USER", "stranger")
    with pytest.raises(DataError, match="'stranger' 사용자의 데이터가 이 반에 없어요"):
        course.current_data_dir()
