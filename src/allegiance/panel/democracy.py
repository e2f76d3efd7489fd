"""Democracy estimates (extended UDS, Polity, V-Dem polyarchy) as state attributes, via isard."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from allegiance.data import bundle
from allegiance.errors import ParameterError
from allegiance.panel.base import Panel
from allegiance.panel.steps import Variable, join_state_attrs, register, require_unit

__all__ = ["DEMOCRACY_COLUMNS", "add_democracy"]

#: Democracy columns with their polars dtypes and meanings, in isard's order.
DEMOCRACY_COLUMNS: dict[str, tuple[pl.DataType, str]] = {
    "euds": (pl.Float64(), "extended Unified Democracy Score (Marquez's extension of UDS)"),
    "aeuds": (
        pl.Float64(),
        "adjusted extended UDS (0 = average cut-point of the dichotomous democracy indicators)",
    ),
    "polity2": (pl.Int32(), "Polity polity2 score (-10 to 10)"),
    "v2x_polyarchy": (pl.Float64(), "V-Dem electoral democracy (polyarchy) index (0 to 1)"),
}


@register(
    "democracy",
    units=["state_year", "dyad_year"],
    variables=[
        Variable(
            name,
            f"{what}; null where the estimate is missing or outside the data's years",
            str(dtype),
            "isard_democracy",
            None,
            dyadic=False,
        )
        for name, (dtype, what) in DEMOCRACY_COLUMNS.items()
    ],
)
def add_democracy(panel: Panel, *, keep: Sequence[str] | None = None) -> Panel:
    """Add democracy estimates to a state-year or dyad-year panel (COW or G-W).

    Parameters
    ----------
    panel : Panel
        A state-year or dyad-year panel of the COW or Gleditsch-Ward system.
    keep : sequence of str, optional
        Only add these estimates (peacesciencer's ``keep``); by default all four:
        ``euds, aeuds, polity2, v2x_polyarchy``.

    Returns
    -------
    Panel
        State-year panels get the columns as named; dyad-year panels get ``<name>1`` and
        ``<name>2`` (``euds1, aeuds1, polity21, v2x_polyarchy1, euds2, ...``). Rows unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a state-year or dyad-year panel.
    ParameterError
        If ``keep`` names an estimate the data do not have, or is empty.

    Notes
    -----
    As in peacesciencer (version 1.2 and later), the estimates come from isard's
    ``cw_democracy`` (COW codes) or ``gw_democracy`` (G-W codes), joined on state and year.
    Nothing is imputed or filled: Polity and V-Dem have many missing state-years, which stay
    null, as do years outside the data (1816-2025 in this isard release). The issue's "UDS" is
    ``euds``/``aeuds``: peacesciencer dropped its older ``xm_qudsest`` column with isard.

    Source
    ------
    isard [miller-isard]_ ``cw_democracy`` / ``gw_democracy`` (bundle tables ``cow_democracy``
    and ``gw_democracy``): extended UDS [marquez2016]_ [pemstein2010]_ from democracyData
    0.7.1, Polity ``polity2`` [marshall2017]_, V-Dem v16 ``v2x_polyarchy`` [coppedge-vdem16]_.
    """
    require_unit(panel, "add_democracy", "state_year", "dyad_year")
    columns = list(DEMOCRACY_COLUMNS) if keep is None else list(keep)
    unknown = [c for c in columns if c not in DEMOCRACY_COLUMNS]
    if unknown or not columns:
        raise ParameterError(
            "The 'keep' parameter of add_democracy() must name one or more of "
            f"{set(DEMOCRACY_COLUMNS)}. Got {keep!r} instead."
        )
    table = "cow_democracy" if panel.system == "cow" else "gw_democracy"
    attrs = bundle.scan(table).select(
        panel.code, "year", *(pl.col(c).cast(DEMOCRACY_COLUMNS[c][0]) for c in columns)
    )
    return panel.with_frame(join_state_attrs(panel, attrs, columns), table)
