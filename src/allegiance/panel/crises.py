"""International crises (ICB v12 actor-level data) for state-year and dyad-year panels."""

from __future__ import annotations

import polars as pl

from allegiance.data import bundle
from allegiance.panel.base import Panel
from allegiance.panel.steps import (
    Variable,
    coverage,
    join_dyad_attrs,
    join_state_attrs,
    register,
    require_unit,
)

__all__ = ["add_crises", "crisis_actor_years"]

_TABLE = "icb_actors"
_COVER = "; 0 within ICB's years (1918-2016), null outside"


def crisis_actor_years() -> pl.LazyFrame:
    """``crisno, ccode, year, onset``: each year from an actor's trigger to its termination.

    ``onset`` marks the actor's trigger year (``yrtrig``). The one actor row with neither a
    trigger nor a termination year (crisis 474, Saudi Arabia) cannot be placed in time and is
    left out; every other row has both.
    """
    actors = (
        bundle.scan(_TABLE)
        .select(
            "crisno",
            pl.col("cracid").cast(pl.Int32).alias("ccode"),
            pl.col("yrtrig").cast(pl.Int32),
            pl.col("yrterm").cast(pl.Int32),
        )
        .drop_nulls(["yrtrig", "yrterm"])
    )
    return (
        actors.with_columns(pl.int_ranges("yrtrig", pl.col("yrterm") + 1).alias("year"))
        .explode("year")
        .select(
            "crisno",
            "ccode",
            pl.col("year").cast(pl.Int16),
            (pl.col("year") == pl.col("yrtrig")).alias("onset"),
        )
    )


def _state_attrs() -> pl.LazyFrame:
    return (
        crisis_actor_years()
        .group_by("ccode", "year")
        .agg(
            pl.lit(1, dtype=pl.Int8).alias("icb_crisis"),
            pl.col("crisno").filter("onset").n_unique().cast(pl.Int16).alias("icb_onsets"),
            pl.col("crisno").n_unique().cast(pl.Int16).alias("icb_crises"),
        )
    )


def _dyad_attrs() -> pl.LazyFrame:
    years = crisis_actor_years()
    pairs = years.join(years, on=["crisno", "year"], suffix="_b").filter(
        pl.col("ccode") < pl.col("ccode_b")
    )
    return pairs.group_by(
        pl.col("ccode").alias("ccode1"), pl.col("ccode_b").alias("ccode2"), "year"
    ).agg(
        pl.col("crisno").n_unique().cast(pl.Int16).alias("icb_joint"),
        pl.col("crisno")
        .filter(pl.col("onset") | pl.col("onset_b"))
        .n_unique()
        .cast(pl.Int16)
        .alias("icb_joint_onsets"),
    )


@register(
    "crises",
    units=["state_year", "dyad_year"],
    variables=[
        Variable("icb_crisis", "1 if the state was an actor in an ICB crisis ongoing that year "
                 "(its trigger year to its termination year)" + _COVER, "Int8", "icb", None,
                 dyadic=False, units=("state_year",)),
        Variable("icb_onsets", "Number of ICB crises triggered for the state that year (its "
                 "yrtrig)" + _COVER, "Int16", "icb", None, dyadic=False, units=("state_year",)),
        Variable("icb_crises", "Number of ICB crises the state was an actor in that year"
                 + _COVER, "Int16", "icb", None, dyadic=False, units=("state_year",)),
        Variable("icb_joint", "Number of ICB crises in which both states were actors that year "
                 "(each between its trigger and termination)" + _COVER, "Int16", "icb", None),
        Variable("icb_joint_onsets", "Number of those joint crises triggered that year for "
                 "either state" + _COVER, "Int16", "icb", None),
    ],
)  # fmt: skip
def add_crises(panel: Panel) -> Panel:
    """Add ICB crises (v12 actor-level data) to a state-year or dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A COW state-year or dyad-year panel (directed or undirected).

    Returns
    -------
    Panel
        State-years gain ``icb_crisis`` (Int8), ``icb_onsets`` and ``icb_crises`` (Int16);
        dyad-years gain ``icb_joint`` and ``icb_joint_onsets`` (Int16). Rows and order
        unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a state-year or dyad-year panel of the COW system.

    Notes
    -----
    - ICB2 has one row per crisis actor: a state whose decision makers perceived a threat,
      time pressure and a higher chance of military hostilities. ``cracid`` is its COW code.
      An actor is counted in each year from its own trigger year (``yrtrig``) to its
      termination year (``yrterm``), both included; ``icb_onsets`` counts trigger years.
    - A state can be an actor more than once in one crisis (20 crisis-state pairs have two or
      three actor rows); counts are of distinct crises (``crisno``).
    - Dyad-years: two states are joint actors when both are actors in the same crisis in the
      same year. ICB2 does not record which side an actor took, so a joint crisis may pit the
      two against each other (the United States and China in crisis 132, Korean War I) or find
      them facing the same threat (Japan and the ROK in crises 459 and 469, North Korean
      nuclear and missile crises). The columns are symmetric, so a directed panel has the same
      values for A->B and B->A.
    - The one actor row with no trigger year (and no termination year), crisis 474, is left
      out: it cannot be placed in any year.
    - Within ICB's years (first trigger year to last termination year in the data, 1918-2016)
      a state- or dyad-year without a crisis is 0; outside them the columns are null. The ICB
      system-level file (ICB1) is not available, so crisis-level attributes are not added.

    Source
    ------
    International Crisis Behavior project, actor-level data ICB2 v12 [brecher2017]_
    [brecher2000]_ (bundle table ``icb_actors``).

    Examples
    --------
    >>> from allegiance.panel import dyad_years
    >>> p = add_crises(dyad_years(years=[2013], states=[732, 740], directed=False))
    >>> p.collect().select("icb_joint", "icb_joint_onsets").row(0)
    (1, 1)
    """
    require_unit(panel, "add_crises", "state_year", "dyad_year", system="cow")
    lo, hi = coverage(_TABLE, "yrtrig", "yrterm")
    inside = pl.col("year").is_between(lo, hi)
    if panel.unit == "state_year":
        columns = ["icb_crisis", "icb_onsets", "icb_crises"]
        frame = join_state_attrs(panel, _state_attrs(), columns)
    else:
        columns = ["icb_joint", "icb_joint_onsets"]
        frame = join_dyad_attrs(panel, _dyad_attrs(), columns, symmetric=True)
    frame = frame.with_columns(
        pl.when(inside).then(pl.col(c).fill_null(0)).otherwise(None).alias(c) for c in columns
    )
    return panel.with_frame(frame, _TABLE)
