"""The learner's JupyterLab in a real browser: Debian's Chromium, driven by Playwright, on a lab started on loopback
the way ``make lab`` starts it (course/lab_config: Korean, no news, nbgrader's trainer panels off).

A student copy with a plot (beginner/01) runs all its cells from the 실행 menu: the plot's image is drawn, a right
answer typed into its cell hears 맞았어요 and a wrong one the hint. A student copy with the crisis drill (advanced/04)
shows the drill as a widget, and clicking through it ends on the outcome the engine computes for the same clicks. With
the widget manager turned off, the same look at the page finds no drill: the check can fail.

``ACADEMY_SCREENSHOTS=<folder>`` also saves the screenshots there (the README's pictures come from this test:
``ACADEMY_SCREENSHOTS=course/assets make test``).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from course.drills import Drill
from grader.keys import get
from grading import solution_code
from machine import free_port, stop

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the [test] extra installs it
    sync_playwright = None

if sync_playwright is None or CHROMIUM is None:
    pytest.skip("브라우저 테스트에는 Debian의 chromium과 Playwright가 필요해요: apt-get install chromium, "
                "pip install playwright (.ci/run이 설치해요) "
                "(needs Debian's chromium and Playwright for Python; .ci/run installs both).", allow_module_level=True)

LAB_CONFIG = ROOT / "course" / "lab_config"
PLOT_LESSON = "beginner/01_channel_status.ipynb"
DRILL_LESSON = "advanced/04_crisis_drill.ipynb"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]  # this machine's closed network refuses the rest
WIDGET_MANAGER = "@jupyter-widgets/jupyterlab-manager"
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"  # the open tab's notebook
ALL_RAN = f"""() => {{ const prompts = [...document.querySelectorAll('{NOTEBOOK} .jp-CodeCell .jp-InputArea-prompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)); }}"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """The learner's folder as ``make student`` fills it, for the two lessons (and each tier's orientation)."""
    from grader.build import build_student_copies, sync_workspace

    root = tmp_path_factory.mktemp("course")
    for lesson in (PLOT_LESSON, DRILL_LESSON):
        (root / lesson).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / lesson, root / lesson)
    (root / "grader").mkdir()
    shutil.copy(ROOT / "grader" / "nbgrader_config.py", root / "grader")
    build_student_copies(root, ["beginner", "advanced"], say=lambda message: None, progress=False)
    folder = tmp_path_factory.mktemp("workspace")
    sync_workspace(folder, root)
    return folder


class Lab:
    """A JupyterLab server on loopback with the learner's configuration (and, for the failing case, one extension
    turned off)."""

    def __init__(self, workspace: Path, state: Path, disabled: tuple[str, ...] = ()):
        self.port, self.token = free_port(), secrets.token_hex(16)
        config_path = [str(LAB_CONFIG)]
        if disabled:  # a configuration folder of its own that turns the extensions off, before the learner's
            extra = state / "labconfig-off"
            (extra / "labconfig").mkdir(parents=True, exist_ok=True)
            page = json.loads((LAB_CONFIG / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
            page["disabledExtensions"].update({name: True for name in disabled})
            (extra / "labconfig" / "page_config.json").write_text(json.dumps(page), encoding="utf-8")
            config_path.insert(0, str(extra))
        env = dict(os.environ, JUPYTER_CONFIG_PATH=os.pathsep.join(config_path), HOME=str(state),
                   JUPYTER_RUNTIME_DIR=str(state / "runtime"), LANG="C.UTF-8")
        command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={workspace}",
                   f"--LabApp.app_settings_dir={LAB_CONFIG / 'settings'}", f"--LabApp.workspaces_dir={state / 'ws'}",
                   "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                   f"--IdentityProvider.token={self.token}", "--allow-root"]
        self.log = state / "lab.log"
        self.process = subprocess.Popen(command, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError("JupyterLab이 뜨지 않았어요:\n" + self.log.read_text()[-3000:])
                time.sleep(0.3)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/lab/tree/{path}?token={self.token}&reset"  # reset: only this notebook, nothing restored

    def kernel_state(self, path: str) -> str | None:
        """The execution state of the kernel of the notebook at ``path`` (None: no kernel yet)."""
        with urllib.request.urlopen(f"{self.base}/api/sessions?token={self.token}", timeout=5) as answer:
            sessions = json.load(answer)
        return next((s["kernel"]["execution_state"] for s in sessions if s.get("path") == path and s.get("kernel")),
                    None)

    def stop(self) -> None:
        stop(self.process, timeout=20)


@pytest.fixture(scope="module")
def lab(workspace, tmp_path_factory):
    server = Lab(workspace, tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshots(tmp_path):
    """Where a test saves its screenshots (and, with ACADEMY_SCREENSHOTS, the README's copies)."""
    def save(page, name: str) -> Path:
        path = tmp_path / name
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if os.environ.get("ACADEMY_SCREENSHOTS"):
            target = Path(os.environ["ACADEMY_SCREENSHOTS"])
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / name)
        return path
    return save


def open_lesson(browser, lab: Lab, lesson: str):
    """The lesson open in a new tab, its kernel started and idle. When the page asks which kernel (it does when the
    kernel list arrives after the notebook), the learner's answer is the one it offers: 선택."""
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="ko-KR")
    page.goto(lab.url(lesson))
    page.wait_for_selector(f"{NOTEBOOK} .jp-Cell", timeout=90_000)
    deadline = time.monotonic() + 120
    while lab.kernel_state(lesson) != "idle":
        dialog = page.locator(".jp-Dialog")
        if dialog.count() and "커널 선택" in dialog.first.inner_text():
            dialog.locator(".jp-Dialog-button").get_by_text("선택", exact=True).click()
        assert time.monotonic() < deadline, f"{lesson}의 커널이 시작되지 않았어요"
        page.wait_for_timeout(300)
    return page


def run_all(page, timeout_s: int = 300) -> None:
    """실행 > 모든 셀 실행, as a learner clicks it, then wait until every code cell has its number."""
    page.locator(".lm-MenuBar-itemLabel").get_by_text("실행", exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text("모든 셀 실행", exact=True).click()
    try:
        page.wait_for_function(ALL_RAN, timeout=timeout_s * 1000)
    except Exception as error:
        prompts = page.eval_on_selector_all(f"{NOTEBOOK} .jp-CodeCell .jp-InputArea-prompt",
                                            "prompts => prompts.map(p => p.textContent)")
        dialog = page.locator(".jp-Dialog").all_inner_texts()
        page.screenshot(path="/tmp/academy-browser-failure.png")
        raise AssertionError(f"모든 셀 실행이 끝나지 않았어요: {prompts} {dialog}") from error


def cell(page, index: int):
    return page.locator(f"{NOTEBOOK} .jp-Cell").nth(index)


def type_into(page, index: int, code: str) -> None:
    """Replace a code cell's text as a learner would: click it, select all, type (no auto-closing brackets)."""
    editor = cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


def run_cell(page, index: int) -> str:
    """Run one cell (Shift+Enter in its editor) and return the text of its output once its number is back."""
    target = cell(page, index)
    target.locator(".cm-content").click()
    before = target.locator(".jp-InputArea-prompt").inner_text()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(f"""([i, before]) => {{ const c = document.querySelectorAll('{NOTEBOOK} .jp-Cell')[i];
        const p = c.querySelector('.jp-InputArea-prompt').textContent;
        return p !== before && /\\[\\d+\\]/.test(p); }}""", arg=[index, before], timeout=120_000)
    return target.locator(".jp-OutputArea").inner_text()


def _questions(lesson: str) -> list[tuple[int, str, str, str]]:
    """(answer cell index, check cell index, qid, the source's solution code) for each auto-graded question."""
    cells = nbformat.read(ROOT / lesson, as_version=4).cells
    found = []
    for i, c in enumerate(cells):
        match = re.search(r'check\("([^"]+)"', c.source)
        if match and i > 0 and cells[i - 1].metadata.get("nbgrader", {}).get("solution"):
            found.append((i - 1, i, match[1], solution_code(cells[i - 1].source)))
    return found


def test_a_lesson_runs_in_korean_draws_its_plot_and_its_checks_answer(lab, browser, screenshots):
    page = open_lesson(browser, lab, PLOT_LESSON)
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert {"파일", "편집", "실행", "커널", "도움말"} <= set(menus), menus  # the ko-KR language pack is on
    run_all(page)
    sizes = page.eval_on_selector_all(".jp-OutputArea-output img",
                                      "images => images.map(i => [i.naturalWidth, i.naturalHeight])")
    assert sizes and all(w > 200 and h > 100 for w, h in sizes), sizes  # each plot's PNG was drawn
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    assert not any("Traceback" in text or "Error" in text for text in errors), errors
    not_yet = page.locator(NOTEBOOK).inner_text()
    assert "아직 답을 넣지 않았어요" in not_yet  # a blank copy's checks, run by 모든 셀 실행

    (right_cell, right_check, right_qid, solution), (wrong_cell, wrong_check, wrong_qid, _) = _questions(PLOT_LESSON)[:2]
    type_into(page, right_cell, solution)
    run_cell(page, right_cell)
    said = run_cell(page, right_check)
    assert "맞았어요" in said, said
    variable = get(wrong_qid).variable
    type_into(page, wrong_cell, f"{variable} = 1")
    run_cell(page, wrong_cell)
    said = run_cell(page, wrong_check)
    assert "아직이에요" in said and get(wrong_qid).hint[:40] in said, said
    cell(page, right_cell).locator(".cm-content").click()
    page.keyboard.press("Control+Home")  # the editor shows the answer from its first column
    page.keyboard.press("Escape")
    cell(page, right_cell).scroll_into_view_if_needed()
    screenshots(page, "lab_lesson.png")
    page.close()


def _drill_cell(page) -> int:
    texts = page.locator(f"{NOTEBOOK} .jp-Cell .jp-InputArea-editor").all_inner_texts()
    return next(i for i, text in enumerate(texts) if text.strip().startswith("drill_widget("))


def drill_on_page(page):
    """The drill's widget on the page, or None (with what the page shows instead)."""
    drill = page.locator(".jp-OutputArea-output .academy-drill")
    if drill.count() == 1 and drill.locator(".widget-button").count() > 0:
        return drill
    return None


def test_the_drill_widget_renders_and_clicking_through_reaches_the_engines_outcome(lab, browser, screenshots):
    page = open_lesson(browser, lab, DRILL_LESSON)
    run_all(page)
    at = _drill_cell(page)
    shown = cell(page, at).locator(".jp-OutputArea").inner_text()
    assert "Error displaying widget" not in shown, shown
    drill = drill_on_page(page)
    assert drill is not None, shown
    expected = Drill("INC1", seed=7)
    clicked = []
    while expected.current is not None:
        label = expected.current.choices[0].label
        # the step's buttons arrive after its title: wait for this step's first choice, then click it
        page.wait_for_function("label => { const b = document.querySelector('.academy-drill .widget-button');"
                               " return b !== null && b.innerText.trim() === label; }", arg=label, timeout=30_000)
        drill.locator(".widget-button").first.click()
        clicked.append(expected.current.choices[0].id)
        expected.choose(clicked[-1])
    page.wait_for_selector(".academy-drill table", timeout=30_000)
    rows = drill.locator("table tr").all_inner_texts()
    shown_outcome = {r.split("\t")[0].strip(): int(r.split("\t")[-1].replace(",", "")) for r in rows}
    assert shown_outcome == expected.outcome().as_dict(), (shown_outcome, clicked)
    drill.scroll_into_view_if_needed()
    screenshots(page, "lab_drill.png")
    page.close()


def test_with_the_widget_manager_off_the_same_look_finds_no_drill(workspace, browser, tmp_path):
    """The check of the test above can fail: a lab without ipywidgets' front end shows no drill."""
    lesson = workspace / "advanced" / "drill_only.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('from course.widgets import drill_widget\ndrill_widget("INC1", seed=7)')]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, lesson)
    server = Lab(workspace, tmp_path, disabled=(WIDGET_MANAGER,))
    try:
        page = open_lesson(browser, server, "advanced/drill_only.ipynb")
        run_all(page)
        page.wait_for_selector(".jp-OutputArea-output", timeout=60_000)
        assert drill_on_page(page) is None
        page.close()
    finally:
        server.stop()
        lesson.unlink()
