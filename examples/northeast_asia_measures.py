"""Every alignment measure for Japan-ROK, Japan-China and ROK-China, 1965-2018.

Run: python examples/northeast_asia_measures.py [--every 5]
Prints one table per measure (rows: years; columns: dyads), and US commitment to the three
states. Null ("-") where a source does not cover the year.
"""

from __future__ import annotations

import argparse

import polars as pl

from allegiance.measures import compute

DYADS = [(740, 732), (740, 710), (732, 710)]
LABELS = {(740, 732): "JPN-ROK", (740, 710): "JPN-CHN", (732, 710): "ROK-CHN"}
DYADIC = ["sscore", "pi", "kappa", "taub", "un_agreement", "un_kappa", "idealpoint_distance",
          "common_rivals", "common_opponents", "third_party_threat", "animosity",
          "religion_similarity", "common_language", "capability_ratio"]  # fmt: skip


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--every", type=int, default=5, help="show every N-th year (and 2018)")
    args = parser.parse_args()
    years = range(1965, 2019)
    shown = sorted({*range(1965, 2019, args.every), 2018})
    for name in DYADIC:
        frame = compute(name, years, dyads=DYADS)
        wide = (
            frame.filter(pl.col("year").is_in(shown))
            .with_columns(
                pl.struct("ccode1", "ccode2")
                .map_elements(lambda s: LABELS[(s["ccode1"], s["ccode2"])], return_dtype=pl.String)
                .alias("dyad")
            )
            .pivot(on="dyad", index="year", values=name)
            .sort("year")
        )
        print(f"\n{name}")
        print("year  " + "  ".join(f"{c:>8}" for c in wide.columns[1:]))
        for row in wide.iter_rows():
            print(f"{row[0]}  " + "  ".join(f"{_fmt(v):>8}" for v in row[1:]))
    commitment = compute("us_commitment", years, states=[740, 732, 710])
    wide = commitment.filter(pl.col("year").is_in(shown)).pivot(
        on="ccode", index="year", values="us_commitment"
    )
    print("\nus_commitment (US to JPN 740, ROK 732, CHN 710)")
    print("year  " + "  ".join(f"{c:>8}" for c in wide.columns[1:]))
    for row in wide.sort("year").iter_rows():
        print(f"{row[0]}  " + "  ".join(f"{_fmt(v):>8}" for v in row[1:]))


if __name__ == "__main__":
    main()
