"""The study notebook runs top to bottom in a real kernel, and its case form adds a case, or keeps what was typed and
says in Korean what to fix."""

from __future__ import annotations

import shutil

import nbformat
from nbclient import NotebookClient

from conftest import ROOT
from grader.study.caselog import cases
from grader.study.form import case_form
from grader.study.store import StudyDB

NOTEBOOK = ROOT / "grader" / "study" / "주간_스터디.ipynb"


def test_the_study_notebook_runs_and_makes_the_pack(tmp_path):
    copy = tmp_path / NOTEBOOK.name
    shutil.copy(NOTEBOOK, copy)
    nb = nbformat.read(copy, as_version=4)
    settings = next(c for c in nb.cells if "팀_폴더 =" in c.source)
    assert 'ROOT / "workspace" / "스터디"' in settings.source  # the default: inside the learners' folder, not the repo's
    settings.source = settings.source.replace('ROOT / "workspace" / "스터디"', repr(str(tmp_path / "스터디")))
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "스터디 팩: " in html and "스터디_팩.html" in html
    views = [o["data"]["application/vnd.jupyter.widget-view+json"] for o in outputs
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 2  # the case form and the drill
    assert (tmp_path / "스터디" / "주차" / "01주차" / "진행자_답안지.html").is_file()


def test_the_case_form_adds_a_case_or_keeps_what_was_typed(tmp_path):
    form = case_form(tmp_path / "팀", week=2)
    typed = {"member": "김민지", "channel": "동네빵집", "situation": "주말 쿠폰 뒤 차단 증가", "tried": "주 1회로",
             "kpi": "차단율", "before": "0.012", "after": "0.007", "learned": "빈도가 문제였어요"}
    for name, value in typed.items():
        form.fields[name].value = value
    form.fields["lesson"].value = "b04"
    form.add.click()  # no 결과 chosen yet
    assert "결과: '성공' 또는 '실패'로" in form.message.value
    assert all(form.fields[name].value == value for name, value in typed.items())
    assert cases(StudyDB(tmp_path / "팀")) == []
    form.fields["outcome"].value = "실패"
    form.add.click()
    [case] = cases(StudyDB(tmp_path / "팀"))
    assert (case.week, case.member, case.outcome, case.lesson) == (2, "김민지", "실패", "beginner/04_smart_goals")
    assert "사례 1번을 기록했어요" in form.message.value
    assert form.fields["member"].value == "김민지" and form.fields["situation"].value == ""
