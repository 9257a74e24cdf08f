"""Command line: ``python -m course.datagen --seed N --out DIR [--friends N]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..tables import TABLES
from . import DEFAULT_FRIENDS, DEFAULT_SEED, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.datagen",
                                     description="가상의 카카오톡 채널 데이터(6개월)를 만듭니다.")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"난수 시드 (기본 {DEFAULT_SEED})")
    parser.add_argument("--out", required=True, help="CSV를 쓸 폴더 (없으면 만듭니다)")
    parser.add_argument("--friends", type=int, default=DEFAULT_FRIENDS, help=f"친구 수 (기본 {DEFAULT_FRIENDS:,})")
    parser.add_argument("--force", action="store_true", help="폴더에 이미 있는 데이터를 새로 만든 것으로 바꿉니다")
    args = parser.parse_args(argv)
    if args.friends < 1_000:
        parser.error("친구 수는 1,000명 이상이어야 해요 (A/B 테스트를 나눌 수 있도록).")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        parser.error(f"'{out}'는 폴더가 아니라 파일이에요. 데이터를 쓸 폴더 이름을 주세요.")
    existing = [t.file_name for t in TABLES.values() if (out / t.file_name).exists()]
    if existing and not args.force:
        parser.error(f"'{out}'에 이미 데이터({', '.join(existing[:3])} 등)가 있어요. 이 데이터로 채점한 기수가 있다면 "
                     "점수가 바뀔 수 있어요. 정말 바꾸려면 --force를 붙이고, 아니면 새 폴더를 주세요.")
    started = time.perf_counter()
    counts = generate(args.out, seed=args.seed, n_friends=args.friends,
                      progress=lambda message: print(f"- {message}", flush=True))
    rows = ", ".join(f"{name} {n:,}" for name, n in counts.items())
    print(f"완료: {args.out} ({time.perf_counter() - started:.1f}초) — {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
