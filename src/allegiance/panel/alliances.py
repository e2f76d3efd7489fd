"""ATOP alliance pledges (v5.1) for dyad-year panels, coded as peacesciencer codes them."""

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

__all__ = ["PLEDGES", "add_atop_alliance"]

_TABLE = "atop_alliance"

#: The five ATOP pledge indicators, in peacesciencer's column order.
PLEDGES = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")

_MEANINGS = {
    "atop_defense": "defense pledge",
    "atop_offense": "offense pledge",
    "atop_neutral": "neutrality pledge",
    "atop_nonagg": "non-aggression pledge",
    "atop_consul": "pledge to consult in a crisis",
}
_COVER = "; 0 when none within ATOP's years, null outside them"


@register(
    "atop",
    units=["dyad_year"],
    variables=[
        *(
            Variable(
                name,
                f"1 if the dyad has an alliance with a {what} (in a directed panel: made by "
                f"state 1 to state 2; undirected: in either direction){_COVER}",
                "Int8",
                "atop",
                None,
            )
            for name, what in _MEANINGS.items()
        ),
        Variable(
            "atop_alliance",
            "1 if any of the five ATOP pledges is 1 (any alliance commitment; not a "
            f"peacesciencer column){_COVER}",
            "Int8",
            "atop",
            None,
        ),
    ],
)
def add_atop_alliance(panel: Panel, *, ndir: Literal["any", "strict"] = "any") -> Panel:
    """Add ATOP alliance pledges (v5.1) to a dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A dyad-year panel of the COW system, directed or undirected.
    ndir : {"any", "strict"}, default "any"
        Only used for undirected panels. ``"any"`` codes a pledge when either state made it to
        the other (peacesciencer's ``ndir = TRUE``); ``"strict"`` only when ``ccode1`` made it
        to ``ccode2`` (peacesciencer's ``ndir = FALSE``). Directed panels always take the
        pledge of ``ccode1`` to ``ccode2``.

    Returns
    -------
    Panel
        The panel with ``atop_defense``, ``atop_offense``, ``atop_neutral``, ``atop_nonagg``,
        ``atop_consul`` and ``atop_alliance`` (all Int8) added; rows and order unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a dyad-year panel of the COW system.
    ParameterError
        If ``ndir`` is not ``"any"`` or ``"strict"``.

    Notes
    -----
    ATOP's dyad-year data are directed: France may pledge to defend Belgium without Belgium
    pledging to defend France (1832). peacesciencer infers whether a panel is directed from its
    rows (any ``ccode1 > ccode2``); here the panel says so itself (``panel.directed``). For an
    undirected panel with ``ndir="any"`` each pledge is the maximum over both directions of the
    dyad-year, as in peacesciencer. Dyad-years without a record are 0 within the years of the
    ATOP table (its first to last year; 1815-2018 for v5.1) and null outside them, as in
    peacesciencer since its fix for 0s after the ATOP domain. ``atop_alliance`` is added here
    (peacesciencer does not have it): 1 if any of the five pledges is 1, 0 if all are 0, null
    outside ATOP's years. A directed panel is not symmetric in these columns (pledges need not
    be mutual); an undirected one with ``ndir="any"`` is.

    Source
    ------
    Alliance Treaty Obligations and Provisions (ATOP) v5.1, directed dyad-year file, as shipped
    in peacesciencer (bundle table ``atop_alliance``).

    References
    ----------
    .. [1] Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell, and Andrew G.
       Long. 2002. "Alliance Treaty Obligations and Provisions, 1815-1944." *International
       Interactions* 28(3): 237-260.
    .. [2] Miller, Steven V. 2022. "peacesciencer: An R Package for Quantitative Peace Science
       Research." *Conflict Management and Peace Science* 39(6): 755-779.
    """
    require_unit(panel, "add_atop_alliance", "dyad_year", system="cow")
    if ndir not in ("any", "strict"):
        raise ParameterError(
            "The 'ndir' parameter of add_atop_alliance() must be one of {'any', 'strict'}. "
            f"Got {ndir!r} instead."
        )
    atop = bundle.scan(_TABLE).select(
        pl.col("ccode1").cast(pl.Int32),
        pl.col("ccode2").cast(pl.Int32),
        pl.col("year").cast(pl.Int16),
        *(pl.col(p).cast(pl.Int8) for p in PLEDGES),
    )
    if not panel.directed and ndir == "any":
        atop = (
            atop.with_columns(
                pl.min_horizontal("ccode1", "ccode2").alias("_lo"),
                pl.max_horizontal("ccode1", "ccode2").alias("_hi"),
            )
            .group_by("_lo", "_hi", "year")
            .agg(pl.col(p).max() for p in PLEDGES)
            .rename({"_lo": "ccode1", "_hi": "ccode2"})
        )
    frame = join_dyad_attrs(panel, atop, list(PLEDGES), symmetric=False)
    frame = frame.with_columns(fill_within(list(PLEDGES), coverage(_TABLE))).with_columns(
        pl.max_horizontal(*PLEDGES).alias("atop_alliance")
    )
    return panel.with_frame(frame, _TABLE)
