"""Write what a cohort's hub needs besides JupyterHub itself: the exchange folder and the configuration folders.

    python -m grader.hub.setup /srv/academy/hub.json

``<config_dir>/common``: nbgrader's ``Exchange.root`` and ``course_id`` for everyone.
``<config_dir>/learner``: the Assignments tab (fetch, submit) on, the trainer's panels off, the lab in Korean.
``<config_dir>/trainer``: the formgrader on, on the cohort's course folder.
A learner's server reads ``learner`` then ``common`` (``JUPYTER_CONFIG_PATH``), a trainer's ``trainer`` then ``common``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REQUIRED = ("course_id", "trainers", "learners", "trainer_env", "learner_env", "exchange", "config_dir",
            "course_root", "state_dir")
NBGRADER_PANELS = ("assignment-list", "course-list", "create-assignment", "formgrader", "menu", "validate-assignment")
SERVER_EXTENSIONS = ("assignment_list", "course_list", "formgrader", "validate_assignment")
KOREAN = {
    "@jupyterlab/translation-extension:plugin": {"locale": "ko_KR"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "defer"},
}


class HubSettingsError(ValueError):
    pass


def read_settings(path: Path) -> dict:
    """The hub's settings file, checked: a missing key or a learner who is also a trainer is a Korean error."""
    try:
        settings = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HubSettingsError(f"허브 설정 파일이 없어요: {path} (grader/hub/hub.example.json을 복사해 고쳐 쓰세요)") from None
    except json.JSONDecodeError as error:
        raise HubSettingsError(f"허브 설정 파일 {path}이 JSON이 아니에요: {error}") from None
    missing = [key for key in REQUIRED if key not in settings]
    if missing:
        raise HubSettingsError(f"허브 설정 파일 {path}에 빠진 항목이 있어요: {', '.join(missing)}")
    both = set(settings["trainers"]) & set(settings["learners"])
    if both:
        raise HubSettingsError(f"교육 담당자와 학습자에 함께 있는 사용자가 있어요: {', '.join(sorted(both))}")
    return settings


def role_dirs(settings: dict, role: str) -> list[str]:
    """The configuration folders of a learner's or a trainer's server, first one first."""
    root = Path(settings["config_dir"])
    return [str(root / role), str(root / "common")]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)


def write_config(settings: dict) -> None:
    course, root = settings["course_id"], Path(settings["config_dir"])
    exchange = Path(settings["exchange"])
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o777)  # as nbgrader's docs set up an exchange: everyone writes their own inbound folders
    _write(root / "common" / "nbgrader_config.py",
           f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\nc.CourseDirectory.course_id = {course!r}\n")
    learner_server = {name: name == "assignment_list" for name in SERVER_EXTENSIONS}
    _write(root / "learner" / "jupyter_server_config.json", json.dumps({
        "ServerApp": {"jpserver_extensions": {f"nbgrader.server_extensions.{n}": on for n, on in learner_server.items()}},
        "LabApp": {"news_url": None, "app_settings_dir": str(root / "learner" / "settings")},
    }, indent=2))
    _write(root / "learner" / "labconfig" / "page_config.json", json.dumps({"disabledExtensions": {
        f"@jupyter/nbgrader:{panel}": panel != "assignment-list" for panel in NBGRADER_PANELS}}, indent=2))
    _write(root / "learner" / "settings" / "overrides.json", json.dumps(KOREAN, indent=2, ensure_ascii=False))
    _write(root / "trainer" / "nbgrader_config.py",  # the cohort's own nbgrader settings (gradebook, preprocessors)
           f"c = get_config()\nload_subconfig({str(Path(settings['course_root']) / 'nbgrader_config.py')!r})\n")
    _write(root / "trainer" / "jupyter_server_config.json", json.dumps({
        "ServerApp": {"jpserver_extensions": {f"nbgrader.server_extensions.{n}": True for n in SERVER_EXTENSIONS}},
        "LabApp": {"news_url": None, "app_settings_dir": str(root / "trainer" / "settings")},
    }, indent=2))
    _write(root / "trainer" / "settings" / "overrides.json", json.dumps(KOREAN, indent=2, ensure_ascii=False))
    for folder in [root, *root.rglob("*")]:
        if folder.is_dir():
            folder.chmod(0o755)
    Path(settings["state_dir"]).mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("사용법 (usage): python -m grader.hub.setup <허브 설정 JSON>", file=sys.stderr)
        return 2
    try:
        settings = read_settings(Path(args[0]))
        write_config(settings)
    except (HubSettingsError, OSError) as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
    print(f"허브 설정을 썼어요: 교환 폴더 {settings['exchange']}, 설정 폴더 {settings['config_dir']} "
          f"(과정 {settings['course_id']}, 교육 담당자 {len(settings['trainers'])}명, 학습자 {len(settings['learners'])}명)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
