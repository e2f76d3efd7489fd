"""ATOP alliance pledges (v5.1) for dyad-year panels, as peacesciencer codes them, with the
ATOP 4.01 treaties behind them."""

from __future__ import annotations

from functools import cache
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
_MEMBERS = "atop4_members"
_TREATIES = "atop4_dyad_years"

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
            "1 if peacesciencer's ATOP dyad-year data (atop_alliance) list the dyad-year, even "
            "where no pledge runs in the panel's direction (directed: the row state 1 -> state 2; "
            f"undirected: either row){_COVER}",
            "Int8",
            "atop",
            None,
        ),
        Variable(
            "atop_anypledge",
            f"1 if any of the five ATOP pledges (atop_defense ... atop_consul) is 1{_COVER}",
            "Int8",
            "atop",
            None,
        ),
        Variable(
            "atop_bilateral",
            "1 if one of the ATOP 4.01 alliances both states belonged to that year is bilateral "
            "(alliance-level bilat = 1), 0 if they shared only multilateral ones or none; null "
            "outside ATOP 4.01's years (1815-2016)",
            "Int8",
            "atop_levels",
            None,
        ),
        Variable(
            "atop_ids",
            "ATOP 4.01 alliance ids (atopid) of the alliances both states belonged to that year, "
            "ascending and ';'-separated (e.g. '3755'); null if none or outside 1815-2016",
            "String",
            "atop_levels",
            None,
        ),
    ],
    citations=("miller2022",),
)
def add_atop_alliance(panel: Panel, *, ndir: Literal["any", "strict"] = "any") -> Panel:
    """Add ATOP alliance pledges (v5.1) and the ATOP 4.01 treaties behind them to a dyad-year panel.

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
        ``atop_consul``, ``atop_alliance``, ``atop_anypledge``, ``atop_bilateral`` (all Int8)
        and ``atop_ids`` (String) added; rows and order unchanged.

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
    peacesciencer since its fix for 0s after the ATOP domain. A directed panel is not symmetric
    in these columns (pledges need not be mutual); an undirected one with ``ndir="any"`` is.

    *atop_alliance and atop_anypledge.* ``atop_alliance`` means what peacesciencer's ATOP data
    mean by their name: the data set ``atop_alliance`` lists a directed dyad-year only when the
    two states share an ATOP alliance, so ``atop_alliance`` is 1 for every dyad-year it lists
    (in the panel's direction, or in either direction for an undirected panel with
    ``ndir="any"``), 0 for one it does not list within ATOP's years, and null outside them.
    peacesciencer's ``add_atop_alliance()`` itself adds only the five pledges; the row's
    existence is the alliance indicator. A listed row can carry no pledge in its own direction:
    in the directed 1816-2016 panel 159 dyad-years are listed with all five pledges 0 (for
    example 13 dyad-years of 255 -> 200 between 1840 and 1936; 23 dyad-years in the undirected
    panel with ``ndir="any"``). ``atop_anypledge`` is the other reading,
    1 if any of the five pledges is 1; the two differ exactly on those rows.

    *ATOP 4.01 treaties.* The dyad-year file carries no treaty id, so ``atop_ids`` and
    ``atop_bilateral`` come from the ATOP 4.01 member-level file: two states share an alliance
    in a year when both are members of it (``atopid``) on at least one common day of the year.
    A member's spell runs from its entry date to its exit date; an exit year of 0 means the
    membership had not ended, and it runs to the end of ATOP 4.01's years (1815-2016, read
    from the table); an unknown day counts as the first (entry) or last (exit) day of its
    month. ``atop_bilateral`` is the alliance-level ``bilat`` flag (8 member rows disagree with
    it; the alliance's own flag is used). Membership is symmetric, so these two columns are
    the same for A->B and B->A whatever ``ndir``, and they describe *shared* treaties, not the
    direction of a pledge. They tell a bilateral pact from a multilateral treaty: Japan and
    the ROK share only alliance 3755 from 2004 (a multilateral non-aggression treaty founded
    in 1976 by 800, 820, 830, 840 and 850, which Japan joined in December 2003 and the ROK in
    November 2004), the tie behind ATOP 5.1's Japan-ROK non-aggression pledge from 2004. ATOP
    4.01 and 5.1 differ in coverage (to 2016 and 2018) and can differ in coding, so a 5.1
    pledge may have no 4.01 treaty and the reverse. The member code 8152 (alliance 1320) is no
    COW code and joins no panel.

    Source
    ------
    Alliance Treaty Obligations and Provisions (ATOP) v5.1 [leeds2002]_, directed dyad-year
    file, as shipped in peacesciencer [miller2022]_ (bundle table ``atop_alliance``); ATOP
    v4.01 member- and alliance-level files (``atop4_members``, ``atop4_alliances``).

    Examples
    --------
    >>> from allegiance.panel import dyad_years
    >>> p = add_atop_alliance(dyad_years(years=[2004], states=[732, 740], directed=False))
    >>> p.collect().select("atop_nonagg", "atop_alliance", "atop_bilateral", "atop_ids").row(0)
    (1, 1, 0, '3755')
    """
    require_unit(panel, "add_atop_alliance", "dyad_year", system="cow")
    if ndir not in ("any", "strict"):
        raise ParameterError(
            "The 'ndir' parameter of add_atop_alliance() must be one of {'any', 'strict'}. "
            f"Got {ndir!r} instead."
        )
    listed = [*PLEDGES, "atop_alliance"]
    treaty_columns = ["atop_bilateral", "atop_ids"]
    attrs = _attrs(panel.directed, ndir).lazy()
    frame = join_dyad_attrs(panel, attrs, [*listed, *treaty_columns], symmetric=False)
    lo, hi = coverage(_MEMBERS, "yrent", "yrexit")
    inside4 = pl.col("year").is_between(lo, hi)
    frame = frame.with_columns(
        *fill_within(listed, coverage(_TABLE)),
        pl.when(inside4).then(pl.col("atop_bilateral").fill_null(0)).alias("atop_bilateral"),
        pl.when(inside4).then(pl.col("atop_ids")).alias("atop_ids"),
    ).with_columns(pl.max_horizontal(*PLEDGES).alias("atop_anypledge"))
    frame = frame.select(pl.exclude(*treaty_columns), *treaty_columns)
    return panel.with_frame(frame, _TABLE, _TREATIES)


@cache
def _attrs(directed: bool, ndir: str) -> pl.DataFrame:
    """Pledges, the listed-row flag and the ATOP 4.01 treaties, keyed as the panel's rows are.

    Directed panels: the pledge rows as listed (state 1 -> state 2) and the treaties in both
    orders. Undirected panels: with ``ndir="any"`` the pledges' maximum over both directions
    by sorted pair, with ``"strict"`` the rows as listed; the treaties by sorted pair.
    """
    listed = [*PLEDGES, "atop_alliance"]
    atop = bundle.scan(_TABLE).select(
        pl.col("ccode1").cast(pl.Int32),
        pl.col("ccode2").cast(pl.Int32),
        pl.col("year").cast(pl.Int16),
        *(pl.col(p).cast(pl.Int8) for p in PLEDGES),
        pl.lit(1, dtype=pl.Int8).alias("atop_alliance"),
    )
    if not directed and ndir == "any":
        atop = (
            atop.with_columns(
                pl.min_horizontal("ccode1", "ccode2").alias("_lo"),
                pl.max_horizontal("ccode1", "ccode2").alias("_hi"),
            )
            .group_by("_lo", "_hi", "year")
            .agg(pl.col(p).max() for p in listed)
            .rename({"_lo": "ccode1", "_hi": "ccode2"})
        )
    treaties = bundle.scan(_TREATIES).select(
        pl.col("ccode1").cast(pl.Int32),
        pl.col("ccode2").cast(pl.Int32),
        pl.col("year").cast(pl.Int16),
        pl.col("atop_bilateral").cast(pl.Int8),
        "atop_ids",
    )
    if directed:
        swapped = treaties.rename({"ccode1": "ccode2", "ccode2": "ccode1"})
        treaties = pl.concat([treaties, swapped.select(treaties.collect_schema().names())])
    keys = ["ccode1", "ccode2", "year"]
    return atop.join(treaties, on=keys, how="full", coalesce=True, validate="1:1").collect()
