"""`make lab` (python -m grader lab) serves JupyterLab in Korean on the learner's copy of the lessons."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.error import URLError

import pytest

from conftest import ROOT

TOKEN = "kakao-academy-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}?token={TOKEN}", timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def test_lab_serves_the_student_copy_in_korean(tmp_path):
    workspace = tmp_path / "workspace"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "grader", "lab", "--workspace", str(workspace), "--", "--no-browser",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                listing = get(port, "/api/contents/beginner")
                break
            except (URLError, ConnectionError, OSError):
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read() if server.poll() is not None else ""
                    pytest.fail(f"JupyterLab did not start:\n{output}")
                time.sleep(0.5)
        names = {item["name"] for item in listing["content"]}
        assert "00_orientation.ipynb" in names
        lesson = get(port, "/api/contents/beginner/00_orientation.ipynb")
        text = json.dumps(lesson["content"], ensure_ascii=False)
        assert "BEGIN SOLUTION" not in text and "check(\\\"orientation.friends_now\\\", friends_now, \\\"" in text

        translation = get(port, "/lab/api/translations/ko_KR")
        assert translation["data"], "the Korean language pack is not installed"
        settings = get(port, "/lab/api/settings/@jupyterlab/translation-extension:plugin")
        assert settings["settings"].get("locale", settings["schema"]["properties"]["locale"]["default"]) == "ko_KR"
        # Trainer panels (formgrader, course list) are off in the learner's lab; Validate stays.
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={TOKEN}", timeout=10).read().decode("utf-8")
        assert "@jupyter/nbgrader:formgrader" in page and "@jupyter/nbgrader:validate-assignment" not in page
        # The drill of advanced/04 is an ipywidgets panel: the lab must carry the widget manager, enabled.
        assert '"name": "@jupyter-widgets/jupyterlab-manager"' in page.replace('\\"', '"')
        assert "@jupyter-widgets/jupyterlab-manager" not in page.split('"disabledExtensions"', 1)[1].split("]", 1)[0]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
