"""The learner's side of the engine: a fork server that runs inside the sandbox.

Run as a plain script (``python kernel.py``), never imported by the trainer's code: nothing here may
import ``grader``, and the sandbox it runs in holds neither the keys nor the gradebook. It imports the
lesson libraries and reads the cohort's tables once, then for each notebook it is sent it forks a
fresh child, which runs the cells in an IPython shell and writes what happened, cell by cell, as JSON
lines. A hidden test's value leaves as data: its canonical form (``course.checks.canonical``) or, for
a function question, the function's canonical results on the hidden cases. The child never sees a key.

Protocol on stdin/stdout, one JSON object per line:
    server -> parent   {"t": "ready", "seconds": ...}
    parent -> server   {"job": ID, "cells": [...], "limits": {...}}
    server -> parent   every line the child writes (start, cell, export, flag, end), then
                       {"t": "done", "job": ID, "status": "ok" | "timeout" | "exit" | "crash" | "cpu" | "output", ...}
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import resource
import select
import signal
import socket
import struct
import sys
import threading
import time

STARTED = time.perf_counter()
WORK = os.environ.get("ACADEMY_WORK", "/tmp/work")
TEST_MARKER = "### BEGIN HIDDEN TESTS"


def _preload():
    """Everything a lesson imports, paid once before the first fork."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import matplotlib  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import scipy.stats  # noqa: F401
    import statsmodels.api  # noqa: F401
    import statsmodels.formula.api  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    try:
        import ipywidgets  # noqa: F401
    except ImportError:  # a lesson without widgets still grades
        pass
    import course
    import course.checks
    for name in course.table_names():
        try:
            course.load(name)  # warms the cache; every load() in a child returns its own copy
        except course.DataError:
            pass
    # every module of the package, so a lesson importing one (``from course.windows import full_7d``) adds
    # nothing to what the tamper check compares before and after each cell
    import pkgutil
    for found in pkgutil.walk_packages(course.__path__, "course."):
        if found.name == "course.datagen" or found.name.startswith("course.datagen."):
            continue  # the generator is never imported by a lesson (and is an empty folder in the sandbox)
        try:
            __import__(found.name)
        except ImportError:  # course.widgets without ipywidgets
            pass


def _make_shell():
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Capture:
        """Outputs of the running cell, in nbformat's shape, with a size cap."""

        def __init__(self):
            self.outputs: list[dict] = []
            self.chars = 0
            self.limit = 200_000
            self.truncated = False

        def reset(self, limit: int):
            self.outputs, self.chars, self.limit, self.truncated = [], 0, limit, False

        def add(self, output: dict, size: int):
            if self.truncated:
                return
            if self.chars + size > self.limit:
                self.truncated = True
                self.outputs.append({"output_type": "stream", "name": "stdout",
                                     "text": "\n… (출력이 너무 길어 여기까지만 보여요)\n"})
                return
            self.chars += size
            self.outputs.append(output)

        def stream(self, name: str, text: str):
            if self.outputs and self.outputs[-1].get("output_type") == "stream" and self.outputs[-1]["name"] == name \
                    and not self.truncated:
                if self.chars + len(text) > self.limit:
                    self.add({}, len(text))
                    return
                self.outputs[-1]["text"] += text
                self.chars += len(text)
            else:
                self.add({"output_type": "stream", "name": name, "text": text}, len(text))

    capture = Capture()

    class Stream:
        def __init__(self, name):
            self.name = name
            self.encoding = "utf-8"

        def write(self, text):
            if not isinstance(text, str):
                text = str(text)
            capture.stream(self.name, text)
            return len(text)

        def flush(self):
            pass

        def isatty(self):
            return False

        def writable(self):
            return True

        def fileno(self):
            raise OSError("no file descriptor")

    def bundle(data):
        return {k: v for k, v in data.items() if isinstance(v, (str, dict, list))}

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            payload = bundle(data)
            size = sum(len(str(v)) for k, v in payload.items() if not k.startswith("image/"))
            capture.add({"output_type": "display_data", "data": payload, "metadata": metadata or {}}, size)

        def clear_output(self, wait=False):
            capture.outputs = []

    class Hook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            payload = bundle(format_dict)
            capture.add({"output_type": "execute_result", "execution_count": self.shell.execution_count,
                         "data": payload, "metadata": md_dict or {}}, sum(len(str(v)) for v in payload.values()))

        def finish_displayhook(self):
            pass

    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):
            pass  # no event loop here: figures are shown inline

        def _showtraceback(self, etype, evalue, stb):
            capture.add({"output_type": "error", "ename": getattr(etype, "__name__", str(etype)),
                         "evalue": str(evalue), "traceback": list(stb)}, 0)

    Shell.displayhook_class = Hook
    Shell.display_pub_class = Publisher
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.xmode = "Plain"
    shell = Shell.instance(config=config)
    shell.enable_matplotlib("inline")
    shell.run_cell("pass", store_history=False)
    shell.reset(new_session=False)
    shell.execution_count = 1
    return shell, capture, Stream


def _snapshot(shell) -> dict:
    """What learner code must not change: builtins, ``course``, the shell's machinery, tracing."""
    import builtins
    import threading

    def ids(mapping):
        return {k: id(v) for k, v in list(mapping.items())}

    course_parts = {}
    for name, module in list(sys.modules.items()):
        if module is not None and (name == "course" or name.startswith("course.")):
            course_parts[name] = {k: id(v) for k, v in list(vars(module).items()) if callable(v)}
            for attr, value in list(vars(module).items()):
                if isinstance(value, type) and getattr(value, "__module__", "") == name:
                    course_parts[f"{name}.{attr}"] = {k: id(v) for k, v in list(vars(value).items()) if callable(v)}
    machinery = {cls.__qualname__: ids(vars(cls)) for cls in type(shell).__mro__ if cls is not object}
    transformers = {
        "input_transformers_cleanup": [id(t) for t in shell.input_transformers_cleanup],
        "input_transformers_post": [id(t) for t in shell.input_transformers_post],
        "line_transforms": [id(t) for t in shell.input_transformer_manager.line_transforms],
        "token_transformers": [id(t) for t in shell.input_transformer_manager.token_transformers],
        "ast_transformers": [id(t) for t in shell.ast_transformers],
        "events": {name: [id(f) for f in fs] for name, fs in shell.events.callbacks.items()},
    }
    tracing = {"trace": id(sys.gettrace()), "profile": id(sys.getprofile()),
               "thread_trace": id(threading.gettrace()), "thread_profile": id(threading.getprofile())}
    return {"builtins": ids(vars(builtins)), "course": course_parts, "machinery": machinery,
            "transformers": transformers, "tracing": tracing}


FLAG_WORDS = {
    "builtins": ("builtins", "파이썬 내장 함수(builtins)를 바꿨어요"),
    "course": ("course", "course 패키지(확인·채점 도구)를 바꿨어요"),
    "machinery": ("machinery", "노트북 실행 장치(IPython 셸)를 바꿨어요"),
    "transformers": ("transformer", "셀 코드를 바꾸는 입력 변환기(input transformer)나 이벤트를 등록했어요"),
    "tracing": ("tracing", "실행 추적(settrace/setprofile)을 걸었어요"),
}


def _changed(before: dict, after: dict) -> list[tuple[str, str]]:
    found = []
    for part, (code, words) in FLAG_WORDS.items():
        if before[part] != after[part]:
            if part == "builtins":
                names = sorted(k for k in set(before[part]) | set(after[part]) if before[part].get(k) != after[part].get(k))
                words = f"{words}: {', '.join(names[:5])}"
            found.append((code, words))
    return found


PLAIN_MODULES = ("builtins", "numpy", "pandas", "datetime", "decimal", "fractions", "course")  # course: Draft
COMPARISONS = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__")


def _overridden(value, depth: int = 0) -> str | None:
    """The name of a type in ``value`` that overrides equality or comparison (an always-equal object)."""
    kind = type(value)
    if callable(value) and not isinstance(value, type) and kind.__name__ in ("function", "builtin_function_or_method"):
        return None
    module = (getattr(kind, "__module__", "") or "").split(".")[0]
    if module not in PLAIN_MODULES:
        for klass in kind.__mro__:
            if (getattr(klass, "__module__", "") or "").split(".")[0] in PLAIN_MODULES:
                break
            if any(name in vars(klass) for name in COMPARISONS):
                return kind.__name__
    if depth < 2:
        items = []
        if isinstance(value, dict):
            items = list(value.keys())[:2000] + list(value.values())[:2000]
        elif isinstance(value, (list, tuple, set, frozenset)):
            items = list(value)[:2000]
        else:
            try:
                import pandas as pd
                if isinstance(value, (pd.Series, pd.Index)) and value.dtype == object:
                    items = list(value)[:2000]
                    if isinstance(value, pd.Series):
                        items += list(value.index)[:2000]
            except Exception:  # noqa: BLE001
                items = []
        for item in items:
            found = _overridden(item, depth + 1)
            if found:
                return found
    return None


def _child(job: dict, write_fd: int) -> None:
    """Run one notebook in this fresh fork and report; never returns."""
    limits = job.get("limits", {})
    os.setsid()
    os.makedirs(WORK, exist_ok=True)
    os.chdir(WORK)
    for name in ("HOME", "TMPDIR", "TEMP", "TMP"):
        os.environ[name] = WORK
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    cpu = int(limits.get("cpu_seconds", 600))
    memory = int(limits.get("memory_mb", 4096)) * 1024 * 1024
    for which, value in ((resource.RLIMIT_CPU, (cpu, cpu + 5)), (resource.RLIMIT_AS, (memory, memory)),
                         (resource.RLIMIT_FSIZE, (256 * 1024 * 1024,) * 2)):
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:  # never above what this machine already allows
            value = (min(value[0], hard), min(value[1], hard))
        resource.setrlimit(which, value)
    signal.signal(signal.SIGINT, signal.default_int_handler)

    dumps = json.dumps
    write = os.write

    def send(message: dict) -> None:
        data = (dumps(message, ensure_ascii=False, default=str) + "\n").encode("utf-8", "replace")
        while data:
            data = data[write(write_fd, data):]

    shell, capture, Stream = SHELL
    import course.checks as checks
    canonical, run_case = checks.canonical, checks.run_case
    NotAnswered, WrongKind = checks.NotAnswered, checks.WrongKind
    # The detectors as locals, bound before any learner code runs: rebinding the module's names changes nothing.
    snapshot, changed, export_value = _snapshot, _changed, _export
    baseline = snapshot(shell)
    reported: set[tuple[str, str]] = set()
    current = [None]

    def report(code: str, words: str) -> None:
        """Sent at once: nothing is kept where learner code could clear it."""
        if (code, words) not in reported:
            reported.add((code, words))
            send({"t": "flag", "i": current[0], "code": code, "reason": words})

    def audit(event, args):
        try:
            if event == "import" and args and isinstance(args[0], str) and args[0].split(".")[0] == "grader":
                report("keys", "채점 키(grader)를 불러오려 했어요")
            elif event in ("sys.addaudithook",):
                report("tracing", "감시 훅(audit hook)을 추가했어요")
            elif event in ("sys.settrace", "sys.setprofile"):
                report("tracing", "실행 추적(settrace/setprofile)을 걸었어요")
            elif event in ("socket.connect", "socket.getaddrinfo"):
                report("network", "네트워크에 접속하려 했어요")
        except Exception:  # noqa: BLE001
            pass

    sys.addaudithook(audit)
    sys.stdout, sys.stderr = Stream("stdout"), Stream("stderr")
    output_limit = int(limits.get("output_chars", 200_000))

    def report_flags() -> None:
        for code, words in changed(baseline, snapshot(shell)):
            report(code, words)

    for cell in job["cells"]:
        index = cell["i"]
        current[0] = index
        send({"t": "start", "i": index})
        capture.reset(output_limit)
        status, error = "ok", None
        try:
            result = shell.run_cell(cell["code"], store_history=True)
            if not result.success:
                status = "error"
                problem = result.error_in_exec or result.error_before_exec
                error = {"ename": type(problem).__name__, "evalue": str(problem)[:500]}
        except KeyboardInterrupt:
            status, error = "error", {"ename": "KeyboardInterrupt", "evalue": "시간 제한"}
        send({"t": "cell", "i": index, "status": status, "error": error, "outputs": capture.outputs,
              "count": shell.execution_count - 1})
        export = cell.get("export")
        if export:
            send({"t": "export", "i": index, "qid": export["qid"],
                  "result": export_value(shell, export, canonical, run_case, NotAnswered, WrongKind, capture)})
        report_flags()
    send({"t": "end"})
    os._exit(0)


def _export(shell, export, canonical, run_case, NotAnswered, WrongKind, capture) -> dict:
    """The learner's value as data: its canonical form, or a function's results on the given cases."""
    name = export["variable"]
    if name not in shell.user_ns:
        return {"status": "missing"}
    value = shell.user_ns[name]
    suspect = _overridden(value) if not callable(value) else None
    if export["kind"] == "function":
        if value is Ellipsis or value is None:
            return {"status": "not_answered"}
        if not callable(value):
            return {"status": "wrong_kind", "detail": type(value).__name__}
        results = []
        saved, capture.outputs = capture.outputs, []
        for argument in export["cases"]:
            try:
                results.append({"ok": run_case(value, argument)})
            except Exception as error:  # noqa: BLE001 (the learner's function failing on a case)
                results.append({"error": f"{type(error).__name__}: {error}"[:300]})
        # what the learner's function printed while being graded is not shown; what it wrote to stderr is
        # handed out, because stock nbgrader scores a test cell with stderr as failed
        stderr = [o.get("text", "")[:2000] for o in capture.outputs if o.get("name") == "stderr"]
        capture.outputs = saved
        return {"status": "results", "results": results, "stderr": stderr}
    try:
        form = canonical(value, export["kind"], export.get("decimals", 0))
    except NotAnswered:
        return {"status": "not_answered"}
    except WrongKind as problem:
        return {"status": "wrong_kind", "detail": str(problem)[:300]}
    except Exception as error:  # noqa: BLE001
        return {"status": "wrong_kind", "detail": f"{type(error).__name__}"}
    answer = {"status": "form", "form": form}
    if suspect:
        answer["suspect"] = suspect
    return answer


def _sweep() -> None:
    """After a notebook: end every process the learner left behind, and empty the writable places."""
    me = os.getpid()
    for _ in range(3):
        others = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, me, ZYGOTE)]
        others = [p for p in others if _ours(p)]
        if not others:
            break
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _reap()
        time.sleep(0.05)
    for folder in (WORK, "/dev/shm", "/tmp") if SANDBOXED else (WORK,):
        _empty(folder)
    if SANDBOXED and os.path.exists("/usr/bin/ipcrm"):  # System V shared memory, semaphores, queues
        import subprocess
        subprocess.run(["/usr/bin/ipcrm", "--all"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _ours(pid: int) -> bool:
    """Only processes of this server's own session of work: in the sandbox that is every other one."""
    if SANDBOXED:
        return True
    try:  # no pid namespace: end only the process groups our children made
        return os.getsid(pid) in CHILD_SESSIONS
    except OSError:
        return False


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _empty(folder: str) -> None:
    import shutil

    if not os.path.isdir(folder):
        return
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        except OSError:
            pass


def _zygote(control: socket.socket) -> None:
    """Forks every notebook's child from a state that has never held a job or a learner's output.

    The server (which reads jobs and relays outputs) keeps what it has seen in its memory; a child forked from it
    could read earlier learners' code and answers out of ``/proc/self/mem``. So the children come from here: this
    process was forked right after the imports and only ever receives two file descriptors per notebook.
    """
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 2)
        except OSError:
            os._exit(0)
        if not message or len(fds) != 2:
            os._exit(0)
        job_fd, result_fd = fds
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                data = bytearray()
                while chunk := os.read(job_fd, 1 << 20):
                    data += chunk
                os.close(job_fd)
                _child(pickle.loads(bytes(data)), result_fd)
            finally:
                os._exit(70)
        os.close(job_fd)
        os.close(result_fd)
        control.sendall(struct.pack("!q", pid))
        _, status, usage = os.wait4(pid, 0)
        control.sendall(struct.pack("!qqd", pid, status, usage.ru_utime + usage.ru_stime))


def _receive(sock: socket.socket, size: int, timeout: float | None) -> bytes | None:
    sock.settimeout(timeout)
    data = b""
    try:
        while len(data) < size:
            chunk = sock.recv(size - len(data))
            if not chunk:
                return None
            data += chunk
    except (socket.timeout, OSError):
        return None
    return data


def _run_job(job: dict, out) -> None:
    limits = job.get("limits", {})
    cell_seconds = float(limits.get("cell_seconds", 120))
    cpu_seconds = float(limits.get("cpu_seconds", 600))
    max_bytes = int(limits.get("stream_bytes", 50_000_000))
    order = [cell["i"] for cell in job["cells"]]
    deadline = time.monotonic() + cell_seconds * max(1, len(order)) + 30  # however the learner plays the clock
    job_read, job_write = os.pipe()
    read_fd, write_fd = os.pipe()
    socket.send_fds(CONTROL, [b"go"], [job_read, write_fd])
    os.close(job_read)
    os.close(write_fd)
    answer = _receive(CONTROL, 8, 30)
    if answer is None:
        raise SystemExit("the zygote is gone")
    pid = struct.unpack("!q", answer)[0]
    CHILD_SESSIONS.add(pid)
    writer = threading.Thread(target=_write_all, args=(job_write, pickle.dumps(job)), daemon=True)
    writer.start()
    status, detail, cell = "ok", "", None
    started = time.monotonic()
    interrupted_at = None
    buffer, received, ended = b"", 0, False
    exit_status, cpu = None, 0.0
    expected = 0  # index into ``order`` of the next cell that may start: a learner cannot reset the clock

    def relay(data: bytes) -> None:
        nonlocal buffer, cell, started, interrupted_at, ended, expected
        buffer += data
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # not ours: whatever else reaches the pipe is dropped
            if not isinstance(message, dict):
                continue
            kind = message.get("t")
            if kind == "start":
                if expected >= len(order) or message.get("i") != order[expected]:
                    continue
                expected += 1
                cell, started, interrupted_at = message.get("i"), time.monotonic(), None
            elif kind == "end":
                ended = True
            if kind in ("start", "cell", "export", "flag", "end"):
                message["job"] = job["job"]
                out.write(json.dumps(message, ensure_ascii=False) + "\n")

    def finished(timeout: float) -> bool:
        nonlocal exit_status, cpu
        data = _receive(CONTROL, 24, timeout)
        if data is None:
            return False
        _, exit_status, cpu = struct.unpack("!qqd", data)
        return True

    while True:
        now = time.monotonic()
        if now > deadline:
            _signal(pid, signal.SIGKILL, group=True)
            status, detail = "timeout", "노트북 전체 시간 제한을 넘겼어요"
            break
        if cell is not None and interrupted_at is None and now - started > cell_seconds:
            _signal(pid, signal.SIGINT)
            interrupted_at = now
        if interrupted_at is not None and now - interrupted_at > 5:
            _signal(pid, signal.SIGKILL, group=True)
            status, detail = "timeout", f"셀이 {int(cell_seconds)}초 안에 끝나지 않았어요"
            break
        ready, _, _ = select.select([read_fd, CONTROL], [], [], 0.25)
        if read_fd in ready:
            chunk = os.read(read_fd, 1 << 16)
            if chunk:
                received += len(chunk)
                if received > max_bytes:
                    _signal(pid, signal.SIGKILL, group=True)
                    status, detail = "output", "출력이 너무 많아 실행을 멈췄어요"
                    break
                relay(chunk)
        if CONTROL in ready and finished(10):
            drained_until = time.monotonic() + 2  # what the child wrote before it ended, within bounds
            while time.monotonic() < drained_until and received <= max_bytes \
                    and select.select([read_fd], [], [], 0)[0]:
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                received += len(chunk)
                relay(chunk)
            break
    os.close(read_fd)
    _signal(pid, signal.SIGKILL, group=True)
    if exit_status is None and not finished(30):
        raise SystemExit("the zygote did not report")
    if status == "ok" and not ended:
        if os.WIFSIGNALED(exit_status):
            number = os.WTERMSIG(exit_status)
            if number == signal.SIGXCPU or (number == signal.SIGKILL and cpu >= cpu_seconds - 1):
                status, detail = "cpu", f"CPU 시간 제한({int(cpu_seconds)}초)을 넘겼어요"
            else:
                status, detail = "crash", f"커널이 멈췄어요 (신호 {signal.Signals(number).name})"
        else:
            status, detail = "exit", f"학습자 코드가 커널을 끝냈어요 (종료 코드 {os.WEXITSTATUS(exit_status)})"
    out.flush()
    _sweep()  # while the child's session still counts as ours (the fallback ends only what it made)
    CHILD_SESSIONS.discard(pid)
    out.write(json.dumps({"t": "done", "job": job["job"], "status": status, "detail": detail, "cell": cell},
                         ensure_ascii=False) + "\n")
    out.flush()


def _write_all(fd: int, data: bytes) -> None:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError:
        pass
    finally:
        os.close(fd)


def _signal(pid: int, number: int, group: bool = False) -> None:
    try:
        if group:
            os.killpg(pid, number)
        else:
            os.kill(pid, number)
    except (ProcessLookupError, PermissionError):
        pass


SANDBOXED = os.environ.get("ACADEMY_SANDBOXED") == "1"
CHILD_SESSIONS: set[int] = set()
SHELL = None
CONTROL: socket.socket | None = None
ZYGOTE = 0


def main() -> None:
    global SHELL, CONTROL, ZYGOTE
    out = sys.stdout
    _preload()
    SHELL = _make_shell()
    _empty(os.environ.get("MPLCONFIGDIR", "/nonexistent"))  # read at import; nothing of it is needed later
    CONTROL, theirs = socket.socketpair()
    ZYGOTE = os.fork()
    if ZYGOTE == 0:
        CONTROL.close()
        _zygote(theirs)
        os._exit(0)
    theirs.close()
    out.write(json.dumps({"t": "ready", "seconds": round(time.perf_counter() - STARTED, 2),
                          "pid": os.getpid()}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        job = pickle.loads(base64.b64decode(line))  # from the trainer's process only, never from a child
        if job.get("stop"):
            break
        _run_job(job, out)


if __name__ == "__main__":
    main()
