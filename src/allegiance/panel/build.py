"""Build a panel from a universe and a list of variable families (API of the panel command)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from allegiance.errors import ParameterError
from allegiance.panel.base import Panel, System
from allegiance.panel.steps import FAMILIES
from allegiance.panel.universe import dyad_years, state_years

__all__ = ["build_panel", "check_families", "family_years"]

# Steps that read columns other steps add run after them, whatever order the user gives.
_RUN_LAST = ("peace_years",)
# Families that add the same dispute attributes (dispnum, hostlev, sidea1, ...): only the first
# one requested adds them; the others add just their onset and ongoing indicators.
_SHARED_ATTRIBUTES = ("gml_mids", "cow_mids", "wars")


def check_families(families: Sequence[str], unit: Literal["state_year", "dyad_year"]) -> list[str]:
    """Validate family names for a unit; return them in the order they must run."""
    for name in families:
        FAMILIES[name]  # an unknown name raises, listing the valid families
    wrong = [f for f in families if unit not in FAMILIES[f].units]
    if wrong:
        fits = ", ".join(n for n, fam in FAMILIES.items() if unit in fam.units)
        kind = "state-year" if unit == "state_year" else "dyad-year"
        raise ParameterError(
            f"The family {wrong[0]!r} does not apply to {kind} panels. Families for {kind} "
            f"panels: {fits}."
        )
    seen = list(dict.fromkeys(families))
    return [f for f in seen if f not in _RUN_LAST] + [f for f in seen if f in _RUN_LAST]


def build_panel(
    unit: Literal["state_year", "dyad_year"],
    *,
    system: System = "cow",
    years: Iterable[int] | None = None,
    directed: bool = False,
    states: Sequence[int | str] | None = None,
    families: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
    require_coverage: bool = False,
) -> Panel:
    """A state-year or dyad-year panel with the named variable families added.

    Parameters
    ----------
    unit : {"state_year", "dyad_year"}
        The unit of analysis.
    system, years, directed, states
        Passed to :func:`state_years` / :func:`dyad_years`.
    families : sequence of str
        Names from :data:`allegiance.panel.FAMILIES` (``contiguity``, ``atop``, ...). When
        several of ``gml_mids``, ``cow_mids`` and ``wars`` are asked for, the first adds its
        dispute attributes and the others only their onset/ongoing indicators (as
        peacesciencer's ``keep = NULL``), so no column is overwritten.
    progress : callable, optional
        Called with each family's name before it is added.
    require_coverage : bool, default False
        Refuse (ParameterError) a family whose data cover none of ``years``; otherwise its
        columns are simply null there.
    """
    order = check_families(families, unit)
    if years is not None and require_coverage:
        years = list(years)
        for name in order:
            _check_coverage(name, min(years, default=0), max(years, default=0))
    if unit == "state_year":
        panel = state_years(system, years, states)
    else:
        panel = dyad_years(system, years, directed=directed, states=states)
    attributes_added = False
    for name in order:
        if progress is not None:
            progress(name)
        if name in _SHARED_ATTRIBUTES and attributes_added:
            panel = FAMILIES[name].step(panel, keep=())
            continue
        attributes_added = attributes_added or name in _SHARED_ATTRIBUTES
        panel = FAMILIES[name].step(panel)
    return panel


def family_years(name: str) -> tuple[int, int] | None:
    """First and last year the datasets of a family cover (catalog), or None if timeless."""
    from allegiance.data import catalog

    spans = [catalog.get(v.dataset).years for v in FAMILIES[name].variables]
    known = [s for s in spans if s is not None]
    return (min(s[0] for s in known), max(s[1] for s in known)) if known else None


def _check_coverage(name: str, first: int, last: int) -> None:
    """Refuse a family whose data cover none of the requested years."""
    span = family_years(name)
    if span is not None and (last < span[0] or first > span[1]):
        raise ParameterError(
            f"The family {name!r} has data for {span[0]}-{span[1]} only; the years "
            f"{first}-{last} lie outside it. Ask for years within {span[0]}-{span[1]}."
        )
