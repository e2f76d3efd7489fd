"""Material capabilities (COW NMC v7.0) and COW major power status, as state attributes."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from allegiance.data import bundle
from allegiance.errors import ParameterError
from allegiance.panel.base import Panel
from allegiance.panel.steps import (
    Variable,
    coverage,
    fill_within,
    join_state_attrs,
    register,
    require_unit,
)

__all__ = ["NMC_COLUMNS", "add_cow_majors", "add_nmc"]

_NMC = "cow_nmc"
_MAJORS = "cow_majors"

#: NMC columns with their polars dtypes and meanings, in the source's order.
NMC_COLUMNS: dict[str, tuple[pl.DataType, str]] = {
    "milex": (
        pl.Int64(),
        "military expenditure (thousands of current US dollars; pounds before 1914)",
    ),
    "milper": (pl.Int64(), "military personnel (thousands)"),
    "irst": (pl.Int64(), "iron and steel production (thousands of tons)"),
    "pec": (pl.Int64(), "primary energy consumption (thousands of coal-ton equivalents)"),
    "tpop": (pl.Float64(), "total population (thousands)"),
    "upop": (pl.Float64(), "urban population (thousands, cities over 100,000)"),
    "cinc": (
        pl.Float64(),
        "Composite Index of National Capability (share of the system's capabilities)",
    ),
}


@register(
    "nmc",
    units=["state_year", "dyad_year"],
    variables=[
        Variable(
            name,
            f"COW NMC {what}; null where NMC has no value or outside its years",
            str(dtype),
            "cow_nmc",
            None,
            dyadic=False,
        )
        for name, (dtype, what) in NMC_COLUMNS.items()
    ],
    citations=("singer1987",),
)
def add_nmc(panel: Panel, *, keep: Sequence[str] | None = None) -> Panel:
    """Add COW National Material Capabilities (v7.0) to a state-year or dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A state-year or dyad-year panel of the COW system.
    keep : sequence of str, optional
        Only add these NMC columns (peacesciencer's ``keep``); by default all seven:
        ``milex, milper, irst, pec, tpop, upop, cinc``.

    Returns
    -------
    Panel
        State-year panels get the columns as named; dyad-year panels get ``<name>1`` for
        ``ccode1`` and ``<name>2`` for ``ccode2`` (e.g. ``cinc1``, ``cinc2``). Rows unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a state-year or dyad-year panel of the COW system (NMC uses COW
        codes).
    ParameterError
        If ``keep`` names a column NMC does not have, or is empty.

    Notes
    -----
    A plain left join on state and year, as in peacesciencer. NMC's missing-value code (-9) is
    already null in the shipped table; nothing is filled, so state-years outside NMC's years
    (1816-2022 in v7.0) are null.

    Source
    ------
    Correlates of War National Material Capabilities v7.0 [singer1972]_ [singer1987]_, as
    shipped in peacesciencer (bundle table ``cow_nmc``).
    """
    require_unit(panel, "add_nmc", "state_year", "dyad_year", system="cow")
    columns = list(NMC_COLUMNS) if keep is None else list(keep)
    unknown = [c for c in columns if c not in NMC_COLUMNS]
    if unknown or not columns:
        raise ParameterError(
            f"The 'keep' parameter of add_nmc() must name one or more of {set(NMC_COLUMNS)}. "
            f"Got {keep!r} instead."
        )
    attrs = bundle.scan(_NMC).select(
        "ccode", "year", *(pl.col(c).cast(NMC_COLUMNS[c][0]) for c in columns)
    )
    return panel.with_frame(join_state_attrs(panel, attrs, columns), _NMC)


@register(
    "majors",
    units=["state_year", "dyad_year"],
    variables=[
        Variable(
            "cowmaj",
            "1 if the state is a COW major power in the year, else 0; null outside the years "
            "of the major power list",
            "Int8",
            "cow_majors",
            None,
            dyadic=False,
        )
    ],
)
def add_cow_majors(panel: Panel) -> Panel:
    """Add COW major power status to a state-year or dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A state-year or dyad-year panel of the COW system.

    Returns
    -------
    Panel
        ``cowmaj`` (state-years) or ``cowmaj1``, ``cowmaj2`` (dyad-years), Int8; rows
        unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a state-year or dyad-year panel of the COW system.

    Notes
    -----
    As in peacesciencer, a major power spell counts for every calendar year from its start
    year to its end year, whatever the months: Japan (740) is a major power in 1895 (from
    April) and in 1945 (to August); Germany (255) in 1918, 1925-1945 and from 1991; France
    (220) in 1940 and again from 1945. A state-year in no spell is 0. peacesciencer also codes
    0 after the list's last year; here years after the last end year of the list (2016 in the
    v2016 list) are null, which only matters for panels extended past the COW state system's
    last year.

    Source
    ------
    Correlates of War State System Membership List v2016 [cow2017]_, major powers file, as
    shipped in peacesciencer (bundle table ``cow_majors``).
    """
    require_unit(panel, "add_cow_majors", "state_year", "dyad_year", system="cow")
    spells = bundle.scan(_MAJORS).select(
        pl.col("ccode").cast(pl.Int32),
        pl.col("styear").cast(pl.Int32),
        pl.col("endyear").cast(pl.Int32),
    )
    years = (
        spells.with_columns(
            pl.int_ranges("styear", pl.col("endyear") + 1, dtype=pl.Int32).alias("year")
        )
        .explode("year")
        .select("ccode", "year")
        .unique()
        .with_columns(pl.lit(1, dtype=pl.Int8).alias("cowmaj"))
    )
    frame = join_state_attrs(panel, years, ["cowmaj"])
    cols = ["cowmaj"] if panel.unit == "state_year" else ["cowmaj1", "cowmaj2"]
    frame = frame.with_columns(fill_within(cols, coverage(_MAJORS, "styear", "endyear")))
    return panel.with_frame(frame, _MAJORS)
