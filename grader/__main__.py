"""Trainer and learner commands: ``python -m grader student|lab|autograde|feedback``.

    python -m grader student [--workspace DIR]   build student copies, copy new lessons to DIR
    python -m grader lab [--workspace DIR] [-- jupyter lab options]
                                                 the same, then open JupyterLab (Korean) on DIR
    python -m grader autograde TIER [--jobs N]   grade submitted/<learner>/TIER with the engine (sandboxed)
    python -m grader feedback TIER               feedback pages again, with the written answers' grades
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from .build import ROOT, BuildError, build_student_copies, sync_workspace

DEFAULT_WORKSPACE = ROOT / "workspace"


def _prepare(workspace: Path) -> None:
    started = time.perf_counter()
    print("학습용 사본을 준비해요 (처음 한 번은 1분쯤, 그다음부터는 몇 초).")
    build_student_copies()
    print("- 학습 폴더에 새 수업 복사 중")
    report = sync_workspace(workspace)
    for path in report.added:
        print(f"  새 수업: {path.relative_to(workspace)}")
    if report.kept:
        print(f"  이미 있는 노트북 {len(report.kept)}개는 그대로 두었어요 (작업한 내용 보존).")
    print(f"학습 폴더: {workspace} (준비 {time.perf_counter() - started:.0f}초)")


LAB_CONFIG = Path(__file__).resolve().parent.parent / "course" / "lab_config"


def learner_lab(workspace: Path, options: list[str]) -> list[str]:
    """The ``jupyter lab`` command of the learner's lab, with its environment set in ``os.environ``.

    course/lab_config holds it all: Korean (language pack locale), no Jupyter news or update toast, nbgrader's
    trainer panels and its Validate button off (the 제출 전 점검 cell at the end of each lesson replaces it).
    """
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [str(LAB_CONFIG),
                                                                      os.environ.get("JUPYTER_CONFIG_PATH")]))
    return [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={workspace}",
            f"--LabApp.app_settings_dir={LAB_CONFIG / 'settings'}", *options]


GRADE_HELP = """제출물을 채점해요 (샌드박스에서 실행, 정답은 채점 프로세스 밖에서만 비교).
Grade the submissions of a tier: learner code runs sandboxed, answers are judged outside it.

nbgrader처럼, 실행한 폴더(또는 --course)의 nbgrader_config.py가 가리키는 과정을 채점해요:
submitted/<학습자>/<TIER>/ 를 읽고 성적부(gradebook), autograded/, feedback/, integrity.csv 를 써요.
이미 채점한 제출물은 건너뛰고, 새로 낸 제출물은 다시 채점해요 (이전 채점본은 autograded-earlier/에 보관).
"""


def _course_of(args) -> Path:
    """The nbgrader folder to work in: a cohort's (``--cohort``) or ``--course`` (default: where it is run)."""
    if getattr(args, "cohort", None):
        from .trainer.cohort import open_cohort

        return open_cohort(args.cohort).grader
    return args.course


def _grade(args) -> int:
    from .engine.grading import EngineError, Limits, autograde
    from .trainer.errors import TrainerError
    from .trainer.variants import data_lookup

    try:
        args.course = _course_of(args)
        data_for = data_lookup(Path(args.course).resolve().parent)  # a cohort with per-learner data
    except TrainerError as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
    limits = Limits(cell_seconds=args.cell_timeout, memory_mb=args.memory_mb)
    try:
        summary = autograde(args.course, args.tier, students=args.student or None, jobs=args.jobs, force=args.force,
                            limits=limits, progress=not args.quiet, allow_fallback=not args.require_sandbox,
                            data_for=data_for)
    except (EngineError, TrainerError, RuntimeError) as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
    print(summary.text())
    return 0


def _feedback(args) -> int:
    from .engine.grading import EngineError, feedback
    from .trainer.errors import TrainerError
    from .trainer.returns import zip_feedback

    try:
        course = _course_of(args)
        pages = feedback(course, args.tier, students=args.student or None)
        archive = zip_feedback(course, args.tier, students=args.student or None)
    except (EngineError, TrainerError) as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
    print(f"피드백 {len(pages)}개를 만들었어요.")
    if archive:
        print(f"돌려줄 zip (학습자마다 폴더 하나): {archive}")
    return 0


class KoreanHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="사용법 (usage): ")


ARGPARSE_WORDS = (  # argparse's own error messages, in Korean (its English stays in brackets for a search)
    (re.compile(r"the following arguments are required: (.+)"), "꼭 줘야 하는 것이 빠졌어요: {0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "알 수 없는 인자예요: {0}"),
    (re.compile(r"argument (\S+): invalid int value: (.+)"), "{0}: 정수로 주세요 (받은 값: {1})"),
    (re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"), "{0}: {1}은 고를 수 없어요. 고를 수 있는 것: {2}"),
    (re.compile(r"argument (\S+): expected one argument"), "{0} 뒤에 값을 하나 주세요"),
)


class KoreanArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose own error messages are Korean (its subcommands' parsers are of this class too)."""

    def error(self, message: str):
        for pattern, korean in ARGPARSE_WORDS:
            found = pattern.fullmatch(message)
            if found:
                message = korean.format(*found.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"오류: {message}\n")


def _korean_help(parser: argparse.ArgumentParser) -> None:
    """argparse's own words in Korean first: the section titles and the -h line."""
    parser.formatter_class = KoreanHelpFormatter
    parser._positionals.title = "인자 (arguments)"
    parser._optionals.title = "옵션 (options)"
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = "이 도움말을 보여 줘요 / show this help"


def main(argv: list[str] | None = None) -> int:
    parser = KoreanArgumentParser(prog="python -m grader", description="카카오톡 채널 실무 아카데미 도구 "
                                     "(KakaoTalk Channel Academy tools)")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("student", "학습용 사본을 만들고 학습 폴더에 새 수업을 복사해요 (build student copies)"),
                       ("lab", "학습용 사본을 준비하고 JupyterLab(한국어)을 열어요 (open JupyterLab in Korean)")):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--workspace", type=Path, default=DEFAULT_WORKSPACE,
                             help=f"학습 폴더 (기본: {DEFAULT_WORKSPACE})")
    grade = commands.add_parser("autograde", help="제출물 채점 (grade submissions with the engine)",
                                description=GRADE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    grade.add_argument("tier", help="과정 (beginner, intermediate, advanced)")
    grade.add_argument("--course", type=Path, default=Path.cwd(),
                       help="nbgrader_config.py가 있는 과정 폴더 (기본: 지금 폴더) / course folder")
    grade.add_argument("--cohort", help="반 이름이나 폴더 (--course 대신) / a cohort instead of --course")
    grade.add_argument("--student", action="append", help="이 학습자만 (여러 번 쓸 수 있어요) / only this learner")
    grade.add_argument("--jobs", type=int, default=None, help="동시에 채점할 노트북 수 (기본: CPU 코어 수) / parallel jobs")
    grade.add_argument("--force", action="store_true", help="이미 채점한 제출물도 다시 채점 / regrade everything")
    grade.add_argument("--cell-timeout", type=float, default=120, help="셀 하나의 시간 제한, 초 (기본 120)")
    grade.add_argument("--memory-mb", type=int, default=4096, help="노트북 하나의 메모리 한도, MB (기본 4096)")
    grade.add_argument("--require-sandbox", action="store_true",
                       help="샌드박스를 쓸 수 없으면 채점하지 않아요 / refuse to grade without the sandbox")
    grade.add_argument("--quiet", action="store_true", help="진행 막대를 숨겨요 / no progress bar")
    back = commands.add_parser("feedback", help="피드백 다시 만들기 (feedback pages again)",
                               description="채점 기록과 성적부(서술형 점수·의견)로 학습자별 피드백 HTML을 다시 만들고, "
                                           "돌려줄 zip(grader/feedback-<과정>.zip)도 만들어요. "
                                           "Rebuild each learner's feedback page from the records and the gradebook, "
                                           "and a zip to return them.")
    back.add_argument("tier")
    back.add_argument("--course", type=Path, default=Path.cwd(), help="과정 폴더 / course folder")
    back.add_argument("--cohort", help="반 이름이나 폴더 (--course 대신) / a cohort instead of --course")
    back.add_argument("--student", action="append", help="이 학습자만 / only this learner")
    from .trainer import cli as trainer

    trainer.register(commands)
    from .study import cli as study

    study.register(commands, _korean_help)
    for shown in (parser, *commands.choices.values()):
        _korean_help(shown)
    args, rest = parser.parse_known_args(argv)
    if hasattr(args, "run"):
        if rest:
            parser.error(f"알 수 없는 옵션: {' '.join(rest)}")
        return trainer.run(args)
    if args.command in ("autograde", "feedback"):
        if rest:
            parser.error(f"알 수 없는 옵션: {' '.join(rest)}")
        return _grade(args) if args.command == "autograde" else _feedback(args)
    try:
        _prepare(args.workspace.resolve())
    except BuildError as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
    if args.command == "lab":
        options = [arg for arg in rest if arg != "--"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            options.append("--allow-root")  # containers and CI machines run as root
        command = learner_lab(args.workspace.resolve(), options)
        print("JupyterLab을 여는 중이에요. 브라우저가 열리지 않으면 아래에 나오는 http://localhost 주소를 여세요.", flush=True)
        os.execv(sys.executable, command)
    elif rest:
        parser.error(f"알 수 없는 옵션: {' '.join(rest)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
