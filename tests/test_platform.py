"""Every platform limit a lesson states is a recorded fact with a public source and a date (``course.platform``), and
the course's own checks enforce the recorded value, not a copy of it."""

from __future__ import annotations

import json
import re

import pytest

from conftest import NOTEBOOKS
from course import chatbot, drills
from course.glossary import page
from course.platform import FACT, FACTS, clock_minutes, value, values
from grader.keys import b03_messages

COURSE_RULES = {("beginner/03_message_rules", 20)}  # b03: a draft's first line, which the lesson calls 과정 규칙
LIMIT = re.compile(r"(\d[\d,]*)\s*(?:자|개|장)\s*(?:이하|까지)")
TIME = re.compile(r"\b(\d{2}:\d{2})\b")


def _markdown(path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c["cell_type"] == "markdown"]


def _stated(text: str):
    for line in text.splitlines():
        for found in LIMIT.finditer(line):
            yield line, int(found[1].replace(",", ""))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_limit_a_lesson_states_is_a_recorded_fact(path):
    """"N자 이하", "N개까지" and the like in a lesson's text: the number is a fact of the table (or a rule the lesson
    itself calls 과정 규칙); a night rule's times are the law's or the platform's."""
    lesson = f"{path.parent.name}/{path.stem}"
    known = values()
    for text in _markdown(path):
        for line, number in _stated(text):
            if "(예시)" in line or (lesson, number) in COURSE_RULES:
                continue
            assert number in known, f"{lesson}: '{line.strip()[:120]}' states {number}, which course.platform lacks"
        for line in text.splitlines():
            if line.startswith("|") and re.search(r"메시지|알림톡|친구톡", line):  # a message product's price in a table
                for low, high in re.findall(r"(\d[\d,]*)(?:~(\d[\d,]*))?원", line):
                    prices = {int(low.replace(",", "")), *([int(high.replace(",", ""))] if high else [])}
                    assert prices <= known, f"{lesson}: a price {prices - known} course.platform lacks: {line[:120]}"
            if line.startswith("|") and "야간" in line:
                times = set(TIME.findall(line))
                assert times <= known, f"{lesson}: a night rule states {times - known}: {line.strip()[:120]}"


def test_the_rule_table_of_beginner_03_cites_the_sources_of_its_facts():
    path = next(p for p in NOTEBOOKS if p.stem == "03_message_rules")
    table = next(t for t in _markdown(path) if "| 규칙 이름 | 내용 | 근거 |" in t)
    rows = {cells[1].strip(): cells for cells in (line.split("|") for line in table.splitlines())
            if len(cells) > 3 and cells[1].strip() in ("글자 수", "버튼 이름", "항목 수", "야간 발송")}
    assert set(rows) == {"글자 수", "버튼 이름", "항목 수", "야간 발송"}
    for name, keys in (("글자 수", ("기본 텍스트형 글자 수", "와이드 이미지형 글자 수")), ("버튼 이름", ("버튼 이름 글자 수",)),
                       ("야간 발송", ("야간 광고 (플랫폼)", "야간 광고 (법)"))):
        for key in keys:
            first = FACT[key].source.split(" (")[0].split(" · ")[0].split(" 제")[0]
            assert first.split()[0] in rows[name][3], (name, key, rows[name][3])


def test_the_checks_enforce_the_recorded_values():
    assert b03_messages.TEXT_LIMITS == {"기본 텍스트형": value("기본 텍스트형 글자 수"),
                                         "와이드 이미지형": value("와이드 이미지형 글자 수")}
    assert b03_messages.BUTTON_LIMIT == value("버튼 이름 글자 수") == 8
    assert (b03_messages.NIGHT_START, b03_messages.NIGHT_END) == tuple(
        clock_minutes(t) for t in value("야간 광고 (플랫폼)")) == (20 * 60 + 50, 8 * 60)
    assert (f"{b03_messages.LAW_NIGHT_START}:00", f"0{b03_messages.LAW_NIGHT_END}:00") == value("야간 광고 (법)")
    assert b03_messages.AD_LABEL == drills.AD_LABEL == value("광고 표기")
    assert chatbot.SIMPLE_TEXT_MAX == value("챗봇 simpleText 글자 수") == 1000
    assert (chatbot.BUTTONS_STACKED_MAX, chatbot.BUTTON_LABEL_STACKED_MAX) == value("챗봇 버튼 (세로)")
    assert (chatbot.OUTPUTS_MIN, chatbot.OUTPUTS_MAX) == value("챗봇 말풍선 수")


def test_every_fact_has_a_source_a_date_and_is_on_the_glossary_page():
    shown = page()
    assert "## 플랫폼 사실과 출처" in shown
    for fact in FACTS:
        assert fact.source and fact.url.startswith("https://") and re.fullmatch(r"20\d\d-\d\d", fact.checked), fact
        assert f"[{fact.source}]({fact.url}) ({fact.checked})" in shown
        if fact.disagree:
            assert fact.disagree in shown
    assert len({f.key for f in FACTS}) == len(FACTS)


def test_the_scan_sees_the_prices_of_beginner_03():
    path = next(p for p in NOTEBOOKS if p.stem == "03_message_rules")
    prices = {int(n) for text in _markdown(path) for line in text.splitlines() if line.startswith("|")
              for n in re.findall(r"(\d+)원", line)}
    assert {20, 10, 25, 35} <= prices <= values()


def test_the_scan_sees_the_limits_the_lessons_state():
    found = {number for path in NOTEBOOKS for text in _markdown(path) for _, number in _stated(text)}
    assert {1300, 76, 8, 10, 14, 50, 230, 1000} <= found, found


def test_every_lesson_says_where_its_figures_are_measured_on_a_real_channel():
    from course.platform import MEASURE

    codes = {f"{p.parent.name[0]}{p.stem[:2]}" for p in NOTEBOOKS}
    assert set(MEASURE) == codes
    for lesson, rows in MEASURE.items():
        assert rows and all(isinstance(r, tuple) and len(r) == 2 and all(r) for r in rows), lesson
    shown = page()
    assert "## 내 채널에서 다시 재려면" in shown and all(f"| {lesson} |" in shown for lesson in MEASURE)
