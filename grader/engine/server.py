"""The trainer's handle on one fork server: start it in its sandbox, send notebooks, read what happened.

A server that dies or hangs is restarted; the notebook it was running is reported as a crash, and the
next notebook gets a fresh server. Everything the server says is data (JSON lines), never code.
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import selectors
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

from .sandbox import Sandbox


class ServerError(RuntimeError):
    """The fork server could not start (a Korean message for the trainer)."""


@dataclass
class Run:
    """What one notebook did: each cell's outputs and status, the exported values, flags, and the end."""

    cells: dict[int, dict] = field(default_factory=dict)
    exports: dict[int, dict] = field(default_factory=dict)
    flags: list[dict] = field(default_factory=list)
    status: str = "ok"  # ok | timeout | exit | crash | cpu | output
    detail: str = ""
    stopped_at: int | None = None  # the cell running when the notebook stopped early


class Server:
    def __init__(self, sandbox: Sandbox, startup_timeout: float = 180):
        self.sandbox = sandbox
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()
        self.startup_seconds = 0.0
        self._counter = 0
        self._buffer = bytearray()
        self._searched = 0

    def start(self) -> None:
        started = time.perf_counter()
        self._buffer, self._searched = bytearray(), 0
        self.process = subprocess.Popen(self.sandbox.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.log, env=self.sandbox.env or None, cwd=self.sandbox.cwd,
                                        start_new_session=True)
        line = self._readline(self.startup_timeout)
        if not line or json.loads(line).get("t") != "ready":
            self.close()
            raise ServerError("채점용 커널을 시작하지 못했어요. 마지막 오류:\n" + self.error_tail())
        self.startup_seconds = time.perf_counter() - started

    def error_tail(self, lines: int = 12) -> str:
        self.log.seek(0)
        return "\n".join(self.log.read().decode("utf-8", "replace").strip().splitlines()[-lines:])

    def _readline(self, timeout: float) -> bytes | None:
        """One line from the server, or None after ``timeout`` seconds of silence or at its end."""
        assert self.process and self.process.stdout
        fd = self.process.stdout.fileno()
        while True:
            newline = self._buffer.find(b"\n", self._searched)
            if newline >= 0:
                line = bytes(self._buffer[:newline])
                del self._buffer[:newline + 1]
                self._searched = 0
                return line
            self._searched = len(self._buffer)
            with selectors.DefaultSelector() as selector:
                selector.register(fd, selectors.EVENT_READ)
                if not selector.select(timeout):
                    return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            self._buffer += chunk

    def run(self, cells: list[dict], limits: dict, watchdog: float) -> Run:
        """Run one notebook's cells in a fresh fork; ``watchdog`` seconds without a word ends the server."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process and self.process.stdin
        self._counter += 1
        job = {"job": f"{os.getpid()}-{self._counter}", "cells": cells, "limits": limits}
        run = Run()
        try:
            self.process.stdin.write(base64.b64encode(pickle.dumps(job)) + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return self._lost(run, "채점용 커널이 응답하지 않아요")
        while True:
            line = self._readline(watchdog)
            if line is None:
                return self._lost(run, "채점용 커널이 멈췄어요")
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if message.get("job") != job["job"]:
                continue
            kind = message.get("t")
            if kind == "cell":
                run.cells[message["i"]] = message
            elif kind == "export":
                run.exports[message["i"]] = message
            elif kind == "flag":
                run.flags.append(message)
            elif kind == "done":
                run.status, run.detail = message["status"], message.get("detail", "")
                if run.status != "ok":
                    run.stopped_at = message.get("cell")
                return run

    def _lost(self, run: Run, words: str) -> Run:
        self.close()
        run.status, run.detail = "crash", words
        return run

    def close(self) -> None:
        if self.process is None:
            return
        try:
            if self.process.poll() is None:
                self.process.stdin.close()
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        except OSError:
            pass
        self.process = None
