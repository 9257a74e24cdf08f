"""Building student copies with stock nbgrader, and giving a learner their own working copy.

``build_student_copies`` first computes the check tokens every lesson needs (``grader.tokens``: in parallel, one
lesson per task, cached per data state, so a second build on the same data skips it), then runs ``nbgrader
generate_assignment`` for each tier that is not up to date, saying in Korean what it is doing at each step. A run
that fails on a fresh gradebook removes it, so the next run starts clean instead of tripping over a half-made
database; the glossary page (``course.glossary``) is written beside each tier's copies. ``sync_workspace`` copies
new lessons into the learner's folder and never overwrites a notebook that is already there (the glossary page and
the check files, ``.checks/``, are always refreshed: they are course material, not the learner's work).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from course import glossary
from course.checks import CHECKS_FOLDER
from course.data import DATA_ENV, DEFAULT_DATA_DIR

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


BUILT = ".built"  # in each tier's release: the data state its copies were made for


def _up_to_date(root: Path, tier: str, folder: Path) -> bool:
    """Copies and check files newer than every input, made for the data (and key code) in ``folder``."""
    from .tokens import data_state

    release = root / "grader" / "release" / tier
    sources = list((root / tier).glob("*.ipynb"))
    copies = [release / source.name for source in sources] + [release / CHECKS_FOLDER / f"{s.stem}.json" for s in sources]
    if not all(copy.exists() for copy in copies) or not (root / "grader" / "gradebook.db").exists():
        return False
    try:
        if (release / BUILT).read_text(encoding="utf-8").strip() != data_state(folder):
            return False
    except OSError:
        return False
    grading_code = list((root / "grader").glob("*.py")) + list((root / "grader" / "keys").glob("*.py"))
    newest_input = max(p.stat().st_mtime for p in sources + grading_code)
    return min(copy.stat().st_mtime for copy in copies) >= newest_input


def data_folder(extra_env: dict[str, str] | None = None) -> Path:
    """The data nbgrader will read: the environment it is given (``KAKAO_ACADEMY_DATA``), else the default cohort."""
    chosen = (extra_env or {}).get(DATA_ENV) or os.environ.get(DATA_ENV)
    return Path(chosen).expanduser() if chosen else DEFAULT_DATA_DIR


def lesson_questions(root: Path, tiers: list[str]) -> dict[str, list[str]]:
    """``tier/lesson.ipynb`` -> the question ids its check cells name."""
    import nbformat

    from .preprocess import questions_of

    return {f"{tier}/{lesson.name}": [qid for _, qid in questions_of(nbformat.read(lesson, as_version=4))]
            for tier in tiers for lesson in sorted((root / tier).glob("*.ipynb"))}


def _progress_bar(total: int, show: bool):
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc="  문제 확인표", unit="수업", disable=not show, leave=False, file=sys.stderr)


def prepare_tokens(root: Path, tiers: list[str], extra_env: dict[str, str] | None = None, say=print,
                   progress: bool | None = None) -> int:
    """Every check token the tiers' lessons need, computed in parallel where the cache lacks it; returns how many."""
    from .tokens import prefill

    lessons = lesson_questions(root, tiers)
    show = sys.stderr.isatty() if progress is None else progress
    started = time.perf_counter()
    say(f"- 문제 확인표(정답의 해시) 준비 중: 수업 {len(lessons)}개, 문제 {sum(map(len, lessons.values()))}개 "
        "(처음 한 번은 1분쯤 걸려요)")
    bar = _progress_bar(len(lessons), show)
    made = prefill(lessons, data_folder(extra_env), done=lambda lesson: bar.update(1) if bar else None)
    if bar:
        bar.close()
    say(f"  {'새로 계산한 것 ' + str(made) + '개' if made else '모두 저장해 둔 것을 썼어요'} "
        f"({time.perf_counter() - started:.0f}초)")
    return made


def build_student_copies(root: Path = ROOT, tiers: list[str] | None = None, force: bool = False,
                         extra_env: dict[str, str] | None = None, say=print, progress: bool | None = None) -> list[str]:
    """Make grader/release/<tier> for each tier; returns the tiers (re)built."""
    from .tokens import data_state

    built = []
    gradebook = root / "grader" / "gradebook.db"
    tiers = tiers or tiers_with_lessons(root)
    folder = data_folder(extra_env)
    todo = [tier for tier in tiers if force or not _up_to_date(root, tier, folder)]
    for tier in tiers:
        if tier not in todo:
            say(f"- {tier}: 학습용 사본이 최신이에요.")
    if todo:
        prepare_tokens(root, todo, extra_env, say, progress)
        fresh = not gradebook.exists()
        done, failure = generate(root, todo, extra_env, say)
        for tier in done:
            (root / "grader" / "release" / tier / BUILT).write_text(data_state(folder) + "\n", encoding="utf-8")
        built += done
        if failure:
            if fresh and gradebook.exists():
                gradebook.unlink()  # never leave a half-made gradebook behind
                for tier in done:
                    (root / "grader" / "release" / tier / BUILT).unlink(missing_ok=True)
            raise BuildError(failure)
    for tier in tiers:
        write_glossary(root / "grader" / "release" / tier)
    return built


STEP, DONE = "@@step ", "@@done "  # the child's lines the parent turns into progress (everything else is nbgrader's)


def generate(root: Path, tiers: list[str], extra_env: dict[str, str] | None = None,
             say=print) -> tuple[list[str], str]:
    """``nbgrader generate_assignment`` for each tier, all in one child process (nbgrader's imports paid once).

    Returns the tiers made and, if one failed, the Korean message with nbgrader's last lines.
    """
    say(f"- nbgrader 시작 중 (학습용 사본 {len(tiers)}단계: {', '.join(tiers)})")
    child = subprocess.Popen([sys.executable, "-m", "grader.build", *tiers], cwd=root / "grader",
                             env=nbgrader_env(extra_env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, encoding="utf-8", errors="replace")
    done, other = [], []
    for line in child.stdout:
        if line.startswith(STEP):
            say(line[len(STEP):].rstrip("\n"))
        elif line.startswith(DONE):
            done.append(line[len(DONE):].strip())
        else:
            other.append(line)
    child.wait()
    output = "".join(other)
    if CONFIG_FAILED in output:
        return done, ("grader/nbgrader_config.py를 읽지 못했어요. 설치가 끝났는지(`make install`) 확인하세요.\n"
                      + _tail(output))
    failed = next((tier for tier in tiers if tier not in done), None)
    if child.returncode != 0 or failed:
        return done, (f"{failed or tiers[-1]} 학습용 사본을 만들지 못했어요. 아래 nbgrader 메시지를 확인하세요.\n"
                      + _tail(output))
    return done, ""


def _generate_here(tiers: list[str]) -> int:
    """The child of ``generate``, run from a course's ``grader/`` folder: stock nbgrader's API, one tier at a time."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=".").load_config()
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    for number, tier in enumerate(tiers, 1):
        started = time.perf_counter()
        print(f"{STEP}- 학습용 사본 만드는 중 ({number}/{len(tiers)}) {tier}: nbgrader generate_assignment", flush=True)
        result = api.generate_assignment(tier, force=True)
        if not result["success"]:
            print(result.get("log", "") + result.get("error", ""), flush=True)
            return 1
        print(f"{DONE}{tier}", flush=True)
        print(f"{STEP}  {tier} 끝 ({time.perf_counter() - started:.0f}초)", flush=True)
    return 0


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
        checks = release / tier / CHECKS_FOLDER
        if checks.is_dir():  # the checks' tokens for the data the learner's lab reads now
            shutil.copytree(checks, workspace / tier / CHECKS_FOLDER, dirs_exist_ok=True)
        for lesson in sorted((release / tier).glob("*.ipynb")):
            target = workspace / tier / lesson.name
            if target.exists():
                report.kept.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(lesson, target)
            report.added.append(target)
    return report


if __name__ == "__main__":
    sys.exit(_generate_here(sys.argv[1:]))
