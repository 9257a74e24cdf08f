"""What the tests that start servers or act as other OS users share: a free loopback port, stopping a server,
opening the way to root's Python for other users, running a command as another user."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen, timeout: float = 60) -> None:
    """Ask a server to end, and end it if it does not within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def let_users_through(paths: list[Path]) -> dict[Path, int]:
    """Give others the right to pass through (not to list) every folder above ``paths``: the course's Python lives
    where root installed it (``/root`` is closed to other users), as a hub's shared environment would not. Returns
    the modes it changed, to put back."""
    changed = {}
    for path in paths:
        for folder in Path(os.path.realpath(path)).parents:
            mode = folder.stat().st_mode
            if not mode & 0o001:
                changed[folder] = mode
                folder.chmod(mode | 0o001)
    return changed


def run_as(name: str, args: list[str], env: dict[str, str], cwd: Path | None = None,
           timeout: float = 900) -> subprocess.CompletedProcess:
    """``args`` run as the OS user ``name`` (in ``cwd``, else their home) with only ``env`` and their own HOME, USER,
    LOGNAME and a UTF-8 locale set, as their server would start it."""
    home = pwd.getpwnam(name).pw_dir
    pairs = [f"{k}={v}" for k, v in {"HOME": home, "USER": name, "LOGNAME": name, "LANG": "C.UTF-8", **env}.items()]
    return subprocess.run(["runuser", "-u", name, "--", "env", "-i", *pairs, *args], cwd=cwd or home,
                          capture_output=True, text=True, timeout=timeout)
