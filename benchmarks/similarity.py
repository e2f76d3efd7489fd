"""Benchmark: alliance-portfolio similarity for every dyad-year of the COW system, 1946-2018.

Run: python benchmarks/similarity.py   (prints rows, median and best seconds of 3 runs, peak MB)
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _measure import measure, print_row

YEARS = range(1946, 2019)

CASES: list[tuple[str, dict[str, str]]] = [
    ("sscore", {}),
    ("sscore", {"coding": "binary"}),
    ("sscore", {"weights": "capability"}),
    ("sscore", {"metric": "squared"}),
    ("pi", {}),
    ("kappa", {}),
    ("kappa", {"coding": "binary"}),
    ("taub", {}),
]


def _run(name: str, options: dict[str, str]) -> int:
    from allegiance.measures.registry import compute

    return compute(name, YEARS, **options).height


def main() -> None:
    print(f"COW system, every undirected dyad-year {YEARS.start}-{YEARS.stop - 1} (ATOP v5.1)")
    for name, options in CASES:
        label = f"{name} " + " ".join(f"{k}={v}" for k, v in options.items())
        print_row(label, measure(partial(_run, name, options), repeat=3))


if __name__ == "__main__":
    main()
