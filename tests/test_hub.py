"""A cohort on a real JupyterHub 5 (grader/hub/), on loopback, with configurable-http-proxy from the npm registry.

The trainer and two learners are real OS users with passwords (the hub logs them in through PAM, and nbgrader names a
submission by the OS user who made it). Each learner's server runs as that learner, on the learner's environment,
which has no ``grader`` (``grader.hub.learner_env``). The tier goes out through the nbgrader exchange; each learner
fetches it and submits through their own server's Assignments API (what the Assignments tab calls), minji with her
answers on her own data, seojun blank; the trainer collects and grades with the project's commands under their own
account and sees the submissions in the formgrader of their own server. The scores are minji's full marks and
seojun's zero, each on their own data.

Needs root (useradd, chpasswd, runuser; CI runs as root), configurable-http-proxy on PATH (``npm install -g
configurable-http-proxy``; .ci/run does it) and a Python every user can run for the learner's environment
(``/usr/bin/python3``, Debian's).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT

LEARNER_PYTHON = "/usr/bin/python3"
missing = [what for what, ok in (
    ("root 권한 (root)", os.geteuid() == 0),
    ("useradd·chpasswd·runuser", all(shutil.which(t) for t in ("useradd", "chpasswd", "runuser"))),
    ("configurable-http-proxy (npm install -g configurable-http-proxy)", shutil.which("configurable-http-proxy")),
    (f"{LEARNER_PYTHON} (Debian의 python3, python3-venv)", Path(LEARNER_PYTHON).exists()),
    ("jupyterhub (pip install -e .[test])", shutil.which("jupyterhub", path=str(Path(sys.executable).parent))),
) if not ok]
if missing:
    pytest.skip("JupyterHub 테스트에 필요한 것이 없어요: " + ", ".join(missing) + " (.ci/run이 설치해요; "
                "the hub test needs these, which .ci/run installs)", allow_module_level=True)

from course.data import reading  # noqa: E402
from grader.hub.learner_env import build as build_learner_env  # noqa: E402
from grader.hub.learner_env import fingerprint  # noqa: E402
from grader.hub.setup import role_dirs, write_config  # noqa: E402
from grader.keys import answer  # noqa: E402
from grader.trainer import cohort as cohorts  # noqa: E402
from grader.trainer import variants  # noqa: E402
from grader.trainer.literals import literal  # noqa: E402
from grader.trainer.roster import import_roster  # noqa: E402
from grading import cell_scores, questions, submission  # noqa: E402
from machine import free_port, let_users_through, run_as, stop  # noqa: E402
from trainer_cohort import quiet, write_csv  # noqa: E402

SEED = 91
TIER = "beginner"
LESSON = "00_orientation.ipynb"
COURSE = "kakao-channel-academy"  # the course id the cohort's nbgrader config gives its gradebook
TRAINER, MINJI, SEOJUN = "ac-hub-trainer", "ac-hub-minji", "ac-hub-seojun"
LEARNER_ENV = Path(os.environ.get("ACADEMY_LEARNER_ENV", f"/var/cache/kakao-academy/learner-{fingerprint()}"))


def _make_user(name: str) -> str:
    """An OS user with a home and a fresh password (returned)."""
    subprocess.run(["userdel", "--remove", name], capture_output=True)
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", name], check=True, capture_output=True)
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True, capture_output=True)
    return password


class Hub:
    def __init__(self, base: Path, settings: dict, token: str):
        self.url, self.token = f"http://127.0.0.1:{settings['port']}", token
        path = base / "hub.json"
        path.write_text(json.dumps(settings, ensure_ascii=False), encoding="utf-8")
        self.log = base / "hub.log"
        env = dict(os.environ, ACADEMY_HUB=str(path), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
        self.process = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                                         str(ROOT / "grader" / "hub" / "jupyterhub_config.py")],
                                        cwd=settings["state_dir"], env=env, stdout=self.log.open("w"),
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            try:
                self.api("GET", "/hub/api/")
                return
            except (OSError, urllib.error.HTTPError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError("JupyterHub이 뜨지 않았어요:\n" + self.log.read_text()[-4000:])
                time.sleep(0.5)

    def api(self, method: str, path: str, body: dict | None = None, token: str | None = None, form: dict | None = None):
        data = json.dumps(body).encode() if body is not None else urllib.parse.urlencode(form).encode() if form else None
        request = urllib.request.Request(self.url + path, method=method, data=data,
                                         headers={"Authorization": f"token {token or self.token}"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            text = answer.read().decode("utf-8")
        return json.loads(text) if text.strip().startswith(("{", "[")) else text

    def start_server(self, name: str) -> str:
        """Start ``name``'s server through the hub and return a token of theirs for it."""
        try:
            self.api("POST", f"/hub/api/users/{name}/server")
        except urllib.error.HTTPError as error:
            assert error.code == 400, error  # already running
        deadline = time.monotonic() + 180
        while not self.api("GET", f"/hub/api/users/{name}")["servers"].get("", {}).get("ready"):
            assert time.monotonic() < deadline, f"{name}의 서버가 뜨지 않았어요:\n" + self.log.read_text()[-4000:]
            time.sleep(0.5)
        return self.api("POST", f"/hub/api/users/{name}/tokens", {"expires_in": 3600, "note": "test"})["token"]

    def stop(self) -> None:
        stop(self.process, timeout=60)


@pytest.fixture(scope="module")
def hub():
    base = Path(tempfile.mkdtemp(prefix="academy-hub-", dir="/tmp"))
    base.chmod(0o755)
    saved = dict(os.environ)  # put back at the end: a cohort's nbgrader config sets its data folder in this process
    passwords = {name: _make_user(name) for name in (TRAINER, MINJI, SEOJUN)}
    opened = let_users_through([Path(sys.executable), ROOT])
    hub = None
    try:
        build_learner_env(LEARNER_ENV, LEARNER_PYTHON, say=quiet)
        source = base / "course"
        (source / TIER).mkdir(parents=True)
        shutil.copy(ROOT / TIER / LESSON, source / TIER / LESSON)
        (source / "grader").mkdir()
        shutil.copy(ROOT / "grader" / "nbgrader_config.py", source / "grader")
        cohort = cohorts.create("허브반", SEED, parent=base / "cohorts", source=source, say=quiet,
                                per_learner_data=True)
        import_roster(cohort, write_csv(base / "명단.csv", f"id,name\n{MINJI},김민지\n{SEOJUN},이서준\n"), say=quiet)
        subprocess.run(["chown", "-R", f"{TRAINER}:", str(base / "cohorts")], check=True)
        token = secrets.token_hex(24)
        settings = {
            "course_id": COURSE, "trainers": [TRAINER], "learners": [MINJI, SEOJUN],
            "trainer_env": sys.prefix, "learner_env": str(LEARNER_ENV), "exchange": str(base / "exchange"),
            "config_dir": str(base / "jupyter"), "course_root": str(cohort.grader), "state_dir": str(base / "state"),
            "ip": "127.0.0.1", "port": free_port(), "hub_port": free_port(), "proxy_api_port": free_port(),
            "services": [{"name": "academy-test", "api_token": token, "admin": True}],
        }
        write_config(settings)
        trainer_env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
                       "JUPYTER_CONFIG_PATH": os.pathsep.join(role_dirs(settings, "trainer"))}
        released = run_as(TRAINER, [sys.executable, "-m", "grader", "release", TIER, "--cohort", str(cohort.folder),
                                 "--exchange", "--no-zip"], trainer_env)
        assert released.returncode == 0, released.stdout + released.stderr
        hub = Hub(base, settings, token)
        yield hub, cohort, settings, passwords, trainer_env
    finally:
        if hub is not None:
            hub.stop()
        for name in (TRAINER, MINJI, SEOJUN):
            subprocess.run(["pkill", "-u", name], capture_output=True)
        time.sleep(0.5)
        for name in (TRAINER, MINJI, SEOJUN):
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        for folder, mode in opened.items():
            folder.chmod(mode)
        os.environ.clear()
        os.environ.update(saved)
        if not os.environ.get("ACADEMY_KEEP_HUB"):  # keep the hub folder (its log) to look at
            shutil.rmtree(base, ignore_errors=True)


def _login(hub: Hub, name: str, password: str) -> bool:
    """The hub's log-in form, as a browser posts it: True when the hub lets ``name`` in."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(hub.url + "/hub/login", timeout=60).read()
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    try:
        opener.open(hub.url + "/hub/login?next=", timeout=120, data=urllib.parse.urlencode(
            {"username": name, "password": password, "_xsrf": xsrf}).encode()).read()
    except urllib.error.HTTPError as error:
        if error.code == 403:
            return False
        raise
    return any(c.name == "jupyterhub-session-id" for c in jar) and any("hub-login" in c.name for c in jar)


def test_the_os_users_log_in_with_their_own_passwords_and_a_wrong_one_is_refused(hub):
    hub, _, _, passwords, _ = hub
    assert _login(hub, MINJI, passwords[MINJI])
    assert not _login(hub, MINJI, passwords[SEOJUN])
    groups = {g["name"]: sorted(g["users"]) for g in hub.api("GET", "/hub/api/groups")}
    assert groups == {f"formgrade-{COURSE}": [TRAINER], f"nbgrader-{COURSE}": sorted([MINJI, SEOJUN])}


def _server_processes(name: str) -> list[list[str]]:
    uid = pwd.getpwnam(name).pw_uid
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and proc.stat().st_uid == uid:
                found.append((proc / "cmdline").read_bytes().decode().split("\0"))
        except OSError:
            continue
    return [cmd for cmd in found if any("jupyterhub-singleuser" in part for part in cmd)]


def _her_values(cohort) -> dict[str, str]:
    """minji's answers, typed in from the keys on her own data."""
    with reading(variants.data_dir(cohort.folder, MINJI)):
        return {q.answer_cell: f"{q.variable} = {literal(answer(q.qid))}\n" for q in questions(ROOT / TIER / LESSON)}


def _assignments(hub: Hub, name: str, token: str, action: str = "") -> dict:
    if action:
        return hub.api("POST", f"/user/{name}/assignments/{action}", token=token,
                       form={"assignment_id": TIER, "course_id": COURSE})
    return hub.api("GET", f"/user/{name}/assignments?course_id={COURSE}", token=token)


@pytest.fixture(scope="module")
def submitted(hub):
    """Both learners fetch through their servers; minji puts her answers in and both submit."""
    hub, cohort, settings, _, _ = hub
    tokens = {name: hub.start_server(name) for name in (MINJI, SEOJUN)}
    for name, token in tokens.items():
        listed = _assignments(hub, name, token)
        assert listed["success"] and any(a["assignment_id"] == TIER and a["status"] == "released"
                                         for a in listed["value"]), listed
        fetched = _assignments(hub, name, token, "fetch")
        assert fetched["success"], fetched
    copy = Path(pwd.getpwnam(MINJI).pw_dir) / TIER / LESSON
    solved = submission(copy, cohort.folder / TIER / LESSON, answers=_her_values(cohort))
    hub.api("PUT", f"/user/{MINJI}/api/contents/{TIER}/{LESSON}", token=tokens[MINJI],
            body={"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(solved))})
    for name, token in tokens.items():
        done = _assignments(hub, name, token, "submit")
        assert done["success"], done
    return tokens


def test_each_learner_works_as_themselves_on_the_learner_environment_without_grader(hub, submitted):
    hub, cohort, settings, _, _ = hub
    for name in (MINJI, SEOJUN):
        servers = _server_processes(name)
        assert servers and all(str(LEARNER_ENV / "bin" / "jupyterhub-singleuser") in " ".join(cmd) for cmd in servers)
        fetched = Path(pwd.getpwnam(name).pw_dir) / TIER / LESSON
        assert fetched.stat().st_uid == pwd.getpwnam(name).pw_uid  # the fetch ran as the learner
        env = {"PATH": f"{LEARNER_ENV / 'bin'}:/usr/bin:/bin",
               "JUPYTER_CONFIG_PATH": os.pathsep.join(role_dirs(settings, "learner"))}
        tried = run_as(name, [str(LEARNER_ENV / "bin" / "python"), "-c", "import grader"], env)
        assert tried.returncode != 0 and "No module named 'grader'" in tried.stderr, tried.stderr
        where = run_as(name, [str(LEARNER_ENV / "bin" / "python"), "-c",
                              "import course; print(course.current_data_dir())"], env, cwd=fetched.parent)
        assert where.returncode == 0, where.stderr


def test_a_learner_cannot_open_the_trainers_server(hub, submitted):
    hub, *_ = hub
    trainer_token = hub.start_server(TRAINER)
    assert "formgrade" in hub.api("GET", f"/user/{TRAINER}/formgrader", token=trainer_token)
    with pytest.raises(urllib.error.HTTPError) as refused:
        hub.api("GET", f"/user/{TRAINER}/formgrader/api/submitted_notebooks/{TIER}/x", token=submitted[MINJI])
    assert refused.value.code in (403, 404)


def test_the_trainer_collects_and_grades_and_each_learner_scores_on_their_own_data(hub, submitted):
    hub, cohort, settings, _, trainer_env = hub
    for command in (["collect", TIER, "--exchange", "--cohort", str(cohort.folder)],
                    ["autograde", TIER, "--cohort", str(cohort.folder), "--jobs", "2"]):
        done = run_as(TRAINER, [sys.executable, "-m", "grader", *command], trainer_env)
        assert done.returncode == 0, done.stdout + done.stderr
    tests = {q.test_cell: q.points for q in questions(ROOT / TIER / LESSON)}
    scores = {name: cell_scores(cohort.folder, TIER, name) for name in (MINJI, SEOJUN)}
    auto = {name: sum(s for (_, cell), (s, _) in cells.items() if cell in tests) for name, cells in scores.items()}
    assert auto == {MINJI: sum(tests.values()), SEOJUN: 0}, scores
    trainer_token = hub.start_server(TRAINER)
    notebooks = hub.api("GET", f"/user/{TRAINER}/formgrader/api/submitted_notebooks/{TIER}/"
                               f"{LESSON.removesuffix('.ipynb')}", token=trainer_token)
    assert isinstance(notebooks, list), hub.log.read_text()[-6000:]
    assert sorted(nb["student"] for nb in notebooks) == sorted([MINJI, SEOJUN]), notebooks
