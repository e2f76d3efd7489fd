"""Benchmark: the shipped bundle's size and how fast its tables load.

Run: python benchmarks/bundle.py   (prints tables, rows, MB on disk and load seconds)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _measure import measure, print_row

from allegiance.data.bundle import BUNDLE_DIR, provenance


def _load_all() -> int:
    from allegiance.data.bundle import load, table_names

    return sum(load(name).height for name in table_names())


def main() -> None:
    tables = provenance()["tables"]
    size = sum(p.stat().st_size for p in BUNDLE_DIR.iterdir())
    print(
        f"bundle: {len(tables)} tables, {sum(t['rows'] for t in tables.values()):,} rows, "
        f"{size / 2**20:.1f} MiB on disk (limit 40 MB)"
    )
    for name, t in sorted(tables.items(), key=lambda kv: -kv[1]["bytes"])[:8]:
        print(f"  {name:<22} {t['rows']:>10,} rows  {t['bytes'] / 2**20:6.2f} MiB")
    print_row("load every table (eager)", measure(_load_all, repeat=5))


if __name__ == "__main__":
    main()
