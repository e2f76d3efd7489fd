"""Benchmark: the Northeast Asia study, cold (empty cache) and warm (cache filled).

Run: python benchmarks/study.py   (targets on 2 cores: cold < 20 s, warm < 2 s)
Each run is the whole command (`allegiance study --out DIR`) in a fresh process, so start-up
and imports are included; cpu is the child's user + system seconds, peak MB its maximum
resident set. The warm row gives the median and the minimum of 3 runs (the minimum is the
figure least disturbed by other work on a shared machine).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(out: Path, cache: Path) -> tuple[float, float, float]:
    env = {**os.environ, "ALLEGIANCE_CACHE": str(cache)}
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "allegiance.cli", "study", "--out", str(out)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = max(before, usage.ru_maxrss) / 1024
    return seconds, usage.ru_utime + usage.ru_stime - cpu, peak


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cold, cpu, peak = _run(root / "report", root / "cache")
        print(f"study cold (empty cache)   seconds={cold:6.2f}  cpu={cpu:6.2f}  "
              f"peak={peak:6.0f} MB  (target < 20 s)")  # fmt: skip
        warms = sorted(_run(root / "report", root / "cache")[:2] for _ in range(3))
        (low, low_cpu), (mid, mid_cpu) = warms[0], warms[1]
        print(f"study warm (median of 3)   seconds={mid:6.2f}  cpu={mid_cpu:6.2f}  "
              f"min {low:.2f} s (cpu {low_cpu:.2f})  (target < 2 s)")  # fmt: skip


if __name__ == "__main__":
    main()
