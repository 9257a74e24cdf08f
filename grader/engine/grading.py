"""Grading a tier's submissions: the course folder's layout, the queue, the workers, the summary.

Like nbgrader, the course is the one whose ``nbgrader_config.py`` is in the folder grading runs from;
it reads ``submitted/<learner>/<tier>/`` and writes the course's gradebook, ``autograded/`` and
``feedback/``. Every notebook runs in a fresh fork of a sandboxed server that paid the imports once;
``jobs`` servers run side by side, and grades do not depend on how many or in what order.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

from course.data import reading

from ..preprocess import TOKEN_CALL
from .feedback import manual_grades, write_pages
from .flags import Flag, write_integrity
from .judge import NotebookResult, export_request, judge, spec, unreadable
from .layout import Released, prepare, released_notebooks, visible
from .results import fingerprint, make_record, read_record, results_from_record, save_copies, write_gradebook
from .sandbox import Sandbox, choose
from .server import Server, ServerError


class EngineError(Exception):
    """Grading cannot start (Korean message, says what to do)."""


@dataclass
class Limits:
    cell_seconds: float = 120
    cpu_seconds: float = 600
    memory_mb: int = 4096
    output_chars: int = 200_000

    def as_dict(self) -> dict:
        return {"cell_seconds": self.cell_seconds, "cpu_seconds": self.cpu_seconds, "memory_mb": self.memory_mb,
                "output_chars": self.output_chars}


@dataclass
class Summary:
    tier: str
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already graded, submission unchanged
    flagged: dict[str, list[Flag]] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)  # learner -> problems in words
    seconds: float = 0.0
    notebooks: int = 0
    sandboxed: bool = True
    warning: str = ""

    def text(self) -> str:
        lines = [f"채점 끝: {self.tier} · 학습자 {len(self.graded)}명 채점, {len(self.skipped)}명은 이미 채점됨 "
                 f"(노트북 {self.notebooks}개, {self.seconds:.1f}초)"]
        if self.flagged:
            lines.append(f"무결성 표시: {len(self.flagged)}명 (integrity.csv)")
            for student, flags in sorted(self.flagged.items()):
                reasons = sorted({flag.reason for flag in flags})
                lines.append(f"  - {student}: " + "; ".join(reasons[:3]) + (" …" if len(reasons) > 3 else ""))
        if self.failed:
            lines.append(f"문제가 있던 학습자: {len(self.failed)}명")
            for student, problems in sorted(self.failed.items()):
                lines.append(f"  - {student}: " + "; ".join(problems[:3]))
        if not self.sandboxed:
            lines.append(self.warning)
        return "\n".join(lines)


@dataclass
class Course:
    """The paths and gradebook of the course nbgrader would use from ``folder``."""

    folder: Path
    root: Path
    coursedir: object
    db_url: str
    course_id: str
    ignore: re.Pattern | None = None  # nbgrader's IgnorePattern, when the course turns it on

    def path(self, directory: str, student: str, tier: str) -> Path:
        return Path(self.coursedir.format_path(directory, student, tier))

    def submitted(self, student: str, tier: str) -> Path:
        return self.path(self.coursedir.submitted_directory, student, tier)

    def autograded(self, student: str, tier: str) -> Path:
        return self.path(self.coursedir.autograded_directory, student, tier)

    def feedback(self, student: str, tier: str) -> Path:
        return self.path(self.coursedir.feedback_directory, student, tier)

    def release(self, tier: str) -> Path:
        return self.path(self.coursedir.release_directory, ".", tier)

    def integrity_file(self) -> Path:
        db = self.db_url.removeprefix("sqlite:///")
        return Path(db).parent / "integrity.csv" if self.db_url.startswith("sqlite:///") else self.root / "integrity.csv"

    def gradebook(self):
        from nbgrader.api import Gradebook

        return Gradebook(self.db_url, self.course_id)

    def students(self, tier: str) -> list[str]:
        base = Path(self.coursedir.format_path(self.coursedir.submitted_directory, ".", ".")).resolve()
        if not base.is_dir():
            return []
        return sorted(d.name for d in base.iterdir() if (d / tier).is_dir() and not d.name.startswith("."))


def open_course(folder: Path) -> Course:
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    folder = Path(folder).resolve()
    if not (folder / "nbgrader_config.py").exists():
        raise EngineError(f"'{folder}'에 nbgrader_config.py가 없어요. 과정 폴더(예: grader/)에서 실행하거나 "
                          "--course로 그 폴더를 알려 주세요.")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()
    previous = os.getcwd()
    os.chdir(folder)  # nbgrader resolves a relative root from where it runs
    try:
        coursedir = CourseDirectory(config=config)
        root = Path(coursedir.root).resolve()
    finally:
        os.chdir(previous)
    pattern = config.IgnorePattern.get("pattern", "") if config.IgnorePattern.get("enabled", False) else ""
    return Course(folder, root, coursedir, coursedir.db_url, coursedir.course_id or "default_course",
                  re.compile(pattern) if pattern else None)


class Workers:
    """One sandboxed fork server per job slot, started on first use and restarted when one dies."""

    def __init__(self, sandbox: Sandbox, limits: Limits):
        self.sandbox, self.limits = sandbox, limits
        self.local = threading.local()
        self.servers: list[Server] = []
        self.lock = threading.Lock()

    def server(self) -> Server:
        server = getattr(self.local, "server", None)
        if server is None:
            sandbox = self.sandbox
            if not sandbox.sandboxed:  # no private /tmp: each server gets a folder of its own
                own = tempfile.mkdtemp(prefix="work-", dir=sandbox.cwd)
                sandbox = Sandbox(sandbox.command, {**sandbox.env, "ACADEMY_WORK": own}, False, sandbox.warning,
                                  sandbox.cwd)
            server = Server(sandbox)
            with self.lock:
                self.servers.append(server)
            self.local.server = server
        return server

    def close(self) -> None:
        for server in self.servers:
            server.close()
        self.sandbox.cleanup()


def _own_tokens(source: str) -> str:
    """A check cell with the tokens of the data graded now (a learner's own variant), not the gradebook's."""
    return TOKEN_CALL.sub(lambda m: f'check("{m["qid"]}", {m["value"]}, "{spec(m["qid"]).to_token()}")', source)


def _cells_to_run(prepared, retoken: bool = False) -> list[dict]:
    cells = []
    for index, (cell, role) in enumerate(zip(prepared.notebook.cells, prepared.roles)):
        if cell.cell_type != "code":
            continue
        if role is not None and role.is_test:
            code = _own_tokens(visible(cell.source)) if retoken else visible(cell.source)
            cells.append({"i": index, "code": code, "export": export_request(role)})
        else:
            cells.append({"i": index, "code": cell.source})
    return cells


def grade_notebook(workers: Workers, path: Path, released: Released, ignore=None, retoken: bool = False) -> NotebookResult:
    """One submitted notebook, start to end, as a result: never raises, whatever the learner did.

    ``retoken``: the visible checks get the tokens of the data read now (see ``autograde``'s ``data_for``).
    """
    try:
        submitted = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001 (malformed JSON, not a notebook, unreadable bytes)
        return unreadable(released.name, released.cells,
                          f"노트북 파일을 읽을 수 없어요 ({type(error).__name__}). 파일이 손상됐는지 확인해 주세요.")
    try:
        prepared = prepare(submitted, released)
        cells = _cells_to_run(prepared, retoken)
        limits = workers.limits
        run = workers.server().run(cells, limits.as_dict(), limits.cell_seconds + 60,
                                   deadline=limits.cell_seconds * max(1, len(cells)) + 120)
        return judge(prepared, run, released.name, ignore)
    except ServerError as error:
        return unreadable(released.name, released.cells, str(error))
    except Exception as error:  # noqa: BLE001 (a notebook the engine could not grade: that learner alone)
        return unreadable(released.name, released.cells,
                          f"채점 중 이 노트북을 처리하지 못했어요 ({type(error).__name__}). 교육 담당자가 확인해 주세요.")


def autograde(course_folder: Path, tier: str, students: list[str] | None = None, jobs: int | None = None,
              force: bool = False, limits: Limits | None = None, progress: bool = True,
              allow_fallback: bool = True, say=print, data_for: Callable[[str], Path] | None = None) -> Summary:
    """Grade every (or the named) learner's submission of ``tier`` that is new or changed since it was graded.

    ``data_for`` gives each learner's own data folder (a cohort with per-learner data): that learner's notebooks run
    on it, their keys are computed from it and their visible checks get its tokens.
    """
    course = open_course(course_folder)
    limits = limits or Limits()
    jobs = max(1, jobs or os.cpu_count() or 1)
    started = time.perf_counter()
    with course.gradebook() as gradebook:
        try:
            gradebook.find_assignment(tier)
        except Exception:  # noqa: BLE001 (MissingEntry)
            raise EngineError(f"성적부에 '{tier}' 과제가 없어요. 먼저 학습용 사본을 만들어 주세요 "
                              f"(nbgrader generate_assignment {tier}).") from None
        released = released_notebooks(gradebook, tier, course.release(tier))
    everyone = course.students(tier)
    chosen = [s for s in everyone if not students or s in students]
    unknown = [s for s in (students or []) if s not in everyone]
    summary = Summary(tier)
    for student in unknown:
        summary.failed[student] = [f"submitted/{student}/{tier} 폴더가 없어요"]

    todo: list[tuple[str, str]] = []  # (student, fingerprint)
    for student in chosen:
        mark = fingerprint(course.submitted(student, tier))
        record = read_record(course.autograded(student, tier))
        if not force and record and record.get("fingerprint") == mark:
            summary.skipped.append(student)
        else:
            todo.append((student, mark))
    if not todo:
        summary.seconds = time.perf_counter() - started
        return summary

    from course import current_data_dir

    groups: dict[Path, list[tuple[str, str]]] = {}  # data folder -> its learners (one group without per-learner data)
    for student, mark in todo:
        groups.setdefault(Path(data_for(student)) if data_for else current_data_dir(), []).append((student, mark))
    bar = _progress(len(todo) * len(released), tier) if progress else None
    try:
        for index, (folder, group) in enumerate(groups.items()):
            with reading(folder) if data_for else nullcontext():
                _grade_group(course, tier, released, group, folder, jobs, limits, allow_fallback, bool(data_for),
                             summary, bar, say if index == 0 else _silent)
    finally:
        if bar is not None:
            bar.close()
    summary.notebooks = len(todo) * len(released)
    summary.seconds = time.perf_counter() - started
    return summary


def _silent(_message: str) -> None:
    """A ``say`` for the second and later groups: the sandbox's warning is said once."""


def _grade_group(course: Course, tier: str, released: dict[str, Released], todo: list[tuple[str, str]],
                 data: Path, jobs: int, limits: Limits, allow_fallback: bool, retoken: bool, summary: Summary,
                 bar, say) -> None:
    """The learners of ``todo``, who all read the data in ``data``: one sandbox, ``jobs`` servers."""
    sandbox = choose(data, allow_fallback=allow_fallback)
    summary.sandboxed, summary.warning = sandbox.sandboxed, sandbox.warning
    if sandbox.warning:
        say(sandbox.warning)
    workers = Workers(sandbox, limits)
    units = []  # (student, notebook name, path)
    extras: dict[str, list[str]] = {}
    for student, _ in todo:
        folder = course.submitted(student, tier)
        for name in released:
            units.append((student, name, folder / f"{name}.ipynb"))
        extra = sorted(p.name for p in folder.glob("*.ipynb") if p.stem not in released)
        if extra:
            extras[student] = [f"과제에 없는 노트북은 채점하지 않았어요: {', '.join(extra)}"]
    results: dict[str, dict[str, NotebookResult]] = {student: {} for student, _ in todo}
    fingerprints = dict(todo)
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {}
            for student, name, path in units:
                if path.exists():
                    futures[pool.submit(grade_notebook, workers, path, released[name], course.ignore,
                                        retoken)] = (student, name)
                else:
                    results[student][name] = unreadable(name, released[name].cells, "제출하지 않은 노트북이에요.")
                    _tick(bar)
            for future in as_completed(futures):
                student, name = futures[future]
                results[student][name] = future.result()
                _tick(bar)
                if len(results[student]) == len(released):
                    _finish_safely(course, tier, student, fingerprints[student], results[student], extras, summary)
    finally:
        workers.close()
    for student in results:
        if len(results[student]) == len(released) and student not in summary.graded and student not in summary.failed:
            _finish_safely(course, tier, student, fingerprints[student], results[student], extras, summary)


def _finish_safely(course: Course, tier: str, student: str, mark: str, by_name: dict[str, NotebookResult],
                   extras: dict[str, list[str]], summary: Summary) -> None:
    try:
        _finish(course, tier, student, mark, by_name, extras, summary)
    except Exception as error:  # noqa: BLE001 (one learner's results could not be kept: the others still are)
        summary.failed[student] = [f"채점 결과를 저장하지 못했어요 ({type(error).__name__}: {str(error)[:200]})"]


def _finish(course: Course, tier: str, student: str, mark: str, by_name: dict[str, NotebookResult],
            extras: dict[str, list[str]], summary: Summary) -> None:
    """Everything of one learner's tier, kept: autograded copies, gradebook, feedback, record last."""
    ordered = [by_name[name] for name in sorted(by_name)]
    problems = [f"{r.name}: {r.problem}" for r in ordered if r.problem] + extras.get(student, [])
    flags = [flag for r in ordered for flag in r.flags]
    for flag in flags:
        flag.tier, flag.student = tier, student
    submitted = course.submitted(student, tier)
    with course.gradebook() as gradebook:
        timestamp = course.coursedir.get_existing_timestamp(str(submitted))
        write_gradebook(gradebook, tier, student, ordered, timestamp)
        manual = manual_grades(gradebook, tier, student)
    write_pages(course.feedback(student, tier), student, tier, ordered, manual)
    save_copies(course.autograded(student, tier), submitted, ordered, make_record(mark, ordered, problems))
    write_integrity(course.integrity_file(), tier, {student: flags})  # now, so a stopped run loses no flag
    summary.graded.append(student)
    if flags:
        summary.flagged[student] = flags
    if problems:
        summary.failed[student] = problems


def feedback(course_folder: Path, tier: str, students: list[str] | None = None) -> list[Path]:
    """Feedback pages again from the records and the gradebook (after the trainer graded the written answers)."""
    course = open_course(course_folder)
    pages = []
    with course.gradebook() as gradebook:
        for student in course.students(tier):
            if students and student not in students:
                continue
            record = read_record(course.autograded(student, tier))
            if record is None:
                continue
            manual = manual_grades(gradebook, tier, student)
            pages += write_pages(course.feedback(student, tier), student, tier, results_from_record(record), manual)
    return pages


def _progress(total: int, tier: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"{tier} 채점", unit="노트북", dynamic_ncols=True)


def _tick(bar) -> None:
    if bar is not None:
        bar.update(1)
