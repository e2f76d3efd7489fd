"""Benchmark: the Northeast Asia study, cold (empty cache) and warm (cache filled).

Run: python benchmarks/study.py   (targets on 2 cores: cold < 20 s, warm < 2 s)
Each run is the whole command (`allegiance study --out DIR`) in a fresh process, so start-up
and imports are included; peak MB is the child's maximum resident set.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(out: Path, cache: Path) -> tuple[float, float]:
    env = {**os.environ, "ALLEGIANCE_CACHE": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "allegiance.cli", "study", "--out", str(out)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cold, peak = _run(root / "report", root / "cache")
        print(f"study cold (empty cache)   seconds={cold:6.2f}  peak={peak:6.0f} MB (< 20 s)")
        warms = [_run(root / "report", root / "cache")[0] for _ in range(3)]
        warm = sorted(warms)[1]
        print(f"study warm (median of 3)   seconds={warm:6.2f}                (target < 2 s)")


if __name__ == "__main__":
    main()
