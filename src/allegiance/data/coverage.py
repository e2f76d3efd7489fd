"""What the bundle covers: the years each table observes and the states of each system.

One coverage source for the whole package, read from the built bundle (its provenance, or a
small scan of the table) and never from literals in code: panels, measures and the parameter
vocabulary (:mod:`allegiance.params`) all ask here.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from allegiance.data import bundle
from allegiance.data.codes import System
from allegiance.errors import UnknownCodeError

__all__ = ["membership_spells", "mry_year", "resolve_states", "system_years", "table_years"]


def table_years(table: str, first: str = "year", last: str | None = None) -> tuple[int, int]:
    """First and last year a bundle table observes: min of ``first``, max of ``last``.

    Uses the bundle's provenance for a table's year column; otherwise a small eager scan of the
    named (year or date) columns.

    >>> table_years("cow_nmc")[0]
    1816
    """
    last = last or first
    recorded = bundle.provenance()["tables"].get(table, {}).get("years")
    if first == last == "year" and recorded:
        return int(recorded[0]), int(recorded[1])
    frame = bundle.scan(table)
    schema = frame.collect_schema()

    def year_of(col: str) -> pl.Expr:
        return pl.col(col).dt.year() if schema[col] == pl.Date else pl.col(col)

    row = frame.select(year_of(first).min(), year_of(last).max().alias("_hi")).collect().row(0)
    return int(row[0]), int(row[1])


def mry_year(system: System = "cow") -> int:
    """The most recent year of peacesciencer's shipped dyad-year universe for ``system``.

    peacesciencer extends states alive at the end of the membership data to "the most recently
    concluded calendar year" (``mry = TRUE``). We take that year from the data (the last year of
    its ``cow_ddy`` / ``gw_ddy`` tables), never from today's date.
    """
    return table_years("cow_ddy" if system == "cow" else "gw_ddy")[1]


def membership_spells(system: System = "cow", *, mry: bool = False) -> pl.LazyFrame:
    """Membership spells of the state system as ``code, start, end`` (dates).

    With ``mry`` the spells alive at the end of the membership data run to the end of
    :func:`mry_year`, as peacesciencer's universes do.
    """
    if system == "cow":
        spells = bundle.scan("cow_states").select(
            pl.col("ccode").cast(pl.Int32).alias("code"),
            pl.date("styear", "stmonth", "stday").alias("start"),
            pl.date("endyear", "endmonth", "endday").alias("end"),
        )
    else:  # isard's G-W list includes the microstates, as peacesciencer's G-W universe does.
        spells = bundle.scan("gw_system").select(
            pl.col("gwcode").cast(pl.Int32).alias("code"), "start", "end"
        )
    if mry:
        last = pl.col("end").dt.year() == pl.col("end").dt.year().max()
        through = pl.date(mry_year(system), 12, 31)
        spells = spells.with_columns(pl.when(last).then(through).otherwise("end").alias("end"))
    return spells


def system_years(system: System = "cow", *, mry: bool = True) -> tuple[int, int]:
    """First and last year of the state system (to :func:`mry_year` when ``mry``).

    >>> system_years("cow")[0]
    1816
    """
    spells = membership_spells(system, mry=mry).collect()
    return int(spells["start"].dt.year().min()), int(spells["end"].dt.year().max())  # type: ignore[arg-type]


def resolve_states(
    states: Sequence[int | str], system: System, span: tuple[int, int] | None = None
) -> list[int]:
    """Codes of the chosen system for a list of codes or names; unknown codes raise.

    Names are resolved in the last year of ``span``; a name whose state was not a member in
    any year of ``span`` raises (so "Korea" in 2000 is not the Korea of 1887-1905).
    """
    from allegiance.data import codes

    spells = membership_spells(system).collect()
    known = set(spells["code"].to_list())
    resolver = codes.to_ccode if system == "cow" else codes.to_gwcode
    out = []
    for s in states:
        text = str(s).strip()
        code = int(text) if text.isdigit() else resolver(text, span[1] if span else None)
        if span is not None and not text.isdigit():
            _check_member(text, code, spells, span, system)
        if code not in known:
            raise UnknownCodeError(
                f"{code} is not a state of the {system.upper()} system. Look codes up with "
                f"`allegiance codes NAME`."
            )
        out.append(code)
    return out


def _check_member(
    text: str, code: int, spells: pl.DataFrame, span: tuple[int, int], system: System
) -> None:
    """Raise when the state a name resolved to was not a member in any year of ``span``."""
    from allegiance.data import codes

    mine = spells.filter(pl.col("code") == code)
    lo, hi = span
    inside = (pl.col("start").dt.year() <= hi) & (pl.col("end").dt.year() >= lo)
    if mine.height and mine.filter(inside).height == 0:
        country = codes.resolve(code, system=system)
        similar = [s for s in codes.codebook().similar(text, system) if f"({code})" not in s]
        hint = f" Did you mean {' or '.join(similar)}?" if similar else ""
        raise UnknownCodeError(
            f"{text!r} is {country.name} ({code}), a member in {country.years} but not in "
            f"{lo}-{hi}.{hint}"
        )
