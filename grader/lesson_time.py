"""예상 시간: each lesson's time estimate, computed from the lesson itself rather than guessed.

A new staff member who has not coded before is the reader we plan for. Their time is the sum of
- reading: the markdown's 어절 (space-separated words) at 120 per minute. Silent reading of simple Korean
  sentences averages about 200 per minute (Rhiu et al., Korean J Ophthalmol 31(3), 2017); instructional
  text with numbers and column names is read at well under that, so 120;
- worked examples: 1.5 minutes per locked code cell (read the code, run it, read the output);
- graded answers: 3 minutes per question plus 1 minute per line of the reference solution (what a non-coder
  writes and corrects, line by line);
- written answers (현업 적용): 10 minutes each.
The rates are the model's assumptions until a cohort's timings replace them; the figure is rounded up to
5 minutes. ``python -m grader.lesson_time --write`` puts it into each source notebook's first cell, and a test
fails when a lesson's stated time and its computed time differ.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

WORDS_PER_MINUTE = 120
EXAMPLE_MINUTES = 1.5
QUESTION_MINUTES = 3.0
SOLUTION_LINE_MINUTES = 1.0
WRITTEN_MINUTES = 10.0
LINE = re.compile(r"예상 시간: [^\n]*")
REPO = Path(__file__).resolve().parent.parent
TIERS = ("beginner", "intermediate", "advanced")


def _solution_lines(source: str) -> int:
    body = source.split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION", 1)[0]
    return sum(1 for line in body.splitlines() if line.strip() and not line.strip().startswith("#"))


def minutes(notebook: dict) -> int:
    """The lesson's estimated minutes for a first-time coder, rounded up to 5."""
    total = 0.0
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown":
            total += len(source.split()) / WORDS_PER_MINUTE
            if meta.get("solution"):
                total += WRITTEN_MINUTES
        elif "### BEGIN SOLUTION" in source:
            total += QUESTION_MINUTES + SOLUTION_LINE_MINUTES * _solution_lines(source)
        elif meta.get("locked") and "check(" not in source:
            total += EXAMPLE_MINUTES
    return 5 * math.ceil(total / 5)


def spoken(total: int) -> str:
    """120 -> "약 2시간", 95 -> "약 1시간 35분", 40 -> "약 40분"."""
    hours, rest = divmod(total, 60)
    if not hours:
        return f"약 {rest}분"
    return f"약 {hours}시간" + (f" {rest}분" if rest else "")


def stated_line(notebook: dict) -> str | None:
    match = LINE.search("".join(notebook["cells"][0]["source"]))
    return match.group(0) if match else None


def expected_line(notebook: dict) -> str:
    return f"예상 시간: {spoken(minutes(notebook))} (코딩이 처음인 분 기준)"


def lessons(repo: Path = REPO) -> list[Path]:
    return sorted(path for tier in TIERS for path in (repo / tier).glob("*.ipynb"))


def write(path: Path) -> bool:
    """Put the computed line into the lesson's first cell; True when the file changed."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    first = notebook["cells"][0]
    text = "".join(first["source"])
    if not LINE.search(text):
        raise SystemExit(f"{path}: 첫 셀에 '예상 시간:' 줄이 없어요.")
    new = LINE.sub(expected_line(notebook), text, count=1)
    if new == text:
        return False
    first["source"] = new.splitlines(keepends=True)
    path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="수업별 예상 시간 계산 (lesson time estimates)")
    parser.add_argument("--write", action="store_true", help="각 수업 첫 셀에 써 넣기 (write into each lesson)")
    args = parser.parse_args(argv)
    for path in lessons():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        changed = write(path) if args.write else False
        print(f"{path.relative_to(REPO)}: {expected_line(notebook)}" + ("  (고침)" if changed else ""))


if __name__ == "__main__":
    main()
