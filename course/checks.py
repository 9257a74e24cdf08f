"""Visible answer checks: right or not yet, in Korean, at once, without holding the answer.

A check cell in a lesson reads ``check("orientation.friends_now", friends_now)``. In a student copy
the build adds a third argument, a token: salted hashes of the right answer and of each common
mistake, computed from the cohort's data when the copy was built. The check hashes the learner's
value the same way and compares, so the answer itself is never in the copy. Without a token (the
trainer's source notebook) the check asks the answer keys in ``grader`` directly, if installed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

KIND_WORDS = {
    "int": "정수 하나 (예: 1234)",
    "number": "숫자 하나 (예: 0.125)",
    "date": "날짜 하나 (예: \"2026-05-01\" 또는 pd.Timestamp)",
    "text": "문자열 하나",
}


class NotAnswered(Exception):
    """The value is still the stub (``...``) or ``None``."""


class WrongKind(Exception):
    """The value cannot be read as the kind of answer the question asks for."""


def canonical(value, kind: str, decimals: int = 0) -> int | str:
    """The form that is hashed: an integer grid point for numbers, normalised text otherwise."""
    if value is Ellipsis or value is None:
        raise NotAnswered
    if isinstance(value, (pd.Series, pd.DataFrame, np.ndarray, list, tuple, dict, set)):
        raise WrongKind(f"여러 값이 든 {type(value).__name__}")
    if kind in ("int", "number"):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise WrongKind(type(value).__name__)
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            raise WrongKind("NaN 또는 무한대")
        if kind == "int":
            if number != round(number):
                raise WrongKind("소수")
            return int(round(number))
        return int(round(number * 10**decimals))
    if kind == "date":
        if isinstance(value, numbers.Number):
            raise WrongKind("숫자")
        try:
            return pd.Timestamp(value).strftime("%Y-%m-%d")
        except (ValueError, TypeError):
            raise WrongKind(type(value).__name__) from None
    if kind == "text":
        if not isinstance(value, str):
            raise WrongKind(type(value).__name__)
        return " ".join(value.split())
    raise ValueError(f"unknown answer kind {kind!r}")


def digest(salt: str, form: int | str) -> str:
    return hashlib.sha256(f"{salt}|{form}".encode("utf-8")).hexdigest()[:24]


def neighbours(form: int | str, kind: str) -> list[int | str]:
    """Forms accepted as equal: one grid step either side for decimal numbers (rounding edges)."""
    if kind == "number":
        return [form - 1, form, form + 1]  # type: ignore[operator]
    return [form]


@dataclass
class Verdict:
    correct: bool
    message: str


@dataclass
class Spec:
    """What a check needs to judge an answer, with the answer and mistakes only as hashes."""

    qid: str
    variable: str
    kind: str
    decimals: int
    salt: str
    right: str
    mistakes: list[tuple[str, str]]  # (hash, message)
    hint: str

    def to_token(self) -> str:
        data = json.dumps(self.__dict__, ensure_ascii=False, separators=(",", ":"))
        return base64.b64encode(data.encode("utf-8")).decode("ascii")

    @classmethod
    def from_token(cls, token: str) -> "Spec":
        data = json.loads(base64.b64decode(token.encode("ascii")).decode("utf-8"))
        data["mistakes"] = [tuple(m) for m in data["mistakes"]]
        return cls(**data)

    def judge(self, value) -> Verdict:
        name = f"`{self.variable}`"
        try:
            form = canonical(value, self.kind, self.decimals)
        except NotAnswered:
            return Verdict(False, f"아직 답을 넣지 않았어요. {name} = ... 의 ... 자리에 계산식을 써 보세요.")
        except WrongKind as problem:
            return Verdict(False, f"{name}에는 {KIND_WORDS[self.kind]}를 넣어 주세요. (지금 넣은 값: {problem})")
        candidates = {digest(self.salt, f) for f in neighbours(form, self.kind)}
        if self.right in candidates:
            return Verdict(True, "맞았어요! ✅")
        for mistake_hash, message in self.mistakes:
            if mistake_hash in candidates:
                return Verdict(False, f"아직이에요. {message}")
        return Verdict(False, f"아직이에요. 힌트: {self.hint}")


def _live_spec(qid: str) -> Spec | None:
    """The trainer's source notebook: ask the answer keys directly, if the grader is installed."""
    try:
        from grader.keys import spec_for  # noqa: PLC0415 (optional, trainer side only)
    except ImportError:
        return None
    return spec_for(qid)


def check(qid: str, value, token: str | None = None) -> bool:
    """Print whether ``value`` answers question ``qid``; returns True when it does.

    Never raises on a wrong answer and never prints the right one.
    """
    spec = Spec.from_token(token) if token else _live_spec(qid)
    if spec is None:
        print("이 확인 셀은 학습용 사본에서 작동해요. `make lab`으로 연 노트북에서 실행해 주세요.")
        return False
    verdict = spec.judge(value)
    print(verdict.message)
    return verdict.correct
