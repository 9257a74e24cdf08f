"""Judging outside the learner's process: the exported values against the answer keys.

A question scores as its hidden test would under stock nbgrader: all or nothing for ``assert_answer``,
``round(points × share right, 2)`` for ``score_answer``; a test cell that raised scores 0. The learner's
process only ever handed out data (canonical forms, a function's results on the grading cases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nbformat
from nbgrader.utils import compute_checksum

from grader import keys

from .flags import Flag
from .layout import Prepared, ReleasedCell, typed_literal
from .server import Run

STOPPED = {
    "timeout": "시간 제한을 넘겼어요", "cpu": "CPU 시간 제한을 넘겼어요", "crash": "커널이 멈췄어요",
    "exit": "학습자 코드가 커널을 끝냈어요", "output": "출력이 너무 많아요",
}


@dataclass
class CellGrade:
    grade_id: str
    max_points: float
    points: float | None  # None: waits for the trainer (a written answer)
    qid: str = ""
    message: str = ""
    written: bool = False
    title: str = ""  # the question's heading in the lesson, e.g. "문제 1 (2점)"


@dataclass
class NotebookResult:
    name: str
    grades: list[CellGrade] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    no_response: dict[str, bool] = field(default_factory=dict)  # answer cell -> left as released
    problem: str = ""  # in words, when the notebook could not be run to its end
    notebook: object = None  # the executed notebook (nbformat), kept as the autograded copy

    @property
    def auto_points(self) -> float:
        return sum(g.points or 0 for g in self.grades if not g.written)


_specs: dict[tuple[str, str], object] = {}


def spec(qid: str):
    """The check's view of a question (its messages), computed once per grading process and data folder."""
    from course import current_data_dir

    key = (qid, str(current_data_dir()))
    if key not in _specs:
        _specs[key] = keys.spec_for(qid)
    return _specs[key]


def export_request(cell: ReleasedCell) -> dict | None:
    """What the learner's process must hand out for this test cell (no key, no expected value)."""
    found = cell.question
    if not found:
        return None
    qid, variable = found
    q = keys.get(qid)
    request = {"qid": qid, "variable": variable, "kind": q.kind, "decimals": q.decimals}
    if q.kind == "function":
        request["cases"] = keys.grading_cases(qid)
    return request


def _fraction(qid: str, result: dict) -> float:
    status = result.get("status")
    if status == "form":
        return keys.fraction_of_form(qid, result.get("form"))
    if status == "results":
        return keys.fraction_of_results(qid, result.get("results") or [])
    return 0.0


def _message(qid: str, result: dict) -> str:
    check = spec(qid)
    status = result.get("status")
    if status == "missing":
        return check.not_defined().message
    if status == "not_answered":
        return check.not_answered().message
    if status == "wrong_kind":
        return check.wrong_kind(str(result.get("detail", ""))).message
    if status == "form":
        return check.judge_form(result.get("form")).message
    if status == "results":
        examples = (result.get("results") or [])[: len(check.right)]
        if len(examples) == len(check.right):
            return check.judge_form(examples).message
    return "채점할 수 없는 값이에요."


def _stderr_fails(texts: list[str], ignore: "re.Pattern | None") -> bool:
    """Stock nbgrader's rule: stderr left after its ignore pattern makes a test cell fail."""
    return any(not (ignore and ignore.search(text)) for text in texts)


def judge(prepared: Prepared, run: Run, name: str, ignore: "re.Pattern | None" = None) -> NotebookResult:
    result = NotebookResult(name, flags=list(prepared.flags), notebook=prepared.notebook)
    cells = prepared.notebook.cells
    for index, cell in enumerate(cells):
        done = run.cells.get(index)
        if done and cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(output) for output in done.get("outputs", []) if output]
            cell.execution_count = done.get("count")
    zero_from: list[tuple[int, Flag]] = []
    for message in run.flags:
        flag = Flag(message["code"], message["reason"], name)
        result.flags.append(flag)
        if flag.zeroes:
            zero_from.append((message["i"], flag))
    problems = []
    if run.status != "ok":
        where = f" (셀 {run.stopped_at + 1}번째)" if run.stopped_at is not None else ""
        problems.append(f"{STOPPED.get(run.status, '실행이 멈췄어요')}{where}: {run.detail}".rstrip(": "))
    interrupted = [index for index, done in sorted(run.cells.items())
                   if (done.get("error") or {}).get("ename") == "KeyboardInterrupt"]
    if interrupted:
        problems.append(f"시간 제한을 넘겨 중단한 셀: {', '.join(f'{i + 1}번째' for i in interrupted)}")
    hoarded = [index for index, done in sorted(run.cells.items())
               if (done.get("error") or {}).get("ename") == "MemoryError"]
    if hoarded:
        problems.append(f"메모리 한도를 넘은 셀: {', '.join(f'{i + 1}번째' for i in hoarded)}")
    result.problem = "; ".join(problems)

    answer_source, title = "", ""
    for index, (cell, role) in enumerate(zip(cells, prepared.roles)):
        if role is not None and cell.cell_type == "markdown" and role.locked:
            heading = next((line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("#")), "")
            title = heading or title
        if role is None:
            continue
        if role.solution:
            result.no_response[role.grade_id] = cell.metadata.get("nbgrader", {}).get("checksum") == compute_checksum(cell)
        if role.solution and not role.grade:
            answer_source = cell.source
        if role.is_written:
            unchanged = result.no_response[role.grade_id]
            result.grades.append(CellGrade(role.grade_id, role.points, 0.0 if unchanged else None, written=True,
                                           message="답을 쓰지 않았어요." if unchanged else "", title=title))
            continue
        if not role.is_test:
            continue
        grade = CellGrade(role.grade_id, role.points, 0.0, title=title)
        result.grades.append(grade)
        request = role.question
        if request is None:
            grade.message = "채점할 문제를 찾지 못했어요."
            continue
        grade.qid, variable = request
        done, exported = run.cells.get(index), run.exports.get(index, {}).get("result")
        if done is None:
            grade.message = "이 셀에 이르기 전에 노트북 실행이 멈췄어요."
            continue
        if exported is None or done.get("status") != "ok":
            error = done.get("error") or {}
            grade.message = f"확인 셀에서 오류가 났어요: {error.get('ename', '')}".rstrip(": ")
            continue
        stderr = [o.get("text", "") for o in done.get("outputs", []) if o.get("name") == "stderr"]
        if _stderr_fails(stderr + list(exported.get("stderr") or []), ignore):
            grade.message = "확인 셀에서 오류 출력(stderr)이 나왔어요. 답 셀이나 함수가 오류 메시지를 쓰지 않게 해 주세요."
            continue
        grade.message = _message(grade.qid, exported)
        q = keys.get(grade.qid)
        touching = [flag for at, flag in zero_from if at <= index and (flag.code != "keys" or _next_test(
            prepared, at) == index)]
        if exported.get("suspect"):
            touching.append(Flag("suspect", f"비교·동등 메서드를 바꾼 값이에요 ({exported['suspect']})", name,
                                 role.grade_id, grade.qid))
            result.flags.append(touching[-1])
        if touching:
            grade.message = "무결성 검사로 0점: " + "; ".join(sorted({f.reason for f in touching}))
            for flag in touching:
                flag.question = flag.question or grade.qid
            continue
        fraction = _fraction(grade.qid, exported)
        partial = "score_answer(" in role.source
        grade.points = round(role.points * fraction, 2) if partial else (role.points if fraction == 1.0 else 0.0)
        # a typed-in value is worth the trainer's look only when it earns points (a shared or reverse-engineered
        # answer); a wrong one shared nothing
        typed = typed_literal(answer_source, variable)
        if grade.points > 0 and not q.chosen and _computed_kind(q.kind, exported) and typed:
            result.flags.append(Flag("literal", "계산하지 않고 값을 직접 입력했어요 (답 공유·토큰 역산 의심, 점수는 유지)",
                                     name, role.grade_id, grade.qid))
    return result


def _computed_kind(kind: str, exported: dict) -> bool:
    """Answers a learner computes from the data; a choice of words (a text, a type per scenario) is typed in."""
    if kind in ("text", "function"):
        return False
    if kind == "table":
        form = exported.get("form")
        return isinstance(form, dict) and any(not isinstance(value, str) for value in form.values())
    return True


def _next_test(prepared: Prepared, at: int) -> int | None:
    for index in range(at, len(prepared.roles)):
        role = prepared.roles[index]
        if role is not None and role.is_test:
            return index
    return None


def unreadable(name: str, released_cells: list[ReleasedCell], problem: str) -> NotebookResult:
    """A notebook that could not be read or is missing: every graded cell 0, the reason in words."""
    grades = [CellGrade(c.grade_id, c.points, 0.0, message=problem, written=c.is_written)
              for c in released_cells if c.is_test or c.is_written]
    return NotebookResult(name, grades, problem=problem)
