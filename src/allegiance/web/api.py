"""The JSON API: panels, measures, models and study results, every parameter validated.

Parameters are checked here, in the server, so that bad input gets its 422 at once. The
computations (:mod:`allegiance.web.jobs`) run in the worker pool through
:class:`~allegiance.web.answers.Answers`; the cheap endpoints (the codebook, the measure
names) answer in the server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import anyio.to_thread
import numpy as np
from fastapi import APIRouter, HTTPException, Query, Request, Response

from allegiance.params import parse_dyad
from allegiance.web import jobs
from allegiance.web.answers import Answers
from allegiance.web.limits import MAX_EXACT_CONFIGURATIONS
from allegiance.web.schemas import (
    SCENARIOS,
    DyadText,
    LandscapeRequest,
    PanelQuery,
    ScenarioRequest,
    YearsText,
    parse_codes,
    parse_span,
)

__all__ = ["DASHBOARD", "dashboard_requests", "router"]

router = APIRouter(prefix="/api", tags=["api"])

#: What the dashboard's pages show first; the pages are rendered with these values and their
#: answers are computed before the server reports ready (:func:`dashboard_requests`).
DASHBOARD: dict[str, Any] = {
    "dyad": (740, 732),
    "years": "1965-2018",
    "measure": "un_agreement",
    "scenario": "baseline",
    "scenarios": SCENARIOS,
    "draws": 50,
    "seed": 0,
    "actors": ["USA", "RUS", "CHN", "PRK", "ROK", "JPN"],
    "pairs": ["USA-ROK", "USA-JPN", "ROK-JPN", "ROK-CHN", "JPN-CHN", "USA-CHN"],
}

_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "The request body is larger than the server's limit."},
    422: {"description": "A parameter is invalid; `detail` says which and why."},
    503: {"description": "The server is busy; retry after the `Retry-After` seconds."},
    504: {"description": "The computation took longer than the server's time limit."},
}


def _unprocessable(message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=message)


async def _answer(request: Request, fn: Callable[..., bytes], *args: Any) -> Response:
    """``fn(*args)`` from the worker pool (or the cache), as a JSON response."""
    answers: Answers = request.app.state.answers
    if not answers.pool.started:  # served without a lifespan: start on first use
        await anyio.to_thread.run_sync(answers.pool.start)
    body = await answers.get(fn, *args, client=request)
    return Response(body, media_type="application/json")


def _years(text: str) -> str:
    """A validated year range in one spelling, so that equal ranges share an answer."""
    span = parse_span(text)
    return f"{span.start}-{span.stop - 1}"


def _dyad(value: str) -> list[int]:
    a, b = parse_dyad(value, "dyad")
    return [a, b]


@router.get("/states", summary="State-year panel, paged", response_model=dict[str, Any],
            responses=_ERRORS)  # fmt: skip
async def states(request: Request, q: Annotated[PanelQuery, Query()]) -> Response:
    """State-years of the COW system with the requested variable families."""
    if q.states:
        parse_codes(q.states)
    return await _answer(request, jobs.panel_page, "state_year", q.model_dump())


@router.get("/dyads", summary="Dyad-year panel, paged", response_model=dict[str, Any],
            responses=_ERRORS)  # fmt: skip
async def dyads(request: Request, q: Annotated[PanelQuery, Query()]) -> Response:
    """Dyad-years of the COW system with the requested variable families."""
    if q.states:
        parse_codes(q.states)
    return await _answer(request, jobs.panel_page, "dyad_year", q.model_dump())


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


@router.get("/measures/{name}", summary="A measure for one dyad over time",
            response_model=dict[str, Any], responses=_ERRORS)  # fmt: skip
async def measure_series(
    request: Request,
    name: str,
    dyad: Annotated[
        DyadText, Query(description="Two states, e.g. 740-732 or Japan-ROK")
    ] = "740-732",
    years: Annotated[YearsText, Query(description="Year range, e.g. 1965-2018")] = "1965-2018",
) -> Response:
    """Values of measure ``name`` (and its companions) for a dyad, year by year."""
    from allegiance.measures.registry import get_measure

    get_measure(name)
    return await _answer(request, jobs.measure_series, name, _dyad(dyad), _years(years))


@router.get("/dyad-figure", summary="The dyad explorer's figure of a measure",
            response_model=dict[str, Any], responses=_ERRORS)  # fmt: skip
async def dyad_figure(
    request: Request,
    measure: Annotated[str, Query(description="A measure name, e.g. relations")] = "un_agreement",
    dyad: Annotated[
        DyadText, Query(description="Two states, e.g. 740-732 or Japan-ROK")
    ] = "740-732",
    years: Annotated[YearsText, Query(description="Year range, e.g. 1965-2018")] = "1965-2018",
) -> Response:
    """The measure's rows for the dyad (A, B in the order given) and the explorer's plotly
    figure (``figure``: ``data`` and ``layout``): the measure by year (``relations``: one
    trace per event source, broken where no source covers), US troops in each state, A's
    ATOP defense pledges to B and the years of an ongoing GML MID."""
    from allegiance.measures.registry import get_measure

    get_measure(measure)
    return await _answer(request, jobs.dyad_figure, measure, _dyad(dyad), _years(years))


@router.get("/dyad-history", summary="Disputes, alliances and US troops for a dyad",
            response_model=dict[str, Any], responses=_ERRORS)  # fmt: skip
async def dyad_history(
    request: Request,
    dyad: Annotated[DyadText, Query(description="Two states, e.g. 740-732")] = "740-732",
    years: Annotated[YearsText, Query(description="Year range, e.g. 1946-2018")] = "1946-2018",
) -> Response:
    """Per year: GML MID ongoing, ATOP pledges and US troops in each state (explorer marks)."""
    return await _answer(request, jobs.dyad_history, _dyad(dyad), _years(years))


def _check_landscape(req: LandscapeRequest) -> None:
    """Shapes, symmetry and the size of the exact enumeration (all cheap, so here)."""
    n = len(req.actors)
    matrix = np.asarray(req.propensities, dtype=float)
    if len(req.sizes) != n or matrix.shape != (n, n):
        raise _unprocessable(f"sizes and propensities must match the {n} actors")
    if not np.allclose(matrix, matrix.T) or np.any(np.diag(matrix) != 0):
        raise _unprocessable("propensities must be symmetric with a zero diagonal")
    configurations = req.n_blocs ** (n - 1)
    if configurations > MAX_EXACT_CONFIGURATIONS:
        raise _unprocessable(
            f"An exact landscape of {n} actors in {req.n_blocs} blocs enumerates "
            f"{req.n_blocs}^{n - 1} = {configurations:,} configurations; the API computes at "
            f"most {MAX_EXACT_CONFIGURATIONS:,} (e.g. 16 actors in 2 blocs, 13 in 3, 11 in 4). "
            "Use fewer actors or blocs, or run `allegiance landscape --method heuristic`."
        )


@router.post("/landscape", summary="Stable configurations of a landscape",
             response_model=dict[str, Any], responses=_ERRORS)  # fmt: skip
async def landscape(request: Request, req: LandscapeRequest) -> Response:
    """Exact two- to four-bloc landscape (Axelrod & Bennett 1993) of up to 16 actors and at
    most 2^20 configurations (``n_blocs ** (actors - 1)``); the 100 lowest-energy stable
    configurations are returned with the total count."""
    _check_landscape(req)
    return await _answer(request, jobs.landscape, req.model_dump())


@router.get("/study", summary="Claims of the dashboard's study", response_model=dict[str, Any],
            responses=_ERRORS)  # fmt: skip
async def study(request: Request) -> Response:
    """The claims table of the study the server shows (the bundled Northeast Asia study unless
    ``allegiance serve --study`` names another), evidence from the cache when fresh."""
    return await _answer(request, jobs.study_claims, request.app.state.study)


@router.post("/scenario", summary="Run a scenario with the sliders' shifts",
             response_model=dict[str, Any], responses=_ERRORS)  # fmt: skip
async def scenario(request: Request, req: ScenarioRequest) -> Response:
    """Monte Carlo landscape draws for a shipped Northeast Asia scenario with size
    multipliers and propensity shifts applied: configuration probabilities and, for each pair
    of actors, the probability of sharing a bloc."""
    return await _answer(request, jobs.scenario, req.model_dump())


def dashboard_requests(study: str | None) -> list[tuple[Callable[..., bytes], tuple[Any, ...]]]:
    """The jobs (function, arguments) of the dashboard pages' first requests, as the routes
    above build them: the study's claims, the dyad explorer's figure, and the
    scenario page's first run with every slider at rest."""
    dyad, years = list(DASHBOARD["dyad"]), DASHBOARD["years"]
    sliders = ScenarioRequest(
        scenario=DASHBOARD["scenario"], draws=DASHBOARD["draws"], seed=DASHBOARD["seed"],
        size_multipliers=dict.fromkeys(DASHBOARD["actors"], 1.0),
        propensity_shifts=dict.fromkeys(DASHBOARD["pairs"], 0.0),
    )  # fmt: skip
    return [
        (jobs.study_claims, (study,)),
        (jobs.dyad_figure, (DASHBOARD["measure"], dyad, years)),
        (jobs.scenario, (sliders.model_dump(),)),
    ]
