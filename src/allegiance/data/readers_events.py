"""Readers of the event data: WEIS (Lai), COPDAB (Lebo & Moore), GDELT pair-months, ICEWS.

Each reader takes the raw directory and returns a polars frame; :mod:`allegiance.data.tables`
registers them (and applies the bundle's dtype rules and sort order). pandas and pyreadr are
imported inside the readers: only building the bundle needs them.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from allegiance.data.crosswalk import iso3_to_ccode, name_to_ccode

__all__ = [
    "COPDAB_SERIES",
    "copdab_months",
    "gdelt_country_years",
    "gdelt_pair_month",
    "icews_cow",
    "weis_events",
]

WEIS = "weis_lai/weis.fromlai.1966-93.dta"
COPDAB = "copdab_lebo_moore/exCopdab.rda"
GDELT_MONTHS = "gdelt_graph/gdelt_pair_month.csv.gz"
GDELT_COUNTRIES = "gdelt_graph/country_codes_clean.csv"
ICEWS = "icews_netify/icews.rda"

COPDAB_SERIES: dict[str, tuple[str, str]] = {
    "eg2is": ("Egypt", "Israel"),
    "is2eg": ("Israel", "Egypt"),
    "us2ussr": ("United States", "USSR"),
    "ussr2us": ("USSR", "United States"),
    "us2fra": ("United States", "France"),
    "fra2us": ("France", "United States"),
    "us2is": ("United States", "Israel"),
    "is2us": ("Israel", "United States"),
}
"""The eight directed series of ``exCopdab`` (actor, target), as sTSD's documentation names them
("dyadic foreign policy behavior of Egypt to Israel", ...; the U.S.S.R. is COW's Russia, 365)."""

_COPDAB_EVENTS = ("suez", "sixday", "yomk")


def weis_events(raw_dir: Path) -> pl.DataFrame:
    """WEIS events, one row per event, all ten columns of the Stata file.

    ``gscale`` is stored as float32 in the file; it is read at its shortest decimal form (1.9,
    not 1.899999976), the one-decimal Goldstein weight the file means. ``dyadid`` (float32,
    whole numbers) becomes an integer.
    """
    import pandas as pd

    frame = pd.read_stata(raw_dir / WEIS, convert_categoricals=False)
    frame["gscale"] = frame["gscale"].astype(str).astype(float)
    return pl.from_pandas(frame)


def copdab_months(raw_dir: Path) -> pl.DataFrame:
    """COPDAB as long directed dyad-months: ``ccode1, ccode2, year, month, copdab, series``.

    ``ym`` (YYMM, 4801 = January 1948) becomes ``year`` (1900 + YY) and ``month``; each of the
    eight series becomes the rows of its directed dyad, with the COW codes of its two states
    (crosswalk, by name and year). The three crisis dummies (``suez``, ``sixday``, ``yomk``)
    are kept on every row of their month. 372 months x 8 series = 2,976 rows.
    """
    import pyreadr

    wide = pl.from_pandas(next(iter(pyreadr.read_r(str(raw_dir / COPDAB)).values())))
    wide = wide.with_columns(
        (1900 + (pl.col("ym") // 100)).cast(pl.Int32).alias("year"),
        (pl.col("ym") % 100).cast(pl.Int32).alias("month"),
    )
    parts = []
    for series, (actor, target) in COPDAB_SERIES.items():
        parts.append(
            wide.select(
                pl.lit(series).alias("series"),
                pl.lit(actor).alias("actor"),
                pl.lit(target).alias("target"),
                "year",
                "month",
                pl.col(series).alias("copdab"),
                *_COPDAB_EVENTS,
            )
        )
    long = pl.concat(parts)
    long = name_to_ccode(long, raw_dir, name="actor", year="year", out="ccode1")
    long = name_to_ccode(long, raw_dir, name="target", year="year", out="ccode2")
    if long.select(pl.col("ccode1", "ccode2").null_count()).sum_horizontal().item():
        raise ValueError("a COPDAB state has no COW code in its years")
    return long.select(
        "ccode1", "ccode2", "year", "month", "copdab", "series", *_COPDAB_EVENTS
    ).with_columns(pl.col(*_COPDAB_EVENTS).cast(pl.Int8))


def gdelt_pair_month(raw_dir: Path) -> pl.DataFrame:
    """GDELT pair-months with COW codes: ``a, b, ccode_a, ccode_b, year, month, days, ...``.

    The derived CSV's ``month`` (YYYY-MM) becomes ``year`` and ``month``. Its ``mean`` column is
    left out: it is ``sum / days`` exactly, and dropping it keeps the bundle small. ``a < b`` are
    alpha-3 codes; ``ccode_a`` / ``ccode_b`` are their COW codes in the year (null for
    territories such as ``ABW`` or ``PSE``, which are not COW states).
    """
    frame = pl.read_csv(raw_dir / GDELT_MONTHS, infer_schema_length=None)
    frame = frame.with_columns(
        pl.col("month").str.slice(0, 4).cast(pl.Int32).alias("year"),
        pl.col("month").str.slice(5, 2).cast(pl.Int32).alias("month"),
    )
    frame = iso3_to_ccode(frame, raw_dir, iso3="a", year="year", out="ccode_a")
    frame = iso3_to_ccode(frame, raw_dir, iso3="b", year="year", out="ccode_b")
    return frame.select(
        "a", "b", "ccode_a", "ccode_b", "year", "month", "days", "sum", "min", "max",
        "negative_days", "zero_days",
    )  # fmt: skip


def gdelt_country_years(raw_dir: Path) -> pl.DataFrame:
    """The countries GDELT's matrices index, one row per alpha-3 code and year of the data.

    ``country_codes_clean.csv`` (tab-separated; text fields end in a space, stripped here)
    lists the 249 codes the daily networks are built over; every one is observed in every
    year of the pair-month file (a pair without events is simply absent from it). ``ccode``
    is the COW code in the year, null for territories.
    """
    codes = pl.read_csv(raw_dir / GDELT_COUNTRIES, separator="\t", infer_schema_length=None)
    codes = codes.select(
        pl.col("Alpha3_code").str.strip_chars().alias("alpha3"),
        pl.col("Country_name").str.strip_chars().alias("name"),
        pl.col("Sovereignty").str.strip_chars().alias("sovereignty"),
    ).filter(pl.col("alpha3").is_not_null())
    months = pl.read_csv(raw_dir / GDELT_MONTHS, columns=["month"])
    years = months.select(pl.col("month").str.slice(0, 4).cast(pl.Int32).unique().alias("year"))
    frame = codes.join(years, how="cross")
    return iso3_to_ccode(frame, raw_dir, iso3="alpha3", year="year")


def icews_cow(raw_dir: Path) -> pl.DataFrame:
    """ICEWS directed dyad-year counts with COW codes (``ccode1`` = source ``i``).

    The four event counts and the two ISO3 codes of netify's ``icews`` object, with the COW code
    of each ISO3 code in the year; one row per row of the object (152 x 151 x 13).
    """
    import pyreadr

    frame = pl.from_pandas(pyreadr.read_r(str(raw_dir / ICEWS))["icews"].reset_index(drop=True))
    frame = frame.select(
        "i_iso3c", "j_iso3c", pl.col("year").cast(pl.Int32),
        "verbCoop", "matlCoop", "verbConf", "matlConf",
    )  # fmt: skip
    frame = iso3_to_ccode(frame, raw_dir, iso3="i_iso3c", year="year", out="ccode1")
    frame = iso3_to_ccode(frame, raw_dir, iso3="j_iso3c", year="year", out="ccode2")
    return frame.select("ccode1", "ccode2", "year", pl.exclude("ccode1", "ccode2", "year"))
