"""`make bench`: how fast the generator and a lesson are, and how much memory they take. Prints figures only.

    python tests/bench.py            # default cohort (10,000 friends) and a 1,000,000-friend channel
    python tests/bench.py --quick    # skip the million
"""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="1,000,000명 채널은 건너뜁니다")
    args = parser.parse_args()
    bench_generator(10_000)
    bench_load()
    bench_lesson()
    if not args.quick:
        bench_generator(1_000_000)


if __name__ == "__main__":
    main()
