"""``python -m grader study``: the week's pack for a study team, and the team's case log and goals.

Bad input is printed as ``오류: ...`` (exit code 1) and changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .store import StudyError

STUDY_HELP = """주간 스터디: 이번 주 팩(HTML 한 장)과 진행자 답안지를 만들어요. 모임에서 따로 준비할 것은 없어요.
Weekly study session: the week's pack (one HTML page) and the facilitator's answer sheet.

팩: 50분 순서, 멤버 × 수업 진행 상황(히트맵·추이), 가장 많이 놓친 개념 둘(수업의 그 절과 용어집), 이번 주 위기
훈련(주마다 새 시드, 같은 주는 똑같이), 사례 기록, 지난주 목표의 결과와 이번 주 SMART 목표.
진행 상황은 반의 성적부(--cohort)나, 강사 없는 팀이면 멤버 노트북 폴더(--members: <멤버>/<수업>.ipynb)를 그 자리에서
채점해 읽어요. 팀 파일(스터디.sqlite)과 팩은 --folder(기본: ./스터디)에 있어요.
  python -m grader study --week 3 --cohort 2026-12기
  python -m grader study --week 3 --members 노트북/
  python -m grader study case add --week 3 --member 김민지 --channel 동네빵집 --situation "..." --tried "..." \\
      --kpi 차단율 --before 0.012 --after 0.007 --lesson b04 --outcome 성공 --learned "..."
  python -m grader study case list  /  python -m grader study case remove 3  /  python -m grader study case export
  python -m grader study goal --week 3 --kpi 클릭률 --scope "전체 발송" --baseline 0.031 --target 0.036 \\
      --swing 0.003 --due 2026-12-10 --why "..." --check "..."
  python -m grader study result --week 3 0.034
"""


def _team_options(command, top: bool) -> None:
    keep = {} if top else {"default": argparse.SUPPRESS}
    command.add_argument("--folder", type=Path, **({"default": Path("스터디")} if top else keep),
                         help="팀 폴더 (팀 파일 스터디.sqlite와 주차별 팩; 기본: ./스터디) / the team folder")
    command.add_argument("--team", **({"default": None} if top else keep),
                         help="팀 이름 (기본: 팀 폴더 이름; 훈련의 시드가 이 이름과 주차로 정해져요) / team name")


def _pack(args) -> int:
    from .pack import week_pack

    if args.week is None:
        raise StudyError("--week로 몇 주차인지 주세요. 예: python -m grader study --week 3")
    cohort = None
    if args.cohort:
        from ..trainer.cohort import COHORTS, open_cohort

        cohort = open_cohort(args.cohort, Path(args.parent) if args.parent else COHORTS)
    week_pack(args.week, args.folder, team=args.team, cohort=cohort, members=args.members)
    return 0


def _case_add(args) -> int:
    from .caselog import add_case, make_case
    from .store import StudyDB

    case = make_case(args.week, args.member, args.channel, args.situation, args.tried, args.kpi, args.before,
                     args.after, args.lesson, args.outcome, args.learned)
    number = add_case(StudyDB(args.folder), case)
    print(f"사례 {number}번을 기록했어요 ({case.member}, {case.week}주차, {case.outcome}).")
    return 0


def _case_list(args) -> int:
    from .caselog import cases
    from .lessons import short
    from .store import StudyDB

    found = cases(StudyDB(args.folder), args.week)
    if not found:
        print("기록된 사례가 없어요.")
    for case in found:
        print(f"{case.id}. [{case.week}주차 · {case.outcome}] {case.member} · {case.channel}: {case.situation} → "
              f"{case.tried} ({case.kpi} {case.before:g} → {case.after:g}, {short(case.lesson)}) 배운 점: {case.learned}")
    return 0


def _case_remove(args) -> int:
    from .caselog import REMOVED, remove_case
    from .store import StudyDB

    case = remove_case(StudyDB(args.folder), args.number)
    print(f"{case.id}번 사례를 지웠어요 ({case.member}, {case.situation[:20]}). 지운 내용은 팀 폴더의 {REMOVED}에 남겨 두었어요.")
    return 0


def _case_export(args) -> int:
    from .caselog import export_csv
    from .store import StudyDB

    out = export_csv(StudyDB(args.folder), args.out or Path(args.folder) / "사례_기록.csv")
    print(f"사례 기록을 내보냈어요 (UTF-8 BOM, Excel용): {out}")
    return 0


def _goal(args) -> int:
    from .goals import make_goal, set_goal
    from .store import StudyDB

    goal = make_goal(args.week, args.kpi, args.scope, args.baseline, args.target, args.due, args.why, args.check,
                     swing=args.swing)
    for letter in set_goal(StudyDB(args.folder), goal):
        print(f"  {letter.letter}({letter.name}): {letter.note}")
    print(f"{goal.week}주차 SMART 목표를 적었어요.")
    return 0


def _result(args) -> int:
    from .goals import record_result
    from .store import StudyDB

    goal, notes = record_result(StudyDB(args.folder), args.week, args.value)
    for note in notes:
        print(note)
    progress = goal.progress()
    print(f"{goal.week}주차 결과 {goal.result:g}: {'달성' if goal.reached() else '미달성'}"
          + (f" (목표까지의 {100 * progress:.0f}%)" if progress is not None else ""))
    return 0


def _guarded(run):
    def wrapper(args) -> int:
        from ..trainer.errors import TrainerError

        try:
            return run(args)
        except (StudyError, TrainerError) as error:
            print(f"오류: {error}", file=sys.stderr)
            return 1
    return wrapper


def register(commands, korean_help) -> None:
    study = commands.add_parser("study", help="주간 스터디 팩·사례·목표 (weekly study pack, cases, goals)",
                                description=STUDY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    _team_options(study, top=True)
    study.add_argument("--week", type=int, help="주차 (1부터) / study week number")
    study.add_argument("--cohort", help="진행 상황을 읽을 반 / the cohort whose gradebook to read")
    study.add_argument("--parent", type=Path, help="반 폴더들이 있는 곳 (기본: grader/cohorts)")
    study.add_argument("--members", type=Path, help="강사 없는 팀: 멤버 노트북 폴더 (<멤버>/<수업>.ipynb) / members' notebooks")
    study.set_defaults(run=_guarded(_pack))
    parts = study.add_subparsers(dest="study_action")

    case = parts.add_parser("case", help="사례 기록 (case log)", description="멤버 채널의 성공·실패 사례를 기록하고 보고 "
                            "내보내요. Add, list and export the team's cases.")
    steps = case.add_subparsers(dest="case_action", required=True)
    add = steps.add_parser("add", help="사례 추가 (add a case)", description="사례 하나를 기록해요 (모든 칸이 필요해요). "
                           "Add one case; every field is needed.")
    _team_options(add, top=False)
    add.add_argument("--week", required=True, help="주차 / week")
    for name, text in (("member", "공유한 사람"), ("channel", "채널"), ("situation", "상황"), ("tried", "시도한 것"),
                       ("kpi", "KPI (용어집의 낱말)"), ("before", "시도 전 값"), ("after", "시도 후 값"),
                       ("lesson", "관련 수업 (예: b04)"), ("outcome", "성공 또는 실패"), ("learned", "배운 점")):
        add.add_argument(f"--{name}", required=True, help=f"{text} / {name}")
    add.set_defaults(run=_guarded(_case_add))
    listed = steps.add_parser("list", help="사례 보기 (list cases)", description="기록된 사례를 보여 줘요. List the cases.")
    _team_options(listed, top=False)
    listed.add_argument("--week", type=int, help="이 주차만 / only this week")
    listed.set_defaults(run=_guarded(_case_list))
    gone = steps.add_parser("remove", help="사례 지우기 (remove a case)",
                            description="잘못 적은 사례를 지워요. 지운 내용은 팀 폴더의 지운_사례.csv에 남아요. "
                                        "Remove a case; its row is kept in 지운_사례.csv.")
    _team_options(gone, top=False)
    gone.add_argument("number", type=int, help="사례 번호 (case list의 번호) / the case number")
    gone.set_defaults(run=_guarded(_case_remove))
    out = steps.add_parser("export", help="CSV로 내보내기 (export to CSV)",
                           description="사례 기록을 CSV(UTF-8 BOM)로 내보내요. Export the case log as CSV.")
    _team_options(out, top=False)
    out.add_argument("--out", type=Path, help="저장할 파일 (기본: <팀 폴더>/사례_기록.csv)")
    out.set_defaults(run=_guarded(_case_export))

    goal = parts.add_parser("goal", help="이번 주 SMART 목표 (set the week's goal)",
                            description="팀의 주간 SMART 목표를 적어요. 다섯 가지가 모두 맞아야 적혀요. "
                                        "Set the team's SMART goal for the week (kept only when all five hold).")
    _team_options(goal, top=False)
    goal.add_argument("--week", required=True, help="주차 / week")
    for name, text in (("kpi", "KPI (용어집의 낱말, 예: 클릭률)"), ("scope", "무엇으로 재나 (예: 전체 발송)"),
                       ("baseline", "기준선"), ("target", "목표"), ("due", "기한 YYYY-MM-DD"),
                       ("why", "왜 이 숫자인가 (관련성)"), ("check", "매주 어떻게 확인하나")):
        goal.add_argument(f"--{name}", required=True, help=f"{text} / {name}")
    goal.add_argument("--swing", help="평소 주마다 오르내린 폭 (알면) / the usual weekly swing")
    goal.set_defaults(run=_guarded(_goal))
    result = parts.add_parser("result", help="지난 목표의 결과 (record a goal's result)",
                              description="목표 기한에 KPI가 닿은 값을 적어요. Record the value the KPI reached.")
    _team_options(result, top=False)
    result.add_argument("--week", required=True, help="목표의 주차 / the goal's week")
    result.add_argument("value", help="결과 값 / the value reached")
    result.set_defaults(run=_guarded(_result))
    for shown in (study, case, add, listed, gone, out, goal, result):
        korean_help(shown)
