"""Benchmark: the Northeast Asia study, cold (empty cache) and warm (cache filled).

Run: python benchmarks/study.py   (targets on 2 cores: cold < 20 s, warm < 2 s)
Each run is the whole command (`allegiance study --out DIR`) in a fresh process, so start-up
and imports are included; cpu is the user + system seconds of the command and the processes
it starts, peak MB the largest resident set among them. Cold runs twice: with ``--jobs 1``
(claims one after another) and with the default (claims in parallel, one process per core).
The warm row gives the median and the minimum of 3 runs (the minimum is the figure least
disturbed by other work on a shared machine).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(out: Path, cache: Path, jobs: str | None = None) -> tuple[float, float, float]:
    env = {**os.environ, "ALLEGIANCE_CACHE": str(cache)}
    env.pop("ALLEGIANCE_JOBS", None)
    if jobs is not None:
        env["ALLEGIANCE_JOBS"] = jobs
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
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cold, cpu, peak = _run(root / "sequential", root / "sequential-cache", jobs="1")
        print(f"study cold, --jobs 1       seconds={cold:6.2f}  cpu={cpu:6.2f}  "
              f"peak={peak:6.0f} MB")  # fmt: skip
        cold, cpu, peak = _run(root / "report", root / "cache")
        print(f"study cold (empty cache)   seconds={cold:6.2f}  cpu={cpu:6.2f}  "
              f"peak={peak:6.0f} MB per process  (target < 20 s)")  # fmt: skip
        warms = sorted(_run(root / "report", root / "cache")[:2] for _ in range(3))
        (low, low_cpu), (mid, mid_cpu) = warms[0], warms[1]
        print(f"study warm (median of 3)   seconds={mid:6.2f}  cpu={mid_cpu:6.2f}  "
              f"min {low:.2f} s (cpu {low_cpu:.2f})  (target < 2 s)")  # fmt: skip


if __name__ == "__main__":
    main()
