"""The measure registry: every dyadic or state measure by name, with its validated options."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationError

from allegiance.errors import ParameterError
from allegiance.panel.base import Panel
from allegiance.references import with_references
from allegiance.registry import Registry

__all__ = [
    "MEASURES",
    "Measure",
    "NoOptions",
    "Scope",
    "compute",
    "get_measure",
    "panel_step",
    "register_measure",
    "require_years",
    "scope_dyad_years",
    "scope_state_years",
]


class NoOptions(BaseModel):
    """Options model of a measure that takes none."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


@dataclass(frozen=True)
class Scope:
    """Which cases a measure is computed for.

    ``years`` always; ``dyads`` (pairs of COW codes, kept in the order given) or ``states`` (a
    region: every unordered pair of its states, or every state for state measures). With
    neither, every dyad-year (or state-year) of the COW system in those years.
    """

    years: range
    dyads: tuple[tuple[int, int], ...] | None = None
    states: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Measure:
    """A registered measure: its function, unit, options model and citations."""

    name: str
    func: Callable[..., pl.DataFrame]
    unit: Literal["dyad_year", "state_year"]
    options: type[BaseModel]
    citations: tuple[str, ...]
    summary: str


#: Every measure by name, filled when :mod:`allegiance.measures` is imported.
MEASURES: Registry[Measure] = Registry("measure")


def register_measure(
    name: str,
    *,
    unit: Literal["dyad_year", "state_year"] = "dyad_year",
    options: type[BaseModel] = NoOptions,
    citations: Sequence[str] = (),
) -> Callable[[Callable[..., pl.DataFrame]], Callable[..., pl.DataFrame]]:
    """Decorator: register ``func(scope: Scope, opts: OptionsModel) -> DataFrame`` as ``name``.

    The function returns ``ccode1, ccode2, year`` (or ``ccode, year``), a column named
    ``name`` and any documented companion columns. A measure has one name: the function is
    called ``name`` too, and its panel form (:func:`panel_step`) ``add_<name>``. The
    docstring's ``References`` section is rendered from ``citations`` (keys of
    ``references.bib``), so the text cites them as ``[key]_``.
    """

    def wrap(func: Callable[..., pl.DataFrame]) -> Callable[..., pl.DataFrame]:
        if func.__name__ != name:
            raise ValueError(f"The measure {name!r} must be computed by a function named {name}.")
        func.__doc__ = with_references(func.__doc__, citations)
        doc = (func.__doc__ or "").strip().splitlines()
        MEASURES.add(
            name, Measure(name, func, unit, options, tuple(citations), doc[0] if doc else "")
        )
        return func

    return wrap


def get_measure(name: str) -> Measure:
    """The registered measure ``name``; a clear ParameterError for unknown names."""
    return MEASURES[name]


def panel_step(name: str) -> Callable[..., Panel]:
    """The panel form of measure ``name``: ``add_<name>(panel, **options)``.

    The returned step computes the measure for the panel's own dyads (or states) and years and
    joins its columns (the measure and its companions) onto the panel, keeping rows and order,
    so measures chain with the variable families::

        dyad_years("cow", range(1990, 2001)).pipe(add_contiguity).pipe(add_sscore)

    Dyad-year measures need a COW dyad-year panel (directed or not: the pair's order is kept),
    state-year measures a COW state-year panel. Options are the measure's own (see its
    docstring) and are validated as in :func:`compute`.
    """

    def step(panel: Panel, **options: Any) -> Panel:
        from allegiance.panel.steps import check_new_columns, require_unit

        measure = get_measure(name)
        require_unit(panel, f"add_{name}", measure.unit, system="cow")
        keys = panel.keys
        span = panel.frame.select(pl.col("year").min().alias("lo"), pl.col("year").max())
        lo, hi = span.collect().row(0)
        if lo is None:
            return panel
        if measure.unit == "dyad_year":
            pairs = panel.frame.select(keys[:2]).unique().collect().rows()
            values = compute(name, range(lo, hi + 1), dyads=pairs, **options)
        else:
            states = panel.frame.select(keys[0]).unique().collect().to_series().to_list()
            values = compute(name, range(lo, hi + 1), states=states, **options)
        columns = [c for c in values.columns if c not in keys]
        check_new_columns(panel, f"add_{name}", columns, "each measure is added once")
        schema = panel.frame.collect_schema()
        values = values.select(*(pl.col(k).cast(schema[k]) for k in keys), *columns)
        frame = panel.frame.join(
            values.lazy(), on=keys, how="left", validate="m:1", maintain_order="left"
        )
        return panel.with_frame(frame)

    step.__name__ = step.__qualname__ = f"add_{name}"
    step.__doc__ = (
        f"Add measure ``{name}`` to a panel (the panel form of "
        f":func:`allegiance.measures.compute`; see :func:`panel_step`)."
    )
    return step


def parse_options(measure: Measure, raw: Mapping[str, Any]) -> BaseModel:
    """Validate ``raw`` options against the measure's model; one clear line on error."""
    try:
        return measure.options(**raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "options"
        fields = ", ".join(measure.options.model_fields) or "none"
        if err["type"] == "extra_forbidden":
            raise ParameterError(
                f"The measure {measure.name!r} has no option {field!r}. Its options: {fields}."
            ) from None
        raise ParameterError(
            f"The {field!r} option of measure {measure.name!r} is invalid: {err['msg']}. "
            f"Got {err.get('input')!r}."
        ) from None


def compute(
    name: str,
    years: range,
    *,
    dyads: Sequence[tuple[int, int]] | None = None,
    states: Sequence[int] | None = None,
    **options: Any,
) -> pl.DataFrame:
    """Compute measure ``name`` for the given years and dyads (or region of states).

    Examples
    --------
    >>> compute("nope", range(2000, 2001))
    Traceback (most recent call last):
    ...
    allegiance.registry.UnknownNameError: Unknown measure 'nope'. Valid measures: sscore, ...
    """
    measure = get_measure(name)
    _check_years(name, years)
    if states is not None and len(set(states)) < 2 and measure.unit == "dyad_year":
        raise ParameterError(
            f"A region needs at least two states for the dyadic measure {name!r}. "
            f"Got {list(states)}."
        )
    scope = Scope(
        years=years,
        dyads=tuple((int(a), int(b)) for a, b in dyads) if dyads is not None else None,
        states=tuple(int(s) for s in states) if states is not None else None,
    )
    result = measure.func(scope, parse_options(measure, options))
    if result.height == 0:
        what = "dyads" if scope.dyads is not None else "states"
        raise ParameterError(
            f"No cases for measure {name!r}: the {what} asked for were never COW system "
            f"members together in {years.start}-{years.stop - 1}."
        )
    return result


def require_years(measure: str, years: range, lo: int, hi: int, source: str) -> range:
    """The requested years inside ``lo..hi``; a ParameterError if none are.

    >>> require_years("x", range(2000, 2020), 1816, 2010, "GML MIDs")
    range(2000, 2011)
    """
    inside = range(max(years.start, lo), min(years.stop, hi + 1))
    if len(inside) == 0:
        last = years.stop - 1
        raise ParameterError(
            f"The measure {measure!r} needs years within {lo}-{hi} ({source}). "
            f"Got {years.start}-{last}."
        )
    return inside


def _check_years(name: str, years: range) -> None:
    """Years must lie within the COW system's years (to peacesciencer's most recent year)."""
    from allegiance.panel.universe import system_years

    first, last = system_years("cow")
    if len(years) == 0 or years.start < first or years.stop - 1 > last:
        raise ParameterError(
            f"The years of measure {name!r} must lie within {first}-{last}, the COW system's "
            f"years. Got {years.start}-{years.stop - 1}."
        )


def scope_dyad_years(scope: Scope, *, directed: bool = False) -> pl.DataFrame:
    """``ccode1, ccode2, year`` rows of a scope, for the years both states were COW members.

    Explicit ``dyads`` keep the order the user gave; a region or the whole system gives each
    unordered pair once (``ccode1 < ccode2``) unless ``directed``.
    """
    from allegiance.panel.universe import dyad_years, system_years

    first, last = system_years("cow")
    years = range(max(scope.years.start, first), min(scope.years.stop, last + 1))
    if scope.dyads is not None:
        members = sorted({c for pair in scope.dyads for c in pair})
        frame = dyad_years("cow", years, directed=True, states=members).collect()
        wanted = pl.DataFrame(
            list(scope.dyads), schema={"ccode1": pl.Int32, "ccode2": pl.Int32}, orient="row"
        )
        return wanted.join(frame, on=["ccode1", "ccode2"], how="inner").sort(
            "ccode1", "ccode2", "year"
        )
    states = list(scope.states) if scope.states is not None else None
    return dyad_years("cow", years, directed=directed, states=states).collect()


def scope_state_years(scope: Scope) -> pl.DataFrame:
    """``ccode, year`` rows of a scope (members of its dyads or region, or every state)."""
    from allegiance.panel.universe import state_years, system_years

    first, last = system_years("cow")
    years = range(max(scope.years.start, first), min(scope.years.stop, last + 1))
    states: list[int] | None = None
    if scope.dyads is not None:
        states = sorted({c for pair in scope.dyads for c in pair})
    elif scope.states is not None:
        states = list(scope.states)
    return state_years("cow", years, states).collect()
