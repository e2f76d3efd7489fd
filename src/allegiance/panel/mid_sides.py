"""Dispute sides from the COW MID 5.0 participant file: opponents and partners by dyad-year."""

from __future__ import annotations

from functools import cache

import polars as pl

from allegiance.data import bundle
from allegiance.panel.base import Panel
from allegiance.panel.steps import Variable, coverage, join_dyad_attrs, register, require_unit

__all__ = ["MID_SIDE_COLUMNS", "add_mid_sides", "mid_side_dyad_years"]

_TABLE = "cow_midb"
MID_SIDE_COLUMNS = (
    "mid_opp_onset", "mid_opp_ongoing", "mid_opp_count", "mid_opp_hostlev",
    "mid_same_ongoing", "mid_same_count",
)  # fmt: skip
_COVER = "; 0 within MID 5.0's years (1816-2014), null outside"


def _day(year: str, month: str, day: str, *, end: bool) -> pl.Expr:
    """A participation date; an unknown day (-9) is the first (start) or last (end) of the month."""
    first = pl.date(pl.col(year), pl.col(month), 1)
    known = pl.date(pl.col(year), pl.col(month), pl.col(day).clip(1, 31))
    return pl.when(pl.col(day) < 1).then(first.dt.month_end() if end else first).otherwise(known)


def mid_side_dyad_years() -> pl.LazyFrame:
    """``dispnum, ccode1, ccode2, year, opposite, onset, hostlev`` of every MIDB spell pair.

    One row per dispute, ordered pair of participants, pair of their participation spells that
    overlap in time, and year of that overlap. ``opposite`` says the two were on different
    sides (``sidea`` differs); ``onset`` that the overlap begins in the year; ``hostlev`` is the
    higher of the two participants' hostility levels in the dispute.
    """
    spells = bundle.scan(_TABLE).select(
        "dispnum",
        pl.col("ccode").cast(pl.Int32),
        "sidea",
        "hostlev",
        _day("styear", "stmon", "stday", end=False).alias("start"),
        _day("endyear", "endmon", "endday", end=True).alias("end"),
    )
    pairs = spells.join(spells, on="dispnum", suffix="_b").filter(
        pl.col("ccode") != pl.col("ccode_b")
    )
    first = pl.max_horizontal("start", "start_b")
    last = pl.min_horizontal("end", "end_b")
    return (
        pairs.with_columns(first.alias("_from"), last.alias("_to"))
        .filter(pl.col("_from") <= pl.col("_to"))
        .with_columns(
            pl.int_ranges(pl.col("_from").dt.year(), pl.col("_to").dt.year() + 1).alias("year")
        )
        .explode("year")
        .select(
            "dispnum",
            pl.col("ccode").alias("ccode1"),
            pl.col("ccode_b").alias("ccode2"),
            pl.col("year").cast(pl.Int16),
            (pl.col("sidea") != pl.col("sidea_b")).alias("opposite"),
            (pl.col("year") == pl.col("_from").dt.year()).alias("onset"),
            pl.max_horizontal("hostlev", "hostlev_b").alias("hostlev"),
        )
    )


@cache
def _attrs() -> pl.DataFrame:
    """The six columns by ordered pair and year (both orders: sides are symmetric)."""
    rows = mid_side_dyad_years()
    opp, same = pl.col("opposite"), ~pl.col("opposite")
    return (
        rows.group_by("ccode1", "ccode2", "year")
        .agg(
            (opp & pl.col("onset")).any().cast(pl.Int8).alias("mid_opp_onset"),
            opp.any().cast(pl.Int8).alias("mid_opp_ongoing"),
            pl.col("dispnum").filter(opp).n_unique().cast(pl.Int16).alias("mid_opp_count"),
            pl.col("hostlev").filter(opp).max().fill_null(0).cast(pl.Int8).alias("mid_opp_hostlev"),
            same.any().cast(pl.Int8).alias("mid_same_ongoing"),
            pl.col("dispnum").filter(same).n_unique().cast(pl.Int16).alias("mid_same_count"),
        )
        .collect()
    )


@register(
    "mid_sides",
    units=["dyad_year"],
    variables=[
        Variable("mid_opp_onset", "1 if the two states came to face each other on opposite sides "
                 "of a COW MID that year (the later of their participation start dates, where "
                 "their spells overlap, falls in the year)" + _COVER, "Int8", "cow_mid", None),
        Variable("mid_opp_ongoing", "1 if the two states took part at the same time on opposite "
                 "sides of a COW MID that year" + _COVER, "Int8", "cow_mid", None),
        Variable("mid_opp_count", "Number of COW MIDs with the two states on opposite sides at "
                 "the same time that year" + _COVER, "Int16", "cow_mid", None),
        Variable("mid_opp_hostlev", "Highest hostility level (MIDB hostlev, 1-5) either state "
                 "reached in those disputes; 0 if none within 1816-2014, null outside", "Int8",
                 "cow_mid", None),
        Variable("mid_same_ongoing", "1 if the two states took part at the same time on the same "
                 "side of a COW MID that year (joint participation)" + _COVER, "Int8", "cow_mid",
                 None),
        Variable("mid_same_count", "Number of COW MIDs with the two states on the same side at "
                 "the same time that year" + _COVER, "Int16", "cow_mid", None),
    ],
)  # fmt: skip
def add_mid_sides(panel: Panel) -> Panel:
    """Add the sides two states took in COW MIDs (MID 5.0 participant file) to a dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A COW dyad-year panel, directed or undirected.

    Returns
    -------
    Panel
        The panel with ``mid_opp_onset``, ``mid_opp_ongoing``, ``mid_opp_count``,
        ``mid_opp_hostlev``, ``mid_same_ongoing`` and ``mid_same_count`` added; rows and order
        unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a dyad-year panel of the COW system.

    Notes
    -----
    *Dyads from participants.* MIDB has one row per participation spell of a state in a
    dispute, with its side (``sidea``) and dates. Two states form a dispute dyad in the years
    in which two of their spells in the same dispute overlap *in time*: the later start date is
    on or before the earlier end date. An unknown day (-9) counts as the first day of its month
    for a start and the last for an end. Each dyad-year is then on opposite sides (``sidea``
    differs) or on the same side. Sides are symmetric, so a directed panel has the same values
    for A->B and B->A.

    *Onset* marks the year a spell pair's overlap begins: the year the two states first face
    each other in the dispute, or face each other again after one of them left and re-entered
    (France in the Second World War, dispute 258). *Hostility* is MIDB's participant
    ``hostlev`` (1 no militarized action ... 5 war), the higher of the two states' levels in
    the dispute (MIDB records a level per participant and dispute, not per year), maximised
    over the disputes ongoing in the year; 0 means no opposite-side dispute.

    *Comparison with* :func:`~allegiance.panel.disputes.add_cow_mids` (peacesciencer's
    ``cow_mid_dirdisps`` / ``cow_mid_ddydisps``, MID 5.0, 1816-2014). Over their common years
    the opposite-side dyad-years here are exactly peacesciencer's: in the directed 1816-2014
    panel ``mid_opp_ongoing`` is 1 on the 10,230 dyad-years where ``cowmidongoing`` is 1 and
    nowhere else, and the 11,390 dispute-dyad-years behind them equal the rows of
    ``cow_mid_dirdisps`` (``tests/panel/test_mid_sides.py`` checks both). peacesciencer's
    table has 4 more rows, Canada-Russia 1918 and 1919 (dispute 197), before Canada's first
    year in the COW system (1920), so no panel holds them. Two differences remain, both
    explained:

    - *Onset*, one dispute-dyad: Finland and Russia in 2014 (dispute 4678). Finland has two
      spells (June 2013; May-October 2014); peacesciencer codes ``disponset`` 1 in 2013 and
      0 in 2014, while the United Kingdom, also with two spells in the same dispute (2013 and
      2014), gets 1 in both years. This step applies one rule and gives 1 in 2014 for both,
      so ``mid_opp_onset`` is 1 where ``cowmidonset`` is 0 for 375-365 and 365-375 in 2014
      (unless another dispute began there) and nowhere else.
    - *Overlap in time, not in years.* Requiring only that the two spells share a calendar
      year would add 84 directed dispute-dyad-years (76 dyad-years) that peacesciencer leaves
      out, and rightly: the two states took part in the same dispute in the same year but
      never at the same time (most in the Second World War, dispute 258, e.g. Belgium left in
      May 1940 before Italy joined in June; also disputes 607, 611, 3957, 4680 and 4691).
      This step leaves them out too.

    Same-side dyad-years (joint participation) have no peacesciencer counterpart: its
    dispute dyads are opposite-side pairs only. Within MID 5.0's years (1816-2014, from the
    participant table) a dyad-year without a dispute gets 0; outside them all six columns are
    null.

    Source
    ------
    Correlates of War Militarized Interstate Disputes v5.0 [palmer2022]_, participant-level
    file MIDB
    (bundle table ``cow_midb``), 1816-2014.

    Examples
    --------
    >>> from allegiance.panel import dyad_years
    >>> p = add_mid_sides(dyad_years(years=[2012], states=[732, 740], directed=False))
    >>> p.collect().select("mid_opp_onset", "mid_opp_count", "mid_same_ongoing").row(0)
    (1, 1, 1)
    """
    require_unit(panel, "add_mid_sides", "dyad_year", system="cow")
    lo, hi = coverage(_TABLE, "styear", "endyear")
    columns = list(MID_SIDE_COLUMNS)
    frame = join_dyad_attrs(panel, _attrs().lazy(), columns, symmetric=False)
    inside = pl.col("year").is_between(lo, hi)
    frame = frame.with_columns(
        pl.when(inside).then(pl.col(c).fill_null(0)).otherwise(None).alias(c) for c in columns
    )
    return panel.with_frame(frame, _TABLE)
