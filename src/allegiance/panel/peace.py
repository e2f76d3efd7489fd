"""Peace years: years since the last dispute (or war) in a dyad or state, for BTSCS models."""

from __future__ import annotations

from typing import Literal

import polars as pl

from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel.base import Panel
from allegiance.panel.steps import Variable, check_new_columns, register, require_unit

__all__ = ["add_peace_years", "spell_expr"]

# (ongoing column, onset column, spell column)
_DYADIC: tuple[tuple[str, str, str], ...] = (
    ("gmlmidongoing", "gmlmidonset", "gmlmidspell"),
    ("cowmidongoing", "cowmidonset", "cowmidspell"),
    ("cowinterongoing", "cowinteronset", "cowinterspell"),
)
_STATE: tuple[tuple[str, str, str], ...] = (
    ("gmlmidongoing", "gmlmidonset", "gmlmidspell"),
    ("gmlmidongoing_init", "gmlmidonset_init", "gmlmidinitspell"),
)


def spell_expr(event: str, unit: list[str]) -> pl.Expr:
    """Spell (peace years) of ``event`` within ``unit``, rows ordered by year.

    Reproduces ``ps_btscs()`` (stevemisc, used by peacesciencer's ``add_peace_years()``):
    among the rows where ``event`` is not null, ordered by year, a row's spell is the number
    of rows since the last row with ``event == 1`` before it, minus one; with no event before
    it, the number of rows since the unit's first row. So the first row is 0, the first row
    after an event is 0, an event row counts the quiet rows before it plus one, and an event
    row right after an event row is 0. Rows with a null event get a null spell and are skipped.
    """
    ev = pl.col(event)
    valid = ev.is_not_null()
    idx = valid.cast(pl.Int32).cum_sum() - 1
    last = pl.when(ev == 1).then(idx).shift(1).forward_fill().fill_null(-1)
    return pl.when(valid).then(idx - last - 1).over(unit, order_by="year").cast(pl.Int32)


def _variables() -> list[Variable]:
    rule = (
        "rows (years observed) since the last year with an {what} in the {unit}, "
        "0 in the first observed year (left-censored); null where {src} is null"
    )
    return [
        Variable(
            "gmlmidspell",
            rule.format(what="ongoing GML MID", unit="dyad (or state)", src="gmlmidongoing"),
            "Int32",
            "gml_mid",
            None,
        ),
        Variable(
            "cowmidspell",
            rule.format(what="ongoing COW MID", unit="dyad", src="cowmidongoing"),
            "Int32",
            "cow_mid",
            None,
        ),
        Variable(
            "cowinterspell",
            rule.format(what="ongoing inter-state war", unit="dyad", src="cowinterongoing"),
            "Int32",
            "cow_war_inter",
            None,
        ),
        Variable(
            "gmlmidinitspell",
            "state-year panels only: "
            + rule.format(
                what="ongoing GML MID the state initiated", unit="state", src="gmlmidongoing_init"
            ),
            "Int32",
            "gml_mid",
            None,
            dyadic=False,
        ),
    ]


@register(
    "peace_years",
    units=["dyad_year", "state_year"],
    variables=_variables(),
    citations=("beck1998", "carter2010"),
)
def add_peace_years(panel: Panel, *, event: Literal["ongoing", "onset"] = "ongoing") -> Panel:
    """Add peace years (spells) since the last dispute for every conflict family in the panel.

    Parameters
    ----------
    panel : Panel
        A dyad-year panel to which :func:`~allegiance.panel.disputes.add_gml_mids`,
        :func:`~allegiance.panel.disputes.add_cow_mids` or
        :func:`~allegiance.panel.wars.add_cow_wars` was applied, or a state-year panel with
        GML MIDs.
    event : {"ongoing", "onset"}
        Count peace from the last year with an *ongoing* dispute (default, as peacesciencer's
        ``add_peace_years()`` and ``add_spells()``) or from the last *onset* (as
        ``add_spells(conflict_event_type = "onset")``).

    Returns
    -------
    Panel
        Dyad-years gain ``gmlmidspell``, ``cowmidspell`` and/or ``cowinterspell`` (one per
        family present); state-years gain ``gmlmidspell`` and ``gmlmidinitspell``.

    Raises
    ------
    PanelUnitError
        The panel holds no dispute indicators (add a MIDs family first) or is not a
        dyad-year or state-year panel.
    ParameterError
        Unknown ``event``, or a spell column the panel already has.

    Notes
    -----
    The counting rule is that of ``ps_btscs()`` (see :func:`spell_expr`): per dyad (each
    direction separately in directed panels, same values by symmetry) or state, rows in year
    order, the spell is 0 in the first observed year, grows by one each quiet year, and an
    event year carries the count of quiet years before it plus one; a year right after an
    event year is 0. Peace before the panel's first year is not seen (left-censoring): a
    panel that starts in 1946 counts from 1946. Rows are counted, not calendar years, so a
    dyad that leaves and re-enters the system (Germany 255, 1945-1990) continues its count
    at re-entry, as peacesciencer does without ``pad``. Years outside the conflict data
    (null ``*ongoing``) get a null spell and are skipped. peacesciencer's ``pad = TRUE``
    (filling gaps with events) is not offered.

    Source
    ------
    Computed from the conflict columns already in the panel (GML MIDs [gibler2016]_, COW MIDs
    [palmer2022]_, COW wars [sarkees2010]_). Peace-year counts are the time-dependence
    controls of binary time-series cross-section models [beck1998]_ [carter2010]_.

    Examples
    --------
    >>> import polars as pl
    >>> from allegiance.panel.base import Panel
    >>> rows = pl.LazyFrame({"ccode1": [2] * 5, "ccode2": [20] * 5, "year": [1, 2, 3, 4, 5],
    ...                      "gmlmidonset": [0, 1, 0, 0, 0], "gmlmidongoing": [0, 1, 1, 0, 0]})
    >>> panel = Panel(rows, unit="dyad_year", system="cow")
    >>> add_peace_years(panel).collect()["gmlmidspell"].to_list()
    [0, 1, 0, 0, 1]
    """
    require_unit(panel, "add_peace_years", "dyad_year", "state_year")
    if event not in ("ongoing", "onset"):
        raise ParameterError(
            "The 'event' parameter of add_peace_years() must be one of {'ongoing', 'onset'}. "
            f"Got {event!r} instead."
        )
    names = set(panel.frame.collect_schema().names())
    if panel.unit == "dyad_year":
        unit, families = [f"{panel.code}1", f"{panel.code}2"], _DYADIC
    else:
        unit, families = [panel.code], _STATE
    exprs, spells = [], []
    for ongoing, onset, spell in families:
        if ongoing in names and onset in names:
            source = ongoing if event == "ongoing" else onset
            exprs.append(spell_expr(source, unit).alias(spell))
            spells.append(spell)
    if not exprs:
        if panel.unit == "dyad_year":
            wanted = "gmlmidongoing, cowmidongoing or cowinterongoing"
            remedy = "add_gml_mids(), add_cow_mids() or add_cow_wars()"
        else:
            wanted, remedy = "gmlmidongoing", "add_gml_mids()"
        raise PanelUnitError(
            f"add_peace_years() needs dispute indicators in the panel ({wanted}); found none. "
            f"Add them first with {remedy}."
        )
    check_new_columns(
        panel, "add_peace_years", spells, "Drop them before adding peace years again."
    )
    return panel.with_frame(panel.frame.with_columns(exprs))
