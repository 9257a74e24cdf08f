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



def _pins() -> dict:
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {(r := Requirement(d)).name.lower(): r.specifier for d in project["dependencies"]}


def test_the_korean_language_pack_is_pinned_to_the_jupyterlab_it_translates():
    """A pack for another minor version leaves the lab's newer strings in English: one minor range for both."""
    pins = _pins()
    lab, pack = pins["jupyterlab"], pins["jupyterlab-language-pack-ko-kr"]
    assert lab == pack, (lab, pack)
    lower = [s.version for s in lab if s.operator == ">="]
    upper = [s.version for s in lab if s.operator == "<"]
    assert len(lower) == 1 and len(upper) == 1, "pin one JupyterLab minor version"
    major, minor = map(int, lower[0].split(".")[:2])
    assert upper[0] == f"{major}.{minor + 1}", lab

def test_the_installed_language_pack_matches_the_installed_jupyterlab():
    from importlib.metadata import version

    from packaging.version import Version

    lab, pack = Version(version("jupyterlab")), Version(version("jupyterlab-language-pack-ko-KR"))
    assert lab.release[:2] == pack.release[:2], f"JupyterLab {lab} with the ko-KR pack {pack}: run `make install`"
