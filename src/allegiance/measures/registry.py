"""The measure registry: every dyadic or state measure by name, with its validated options."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationError

from allegiance.errors import ParameterError

__all__ = [
    "MEASURES",
    "Measure",
    "NoOptions",
    "Scope",
    "compute",
    "get_measure",
    "register_measure",
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


MEASURES: dict[str, Measure] = {}


def register_measure(
    name: str,
    *,
    unit: Literal["dyad_year", "state_year"] = "dyad_year",
    options: type[BaseModel] = NoOptions,
    citations: Sequence[str] = (),
) -> Callable[[Callable[..., pl.DataFrame]], Callable[..., pl.DataFrame]]:
    """Decorator: register ``func(scope: Scope, opts: OptionsModel) -> DataFrame`` as ``name``.

    The function returns ``ccode1, ccode2, year`` (or ``ccode, year``), a column named
    ``name`` and any documented companion columns.
    """

    def wrap(func: Callable[..., pl.DataFrame]) -> Callable[..., pl.DataFrame]:
        doc = (func.__doc__ or "").strip().splitlines()
        MEASURES[name] = Measure(name, func, unit, options, tuple(citations), doc[0] if doc else "")
        return func

    return wrap


def _load() -> None:
    import allegiance.measures.all_measures  # noqa: F401  (fills MEASURES)


def get_measure(name: str) -> Measure:
    """The registered measure ``name``; a clear ParameterError for unknown names."""
    _load()
    if name not in MEASURES:
        raise ParameterError(
            f"Unknown measure {name!r}. Valid measures: {', '.join(sorted(MEASURES))}."
        )
    return MEASURES[name]


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
    allegiance.errors.ParameterError: Unknown measure 'nope'. Valid measures: ...
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
