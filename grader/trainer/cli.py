"""The trainer's commands on ``python -m grader``: each adds its own subcommand and runs from it.

Every command says in Korean what it did; bad input is a ``TrainerError`` printed as ``오류: ...`` with exit code 1,
and nothing is changed by a command that stops on one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import TrainerError

COHORT_HELP = """새 반(cohort)을 시드 하나로 만들어요: 그 시드의 데이터, 수업 사본, 성적부, 모든 과정의 학습용 사본.
Make a new cohort from a seed, in a folder of its own: data, lessons, gradebook and every tier's student copies.

반마다 폴더가 따로라서 다른 반을 건드리지 않아요. 같은 명령을 다시 실행하면 빠진 것만 채워요.
--per-learner-data: 학습자마다 자기 데이터(반 시드와 아이디로 정해지는 변형)를 받아요. 답을 돌려 봐도 남의 답은 틀려요.
  python -m grader cohort 2026-12기 --seed 77
  python -m grader cohort 2026-12기b --seed 77 --per-learner-data
  python -m grader cohort --list
"""


def _cohort(args) -> int:
    from . import cohort

    parent = Path(args.parent) if args.parent else cohort.COHORTS
    if args.list:
        found = cohort.list_cohorts(parent)
        if not found:
            print(f"반이 아직 없어요 ({parent}).")
        for one in found:
            mode = "\t학습자별 데이터" if one.per_learner_data else ""
            print(f"{one.name}\t시드 {one.seed}{mode}\t만든 때 {one.created}\t{one.folder}")
        return 0
    if not args.name or args.seed is None:
        raise TrainerError("반 이름과 --seed를 함께 주세요. 예: python -m grader cohort 2026-12기 --seed 77")
    cohort.create(args.name, args.seed, parent=parent, folder=args.folder, per_learner_data=args.per_learner_data)
    return 0


RELEASE_HELP = """한 과정(tier)을 반에 나눠 줄 수 있게 만들어요. 학습용 사본이 반의 데이터와 맞지 않으면 먼저 다시 만들어요.
Hand a tier out: its student copies (rebuilt first if made for other data), reading the cohort's data by themselves.

  <반>/handout/<과정>/      한 사람 몫 폴더 (수업 + 데이터)  / one learner's folder
  <반>/handout/<과정>.zip   같은 내용의 zip                  / the same as a zip
  <반>/handout/<과정>-learners/<아이디>/   --per-learner: 명단의 학습자마다 / one per roster learner
학습자마다 다른 데이터로 만든 반(--per-learner-data)은 학습자별로만 나눠 줘요: 폴더마다 그 학습자의 데이터와 확인표.
A cohort with per-learner data is handed out per learner only, each folder with that learner's own data and checks.
--exchange: JupyterHub 교환 폴더로도 내보내요 (nbgrader release_assignment). 학습자는 Assignments 탭에서 받아요.
  학습자마다 데이터가 다른 반이면, 받은 사본이 연 사람의 사용자 이름으로 자기 데이터와 확인표를 읽어요
  (반 폴더는 학습자가 읽을 수 있는 공유 저장소에 두세요).
With --exchange the tier also goes to the JupyterHub exchange; in a per-learner cohort the one copy reads the data and
checks of whoever opens it, by user name (keep the cohort folder on storage the learners can read).
"""


def _release(args) -> int:
    from .cohort import COHORTS, open_cohort
    from .release import release

    cohort = open_cohort(args.cohort, Path(args.parent) if args.parent else COHORTS)
    learners = None
    if args.per_learner or cohort.per_learner_data:
        from .roster import read_roster

        learners = [learner.id for learner in read_roster(cohort)]
        if not learners:
            raise TrainerError("--per-learner에는 명단이 필요해요. 먼저 `python -m grader roster 명단.csv`를 실행하세요.")
    release(cohort, args.tier, make_zip=not args.no_zip, learners=learners, exchange=args.exchange)
    return 0


COLLECT_HELP = """제출물을 모아 grader/submitted/<아이디>/<과정>/에 넣어요 (nbgrader와 채점 엔진이 읽는 곳).
Collect a tier's submissions from a folder or an LMS download zip into submitted/<id>/<tier>/.

파일마다 명단의 학습자(폴더 이름, 또는 파일 이름 속 아이디·이름)와 수업(노트북 내용)을 찾아요.
명단에 없는 학습자, 마감 후 제출, 같은 수업 두 번, 이름이 바뀐 파일은 알려 주고 grader/collect-aside/에 따로 둬요.
다시 낸 제출물은 이전 것을 grader/submitted-earlier/에 두고 받아요. 아무것도 지우거나 덮어쓰지 않아요.
  python -m grader collect beginner LMS_다운로드.zip --deadline "2026-12-20 18:00"
  python -m grader collect beginner 제출물_폴더/
JupyterHub에서 학습자가 nbgrader submit으로 낸 것은 교환 폴더(nbgrader 설정의 Exchange.root)에서 모아요. 낸 것을 모두
읽어서(nbgrader collect는 가장 나중 것만 가져와요) 같은 규칙으로 받고, 교환 폴더는 읽기만 해요.
From the JupyterHub exchange (nbgrader's Exchange.root): every submission, by the learner's user name, same rules.
  python -m grader collect beginner --exchange
  python -m grader collect beginner --exchange /srv/nbgrader/exchange --deadline 2026-12-20
"""


def _collect(args) -> int:
    from .cohort import COHORTS, open_cohort
    from .collect import collect, parse_deadline

    deadline = parse_deadline(args.deadline) if args.deadline else None
    cohort = open_cohort(args.cohort, Path(args.parent) if args.parent else COHORTS)
    if (args.source is None) == (args.exchange is None):
        raise TrainerError("제출물 폴더나 zip, 또는 --exchange 중 하나만 주세요. 예: python -m grader collect beginner "
                           "제출물.zip  /  python -m grader collect beginner --exchange")
    if args.exchange is not None:
        from .exchange import inbox_of

        source = inbox_of(cohort, None if args.exchange is True else Path(args.exchange))
        print(f"교환 폴더에서 모아요: {source.inbound}")
    else:
        source = args.source
    collect(cohort, args.tier, source, deadline=deadline)
    return 0


ROSTER_HELP = """학습자 명단(CSV)을 반에 가져와요: 반 폴더의 roster.csv와 성적부(gradebook)에 넣어요.
Import learners from a CSV (id, name, email) into the cohort's roster.csv and nbgrader gradebook.

제목 줄은 id,name,email 또는 아이디(학번·사번),이름,이메일. Excel의 'CSV UTF-8'과 'CSV'(CP949) 모두 읽어요.
고칠 줄이 하나라도 있으면 줄 번호(Excel의 행 번호)와 함께 모두 알려 주고 아무것도 가져오지 않아요.
같은 파일로 다시 실행해도 바뀌는 것이 없고, 제출물이나 점수가 있는 학습자는 명단에서 빠져도 지우지 않아요.
  python -m grader roster 학습자명단.csv --cohort 2026-12기
"""

EXPORT_HELP = """LMS 성적부에 올릴 CSV를 만들어요: 학습자마다 한 줄, 과정·수업별 점수와 백분율.
Write a CSV for an LMS gradebook: one row per learner, points and percent per tier and per lesson.

서술형(현업 적용) 채점이 남은 칸은 '채점 대기', 제출하지 않은 과정은 '미제출'로 적어요 (점수로 읽히지 않게).
UTF-8(BOM)이라 Excel에서 한글 이름이 그대로 보여요. 다시 실행하면 내보내기 파일만 새로 써요.
  python -m grader export --cohort 2026-12기
  python -m grader export --cohort 2026-12기 --out 성적.csv
"""


REPORT_HELP = """반 보고서를 만들어요: HTML 한 장(표와 그래프)과 CSV들, 채점 기록과 성적부에서.
Write the class report: one self-contained HTML page (tables and plots) and CSVs, from the engine's records and the
gradebook.

학습자·과정별 점수, 용어집 기술별 숙달도, 많이 틀린 문항과 가장 많은 실수, 문항 난이도·변별도(음수면 '검토 필요'),
무결성 표시, 아직 채점하지 않은 서술형 답안. 미제출은 0점이 아니라 통계에서 빠지고, 채점 대기 답안도 점수가 필요한
통계에서 빠져요. 실행할 때마다 <반 폴더>/grader/reports/<날짜-시각>/에 새로 만들고, 점수와 제출물은 읽기만 해요.
  python -m grader report --cohort 2026-12기
  python -m grader report --cohort 2026-12기 --tier beginner --out 보고서/
"""


def _report(args) -> int:
    from . import cohort, report

    chosen = cohort.open_cohort(args.cohort, Path(args.parent) if args.parent else cohort.COHORTS)
    report.class_report(chosen, args.tier, args.out)
    return 0


def _register_report(commands) -> None:
    made = commands.add_parser("report", help="반 보고서 만들기 (class report: HTML and CSVs)", description=REPORT_HELP,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    _cohort_options(made)
    made.add_argument("--tier", action="append",
                      help="이 과정만 (여러 번 쓸 수 있어요; 기본: 모든 과정) / only this tier (repeatable)")
    made.add_argument("--out", type=Path,
                      help="보고서 폴더를 둘 곳 (기본: <반 폴더>/grader/reports) / where the report folder goes")
    made.set_defaults(run=_report)


def _roster(args) -> int:
    from . import cohort, roster

    chosen = cohort.open_cohort(args.cohort, Path(args.parent) if args.parent else cohort.COHORTS)
    roster.import_roster(chosen, args.file)
    return 0


def _export(args) -> int:
    from . import cohort, export

    chosen = cohort.open_cohort(args.cohort, Path(args.parent) if args.parent else cohort.COHORTS)
    export.export_grades(chosen, args.out)
    return 0


def register(commands) -> None:
    """Add the trainer's subcommands to ``python -m grader``'s parser."""
    made = commands.add_parser("cohort", help="새 반 만들기·목록 (make or list cohorts)", description=COHORT_HELP,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    made.add_argument("name", nargs="?", help="반 이름 (폴더 이름이 돼요) / cohort name")
    made.add_argument("--seed", type=int, help="데이터 시드 (정수) / data seed")
    made.add_argument("--folder", type=Path, help="이 폴더에 만들어요 (기본: grader/cohorts/<반 이름>)")
    made.add_argument("--parent", type=Path, help="반 폴더들이 있는 곳 (기본: grader/cohorts)")
    made.add_argument("--list", action="store_true", help="있는 반 목록 / list cohorts")
    made.add_argument("--per-learner-data", action="store_true",
                      help="학습자마다 자기 데이터 변형을 받아요 / each learner their own data variant")
    made.set_defaults(run=_cohort)

    roster = commands.add_parser("roster", help="학습자 명단 가져오기 (import a roster CSV)", description=ROSTER_HELP,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    roster.add_argument("file", type=Path, help="명단 CSV 파일 (id,name,email) / roster CSV")
    _cohort_options(roster)
    roster.set_defaults(run=_roster)

    export = commands.add_parser("export", help="LMS용 성적 CSV 내보내기 (export grades for an LMS)",
                                 description=EXPORT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    _cohort_options(export)
    export.add_argument("--out", type=Path, help="저장할 파일 (기본: <반 폴더>/grader/exports/grades.csv) / output path")
    export.set_defaults(run=_export)

    out = commands.add_parser("release", help="과정 나눠 주기 (hand a tier out)", description=RELEASE_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    out.add_argument("tier", help="과정 (beginner, intermediate, advanced)")
    _cohort_options(out)
    out.add_argument("--no-zip", action="store_true", help="zip은 만들지 않아요 / no zip")
    out.add_argument("--per-learner", action="store_true",
                     help="명단의 학습자마다 폴더를 따로 만들어요 (handout/<과정>-learners/<아이디>/) / one folder per learner")
    out.add_argument("--exchange", action="store_true",
                     help="JupyterHub 교환 폴더로도 내보내요 (nbgrader release_assignment) / also to the JupyterHub exchange")
    out.set_defaults(run=_release)
    _register_collect(commands)
    _register_demo(commands)
    _register_report(commands)


def _register_collect(commands) -> None:
    got = commands.add_parser("collect", help="제출물 모으기 (collect submissions)", description=COLLECT_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    got.add_argument("tier", help="과정 (beginner, intermediate, advanced)")
    got.add_argument("source", type=Path, nargs="?", help="제출물 폴더나 LMS zip / a folder or an LMS zip")
    got.add_argument("--exchange", nargs="?", const=True, metavar="ROOT",
                     help="JupyterHub의 nbgrader 교환 폴더에서 (기본: nbgrader 설정의 Exchange.root) / from the exchange")
    got.add_argument("--deadline", help='마감 시각 "YYYY-MM-DD HH:MM" (그 뒤 파일은 따로 둬요) / deadline')
    _cohort_options(got)
    got.set_defaults(run=_collect)


def _register_demo(commands) -> None:
    shown = commands.add_parser("demo", help="모의 반으로 전체 흐름 보기 (the whole loop on a simulated class)",
                                description="모의 학습자(잘함·보통·어려워함·빈 답·깨진 파일)로 반 만들기부터 명단, 모으기, "
                                            "채점, 피드백, 반 보고서, 내보내기까지 한 번에 해 보고 보고서 경로를 알려 줘요. "
                                            "Run the trainer's whole loop on a simulated class and print the report's path.")
    shown.add_argument("--learners", type=int, default=30, help="모의 학습자 수 (기본 30) / simulated learners")
    shown.add_argument("--seed", type=int, default=2026, help="데이터와 모의 반의 시드 (기본 2026) / seed")
    shown.add_argument("--tier", default="beginner", help="과정 (기본 beginner) / tier")
    shown.add_argument("--parent", type=Path, help="반 폴더들이 있는 곳 (기본: grader/cohorts)")
    shown.add_argument("--jobs", type=int, help="동시에 채점할 노트북 수 (기본: CPU 코어 수) / parallel jobs")
    shown.set_defaults(run=_demo)


def _demo(args) -> int:
    from .cohort import COHORTS
    from .demo import run_demo

    run_demo(args.learners, args.seed, args.tier, Path(args.parent) if args.parent else COHORTS, jobs=args.jobs)
    return 0


def _cohort_options(command) -> None:
    command.add_argument("--cohort", help="반 이름이나 반 폴더 (반이 하나뿐이면 생략) / cohort name or folder")
    command.add_argument("--parent", type=Path, help="반 폴더들이 있는 곳 (기본: grader/cohorts)")


def run(args) -> int:
    try:
        return args.run(args)
    except TrainerError as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
