"""Every question names the skills it exercises in the glossary's words (the class report's mastery per KPI skill)."""

from __future__ import annotations

import pytest

from course.glossary import TERMS
from grader import keys


def test_every_question_has_a_skill_and_every_skill_is_a_glossary_term():
    keys._load_all()
    words = {term.word for term in TERMS}
    assert len(keys.QUESTIONS) > 90
    untagged = [qid for qid, q in keys.QUESTIONS.items() if not q.skills]
    assert untagged == []
    strange = {(qid, skill) for qid, q in keys.QUESTIONS.items() for skill in q.skills if skill not in words}
    assert strange == set()
    assert keys.get("i02.srm_p_exp02").skills == ("배정 비율 불일치(SRM)",)  # given as "SRM", kept as the term


def test_a_skill_the_glossary_does_not_have_stops_the_registration():
    before = dict(keys.QUESTIONS)
    with pytest.raises(ValueError, match="클릭 률.*not glossary terms"):
        keys.question("test.bad_skill", variable="x", kind="int", hint="", skills=("클릭률", "클릭 률"))(lambda: 1)
    with pytest.raises(ValueError, match="전환율"):
        keys.question("test.bad_skill", variable="x", kind="int", hint="", skills="전환율")(lambda: 1)
    assert keys.QUESTIONS == before


@pytest.mark.parametrize("given, kept", [("SRM", "배정 비율 불일치(SRM)"), ("최소 검출 효과", "최소 검출 효과(MDE)"),
                                         ("MDE", "최소 검출 효과(MDE)"), ("구매당 비용", "클릭당 비용 · 구매당 비용"),
                                         ("클릭률", "클릭률")])
def test_a_part_of_a_term_is_kept_as_the_term(given, kept):
    assert keys.glossary_skills("test.q", (given, kept)) == (kept,)
