"""Landscape benchmark: exact two-bloc enumeration (with basins) and the heuristic.

Run: python benchmarks/landscape.py   (figures for issue 6; targets on 2 cores:
n = 24 with basins < 5 s, n = 30 global minimum < 60 s). Numba's compile (or cache load)
time is measured once, on a tiny problem, and printed separately.
"""

from __future__ import annotations

import time

import numba
import numpy as np

from allegiance.models.landscape import Landscape


def problem(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    s = rng.uniform(0.5, 2.0, n)
    p = rng.normal(size=(n, n))
    p = (p + p.T) / 2
    np.fill_diagonal(p, 0.0)
    return s, p


def timed(model: Landscape, n: int) -> tuple[Landscape, float]:
    s, p = problem(n)
    start = time.perf_counter()
    model.fit(s, p)
    return model, time.perf_counter() - start


def main() -> None:
    print(f"numba {numba.__version__}, {numba.get_num_threads()} threads")
    _, compile_s = timed(Landscape(), 3)
    _, compile_h = timed(Landscape(method="heuristic", n_starts=2, random_state=0), 3)
    print(
        f"JIT compile or cache load (first fit): exact {compile_s:.2f} s, "
        f"heuristic {compile_h:.2f} s"
    )
    for n in (20, 24):
        model, wall = timed(Landscape(), n)
        print(
            f"exact n={n} with basins: {model.n_configurations_:,} configurations, "
            f"{wall:.2f} s, {model.n_configurations_ / wall:,.0f} configurations/s, "
            f"{len(model.stable_)} stable, minimum E={model.minimum_.energy:.4f}"
        )
    model, wall = timed(Landscape(basins=False, max_exact=30), 30)
    print(
        f"exact n=30 global minimum (no basins): {model.n_configurations_:,} configurations, "
        f"{wall:.2f} s, {model.n_configurations_ / wall:,.0f} configurations/s, "
        f"{len(model.stable_)} stable, minimum E={model.minimum_.energy:.4f}"
    )
    model, wall = timed(Landscape(method="heuristic", n_starts=200, random_state=1), 150)
    best = model.minimum_
    print(
        f"heuristic n=150: {model.n_configurations_} annealing searches x {model.n_sweeps} "
        f"sweeps, {wall:.2f} s, {model.n_configurations_ / wall:,.1f} searches/s, "
        f"best E={best.energy:.4f} found {best.hits} times, {len(model.stable_)} distinct ends"
    )


if __name__ == "__main__":
    main()
