"""Benchmark: building panels (targets on 2 cores: (b) < 1.2 s, (b+) < 1.5 s, (c) < 0.4 s, < 1.5 GB).

Run: python benchmarks/panels.py   (prints rows, median of 5 seconds, and peak MB per case)

(b) undirected COW 1946-2016 with contiguity, ATOP, GML MIDs, capabilities, democracy,
    minimum and capital distance, rivalries;
(b+) (b) plus the observed-relations families events, mid_sides and diplomacy (issue 13);
(c) directed COW 1816-2016 with contiguity and ATOP.
For scale: peacesciencer takes about 11.8 s for (b) and 4.3 s for (c) on such a machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _measure import measure, print_row

B = ["contiguity", "atop", "gml_mids", "nmc", "democracy", "min_distance", "cap_distance",
     "rivalries"]  # fmt: skip
B_PLUS = [*B, "events", "mid_sides", "diplomacy"]
C = ["contiguity", "atop"]


def case_b() -> int:
    from allegiance.panel.build import build_panel

    panel = build_panel("dyad_year", years=range(1946, 2017), directed=False, families=B)
    return panel.collect().height


def case_b_plus() -> int:
    from allegiance.panel.build import build_panel

    panel = build_panel("dyad_year", years=range(1946, 2017), directed=False, families=B_PLUS)
    return panel.collect().height


def case_c() -> int:
    from allegiance.panel.build import build_panel

    panel = build_panel("dyad_year", years=range(1816, 2017), directed=True, families=C)
    return panel.collect().height


def main() -> None:
    print_row("(b) undirected COW 1946-2016, 8 families", measure(case_b))
    print_row("(b+) (b) + events, mid_sides, diplomacy", measure(case_b_plus))
    print_row("(c) directed COW 1816-2016, contiguity + ATOP", measure(case_c))


if __name__ == "__main__":
    main()
