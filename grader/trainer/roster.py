"""A cohort's roster: learners imported from a CSV (id, name, email) into ``roster.csv`` and the gradebook.

The file may come from Korean Excel in either of its CSV kinds: "CSV UTF-8" (with a BOM) or plain "CSV" (CP949).
Headers may be English (``id,name,email``) or Korean (``아이디``/``학번``/``사번``, ``이름``, ``이메일``). Every bad row
is reported at once, numbered as Excel shows it (the header is row 1), and a file with any bad row imports nothing.
A good file is written whole: the gradebook in one commit, then ``roster.csv`` (UTF-8 with BOM) moved into place.

A learner the new file leaves out is removed only if they have no work yet (no submission folder, nothing in the
gradebook); one with work is kept, in the gradebook and in ``roster.csv``, and the report says so.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import names
from .cohort import Cohort
from .errors import TrainerError

ROSTER_FILE = "roster.csv"
FIELDS = ("id", "name", "email")
HEADERS = {
    "id": {"id", "아이디", "학번", "사번", "학습자id", "학습자아이디", "studentid", "learnerid", "username", "userid"},
    "name": {"name", "이름", "성명", "fullname", "학습자", "학습자이름"},
    "email": {"email", "e-mail", "mail", "이메일", "메일", "전자우편", "이메일주소"},
}
LABELS = {"id": "아이디", "name": "이름", "email": "이메일"}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
# two-syllable family names; a four-syllable name starting with one is read as that family name + a given name
COMPOUND_SURNAMES = {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "어금", "망절"}


@dataclass(frozen=True)
class Learner:
    id: str
    name: str
    email: str = ""


@dataclass
class Report:
    """What an import did, for the trainer: every list is of learner ids."""

    encoding: str = "utf-8"
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # name or email changed
    removed: list[str] = field(default_factory=list)  # left out of the file, no work yet
    kept: list[str] = field(default_factory=list)  # left out of the file but with work: never deleted
    total: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def text(self) -> str:
        lines = []
        if self.encoding == "cp949":
            lines.append("파일을 CP949(한국어 Excel의 'CSV' 형식)로 읽었어요. 다음에는 'CSV UTF-8'로 저장하면 더 안전해요.")
        if not self.changed:
            lines.append(f"명단이 이미 그대로예요. 바뀐 것이 없어요 (학습자 {self.total}명).")
        else:
            lines.append(f"명단을 가져왔어요: 학습자 {self.total}명 (새로 {len(self.added)}명, 정보 변경 {len(self.updated)}명, "
                         f"명단에서 뺌 {len(self.removed)}명)")
            for label, ids in (("새 학습자", self.added), ("이름·이메일 변경", self.updated), ("명단에서 뺌", self.removed)):
                if ids:
                    lines.append(f"  - {label}: {', '.join(ids)}")
        if self.kept:
            lines.append(f"  - 파일에 없지만 제출물·점수가 있어 그대로 두었어요: {', '.join(self.kept)}")
        return "\n".join(lines)


# reading a file


def decode(raw: bytes) -> tuple[str, str]:
    """The file's text and its encoding: UTF-8 (with or without BOM) first, then Korean Excel's CP949."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp949"), "cp949"
    except UnicodeDecodeError:
        raise TrainerError("명단 파일의 글자 인코딩을 알 수 없어요. Excel에서 '다른 이름으로 저장 → CSV UTF-8(쉼표로 분리)'로 "
                           "다시 저장해 주세요.") from None


def _header_key(text: str) -> str:
    return re.sub(r"[\s_()\[\]]", "", names.clean(text or "")).lower()


def _columns(header: list[str]) -> dict[str, int]:
    """Which column holds id, name and email; a TrainerError if id or name is missing or doubled."""
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = _header_key(title)
        for name, words in HEADERS.items():
            if key in words:
                if name in found:
                    raise TrainerError(f"1행(제목 줄)에 {LABELS[name]} 열이 두 개예요 "
                                       f"({found[name] + 1}번째와 {index + 1}번째 열). 하나만 남겨 주세요.")
                found[name] = index
    missing = [LABELS[name] for name in ("id", "name") if name not in found]
    if missing:
        shown = ", ".join(h for h in header if h.strip()) or "비어 있음"
        raise TrainerError(f"1행(제목 줄)에 {'·'.join(missing)} 열이 없어요 (지금 제목: {shown}). "
                           "제목 줄은 id,name,email 또는 아이디,이름,이메일로 써 주세요.")
    return found


def parse(text: str) -> list[Learner]:
    """The learners of a roster's text, or a TrainerError listing every bad row (Excel's row numbers)."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise TrainerError("명단 파일이 비어 있어요. 1행에 id,name,email 제목을 쓰고 2행부터 학습자를 써 주세요.")
    where = _columns(rows[0])
    learners: list[Learner] = []
    problems: list[str] = []
    seen: dict[str, int] = {}  # id folded to lower case -> row it first appeared on
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # Excel leaves empty rows at the end
        cell = {name: names.clean(row[i]) if i < len(row) else "" for name, i in where.items()}
        learner = Learner(cell["id"], cell["name"], cell.get("email", ""))
        bad = _row_problems(learner, seen.get(learner.id.lower()))
        if bad:
            problems.append(f"{number}행: " + "; ".join(bad))
        if learner.id and learner.id.lower() not in seen:
            seen[learner.id.lower()] = number
        learners.append(learner)
    if problems:
        raise TrainerError(f"명단에 고칠 곳이 {len(problems)}줄 있어요. 아무것도 가져오지 않았어요.\n"
                           + "\n".join(f"  {line}" for line in problems))
    if not learners:
        raise TrainerError("명단에 학습자가 없어요. 2행부터 학습자를 써 주세요.")
    return learners


def _row_problems(learner: Learner, earlier_row: int | None) -> list[str]:
    bad = []
    problem = names.problem(learner.id)
    if problem == "비어 있어요":
        bad.append("아이디가 비어 있어요")
    elif problem:
        bad.append(f"아이디 '{learner.id}': {problem}")
    elif earlier_row is not None:
        bad.append(f"아이디 '{learner.id}': {earlier_row}행과 겹쳐요 (대소문자만 달라도 같은 학습자 폴더가 돼요)")
    if not learner.name:
        bad.append("이름이 비어 있어요")
    if learner.email and not EMAIL.fullmatch(learner.email):
        bad.append(f"이메일 '{learner.email}': 형식이 맞지 않아요")
    return bad


def read_file(path: Path) -> tuple[list[Learner], str]:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TrainerError(f"명단 파일 '{path}'이 없어요. 경로를 확인해 주세요.") from None
    except OSError as error:
        raise TrainerError(f"명단 파일 '{path}'을 열 수 없어요 ({error.strerror}).") from None
    text, encoding = decode(raw)
    return parse(text), encoding


# the cohort's roster


def roster_path(cohort: Cohort) -> Path:
    return cohort.folder / ROSTER_FILE


def read_roster(cohort: Cohort) -> list[Learner]:
    """The cohort's imported learners (none before the first import)."""
    path = roster_path(cohort)
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [Learner(row["id"], row["name"], row.get("email") or "") for row in csv.DictReader(handle)]


def write_beside(path: Path, text: str) -> Path:
    """``text`` as UTF-8 with BOM in a scratch file beside ``path``; ``os.replace`` it onto ``path`` to keep it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as out:
            out.write(text)
        os.chmod(scratch, _mode_for(path))
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return Path(scratch)


def _mode_for(path: Path) -> int:
    """The file's own permissions if it exists, else what a plain new file gets (mkstemp's are owner-only)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, text: str) -> None:
    """``text`` as UTF-8 with BOM at ``path``, written beside it and renamed onto it: never half a file."""
    os.replace(write_beside(path, text), path)


def _text_of(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)  # CRLF, as Excel writes it
    return buffer.getvalue()


def split_name(name: str) -> tuple[str, str]:
    """(first_name, last_name) for nbgrader, which shows a learner as "last_name, first_name".

    A Korean name is family name first: 김민지 -> ("민지", "김"), 남궁민수 -> ("민수", "남궁"), and 김 민지 splits at the
    space. A name in Latin letters splits at its last space: "Jane Doe" -> ("Jane", "Doe"). A name that cannot be
    split (one word) is all last name with an empty first name, so it is shown once and never as "None".
    """
    parts = name.split()
    if len(parts) >= 2:
        if HANGUL.match(parts[0]):
            return " ".join(parts[1:]), parts[0]
        return " ".join(parts[:-1]), parts[-1]
    if HANGUL.fullmatch(name) and 2 <= len(name) <= 5:
        family = 2 if len(name) >= 4 and name[:2] in COMPOUND_SURNAMES else 1
        return name[family:], name[:family]
    return "", name


def _work_of(cohort: Cohort, gradebook) -> set[str]:
    """Learners with anything to lose: a submission in the gradebook or a submitted folder on disk."""
    from nbgrader.api import SubmittedAssignment

    with_work = {row[0] for row in gradebook.db.query(SubmittedAssignment.student_id).distinct()}
    submitted = cohort.grader / "submitted"
    if submitted.is_dir():
        with_work |= {folder.name for folder in submitted.iterdir() if folder.is_dir() and any(folder.iterdir())}
    return with_work


def gradebook_of(cohort: Cohort):
    from ..engine.grading import EngineError, open_course

    try:
        return open_course(cohort.grader).gradebook()
    except EngineError as error:
        raise TrainerError(str(error)) from None


def import_roster(cohort: Cohort, path: Path, say=print) -> Report:
    """Import the roster file at ``path`` into ``cohort``; nothing changes if any row is bad."""
    learners, encoding = read_file(path)
    report = Report(encoding=encoding)
    before = {learner.id: learner for learner in read_roster(cohort)}
    wanted = {learner.id: learner for learner in learners}
    from nbgrader.api import Student

    with gradebook_of(cohort) as gradebook:
        with_work = _work_of(cohort, gradebook)
        kept = [before[id_] for id_ in before if id_ not in wanted and id_ in with_work]
        report.kept = [learner.id for learner in kept]
        report.removed = [id_ for id_ in before if id_ not in wanted and id_ not in with_work]
        session = gradebook.db
        scratch = None
        try:
            for learner in learners:
                _update(session, Student, learner, before.get(learner.id), report)
            for id_ in report.removed:
                student = session.get(Student, id_)
                if student is not None and not student.submissions:
                    session.delete(student)
            final = learners + kept
            report.total = len(final)
            text = csv_text([list(FIELDS)] + [[one.id, one.name, one.email] for one in final])
            if _text_of(roster_path(cohort)) != text:
                scratch = write_beside(roster_path(cohort), text)
            session.commit()
            if scratch is not None:
                os.replace(scratch, roster_path(cohort))
        except BaseException:
            session.rollback()
            if scratch is not None:
                scratch.unlink(missing_ok=True)
            raise
    say(report.text())
    return report


def _update(session, Student, learner: Learner, before: Learner | None, report: Report) -> None:
    """One learner into the gradebook session (committed with the rest), counted in ``report``."""
    first, last = split_name(learner.name)
    email = learner.email or None
    student = session.get(Student, learner.id)
    if student is None:
        session.add(Student(id=learner.id, first_name=first, last_name=last, email=email))
        report.added.append(learner.id)
        return
    differs = (student.first_name, student.last_name, student.email) != (first, last, email)
    if differs:
        student.first_name, student.last_name, student.email = first, last, email
    if before is None:
        report.added.append(learner.id)  # in the gradebook already (graded before any roster was imported)
    elif differs or before != learner:
        report.updated.append(learner.id)
