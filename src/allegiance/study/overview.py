"""The Northeast Asia overview: a dyad-year panel of the region's six states, summarised by dyad."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from allegiance.panel.base import Panel
from allegiance.panel.build import build_panel

__all__ = ["NORTHEAST_ASIA", "OVERVIEW_FAMILIES", "dyad_summary", "northeast_asia_panel"]

#: COW codes of the flagship study's states: USA, Russia, China, North Korea, South Korea, Japan.
NORTHEAST_ASIA: tuple[int, ...] = (2, 365, 710, 731, 732, 740)
OVERVIEW_FAMILIES: tuple[str, ...] = ("contiguity", "min_distance", "atop", "gml_mids", "nmc")


def northeast_asia_panel(
    years: range = range(1946, 2017), states: Sequence[int] = NORTHEAST_ASIA
) -> Panel:
    """Undirected dyad-years of the Northeast Asia states with the overview's families added."""
    return build_panel(
        "dyad_year", years=years, directed=False, states=list(states), families=OVERVIEW_FAMILIES
    )


def dyad_summary(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per dyad of an undirected dyad-year frame built by :func:`northeast_asia_panel`.

    Columns: ``ccode1, ccode2``, first and last year, years with an ATOP defense pledge, any
    ATOP pledge, GML MID onsets and MID-years, the closest contiguity seen (1 = land, 5 = 400
    miles of water, 0 = none), the latest minimum distance (km) and the capability ratio
    ``cinc1 / (cinc1 + cinc2)`` in the last year both CINC scores are known.
    """
    last_cinc = (
        frame.filter(pl.col("cinc1").is_not_null() & pl.col("cinc2").is_not_null())
        .sort("year")
        .group_by("ccode1", "ccode2")
        .agg(
            pl.col("year").last().alias("cinc_year"),
            (pl.col("cinc1") / (pl.col("cinc1") + pl.col("cinc2"))).last().alias("cinc_share1"),
        )
    )
    contig = pl.when(pl.col("conttype") > 0).then(pl.col("conttype"))
    summary = (
        frame.sort("year")
        .group_by("ccode1", "ccode2")
        .agg(
            pl.col("year").min().alias("first_year"),
            pl.col("year").max().alias("last_year"),
            (pl.col("atop_defense") == 1).sum().alias("defense_pact_years"),
            (pl.col("atop_anypledge") == 1).sum().alias("any_pledge_years"),
            (pl.col("gmlmidonset") == 1).sum().alias("mid_onsets"),
            (pl.col("gmlmidongoing") == 1).sum().alias("mid_years"),
            contig.min().fill_null(0).alias("closest_contiguity"),
            pl.col("mindist").drop_nulls().last().alias("latest_mindist_km"),
        )
    )
    return summary.join(last_cinc, on=["ccode1", "ccode2"], how="left").sort("ccode1", "ccode2")
