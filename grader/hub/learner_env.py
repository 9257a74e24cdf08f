"""The learner's environment for a hub: JupyterLab, nbgrader's Assignments tab, the course's libraries and the
``course`` package, and nothing of the trainer's (no ``grader``: no answer keys, no solutions).

    python -m grader.hub.learner_env /opt/academy/learner [--python /usr/bin/python3.11]

It is a virtual environment made with a Python every learner can run (the hub starts each learner's server as that
learner's OS user), with the project's own dependency ranges (pyproject.toml) plus JupyterHub's single-user server.
``course`` is copied in, not installed from the project, so the answer-key entry point that the trainer's install
registers is not there either: the checks read their tokens from each lesson's ``.checks`` folder.
Run again after a course update: the libraries stay, ``course`` is replaced.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HUB_SINGLEUSER = "jupyterhub>=5,<6"


def requirements(root: Path = ROOT) -> list[str]:
    """The learner's packages: the project's dependencies, as pyproject.toml ranges them, and the hub's server."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], HUB_SINGLEUSER]


def fingerprint(root: Path = ROOT) -> str:
    """Short hash of the requirements: an environment built for them can be reused."""
    return hashlib.sha256("\n".join(requirements(root)).encode()).hexdigest()[:12]


def site_packages(prefix: Path) -> Path:
    python = prefix / "bin" / "python"
    found = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           check=True, capture_output=True, text=True).stdout.strip()
    return Path(found)


def build(prefix: Path, python: str = "/usr/bin/python3", root: Path = ROOT, say=print) -> Path:
    """Make (or bring up to date) the learner's environment at ``prefix``; returns its Python."""
    prefix = Path(prefix)
    stamp = prefix / ".academy-requirements"
    if not (prefix / "bin" / "python").exists():
        say(f"[학습자 환경] {prefix}에 가상 환경을 만들어요 ({python}).")
        subprocess.run([python, "-m", "venv", str(prefix)], check=True)
    if not stamp.exists() or stamp.read_text() != fingerprint(root):
        say("[학습자 환경] 패키지를 설치해요. 처음 한 번은 몇 분 걸려요.")
        pip = [str(prefix / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, *requirements(root)], check=True)
        stamp.write_text(fingerprint(root))
    target = site_packages(prefix) / "course"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(root / "course", target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    say(f"[학습자 환경] 준비됐어요: {prefix} (grader 없이 course만)")
    return prefix / "bin" / "python"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.hub.learner_env",
                                     description="허브의 학습자 환경을 만들어요 (grader 없이) / the learner's environment")
    parser.add_argument("prefix", type=Path, help="만들 곳 / where")
    parser.add_argument("--python", default="/usr/bin/python3",
                        help="학습자 모두가 실행할 수 있는 Python 3.11 (기본: /usr/bin/python3)")
    args = parser.parse_args(argv)
    try:
        build(args.prefix, args.python)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"오류: 학습자 환경을 만들지 못했어요: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
