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

    def run(self, cells: list[dict], limits: dict, watchdog: float, deadline: float | None = None) -> Run:
        """Run one notebook's cells in a fresh fork.

        ``watchdog`` seconds without a word, or ``deadline`` seconds in all, end the server. Every message is
        checked against the shape the child sends; anything else (a learner writing to the pipe) is dropped.
        """
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process and self.process.stdin
        self._counter += 1
        job = {"job": f"{os.getpid()}-{self._counter}", "cells": cells, "limits": limits}
        indices = {cell["i"] for cell in cells}
        questions = {cell["i"]: cell["export"]["qid"] for cell in cells if cell.get("export")}
        run = Run()
        try:
            self.process.stdin.write(base64.b64encode(pickle.dumps(job)) + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return self._lost(run, "채점용 커널이 응답하지 않아요")
        ends = time.monotonic() + (deadline or 24 * 3600)
        while True:
            line = self._readline(min(watchdog, max(0.1, ends - time.monotonic())))
            if line is None:
                return self._lost(run, "채점용 커널이 멈췄어요")
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not isinstance(message, dict) or message.get("job") != job["job"]:
                continue
            kind, index = message.get("t"), message.get("i")
            if kind == "done":
                run.status = message.get("status") if message.get("status") in STATUSES else "crash"
                run.detail = str(message.get("detail", ""))[:500]
                stopped = message.get("cell")
                if run.status != "ok" and isinstance(stopped, int) and stopped in indices:
                    run.stopped_at = stopped
                return run
            if not isinstance(index, int) or isinstance(index, bool) or index not in indices:
                continue
            if kind == "cell" and index not in run.cells:
                run.cells[index] = clean_cell(message)
            elif kind == "export" and index in run.cells and index not in run.exports \
                    and message.get("qid") == questions.get(index) and isinstance(message.get("result"), dict):
                run.exports[index] = {"qid": message["qid"], "result": clean_result(message["result"])}
            elif kind == "flag" and isinstance(message.get("code"), str) and isinstance(message.get("reason"), str):
                run.flags.append({"i": index, "code": message["code"][:40], "reason": message["reason"][:300]})

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


STATUSES = {"ok", "timeout", "exit", "crash", "cpu", "output"}
STREAMS = {"stdout", "stderr"}


def _text(value, limit: int = 1_000_000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def clean_output(output) -> dict | None:
    """An output in nbformat's shape, or None: whatever else came down the pipe is not kept."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "stream" and output.get("name") in STREAMS:
        return {"output_type": "stream", "name": output["name"], "text": _text(output.get("text"))}
    if kind in ("display_data", "execute_result"):
        data = output.get("data")
        if not isinstance(data, dict):
            return None
        data = {str(k): v for k, v in data.items() if isinstance(v, (str, dict, list))}
        cleaned = {"output_type": kind, "data": data,
                   "metadata": output["metadata"] if isinstance(output.get("metadata"), dict) else {}}
        if kind == "execute_result":
            count = output.get("execution_count")
            cleaned["execution_count"] = count if isinstance(count, int) and not isinstance(count, bool) else None
        return cleaned
    if kind == "error":
        trace = output.get("traceback")
        return {"output_type": "error", "ename": _text(output.get("ename"), 200), "evalue": _text(output.get("evalue"), 2000),
                "traceback": [_text(t, 5000) for t in trace[:200]] if isinstance(trace, list) else []}
    return None


def clean_cell(message: dict) -> dict:
    outputs = message.get("outputs") if isinstance(message.get("outputs"), list) else []
    error = message.get("error") if isinstance(message.get("error"), dict) else None
    count = message.get("count")
    return {"status": "ok" if message.get("status") == "ok" else "error",
            "error": {"ename": _text(error.get("ename"), 200), "evalue": _text(error.get("evalue"), 2000)} if error else None,
            "outputs": [o for o in (clean_output(x) for x in outputs) if o is not None],
            "count": count if isinstance(count, int) and not isinstance(count, bool) else None}


def _form(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, str)):
        return True
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, (int, str)) and not isinstance(v, bool)
                                           for k, v in value.items())


def clean_result(result: dict) -> dict:
    """An exported value as the judge may read it: a form of the right shape, or a function's results."""
    status = result.get("status")
    if status == "form" and _form(result.get("form")):
        cleaned = {"status": "form", "form": result["form"]}
        if isinstance(result.get("suspect"), str):
            cleaned["suspect"] = result["suspect"][:100]
        return cleaned
    if status == "results" and isinstance(result.get("results"), list):
        cases = [r if isinstance(r, dict) and len(r) == 1 and (isinstance(r.get("ok"), str) or isinstance(r.get("error"), str))
                 else {"error": "결과 형식이 달라요"} for r in result["results"]]
        stderr = [_text(t, 2000) for t in result.get("stderr", [])][:50] if isinstance(result.get("stderr"), list) else []
        return {"status": "results", "results": cases, "stderr": stderr}
    if status in ("missing", "not_answered"):
        return {"status": status}
    return {"status": "wrong_kind", "detail": _text(result.get("detail"), 300)}
