"""The hub's settings and configuration files (grader/hub/), without a hub: what each role's server gets, and bad
settings told in Korean. The real hub runs in tests/test_hub.py."""

from __future__ import annotations

import json
import os
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from traitlets.config import Config

from conftest import ROOT
from grader.hub.setup import HubSettingsError, main, read_settings, role_dirs, write_config


def _settings(tmp_path: Path, **changes) -> dict:
    settings = json.loads((ROOT / "grader" / "hub" / "hub.example.json").read_text(encoding="utf-8"))
    for key in ("exchange", "config_dir", "state_dir"):
        settings[key] = str(tmp_path / key)
    settings.update(changes)
    return settings


def _write(tmp_path: Path, settings: dict) -> Path:
    path = tmp_path / "hub.json"
    path.write_text(json.dumps(settings, ensure_ascii=False), encoding="utf-8")
    return path


def test_bad_settings_are_told_in_korean_and_write_nothing(tmp_path, capsys):
    with pytest.raises(HubSettingsError, match="허브 설정 파일이 없어요"):
        read_settings(tmp_path / "없음.json")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(HubSettingsError, match="JSON이 아니에요"):
        read_settings(tmp_path / "broken.json")
    settings = _settings(tmp_path)
    del settings["learner_env"]
    with pytest.raises(HubSettingsError, match="빠진 항목이 있어요: learner_env"):
        read_settings(_write(tmp_path, settings))
    both = _settings(tmp_path, learners=["minji", "trainer1"])
    assert main([str(_write(tmp_path, both))]) == 1
    assert "교육 담당자와 학습자에 함께 있는 사용자가 있어요: trainer1" in capsys.readouterr().err
    assert not (tmp_path / "config_dir").exists() and not (tmp_path / "exchange").exists()


def test_each_role_gets_its_own_panels_and_everyone_the_same_exchange(tmp_path):
    settings = _settings(tmp_path)
    assert main([str(_write(tmp_path, settings))]) == 0
    exchange = Path(settings["exchange"])
    assert exchange.is_dir() and exchange.stat().st_mode & 0o777 == 0o777
    common = (Path(settings["config_dir"]) / "common" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert repr(str(exchange)) in common and repr(settings["course_id"]) in common
    learner, trainer = (Path(d) for d in (role_dirs(settings, "learner")[0], role_dirs(settings, "trainer")[0]))
    panels = json.loads((learner / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert panels["@jupyter/nbgrader:formgrader"] and panels["@jupyter/nbgrader:create-assignment"]
    assert not panels["@jupyter/nbgrader:assignment-list"]  # fetch and submit
    served = json.loads((learner / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
    assert [name for name, on in served.items() if on] == ["nbgrader.server_extensions.assignment_list"]
    served = json.loads((trainer / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
    assert served["nbgrader.server_extensions.formgrader"]
    assert settings["course_root"] in (trainer / "nbgrader_config.py").read_text(encoding="utf-8")
    korean = json.loads((learner / "settings" / "overrides.json").read_text(encoding="utf-8"))
    assert korean["@jupyterlab/translation-extension:plugin"]["locale"] == "ko_KR"


def test_the_hub_config_starts_learners_and_trainers_on_their_own_environments(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    write_config(settings)
    monkeypatch.setenv("ACADEMY_HUB", str(_write(tmp_path, settings)))
    config = Config()
    runpy.run_path(str(ROOT / "grader" / "hub" / "jupyterhub_config.py"), init_globals={"get_config": lambda: config})
    course = settings["course_id"]
    assert config.JupyterHub.load_groups == {f"formgrade-{course}": settings["trainers"],
                                             f"nbgrader-{course}": settings["learners"]}
    assert config.JupyterHub.authenticator_class == "pam"
    assert config.Authenticator.allowed_users == set(settings["trainers"] + settings["learners"])
    hook = config.Spawner.pre_spawn_hook
    for name, prefix, role in ((settings["learners"][0], settings["learner_env"], "learner"),
                               (settings["trainers"][0], settings["trainer_env"], "trainer")):
        spawner = SimpleNamespace(user=SimpleNamespace(name=name), environment={}, cmd=None, notebook_dir="~")
        hook(spawner)
        assert spawner.cmd == [f"{prefix}/bin/jupyterhub-singleuser"]
        assert spawner.environment["JUPYTER_CONFIG_PATH"] == os.pathsep.join(role_dirs(settings, role))
    assert spawner.notebook_dir == settings["trainer_root"]  # the trainer's formgrader sees the cohort
