"""Distances between states: minimum distance (CShapes 2.0) and capital-to-capital distance."""

from __future__ import annotations

from typing import Literal

import polars as pl

from allegiance.data import bundle
from allegiance.errors import ParameterError
from allegiance.panel.base import Panel
from allegiance.panel.steps import (
    Variable,
    join_dyad_attrs,
    join_state_attrs,
    register,
    require_unit,
)

__all__ = [
    "EARTH_RADIUS_M",
    "add_capital_distance",
    "add_minimum_distance",
    "vincenty_sphere_km",
]

#: Earth radius (metres) of geosphere's ``distVincentySphere()``, which peacesciencer uses.
EARTH_RADIUS_M = 6378137.0


@register(
    "min_distance",
    units=["dyad_year"],
    variables=[
        Variable(
            "mindist",
            "Minimum distance between the two states' territories in km (CShapes 2.0; 0 for "
            "land neighbours); null where the source has no record or outside its years",
            "Float64",
            "mindist",
            None,
        )
    ],
)
def add_minimum_distance(panel: Panel) -> Panel:
    """Add the minimum distance (km) between two states' territories to a dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A dyad-year panel of the COW or Gleditsch-Ward system, directed or undirected.

    Returns
    -------
    Panel
        The panel with ``mindist`` (Float64, km) added; rows and their order unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a dyad-year panel.

    Notes
    -----
    The source lists each unordered pair once per year; the value holds for both directions,
    as in peacesciencer (which binds the reversed rows to the source before joining). The
    distance is symmetric, so a directed panel has A->B equal to B->A. Nothing is filled:
    dyad-years the source does not cover (before its first year, 1886 for CShapes 2.0, after
    its last, or pairs it lacks) stay null. peacesciencer's state-year variant
    (``minmindist``) is not provided.

    Source
    ------
    Minimum distances computed from CShapes 2.0 [schvitz2022]_ [weidmann2010]_ by
    peacesciencer (bundle tables ``cow_mindist`` and ``gw_mindist``).
    """
    require_unit(panel, "add_minimum_distance", "dyad_year")
    table = "cow_mindist" if panel.system == "cow" else "gw_mindist"
    attrs = bundle.scan(table).select(
        f"{panel.code}1", f"{panel.code}2", "year", pl.col("mindist").cast(pl.Float64)
    )
    frame = join_dyad_attrs(panel, attrs, ["mindist"], symmetric=True)
    return panel.with_frame(frame, table)


def vincenty_sphere_km(lat1: pl.Expr, lng1: pl.Expr, lat2: pl.Expr, lng2: pl.Expr) -> pl.Expr:
    r"""Great-circle distance in km between two points given in degrees (Vincenty, sphere).

    .. math::

       d = \frac{R}{1000}\,\operatorname{atan2}\left(
           \sqrt{(\cos\varphi_2 \sin\Delta\lambda)^2
                 + (\cos\varphi_1 \sin\varphi_2
                    - \sin\varphi_1 \cos\varphi_2 \cos\Delta\lambda)^2},\;
           \sin\varphi_1 \sin\varphi_2 + \cos\varphi_1 \cos\varphi_2 \cos\Delta\lambda\right)

    where :math:`\varphi_1, \varphi_2` are the latitudes and :math:`\lambda_1, \lambda_2` the
    longitudes in radians, :math:`\Delta\lambda = \lambda_1 - \lambda_2`, and
    :math:`R = 6\,378\,137` m is the Earth radius of geosphere's ``distVincentySphere()``
    (the WGS-84 equatorial radius), which peacesciencer calls.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"a": [0.0], "b": [0.0], "c": [0.0], "d": [90.0]})
    >>> round(df.select(vincenty_sphere_km(*map(pl.col, "abcd"))).item(), 3)  # quarter circle
    10018.754
    """
    p1, l1, p2, l2 = (e.cast(pl.Float64).radians() for e in (lat1, lng1, lat2, lng2))
    dl = l1 - l2
    num = (
        (p2.cos() * dl.sin()) ** 2 + (p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos()) ** 2
    ).sqrt()
    den = p1.sin() * p2.sin() + p1.cos() * p2.cos() * dl.cos()
    return pl.arctan2(num, den) * (EARTH_RADIUS_M / 1000.0)


def _capital_years(table: str, code: str, transsum: Literal["first", "last"]) -> pl.LazyFrame:
    """``code, year, _caplat, _caplng``: one capital a state-year, from the capitals' spells.

    A spell reaches every calendar year between its start and end dates. Where a state moved
    its capital during a year, ``"first"`` keeps the capital held earliest in the year (the Jan.
    1 capital) and ``"last"`` the one held latest (the Dec. 31 capital); ties go to the spell
    listed first (``"first"``) or last (``"last"``) in the source.
    """
    caps = (
        bundle.scan(table)
        .select(
            pl.col(code).cast(pl.Int32),
            pl.col("stdate").cast(pl.Date),
            pl.col("enddate").cast(pl.Date),
            pl.col("lat").cast(pl.Float64).alias("_caplat"),
            pl.col("lng").cast(pl.Float64).alias("_caplng"),
        )
        .with_row_index("_row")
        .with_columns(
            pl.int_ranges(pl.col("stdate").dt.year(), pl.col("enddate").dt.year() + 1)
            .cast(pl.List(pl.Int32))
            .alias("year")
        )
        .explode("year")
    )
    if transsum == "first":
        when = pl.max_horizontal(pl.col("stdate"), pl.date(pl.col("year"), 1, 1))
    else:
        when = pl.min_horizontal(pl.col("enddate"), pl.date(pl.col("year"), 12, 31))
    return (
        caps.with_columns(when.alias("_when"))
        .sort([code, "year", "_when", "_row"])
        .unique([code, "year"], keep=transsum, maintain_order=True)
        .select(code, "year", "_caplat", "_caplng")
    )


@register(
    "cap_distance",
    units=["dyad_year"],
    variables=[
        Variable(
            "capdist",
            "Great-circle distance in km between the two states' capitals (Vincenty formula on "
            "a sphere of radius 6378.137 km); null where a capital is not recorded for the year",
            "Float64",
            "capitals",
            None,
        )
    ],
    citations=("hijmans2022",),
)
def add_capital_distance(panel: Panel, *, transsum: Literal["first", "last"] = "first") -> Panel:
    r"""Add the capital-to-capital distance (km) to a dyad-year panel.

    The distance is the great-circle distance on a sphere, computed with the Vincenty formula
    as geosphere's ``distVincentySphere()`` does (see :func:`vincenty_sphere_km`):

    .. math::

       \mathit{capdist} = \frac{R}{1000}\,\operatorname{atan2}\left(
           \sqrt{(\cos\varphi_2 \sin\Delta\lambda)^2
                 + (\cos\varphi_1 \sin\varphi_2
                    - \sin\varphi_1 \cos\varphi_2 \cos\Delta\lambda)^2},\;
           \sin\varphi_1 \sin\varphi_2 + \cos\varphi_1 \cos\varphi_2 \cos\Delta\lambda\right)

    where :math:`\varphi_i` and :math:`\lambda_i` are the latitude and longitude (radians) of
    the capital of state *i*, :math:`\Delta\lambda = \lambda_1 - \lambda_2` and
    :math:`R = 6\,378\,137` m.

    Parameters
    ----------
    panel : Panel
        A dyad-year panel of the COW or Gleditsch-Ward system, directed or undirected.
    transsum : {"first", "last"}, default "first"
        Which capital a state has in a year in which it moved its capital: the one it held
        first in the year (Jan. 1) or last (Dec. 31), as peacesciencer's ``transsum``.

    Returns
    -------
    Panel
        The panel with ``capdist`` (Float64, km) added; rows and their order unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a dyad-year panel.
    ParameterError
        If ``transsum`` is not ``"first"`` or ``"last"``.

    Notes
    -----
    Capitals come with date spells (``stdate``, ``enddate``); a spell counts for every
    calendar year it touches. The distance is null when either state has no capital recorded
    for the year (the spells cover 1816 to their last end date). Distance is symmetric, so a
    directed panel has A->B equal to B->A; to make that exact in floating point, the formula is
    always evaluated with the smaller state code as point 1 (peacesciencer evaluates A->B and
    B->A separately, which can differ in the last bits, about 1e-12 km). peacesciencer expands
    the spells day by day, which reaches the same years and the same first/last capital.

    Source
    ------
    State capitals with coordinates and date spells compiled by S. V. Miller for peacesciencer
    [miller2022]_ (bundle tables ``cow_capitals`` and ``gw_capitals``), for the states of the
    COW [cow2017]_ and G-W [gleditsch1999]_ lists. The formula is that of geosphere's
    ``distVincentySphere()`` [hijmans2022]_.
    """
    require_unit(panel, "add_capital_distance", "dyad_year")
    if transsum not in ("first", "last"):
        raise ParameterError(
            "The 'transsum' parameter of add_capital_distance() must be one of "
            f"{{'first', 'last'}}. Got {transsum!r} instead."
        )
    table = "cow_capitals" if panel.system == "cow" else "gw_capitals"
    caps = _capital_years(table, panel.code, transsum)
    frame = join_state_attrs(panel, caps, ["_caplat", "_caplng"])
    # Evaluate with the smaller code's capital as point 1, so that A->B and B->A are equal to the
    # last bit (the formula is symmetric only up to floating-point rounding).
    first = pl.col(f"{panel.code}1") <= pl.col(f"{panel.code}2")

    def pick(col: str, side: str) -> pl.Expr:
        other = "2" if side == "1" else "1"
        return pl.when(first).then(pl.col(col + side)).otherwise(pl.col(col + other))

    frame = frame.with_columns(
        vincenty_sphere_km(
            pick("_caplat", "1"), pick("_caplng", "1"), pick("_caplat", "2"), pick("_caplng", "2")
        ).alias("capdist")
    ).drop("_caplat1", "_caplng1", "_caplat2", "_caplng2")
    return panel.with_frame(frame, table)
