"""`make bench`: how fast the generator, a lesson and grading are, and how much memory they take. Figures only.

    python tests/bench.py            # default cohort (10,000 friends) and a 1,000,000-friend channel
    python tests/bench.py --quick    # skip the million
    python tests/bench.py --grading-only [--learners 30]
                                     # stock nbgrader autograde against the engine on one simulated class
    python tests/bench.py --first-start-only
                                     # the first `make lab` after installing: student copies and the learner's folder
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, resource, sys, time
from course.datagen import generate
started = time.perf_counter()
counts = generate(sys.argv[1], seed=2026, n_friends=int(sys.argv[2]))
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": counts}))
"""

LOAD = """
import json, resource, time
import course
out = {}
for name in course.table_names():
    started = time.perf_counter()
    course.load(name)
    out[name] = time.perf_counter() - started
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def run(code: str, *args: str) -> dict:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir()) / 1024**2


def bench_generator(friends: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        figures = run(CHILD, scratch, str(friends))
        rows = sum(figures["rows"].values())
        print(f"생성기 (generator) 친구 {friends:>9,}명: {figures['seconds']:7.1f}초, 최대 메모리 {figures['peak_mb']:7.0f} MB, "
              f"행 {rows:,}개 ({figures['rows']['deliveries']:,}개가 deliveries), 파일 {folder_mb(Path(scratch)):,.0f} MB")


def bench_load() -> None:
    figures = run(LOAD)
    peak = figures.pop("peak_mb")
    print("course.load (기본 데이터): " + ", ".join(f"{name} {seconds:.2f}초" for name, seconds in figures.items())
          + f"; 최대 메모리 {peak:.0f} MB")


def bench_lesson() -> None:
    import nbformat
    from nbclient import NotebookClient

    for lesson in sorted(ROOT.glob("*/[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(lesson, as_version=4)
        started = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(lesson.parent)}}).execute()
        print(f"수업 실행 (solution notebook) {lesson.relative_to(ROOT)}: {time.perf_counter() - started:.1f}초 (커널 시작 포함)")


def simulated_class(root: Path, tier: str, learners: int) -> list[str]:
    """A class of ``learners`` on ``tier``: a third right, a third half done, the rest blank or making each mistake."""
    from collections import defaultdict

    sys.path.insert(0, str(ROOT / "tests"))
    import nbformat
    from grading import distinguishable_mistakes, place, questions, submission

    release = root / "grader" / "release" / tier
    lessons = sorted((root / tier).glob("*.ipynb"))
    all_questions = [q for lesson in lessons for q in questions(lesson)]
    mistakes = {q.qid: distinguishable_mistakes(q.qid) for q in all_questions}
    names = []
    for n in range(learners):
        student = f"learner{n + 1:02d}"
        names.append(student)
        for lesson in lessons:
            stubs = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source
                     for c in nbformat.read(release / lesson.name, as_version=4).cells}
            mine = [q for q in all_questions if q.lesson == lesson.name]
            answers: dict[str, str] = defaultdict(str)
            if n % 3 == 1:  # half done
                answers.update({q.answer_cell: stubs[q.answer_cell] for q in mine[len(mine) // 2:]})
            elif n % 3 == 2 and n % 2 == 0:  # blank
                answers.update({q.answer_cell: stubs[q.answer_cell] for q in mine})
            elif n % 3 == 2:  # the common mistakes, a different one per learner where a question has several
                for q in mine:
                    if mistakes[q.qid]:
                        value, _ = mistakes[q.qid][n % len(mistakes[q.qid])]
                        answers[q.answer_cell] = f"{q.variable} = {value}\n"
            place(root, student, tier, lesson.name, submission(release / lesson.name, lesson, dict(answers)))
    return names


def bench_grading(learners: int, tier: str = "beginner", jobs: int = 2) -> None:
    """Stock ``nbgrader autograde`` (one learner at a time) and the engine, on the same class in one run."""
    import shutil

    sys.path.insert(0, str(ROOT / "tests"))
    from grader.build import build_student_copies, run_nbgrader
    from grader.engine.grading import autograde
    from grading import cell_scores, make_course_root

    with tempfile.TemporaryDirectory() as scratch:
        root = make_course_root(Path(scratch) / "engine")
        build_student_copies(root, [tier], force=True, say=lambda message: None)
        names = simulated_class(root, tier, learners)
        stock = Path(scratch) / "stock"
        shutil.copytree(root, stock)
        notebooks = learners * len(list((root / tier).glob("*.ipynb")))

        started = time.perf_counter()
        result = run_nbgrader(["autograde", tier], stock, timeout=7_200)
        stock_seconds = time.perf_counter() - started
        assert result.returncode == 0, result.stderr[-2000:]

        started = time.perf_counter()
        summary = autograde(root / "grader", tier, jobs=jobs, progress=False, say=lambda message: None)
        engine_seconds = time.perf_counter() - started

        differing = sum(cell_scores(root, tier, s) != cell_scores(stock, tier, s) for s in names)
        print(f"채점 (grading) {tier}, 학습자 {learners}명 × 노트북 {notebooks // learners}개 = {notebooks}개:")
        print(f"  stock nbgrader autograde (순차): {stock_seconds:7.1f}초, 노트북당 {stock_seconds / notebooks:5.2f}초")
        print(f"  엔진 (engine, --jobs {jobs}, 샌드박스 {'켜짐' if summary.sandboxed else '꺼짐'}): "
              f"{engine_seconds:7.1f}초, 노트북당 {engine_seconds / notebooks:5.2f}초")
        print(f"  배율 (speed-up): {stock_seconds / engine_seconds:4.1f}배; 점수가 다른 학습자 {differing}명")


def bench_first_start() -> None:
    """What `make lab` does before JupyterLab opens, in a scratch course: cold (no token cache), again on the same data
    (tokens cached, copies rebuilt), and up to date (nothing to do); the old way (tokens one by one, one nbgrader per
    tier) for comparison."""
    import shutil
    from unittest import mock

    sys.path.insert(0, str(ROOT / "tests"))
    import grader.tokens as tokens
    from grader.build import TIERS, build_student_copies, run_nbgrader, sync_workspace
    from grading import make_course_root

    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch) / "cache"
        os.environ[tokens.CACHE_ENV] = str(cache)  # for the nbgrader child too
        try:
            with mock.patch.object(tokens, "CACHE", cache):
                root = make_course_root(Path(scratch) / "course")
                figures = {}
                for name, force in (("처음 (확인표 계산 포함)", True), ("같은 데이터로 다시 만들기", True),
                                    ("최신이라 건너뜀", False)):
                    started = time.perf_counter()
                    build_student_copies(root, force=force, say=lambda message: None, progress=False)
                    sync_workspace(Path(scratch) / f"workspace-{len(figures)}", root)
                    figures[name] = time.perf_counter() - started
                shutil.rmtree(cache)
                started = time.perf_counter()  # before: one nbgrader per tier, each computing its tokens one by one
                for tier in TIERS:
                    assert run_nbgrader(["generate_assignment", tier, "--force"], root).returncode == 0
                before = time.perf_counter() - started
        finally:
            os.environ.pop(tokens.CACHE_ENV, None)
    print("첫 시작 (make lab, JupyterLab이 열리기 전까지): "
          + ", ".join(f"{name} {seconds:.1f}초" for name, seconds in figures.items()))
    print(f"  예전 방식 (과정마다 nbgrader 따로, 확인표를 하나씩 계산): {before:.1f}초; CPU {os.cpu_count()}개")


def bench_token(guesses: int = 300) -> None:
    """How fast a student copy's token can be tried against candidate values: scrypt now, a plain hash before."""
    import hashlib

    from course.checks import digest

    started = time.perf_counter()
    for value in range(guesses):
        digest("0123456789abcdef", value)
    scrypt_rate = guesses / (time.perf_counter() - started)
    started = time.perf_counter()
    for value in range(guesses * 100):
        hashlib.sha256(f"0123456789abcdef|{value}".encode()).hexdigest()
    plain_rate = guesses * 100 / (time.perf_counter() - started)
    print(f"토큰 역산 (token inversion): scrypt 초당 {scrypt_rate:,.0f}개 추측, sha256이었다면 초당 {plain_rate:,.0f}개 "
          f"({plain_rate / scrypt_rate:,.0f}배 느려짐); 0~10,000 사이 정수 답 하나에 {10_000 / scrypt_rate:.0f}초")


def bench_demo(learners: int = 30, variants_timed: int = 2) -> None:
    """``make demo``'s whole loop (a fresh cohort in a scratch folder), and what per-learner data adds per learner."""
    from grader.trainer import variants
    from grader.trainer.demo import DEMO_NAME, run_demo

    with tempfile.TemporaryDirectory(prefix="bench-demo-") as scratch:
        started = time.perf_counter()
        run_demo(learners, parent=Path(scratch), say=lambda line: None, progress=False)
        seconds = time.perf_counter() - started
        print(f"make demo (모의 학습자 {learners}명, 반 만들기부터 내보내기까지): {seconds:.0f}초; CPU {os.cpu_count()}개")
        cohort = Path(scratch) / DEMO_NAME
        release = cohort / "grader" / "release" / "beginner"
        started = time.perf_counter()
        for n in range(variants_timed):
            data = variants.ensure_data(cohort, 2026, f"bench{n}", say=lambda line: None)
            target = Path(scratch) / f"bench{n}"
            target.mkdir()
            variants.write_checks(release, data, target, say=lambda line: None)
        each = (time.perf_counter() - started) / variants_timed
        print(f"  학습자별 데이터 (per-learner data): 학습자당 {each:.0f}초 (데이터 생성 + beginner 확인표), "
              f"30명이면 약 {30 * each / 60:.0f}분")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="1,000,000명 채널은 건너뜁니다")
    parser.add_argument("--grading-only", action="store_true", help="채점 속도만 잽니다")
    parser.add_argument("--first-start-only", action="store_true", help="첫 make lab 준비 시간만 잽니다")
    parser.add_argument("--demo-only", action="store_true", help="make demo와 학습자별 데이터 시간만 잽니다")
    parser.add_argument("--learners", type=int, default=30, help="채점 측정의 학습자 수 (기본 30)")
    args = parser.parse_args()
    if args.demo_only:
        bench_demo()
        return
    bench_first_start()
    if args.first_start_only:
        return
    bench_token()
    bench_grading(args.learners)
    if args.grading_only:
        return
    bench_demo()
    bench_generator(10_000)
    bench_load()
    bench_lesson()
    if not args.quick:
        bench_generator(1_000_000)


if __name__ == "__main__":
    main()
