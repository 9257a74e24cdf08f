"""Command line: ``python -m course.datagen --seed N --out DIR [--friends N]``."""

from __future__ import annotations

import argparse
import sys
import time

from . import DEFAULT_FRIENDS, DEFAULT_SEED, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.datagen",
                                     description="가상의 카카오톡 채널 데이터(6개월)를 만듭니다.")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"난수 시드 (기본 {DEFAULT_SEED})")
    parser.add_argument("--out", required=True, help="CSV를 쓸 폴더 (없으면 만듭니다)")
    parser.add_argument("--friends", type=int, default=DEFAULT_FRIENDS, help=f"친구 수 (기본 {DEFAULT_FRIENDS:,})")
    args = parser.parse_args(argv)
    if args.friends < 1_000:
        parser.error("친구 수는 1,000명 이상이어야 해요 (A/B 테스트를 나눌 수 있도록).")
    started = time.perf_counter()
    counts = generate(args.out, seed=args.seed, n_friends=args.friends,
                      progress=lambda message: print(f"- {message}", flush=True))
    rows = ", ".join(f"{name} {n:,}" for name, n in counts.items())
    print(f"완료: {args.out} ({time.perf_counter() - started:.1f}초) — {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
