"""The JSON API: panels, measures, models and study results, every parameter validated."""

from __future__ import annotations

from dataclasses import replace
from functools import cache, lru_cache
from typing import Annotated, Any

import numpy as np
import polars as pl
from fastapi import APIRouter, HTTPException, Query

from allegiance.params import parse_dyad
from allegiance.web.schemas import (
    DyadText,
    LandscapeRequest,
    PanelQuery,
    ScenarioRequest,
    YearsText,
    parse_codes,
    parse_span,
)

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

MAX_EXACT_ACTORS = 16


def _unprocessable(message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=message)


def _panel(unit: str, q: PanelQuery) -> dict[str, Any]:
    return _panel_page(unit, q.model_dump_json())


@lru_cache(maxsize=128)
def _panel_page(unit: str, query: str) -> dict[str, Any]:
    """A page of a panel; cached per process, since panels are pure functions of the data."""
    from allegiance.panel.build import build_panel

    q = PanelQuery.model_validate_json(query)
    states = parse_codes(q.states) if q.states else None
    families = [f.strip() for f in q.add.split(",") if f.strip()]
    panel = build_panel(unit, years=parse_span(q.years), directed=q.directed, states=states,  # type: ignore[arg-type]
                        families=families)  # fmt: skip
    frame = panel.frame
    if q.columns:
        wanted = [c.strip() for c in q.columns.split(",") if c.strip()]
        have = frame.collect_schema().names()
        missing = [c for c in wanted if c not in have]
        if missing:
            raise _unprocessable(f"Unknown column {missing[0]!r}. Columns here: {', '.join(have)}.")
        frame = frame.select(*dict.fromkeys([*panel.keys, *wanted]))
    total = frame.select(pl.len()).collect().item()
    rows = frame.slice((q.page - 1) * q.page_size, q.page_size).collect()
    return {"unit": unit, "total_rows": total, "page": q.page, "page_size": q.page_size,
            "columns": rows.columns, "rows": rows.to_dicts(),
            "sources": list(panel.sources)}  # fmt: skip


@router.get("/states", summary="State-year panel, paged")
def states(q: Annotated[PanelQuery, Query()]) -> dict[str, Any]:
    """State-years of the COW system with the requested variable families."""
    return _panel("state_year", q)


@router.get("/dyads", summary="Dyad-year panel, paged")
def dyads(q: Annotated[PanelQuery, Query()]) -> dict[str, Any]:
    """Dyad-years of the COW system with the requested variable families."""
    return _panel("dyad_year", q)


@router.get("/variables", summary="The panel codebook")
def variables() -> list[dict[str, Any]]:
    """Every column a family adds: meaning, type, source, years."""
    from allegiance.panel.variables import codebook

    return codebook().to_dicts()


@router.get("/measures", summary="Names of the measures")
def measure_names() -> list[str]:
    """Every measure the API can compute."""
    from allegiance.measures.registry import MEASURES, get_measure

    get_measure("sscore")
    return sorted(MEASURES)


def _dyad(value: str) -> tuple[int, int]:
    return parse_dyad(value, "dyad")


@router.get("/measures/{name}", summary="A measure for one dyad over time")
def measure_series(
    name: str,
    dyad: Annotated[
        DyadText, Query(description="Two states, e.g. 740-732 or Japan-ROK")
    ] = "740-732",
    years: Annotated[YearsText, Query(description="Year range, e.g. 1965-2018")] = "1965-2018",
) -> dict[str, Any]:
    """Values of measure ``name`` (and its companions) for a dyad, year by year."""
    return _measure_series(name, _dyad(dyad), years)


@lru_cache(maxsize=256)
def _measure_series(name: str, pair: tuple[int, int], years: str) -> dict[str, Any]:
    """Measures are pure functions of the shipped data, so answers are cached per process."""
    from allegiance.measures.registry import compute, get_measure

    if get_measure(name).unit == "state_year":
        frame = compute(name, parse_span(years), states=list(pair))
    else:
        frame = compute(name, parse_span(years), dyads=[pair])
    return {"measure": name, "dyad": list(pair), "columns": frame.columns,
            "rows": frame.to_dicts()}  # fmt: skip


@router.get("/dyad-history", summary="Disputes, alliances and US troops for a dyad")
def dyad_history(
    dyad: Annotated[DyadText, Query(description="Two states, e.g. 740-732")] = "740-732",
    years: Annotated[YearsText, Query(description="Year range, e.g. 1946-2018")] = "1946-2018",
) -> dict[str, Any]:
    """Per year: GML MID ongoing, ATOP pledges and US troops in each state (explorer marks)."""
    from allegiance.panel.build import build_panel

    a, b = _dyad(dyad)
    panel = build_panel("dyad_year", years=parse_span(years), directed=True, states=[a, b],
                        families=["gml_mids", "atop", "troops"]).collect()  # fmt: skip
    rows = panel.filter((pl.col("ccode1") == a) & (pl.col("ccode2") == b)).select(
        "year", "gmlmidongoing", "atop_defense", "atop_alliance", "us_troops1", "us_troops2"
    )
    return {"dyad": [a, b], "rows": rows.to_dicts()}


@router.post("/landscape", summary="Stable configurations of a landscape")
def landscape(req: LandscapeRequest) -> dict[str, Any]:
    """Exact two- to four-bloc landscape (Axelrod & Bennett 1993) for up to 16 actors; the
    100 lowest-energy stable configurations are returned with the total count."""
    from allegiance.inputs.landscape import LandscapeInputs
    from allegiance.runs.landscape import run_landscape

    n = len(req.actors)
    matrix = np.asarray(req.propensities, dtype=float)
    if len(req.sizes) != n or matrix.shape != (n, n):
        raise _unprocessable(f"sizes and propensities must match the {n} actors")
    if not np.allclose(matrix, matrix.T) or np.any(np.diag(matrix) != 0):
        raise _unprocessable("propensities must be symmetric with a zero diagonal")
    inputs = LandscapeInputs(tuple(req.actors), (), np.asarray(req.sizes, dtype=float), matrix)
    model = run_landscape(inputs=inputs, n_blocs=req.n_blocs, method="exact").model
    return {"actors": list(model.actors_), "n_configurations": int(model.n_configurations_),
            "n_stable": len(model.stable_),
            "stable": [c.to_dict() for c in model.stable_[:100]]}  # fmt: skip


@router.get("/study", summary="Claims of the bundled Northeast Asia study")
def study() -> dict[str, Any]:
    """The claims table of the bundled study (evidence from the cache when fresh)."""
    from allegiance.study.runner import claims_table, run_study
    from allegiance.study.spec import bundled_study, load_study

    spec = load_study(bundled_study())
    result = run_study(spec)
    return {"title": spec.title, "years": spec.years, "claims": claims_table(result).to_dicts()}


@cache
def _plan(name: str) -> Any:
    """The resolved scenario (its base-year data read once per process)."""
    from allegiance.runs.scenario import plan_scenario

    return plan_scenario(name)


def _shifted(plan: Any, req: ScenarioRequest) -> Any:
    """The plan with the sliders applied: size multipliers and propensity shifts."""
    actors = list(plan.actors)
    sizes = plan.sizes.copy()
    prop = plan.propensity.copy()
    for actor, factor in req.size_multipliers.items():
        if actor not in actors:
            raise _unprocessable(f"Unknown actor {actor!r}. Actors: {', '.join(actors)}.")
        sizes[actors.index(actor)] *= factor
    for pair, shift in req.propensity_shifts.items():
        a, _, b = pair.partition("-")
        if a not in actors or b not in actors or a == b:
            raise _unprocessable(f"Unknown pair {pair!r}: use two of {', '.join(actors)}, "
                                 "e.g. USA-ROK.")  # fmt: skip
        i, j = actors.index(a), actors.index(b)
        prop[i, j] += shift
        prop[j, i] += shift
    return replace(plan, sizes=sizes, propensity=prop)


@router.post("/scenario", summary="Run a scenario with the sliders' shifts")
def scenario(req: ScenarioRequest) -> dict[str, Any]:
    """Monte Carlo landscape draws for a shipped Northeast Asia scenario with size
    multipliers and propensity shifts applied: configuration probabilities and, for each pair
    of actors, the probability of sharing a bloc."""
    from allegiance.runs.scenario import run_scenario

    result = run_scenario(_shifted(_plan(req.scenario), req), draws=req.draws, seed=req.seed)
    configs = result.configurations().head(10)
    return {
        "scenario": req.scenario, "base_year": result.plan.base_year,
        "actors": list(result.actors), "sizes": result.plan.sizes.tolist(),
        "configurations": configs.select("configuration", "p_basin", "p_stable",
                                         "mean_energy").to_dicts(),
        "together": result.coalition().round(4).tolist(),
    }  # fmt: skip
