"""Timing and peak-memory helpers shared by the benchmark scripts (not part of the package).

Each case runs in a fresh child process so that its peak resident memory (``ru_maxrss``) is
its own; the child times ``repeat`` runs and reports the median.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = ["measure", "print_row"]


def _child(func: Callable[[], int], repeat: int, queue: Any) -> None:
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = func()
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((rows, statistics.median(times), min(times), peak_mb))


def in_child(target: Callable[..., None], *args: Any) -> Any:
    """Call ``target(*args, queue)`` in a fresh spawned process and return what it puts."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def measure(func: Callable[[], int], repeat: int = 5) -> tuple[int, float, float, float]:
    """Run ``func`` (returning rows) ``repeat`` times in a child: rows, median s, min s, MB."""
    return in_child(_child, func, repeat)  # type: ignore[no-any-return]


def print_row(label: str, result: tuple[int, float, float, float]) -> None:
    rows, median, best, peak = result
    print(
        f"{label:<58} rows={rows:>10,}  median={median:7.3f}s  min={best:7.3f}s  "
        f"peak={peak:7.0f} MB"
    )
