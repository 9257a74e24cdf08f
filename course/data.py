"""Loading the channel's tables as typed pandas frames, with Korean messages when something is wrong.

Which folder is read, first match wins:
1. ``load(name, data_dir=...)``;
2. ``use_data(folder)`` earlier in the session;
3. the environment variable ``KAKAO_ACADEMY_DATA`` (trainers set it for a cohort's data);
4. ``.academy.json`` in the working folder or up to three folders above it: ``{"data": "../data"}`` (a path relative
   to that file, or absolute). A trainer's release writes it beside the lessons, so a learner's copy reads the
   cohort's data with no step from the learner. ``{user}`` in it stands for the learner's user name as nbgrader
   takes it (the OS user; on a JupyterHub whose servers all run as ``jovyan``, ``JUPYTERHUB_USER``): a cohort with
   per-learner data released through the JupyterHub exchange names each learner's own data folder that way, and
   its ``"checks"`` entry names the folder of that learner's check files;
5. the course's own ``datasets/`` folder.
"""

from __future__ import annotations

import difflib
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import CourseError
from .tables import DATE_FORMAT, DATETIME_FORMAT, TABLES, Table

DATA_ENV = "KAKAO_ACADEMY_DATA"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "datasets"
ENCODING = "utf-8-sig"
REGENERATE = "`python -m course.datagen --seed 2026 --out datasets --force`로 기본 데이터를 다시 만들 수 있어요."

_chosen_dir: Path | None = None


class DataError(CourseError):
    """A table that cannot be loaded: unknown name, missing folder or file, damaged file."""

    title = "데이터를 불러오지 못했어요"


def use_data(folder: str | os.PathLike) -> Path:
    """Read every later ``load`` from ``folder`` (e.g. a cohort's data from the trainer)."""
    global _chosen_dir
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise DataError(f"'{path}' 폴더가 없어요. 폴더 이름과 위치를 확인해 주세요.")
    _chosen_dir = path.resolve()
    return _chosen_dir


@contextmanager
def reading(folder: str | os.PathLike):
    """``load`` reads ``folder`` inside the block, and what it read before afterwards (a trainer's tools switch
    between a cohort's and its learners' data)."""
    global _chosen_dir
    previous = _chosen_dir
    use_data(folder)
    try:
        yield _chosen_dir
    finally:
        _chosen_dir = previous


MARKER = ".academy.json"
USER = "{user}"


def user_name() -> str:
    """The learner's user name as nbgrader takes it for a submission (``nbgrader.utils.get_username``)."""
    import getpass

    name = getpass.getuser() if os.name == "nt" else __import__("pwd").getpwuid(os.getuid()).pw_name
    return os.environ.get("JUPYTERHUB_USER", name) if name == "jovyan" else name


def marked_folder(start: Path, entry: str = "data") -> Path | None:
    """The folder a release's ``.academy.json`` names under ``entry``, looking in ``start`` and up to three folders
    above; None without a marker or without that entry."""
    import json

    for folder in [start, *start.parents][:4]:
        marker = folder / MARKER
        try:
            named = json.loads(marker.read_text(encoding="utf-8"))
            named = named.get(entry) if entry != "data" else named["data"]
        except FileNotFoundError:
            continue
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise DataError(f"{marker} 파일을 읽지 못했어요. 강사에게 받은 폴더를 다시 풀어 주세요.") from None
        if named is None:
            return None
        path = (folder / Path(str(named).replace(USER, user_name())).expanduser()).resolve()
        if USER in str(named) and not path.is_dir():
            raise DataError(f"'{user_name()}' 사용자의 데이터가 이 반에 없어요 ({path}). 반 명단에 있는 아이디로 "
                            "로그인했는지 확인하고, 그래도 안 되면 강사에게 알려 주세요.")
        return path
    return None


def current_data_dir() -> Path:
    """The folder ``load`` reads from now."""
    if _chosen_dir is not None:
        return _chosen_dir
    from_env = os.environ.get(DATA_ENV)
    if from_env:
        return Path(from_env).expanduser()
    try:
        marked = marked_folder(Path.cwd())
    except OSError:  # the working folder was removed
        marked = None
    return marked or DEFAULT_DATA_DIR


def table_names() -> list[str]:
    return list(TABLES)


def _table(name: str) -> Table:
    if not isinstance(name, str):
        raise DataError(f"표 이름은 문자열로 적어 주세요. 예: load(\"friends\"). 받은 값: {name!r}")
    key = name.strip()
    if key in TABLES:
        return TABLES[key]
    by_title = {table.title: table for table in TABLES.values()}
    if key in by_title:
        return by_title[key]
    guess = difflib.get_close_matches(key.lower(), list(TABLES), n=1)
    hint = f" 혹시 \"{guess[0]}\"인가요?" if guess else ""
    raise DataError(f"\"{name}\"라는 표는 없어요.{hint} 쓸 수 있는 표: {', '.join(TABLES)}")


def load(name: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One table as a typed DataFrame: datetimes parsed, 0/1 as bool, categories set.

    ``name`` is a table name such as ``"friends"`` or its Korean title such as ``"친구"``.
    """
    table = _table(name)
    folder = Path(data_dir).expanduser() if data_dir is not None else current_data_dir()
    if not folder.is_dir():
        where = f"환경 변수 {DATA_ENV}" if data_dir is None and os.environ.get(DATA_ENV) and _chosen_dir is None else "설정"
        raise DataError(f"데이터 폴더 '{folder}'가 없어요 ({where} 확인). 폴더 위치를 확인하거나 use_data(\"폴더\")로 "
                        f"알려 주세요. {REGENERATE}")
    path = folder / table.file_name
    if not path.is_file():
        raise DataError(f"'{folder}' 폴더에 {table.file_name} 파일이 없어요. 파일이 지워졌거나 다른 폴더를 가리키고 "
                        f"있어요. {REGENERATE}")
    stat = path.stat()
    return _read(str(path), stat.st_mtime_ns, stat.st_size, table.name).copy()


@lru_cache(maxsize=16)
def _read(path: str, mtime_ns: int, size: int, name: str) -> pd.DataFrame:
    table = TABLES[name]
    damaged = f"{Path(path).name} 파일이 손상된 것 같아요"
    try:
        raw = pd.read_csv(path, encoding=ENCODING, dtype=str, keep_default_na=False, na_values=[""])
    except UnicodeDecodeError:
        raise DataError(f"{damaged}: UTF-8 글자로 읽을 수 없어요 (다른 인코딩으로 저장된 듯해요). "
                        f"엑셀에서 저장했다면 'CSV UTF-8'로 다시 저장하세요. {REGENERATE}") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{damaged}: 내용이 비어 있어요. {REGENERATE}") from None
    except pd.errors.ParserError as error:
        raise DataError(f"{damaged}: 쉼표로 나뉜 칸 수가 맞지 않는 줄이 있어요 ({_line_of(error)}). {REGENERATE}") from None

    missing = [c for c in table.column_names if c not in raw.columns]
    if missing:
        raise DataError(f"{damaged}: 꼭 있어야 할 열 {', '.join(missing)}이(가) 없어요. "
                        f"있는 열: {', '.join(map(str, raw.columns))}. {REGENERATE}")

    frame = pd.DataFrame(index=raw.index)
    for column in table.columns:
        values = raw[column.name]
        if not column.nullable and values.isna().any():
            row = int(values.isna().to_numpy().argmax()) + 2
            raise DataError(f"{damaged}: '{column.name}' 열에 빈 칸이 있어요 ({row}번째 줄). {REGENERATE}")
        frame[column.name] = _convert(values, column.kind, column.categories, column.name, damaged)
    return frame


def _convert(values: pd.Series, kind: str, categories, name: str, damaged: str) -> pd.Series:
    def bad(expected: str, mask) -> DataError:
        row = int(pd.Series(mask).to_numpy().argmax())
        return DataError(f"{damaged}: '{name}' 열에 {expected}이(가) 아닌 값 {values.iloc[row]!r}이(가) 있어요 "
                         f"({row + 2}번째 줄). {REGENERATE}")

    if kind in ("id", "text"):
        return values.astype("string")
    if kind == "bool":
        wrong = values.notna() & ~values.isin(["0", "1"])
        if wrong.any():
            raise bad("0 또는 1", wrong)
        return values.eq("1")
    if kind in ("int", "float"):
        numbers = pd.to_numeric(values, errors="coerce")
        wrong = values.notna() & numbers.isna()
        if wrong.any():
            raise bad("숫자", wrong)
        if kind == "float":
            return numbers.astype("float64")
        if (numbers.dropna() % 1 != 0).any():
            raise bad("정수", numbers.notna() & (numbers % 1 != 0))
        return numbers.astype("Int64") if values.isna().any() else numbers.astype("int64")
    if kind in ("datetime", "date"):
        fmt = DATETIME_FORMAT if kind == "datetime" else DATE_FORMAT
        stamps = pd.to_datetime(values, format=fmt, errors="coerce")
        wrong = values.notna() & stamps.isna()
        if wrong.any():
            raise bad("날짜" if kind == "date" else "날짜·시각(YYYY-MM-DD HH:MM:SS)", wrong)
        return stamps
    if kind == "category":
        if categories is None:
            return values.astype("category")
        unknown = values.notna() & ~values.isin(categories)
        if unknown.any():
            raise bad(f"정해진 값({', '.join(categories)})", unknown)
        return pd.Series(pd.Categorical(values, categories=list(categories)), index=values.index)
    raise ValueError(kind)


def _line_of(error: Exception) -> str:
    text = str(error)
    marker = "line "
    if marker in text:
        number = text.split(marker, 1)[1].split(",")[0].split(" ")[0]
        return f"{number}번째 줄"
    return "위치 모름"
