"""Trainer and learner commands: ``python -m grader student|lab``.

    python -m grader student [--workspace DIR]   build student copies, copy new lessons to DIR
    python -m grader lab [--workspace DIR] [-- jupyter lab options]
                                                 the same, then open JupyterLab (Korean) on DIR
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .build import ROOT, BuildError, build_student_copies, sync_workspace

DEFAULT_WORKSPACE = ROOT / "workspace"


def _prepare(workspace: Path) -> None:
    build_student_copies()
    report = sync_workspace(workspace)
    for path in report.added:
        print(f"  새 수업: {path.relative_to(workspace)}")
    if report.kept:
        print(f"  이미 있는 노트북 {len(report.kept)}개는 그대로 두었어요 (작업한 내용 보존).")
    print(f"학습 폴더: {workspace}")


def use_korean_lab() -> Path:
    """Make JupyterLab start in Korean (language pack) for everyone using this environment."""
    from jupyterlab.commands import get_app_dir

    overrides = Path(get_app_dir()) / "settings" / "overrides.json"
    settings = json.loads(overrides.read_text(encoding="utf-8")) if overrides.exists() else {}
    settings.setdefault("@jupyterlab/translation-extension:plugin", {})["locale"] = "ko_KR"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps(settings, ensure_ascii=False, indent=2), encoding="utf-8")
    return overrides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description="카카오톡 채널 실무 아카데미 도구")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("student", "학습용 사본을 만들고 학습 폴더에 새 수업을 복사해요"),
                       ("lab", "학습용 사본을 준비하고 JupyterLab(한국어)을 열어요")):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--workspace", type=Path, default=DEFAULT_WORKSPACE,
                             help=f"학습 폴더 (기본: {DEFAULT_WORKSPACE})")
    args, rest = parser.parse_known_args(argv)
    try:
        _prepare(args.workspace.resolve())
    except BuildError as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
    if args.command == "lab":
        use_korean_lab()
        options = [arg for arg in rest if arg != "--"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            options.append("--allow-root")  # containers and CI machines run as root
        # The learner's lab: nbgrader's trainer panels off (the Validate button stays), see course/lab_config.
        learner_config = str(Path(__file__).resolve().parent.parent / "course" / "lab_config")
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [learner_config, os.environ.get("JUPYTER_CONFIG_PATH")]))
        command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={args.workspace.resolve()}", *options]
        os.execv(sys.executable, command)
    elif rest:
        parser.error(f"알 수 없는 옵션: {' '.join(rest)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
