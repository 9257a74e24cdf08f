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
  python -m grader cohort 2026-12기 --seed 77
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
            print(f"{one.name}\t시드 {one.seed}\t만든 때 {one.created}\t{one.folder}")
        return 0
    if not args.name or args.seed is None:
        raise TrainerError("반 이름과 --seed를 함께 주세요. 예: python -m grader cohort 2026-12기 --seed 77")
    cohort.create(args.name, args.seed, parent=parent, folder=args.folder)
    return 0


RELEASE_HELP = """한 과정(tier)을 반에 나눠 줄 수 있게 만들어요. 학습용 사본이 반의 데이터와 맞지 않으면 먼저 다시 만들어요.
Hand a tier out: its student copies (rebuilt first if made for other data), reading the cohort's data by themselves.

  <반>/handout/<과정>/      한 사람 몫 폴더 (수업 + 데이터)  / one learner's folder
  <반>/handout/<과정>.zip   같은 내용의 zip                  / the same as a zip
JupyterHub에서는 nbgrader release_assignment가 grader/release/<과정>을 내보내요 (반의 데이터를 가리키는 .academy.json 포함).
"""


def _release(args) -> int:
    from .cohort import open_cohort
    from .release import release

    cohort = open_cohort(args.cohort)
    release(cohort, args.tier, make_zip=not args.no_zip)
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
    made.set_defaults(run=_cohort)

    out = commands.add_parser("release", help="과정 나눠 주기 (hand a tier out)", description=RELEASE_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    out.add_argument("tier", help="과정 (beginner, intermediate, advanced)")
    out.add_argument("--cohort", help="반 이름이나 폴더 (반이 하나면 생략) / cohort name or folder")
    out.add_argument("--no-zip", action="store_true", help="zip은 만들지 않아요 / no zip")
    out.set_defaults(run=_release)


def run(args) -> int:
    try:
        return args.run(args)
    except TrainerError as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
