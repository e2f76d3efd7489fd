"""Network views of the panel: ordered pairs of rivals, of dispute opponents, and over windows.

Threat measures and model inputs read who is hostile to whom from these edge lists, built
with the panel's own steps on the directed COW dyad-year universe, so they agree with the
panel columns cell for cell.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from allegiance.panel.disputes import add_cow_mids, add_gml_mids
from allegiance.panel.universe import dyad_years, system_years

__all__ = [
    "DISPUTE_SOURCES",
    "RIVALRY_SOURCES",
    "common_thirds",
    "dispute_edges",
    "rival_edges",
    "window_edges",
]

_KEYS = ["ccode1", "ccode2", "year"]

#: Rivalry sets: bundle table, first/last year columns, the ongoing column of the panel step.
RIVALRY_SOURCES = {
    "tss": ("tss_rivalries", "start", "end", "ongoingrivalry"),
    "td": ("td_rivalries", "styear", "endyear", "td_ongoingrivalry"),
}
#: Dispute sets: bundle table, the ongoing column of the panel step.
DISPUTE_SOURCES = {
    "gml": ("gml_mid_ddydisps", "gmlmidongoing"),
    "cow": ("cow_mid_ddydisps", "cowmidongoing"),
}


def _system_span(years: range) -> range:
    first, last = system_years("cow")
    return range(max(years.start, first), min(years.stop, last + 1))


def rival_edges(years: range, source: Literal["tss", "td"] = "tss") -> pl.DataFrame:
    """Ordered pairs of states in an ongoing strategic rivalry: ``ccode1, ccode2, year``.

    Built with :func:`allegiance.panel.rivalries.add_strategic_rivalries` on the directed COW
    dyad-year universe, so both directions of each rivalry-year are listed and only system
    members appear.
    """
    from allegiance.panel.rivalries import add_strategic_rivalries

    span = _system_span(years)
    if len(span) == 0:
        return pl.DataFrame(schema={"ccode1": pl.Int32, "ccode2": pl.Int32, "year": pl.Int16})
    ongoing = RIVALRY_SOURCES[source][3]
    panel = add_strategic_rivalries(dyad_years("cow", span, directed=True), source=source)
    return panel.frame.filter(pl.col(ongoing) == 1).select(_KEYS).collect()


def dispute_edges(years: range, source: Literal["gml", "cow"] = "gml") -> pl.DataFrame:
    """Ordered pairs of states with a militarized dispute ongoing in the year.

    Built with :func:`~allegiance.panel.disputes.add_gml_mids` (or ``add_cow_mids``) on the
    directed COW dyad-year universe: ``ccode1, ccode2, year`` for every dyad-year whose
    ``gmlmidongoing`` (``cowmidongoing``) is 1, both directions.
    """
    span = _system_span(years)
    if len(span) == 0:
        return pl.DataFrame(schema={"ccode1": pl.Int32, "ccode2": pl.Int32, "year": pl.Int16})
    panel = dyad_years("cow", span, directed=True)
    step = add_gml_mids if source == "gml" else add_cow_mids
    ongoing = DISPUTE_SOURCES[source][1]
    return step(panel, keep=()).frame.filter(pl.col(ongoing) == 1).select(_KEYS).collect()


def window_edges(edges: pl.DataFrame, k: int) -> pl.DataFrame:
    """Pairs linked in any year of the window ``[year - k + 1, year]``.

    >>> e = pl.DataFrame({"ccode1": [1], "ccode2": [2], "year": [2000]})
    >>> window_edges(e, 3)["year"].sort().to_list()
    [2000, 2001, 2002]
    """
    return (
        edges.with_columns(
            pl.int_ranges(pl.col("year"), pl.col("year") + k, dtype=pl.Int32).alias("_y")
        )
        .explode("_y")
        .select("ccode1", "ccode2", pl.col("_y").cast(edges.schema["year"]).alias("year"))
        .unique()
    )


def common_thirds(dyads: pl.DataFrame, edges: pl.DataFrame) -> pl.DataFrame:
    """For each dyad-year, the third states linked to both of its states.

    Parameters
    ----------
    dyads : polars.DataFrame
        ``ccode1, ccode2, year`` (one row per case).
    edges : polars.DataFrame
        Ordered pairs ``ccode1, ccode2, year`` listing both directions of every link
        (duplicates are ignored).

    Returns
    -------
    polars.DataFrame
        The rows of ``dyads`` in their order with ``n`` (number of states C, C not in the
        dyad, linked to both states) and ``thirds`` (their codes, ascending, joined by ``;``).

    Examples
    --------
    >>> d = pl.DataFrame({"ccode1": [1, 1], "ccode2": [2, 3], "year": [2000, 2000]})
    >>> e = pl.DataFrame({"ccode1": [1, 9, 2, 9, 1, 2], "ccode2": [9, 1, 9, 2, 2, 1],
    ...                   "year": [2000] * 6})
    >>> common_thirds(d, e).rows()
    [(1, 2, 2000, 1, '9'), (1, 3, 2000, 0, '')]
    """
    left = edges.select(
        pl.col("ccode1").cast(dyads.schema["ccode1"]),
        pl.col("ccode2").cast(dyads.schema["ccode1"]).alias("_c"),
        pl.col("year").cast(dyads.schema["year"]),
    ).unique()
    right = left.rename({"ccode1": "ccode2"})
    hits = (
        dyads.select(_KEYS)
        .unique()
        .join(left, on=["ccode1", "year"])
        .join(right, on=["ccode2", "_c", "year"], how="semi")
        .filter((pl.col("_c") != pl.col("ccode1")) & (pl.col("_c") != pl.col("ccode2")))
        .group_by(_KEYS)
        .agg(
            pl.len().cast(pl.Int16).alias("n"),
            pl.col("_c").sort().cast(pl.String).str.join(";").alias("thirds"),
        )
    )
    return dyads.join(hits, on=_KEYS, how="left", maintain_order="left").with_columns(
        pl.col("n").fill_null(0), pl.col("thirds").fill_null("")
    )
