"""Intergovernmental organization memberships (COW IGO v3): shared memberships and state totals."""

from __future__ import annotations

import polars as pl

from allegiance.data import bundle
from allegiance.panel.base import Panel
from allegiance.panel.steps import (
    Variable,
    join_dyad_attrs,
    join_state_attrs,
    register,
    require_unit,
)

__all__ = ["STATE_COLUMNS", "add_igos"]

_DYADIC = "cow_igo_ndy"
_STATE = "cow_igo_sy"

#: State-year IGO counts, in the source's order.
STATE_COLUMNS: dict[str, str] = {
    "sum_igo_full": "number of IGOs in which the state is a full member",
    "sum_igo_associate": "number of IGOs in which the state is an associate member",
    "sum_igo_observer": "number of IGOs in which the state is an observer",
    "sum_igo_anytype": "number of IGOs in which the state takes part in any way (sum of the three)",
}
_NULLS = "; null where the source has no record or outside its years"


@register(
    "igos",
    units=["state_year", "dyad_year"],
    variables=[
        Variable(
            "dyadigos",
            f"number of IGOs in which both states are full members{_NULLS}",
            "Int32",
            "cow_igo",
            None,
        ),
        *(
            Variable(name, f"{what}{_NULLS}", "Int32", "cow_igo", None, dyadic=False)
            for name, what in STATE_COLUMNS.items()
        ),
    ],
)
def add_igos(panel: Panel) -> Panel:
    """Add COW IGO membership counts to a state-year or dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A state-year or dyad-year panel of the COW system.

    Returns
    -------
    Panel
        State-year panels get ``sum_igo_full, sum_igo_associate, sum_igo_observer,
        sum_igo_anytype``. Dyad-year panels get ``dyadigos`` (shared full memberships) and the
        four state counts for each side (``sum_igo_full1``, ..., ``sum_igo_anytype2``). All
        Int32; rows unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a state-year or dyad-year panel of the COW system.

    Notes
    -----
    ``dyadigos`` comes from the non-directed dyad-year file and holds for both directions, as
    in peacesciencer (which binds the reversed rows before joining); a directed panel is
    therefore symmetric. Nothing is filled: dyad-years and state-years the source lacks
    (including some after 1990, which peacesciencer also leaves missing) and years outside
    the data (1816-2014 for v3) stay null. peacesciencer adds only ``dyadigos`` to dyad-year
    data; the four state counts per side are added here too, because a family's state
    attributes appear as ``*1``/``*2`` columns in every dyad-year panel of this package.

    Source
    ------
    Correlates of War Intergovernmental Organizations v3 [pevehouse2020]_ [wallace1970]_,
    dyad-year and state-year summaries as shipped in peacesciencer (bundle tables
    ``cow_igo_ndy`` and ``cow_igo_sy``).
    """
    require_unit(panel, "add_igos", "state_year", "dyad_year", system="cow")
    columns = list(STATE_COLUMNS)
    states = bundle.scan(_STATE).select(
        "ccode", "year", *(pl.col(c).cast(pl.Int32) for c in columns)
    )
    if panel.unit == "state_year":
        return panel.with_frame(join_state_attrs(panel, states, columns), _STATE)
    dyads = bundle.scan(_DYADIC).select(
        "ccode1", "ccode2", "year", pl.col("dyadigos").cast(pl.Int32)
    )
    frame = join_dyad_attrs(panel, dyads, ["dyadigos"], symmetric=True)
    frame = join_state_attrs(panel.with_frame(frame), states, columns)
    return panel.with_frame(frame, _DYADIC, _STATE)
