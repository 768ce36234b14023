#!/usr/bin/env python3
"""Extraction throughput on the shared corpus (dev + seeds), one core.

    python scripts/bench_extraction.py [--seconds 5] [--corpus ../shared/corpus]

Prints articles per second. The target is at least 200 articles/s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shiraka.extraction import extract  # noqa: E402


def corpus_texts(corpus: Path) -> list[str]:
    texts = []
    for folder in ("dev", "seeds"):
        for path in sorted((corpus / folder).glob("*.json")):
            texts.append(json.loads(path.read_text(encoding="utf-8"))["text"])
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args(argv)
    texts = corpus_texts(args.corpus)
    if not texts:
        print(f"no corpus texts under {args.corpus}", file=sys.stderr)
        return 2
    extract(texts[0])  # load the gazetteer outside the timed loop
    done = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    while time.perf_counter() - started < args.seconds:
        for text in texts:
            extract(text)
        done += len(texts)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    # CPU time is also shown: on a shared machine wall-clock time includes other processes' turns.
    print(
        f"{done} articles in {elapsed:.2f} s: {done / elapsed:.0f} articles/s wall, "
        f"{done / cpu:.0f} articles/s of CPU time ({len(texts)} distinct texts)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
