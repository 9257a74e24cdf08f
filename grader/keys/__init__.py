"""Answer keys: one small function per graded answer, computed from the cohort's data files.

Each key is registered with ``@question``: the variable the learner fills, the answer's kind and
precision, a hint, and the common mistakes (each a function computing the mistaken value and the
message that names it). Hidden tests call ``assert_answer`` (all or nothing) or ``score_answer``
(partial credit for tables and functions, as the test cell's last value); the student copy's visible checks get a
token from ``spec_for`` (hashes only, built by ``grader.preprocess`` when the copy is made).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable

from course import current_data_dir
from course.checks import (NotAnswered, Spec, WrongKind, canonical, case_result, digest, draft_fraction, neighbours,
                           run_case, table_digests)


@dataclass(frozen=True)
class Mistake:
    value: Callable[[], Any]  # the mistaken value (for a function question: the mistaken function)
    message: str


@dataclass(frozen=True)
class Question:
    qid: str
    variable: str
    kind: str  # int | number | date | text | table | idset | function | draft
    key: Callable[[], Any]  # the right value (for a function question: the reference function)
    hint: str
    decimals: int = 0
    mistakes: tuple[Mistake, ...] = field(default_factory=tuple)
    examples: tuple[tuple[str, Any], ...] = ()  # function questions: (label, argument) shown to the learner
    hidden: tuple[tuple[str, Any], ...] = ()  # function questions: (label, argument) used only in grading
    skills: tuple[str, ...] = ()  # the glossary's words for what the question exercises (the report's mastery)
    chosen: bool = False  # the answer is chosen and typed in (a classification), not computed from the data
    brief: str = ""  # draft questions: the name of the brief (course.composer.BRIEFS) whose rubric judges the draft


QUESTIONS: dict[str, Question] = {}


def question(qid: str, *, variable: str, kind: str, hint: str, decimals: int = 0,
             mistakes: tuple[tuple[Callable[..., Any], str], ...] = (),
             examples: tuple[tuple[str, Any], ...] = (), hidden: tuple[tuple[str, Any], ...] = (),
             skills: tuple[str, ...] = (), chosen: bool = False, brief: str = ""):
    """Register the decorated function as the key of question ``qid``.

    ``skills`` names what the question exercises in the glossary's words (``course.glossary``): a term's word, or
    one part of it ("SRM" for "배정 비율 불일치(SRM)"); it is kept as the term's full word.

    For ``kind="function"`` the decorated function is the reference solution, ``mistakes`` holds
    mistaken functions, and ``examples``/``hidden`` the cases the learner's function is run on.
    ``chosen`` marks an answer the learner types in by design (sorting given messages): the engine does not flag
    such a literal as a possibly shared answer. For ``kind="draft"`` the key is a reference draft and ``brief``
    names the brief whose rubric (``course.composer.rubric``) scores a learner's draft item by item; it has no
    secret, so the check says which items are missed.
    """

    tagged = glossary_skills(qid, skills)
    if kind == "draft":
        from course.composer import BRIEFS  # noqa: PLC0415

        if brief not in BRIEFS:
            raise ValueError(f"draft question {qid} names brief {brief!r}, which course.composer.BRIEFS lacks")

    def register(key: Callable[..., Any]) -> Callable[..., Any]:
        if qid in QUESTIONS:
            raise ValueError(f"question {qid} registered twice")
        if kind == "function":
            if not examples or not hidden:
                raise ValueError(f"function question {qid} needs example and hidden cases")
            wrapped = [(_constant(fn), message) for fn, message in mistakes]
            QUESTIONS[qid] = Question(qid, variable, kind, _constant(key), hint, decimals,
                                      tuple(Mistake(v, m) for v, m in wrapped), tuple(examples), tuple(hidden), tagged)
        else:
            QUESTIONS[qid] = Question(qid, variable, kind, key, hint, decimals,
                                      tuple(Mistake(value, message) for value, message in mistakes), skills=tagged,
                                      chosen=chosen, brief=brief)
        return key

    return register


def skill_words() -> dict[str, str]:
    """Every spelling a skill may be given in -> the glossary term's word: the word itself and, for a word like
    "배정 비율 불일치(SRM)" or "하한 · 상한", each of its parts."""
    from course.glossary import TERMS

    words = {}
    for term in TERMS:
        words[term.word] = term.word
        outside, _, inside = term.word.partition("(")
        for part in (outside, inside.rstrip(")"), *term.word.split(" · ")):
            if part.strip():
                words.setdefault(part.strip(), term.word)
    return words


def glossary_skills(qid: str, skills) -> tuple[str, ...]:
    """The glossary words of ``skills``; a word the glossary does not have stops the registration."""
    if isinstance(skills, str):
        skills = (skills,)
    words = skill_words()
    unknown = [skill for skill in skills if skill not in words]
    if unknown:
        raise ValueError(f"question {qid}: skills {unknown} are not glossary terms (course/glossary.py)")
    return tuple(dict.fromkeys(words[skill] for skill in skills))


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def get(qid: str) -> Question:
    if qid not in QUESTIONS:
        _load_for(qid)
    try:
        return QUESTIONS[qid]
    except KeyError:
        raise KeyError(f"정답 키에 없는 문제 ID예요: {qid}") from None


def answer(qid: str) -> Any:
    """The right answer for the data ``course.load`` reads now (a function question: the reference)."""
    return get(qid).key()


def _salt(qid: str) -> str:
    folder = current_data_dir()
    fingerprint = "|".join(f"{p.name}:{p.stat().st_size}" for p in sorted(folder.glob("*.csv")))
    return hashlib.sha256(f"{qid}|{fingerprint}".encode("utf-8")).hexdigest()[:16]


def _same(q: Question, form: Any, right: Any) -> bool:
    """Equal under the question's rule: a grid step of slack per number, exact otherwise."""
    if q.kind == "table":
        return set(form) == set(right) and all(form[k] in neighbours(right[k], "table") for k in right)
    return form in neighbours(right, q.kind)


def spec_for(qid: str) -> Spec:
    """The visible check's view of a question: hashes of the answer and of each mistake."""
    q = get(qid)
    salt = _salt(qid)
    if q.kind == "function":
        return _function_spec(q, salt)
    if q.kind == "draft":
        return Spec(qid, q.variable, q.kind, q.decimals, salt, q.brief, [], q.hint)
    right = canonical(q.key(), q.kind, q.decimals)
    mistakes = []
    for mistake in q.mistakes:
        form = canonical(mistake.value(), q.kind, q.decimals)
        if not _same(q, form, right):  # a mistake that happens to equal the answer is no mistake
            mistakes.append((_hashes(q, salt, form), mistake.message))
    return Spec(qid, q.variable, q.kind, q.decimals, salt, _hashes(q, salt, right), mistakes, q.hint)


def _hashes(q: Question, salt: str, form: Any) -> Any:
    return table_digests(salt, form) if q.kind == "table" else digest(salt, form)


def _function_spec(q: Question, salt: str) -> Spec:
    reference = q.key()
    expected = [run_case(reference, argument) for _, argument in q.examples]
    right = [[label, argument, digest(salt, result)] for (label, argument), result in zip(q.examples, expected)]
    mistakes = []
    for mistake in q.mistakes:
        results = [run_case(mistake.value(), argument) for _, argument in q.examples]
        if results != expected:  # only a mistake the examples can tell apart gets its message
            mistakes.append(([digest(salt, result) for result in results], mistake.message))
    return Spec(q.qid, q.variable, q.kind, q.decimals, salt, right, mistakes, q.hint)


def grading_cases(qid: str) -> list[Any]:
    """A function question's arguments at grading: the examples, then the hidden cases."""
    q = get(qid)
    return [argument for _, argument in q.examples + q.hidden]


def _data_state() -> str:
    folder = current_data_dir()
    return str(folder) + "|" + "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                                         for p in sorted(folder.glob("*.csv")))


@functools.lru_cache(maxsize=512)
def _right_form(qid: str, state: str) -> Any:
    q = get(qid)
    return canonical(q.key(), q.kind, q.decimals)


@functools.lru_cache(maxsize=64)
def _expected_results(qid: str, state: str) -> tuple[str, ...]:
    reference = get(qid).key()
    return tuple(run_case(reference, argument) for argument in grading_cases(qid))


def fraction_of_form(qid: str, form: Any) -> float:
    """Share right of a canonical form (table: labels right; otherwise 0 or 1), wherever the form was made."""
    q = get(qid)
    if q.kind == "draft":
        return draft_fraction(q.brief, form)[0] if isinstance(form, str) else 0.0
    right = _right_form(qid, _data_state())
    if q.kind == "table":
        if not isinstance(form, dict):
            return 0.0
        good = sum(1 for k in right if k in form and form[k] in neighbours(right[k], "table"))
        return good / max(len(right), len(form))
    return 1.0 if _same(q, form, right) else 0.0


def fraction_of_results(qid: str, results: list[dict[str, str]]) -> float:
    """Share of cases passed, from a function's results on ``grading_cases`` (``{"ok": ...}`` or ``{"error": ...}``)."""
    expected = _expected_results(qid, _data_state())
    if len(results) != len(expected):
        return 0.0
    passed = sum(1 for want, result in zip(expected, results)
                 if isinstance(result, dict) and "ok" in result and result["ok"] == want)
    return passed / len(expected)


def fraction_correct(qid: str, value: Any) -> float:
    """Share of the answer that is right: cases passed (function), labels right (table), else 0 or 1."""
    q = get(qid)
    if q.kind == "function":
        if not callable(value):
            return 0.0
        return fraction_of_results(qid, [case_result(value, argument) for argument in grading_cases(qid)])
    try:
        form = canonical(value, q.kind, q.decimals)
    except (NotAnswered, WrongKind):
        return 0.0
    return fraction_of_form(qid, form)


def is_correct(qid: str, value: Any) -> bool:
    """Same rule as the visible check (and, for a function, every hidden case as well)."""
    return fraction_correct(qid, value) == 1.0


def assert_answer(qid: str, value: Any) -> None:
    """Hidden test: fails without revealing the answer."""
    q = get(qid)
    assert is_correct(qid, value), f"{q.variable}: 아직 정답이 아니에요."


def score_answer(qid: str, value: Any, points: float) -> float:
    """Hidden test with partial credit: the points earned, as the cell's last value (nbgrader reads it)."""
    return round(points * fraction_correct(qid, value), 2)


def _load_for(qid: str) -> None:
    """Import the key module of ``qid``'s lesson ("a01.x" -> a01_*.py), or every module if none is named so.

    A hidden test then imports one lesson's keys, not every lesson's libraries.
    """
    prefix = qid.split(".", 1)[0]
    names = [m.name for m in pkgutil.iter_modules(__path__) if m.name == prefix or m.name.startswith(prefix + "_")]
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    if qid not in QUESTIONS:
        _load_all()


def _load_all() -> None:
    """Import every key module of this package once (each registers its questions)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
