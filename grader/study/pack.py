"""The week's pack: one HTML page the team opens or prints, and a separate answer sheet for the facilitator.

``week_pack(week, team_folder, ...)`` writes ``<team folder>/주차/<NN>주차/스터디_팩.html`` and ``진행자_답안지.html``:
a 50-minute agenda at the top, then where everyone stands (a heat map and each member's trend), the two concepts to
review, the drill of the week, the cases members shared, and last week's goal with this week's. Everything a member
typed is escaped; plots are embedded PNGs with Korean labels.
"""

from __future__ import annotations

import math
import os
from datetime import date
from html import escape
from pathlib import Path

import pandas as pd

from ..trainer.report_page import CSS, _png, _pyplot, html_table
from . import typed
from .caselog import LABELS, cases
from .drill_week import drill_of_week
from .goals import goal_of, review
from .lessons import ROOT, lessons, short
from .progress import Board, board_from_cohort, board_from_folder, keep_week, trend
from .review import most_missed
from .store import StudyDB, StudyError

AGENDA = (("5분", "진행 상황", "히트맵에서 빈칸과 낮은 칸을 함께 봐요. 누가 잘못했는지가 아니라 어디가 어려운지를 봐요."),
          ("10분", "복습 개념 두 가지", "링크로 수업의 그 절을 열고, 예제를 한 사람이 소리 내어 풀어 봐요."),
          ("20분", "이번 주 위기 훈련", "네 단계를 팀이 함께 골라요. 진행자는 고른 뒤에만 답안지를 펴요."),
          ("10분", "사례 공유", "성공도 실패도 같은 무게로: 무엇을 시도했고 숫자가 어떻게 움직였고 무엇을 배웠는지."),
          ("5분", "다음 주 목표", "SMART 다섯 가지를 채운 목표 하나, 지난주 목표의 결과."))


def _heatmap(board: Board) -> str | None:
    if board.empty:
        return None
    plt = _pyplot()
    table = board.percent.dropna(axis=1, how="all")
    titles = lessons()
    fig, ax = plt.subplots(figsize=(1.1 * len(table.columns) + 3, 0.45 * len(table) + 2))
    shown = ax.imshow(table.to_numpy(dtype=float), cmap="YlGn", vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(table.columns)),
                  [f"{short(c)}\n{titles.get(c, c).split('. ', 1)[-1][:8]}" for c in table.columns], fontsize=8)
    ax.set_yticks(range(len(table)), [board.names.get(m, m) for m in table.index])
    for i, row in enumerate(table.to_numpy(dtype=float)):
        for j, value in enumerate(row):
            ax.text(j, i, "미제출" if math.isnan(value) else f"{value:.0f}", ha="center", va="center", fontsize=8,
                    color="#777" if math.isnan(value) else "#000")
    ax.set_title("멤버별 수업 점수 (%)")
    ax.set_xlabel("수업")
    ax.set_ylabel("멤버")
    fig.colorbar(shown, ax=ax, label="점수 (%)")
    return _png(fig)


def _trend_plot(weeks: pd.DataFrame, names: dict[str, str]) -> str | None:
    if weeks.empty or len(weeks) < 2:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for member in weeks.columns:
        ax.plot(weeks.index, weeks[member], marker="o", label=names.get(member, member))
    ax.set_title("주차별 평균 점수")
    ax.set_xlabel("주차")
    ax.set_ylabel("평균 점수 (%)")
    ax.set_ylim(0, 100)
    ax.set_xticks(list(weeks.index))
    ax.legend(fontsize=8, ncol=3)
    return _png(fig)


def _goal_text(goal) -> str:
    return (f"{escape(goal.kpi)} ({escape(goal.scope)}): 기준선 {goal.baseline:g} → 목표 {goal.target:g}, "
            f"{escape(goal.due)}까지")


def _goals(db: StudyDB, week: int, today: date) -> list[str]:
    parts = ["<h2>5. 다음 주 목표</h2>"]
    last = goal_of(db, week - 1) if week > 1 else None
    if last is None:
        parts.append('<p class="note">지난주 목표가 없어요.</p>')
    elif last.result is None:
        parts.append(f"<p>지난주 목표: {_goal_text(last)}. 결과가 아직 없어요: "
                     f"<code>python -m grader study result --week {week - 1} 값</code>으로 적어요.</p>")
    else:
        progress = last.progress()
        parts.append(f"<p>지난주 목표: {_goal_text(last)}. 결과 <b>{last.result:g}</b>: "
                     f"{'달성' if last.reached() else '미달성'}"
                     + (f" (기준선에서 목표까지의 {100 * progress:.0f}%)" if progress is not None else "") + ".</p>")
    this = goal_of(db, week)
    if this is None:
        parts.append(f'<p class="pending">이번 주 목표를 정해요: <code>python -m grader study goal --week {week} '
                     "--kpi 클릭률 --scope \"전체 발송\" --baseline 0.031 --target 0.036 --swing 0.003 --due YYYY-MM-DD "
                     "--why \"...\" --check \"...\"</code> (SMART 다섯 가지가 모두 맞아야 적혀요).</p>")
    else:
        letters = review(this, today=date.fromisoformat(this.set_on) if this.set_on else today)
        rows = pd.DataFrame([{"": l.letter, "항목": l.name, "내용": l.note} for l in letters])
        parts += [f"<p>이번 주 목표: {_goal_text(this)}</p>", html_table(rows)]
    return parts


def _drill_parts(drill) -> tuple[list[str], list[str]]:
    """(the team's questions, the facilitator's answers)."""
    team = [f"<h2>3. 이번 주 위기 훈련 ({drill.week}주차, 시나리오 {drill.scenario})</h2>",
            f"<p>{escape(drill.first_situation)}</p>",
            '<p class="note">네 단계를 차례로 팀이 함께 골라요. 노트북에서 직접 해 보려면: '
            f"<code>from course.widgets import drill_widget; drill_widget(\"{drill.scenario}\", seed={drill.seed})"
            "</code> (이번 주 데이터 폴더를 <code>course.use_data(...)</code>로 먼저 골라요: "
            f"<code>{escape(str(drill.data))}</code>).</p><ol>"]
    for step, labels in drill.steps:
        team.append(f"<li><b>{escape(step)}</b><ul>" + "".join(f"<li>{escape(l)}</li>" for l in labels) + "</ul></li>")
    team += ["</ol>", "<p><b>토론 질문</b></p><ol>",
             "<li>우리가 고른 길로 가면 경보 후 첫 공지까지 몇 분쯤 걸릴까요? 무엇이 그 시간을 정하나요?</li>",
             "<li>어느 단계의 선택이 항의와 차단을 가장 크게 바꿀까요? 왜 그렇게 생각하나요?</li>",
             "<li>우리 채널에서 같은 일이 생기면 예약 발송과 자동화는 누가, 어디서 멈추나요?</li></ol>"]
    best, worst = drill.best, drill.worst

    def path(outcome) -> str:
        return " → ".join(escape(drill.label(i, c)) for i, c in enumerate(outcome.choices))

    notice = pd.DataFrame([{"첫 공지 선택": label, "경보 후 첫 공지(분)": o.minutes_to_first_notice,
                            "항의 채팅": o.complaints, "차단": o.blocks} for label, o in drill.by_notice.items()])
    answers = [f"<h2>위기 훈련 답안 ({drill.week}주차, 시나리오 {drill.scenario}, 시드 {drill.seed})</h2>",
               f"<p><b>가장 좋은 길</b>: {path(best)}<br>항의 채팅 {best.complaints}건, 차단 {best.blocks}건, "
               f"경보 후 첫 공지까지 {best.minutes_to_first_notice}분</p>",
               "<ol>" + "".join(f"<li>{escape(text)}</li>" for text in best.debrief) + "</ol>",
               f"<p><b>가장 나쁜 길</b>: {path(worst)}<br>항의 채팅 {worst.complaints}건, 차단 {worst.blocks}건, "
               f"경보 후 첫 공지까지 {worst.minutes_to_first_notice}분</p>",
               "<p>첫 공지 선택만 바꿔 보면 (다른 단계는 가장 좋은 길 그대로):</p>", html_table(notice),
               '<p class="note">팀이 고른 길의 결과는 노트북의 훈련 위젯이나 '
               f"<code>course.drills.run_drill(\"{drill.scenario}\", {drill.seed}, [선택 네 개])</code>로 봐요.</p>"]
    return team, answers


def _page(title: str, body: list[str]) -> str:
    return (f'<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f"<style>{CSS}\n@media print {{ h2 {{ page-break-after: avoid; }} }}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def week_pack(week: int, team_folder: Path, team: str | None = None, cohort=None, members: Path | None = None,
              say=print, source: Path | None = None, today: date | None = None) -> tuple[Path, Path]:
    """Write the week's pack and answer sheet; returns their paths."""
    problems: list[str] = []
    week = typed.week(week, "주차", problems)
    if problems:
        raise StudyError(problems[0])
    if cohort is not None and members is not None:
        raise StudyError("진행 상황은 반(--cohort)이나 멤버 노트북 폴더(--members) 중 하나에서만 읽어요.")
    team_folder = Path(team_folder)
    team = team or team_folder.resolve().name
    today = today or date.today()
    db = StudyDB(team_folder)
    say(f"[1/4] 진행 상황 ({team}, {week}주차)")
    if cohort is not None:
        board = board_from_cohort(cohort)
    elif members is not None:
        board = board_from_folder(members, team_folder, say=say, source=source)
    else:
        board = Board({}, pd.DataFrame(dtype=float))
    if not board.empty:
        keep_week(db, week, board)
    say("[2/4] 복습할 개념")
    concepts = most_missed(board.cells) if not board.empty else []
    say("[3/4] 이번 주 위기 훈련")
    drill = drill_of_week(team, week, team_folder, say=say)
    say("[4/4] 팩 쓰기")
    shared = cases(db)

    body = [f"<h1>주간 스터디 팩: {escape(team)} · {week}주차</h1>",
            f'<p class="note">{today.year}년 {today.month}월 {today.day}일 만듦 · 멤버 {len(board.names)}명. 사례나 목표를 '
            "더 적었으면 같은 명령으로 팩을 다시 만들어요.</p>", "<h2>오늘 순서 (50분)</h2>",
            html_table(pd.DataFrame([{"시간": t, "순서": name, "어떻게": how} for t, name, how in AGENDA])),
            "<h2>1. 진행 상황</h2>"]
    image = _heatmap(board)
    if image:
        body.append(f'<img alt="멤버별 수업 점수" src="{image}">')
    elif not board.names:
        body.append('<p class="note">아직 멤버가 없어요. 반(--cohort)이나 멤버 노트북 폴더(--members)를 주면 '
                    "여기에 멤버 × 수업 점수가 나와요.</p>")
    else:
        body.append('<p class="note">아직 채점된 수업이 없어요. 노트북을 내고 채점하면 다음 팩부터 보여요.</p>')
    lines = _trend_plot(trend(db), board.names)
    if lines:
        body.append(f'<img alt="주차별 평균 점수" src="{lines}">')
    elif not board.empty:
        body.append('<p class="note">추이는 두 주 이상 쌓이면 그려요.</p>')
    body.append("<h2>2. 이번 주 복습할 개념</h2>")
    if not concepts:
        body.append('<p class="note">틀린 문제가 모인 개념이 아직 없어요. 지난 수업의 현업 적용을 함께 읽어 봐요.</p>')
    workspace = ROOT / "workspace"  # the learners' copies (make lab); the course's own lesson files hold solutions
    out = team_folder / "주차" / f"{week:02d}주차"
    for number, concept in enumerate(concepts, 1):
        href = os.path.relpath(workspace, out.absolute()) + "/" + concept.link
        glossary = os.path.relpath(workspace, out.absolute()) + f"/{concept.lesson.split('/')[0]}/용어집.md"
        body.append(f"<p><b>{number}. {escape(concept.skill)}</b> (놓친 점수 {100 * concept.missed:.0f}%): "
                    f"{escape(concept.meaning)}<br>가장 많이 놓친 문제: {escape(short(concept.lesson))}의 "
                    f"{escape(concept.question)}<br>"
                    f'수업(학습 폴더의 사본): <a href="{escape(href)}">{escape(concept.lesson_title)} · '
                    f'{escape(concept.section)}</a> · <a href="{escape(glossary)}">용어집</a>의 '
                    f"「{escape(concept.skill)}」</p>")
    team_part, answers = _drill_parts(drill)
    body += team_part
    body.append("<h2>4. 사례 공유</h2>")
    if shared:
        mine = [c for c in shared if c.week == week] or shared[-5:]
        note = f"{week}주차 사례" if any(c.week == week for c in shared) else "최근 사례"
        table = pd.DataFrame([{LABELS["member"]: c.member, LABELS["channel"]: c.channel,
                               LABELS["situation"]: c.situation, LABELS["tried"]: c.tried,
                               LABELS["kpi"]: f"{c.kpi}: {c.before:g} → {c.after:g}", LABELS["outcome"]: c.outcome,
                               LABELS["lesson"]: short(c.lesson), LABELS["learned"]: c.learned} for c in mine])
        body += [f'<p class="note">{note} {len(mine)}건 (모두 {len(shared)}건, 실패 '
                 f"{sum(c.outcome == '실패' for c in shared)}건). 실패 사례는 누구 탓인지가 아니라 무엇을 배웠는지를 "
                 "나눠요.</p>", html_table(table)]
    else:
        body.append('<p class="note">아직 공유된 사례가 없어요. <code>python -m grader study case add ...</code>나 '
                    "스터디 노트북의 입력 양식으로 적어요.</p>")
    body += _goals(db, week, today)

    out.mkdir(parents=True, exist_ok=True)
    pack, sheet = out / "스터디_팩.html", out / "진행자_답안지.html"
    for path, text in ((pack, _page(f"주간 스터디 팩 {week}주차", body)),
                       (sheet, _page(f"진행자 답안지 {week}주차", [f"<h1>진행자 답안지: {escape(team)} · {week}주차</h1>",
                                                                  '<p class="note">팀이 네 단계를 다 고른 뒤에 펴요.</p>',
                                                                  *answers]))):
        partial = path.with_name(path.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    say(f"스터디 팩: {pack}\n진행자 답안지: {sheet}")
    return pack, sheet
