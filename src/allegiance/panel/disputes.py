"""Militarized interstate disputes: GML MIDs (v2.2.1) and COW MIDs (v5.0) by dyad/state-year."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from allegiance.data import bundle
from allegiance.errors import ParameterError
from allegiance.panel.base import Panel
from allegiance.panel.steps import (
    Variable,
    check_new_columns,
    coverage,
    fill_within,
    join_dyad_attrs,
    join_state_attrs,
    register,
    require_unit,
)

__all__ = ["add_cow_mids", "add_gml_mids"]

Init = Literal["sidea-all-joiners", "sidea-with-joiners", "sidea-orig"]
_INITS = ("sidea-all-joiners", "sidea-with-joiners", "sidea-orig")
_KEYS = ("dispnum", "ccode1", "ccode2", "year")


def _attribute_columns(table: str, onset: str, ongoing: str) -> list[str]:
    names = bundle.scan(table).collect_schema().names()
    return [c for c in names if c not in (*_KEYS[1:], onset, ongoing)]


def _select_keep(func: str, keep: Sequence[str] | None, available: list[str]) -> list[str]:
    if keep is None:
        return available
    if isinstance(keep, str):
        keep = [keep]
    unknown = [k for k in keep if k not in available]
    if unknown:
        raise ParameterError(
            f"The 'keep' parameter of {func}() must list columns among "
            f"{{{', '.join(available)}}}. Got {unknown[0]!r} instead."
        )
    return [c for c in available if c in keep]


def _init_expr(side: str, init: str) -> pl.Expr:
    """peacesciencer's initiator rule for the state on ``side`` of a directed dispute dyad."""
    sidea, orig = pl.col(f"sidea{side}") == 1, pl.col(f"orig{side}")
    if init == "sidea-orig":
        rule = sidea & (orig == 1)
    elif init == "sidea-with-joiners":
        rule = sidea | ((orig == 0) & sidea)
    else:
        rule = sidea | (orig == 0)
    return rule.cast(pl.Int8).alias(f"init{side}")


def _add_dyad_mids(
    panel: Panel,
    func: str,
    table: str,
    prefix: str,
    keep: Sequence[str] | None,
    init: str | None,
) -> Panel:
    onset, ongoing = f"{prefix}midonset", f"{prefix}midongoing"
    columns = _select_keep(func, keep, _attribute_columns(table, onset, ongoing))
    directed_init = init is not None and panel.directed
    if directed_init and keep is not None:  # peacesciencer always returns what init is built from
        columns = [
            c
            for c in _attribute_columns(table, onset, ongoing)
            if c in columns or c in ("sidea1", "sidea2", "orig1", "orig2")
        ]
    extra = ["init1", "init2"] if directed_init else []
    check_new_columns(
        panel,
        func,
        [onset, ongoing, *columns, *extra],
        "Pass keep=() to add only the onset and ongoing indicators, or keep=[...] with "
        "columns not yet in the panel (peacesciencer users write keep = NULL).",
    )
    disp = bundle.scan(table)
    if directed_init:
        disp = disp.with_columns(_init_expr("1", init), _init_expr("2", init))  # type: ignore[arg-type]
    frame = join_dyad_attrs(panel, disp, [onset, ongoing, *columns, *extra], symmetric=False)
    frame = frame.with_columns(fill_within([onset, ongoing], coverage(table), pl.Int8))
    return panel.with_frame(frame, table)


def _add_state_gml_mids(panel: Panel, init: str) -> Panel:
    """State-years: any dispute onset / ongoing, and any the state initiated (peacesciencer)."""
    cols = ["gmlmidonset", "gmlmidongoing", "gmlmidonset_init", "gmlmidongoing_init"]
    check_new_columns(panel, "add_gml_mids", cols, "Drop them before adding GML MIDs again.")
    sidea, orig = pl.col("sidea") == 1, pl.col("orig")
    rule = {
        "sidea-orig": sidea & (orig == 1),
        "sidea-with-joiners": sidea | ((orig == 0) & sidea),
        "sidea-all-joiners": sidea | (orig == 0),
    }[init]
    part = (
        bundle.scan("gml_part")
        .filter((pl.col("allmiss_leader_start") == 0) & (pl.col("allmiss_leader_end") == 0))
        .with_columns(
            pl.int_ranges(pl.col("styear"), pl.col("endyear") + 1, dtype=pl.Int32).alias("year")
        )
        .explode("year")
        .with_columns(
            (pl.col("year") == pl.col("styear")).alias("gmlmidonset"),
            pl.lit(True).alias("gmlmidongoing"),
            rule.alias("gmlmidongoing_init"),
        )
        .with_columns(
            (pl.col("gmlmidonset") & pl.col("gmlmidongoing_init")).alias("gmlmidonset_init")
        )
        .group_by("ccode", "year")
        .agg(pl.col(c).any() for c in cols)
    )
    frame = join_state_attrs(panel, part, cols)
    years = coverage("gml_part", "styear", "endyear")
    frame = frame.with_columns(fill_within(cols, years, pl.Int8))
    return panel.with_frame(frame, "gml_part")


def _mid_variables(prefix: str, dataset: str, extra: Sequence[Variable] = ()) -> list[Variable]:
    label = "GML" if prefix == "gml" else "COW"
    v = [
        Variable(
            f"{prefix}midonset",
            f"1 if a {label} MID began in the dyad-year (any dispute); "
            "0 otherwise within the data's years, null outside",
            "Int8",
            dataset,
            None,
            units=("dyad_year", "state_year"),
        ),
        Variable(
            f"{prefix}midongoing",
            f"1 if a {label} MID was ongoing in the dyad-year; "
            "0 otherwise within the data's years, null outside",
            "Int8",
            dataset,
            None,
            units=("dyad_year", "state_year"),
        ),
        Variable(
            "dispnum",
            f"{label} MID number of the dispute kept for the dyad-year "
            "(whittle rule: see add_{prefix}_mids)",
            "Int32",
            dataset,
            None,
        ),
        Variable(
            "sidea",
            "1 if the state was on Side A of the kept dispute",
            "Int32",
            dataset,
            None,
            dyadic=False,
            units=("dyad_year",),
        ),
        Variable(
            "fatality",
            "participant fatality level of the state in the kept dispute "
            "(0 none ... 6 >999, -9 missing)",
            "Int32",
            dataset,
            None,
            dyadic=False,
            units=("dyad_year",),
        ),
        Variable(
            "fatalpre",
            "participant precise battle deaths of the state (-9 missing)",
            "Int32",
            dataset,
            None,
            dyadic=False,
            units=("dyad_year",),
        ),
        Variable(
            "hiact",
            "highest action of the state in the kept dispute (0-23)",
            "Int32",
            dataset,
            None,
            dyadic=False,
            units=("dyad_year",),
        ),
        Variable(
            "hostlev",
            "highest hostility level of the state in the kept dispute (1-5)",
            "Int32",
            dataset,
            None,
            dyadic=False,
            units=("dyad_year",),
        ),
        Variable(
            "orig",
            "1 if the state was an originator (not a joiner) of the kept dispute",
            "Int32",
            dataset,
            None,
            dyadic=False,
            units=("dyad_year",),
        ),
        Variable(
            "fatality", "dispute-level fatality level of the kept dispute", "Int32", dataset, None
        ),
        Variable(
            "hostlev",
            "dispute-level hostility level of the kept dispute (1-5)",
            "Int32",
            dataset,
            None,
        ),
        Variable("recip", "1 if the kept dispute was reciprocated", "Int32", dataset, None),
        Variable("mindur", "minimum duration of the kept dispute (days)", "Int32", dataset, None),
        Variable("maxdur", "maximum duration of the kept dispute (days)", "Int32", dataset, None),
        Variable("stmon", "start month of the kept dispute", "Int32", dataset, None),
    ]
    return v + list(extra)


_GML_EXTRA = [
    Variable(
        "init",
        "directed panels only: 1 if the state initiated the kept dispute under "
        "the 'init' rule (default sidea-all-joiners)",
        "Int8",
        "gml_mid",
        None,
        dyadic=False,
        units=("dyad_year",),
    ),
    Variable(
        "gmlmidonset_init",
        "state-year panels only: 1 if the state began a GML MID it "
        "initiated (init rule) in the year",
        "Int8",
        "gml_mid",
        None,
        dyadic=False,
        units=("state_year",),
    ),
    Variable(
        "gmlmidongoing_init",
        "state-year panels only: 1 if the state was in an ongoing GML MID it initiated (init rule)",
        "Int8",
        "gml_mid",
        None,
        dyadic=False,
        units=("state_year",),
    ),
]


@register(
    "gml_mids",
    units=["dyad_year", "state_year"],
    variables=_mid_variables("gml", "gml_mid", _GML_EXTRA),
    citations=("miller2022",),
)
def add_gml_mids(
    panel: Panel, *, keep: Sequence[str] | None = None, init: Init = "sidea-all-joiners"
) -> Panel:
    """Add Gibler-Miller-Little MIDs (v2.2.1) to a dyad-year or state-year panel.

    Parameters
    ----------
    panel : Panel
        A COW dyad-year (directed or not) or state-year panel.
    keep : sequence of str, optional
        Dyad-years: which dispute attributes to add besides ``gmlmidonset`` and
        ``gmlmidongoing`` (always added). ``None`` (default) adds all: ``dispnum, sidea1,
        sidea2, fatality1, fatality2, fatalpre1, fatalpre2, hiact1, hiact2, hostlev1,
        hostlev2, orig1, orig2, fatality, hostlev, recip, mindur, maxdur, stmon``; ``()`` adds
        none (needed to add GML and COW MIDs to one panel, as their attributes share names).
    init : {"sidea-all-joiners", "sidea-with-joiners", "sidea-orig"}
        Who "initiated" a dispute: on Side A at onset and an originator (``sidea-orig``); on
        Side A (``sidea-with-joiners``); on Side A or any joiner (``sidea-all-joiners``).
        Used for ``init1``/``init2`` in directed panels and the ``*_init`` state-year columns.

    Returns
    -------
    Panel
        Dyad-years gain ``gmlmidonset, gmlmidongoing`` and the ``keep`` attributes (plus
        ``init1, init2`` if directed); state-years gain ``gmlmidonset, gmlmidongoing,
        gmlmidonset_init, gmlmidongoing_init``.

    Raises
    ------
    PanelUnitError
        The panel is not a COW dyad-year or state-year panel (GML uses COW codes).
    ParameterError
        Unknown ``keep`` column or ``init`` rule, or a column the panel already has.

    Notes
    -----
    *Several disputes in one dyad-year.* The panel is joined, as in peacesciencer, to the
    dispute dyad-years peacesciencer whittled to one row per ordered dyad-year
    (``gml_mid_ddydisps``). Its rule keeps, in order: 1) unique onsets (a dispute that
    begins this year over one that continues), then the highest 2) ``fatality`` (a missing
    -9 counts as 0.5: fatal, few deaths), 3)
    ``hostlev``, 4) ``mindur``, 5) ``maxdur``, 6) reciprocated over unreciprocated, 7) the
    lowest start month, 8) one arbitrary survivor. So ``gmlmidonset`` is 1 if *any* dispute
    began in the dyad-year and ``gmlmidongoing`` if any was ongoing, while the attributes
    (``dispnum``, ``hostlev`` ...) describe the one kept dispute. ``*1`` attributes belong to
    ``ccode1``; undirected panels (``ccode1 < ccode2``) get that row of the pair.

    *Missing values.* ``gmlmidonset``/``gmlmidongoing`` are 0 for dyad-years without a
    dispute inside the data's years (1816-2010, read from the table) and null outside; the
    attributes are null for dyad-years without a dispute.

    *State-years* follow peacesciencer: participant spells from ``gml_part`` (participants
    whose leaders are all missing are dropped, as peacesciencer does), onset in the first
    year. Unlike peacesciencer (which writes 0 for every year) the four columns are null
    outside 1816-2010. peacesciencer (>= 1.2) no longer offers GML MIDs at the
    maintainers' request; this step reproduces its last working version (1.1).

    Source
    ------
    Gibler-Miller-Little MID data v2.2.1 [gibler2016]_ as bundled in peacesciencer
    [miller2022]_ (tables ``gml_mid_ddydisps``, ``gml_part``).
    """
    require_unit(panel, "add_gml_mids", "dyad_year", "state_year", system="cow")
    if init not in _INITS:
        raise ParameterError(
            "The 'init' parameter of add_gml_mids() must be one of "
            f"{{{', '.join(map(repr, _INITS))}}}. "
            f"Got {init!r} instead."
        )
    if panel.unit == "state_year":
        return _add_state_gml_mids(panel, init)
    return _add_dyad_mids(panel, "add_gml_mids", "gml_mid_ddydisps", "gml", keep, init)


@register("cow_mids", units=["dyad_year"], variables=_mid_variables("cow", "cow_mid"))
def add_cow_mids(panel: Panel, *, keep: Sequence[str] | None = None) -> Panel:
    """Add Correlates of War MIDs (v5.0) to a dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A COW dyad-year panel, directed or not.
    keep : sequence of str, optional
        Which dispute attributes to add besides ``cowmidonset`` and ``cowmidongoing`` (always
        added). ``None`` (default) adds all: ``dispnum, sidea1, sidea2, fatality1, fatality2,
        fatalpre1, fatalpre2, hiact1, hiact2, hostlev1, hostlev2, orig1, orig2, fatality,
        hostlev, mindur, maxdur, recip, stmon``; ``()`` adds none.

    Returns
    -------
    Panel
        The panel with ``cowmidonset, cowmidongoing`` and the ``keep`` attributes.

    Raises
    ------
    PanelUnitError
        Not a COW dyad-year panel (peacesciencer offers COW MIDs for dyad-years only).
    ParameterError
        Unknown ``keep`` column, or a column the panel already has (e.g. ``hostlev`` from
        :func:`add_gml_mids`; pass ``keep=()`` to one of the two).

    Notes
    -----
    Same rules as :func:`add_gml_mids`: the panel is joined to peacesciencer's whittled
    ``cow_mid_ddydisps`` (one row per ordered dyad-year; keeps unique onsets, then highest
    fatality (missing -9 as 0.5), hostility, minimum and maximum duration, reciprocation,
    earliest start month).
    Onset/ongoing are 0 without a dispute inside 1816-2014 (read from the table), null
    outside; attributes are null without a dispute.

    Source
    ------
    Correlates of War Militarized Interstate Disputes v5.0 [palmer2022]_ as bundled in
    peacesciencer (table ``cow_mid_ddydisps``).
    """
    require_unit(panel, "add_cow_mids", "dyad_year", system="cow")
    return _add_dyad_mids(panel, "add_cow_mids", "cow_mid_ddydisps", "cow", keep, None)
