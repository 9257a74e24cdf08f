"""nbgrader preprocessors of the student copy: check tokens, the 제출 전 점검 cell, tokens out of sight.

``generate_assignment`` runs them in this order (see ``nbgrader_config.py``):

1. ``EmbedCheckTokens`` (before the gradebook sees the cells): every ``check("qid", variable)`` gets its token
   (hashes only) as a third argument, and ``AppendReview`` adds the locked 제출 전 점검 cells at the end.
   The gradebook keeps these sources, so grading (stock nbgrader restores locked cells from it, the engine
   runs them) has every token without any file beside the notebook.
2. ``HideCheckTokens`` (after the gradebook, with the hidden tests): the tokens leave the cells the learner
   sees and go to ``.checks/<lesson>.json`` beside the released notebook, where ``course.checks.check`` finds
   them. Checksums are computed after it, so nbgrader's own validation sees the cells as released.

``autograde`` in a cohort with per-learner data runs ``LearnerData`` first (before ``Execute``): the kernel reads
that learner's own data (``grader.trainer.variants``) and the check cells get the tokens computed on it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from course.checks import CHECKS_FOLDER

from .tokens import tokens_for

# check("orientation.friends_now", friends_now)  ->  check("orientation.friends_now", friends_now, "<token>")
CHECK_CALL = re.compile(r"""check\(\s*(["'])(?P<qid>[\w.]+)\1\s*,\s*(?P<value>[A-Za-z_]\w*)\s*\)""")
TOKEN_CALL = re.compile(r"""check\(\s*(["'])(?P<qid>[\w.]+)\1\s*,\s*(?P<value>[A-Za-z_]\w*)\s*,\s*"(?P<token>[A-Za-z0-9+/=]+)"\s*\)""")
REVIEW_IDS = ("zz-review-text", "zz-review-check")
REVIEW_TEXT = """## 제출 전 점검

제출하기 전에 아래 셀을 실행하면 문제마다 **맞음 / 아직 / 안 씀**을 한눈에 보여 줘요.
확인 셀과 같은 방법으로 판단하고, 정답은 보여 주지 않아요. 점수에는 들어가지 않아요."""


def without_tokens(source: str) -> str:
    """A check cell's source as the learner sees it: ``check("qid", variable)``, no token."""
    return TOKEN_CALL.sub(lambda m: f'check("{m["qid"]}", {m["value"]})', source)


def questions_of(nb) -> list[tuple[str, str]]:
    """(title, qid) of each check in the notebook, the title being the last heading above it (e.g. "문제 1 (2점)")."""
    found, title = [], ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heading = next((line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("#")), "")
            title = heading or title
        elif cell.metadata.get("nbgrader", {}).get("grade"):
            for match in CHECK_CALL.finditer(cell.source):
                label = title if title and title not in {t for t, _ in found} else f"{title} ({match['value']})"
                found.append((label.strip(), match["qid"]))
    return found


def _locked(cell, grade_id: str):
    cell["id"] = grade_id  # the same id on every build
    cell.metadata.update({"deletable": False, "editable": False})  # as nbgrader's LockCells leaves a locked cell
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3,
                                 "solution": False, "task": False}
    return cell


def review_cells(questions: list[tuple[str, str]]) -> list:
    """The 제출 전 점검: a heading and a locked code cell listing the lesson's questions (title -> question id)."""
    lines = ",\n".join(f"    {json.dumps(title, ensure_ascii=False)}: {json.dumps(qid)}" for title, qid in questions)
    code = f"from course.checks import review\n\nreview({{\n{lines},\n}})"
    return [_locked(nbformat.v4.new_markdown_cell(REVIEW_TEXT), REVIEW_IDS[0]),
            _locked(nbformat.v4.new_code_cell(code), REVIEW_IDS[1])]


class EmbedCheckTokens(NbGraderPreprocessor):
    """Runs before checksums and the gradebook see the cells: tokens into the check calls, review cells at the end."""

    def preprocess(self, nb, resources):
        questions = questions_of(nb)
        asked = [m["qid"] for c in nb.cells if c.cell_type == "code" for m in CHECK_CALL.finditer(c.source)]
        tokens = tokens_for(list(dict.fromkeys(asked)))
        for cell in nb.cells:
            if cell.cell_type == "code" and "check(" in cell.source:
                cell.source = CHECK_CALL.sub(
                    lambda m: f'check("{m["qid"]}", {m["value"]}, "{tokens[m["qid"]]}")', cell.source)
        if questions and not any(c.metadata.get("nbgrader", {}).get("grade_id") in REVIEW_IDS for c in nb.cells):
            nb.cells.extend(review_cells(questions))
        return nb, resources


class HideCheckTokens(NbGraderPreprocessor):
    """Runs after the gradebook has the cells: the tokens go to ``.checks/<lesson>.json``, out of the learner's sight."""

    def preprocess(self, nb, resources):
        tokens: dict[str, str] = {}
        for cell in nb.cells:
            if cell.cell_type == "code":
                for match in TOKEN_CALL.finditer(cell.source):
                    tokens[match["qid"]] = match["token"]
                cell.source = without_tokens(cell.source)
        if tokens:
            name = resources.get("nbgrader", {}).get("notebook") or resources.get("unique_key") or "lesson"
            data = json.dumps({"checks": tokens}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
            resources.setdefault("outputs", {})[f"{CHECKS_FOLDER}/{name}.json"] = data.encode("utf-8")
        return nb, resources


class LearnerData(NbGraderPreprocessor):
    """Stock ``nbgrader autograde`` in a per-learner cohort: the learner's own data for the kernel and the checks."""

    cohort_folder = Unicode("", help="The cohort's folder (with cohort.json); empty: nothing to do").tag(config=True)

    def preprocess(self, nb, resources):
        from course.data import DATA_ENV, reading

        from .trainer.variants import data_lookup

        lookup = data_lookup(Path(self.cohort_folder), say=self.log.info) if self.cohort_folder else None
        if lookup is None:
            return nb, resources
        folder = lookup(resources["nbgrader"]["student"])
        os.environ[DATA_ENV] = str(folder)  # the kernel Execute starts next inherits it
        qids = [m["qid"] for c in nb.cells if c.cell_type == "code" for m in TOKEN_CALL.finditer(c.source)]
        with reading(folder):
            tokens = tokens_for(list(dict.fromkeys(qids)), folder=folder)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = TOKEN_CALL.sub(
                    lambda m: f'check("{m["qid"]}", {m["value"]}, "{tokens[m["qid"]]}")', cell.source)
        return nb, resources
