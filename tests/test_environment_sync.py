"""pyproject.toml and environment.yml pin the same packages with the same ranges."""

import tomllib

from conftest import ROOT


def _environment_pins() -> set[str]:
    pins, in_pip = set(), False
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped == "- pip:":
            in_pip = True
            continue
        if in_pip and stripped.startswith("- "):
            value = stripped[2:].strip().strip('"')
            if not value.startswith("-e"):
                pins.add(value.replace(" ", ""))
    return pins


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert {d.replace(" ", "") for d in project["dependencies"]} == _environment_pins()


def test_environment_yml_python_matches_pyproject():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "python=3.11" in text
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert requires.startswith(">=3.11")


def test_environment_yml_installs_the_course_package():
    assert '- "-e ."' in (ROOT / "environment.yml").read_text(encoding="utf-8")
