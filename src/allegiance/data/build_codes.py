"""Build the ``country_codes`` bundle table: COW, G-W and ISO codes and name variants by year.

The table is long: one row per *unit interval* and *variant*. A unit interval is a maximal run
of years in which one COW code and one G-W code describe the same state (either may be null:
a COW state-year the crosswalk gives no G-W code for, or a G-W state-year with no COW code).
Every name or code string that identifies the state in those years is one row.

Columns
-------
ccode, gwcode : Int32, nullable
    COW and Gleditsch-Ward codes of the unit in ``start_year..end_year``.
iso3 : str, nullable
    ISO3 code of the COW state (see :func:`iso3_by_ccode` for the rule).
cow_abb, name : str, nullable
    COW abbreviation and COW name (``cow_states.stateabb`` / ``statenme``).
gw_abb, gw_name : str, nullable
    G-W abbreviation and name (latest spell's, from ``gw_states``; microstates from isard).
variant : str
    The name or code in the normalised form of :func:`allegiance.data.codes.normalise_name`.
variant_kind : str
    One of :data:`VARIANT_KINDS`.
start_year, end_year : Int32
    Years of the unit interval (inclusive). A COW state with two spells (Germany 1816-1945,
    1990-2016) has several rows; the years come from the spells (``styear``/``endyear``
    of ``cow_states``, the start and end dates of ``gw_states``), never from the data sets.

Sources (all under the raw directory): :data:`SOURCES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from allegiance.data.codes import normalise_name
from allegiance.errors import BuildError

__all__ = [
    "ALIASES",
    "COLUMNS",
    "SOURCES",
    "VARIANT_KINDS",
    "country_codes_table",
    "iso3_by_ccode",
    "name_forms",
]

SOURCES: tuple[str, ...] = (
    "peacesciencer/cow_states.rda",
    "peacesciencer/gw_states.rda",
    "isard/gw_system.rda",
    "isard/cw_gw_panel.rda",
    "stevedata/country_isocodes.rda",
    "unga_idealpoints/IdealpointestimatesAll_Jun2024.csv",
    "unvotes/un_votes.rda",
    "troopdata/troopdata_legacy_v0.rda",
)
"""Raw files the table is built from, relative to the raw directory."""

VARIANT_KINDS: tuple[str, ...] = (
    "cow_name", "cow_abb", "gw_name", "gw_abb", "iso3", "iso2", "iso_name", "un_name",
    "troop_name", "alias",
)  # fmt: skip
"""Kinds of variant, from the most to the least authoritative."""

ALIASES: dict[str, str] = {
    "DPRK": "North Korea",
    "America": "United States of America",
    "U.S.A.": "United States of America",
    "USSR": "Russia",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "UK": "United Kingdom",
    "West Germany": "German Federal Republic",
    "FRG": "German Federal Republic",
    "Federal Republic of Germany": "German Federal Republic",
    "East Germany": "German Democratic Republic",
    "North Vietnam": "Vietnam",
    "South Vietnam": "Republic of Vietnam",
    "North Yemen": "Yemen Arab Republic",
    "South Yemen": "Yemen People's Republic",
    "PRC": "China",
    "Republic of China": "Taiwan",
    "Holland": "Netherlands",
}
"""Hand-kept name aliases; each target is a COW state name (``cow_states.statenme``)."""

COLUMNS: tuple[str, ...] = (
    "ccode", "gwcode", "iso3", "cow_abb", "name", "gw_abb", "gw_name",
    "variant", "variant_kind", "start_year", "end_year",
)  # fmt: skip
"""Columns of the table, in order."""

_UNIT = ("ccode", "gwcode")


# --------------------------------------------------------------------------- raw readers


def _read_rda(raw_dir: Path, rel: str) -> Any:
    import pyreadr

    path = raw_dir / rel
    if not path.exists():
        raise BuildError(f"country_codes_table() needs {rel} under {raw_dir}; it is missing.")
    try:
        return next(iter(pyreadr.read_r(str(path)).values()))
    except Exception as exc:  # pyreadr raises several unrelated types
        raise BuildError(f"Cannot read {path}: {exc}") from exc


def _year_rows(frame: pl.DataFrame, code: str, start: str, end: str) -> pl.DataFrame:
    """Expand spells ``(code, start, end)`` into unique ``(code, year)`` rows."""
    return (
        frame.select(
            pl.col(code).cast(pl.Int32),
            pl.int_ranges(pl.col(start), pl.col(end) + 1, dtype=pl.Int32).alias("year"),
        )
        .explode("year")
        .unique()
    )


def _cow_states(raw_dir: Path) -> pl.DataFrame:
    frame = pl.from_pandas(_read_rda(raw_dir, "peacesciencer/cow_states.rda"))
    return frame.select(
        pl.col("ccode").cast(pl.Int32),
        pl.col("stateabb").alias("cow_abb"),
        pl.col("statenme").alias("name"),
        pl.col("styear").cast(pl.Int32).alias("start"),
        pl.col("endyear").cast(pl.Int32).alias("end"),
    )


def _gw_states(raw_dir: Path) -> pl.DataFrame:
    """peacesciencer ``gw_states`` plus the isard microstates it leaves out."""
    main = pl.from_pandas(_read_rda(raw_dir, "peacesciencer/gw_states.rda")).select(
        pl.col("gwcode").cast(pl.Int32),
        pl.col("stateabb").alias("gw_abb"),
        pl.col("statename").alias("gw_name"),
        pl.col("startdate").cast(pl.Date).dt.year().cast(pl.Int32).alias("start"),
        pl.col("enddate").cast(pl.Date).dt.year().cast(pl.Int32).alias("end"),
        pl.lit("gw_states").alias("source"),
    )
    isard = pl.from_pandas(_read_rda(raw_dir, "isard/gw_system.rda")).select(
        pl.col("gwcode").cast(pl.Int32),
        pl.col("gw_abb"),
        pl.col("gw_name"),
        pl.col("start").cast(pl.Date).dt.year().cast(pl.Int32).alias("start"),
        pl.col("end").cast(pl.Date).dt.year().cast(pl.Int32).alias("end"),
        pl.lit("gw_system").alias("source"),
    )
    return pl.concat([main, isard])


def _crosswalk(raw_dir: Path) -> pl.DataFrame:
    frame = pl.from_pandas(_read_rda(raw_dir, "isard/cw_gw_panel.rda"))
    return frame.select(
        pl.col("ccode").cast(pl.Int32),
        pl.col("gwcode").cast(pl.Int32),
        pl.col("year").cast(pl.Int32),
    ).drop_nulls()


def _unga(raw_dir: Path) -> pl.DataFrame:
    path = raw_dir / "unga_idealpoints/IdealpointestimatesAll_Jun2024.csv"
    if not path.exists():
        raise BuildError(f"country_codes_table() needs {path}; it is missing.")
    frame = pl.read_csv(path, columns=["ccode", "session", "iso3c", "Countryname"])
    return frame.select(
        pl.col("ccode").cast(pl.Int32),
        (pl.col("session") + 1945).cast(pl.Int32).alias("year"),
        pl.col("iso3c").alias("iso3"),
        pl.col("Countryname").alias("un_name"),
    )


# --------------------------------------------------------------------------- units


def _units(cow: pl.DataFrame, gw: pl.DataFrame, cross: pl.DataFrame) -> pl.DataFrame:
    """Maximal year runs of one ``(ccode, gwcode)`` pair, from COW and G-W state-years."""
    cow_sy = _year_rows(cow, "ccode", "start", "end")
    main_gw = gw.filter(pl.col("source") == "gw_states")
    extra_gw = gw.filter(~pl.col("gwcode").is_in(main_gw["gwcode"].implode()))
    gw_sy = _year_rows(pl.concat([main_gw, extra_gw]), "gwcode", "start", "end")
    paired = (
        cow_sy.join(cross, on=["ccode", "year"], how="left", validate="1:1")
        .join(gw_sy.with_columns(pl.lit(True).alias("_gw")), on=["gwcode", "year"], how="left")
        .with_columns(pl.when(pl.col("_gw")).then(pl.col("gwcode")).alias("gwcode"))
        .drop("_gw")
    )
    gw_only = gw_sy.join(paired.drop_nulls("gwcode"), on=["gwcode", "year"], how="anti")
    gw_only = gw_only.select(pl.lit(None, pl.Int32).alias("ccode"), "gwcode", "year")
    years = pl.concat([paired.select("ccode", "gwcode", "year"), gw_only])
    return (
        years.sort([*_UNIT, "year"], nulls_last=True)
        .with_columns((pl.col("year") - pl.int_range(pl.len()).over(_UNIT)).alias("_run"))
        .group_by([*_UNIT, "_run"])
        .agg(pl.col("year").min().alias("start_year"), pl.col("year").max().alias("end_year"))
        .drop("_run")
        .with_columns(pl.col("start_year", "end_year").cast(pl.Int32))
    )


# --------------------------------------------------------------------------- ISO codes


def iso3_by_ccode(unga: pl.DataFrame, troops: pl.DataFrame, cow: pl.DataFrame) -> pl.DataFrame:
    """One ISO3 code per COW code: the UN voting data's, else troopdata's.

    The UN General Assembly ideal points (``ccode``, ``iso3c`` per session) come first; COW
    codes absent there take the troopdata legacy file's ``iso3c``. When the UN data give one
    ISO3 code to two COW codes in overlapping session years (``YAR`` for both 678 and 680),
    only the COW code whose abbreviation equals it keeps it. Codes that follow one another
    (``DEU`` for 260 to 1990 and 255 from 1991) are all kept: ``resolve`` needs a year for them.
    """
    spans = (
        unga.drop_nulls("iso3")
        .group_by("ccode", "iso3")
        .agg(pl.col("year").min().alias("first"), pl.col("year").max().alias("last"))
    )
    clash = spans.join(spans, on="iso3", suffix="_o").filter(
        (pl.col("ccode") != pl.col("ccode_o"))
        & (pl.col("first") <= pl.col("last_o"))
        & (pl.col("first_o") <= pl.col("last"))
    )
    abb = cow.select("ccode", "cow_abb").unique()
    losers = clash.join(abb, on="ccode").filter(pl.col("cow_abb") != pl.col("iso3"))
    kept = spans.join(losers.select("ccode", "iso3"), on=["ccode", "iso3"], how="anti")
    kept = kept.sort("last").group_by("ccode").agg(pl.col("iso3").last())
    extra = (
        troops.drop_nulls("iso3")
        .filter(pl.col("ccode").is_in(cow["ccode"].implode()))
        .join(unga.select("ccode").unique(), on="ccode", how="anti")
        .group_by("ccode")
        .agg(pl.col("iso3").mode().first())
    )
    return pl.concat([kept, extra]).sort("ccode")


# --------------------------------------------------------------------------- variants


_PAREN = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


def name_forms(name: str) -> list[str]:
    """A name, normalised, plus the forms its punctuation implies.

    ``'Yemen (Arab Republic of Yemen)'`` also gives ``'yemen'`` and ``'arab republic of
    yemen'``; ``'Korea, Republic of'`` gives ``'republic of korea'``; ``'Italy/Sardinia'``
    gives ``'italy'`` and ``'sardinia'``.

    >>> name_forms("Korea, Republic of"), name_forms("Italy/Sardinia")
    (['korea republic of', 'republic of korea'], ['italy sardinia', 'italy', 'sardinia'])
    """
    forms = [name]
    match = _PAREN.match(name)
    if match:
        forms += [match.group(1), match.group(2)]
    forms += [part for form in list(forms) if "/" in form for part in form.split("/")]
    forms += [f"{b} {a}" for form in list(forms) if form.count(",") == 1
              for a, b in [form.split(",")]]  # fmt: skip
    return list(dict.fromkeys(n for n in map(normalise_name, forms) if n))


def _variants(frame: pl.DataFrame, key: str, value: str, kind: str) -> pl.DataFrame:
    expand = kind not in {"cow_name", "cow_abb", "gw_abb", "iso3", "iso2"}
    return (
        frame.select(
            pl.col(key).cast(pl.Int32),
            pl.col(value)
            .map_elements(
                name_forms if expand else lambda v: [normalise_name(v)],
                return_dtype=pl.List(pl.String),
            )
            .alias("variant"),
            pl.lit(kind).alias("variant_kind"),
        )
        .explode("variant")
        .drop_nulls()
    )


def _un_votes_names(raw_dir: Path, unga: pl.DataFrame, iso: pl.DataFrame) -> pl.DataFrame:
    """Names and ISO2 codes in ``un_votes`` linked to COW codes by name, else by ISO2."""
    votes = pl.from_pandas(_read_rda(raw_dir, "unvotes/un_votes.rda")[["country", "country_code"]])
    votes = votes.unique().rename({"country": "un_name", "country_code": "iso2"})
    by_name = votes.join(unga.select("ccode", "un_name").unique(), on="un_name", how="inner")
    by_iso = (
        votes.join(by_name.select("un_name"), on="un_name", how="anti")
        .join(iso, on="iso2", how="inner")
        .select("ccode", "un_name", "iso2")
    )
    return pl.concat([by_name.select("ccode", "un_name", "iso2"), by_iso])


def _ccode_variants(raw_dir: Path, cow: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Variants keyed by COW code, and the ISO3 code of every COW code."""
    unga = _unga(raw_dir)
    troops = pl.from_pandas(
        _read_rda(raw_dir, "troopdata/troopdata_legacy_v0.rda")[["ccode", "iso3c", "countryname"]]
    ).select(pl.col("ccode").cast(pl.Int32), pl.col("iso3c").alias("iso3"), "countryname")
    iso3 = iso3_by_ccode(unga, troops, cow)
    isocodes = pl.from_pandas(_read_rda(raw_dir, "stevedata/country_isocodes.rda")).select(
        pl.col("iso2c").alias("iso2"), pl.col("iso3c").alias("iso3"), "name"
    )
    iso = iso3.join(isocodes, on="iso3", how="inner")
    votes = _un_votes_names(raw_dir, unga, iso.select("ccode", "iso2"))
    in_cow = troops.filter(pl.col("ccode").is_in(cow["ccode"].implode()))
    frames = [
        _variants(cow, "ccode", "name", "cow_name"),
        _variants(cow, "ccode", "cow_abb", "cow_abb"),
        _variants(iso3, "ccode", "iso3", "iso3"),
        _variants(iso, "ccode", "iso2", "iso2"),
        _variants(votes, "ccode", "iso2", "iso2"),
        _variants(iso, "ccode", "name", "iso_name"),
        _variants(unga, "ccode", "un_name", "un_name"),
        _variants(votes, "ccode", "un_name", "un_name"),
        _variants(in_cow, "ccode", "countryname", "troop_name"),
        _aliases(cow),
    ]
    return pl.concat(frames).unique(), iso3


def _aliases(cow: pl.DataFrame) -> pl.DataFrame:
    names = dict(zip(cow["name"], cow["ccode"], strict=True))
    missing = sorted(set(ALIASES.values()) - set(names))
    if missing:
        raise BuildError(f"ALIASES point to names not in cow_states: {', '.join(missing)}.")
    return pl.DataFrame(
        {
            "ccode": [names[target] for target in ALIASES.values()],
            "variant": [normalise_name(alias) for alias in ALIASES],
            "variant_kind": ["alias"] * len(ALIASES),
        },
        schema={"ccode": pl.Int32, "variant": pl.String, "variant_kind": pl.String},
    )


def _latest(frame: pl.DataFrame, key: str, columns: Iterable[str]) -> pl.DataFrame:
    """The ``columns`` of each ``key``'s latest spell (peacesciencer rows before isard ones)."""
    return (
        frame.with_columns((pl.col("source") != "gw_states").alias("_isard"))
        .sort(key, "_isard", "start", descending=[False, True, False])
        .group_by(key)
        .agg(pl.col(c).last() for c in columns)
    )


# --------------------------------------------------------------------------- the table


def country_codes_table(raw_dir: Path) -> pl.DataFrame:
    """Build the ``country_codes`` table from the raw upstream files.

    Parameters
    ----------
    raw_dir : Path
        Folder holding the raw files of :data:`SOURCES` (``shared/data/raw``).

    Returns
    -------
    polars.DataFrame
        The long table described in this module's docstring, sorted by ``ccode``, ``gwcode``,
        ``start_year``, ``variant_kind``, ``variant``.

    Raises
    ------
    BuildError
        A raw file is missing or unreadable, or an alias points to an unknown COW name.
    """
    raw_dir = Path(raw_dir)
    cow = _cow_states(raw_dir)
    gw = _gw_states(raw_dir)
    units = _units(cow, gw, _crosswalk(raw_dir))
    by_ccode, iso3 = _ccode_variants(raw_dir, cow)
    by_gwcode = pl.concat(
        [_variants(gw, "gwcode", "gw_name", "gw_name"), _variants(gw, "gwcode", "gw_abb", "gw_abb")]
    ).unique()
    cow_info = cow.select("ccode", "cow_abb", "name").unique().join(iso3, on="ccode", how="left")
    gw_info = _latest(gw, "gwcode", ("gw_abb", "gw_name"))
    rows = pl.concat(
        [units.join(by_ccode, on="ccode", how="inner"), units.join(by_gwcode, on="gwcode")]
    ).unique()
    return (
        rows.join(cow_info, on="ccode", how="left")
        .join(gw_info, on="gwcode", how="left")
        .select(COLUMNS)
        .sort("ccode", "gwcode", "start_year", "variant_kind", "variant", nulls_last=True)
    )
