"""`make lab` (python -m grader lab) serves JupyterLab in Korean on the learner's copy of the lessons."""

from __future__ import annotations

import json
import re
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
        assert "00_orientation.ipynb" in names and ".checks" not in names  # the check files stay out of sight
        assert (workspace / "beginner" / ".checks" / "00_orientation.json").exists()
        lesson = get(port, "/api/contents/beginner/00_orientation.ipynb")
        text = json.dumps(lesson["content"], ensure_ascii=False)
        assert "BEGIN SOLUTION" not in text
        assert 'check(\\"orientation.friends_now\\", friends_now)' in text, "a check cell without its token"
        assert "review(" in text and "제출 전 점검" in text

        translation = get(port, "/lab/api/translations/ko_KR")
        assert translation["data"], "the Korean language pack is not installed"
        settings = get(port, "/lab/api/settings/@jupyterlab/translation-extension:plugin")
        assert settings["settings"].get("locale", settings["schema"]["properties"]["locale"]["default"]) == "ko_KR"
        # No English "Jupyter news" toast: the lab neither asks nor fetches, and checks for no update.
        news = get(port, "/lab/api/settings/@jupyterlab/apputils-extension:notification")
        props = news["schema"]["properties"]
        assert {name: news["settings"].get(name, props[name]["default"]) for name in ("fetchNews", "checkForUpdates")} \
            == {"fetchNews": "false", "checkForUpdates": False}
        assert get(port, "/lab/api/news")["news"] == []
        # Trainer panels (formgrader, course list) and the Validate button are off in the learner's lab (the lesson's
        # 제출 전 점검 replaces Validate, which passed wrong answers).
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={TOKEN}", timeout=10).read().decode("utf-8")
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                      page, re.S)[1])
        disabled = config["disabledExtensions"]
        assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:validate-assignment"} <= set(disabled)
        assert config["news"] == {"disabled": True}
        # The drill of advanced/04 is an ipywidgets panel: the lab must carry the widget manager, enabled.
        assert "@jupyter-widgets/jupyterlab-manager" in {ext["name"] for ext in config["federated_extensions"]}
        assert not any(name.startswith("@jupyter-widgets/jupyterlab-manager") for name in disabled)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
