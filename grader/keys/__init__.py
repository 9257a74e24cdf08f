"""Answer keys: one small function per graded answer, computed from the cohort's data files.

Each key is registered with ``@question``: the variable the learner fills, the answer's kind and
precision, a hint, and the common mistakes (each a function computing the mistaken value and the
message that names it). Hidden tests call ``assert_answer``; the student copy's visible checks get a
token from ``spec_for`` (hashes only, built by ``grader.preprocess`` when the copy is made).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

from course import current_data_dir
from course.checks import NotAnswered, Spec, WrongKind, canonical, digest, neighbours


@dataclass(frozen=True)
class Mistake:
    value: Callable[[], Any]
    message: str


@dataclass(frozen=True)
class Question:
    qid: str
    variable: str
    kind: str  # int | number | date | text
    key: Callable[[], Any]
    hint: str
    decimals: int = 0
    mistakes: tuple[Mistake, ...] = field(default_factory=tuple)


QUESTIONS: dict[str, Question] = {}


def question(qid: str, *, variable: str, kind: str, hint: str, decimals: int = 0,
             mistakes: tuple[tuple[Callable[[], Any], str], ...] = ()):
    """Register the decorated function as the key of question ``qid``."""

    def register(key: Callable[[], Any]) -> Callable[[], Any]:
        if qid in QUESTIONS:
            raise ValueError(f"question {qid} registered twice")
        QUESTIONS[qid] = Question(qid, variable, kind, key, hint, decimals,
                                  tuple(Mistake(value, message) for value, message in mistakes))
        return key

    return register


def get(qid: str) -> Question:
    _load_all()
    try:
        return QUESTIONS[qid]
    except KeyError:
        raise KeyError(f"정답 키에 없는 문제 ID예요: {qid}") from None


def answer(qid: str) -> Any:
    """The right answer for the data ``course.load`` reads now."""
    return get(qid).key()


def _salt(qid: str) -> str:
    folder = current_data_dir()
    fingerprint = "|".join(f"{p.name}:{p.stat().st_size}" for p in sorted(folder.glob("*.csv")))
    return hashlib.sha256(f"{qid}|{fingerprint}".encode("utf-8")).hexdigest()[:16]


def spec_for(qid: str) -> Spec:
    """The visible check's view of a question: hashes of the answer and of each mistake."""
    q = get(qid)
    salt = _salt(qid)
    right = canonical(q.key(), q.kind, q.decimals)
    mistakes = []
    for mistake in q.mistakes:
        form = canonical(mistake.value(), q.kind, q.decimals)
        if form not in neighbours(right, q.kind):  # a mistake that happens to equal the answer is no mistake
            mistakes.append((digest(salt, form), mistake.message))
    return Spec(qid, q.variable, q.kind, q.decimals, salt, digest(salt, right), mistakes, q.hint)


def is_correct(qid: str, value: Any) -> bool:
    """Same rule as the visible check: equal form, or one grid step away for decimal numbers."""
    q = get(qid)
    try:
        form = canonical(value, q.kind, q.decimals)
    except (NotAnswered, WrongKind):
        return False
    return form in neighbours(canonical(q.key(), q.kind, q.decimals), q.kind)


def assert_answer(qid: str, value: Any) -> None:
    """Hidden test: fails without revealing the answer."""
    q = get(qid)
    assert is_correct(qid, value), f"{q.variable}: 아직 정답이 아니에요."


def _load_all() -> None:
    from . import b01_status, orientation  # noqa: F401  (each registers its questions)
