"""The learner's feedback page, in Korean: each question's points and what the check said about the answer.

Built from the engine's record and the gradebook (written answers' grades and comments once the trainer
has graded them). It never shows a hidden test, a key value or solution code: the messages are the
visible check's own (right, not yet with a hint, or the named mistake).
"""

from __future__ import annotations

import html
from pathlib import Path

from .judge import NotebookResult

STYLE = """
body{font-family:'Noto Sans KR','Malgun Gothic','Apple SD Gothic Neo',sans-serif;max-width:860px;margin:2em auto;
color:#222;line-height:1.55;padding:0 1em}
h1{font-size:1.45em;margin-bottom:.2em}.sub{color:#666;margin-top:0}
table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border-bottom:1px solid #ddd;padding:.5em;text-align:left;
vertical-align:top}th{background:#f6f6f6}.pts{white-space:nowrap;text-align:right}.ok{color:#11763d}.no{color:#a33}
.wait{color:#8a6d00}.problem{background:#fff4e5;border-left:4px solid #f0a000;padding:.6em 1em}
.total{font-size:1.15em;font-weight:bold}
"""


def _points(value: float | None, maximum: float) -> str:
    if value is None:
        return '<span class="wait">채점 대기</span>'
    css = "ok" if value >= maximum else "no"
    return f'<span class="{css}">{value:g} / {maximum:g}점</span>'


def page(student: str, tier: str, result: NotebookResult, manual: dict[str, tuple[float | None, str]]) -> str:
    """One notebook's feedback. ``manual``: grade id -> (trainer's score, comment) for written answers."""
    rows, total, maximum, waiting = [], 0.0, 0.0, False
    for grade in result.grades:
        score = grade.points
        comment = ""
        if grade.written:
            given, comment = manual.get(grade.grade_id, (None, ""))
            score = given if given is not None else grade.points
        waiting |= score is None
        total += score or 0
        maximum += grade.max_points
        words = html.escape(grade.message)
        if comment:
            words += f"<br><b>교육 담당자 의견:</b> {html.escape(comment)}"
        kind = "서술형" if grade.written else "자동 채점"
        rows.append(f"<tr><td>{html.escape(grade.title or grade.grade_id)}<br><small>{kind}</small></td>"
                    f"<td class=pts>{_points(score, grade.max_points)}</td><td>{words}</td></tr>")
    problem = f'<p class="problem">⚠️ {html.escape(result.problem)}</p>' if result.problem else ""
    note = " (서술형 답은 채점 대기 중)" if waiting else ""
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{html.escape(result.name)} 피드백</title>
<style>{STYLE}</style></head><body>
<h1>{html.escape(result.name)} 피드백</h1>
<p class="sub">학습자 {html.escape(student)} · 과정 {html.escape(tier)}</p>
{problem}
<p class="total">합계 {total:g} / {maximum:g}점{note}</p>
<table><thead><tr><th>문제</th><th>점수</th><th>확인 결과</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table>
<p class="sub">확인 결과는 노트북의 확인 셀이 알려 주는 말과 같아요. 정답 값은 보여 주지 않아요.</p>
</body></html>
"""


def write_pages(folder: Path, student: str, tier: str, results: list[NotebookResult],
                manual: dict[tuple[str, str], tuple[float | None, str]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        mine = {grade_id: value for (notebook, grade_id), value in manual.items() if notebook == result.name}
        path = folder / f"{result.name}.html"
        path.write_text(page(student, tier, result, mine), encoding="utf-8")
        written.append(path)
    return written


def manual_grades(gradebook, tier: str, student: str) -> dict[tuple[str, str], tuple[float | None, str]]:
    """(notebook, grade id) -> (manual score, comment) for what the trainer has graded in formgrader."""
    found = {}
    try:
        submission = gradebook.find_submission(tier, student)
    except Exception:  # noqa: BLE001 (no submission yet)
        return found
    for notebook in submission.notebooks:
        comments = {c.name: (c.manual_comment or "") for c in notebook.comments}
        for grade in notebook.grades:
            if grade.manual_score is not None or comments.get(grade.name):
                found[(notebook.name, grade.name)] = (grade.manual_score, comments.get(grade.name, ""))
    return found
