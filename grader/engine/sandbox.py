"""Where learner code runs: a bubblewrap sandbox with no network and only what a lesson needs.

Inside it are the Python installation, the ``course`` package, the cohort's data (read-only), the
engine's fork server script and an empty ``/tmp``. Not inside: the keys (``grader``), the source
notebooks, the gradebook, other learners' submissions and the trainer's home. Where bubblewrap cannot
run, ``Sandbox.fallback`` still clears the environment and works in a fresh folder, and the trainer is
warned loudly (``Sandbox.warning``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

KERNEL = Path(__file__).resolve().parent / "kernel.py"
INSIDE_KERNEL = "/academy/kernel.py"
INSIDE_DATA = "/academy/data"
INSIDE_WORK = "/tmp/work"
INSIDE_LIB = "/academy/lib"  # the course package, first on sys.path inside, whatever finder installed it outside
ETC_FILES = ("ld.so.cache", "localtime", "fonts", "ssl/openssl.cnf", "mime.types", "nsswitch.conf")


@dataclass
class Sandbox:
    """How to start one fork server: the command, its environment, and whether it is really sandboxed."""

    command: list[str]
    env: dict[str, str]
    sandboxed: bool
    warning: str = ""
    cwd: str | None = None
    scratch: list[str] = field(default_factory=list)

    def cleanup(self) -> None:
        for folder in self.scratch:
            shutil.rmtree(folder, ignore_errors=True)


def _base_env(data_inside: str, work: str, sandboxed: bool) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "KAKAO_ACADEMY_DATA": data_inside,
        "ACADEMY_WORK": work,
        "ACADEMY_SANDBOXED": "1" if sandboxed else "0",
        "HOME": work,
    }
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # machine settings that keep numpy correct here
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _grader_folders() -> list[Path]:
    """Where the ``grader`` package lives, so the sandbox can hide it even inside site-packages."""
    spec = importlib.util.find_spec("grader")
    return [Path(p).resolve() for p in (spec.submodule_search_locations or [])] if spec else []


def _python_paths() -> list[Path]:
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        value = sysconfig.get_paths().get(key)
        if value:
            paths.add(Path(value).resolve())
    # the interpreter file itself may sit elsewhere (a venv's bin/python links to the base)
    paths.add(Path(sys.executable).parent.parent)
    return sorted(paths, key=lambda p: len(p.parts))


def _course_folder() -> Path:
    spec = importlib.util.find_spec("course")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("course 패키지를 찾을 수 없어요. `make install`을 먼저 실행하세요.")
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def bubblewrap(data_dir: Path, memory_tmp_mb: int = 512) -> Sandbox:
    binds: list[str] = []
    for system in ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32"):
        if os.path.exists(system):
            if os.path.islink(system):
                binds += ["--symlink", os.readlink(system), system]
            else:
                binds += ["--ro-bind", system, system]
    for name in ETC_FILES:
        path = Path("/etc") / name
        if path.exists():
            binds += ["--ro-bind", str(path), str(path)]
    for path in _python_paths():
        if not str(path).startswith(("/usr/", "/bin", "/lib")):
            binds += ["--ro-bind", str(path), str(path)]
    course = _course_folder()
    # the generator (its truths and the crisis lessons' monitoring rules) stays outside: an empty folder in its place
    binds += ["--ro-bind", str(course), f"{INSIDE_LIB}/course", "--tmpfs", f"{INSIDE_LIB}/course/datagen"]
    hide = [g for g in _grader_folders() if any(g.is_relative_to(p) for p in _python_paths())]
    for folder in hide:
        binds += ["--tmpfs", str(folder)]
    binds += ["--ro-bind", str(Path(data_dir).resolve()), INSIDE_DATA, "--ro-bind", str(KERNEL), INSIDE_KERNEL]
    # writable: only /tmp and /dev/shm, both small and emptied after every notebook; / and /dev read-only
    binds += ["--size", str(64 * 1024 * 1024), "--tmpfs", "/dev/shm", "--remount-ro", "/dev", "--remount-ro", "/"]
    command = ["bwrap", "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000", "--die-with-parent",
               "--new-session", "--clearenv", "--proc", "/proc", "--dev", "/dev",
               "--size", str(memory_tmp_mb * 1024 * 1024), "--tmpfs", "/tmp", *binds, "--chdir", "/tmp"]
    env = _base_env(INSIDE_DATA, INSIDE_WORK, True)
    env["MPLCONFIGDIR"] = "/tmp/.mpl"
    env["PYTHONPATH"] = INSIDE_LIB  # an editable install may point elsewhere (another checkout): this copy is graded
    for name, value in env.items():
        command += ["--setenv", name, value]
    command += [sys.executable, "-u", INSIDE_KERNEL]  # -u: the protocol is never buffered
    return Sandbox(command, {}, True)


def fallback(data_dir: Path, reason: str) -> Sandbox:
    work = tempfile.mkdtemp(prefix="academy-grading-")
    env = _base_env(str(Path(data_dir).resolve()), os.path.join(work, "work"), False)
    env["MPLCONFIGDIR"] = os.path.join(work, "mpl")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env["PATH"]
    warning = ("⚠️  샌드박스(bubblewrap)를 쓸 수 없어 학습자 코드를 격리하지 못한 채 채점해요. "
               "학습자 코드가 네트워크와 이 컴퓨터의 파일(정답 키, 성적부 포함)에 닿을 수 있어요. "
               "Debian/Ubuntu라면 `sudo apt-get install bubblewrap`으로 설치한 뒤 다시 채점하세요.\n"
               f"   (원인: {reason})\n"
               "   WARNING: bubblewrap is unavailable; learner code runs without a sandbox.")
    return Sandbox([sys.executable, "-u", str(KERNEL)], env, False, warning, cwd=work, scratch=[work])


def choose(data_dir: Path, allow_fallback: bool = True) -> Sandbox:
    """Bubblewrap when it runs here, else the fallback (with its warning)."""
    if shutil.which("bwrap") is None:
        reason = "bwrap 명령이 없어요"
    else:
        sandbox = bubblewrap(data_dir)
        probe = sandbox.command[: sandbox.command.index(sys.executable)]
        trial = subprocess.run([*probe, sys.executable, "-c", "import course.checks"],
                               capture_output=True, text=True, timeout=120)
        if trial.returncode == 0:
            return sandbox
        reason = (trial.stderr.strip().splitlines() or ["bwrap이 시작하지 못했어요"])[-1]
    if not allow_fallback:
        raise RuntimeError(f"샌드박스를 시작할 수 없어요: {reason}")
    return fallback(data_dir, reason)
