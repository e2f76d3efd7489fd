"""COW inter-state wars (v4.0): dyad-years of states fighting on opposite sides."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from allegiance.data import bundle, catalog
from allegiance.errors import ParameterError
from allegiance.panel.base import Panel
from allegiance.panel.steps import (
    Variable,
    check_new_columns,
    fill_within,
    join_dyad_attrs,
    register,
    require_unit,
)

__all__ = ["add_cow_wars"]

_ATTRS = (
    "warnum",
    "sidea1",
    "sidea2",
    "initiator1",
    "initiator2",
    "outcome1",
    "outcome2",
    "batdeath1",
    "batdeath2",
    "resume",
)
_KEYS = ["ccode1", "ccode2", "year"]


def whittle_wars(wars: pl.LazyFrame) -> pl.LazyFrame:
    """One row per ordered dyad-year of ``cow_war_inter``, by peacesciencer's rule.

    1) Where a dyad-year has several wars and some begin that year, drop those that do not
    (keep unique onsets); 2) negative battle deaths (-8, -9: missing) become null; 3) keep
    the war with the most battle deaths (``batdeath1 + batdeath2``, or the one known if the
    other is missing; unknown totals last); ties keep the first row in table order.
    """
    group = pl.col("cowinteronset")
    deaths = pl.col("batdeath1") + pl.col("batdeath2")
    return (
        wars.with_row_index("_row")
        .filter(~((pl.len().over(_KEYS) > 1) & (group.n_unique().over(_KEYS) > 1) & (group == 0)))
        .with_columns(
            pl.when(pl.col(c) < 0).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("batdeath1", "batdeath2")
        )
        .with_columns(
            pl.coalesce(deaths, pl.col("batdeath2"), pl.col("batdeath1")).alias("_deaths")
        )
        .sort(["_deaths", "_row"], descending=[True, False], nulls_last=True)
        .group_by(_KEYS, maintain_order=True)
        .first()
        .drop("_row", "_deaths")
    )


def _variables() -> list[Variable]:
    ds = "cow_war_inter"
    return [
        Variable(
            "cowinteronset",
            "1 if an inter-state war between the two states (on opposite "
            "sides) began in the year; 0 otherwise within the data's years, null outside",
            "Int8",
            ds,
            None,
        ),
        Variable(
            "cowinterongoing",
            "1 if the two states fought each other in an ongoing "
            "inter-state war; 0 otherwise within the data's years, null outside",
            "Int8",
            ds,
            None,
        ),
        Variable(
            "warnum",
            "COW war number of the war kept for the dyad-year (whittle rule: see add_cow_wars)",
            "Int32",
            ds,
            None,
        ),
        Variable(
            "sidea", "side of the state in the kept war (1 or 2)", "Int32", ds, None, dyadic=False
        ),
        Variable(
            "initiator", "1 if the state initiated the kept war", "Int32", ds, None, dyadic=False
        ),
        Variable(
            "outcome",
            "COW war outcome for the state (1 win, 2 loss, 3 compromise, ...)",
            "Int32",
            ds,
            None,
            dyadic=False,
        ),
        Variable(
            "batdeath",
            "battle deaths of the state in the kept war (null if unknown)",
            "Int32",
            ds,
            None,
            dyadic=False,
        ),
        Variable("resume", "1 if the kept war resumes an earlier one", "Int32", ds, None),
    ]


@register("wars", units=["dyad_year"], variables=_variables())
def add_cow_wars(panel: Panel, *, keep: Sequence[str] | None = None) -> Panel:
    """Add COW inter-state wars (v4.0) to a dyad-year panel: states at war with each other.

    Parameters
    ----------
    panel : Panel
        A COW dyad-year panel, directed or not.
    keep : sequence of str, optional
        War attributes to add besides ``cowinteronset`` and ``cowinterongoing`` (always
        added). ``None`` (default) adds all: ``warnum, sidea1, sidea2, initiator1,
        initiator2, outcome1, outcome2, batdeath1, batdeath2, resume``; ``()`` adds none
        (needed after a MIDs step with all attributes, which also adds ``sidea1, sidea2``).

    Returns
    -------
    Panel
        The panel with ``cowinteronset, cowinterongoing`` and the ``keep`` attributes.

    Raises
    ------
    PanelUnitError
        Not a COW dyad-year panel (peacesciencer offers inter-state wars for dyad-years only).
    ParameterError
        Unknown ``keep`` column, or a column the panel already has.

    Notes
    -----
    A dyad-year is at war when the two states were on opposite sides of the same war that
    year (the participant-year pairs peacesciencer built from the COW inter-state war
    data). Several wars in one dyad-year (e.g. USA-North Vietnam 1968-1973) are whittled to
    one row as in peacesciencer's ``add_cow_wars(type = "inter")``: keep unique onsets,
    then the war with the most battle deaths (see :func:`whittle_wars`). Negative battle
    deaths (missing codes) are null, as peacesciencer makes them.

    Onset/ongoing are 0 without a war inside the dataset's years as the catalog gives them
    (``allegiance.data.catalog.get("cow_war_inter").years``) and null outside; attributes
    are null without a war. The catalog gives 1816-2007, the coverage in the dataset's
    citation (Resort to War: 1816-2007), as peacesciencer does.
    Difference from peacesciencer: ``warnum`` is kept (peacesciencer drops it).

    Source
    ------
    Correlates of War Inter-State War data v4.0 [sarkees2010]_, dyad-years as bundled in
    peacesciencer (table ``cow_war_inter``).
    """
    require_unit(panel, "add_cow_wars", "dyad_year", system="cow")
    if keep is None:
        columns = list(_ATTRS)
    else:
        keep = [keep] if isinstance(keep, str) else list(keep)
        unknown = [k for k in keep if k not in _ATTRS]
        if unknown:
            raise ParameterError(
                f"The 'keep' parameter of add_cow_wars() must list columns among "
                f"{{{', '.join(_ATTRS)}}}. Got {unknown[0]!r} instead."
            )
        columns = [c for c in _ATTRS if c in keep]
    flags = ["cowinteronset", "cowinterongoing"]
    check_new_columns(
        panel,
        "add_cow_wars",
        [*flags, *columns],
        "Pass keep=() to add only the onset and ongoing indicators, or keep=[...] with "
        "columns not yet in the panel.",
    )
    years = catalog.get("cow_war_inter").years
    if years is None:  # pragma: no cover - the catalog gives years for every dataset
        raise ParameterError("The catalog gives no years for cow_war_inter.")
    wars = whittle_wars(bundle.scan("cow_war_inter"))
    frame = join_dyad_attrs(panel, wars, [*flags, *columns], symmetric=False)
    frame = frame.with_columns(fill_within(flags, years, pl.Int8))
    return panel.with_frame(frame, "cow_war_inter")
