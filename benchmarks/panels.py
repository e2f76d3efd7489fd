"""Benchmark: building panels, in-process and as a whole process, with peak memory.

Run: python benchmarks/panels.py [--repeat N]

Targets on 2 cores (issue 17, for (b)): in-process < 0.5 s, whole process < 1.5 s, peak
memory < 500 MB. The other cases keep their earlier in-process targets ((b+) < 1.5 s,
(c) < 0.4 s) and < 1.5 GB.

(b) undirected COW 1946-2016 with contiguity, ATOP, GML MIDs, capabilities, democracy,
    minimum and capital distance, rivalries;
(b+) (b) plus the observed-relations families events, mid_sides and diplomacy (issue 13);
(c) directed COW 1816-2016 with contiguity and ATOP.

in-process: a fresh child process imports the package, then builds and collects the panel
``--repeat`` times (5 by default); the first build (cold: bundle files not yet read) is shown
apart, then the minimum and median of the others, wall and CPU (user + system) seconds.
whole process: ``allegiance panel dyads ... --out FILE.parquet`` in a fresh process (start-up,
imports, build and the parquet write), the minimum of ``--repeat`` runs, wall and CPU.
peak: the largest resident set of those processes; in-process, after the first build (the figure
a single build costs) and after all of them. The children and the command allocate with
``_RJEM_MALLOC_CONF`` set as the command sets it (allegiance.cli.main.ALLOCATOR_CONF) unless
it is set already. On a shared machine wall seconds are
noisy; CPU seconds are the steadier figure, and the minimum the fairer one.
For scale: peacesciencer takes about 11.8 s for (b) and 4.3 s for (c) on such a machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _measure import in_child

# Imported for its effect: it sets _RJEM_MALLOC_CONF as the command does (code from before
# that setting leaves polars's own), and the spawned children inherit it.
import allegiance.cli.main  # noqa: F401

B = ["contiguity", "atop", "gml_mids", "nmc", "democracy", "min_distance", "cap_distance",
     "rivalries"]  # fmt: skip
B_PLUS = [*B, "events", "mid_sides", "diplomacy"]
C = ["contiguity", "atop"]


@dataclass(frozen=True)
class Case:
    label: str
    first: int
    last: int
    directed: bool
    families: list[str]
    in_process_target: float
    whole_target: float | None
    peak_target_mb: float


CASES = [
    Case("(b) undirected COW 1946-2016, 8 families", 1946, 2016, False, B, 0.5, 1.5, 500),
    Case("(b+) (b) + events, mid_sides, diplomacy", 1946, 2016, False, B_PLUS, 1.5, None, 1500),
    Case("(c) directed COW 1816-2016, contiguity + ATOP", 1816, 2016, True, C, 0.4, None, 1500),
]


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _child(case: Case, repeat: int, queue: Any) -> None:
    from allegiance.panel.build import build_panel

    runs = []
    rows = 0
    first_peak_mb = 0.0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), _cpu()
        panel = build_panel(
            "dyad_year",
            years=range(case.first, case.last + 1),
            directed=case.directed,
            families=case.families,
        )
        rows = panel.collect().height
        runs.append((time.perf_counter() - wall, _cpu() - cpu))
        first_peak_mb = first_peak_mb or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((rows, runs, (first_peak_mb, peak_mb)))


def in_process(
    case: Case, repeat: int
) -> tuple[int, list[tuple[float, float]], tuple[float, float]]:
    """Rows, (wall, cpu) seconds of each build, and peak MB after the first build and after
    all of them, from one fresh child."""
    return in_child(_child, case, repeat)  # type: ignore[no-any-return]


def whole_process(case: Case, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of one ``allegiance panel dyads`` process."""
    args = [sys.executable, "-m", "allegiance.cli", "panel", "dyads",
            "--years", f"{case.first}-{case.last}", "--add", ",".join(case.families),
            "--out", str(out)]  # fmt: skip
    if case.directed:
        args.append("--directed")
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        error = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(args)} failed: {error}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _mark(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f" (< {target:g}: {'yes' if value < target else 'NO'})"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark: building panels.")
    parser.add_argument("--repeat", type=int, default=5, help="builds / processes per case")
    parser.add_argument("--whole", choices=["b", "all", "none"], default="b",
                        help="which cases to run as a whole process")  # fmt: skip
    opts = parser.parse_args()
    conf = os.environ.get("_RJEM_MALLOC_CONF", "(polars default)")
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start; "
          f"_RJEM_MALLOC_CONF={conf}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(CASES):
            rows, runs, (first_peak, peak) = in_process(case, max(opts.repeat, 2))
            (cold_wall, cold_cpu), warm = runs[0], runs[1:]
            walls, cpus = [w for w, _ in warm], [c for _, c in warm]
            print(f"{case.label}  rows={rows:,}")
            print(
                f"  in-process   first {cold_wall:6.3f} s (cpu {cold_cpu:5.2f})   "
                f"then min {min(walls):6.3f} s{_mark(min(walls), case.in_process_target)}, "
                f"median {statistics.median(walls):6.3f} s   cpu min {min(cpus):5.2f} s   "
                f"peak {first_peak:5.0f} MB after one build"
                f"{_mark(first_peak, case.peak_target_mb)}, {peak:5.0f} MB after all"
            )
            if opts.whole == "all" or (opts.whole == "b" and i == 0):
                whole = [
                    whole_process(case, Path(tmp) / "panel.parquet") for _ in range(opts.repeat)
                ]
                wall = min(w for w, _, _ in whole)
                cpu = min(c for _, c, _ in whole)
                wpeak = max(p for _, _, p in whole)
                print(
                    f"  whole        min {wall:6.3f} s{_mark(wall, case.whole_target)}, "
                    f"median {statistics.median(w for w, _, _ in whole):6.3f} s   "
                    f"cpu min {cpu:5.2f} s   peak {wpeak:5.0f} MB"
                    f"{_mark(wpeak, case.peak_target_mb)}"
                )


if __name__ == "__main__":
    main()
