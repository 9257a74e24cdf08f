"""Collecting a tier's submissions into the cohort's ``submitted/<id>/<tier>/`` (where nbgrader and the engine read).

From a folder (``<id>/<tier>/<lesson>.ipynb``, ``<id>/<lesson>.ipynb`` or loose files), an LMS download zip (one
file per learner, the learner's id or name somewhere in the file name, e.g. ``김민지_12345_00_orientation.ipynb``) or
the nbgrader exchange of a JupyterHub (every submission in its inbound, named by the learner's user name; see
``exchange``).
Each notebook is matched to a learner of the roster by its path or file name, and to a lesson by its content (the
nbgrader cells of the released copy), so a renamed file still finds its lesson.

Nothing is dropped and nothing is overwritten:
- a file of no roster learner, of no lesson, sent after the deadline, or a second copy of the same learner's lesson
  is kept aside in ``grader/collect-aside/<time>/`` with the reason in ``사유.csv``;
- a renamed file is taken under its lesson's name, and the file as sent is kept aside too;
- a resubmission moves the copy it replaces to ``grader/submitted-earlier/<time>/`` first; the same file again is
  left as it is.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .cohort import Cohort
from .errors import TrainerError
from .exchange import Inbox
from .roster import Learner, read_roster

ASIDE = "collect-aside"
EARLIER = "submitted-earlier"
STAMP = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's timestamp.txt format
SPLIT = re.compile(r"[^0-9A-Za-z\uac00-\ud7a3]+")


@dataclass
class Item:
    """One file found in the source."""

    where: str  # its path in the source, as the trainer sees it
    data: bytes
    sent: datetime | None  # when it was saved or uploaded, if the source says
    owner: str = ""  # the learner the source itself names (the exchange's user name), if it does


@dataclass
class Outcome:
    where: str
    reason: str  # Korean: what was done with it
    learner: str = ""
    lesson: str = ""
    placed: bool = False


@dataclass
class Collection:
    tier: str
    outcomes: list[Outcome] = field(default_factory=list)
    aside: Path | None = None

    @property
    def placed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.placed]

    def text(self) -> str:
        kept = [o for o in self.outcomes if not o.placed]
        lines = [f"{self.tier}: 받은 제출물 {len(self.placed)}개, 받지 않고 따로 둔 파일 {len(kept)}개"]
        for outcome in self.outcomes:
            if outcome.placed and outcome.reason == "받음":
                continue
            who = f" ({outcome.learner}" + (f", {outcome.lesson}" if outcome.lesson else "") + ")" if outcome.learner else ""
            lines.append(f"  - {outcome.where}{who}: {outcome.reason}")
        if self.aside:
            lines.append(f"따로 둔 파일과 사유: {self.aside}")
        return "\n".join(lines)


def _items_of(source: Path | Inbox, tier: str) -> list[Item]:
    if isinstance(source, Inbox):
        return _submitted_items(source, tier)
    if not source.exists():
        raise TrainerError(f"'{source}'가 없어요. 폴더나 zip 파일 경로를 확인해 주세요.")
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise TrainerError(f"'{source}'는 zip 파일이 아니에요. 제출물 폴더나 LMS에서 내려받은 zip을 주세요.")
        items = []
        with zipfile.ZipFile(source) as bundle:
            for info in bundle.infolist():
                if info.is_dir() or _hidden(info.filename):
                    continue
                items.append(Item(info.filename, bundle.read(info), datetime(*info.date_time)))
        return items
    return [Item(path.relative_to(source).as_posix(), path.read_bytes(), datetime.fromtimestamp(path.stat().st_mtime))
            for path in sorted(source.rglob("*")) if path.is_file() and not _hidden(path.relative_to(source).as_posix())]


def _submitted_items(inbox: Inbox, tier: str) -> list[Item]:
    """The notebooks of every submission in the exchange (the other files stay there: the exchange is only read)."""
    items = []
    for user, when, folder in inbox.submissions(tier):
        for path in sorted(folder.rglob("*.ipynb")):
            inside = path.relative_to(folder).as_posix()
            if not _hidden(inside):
                items.append(Item(f"교환/{user}/{when:%Y%m%d-%H%M%S-%f}/{inside}", path.read_bytes(), when, owner=user))
    return items


def _hidden(where: str) -> bool:
    """macOS and Jupyter's own files inside a zip or folder: not submissions."""
    parts = where.split("/")
    return any(p.startswith(".") or p == "__MACOSX" for p in parts) or parts[-1] in ("timestamp.txt", "Thumbs.db")


def _cells_of(data: bytes) -> set[str] | None:
    """What identifies a lesson in a notebook file: each locked cell's grade id with its text (lessons reuse grade
    ids such as a1 and t1, never their locked cells' text); None if the file is not a readable notebook."""
    import hashlib

    try:
        nb = json.loads(data.decode("utf-8-sig"))
        found = set()
        for cell in nb["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade_id") and meta.get("locked") and not meta.get("solution"):
                text = cell.get("source", "")
                text = "".join(text) if isinstance(text, list) else str(text)
                found.add(meta["grade_id"] + ":" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
        return found
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None


def _lesson_of(item: Item, lessons: dict[str, set[str]]) -> tuple[str, bool]:
    """(lesson file name, renamed?): the lesson the file name names, else the one whose locked cells it holds
    (at least half of them); ("", False) when neither says."""
    name = item.where.rsplit("/", 1)[-1]
    for lesson in lessons:
        if name.endswith(lesson) or lesson.removesuffix(".ipynb") in name:
            return lesson, False
    cells = _cells_of(item.data)
    if cells:
        overlap = {lesson: len(cells & marks) / max(1, len(marks)) for lesson, marks in lessons.items()}
        best = max(overlap, key=overlap.get)
        if overlap[best] >= 0.5:
            return best, True
    return "", False


def _learner_of(item: Item, roster: list[Learner]) -> list[Learner]:
    """The roster learners the path names: a folder called by the id, or the id or name among the file name's words."""
    if item.owner:
        return [learner for learner in roster if learner.id == item.owner]
    parts = item.where.split("/")
    by_folder = [learner for learner in roster if learner.id in parts[:-1]]
    if by_folder:
        return by_folder
    words = set(SPLIT.split(parts[-1].rsplit(".", 1)[0]))
    compact = parts[-1].replace(" ", "")
    return [learner for learner in roster if learner.id in words or (learner.name and learner.name.replace(" ", "")
                                                                      in compact)]


def collect(cohort: Cohort, tier: str, source: Path | Inbox, deadline: datetime | None = None, say=print) -> Collection:
    """Take the tier's notebooks from ``source`` into ``submitted/`` (see the module's docstring)."""
    if tier not in cohort.tiers():
        raise TrainerError(f"'{tier}' 과정이 이 반에 없어요. 있는 과정: {', '.join(cohort.tiers())}")
    roster = read_roster(cohort)
    if not roster:
        raise TrainerError("반의 명단이 비어 있어요. 먼저 `python -m grader roster 명단.csv`로 학습자를 넣어 주세요.")
    release = cohort.grader / "release" / tier
    lessons = {path.name: _cells_of(path.read_bytes()) or set() for path in sorted(release.glob("*.ipynb"))}
    if not lessons:
        raise TrainerError(f"{tier} 학습용 사본이 없어요. 먼저 `python -m grader release {tier}`를 실행하세요.")
    found = _items_of(source if isinstance(source, Inbox) else Path(source), tier)
    items = [item for item in found if item.where.lower().endswith(".ipynb") or _cells_of(item.data) is not None]
    others = [item for item in found if item not in items]
    now = time.strftime("%Y%m%d-%H%M%S")
    result = Collection(tier)
    aside = cohort.grader / ASIDE / now
    reasons: list[list[str]] = []

    def keep_aside(item: Item, reason: str, learner: str = "", lesson: str = "", placed: bool = False) -> None:
        target = aside / item.where
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.data)
        reasons.append([item.where, reason, learner, lesson])
        result.outcomes.append(Outcome(item.where, reason, learner, lesson, placed))

    chosen: dict[tuple[str, str], Item] = {}
    for item in items:
        learners = _learner_of(item, roster)
        lesson, renamed = _lesson_of(item, lessons)
        if len(learners) != 1:
            reason = ("명단에 없는 학습자의 파일이에요" if not learners else
                      f"여러 학습자와 맞아요 ({', '.join(l.id for l in learners)}): 파일 이름을 확인해 주세요")
            keep_aside(item, reason, lesson=lesson)
            continue
        learner = learners[0].id
        if not lesson:
            keep_aside(item, f"{tier}의 어느 수업인지 알 수 없는 파일이에요", learner)
            continue
        if deadline and item.sent and item.sent > deadline:
            keep_aside(item, f"마감 후 제출이에요 ({item.sent:%m월 %d일 %H:%M}, 마감 {deadline:%m월 %d일 %H:%M})",
                       learner, lesson)
            continue
        earlier = chosen.get((learner, lesson))
        if earlier is not None:
            newer, older = (item, earlier) if (item.sent or datetime.min) >= (earlier.sent or datetime.min) else (earlier,
                                                                                                                 item)
            chosen[(learner, lesson)] = newer
            keep_aside(older, f"같은 수업을 또 냈어요: 더 나중 파일({newer.where})을 받았어요", learner, lesson)
            continue
        chosen[(learner, lesson)] = item
        if renamed:
            keep_aside(item, f"이름이 바뀐 파일이에요: {lesson}(으)로 받았어요", learner, lesson, placed=True)
    for item in others:
        keep_aside(item, "노트북(.ipynb) 파일이 아니에요")

    for (learner, lesson), item in sorted(chosen.items()):
        folder = cohort.grader / "submitted" / learner / tier
        target = folder / lesson
        placed_before = any(o.where == item.where and o.placed for o in result.outcomes)
        if target.exists() and target.read_bytes() == item.data:
            if not placed_before:
                result.outcomes.append(Outcome(item.where, "이미 받은 것과 같아요 (그대로 둠)", learner, lesson, True))
            continue
        if target.exists():  # a resubmission: the copy it replaces is kept
            keep = cohort.grader / EARLIER / now / learner / tier
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, keep / lesson)
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(item.data)
        partial.replace(target)
        sent = (item.sent or datetime.now()).astimezone()
        (folder / "timestamp.txt").write_text(sent.strftime(STAMP).strip(), encoding="utf-8")
        if not placed_before:
            reason = "다시 낸 제출물이에요: 이전 것은 submitted-earlier/에 두었어요" if (cohort.grader / EARLIER / now /
                                                                         learner / tier / lesson).exists() else "받음"
            result.outcomes.append(Outcome(item.where, reason, learner, lesson, True))
    if reasons:
        with open(aside / "사유.csv", "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["파일", "사유", "학습자", "수업"])
            writer.writerows(reasons)
        result.aside = aside
    say(result.text())
    return result


def parse_deadline(text: str) -> datetime:
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(text.strip(), pattern)
            return moment.replace(hour=23, minute=59, second=59) if pattern == "%Y-%m-%d" else moment
        except ValueError:
            continue
    raise TrainerError(f"마감 시각 '{text}'를 읽지 못했어요. 예: \"2026-12-20 18:00\" 또는 2026-12-20 (그날 끝까지)")

