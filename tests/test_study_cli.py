"""``python -m grader study``: the pack in one command; the case log and goals from the command line, bad input
refused in Korean with nothing changed."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

from grader.study.caselog import cases
from grader.study.goals import goal_of
from grader.study.store import StudyDB


def _study(*args: str, cwd):
    return subprocess.run([sys.executable, "-m", "grader", "study", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


CASE = ["--week", "1", "--member", "김민지", "--channel", "동네빵집", "--situation", "주말 쿠폰 뒤 차단 증가",
        "--tried", "주 1회로", "--kpi", "차단율", "--before", "0.012", "--after", "0.007", "--lesson", "b04",
        "--outcome", "성공", "--learned", "빈도가 문제였어요"]


def test_cases_goals_and_the_pack_from_the_command_line(tmp_path):
    added = _study("case", "add", *CASE, cwd=tmp_path)
    assert added.returncode == 0 and "사례 1번을 기록했어요" in added.stdout, added.stderr
    bad = _study("case", "add", *[("0.0x" if v == "0.007" else v) for v in CASE], cwd=tmp_path)
    assert bad.returncode == 1 and "오류: 사례를 기록하지 못했어요" in bad.stderr and "시도 후 값(--after): 숫자로" in bad.stderr
    assert len(cases(StudyDB(tmp_path / "스터디"))) == 1
    listed = _study("case", "list", cwd=tmp_path)
    assert "김민지 · 동네빵집" in listed.stdout
    due = (date.today() + timedelta(days=6)).isoformat()
    goal = ["--week", "1", "--kpi", "클릭률", "--scope", "전체 발송", "--baseline", "0.031", "--target", "0.0315",
            "--swing", "0.003", "--due", due, "--why", "클릭이 주문으로 이어져요", "--check", "매주 목요일 통계를 봐요"]
    refused = _study("goal", *goal, cwd=tmp_path)
    assert refused.returncode == 1 and "A(달성 가능)" in refused.stderr and goal_of(StudyDB(tmp_path / "스터디"), 1) is None
    kept = _study("goal", *[("0.036" if v == "0.0315" else v) for v in goal], cwd=tmp_path)
    assert kept.returncode == 0 and "1주차 SMART 목표를 적었어요" in kept.stdout, kept.stderr
    result = _study("result", "--week", "1", "0.036", cwd=tmp_path)
    assert "달성" in result.stdout and "100%" in result.stdout
    pack = _study("--week", "2", cwd=tmp_path)
    assert pack.returncode == 0 and "스터디 팩:" in pack.stdout, pack.stderr
    page = (tmp_path / "스터디" / "주차" / "02주차" / "스터디_팩.html").read_text(encoding="utf-8")
    assert "결과 <b>0.036</b>: 달성" in page and "김민지" in page
    out = _study("case", "export", cwd=tmp_path)
    assert out.returncode == 0 and (tmp_path / "스터디" / "사례_기록.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    nothing = _study(cwd=tmp_path)
    assert nothing.returncode == 1 and "--week로 몇 주차인지" in nothing.stderr


def test_a_damaged_team_file_is_named_and_kept(tmp_path):
    (tmp_path / "스터디").mkdir()
    damaged = tmp_path / "스터디" / "스터디.sqlite"
    damaged.write_bytes(b"not a database" * 50)
    ran = _study("case", "list", cwd=tmp_path)
    assert ran.returncode == 1 and "손상됐거나 스터디 파일이 아니에요" in ran.stderr
    assert damaged.read_bytes() == b"not a database" * 50
