"""The web API's heavy computations, run in the worker processes; each returns JSON bytes.

A job takes plain values the server has already validated (they travel to a worker by pickle),
calls a run function, the panel builder, a measure's ``compute`` or the study runner, and
returns the answer encoded as FastAPI would encode it, so the server only passes bytes on.
:func:`warm_worker` prepares a worker before it takes jobs.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
from fastapi.encoders import jsonable_encoder

from allegiance.errors import ParameterError
from allegiance.web.schemas import (
    SCENARIOS,
    LandscapeRequest,
    PanelQuery,
    ScenarioRequest,
    parse_codes,
    parse_span,
)

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "dyad_figure",
    "dyad_history",
    "import_modules",
    "landscape",
    "measure_series",
    "panel_page",
    "scenario",
    "study_claims",
    "warm_worker",
]


def _json(content: Any) -> bytes:
    """``content`` as FastAPI's JSON response would render it."""
    return json.dumps(jsonable_encoder(content), ensure_ascii=False, allow_nan=False,
                      indent=None, separators=(",", ":")).encode("utf-8")  # fmt: skip


def panel_page(unit: str, query: dict[str, Any]) -> bytes:
    """A page of a state-year or dyad-year panel (``query``: a :class:`PanelQuery`)."""
    import polars as pl

    from allegiance.panel.build import build_panel

    q = PanelQuery.model_validate(query)
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
            raise ParameterError(f"Unknown column {missing[0]!r}. Columns here: {', '.join(have)}.")
        frame = frame.select(*dict.fromkeys([*panel.keys, *wanted]))
    total = frame.select(pl.len()).collect().item()
    rows = frame.slice((q.page - 1) * q.page_size, q.page_size).collect()
    return _json({"unit": unit, "total_rows": total, "page": q.page, "page_size": q.page_size,
                  "columns": rows.columns, "rows": rows.to_dicts(),
                  "sources": list(panel.sources)})  # fmt: skip


def _measure(name: str, pair: list[int], years: str) -> pl.DataFrame:
    """Measure ``name`` for the dyad ``pair`` (a state measure: for its two states)."""
    from allegiance.measures.registry import compute, get_measure

    if get_measure(name).unit == "state_year":
        return compute(name, parse_span(years), states=list(pair))
    return compute(name, parse_span(years), dyads=[(pair[0], pair[1])])


def measure_series(name: str, pair: list[int], years: str) -> bytes:
    """Values of measure ``name`` for the dyad ``pair`` (or its two states), year by year."""
    frame = _measure(name, pair, years)
    return _json({"measure": name, "dyad": list(pair), "columns": frame.columns,
                  "rows": frame.to_dicts()})  # fmt: skip


def _history(pair: list[int], years: str) -> pl.DataFrame:
    """Per year of the directed dyad ``pair``: GML MID ongoing, ATOP pledges, US troops."""
    import polars as pl

    from allegiance.panel.build import build_panel

    a, b = pair
    panel = build_panel("dyad_year", years=parse_span(years), directed=True, states=[a, b],
                        families=["gml_mids", "atop", "troops"]).collect()  # fmt: skip
    return panel.filter((pl.col("ccode1") == a) & (pl.col("ccode2") == b)).select(
        "year", "gmlmidongoing", "atop_defense", "atop_alliance", "us_troops1", "us_troops2"
    )


def dyad_history(pair: list[int], years: str) -> bytes:
    """Per year: GML MID ongoing, ATOP pledges and US troops in each state of ``pair``."""
    return _json({"dyad": list(pair), "rows": _history(pair, years).to_dicts()})


def dyad_figure(name: str, pair: list[int], years: str) -> bytes:
    """The dyad explorer's figure of measure ``name`` for ``pair`` (plotly JSON, drawn by
    :func:`allegiance.report.figures.dyad_figure`) with the measure's rows of the dyad."""
    import polars as pl

    from allegiance.report.figures import dyad_figure as draw

    frame = _measure(name, pair, years)
    if "ccode1" in frame.columns:
        rows = frame.filter((pl.col("ccode1") == pair[0]) & (pl.col("ccode2") == pair[1]))
    else:
        rows = frame.filter(pl.col("ccode") == pair[0])
    figure = draw(name, rows, _history(pair, years), pair)
    return _json({"measure": name, "dyad": list(pair), "columns": rows.columns,
                  "rows": rows.to_dicts(), "figure": json.loads(figure.to_json())})  # fmt: skip


def landscape(body: dict[str, Any]) -> bytes:
    """An exact landscape of a :class:`LandscapeRequest` (its sizes already checked)."""
    from allegiance.inputs.landscape import LandscapeInputs
    from allegiance.runs.landscape import run_landscape

    req = LandscapeRequest.model_validate(body)
    matrix = np.asarray(req.propensities, dtype=float)
    inputs = LandscapeInputs(tuple(req.actors), (), np.asarray(req.sizes, dtype=float), matrix)
    model = run_landscape(inputs=inputs, n_blocs=req.n_blocs, method="exact").model
    return _json({"actors": list(model.actors_), "n_configurations": int(model.n_configurations_),
                  "n_stable": len(model.stable_),
                  "stable": [c.to_dict() for c in model.stable_[:100]]})  # fmt: skip


@cache
def _plan(name: str) -> Any:
    """The resolved scenario (its base-year data read once per worker)."""
    from allegiance.runs.scenario import plan_scenario

    return plan_scenario(name)


def _shifted(plan: Any, req: ScenarioRequest) -> Any:
    """The plan with the sliders applied: size multipliers and propensity shifts."""
    actors = list(plan.actors)
    sizes = plan.sizes.copy()
    prop = plan.propensity.copy()
    for actor, factor in req.size_multipliers.items():
        if actor not in actors:
            raise ParameterError(f"Unknown actor {actor!r}. Actors: {', '.join(actors)}.")
        sizes[actors.index(actor)] *= factor
    for pair, shift in req.propensity_shifts.items():
        a, _, b = pair.partition("-")
        if a not in actors or b not in actors or a == b:
            raise ParameterError(f"Unknown pair {pair!r}: use two of {', '.join(actors)}, "
                                 "e.g. USA-ROK.")  # fmt: skip
        i, j = actors.index(a), actors.index(b)
        prop[i, j] += shift
        prop[j, i] += shift
    return replace(plan, sizes=sizes, propensity=prop)


def scenario(body: dict[str, Any]) -> bytes:
    """Monte Carlo landscape draws of a shipped scenario with the sliders' shifts applied."""
    from allegiance.runs.scenario import run_scenario

    req = ScenarioRequest.model_validate(body)
    result = run_scenario(_shifted(_plan(req.scenario), req), draws=req.draws, seed=req.seed)
    configs = result.configurations().head(10)
    return _json({
        "scenario": req.scenario, "base_year": result.plan.base_year,
        "actors": list(result.actors), "sizes": result.plan.sizes.tolist(),
        "configurations": configs.select("configuration", "p_basin", "p_stable",
                                         "mean_energy").to_dicts(),
        "together": result.coalition().round(4).tolist(),
    })  # fmt: skip


def study_claims(path: str | None) -> bytes:
    """The claims table of the study file ``path`` (the bundled study when None)."""
    from pathlib import Path

    from allegiance.study.runner import claims_table, run_study
    from allegiance.study.spec import bundled_study, load_study

    spec = load_study(bundled_study() if path is None else Path(path))
    result = run_study(spec)
    return _json({"title": spec.title, "years": spec.years,
                  "claims": claims_table(result).to_dicts()})  # fmt: skip


def import_modules() -> None:
    """Import what the jobs use, so that a worker's first job does not pay for it."""
    import allegiance.measures.registry
    import allegiance.panel.build
    import allegiance.report.figures
    import allegiance.runs.landscape
    import allegiance.runs.scenario
    import allegiance.study.runner  # noqa: F401


def warm_worker() -> None:
    """Prepare a worker: imports, the landscape kernels (numba, two and more blocs), every
    shipped scenario's plan, one scenario draw and one dyad figure (a measure read, plotly)."""
    import_modules()
    from allegiance.models.landscape import load_kernels

    load_kernels()  # the workers fit many landscapes: numba's kernels, not the numpy path
    small = {"actors": ["A", "B", "C"], "sizes": [1.0, 1.0, 1.0],
             "propensities": [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]}  # fmt: skip
    for n_blocs in (2, 3):
        landscape({**small, "n_blocs": n_blocs})
    for name in SCENARIOS:
        _plan(name)
    scenario({"draws": 1})
    dyad_figure("un_agreement", [740, 732], "2000-2001")
