"""Dyad-months: the universe for sources dated finer than a year (WEIS, COPDAB, GDELT)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from allegiance.data import bundle
from allegiance.errors import ParameterError
from allegiance.panel.base import Panel, System
from allegiance.panel.universe import mry_year, resolve_states, system_years

__all__ = ["dyad_months", "join_month_attrs"]


def _spells(system: System, mry: bool) -> pl.LazyFrame:
    """Membership spells as ``code, start, end`` (dates), as the dyad-year universe reads them.

    COW: ``cow_states``; G-W: isard's ``gw_system`` (with microstates). With ``mry`` the spells
    alive at the end of the membership data run to the end of :func:`mry_year`.
    """
    if system == "cow":
        spells = bundle.scan("cow_states").select(
            pl.col("ccode").cast(pl.Int32).alias("code"),
            pl.date("styear", "stmonth", "stday").alias("start"),
            pl.date("endyear", "endmonth", "endday").alias("end"),
        )
    else:
        spells = bundle.scan("gw_system").select(
            pl.col("gwcode").cast(pl.Int32).alias("code"), "start", "end"
        )
    if mry:
        last = pl.col("end").dt.year() == pl.col("end").dt.year().max()
        through = pl.date(mry_year(system), 12, 31)
        spells = spells.with_columns(pl.when(last).then(through).otherwise("end").alias("end"))
    return spells


def _bounds(years: Iterable[int] | None, system: System, mry: bool) -> tuple[int, int]:
    if system not in ("cow", "gw"):
        raise ParameterError(
            "The 'system' parameter of dyad_months() must be one of {'cow', 'gw'}. "
            f"Got {system!r} instead."
        )
    first, last = system_years(system, mry=mry)
    if years is None:
        return first, last
    ys = sorted(set(years))
    if not ys:
        raise ParameterError("The 'years' parameter of dyad_months() is empty.")
    if ys[0] < first or ys[-1] > last:
        raise ParameterError(
            f"The 'years' parameter of dyad_months() must lie within {first}-{last} for the "
            f"{system.upper()} system. Got {ys[0]}-{ys[-1]} instead."
        )
    return ys[0], ys[-1]


def _member_months(system: System, mry: bool, lo: int, hi: int) -> pl.LazyFrame:
    """``code, year, month, first, last``: each month of each spell, its first and last day."""
    start = pl.col("start")
    end = pl.col("end")
    index = pl.col("_m")
    return (
        _spells(system, mry)
        .filter((start.dt.year() <= hi) & (end.dt.year() >= lo))
        .with_columns(
            pl.max_horizontal(start, pl.date(lo, 1, 1)).alias("start"),
            pl.min_horizontal(end, pl.date(hi, 12, 31)).alias("end"),
        )
        .with_columns(
            pl.int_ranges(
                start.dt.year() * 12 + start.dt.month() - 1,
                end.dt.year() * 12 + end.dt.month(),
            ).alias("_m")
        )
        .explode("_m")
        .with_columns(
            (index // 12).cast(pl.Int16).alias("year"),
            (index % 12 + 1).cast(pl.Int8).alias("month"),
        )
        .select(
            "code",
            "year",
            "month",
            pl.max_horizontal(start, pl.date("year", "month", 1)).alias("first"),
            pl.min_horizontal(end, pl.date("year", "month", 1).dt.month_end()).alias("last"),
        )
    )


def dyad_months(
    system: System = "cow",
    years: Iterable[int] | None = None,
    *,
    directed: bool = True,
    states: Sequence[int | str] | None = None,
    mry: bool = True,
) -> Panel:
    """Dyad-months of the COW or Gleditsch-Ward state system.

    Every ordered pair (directed) or unordered pair (undirected, ``ccode1 < ccode2``) of states
    that were system members on at least one common day of the month: the month analogue of
    :func:`~allegiance.panel.universe.dyad_years`, with the same membership spells and the same
    ``mry`` rule. Event sources dated to the day or month (WEIS, COPDAB, GDELT) join on it,
    because crises happen in months, not years.

    Parameters
    ----------
    system : {"cow", "gw"}
        The state system.
    years : iterable of int, optional
        Keep only these years (the span between the smallest and largest; all twelve months).
    directed : bool, default True
        Directed dyad-months (A, B) and (B, A), or undirected with ``ccode1 < ccode2``.
    states : sequence of int or str, optional
        Keep only dyads whose two members are both among these states (codes or names).
    mry : bool, default True
        States alive at the end of the membership data are alive through the last year of
        peacesciencer's dyad-year universe (see :func:`~allegiance.panel.universe.state_years`).

    Returns
    -------
    Panel
        Unit ``"dyad_month"``: ``ccode1, ccode2, year, month`` (``gwcode1, gwcode2, ...`` for
        G-W), ``year`` Int16 and ``month`` Int8 (1-12), sorted by dyad, year and month.

    Raises
    ------
    ParameterError
        Unknown system, years outside the system's, or fewer than two states.

    Examples
    --------
    >>> p = dyad_months(years=[1965], states=[732, 740], directed=False)
    >>> p.unit, p.keys, p.collect().height
    ('dyad_month', ['ccode1', 'ccode2', 'year', 'month'], 12)
    """
    lo, hi = _bounds(years, system, mry)
    members = _member_months(system, mry, lo, hi)
    if states is not None:
        chosen = set(resolve_states(states, system, (lo, hi)))
        if len(chosen) < 2:
            raise ParameterError(
                f"dyad_months() needs at least two different states; got {sorted(chosen)}."
            )
        members = members.filter(pl.col("code").is_in(chosen))
    code = "ccode" if system == "cow" else "gwcode"
    c1, c2 = f"{code}1", f"{code}2"
    pairs = members.join(members, on=["year", "month"], how="inner", suffix="_b")
    overlap = pl.max_horizontal("first", "first_b") <= pl.min_horizontal("last", "last_b")
    order = pl.col("code") != pl.col("code_b") if directed else pl.col("code") < pl.col("code_b")
    frame = (
        pairs.filter(order & overlap)
        .select(pl.col("code").alias(c1), pl.col("code_b").alias(c2), "year", "month")
        .unique()
        .sort(_month_key(c1, c2))
    )
    table = "cow_states" if system == "cow" else "gw_system"
    return Panel(frame=frame, unit="dyad_month", system=system, directed=directed, sources=(table,))


def _month_key(c1: str, c2: str) -> pl.Expr:
    """One Int64 that orders rows as (c1, c2, year, month)."""
    return (
        pl.col(c1).cast(pl.Int64) * 10_000_000_000
        + pl.col(c2).cast(pl.Int64) * 10_000_000
        + pl.col("year").cast(pl.Int64) * 100
        + pl.col("month").cast(pl.Int64)
    )


def join_month_attrs(
    panel: Panel, attrs: pl.LazyFrame, columns: Sequence[str], *, symmetric: bool
) -> pl.LazyFrame:
    """Join dyad-month attributes (``code1, code2, year, month, *columns``) keeping the rows.

    The month analogue of :func:`~allegiance.panel.steps.join_dyad_attrs`: a left join that
    keeps the panel's rows and order and refuses duplicate keys on the right
    (``validate="m:1"``). With ``symmetric=True`` the values hold for both orders of the pair
    and ``attrs`` must be unique by unordered pair and month.
    """
    c1, c2 = f"{panel.code}1", f"{panel.code}2"

    def key(a: str, b: str) -> pl.Expr:
        lo = pl.min_horizontal(a, b) if symmetric else pl.col(a)
        hi = pl.max_horizontal(a, b) if symmetric else pl.col(b)
        return (
            lo.cast(pl.Int64) * 10_000_000_000
            + hi.cast(pl.Int64) * 10_000_000
            + pl.col("year").cast(pl.Int64) * 100
            + pl.col("month").cast(pl.Int64)
        ).alias("_mkey")

    right = attrs.select(key(c1, c2), *columns)
    if symmetric:
        right = right.unique()
    return (
        panel.frame.with_columns(key(c1, c2))
        .join(right, on="_mkey", how="left", validate="m:1", maintain_order="left")
        .drop("_mkey")
    )
