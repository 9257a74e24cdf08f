"""Building student copies with stock nbgrader, and giving a learner their own working copy.

``build_student_copies`` runs ``nbgrader generate_assignment`` for each tier that has lessons. A run
that fails on a fresh gradebook removes it, so the next run starts clean instead of tripping over a
half-made database; the glossary page (``course.glossary``) is written beside each tier's copies.
``sync_workspace`` copies new lessons into the learner's folder and never overwrites a notebook that is already
there (the glossary page is always refreshed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from course import glossary

ROOT = Path(__file__).resolve().parent.parent
TIERS = ("beginner", "intermediate", "advanced")
CONFIG_FAILED = "Exception while loading config file"


class BuildError(Exception):
    """A build step failed; the message is Korean and says what to do."""


def nbgrader_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment nbgrader needs: this Python's bin folder (alembic) first on PATH."""
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    env.update(extra or {})
    return env


def run_nbgrader(args: list[str], root: Path = ROOT, extra_env: dict[str, str] | None = None,
                 timeout: float = 1_800) -> subprocess.CompletedProcess:
    """Run a stock nbgrader command from ``root/grader`` (where its config lives)."""
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root / "grader", env=nbgrader_env(extra_env),
                            capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    output = result.stdout + result.stderr
    if CONFIG_FAILED in output:
        raise BuildError("grader/nbgrader_config.py를 읽지 못했어요. 설치가 끝났는지(`make install`) 확인하세요.\n"
                         + _tail(output))
    return result


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def tiers_with_lessons(root: Path = ROOT) -> list[str]:
    return [tier for tier in TIERS if any((root / tier).glob("*.ipynb"))]


def _up_to_date(root: Path, tier: str) -> bool:
    release = root / "grader" / "release" / tier
    sources = list((root / tier).glob("*.ipynb"))
    copies = [release / source.name for source in sources]
    if not all(copy.exists() for copy in copies) or not (root / "grader" / "gradebook.db").exists():
        return False
    grading_code = list((root / "grader").glob("*.py")) + list((root / "grader" / "keys").glob("*.py"))
    newest_input = max(p.stat().st_mtime for p in sources + list(_data_files()) + grading_code)
    return min(copy.stat().st_mtime for copy in copies) >= newest_input


def _data_files():
    from course import current_data_dir

    return current_data_dir().glob("*.csv")


def build_student_copies(root: Path = ROOT, tiers: list[str] | None = None, force: bool = False,
                         extra_env: dict[str, str] | None = None, say=print) -> list[str]:
    """Make grader/release/<tier> for each tier; returns the tiers (re)built."""
    built = []
    gradebook = root / "grader" / "gradebook.db"
    tiers = tiers or tiers_with_lessons(root)
    for tier in tiers:
        if not force and _up_to_date(root, tier):
            say(f"- {tier}: 학습용 사본이 최신이에요.")
            continue
        fresh = not gradebook.exists()
        say(f"- {tier}: 학습용 사본 만드는 중 (nbgrader generate_assignment)")
        result = run_nbgrader(["generate_assignment", tier, "--force"], root, extra_env)
        if result.returncode != 0:
            if fresh and gradebook.exists():
                gradebook.unlink()  # never leave a half-made gradebook behind
            raise BuildError(f"{tier} 학습용 사본을 만들지 못했어요. 아래 nbgrader 메시지를 확인하세요.\n"
                             + _tail(result.stdout + result.stderr))
        built.append(tier)
    for tier in tiers:
        write_glossary(root / "grader" / "release" / tier)
    return built


def write_glossary(folder: Path) -> Path:
    """The course's glossary page beside a tier's lessons (each lesson links to it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / glossary.PAGE_NAME
    text = glossary.page()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


@dataclass
class SyncReport:
    added: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def sync_workspace(workspace: Path, root: Path = ROOT) -> SyncReport:
    """Copy each released lesson into ``workspace/<tier>/`` unless the learner already has it."""
    report = SyncReport()
    release = root / "grader" / "release"
    for tier in tiers_with_lessons(root):
        page = release / tier / glossary.PAGE_NAME
        if page.exists():  # course material, not the learner's work: always the newest
            (workspace / tier).mkdir(parents=True, exist_ok=True)
            shutil.copy2(page, workspace / tier / page.name)
        for lesson in sorted((release / tier).glob("*.ipynb")):
            target = workspace / tier / lesson.name
            if target.exists():
                report.kept.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(lesson, target)
            report.added.append(target)
    return report
