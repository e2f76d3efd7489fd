"""Give COW codes to rows keyed by country name or ISO3 code, year by year, at build time.

Several raw files name countries instead of coding them (ISO3 in GDELT, ICEWS, kdiplo and
V-Dem; English names in the US travel lists, AidData and China Vitae). Their bundle tables keep
the upstream key and gain a ``ccode`` from the package's code crosswalk: the ``country_codes``
table, rebuilt here from the same raw files (:data:`SOURCES`) so that a build never depends on an
older bundle.

The rule is strict: a key gets the COW code of a state whose variant it is *and* that was a
system member in the row's year. Territories, non-members and years before independence get
null (the visit of a US president to Vatican City, V-Dem's colonial years). Years after the COW
list's last year (2016) count as inside the spells that reach that year, as peacesciencer's
``mry`` convention does. When two states still match (ISO3 ``DEU`` in 1990 is West Germany to
October and Germany after), the one whose spell starts later wins.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from allegiance.data.build_codes import SOURCES, country_codes_table, name_forms

__all__ = ["ISO3_ALIASES", "NAME_ALIASES", "SOURCES", "iso3_to_ccode", "name_to_ccode"]

# Lower rank wins; the same order as allegiance.data.codes uses for names.
_RANK = {
    "cow_name": 0, "cow_abb": 0, "iso3": 0, "iso2": 0, "gw_name": 1, "gw_abb": 1,
    "iso_name": 2, "un_name": 2, "troop_name": 2, "alias": 3,
}  # fmt: skip

ISO3_ALIASES: dict[str, str] = {
    "SRB": "Yugoslavia",
    "CZE": "Czechoslovakia",
}
"""ISO3 codes that also stand for a predecessor state, to that state's COW name.

From the V-Dem extract's MANIFEST section: "Yugoslavia is SRB ('Serbia'), Czechoslovakia is CZE
('Czechia')". COW keeps code 345 for Yugoslavia and Serbia, so ``SRB`` maps there in every year;
``CZE`` is Czechoslovakia while it is a member and the Czech Republic from 1993 (the strict year
rule picks between them)."""

NAME_ALIASES: dict[str, str] = {
    "China, People’s Republic of": "China",
    "Serbia-Montenegro (Kosovo)": "Yugoslavia",
    "Serbia and Montenegro": "Yugoslavia",
    "Serbia": "Yugoslavia",
    "England": "United Kingdom",
    "Wales": "United Kingdom",
    "Antigua": "Antigua & Barbuda",
    "Republic of the Congo": "Congo",
    "Bosnia": "Bosnia and Herzegovina",
    "Kirghizia": "Kyrgyzstan",
}
"""Spellings in the US travel lists and China Vitae that no crosswalk variant carries, to the COW
name (``cow_states.statenme``) of the state they name. COW 345 is Yugoslavia and, from 2006,
Serbia, so Serbia (1997, 2004-05) and Serbia and Montenegro (2003) are 345."""


@cache
def _codes(raw_dir: str) -> pl.DataFrame:
    """``variant, ccode, start_year, end_year, rank`` of the crosswalk (built once per build)."""
    table = country_codes_table(Path(raw_dir)).filter(pl.col("ccode").is_not_null())
    last = table["end_year"].max()
    return table.select(
        "variant",
        "variant_kind",
        "ccode",
        "name",
        "start_year",
        pl.when(pl.col("end_year") == last)
        .then(pl.lit(9999, dtype=pl.Int32))
        .otherwise(pl.col("end_year"))
        .alias("end_year"),
        pl.col("variant_kind").replace_strict(_RANK, return_dtype=pl.Int8).alias("rank"),
    )


def _best(keys: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    """``key, year, ccode``: per key-year the member state of lowest rank, latest start."""
    best = (
        keys.join(candidates, on="variant")
        .filter(pl.col("year").is_between("start_year", "end_year"))
        .filter(pl.col("rank") == pl.col("rank").min().over("key", "year"))
        .sort("key", "year", "start_year", "ccode", descending=[False, False, True, False])
        .group_by("key", "year", maintain_order=True)
        .agg(pl.col("ccode").first())
    )
    return keys.select("key", "year").unique().join(best, on=["key", "year"], how="left")


def _attach(
    frame: pl.DataFrame, key: str, year: str, found: pl.DataFrame, out: str
) -> pl.DataFrame:
    found = found.rename({"key": key, "year": year, "ccode": out}).with_columns(
        pl.col(year).cast(frame.schema[year])
    )
    return frame.join(found, on=[key, year], how="left", validate="m:1", maintain_order="left")


def iso3_to_ccode(
    frame: pl.DataFrame, raw_dir: Path, *, iso3: str, year: str, out: str = "ccode"
) -> pl.DataFrame:
    """Add the COW code of ISO3 column ``iso3`` in year column ``year`` as column ``out``.

    Only ISO3 variants of the crosswalk count (``AUS`` is Australia, never COW's abbreviation
    for Austria), plus :data:`ISO3_ALIASES`; rows keep their order.
    """
    codes = _codes(str(raw_dir))
    by_iso = codes.filter(pl.col("variant_kind") == "iso3")
    alias = pl.DataFrame(
        {"variant": [k.lower() for k in ISO3_ALIASES], "name": list(ISO3_ALIASES.values())}
    ).join(codes.filter(pl.col("variant_kind") == "cow_name").drop("variant"), on="name")
    candidates = pl.concat(
        [
            by_iso.select(
                "variant", "ccode", "start_year", "end_year", pl.lit(0, pl.Int8).alias("rank")
            ),
            alias.select(
                "variant", "ccode", "start_year", "end_year", pl.lit(1, pl.Int8).alias("rank")
            ),
        ]
    )
    keys = (
        frame.select(pl.col(iso3).alias("key"), pl.col(year).cast(pl.Int32).alias("year"))
        .drop_nulls()
        .unique()
    )
    keys = keys.with_columns(pl.col("key").str.strip_chars().str.to_lowercase().alias("variant"))
    return _attach(frame, iso3, year, _best(keys, candidates), out)


def name_to_ccode(
    frame: pl.DataFrame, raw_dir: Path, *, name: str, year: str, out: str = "ccode"
) -> pl.DataFrame:
    """Add the COW code of country-name column ``name`` in year column ``year`` as ``out``.

    A name is looked up in every form :func:`~allegiance.data.build_codes.name_forms` gives
    (``'Korea, South'`` is also ``'south korea'``; ``'United Kingdom (Wales)'`` also ``'united
    kingdom'``), after :data:`NAME_ALIASES`; rows keep their order.
    """
    codes = _codes(str(raw_dir))
    keys = (
        frame.select(pl.col(name).alias("key"), pl.col(year).cast(pl.Int32).alias("year"))
        .drop_nulls()
        .unique()
    )
    keys = keys.with_columns(
        pl.col("key")
        .map_elements(lambda s: name_forms(NAME_ALIASES.get(s, s)), return_dtype=pl.List(pl.String))
        .alias("variant")
    ).explode("variant")
    candidates = codes.select("variant", "ccode", "start_year", "end_year", "rank")
    return _attach(frame, name, year, _best(keys, candidates), out)
