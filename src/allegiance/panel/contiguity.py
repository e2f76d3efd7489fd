"""Direct contiguity (COW Direct Contiguity v3.2) for dyad-year panels, as peacesciencer has it."""

from __future__ import annotations

from typing import Literal

import polars as pl

from allegiance.data import bundle
from allegiance.errors import ParameterError
from allegiance.panel.base import Panel
from allegiance.panel.steps import (
    Variable,
    coverage,
    fill_within,
    join_dyad_attrs,
    register,
    require_unit,
)

__all__ = ["add_contiguity"]

_TABLE = "cow_contdir"


def _contiguity_years(slice: Literal["first", "last"]) -> pl.LazyFrame:
    """One ``ccode1, ccode2, year, conttype`` row per directed dyad-year of a contiguity record.

    Each master record covers the months from ``stdate`` to ``enddate``; a record reaches every
    calendar year between the two. Where several records touch one dyad-year (the relationship
    changed during the year), ``slice="first"`` keeps the record observed first in that year and
    ``slice="last"`` the one observed last; ties go to the record listed first (``"first"``) or
    last (``"last"``) in the source, as a stable sort by date does in peacesciencer.
    """
    cont = (
        bundle.scan(_TABLE)
        .select(
            pl.col("ccode1").cast(pl.Int32),
            pl.col("ccode2").cast(pl.Int32),
            pl.col("conttype").cast(pl.Int8),
            pl.col("stdate").cast(pl.Date),
            pl.col("enddate").cast(pl.Date),
        )
        .with_row_index("_row")
        .with_columns(
            pl.int_ranges(pl.col("stdate").dt.year(), pl.col("enddate").dt.year() + 1)
            .cast(pl.List(pl.Int32))
            .alias("year")
        )
        .explode("year")
    )
    if slice == "first":  # first month of the record inside the year
        when = pl.max_horizontal(pl.col("stdate"), pl.date(pl.col("year"), 1, 1))
    else:  # last month of the record inside the year
        when = pl.min_horizontal(pl.col("enddate"), pl.date(pl.col("year"), 12, 31))
    keys = ["ccode1", "ccode2", "year"]
    return (
        cont.with_columns(when.alias("_when"))
        .sort([*keys, "_when", "_row"])
        .unique(keys, keep=slice, maintain_order=True)
        .select(*keys, "conttype")
    )


@register(
    "contiguity",
    units=["dyad_year"],
    variables=[
        Variable(
            "conttype",
            "COW direct contiguity type: 1 land border; 2-5 separated by at most 12, 24, 150 or "
            "400 miles of water; 0 no contiguity recorded (within the data's years, else null)",
            "Int8",
            "cow_contdir",
            None,
        )
    ],
    citations=("miller2022",),
)
def add_contiguity(panel: Panel, *, slice: Literal["first", "last"] = "first") -> Panel:
    """Add COW direct contiguity (v3.2) to a dyad-year panel, as peacesciencer does.

    Parameters
    ----------
    panel : Panel
        A dyad-year panel of the COW system (directed or not).
    slice : {"first", "last"}, default "first"
        Which record wins when a dyad's contiguity relationship changed during a year: the one
        observed first in that year, or the one observed last (peacesciencer's ``slice``).

    Returns
    -------
    Panel
        The panel with ``conttype`` (Int8) added; rows and their order unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a dyad-year panel of the COW system.
    ParameterError
        If ``slice`` is not ``"first"`` or ``"last"``.

    Notes
    -----
    The master records list every contiguous dyad in both directions, with start and end
    months (``stdate``, ``enddate``). A record is expanded to every calendar year it touches
    (peacesciencer expands it month by month; the years reached are the same). Where several
    records touch one dyad-year, ``slice`` picks one (see above), so each dyad-year has exactly
    one value. Dyad-years without a record are coded 0 within the years the records cover (the
    first start year to the last end year in the table; 1816-2016 for v3.2) and null outside
    them. peacesciencer's ``mry=TRUE`` (carrying the last known relationship past the data) is
    not offered: it would invent values outside the data's years. The source itself codes a few
    spells as type 0 (e.g. China-Japan 1895-1945); they stay 0. Contiguity is symmetric, so a
    directed panel has A->B equal to B->A.

    Source
    ------
    Correlates of War Direct Contiguity Data, v3.2 (master records) [stinnett2002]_, as shipped
    in peacesciencer [miller2022]_ (bundle table ``cow_contdir``).
    """
    require_unit(panel, "add_contiguity", "dyad_year", system="cow")
    if slice not in ("first", "last"):
        raise ParameterError(
            "The 'slice' parameter of add_contiguity() must be one of {'first', 'last'}. "
            f"Got {slice!r} instead."
        )
    frame = join_dyad_attrs(panel, _contiguity_years(slice), ["conttype"], symmetric=False)
    years = coverage(_TABLE, "stdate", "enddate")
    frame = frame.with_columns(fill_within(["conttype"], years))
    return panel.with_frame(frame, _TABLE)
