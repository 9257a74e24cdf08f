"""Visible answer checks: right or not yet, in Korean, at once, without holding the answer.

A check cell in a lesson reads ``check("orientation.friends_now", friends_now)``. Each question has a
token: salted hashes of the right answer and of each common mistake, computed from the cohort's data
when the copy was built. The check hashes the learner's value the same way and compares, so the answer
itself is never in the copy. The learner never sees a token: the release writes them to a check file
beside the lessons (``.checks/<lesson>.json``, one per lesson, ``{"checks": {qid: token}}``), which the
check reads from the kernel's working folder (the notebook's own). The gradebook's copy of a check cell
carries its token as a third argument, so grading (stock nbgrader and the engine) needs no check file.
Without either (the trainer's source notebook) the check asks an installed answer-key provider: the
trainer's ``grader``, found by entry point, never imported by name, so a learner's environment needs no
``grader``. ``review`` is the lesson's last cell (제출 전 점검): every question as 맞음 / 아직 / 안 씀.

Kinds of answer: ``int``, ``number`` (rounded to ``decimals``), ``date``, ``text``; ``table`` (a Series
or dict from label to number, or to text such as a crisis type per scenario: each label is judged on its
own, so the learner hears which rows are off); ``idset`` (a collection of ids such as friend ids, judged
as a whole); ``function`` (the learner writes a function; the check runs it on the lesson's example
cases, whose expected results are in the token only as hashes, and grading runs it again on hidden cases).
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
import math
import numbers
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

KIND_WORDS = {
    "int": "정수 하나 (예: 1234)",
    "number": "숫자 하나 (예: 0.125)",
    "date": "날짜 하나 (예: \"2026-05-01\" 또는 pd.Timestamp)",
    "text": "문자열 하나",
    "table": "항목별 값이 든 Series (예: groupby(...).mean()의 결과)",
    "idset": "ID 모음 (set, list 또는 Series)",
    "function": "함수 (def로 만든 것)",
    "draft": "메시지 초안 Draft(...)",
}


class NotAnswered(Exception):
    """The value is still the stub (``...``) or ``None``."""


class WrongKind(Exception):
    """The value cannot be read as the kind of answer the question asks for."""


def canonical(value, kind: str, decimals: int = 0):
    """The form that is hashed: an integer grid point for numbers, normalised text otherwise.

    ``table`` gives a dict from label (text) to grid point; ``idset`` a sorted, de-duplicated text.
    """
    if value is Ellipsis or value is None:
        raise NotAnswered
    if kind == "table":
        return canonical_table(value, decimals)
    if kind == "idset":
        return canonical_idset(value)
    if kind == "draft":
        return canonical_draft(value)
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


def label_text(label) -> str:
    """A table label as text: categories, numbers (1.0 -> "1") and timestamps read the same way."""
    if isinstance(label, (float, np.floating)) and float(label).is_integer():
        return str(int(label))
    if isinstance(label, (numbers.Integral, np.integer)):
        return str(int(label))
    if isinstance(label, pd.Timestamp):
        return label.strftime("%Y-%m-%d") if label == label.normalize() else str(label)
    return " ".join(str(label).split())


def canonical_table(value, decimals: int) -> dict[str, int | str]:
    """Label -> grid point of a number, or normalised text for a text value (a type or template per label)."""
    if isinstance(value, pd.DataFrame):
        if value.shape[1] != 1:
            raise WrongKind(f"열이 {value.shape[1]}개인 DataFrame (열 하나만 남겨 Series로 만들어 주세요)")
        value = value.iloc[:, 0]
    if isinstance(value, dict):
        value = pd.Series(value, dtype=object)
    if not isinstance(value, pd.Series):
        raise WrongKind(type(value).__name__)
    if isinstance(value.index, pd.MultiIndex):
        raise WrongKind("여러 단계 인덱스 (항목 하나가 한 줄이 되게 만들어 주세요)")
    table: dict[str, int | str] = {}
    for label, item in value.items():
        key = label_text(label)
        if key in table:
            raise WrongKind(f"같은 항목 '{key}'이(가) 두 번 있는 Series")
        # raises NotAnswered for a None or ... value
        table[key] = canonical(item, "text") if isinstance(item, str) else canonical(item, "number", decimals)
    return table


def canonical_draft(value) -> str:
    from .composer import Draft, draft_form  # noqa: PLC0415

    if not isinstance(value, Draft):
        raise WrongKind(type(value).__name__)
    return draft_form(value)


def draft_fraction(brief_name: str, form: str) -> tuple[float, list]:
    """Share of a brief's rubric a draft (as data) meets, and the criteria it misses."""
    from .composer import BRIEFS, draft_from_form, rubric  # noqa: PLC0415

    try:
        criteria = rubric(draft_from_form(form), BRIEFS[brief_name])
    except (TypeError, ValueError, KeyError, AttributeError):
        return 0.0, []
    missed = [c for c in criteria if not c.met]
    return 1 - len(missed) / len(criteria), missed


def canonical_idset(value) -> str:
    if isinstance(value, (str, bytes)) or isinstance(value, numbers.Number):
        raise WrongKind(f"값 하나({type(value).__name__})")
    if isinstance(value, pd.DataFrame):
        raise WrongKind("DataFrame (ID 열 하나만 골라 주세요)")
    if isinstance(value, pd.Index):
        value = list(value)
    try:
        items = list(value)
    except TypeError:
        raise WrongKind(type(value).__name__) from None
    return "|".join(sorted({str(item).strip() for item in items}))


def canonical_output(result) -> str:
    """A function's result in a fixed form: collections become sorted lists, so order never matters."""
    def plain(item):
        if isinstance(item, (set, frozenset, list, tuple, pd.Series, pd.Index, np.ndarray)):
            return sorted((plain(x) for x in item), key=lambda x: json.dumps(x, ensure_ascii=False, default=str))
        if isinstance(item, (bool, np.bool_)):
            return bool(item)
        if isinstance(item, (numbers.Integral, np.integer)):
            return int(item)
        if isinstance(item, dict):
            return {str(k): plain(v) for k, v in item.items()}
        if isinstance(item, str):
            return item.strip()
        return item if item is None or isinstance(item, float) else str(item)

    return json.dumps(plain(result), ensure_ascii=False, sort_keys=True, default=str)


def run_case(function, argument) -> str:
    """The canonical result of ``function`` on a fresh copy of ``argument``; raises what the function raises."""
    return canonical_output(function(copy.deepcopy(argument)))


def case_result(function, argument) -> dict[str, str]:
    """``{"ok": canonical result}`` or ``{"error": "TypeError: ..."}``: a learner's function on one case, as data."""
    try:
        return {"ok": run_case(function, argument)}
    except Exception as error:  # noqa: BLE001 (the learner's code: what happened, never a traceback from us)
        return {"error": f"{type(error).__name__}: {error}"}


# scrypt: memory-hard, so trying candidate values against a token costs about 4 ms and 2 MB per guess
# (a plain hash took microseconds: lesson answers came back from a token in seconds).
SCRYPT = {"n": 2**11, "r": 8, "p": 1, "dklen": 12}


def digest(salt: str, form: int | str) -> str:
    return hashlib.scrypt(str(form).encode("utf-8"), salt=salt.encode("utf-8"), **SCRYPT).hex()


def neighbours(form: int | str, kind: str) -> list[int | str]:
    """Forms accepted as equal: one grid step either side for decimal numbers (rounding edges); text exactly."""
    if kind in ("number", "table") and not isinstance(form, str):
        return [form - 1, form, form + 1]  # type: ignore[operator]
    return [form]


def table_cell_digest(salt: str, label: str, form: int | str) -> str:
    return digest(salt, f"{label}={form}")


def table_digests(salt: str, table: dict[str, int | str]) -> dict[str, str]:
    """One hash per label of a table answer (labels are not secret, values are)."""
    return {label: table_cell_digest(salt, label, form) for label, form in table.items()}


@dataclass
class Verdict:
    correct: bool
    message: str


@dataclass
class Spec:
    """What a check needs to judge an answer, with the answer and mistakes only as hashes.

    ``right`` is one hash (scalar kinds and ``idset``), a label -> hash map (``table``) or, for
    ``function``, the example cases as ``[label, argument, hash of the expected result]``. A mistake is
    ``(hashes shaped like right, message)``; for ``function`` its hashes are one per example case.
    """

    qid: str
    variable: str
    kind: str
    decimals: int
    salt: str
    right: Any
    mistakes: list[tuple[Any, str]]
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
        try:
            form = self.form_of(value)
        except NotAnswered:
            return self.not_answered()
        except WrongKind as problem:
            return self.wrong_kind(str(problem))
        return self.judge_form(form)

    def form_of(self, value):
        """What is judged: the canonical form, or for a function its results on the example cases."""
        if self.kind == "function":
            if value is Ellipsis or value is None:
                raise NotAnswered
            if not callable(value):
                raise WrongKind(type(value).__name__)
            return [case_result(value, argument) for _, argument, _ in self.right]
        return canonical(value, self.kind, self.decimals)

    def not_answered(self) -> Verdict:
        return Verdict(False, f"아직 답을 넣지 않았어요. `{self.variable}` = ... 의 ... 자리에 답을 써 보세요.")

    def not_defined(self) -> Verdict:
        return Verdict(False, f"`{self.variable}` 변수가 없어요. 답 셀을 실행했는지, 변수 이름이 맞는지 확인해 보세요.")

    def wrong_kind(self, problem: str) -> Verdict:
        return Verdict(False, f"`{self.variable}`에는 {KIND_WORDS[self.kind]}를 넣어 주세요. (지금 넣은 값: {problem})")

    def judge_form(self, form) -> Verdict:
        """The verdict on a canonical form (or a function's example results), wherever it was computed."""
        if self.kind == "function":
            return self._judge_function(form)
        if self.kind == "table":
            return self._judge_table(form)
        if self.kind == "draft":  # no secret: the brief's rubric is what the lesson teaches
            share, missed = draft_fraction(self.right, form)
            if share == 1.0:
                return Verdict(True, "맞았어요! ✅ 브리프의 일곱 가지를 모두 지켰어요.")
            said = " ".join(f"[{c.item}] {c.message}" for c in missed) or "초안을 읽지 못했어요."
            return Verdict(False, f"아직이에요. 못 지킨 것 {len(missed)}가지: {said}")
        candidates = {digest(self.salt, f) for f in neighbours(form, self.kind)}
        if self.right in candidates:
            return Verdict(True, "맞았어요! ✅")
        for mistake_hash, message in self.mistakes:
            if mistake_hash in candidates:
                return Verdict(False, f"아직이에요. {message}")
        return Verdict(False, f"아직이에요. 힌트: {self.hint}")

    def _cell_matches(self, label: str, form: int | str, expected: str) -> bool:
        return expected in {table_cell_digest(self.salt, label, f) for f in neighbours(form, "table")}

    def _table_matches(self, table: dict[str, int | str], hashes: dict[str, str]) -> bool:
        return set(table) == set(hashes) and all(self._cell_matches(k, table[k], hashes[k]) for k in hashes)

    def _judge_table(self, table: dict[str, int | str]) -> Verdict:
        if self._table_matches(table, self.right):
            return Verdict(True, "맞았어요! ✅")
        for hashes, message in self.mistakes:
            if self._table_matches(table, hashes):
                return Verdict(False, f"아직이에요. {message}")
        missing = [label for label in self.right if label not in table]
        extra = [label for label in table if label not in self.right]
        if missing:
            return Verdict(False, f"아직이에요. 빠진 항목이 있어요: {', '.join(missing)}. 힌트: {self.hint}")
        if extra:
            return Verdict(False, f"아직이에요. 문제에 없는 항목이 들어 있어요: {', '.join(extra)}. 힌트: {self.hint}")
        off = [label for label in self.right if not self._cell_matches(label, table[label], self.right[label])]
        return Verdict(False, f"아직이에요. {len(self.right)}개 항목 가운데 {', '.join(off)}의 값이 달라요. "
                              f"힌트: {self.hint}")

    def _judge_function(self, results: list[dict[str, str]]) -> Verdict:
        failed: list[int] = []
        for index, ((label, _, expected), result) in enumerate(zip(self.right, results)):
            if "error" in result:
                return Verdict(False, f"아직이에요. 예시 '{label}'에서 함수가 오류를 냈어요: {result['error']}")
            hashed = digest(self.salt, result["ok"])
            if hashed != expected:
                failed.append(index)
                for case_hashes, message in self.mistakes:
                    if hashed == case_hashes[index]:
                        return Verdict(False, f"아직이에요. 예시 '{label}'에서: {message}")
        if not failed:
            return Verdict(True, f"맞았어요! ✅ 예시 {len(self.right)}개를 모두 통과했어요. "
                                 "제출하면 처음 보는 사례로도 채점해요.")
        labels = ", ".join(f"'{self.right[i][0]}'" for i in failed)
        return Verdict(False, f"아직이에요. 예시 {len(self.right)}개 가운데 {len(failed)}개의 결과가 달라요: {labels}. "
                              f"힌트: {self.hint}")


SPEC_PROVIDERS = "kakao_academy.answer_specs"


def _live_spec(qid: str) -> Spec | None:
    """The trainer's source notebook (no token): ask an installed answer-key provider, if there is one.

    Providers register under the entry-point group ``kakao_academy.answer_specs`` (the trainer's ``grader``
    package does); ``course`` itself never imports them by name, so a learner's environment works without.
    """
    from importlib.metadata import entry_points  # noqa: PLC0415

    for provider in entry_points(group=SPEC_PROVIDERS):
        try:
            spec_for = provider.load()
        except ImportError:
            continue
        return spec_for(qid)
    return None


CHECKS_FOLDER = ".checks"  # beside the lessons; a dot folder, so JupyterLab's file browser does not show it
_SEEN: dict[str, Spec] = {}  # qid -> the spec the last check of it used (the review reads these first)


@functools.lru_cache(maxsize=64)
def _check_file(path: str, mtime_ns: int, size: int) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {str(qid): str(token) for qid, token in data.get("checks", {}).items()}
    except (OSError, ValueError, AttributeError):  # a damaged check file: as if it were not there
        return {}


def released_token(qid: str, folder: Path | None = None) -> str | None:
    """The token of ``qid`` from the check files in ``folder`` (default: the one the release's ``.academy.json``
    names for this learner, else the working folder, the notebook's)."""
    if folder is None:
        from .data import marked_folder

        try:
            folder = marked_folder(Path.cwd(), "checks") or Path.cwd()
        except OSError:  # the working folder was removed
            return None
    checks = Path(folder) / CHECKS_FOLDER
    try:
        files = sorted(checks.glob("*.json"))
    except OSError:
        return None
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        token = _check_file(str(path), stat.st_mtime_ns, stat.st_size).get(qid)
        if token:
            return token
    return None


def _spec(qid: str, token: str | None = None, live: bool = True) -> Spec | None:
    """The spec of ``qid``: from the token given, the check file, or (``live``) an installed answer-key provider."""
    token = token or released_token(qid)
    try:
        spec = Spec.from_token(token) if token else (_live_spec(qid) if live else None)
    except (ValueError, TypeError, KeyError):  # a damaged token
        spec = None
    if spec is not None:
        _SEEN[qid] = spec
    return spec


NO_CHECK = ("이 확인 셀은 학습용 사본에서 작동해요. `make lab`으로 연 학습 폴더의 노트북에서 실행해 주세요 "
            "(노트북을 다른 폴더로 옮겼다면 원래 폴더로 되돌려 주세요).")


def check(qid: str, value, token: str | None = None) -> None:
    """Print whether ``value`` answers question ``qid``, in Korean.

    Returns nothing, so a check cell shows only the message (no stray ``True``/``False`` below it).
    Never raises on a wrong answer and never prints the right one.
    """
    spec = _spec(qid, token)
    if spec is None:
        print(NO_CHECK)
        return
    print(spec.judge(value).message)


REVIEW_WORDS = ("맞음", "아직", "안 씀")


def review_status(spec: Spec | None, namespace: dict, variable: str | None = None) -> tuple[str, str]:
    """(맞음 | 아직 | 안 씀, a short note) for one question, from the learner's variables."""
    name = spec.variable if spec is not None else variable
    if name not in namespace or namespace[name] is Ellipsis or namespace[name] is None:
        return "안 씀", "" if name in namespace else "답 셀을 실행하지 않았거나 아직 쓰지 않았어요"
    if spec is None:
        return "아직", "확인 셀을 한 번 실행해 주세요"
    verdict = spec.judge(namespace[name])
    return ("맞음", "") if verdict.correct else ("아직", "확인 셀의 힌트를 보세요")


def review(questions: dict[str, str], namespace: dict | None = None) -> None:
    """제출 전 점검: each question (title -> qid) as 맞음 / 아직 / 안 씀, judged with the same tokens as the checks.

    Reads the learner's variables (the calling cell's globals, i.e. the notebook's namespace). Never raises
    and never prints an answer; questions whose check never ran and that have no check file count as 아직.
    """
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    lines, counts = [], dict.fromkeys(REVIEW_WORDS, 0)
    for title, qid in questions.items():
        spec = _SEEN.get(qid) or _spec(qid, live=False)
        try:
            status, note = review_status(spec, namespace, qid.rsplit(".", 1)[-1])
        except Exception:  # noqa: BLE001 (a learner's value that cannot even be judged)
            status, note = "아직", "확인 셀의 메시지를 보세요"
        counts[status] += 1
        variable = f" `{spec.variable}`" if spec is not None else ""
        lines.append(f"- {title}{variable}: {status}" + (f" ({note})" if note else ""))
    print("제출 전 점검")
    print("\n".join(lines))
    print(" · ".join(f"{word} {counts[word]}개" for word in REVIEW_WORDS))
    if counts["맞음"] == len(questions):
        print("모든 문제가 맞았어요. 저장하고 제출하세요. 서술형(현업 적용)은 교육 담당자가 읽고 채점해요.")
    else:
        print("'아직'은 확인 셀의 힌트를, '안 씀'은 답 셀을 보세요. 처음부터 다시 확인하려면 "
              "커널 → 커널 다시 시작 및 모든 셀 실행을 누르세요.")
