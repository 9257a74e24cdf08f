"""One vocabulary: every lesson links the glossary page, and nothing a learner reads uses a spelling it rejects."""

from __future__ import annotations

import ast
import functools
import re

import nbformat
import pytest

from conftest import NOTEBOOKS as LESSONS, ROOT as REPO
from course import glossary
from grader.build import sync_workspace, write_glossary


@functools.cache
def learner_texts() -> tuple[tuple[str, str], ...]:
    """(where, text) for every cell of every lesson, and every string literal of the keys (hints and messages)."""
    texts = [(f"{path.parent.name}/{path.name} [{i}]", cell.source)
             for path in LESSONS for i, cell in enumerate(nbformat.read(path, as_version=4).cells)]
    for module in sorted((REPO / "grader" / "keys").glob("*.py")) + sorted((REPO / "course").glob("*.py")):
        if module.name == "glossary.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append((f"{module.relative_to(REPO)}:{node.lineno}", node.value))
    texts.append(("README.md", (REPO / "README.md").read_text(encoding="utf-8")))
    return tuple(texts)


def test_the_glossary_has_one_entry_per_word_and_no_word_is_also_rejected():
    words = [term.word for term in glossary.TERMS]
    assert len(words) == len(set(words))
    assert not set(glossary.REJECTED) & set(words)
    for term in glossary.TERMS:
        assert term.meaning.strip() and all(variant.strip() for variant in term.rejected)


@pytest.mark.parametrize("variant", sorted(glossary.REJECTED))
def test_no_lesson_hint_or_message_uses_a_rejected_spelling(variant):
    found = [where for where, text in learner_texts() if variant in text]
    assert not found, f"'{variant}' → '{glossary.REJECTED[variant]}': {found[:5]}"


def test_a_rejected_spelling_would_be_found():
    """The scan above reads the cells as they are: a planted variant is seen."""
    planted = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("양쪽 검정의 p-value")])
    text = planted.cells[0].source
    assert {v for v in glossary.REJECTED if v in text} == {"p-value", "양쪽 검정"}


def test_every_lesson_links_the_glossary_from_its_first_cell():
    for path in LESSONS:
        first = nbformat.read(path, as_version=4).cells[0].source
        assert f"]({glossary.PAGE_NAME})" in first, path


def test_the_page_lists_every_term_and_reaches_the_learner(tmp_path):
    page = glossary.page()
    for term in glossary.TERMS:
        assert re.search(rf"\*\*{re.escape(term.word)}\*\*", page)
    root = tmp_path / "course"
    (root / "beginner").mkdir(parents=True)
    (root / "beginner" / "01_x.ipynb").write_text("{}", encoding="utf-8")
    release = root / "grader" / "release" / "beginner"
    written = write_glossary(release)
    assert written.read_text(encoding="utf-8") == page
    workspace = tmp_path / "workspace"
    sync_workspace(workspace, root)
    assert (workspace / "beginner" / glossary.PAGE_NAME).read_text(encoding="utf-8") == page
