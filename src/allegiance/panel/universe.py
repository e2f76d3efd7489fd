"""Universes of cases: state-years and dyad-years of the COW or Gleditsch-Ward state system."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from allegiance.data.coverage import membership_spells, mry_year, resolve_states, system_years
from allegiance.errors import ParameterError
from allegiance.panel.base import Panel, System

__all__ = ["dyad_years", "mry_year", "resolve_states", "state_years", "system_years"]


def _check_system(system: str, func: str) -> None:
    if system not in ("cow", "gw"):
        raise ParameterError(
            f"The 'system' parameter of {func}() must be one of {{'cow', 'gw'}}. "
            f"Got {system!r} instead."
        )


def _member_years(system: System, mry: bool, lo: int, hi: int) -> pl.LazyFrame:
    """``code, year, first, last``: each year of each spell with its first and last member day."""
    year = pl.col("year")
    return (
        membership_spells(system, mry=mry)
        .with_columns(
            pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1).alias("year")
        )
        .explode("year")
        .filter(year.is_between(lo, hi))
        .select(
            "code",
            year.cast(pl.Int16),
            pl.max_horizontal("start", pl.date(year, 1, 1)).alias("first"),
            pl.min_horizontal("end", pl.date(year, 12, 31)).alias("last"),
        )
    )


def _year_bounds(
    years: Iterable[int] | None, system: System, mry: bool, func: str
) -> tuple[int, int]:
    first, last = system_years(system, mry=mry)
    if years is None:
        return first, last
    ys = sorted(set(years))
    if not ys:
        raise ParameterError(f"The 'years' parameter of {func}() is empty.")
    if ys[0] < first or ys[-1] > last:
        raise ParameterError(
            f"The 'years' parameter of {func}() must lie within {first}-{last} for the "
            f"{system.upper()} system. Got {ys[0]}-{ys[-1]} instead."
        )
    return ys[0], ys[-1]


def state_years(
    system: System = "cow",
    years: Iterable[int] | None = None,
    states: Sequence[int | str] | None = None,
    *,
    mry: bool = True,
) -> Panel:
    """State-years of the COW or Gleditsch-Ward state system.

    A state is in the panel in every calendar year in which it was a system member for at
    least one day, as in peacesciencer's ``create_stateyears()``. With ``mry=True`` (the
    default, as in peacesciencer) states alive at the end of the membership data are assumed
    alive through :func:`mry_year`; ``mry=False`` stops at the data's last year.

    Parameters
    ----------
    system : {"cow", "gw"}
        Correlates of War (``ccode``) or Gleditsch-Ward (``gwcode``) membership.
    years : iterable of int, optional
        Keep only these years (the span between the smallest and largest is used).
    states : sequence of int or str, optional
        Keep only these states (codes of the chosen system, or names).
    mry : bool, default True
        Extend the panel to the most recent year of peacesciencer's universe.

    Returns
    -------
    Panel
        ``ccode, year`` (or ``gwcode, year``), one row a state-year, sorted.

    Source
    ------
    COW State System Membership (v2016); Gleditsch & Ward (1999) list of independent states,
    with microstates, as distributed by isard.
    """
    _check_system(system, "state_years")
    lo, hi = _year_bounds(years, system, mry, "state_years")
    code = "ccode" if system == "cow" else "gwcode"
    frame = (
        _member_years(system, mry, lo, hi)
        .select(pl.col("code").alias(code), "year")
        .unique()
        .sort([code, "year"])
    )
    if states is not None:
        frame = frame.filter(pl.col(code).is_in(resolve_states(states, system, (lo, hi))))
    table = "cow_states" if system == "cow" else "gw_system"
    return Panel(frame=frame, unit="state_year", system=system, sources=(table,))


def dyad_years(
    system: System = "cow",
    years: Iterable[int] | None = None,
    *,
    directed: bool = True,
    states: Sequence[int | str] | None = None,
    mry: bool = True,
) -> Panel:
    """Dyad-years of the COW or Gleditsch-Ward state system.

    Every ordered pair (directed) or unordered pair (undirected, ``ccode1 < ccode2``) of
    states that were system members on at least one common day of the year, as in peacesciencer's
    ``create_dyadyears()`` (see :func:`state_years` for ``mry``).

    Parameters
    ----------
    system : {"cow", "gw"}
        The state system.
    years : iterable of int, optional
        Keep only these years.
    directed : bool, default True
        Directed dyad-years (A, B) and (B, A), or undirected with ``ccode1 < ccode2``.
    states : sequence of int or str, optional
        Keep only dyads whose two members are both among these states.

    Returns
    -------
    Panel
        ``ccode1, ccode2, year`` (``gwcode1, gwcode2, year`` for G-W).
    """
    _check_system(system, "dyad_years")
    lo, hi = _year_bounds(years, system, mry, "dyad_years")
    members = _member_years(system, mry, lo, hi)
    if states is not None:
        chosen = set(resolve_states(states, system, (lo, hi)))
        if len(chosen) < 2:
            raise ParameterError(
                f"dyad_years() needs at least two different states; got {sorted(chosen)}."
            )
        members = members.filter(pl.col("code").is_in(chosen))
    code = "ccode" if system == "cow" else "gwcode"
    c1, c2 = f"{code}1", f"{code}2"
    pairs = members.join(members, on="year", how="inner", suffix="_b")
    overlap = pl.max_horizontal("first", "first_b") <= pl.min_horizontal("last", "last_b")
    order = pl.col("code") != pl.col("code_b") if directed else pl.col("code") < pl.col("code_b")
    frame = pairs.filter(order & overlap).select(
        pl.col("code").alias(c1), pl.col("code_b").alias(c2), "year"
    )
    if _has_split_years(members):  # a state with two spells in one year gives a pair twice
        frame = frame.unique()
    frame = frame.sort(_sort_key(c1, c2))
    table = "cow_states" if system == "cow" else "gw_system"
    return Panel(frame=frame, unit="dyad_year", system=system, directed=directed, sources=(table,))


def _has_split_years(members: pl.LazyFrame) -> bool:
    """Whether any state has two membership spells in one year (a small eager check)."""
    counts = members.group_by("code", "year").len().select(pl.col("len").max()).collect()
    return bool(counts.item() and counts.item() > 1)


def _sort_key(c1: str, c2: str) -> pl.Expr:
    """One Int64 that orders rows as (c1, c2, year): much faster than a three-column sort."""
    return (
        pl.col(c1).cast(pl.Int64) * 10_000_000
        + pl.col(c2).cast(pl.Int64) * 10_000
        + pl.col("year").cast(pl.Int64)
    )
