"""Running scenarios: resolve a scenario file against the data, run its draws, summarise.

A scenario file (:mod:`allegiance.inputs.scenario`) is resolved to a
:class:`~allegiance.models.scenario.Plan` (actors named, base inputs read for the base year,
shocks indexed); its draws run serially, on local processes or on a Dask cluster, each seeded
from one recorded seed so that results do not depend on where they ran.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from allegiance.errors import ParameterError
from allegiance.inputs.scenario import ScenarioFile, load_scenario_file, scenario_path
from allegiance.models.base import resolve_seed
from allegiance.models.scenario import DrawResult, Plan, ScenarioResult, run_chunk
from allegiance.runs.landscape import landscape_inputs

__all__ = ["DASK_TIMEOUT", "plan_scenario", "run_draws", "run_scenario"]


def plan_scenario(
    spec: ScenarioFile | str | Path,
    *,
    data: Callable[..., Any] | None = None,
) -> Plan:
    """Resolve a scenario: read base inputs from the data, name every actor, index the shocks.

    Parameters
    ----------
    spec : ScenarioFile or path
        A validated scenario, or the path (or shipped name) of a scenario file.
    data : callable, optional
        ``data(year, codes, size=..., propensity=...)`` returning an object with ``actors``,
        ``sizes``, ``propensity`` (and optionally ``years_used``), by default
        :func:`allegiance.runs.landscape.landscape_inputs`. Tests pass hand-made
        inputs.

    Raises
    ------
    ParameterError
        An actor is unknown or listed twice, a shock names an actor not in the scenario, or
        the data lack the base year; the message names the file and the key.
    """
    if not isinstance(spec, ScenarioFile):
        path = scenario_path(spec)
        return _plan(load_scenario_file(path), str(path), data)
    return _plan(spec, spec.name, data)


def _plan(spec: ScenarioFile, source: str, data: Any) -> Plan:
    from allegiance.data.codes import resolve

    def fail(key: str, message: str) -> ParameterError:
        return ParameterError(f"Scenario file {source}: {key}: {message}")

    codes: list[int] = []
    for k, actor in enumerate(spec.actors):
        try:
            code = resolve(actor, year=spec.base_year).ccode
        except (KeyError, ParameterError) as exc:  # UnknownCodeError is a KeyError
            raise fail(f"actors[{k}]", str(exc)) from None
        if code in codes:
            raise fail(f"actors[{k}]", f"{actor!r} is listed twice.")
        codes.append(int(code))  # type: ignore[arg-type]
    removed = set()
    for k, actor in enumerate(spec.remove):
        index = _find(actor, codes, [], spec.base_year)
        if index is None:
            raise fail(f"remove[{k}]", f"{actor!r} is not one of the scenario's actors.")
        removed.add(codes[index])
    kept = [c for c in codes if c not in removed]
    if not kept and not spec.add_actor:
        raise fail("remove", "every actor is removed; nothing is left to align.")
    if len(kept) == 1:
        raise fail("remove", "a single actor from the data is left; keep two or more.")
    names: list[str] = []
    sizes, propensity, notes = np.zeros(0), np.zeros((0, 0)), {}
    if kept:
        inputs = (data or _panel_inputs)(
            spec.base_year, kept, size=spec.size_source, propensity=spec.propensity_source
        )
        names, sizes, propensity = list(inputs.actors), inputs.sizes, inputs.propensity
        notes = {"years_used": dict(getattr(inputs, "years_used", {}))}
    plan = _with_additions(spec, source, fail, kept, names, sizes, propensity)
    return replace(plan, notes=notes)


def _with_additions(
    spec: ScenarioFile,
    source: str,
    fail: Callable[[str, str], ParameterError],
    kept: list[int],
    names: list[str],
    sizes: NDArray[np.float64],
    propensity: NDArray[np.float64],
) -> Plan:
    n_data, n = len(names), len(names) + len(spec.add_actor)
    all_names = names + [a.name for a in spec.add_actor]
    if len(set(all_names)) != n:
        raise fail("add_actor", "an added actor's name is already taken.")
    codes: list[int | None] = [*kept, *([None] * len(spec.add_actor))]
    base_s = np.zeros(n)
    base_s[:n_data] = sizes
    base_p = np.zeros((n, n))
    base_p[:n_data, :n_data] = propensity

    def index(actor: str | int, key: str) -> int:
        found = _find(actor, codes, all_names, spec.base_year)
        if found is None:
            raise fail(
                key, f"{actor!r} is not one of the scenario's actors ({', '.join(all_names)})."
            )
        return found

    added = tuple(
        (
            n_data + k,
            a.size,
            tuple((index(o, f"add_actor[{k}].propensity.{o}"), d) for o, d in a.propensity.items()),
        )
        for k, a in enumerate(spec.add_actor)
    )
    size_ops = tuple(
        (
            index(s.actor, f"size_shock[{k}].actor"),
            "multiply" if s.multiply is not None else "set",
            s.multiply if s.multiply is not None else s.set,
        )
        for k, s in enumerate(spec.size_shock)
    )
    prop_ops = tuple(
        (
            index(p.pair[0], f"propensity_shock[{k}].pair"),
            index(p.pair[1], f"propensity_shock[{k}].pair"),
            "add" if p.add is not None else "set",
            p.add if p.add is not None else p.set,
        )
        for k, p in enumerate(spec.propensity_shock)
    )
    for k, (i, j, _, _) in enumerate(prop_ops):
        if i == j:
            raise fail(f"propensity_shock[{k}].pair", "a pair needs two different actors.")
    return Plan(
        name=spec.name,
        source=source,
        base_year=spec.base_year,
        actors=tuple(all_names),
        codes=tuple(codes),
        sizes=base_s,
        propensity=base_p,
        from_data=np.arange(n) < n_data,
        n_blocs=spec.n_blocs,
        size_noise=spec.uncertainty.size,
        propensity_noise=spec.uncertainty.propensity,
        added=added,
        size_ops=size_ops,  # type: ignore[arg-type]
        propensity_ops=prop_ops,  # type: ignore[arg-type]
        description=spec.description,
    )


def _find(
    actor: str | int, codes: Sequence[int | None], names: Sequence[str], year: int
) -> int | None:
    """Index of ``actor`` (a name given in the scenario, a COW code or a country name)."""
    from allegiance.data.codes import resolve

    if isinstance(actor, str) and actor in names:
        return list(names).index(actor)
    try:
        code = resolve(actor, year=year).ccode
    except (KeyError, ParameterError):
        return None
    return list(codes).index(code) if code in codes else None


def _panel_inputs(year: int, codes: Sequence[int], *, size: str, propensity: str) -> Any:
    """Sizes and propensities of ``codes`` in ``year`` from the data."""
    return landscape_inputs(year, codes, size=size, propensity=propensity)


# --------------------------------------------------------------------------- execution


def run_draws(
    plan: Plan,
    draws: int,
    *,
    seed: int | None = None,
    n_jobs: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[DrawResult], int]:
    """Run ``draws`` seeded draws serially, on local processes, or on a Dask cluster.

    Draw ``k`` uses child ``k`` of ``numpy.random.SeedSequence(seed)`` (a seed is drawn and
    recorded when none is given), so results do not depend on ``n_jobs`` or on the cluster.
    Returns the results (in draw order) and the seed.
    """
    if draws < 1:
        raise ParameterError(f"The number of draws must be at least 1. Got {draws}.")
    if n_jobs < 1:
        raise ParameterError(f"The number of workers must be at least 1. Got {n_jobs}.")
    used = resolve_seed(seed)
    seeds = np.random.SeedSequence(used).spawn(draws)
    workers = n_jobs if scheduler is None else max(n_jobs, 4)
    size = max(1, min(500, -(-draws // (4 * workers))))
    chunks = [(k, seeds[k : k + size]) for k in range(0, draws, size)]
    report = progress or (lambda _n: None)
    if scheduler is not None:
        results = _on_dask(plan, chunks, scheduler, report)
    elif n_jobs == 1:
        results = []
        for first, block in chunks:
            results.extend(run_chunk(plan, first, block))
            report(len(block))
    else:
        results = _on_processes(plan, chunks, n_jobs, report)
    return sorted(results, key=lambda r: r.draw), used


def _on_processes(
    plan: Plan, chunks: list[Any], n_jobs: int, report: Callable[[int], None]
) -> list[DrawResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("spawn")
    out: list[DrawResult] = []
    with ProcessPoolExecutor(n_jobs, mp_context=context) as pool:
        futures = [pool.submit(run_chunk, plan, first, block) for first, block in chunks]
        for future in as_completed(futures):
            part = future.result()
            out.extend(part)
            report(len(part))
    return out


#: How long to try to reach a Dask scheduler before giving up.
DASK_TIMEOUT = "10s"


def _on_dask(
    plan: Plan, chunks: list[Any], address: str, report: Callable[[int], None]
) -> list[DrawResult]:
    try:
        from distributed import Client
    except ImportError:
        raise ParameterError(
            "--scheduler needs dask.distributed; install it with `pip install allegiance[dask]`."
        ) from None
    try:
        client = Client(  # type: ignore[no-untyped-call]
            address, timeout=DASK_TIMEOUT, set_as_default=False
        )
    except (OSError, TimeoutError, ValueError) as exc:
        raise ParameterError(f"Cannot reach the Dask scheduler at {address}: {exc}.") from None
    out: list[DrawResult] = []
    try:
        remote = client.scatter(plan, broadcast=True)  # type: ignore[no-untyped-call]
        futures = [
            client.submit(run_chunk, remote, first, block, pure=False) for first, block in chunks
        ]
        for future in futures:  # in submission order; they run concurrently meanwhile
            part = future.result()
            out.extend(part)
            report(len(part))
    finally:
        client.close()  # type: ignore[no-untyped-call]
    return out


def elapsed(start: float) -> float:
    """Seconds since ``start`` (a ``time.perf_counter()`` value), rounded to milliseconds."""
    return round(time.perf_counter() - start, 3)


def run_scenario(
    scenario: ScenarioFile | str | Path | Plan,
    *,
    draws: int = 1000,
    seed: int | None = None,
    n_jobs: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScenarioResult:
    """Run a scenario: resolve it, run ``draws`` seeded draws, keep the results.

    Parameters
    ----------
    scenario : ScenarioFile, path, shipped name or Plan
    draws : int
        Number of Monte Carlo draws.
    seed : int, optional
        Root of the per-draw seeds (``numpy.random.SeedSequence``); recorded in the result.
        The same seed gives the same draws whatever ``n_jobs`` or scheduler.
    n_jobs : int
        Local worker processes (1: run in this process).
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``) to run the draws on.
    progress : callable, optional
        Called with the number of draws finished since the last call.

    Examples
    --------
    >>> from allegiance.inputs.scenario import parse_scenario
    >>> spec = parse_scenario({"name": "t", "base_year": 2000, "actors": ["USA", "China"]}, "t")
    >>> from allegiance.inputs.landscape import LandscapeInputs
    >>> toy = LandscapeInputs(("USA", "CHN"), (2, 710), np.ones(2), np.array([[0, -1], [-1, 0.]]))
    >>> result = run_scenario(plan_scenario(spec, data=lambda *a, **k: toy), draws=2, seed=1)
    >>> result.configurations()["configuration"].to_list()
    ['USA | CHN']
    """
    start = time.perf_counter()
    plan = scenario if isinstance(scenario, Plan) else plan_scenario(scenario)
    planned = time.perf_counter()
    results, used = run_draws(
        plan, draws, seed=seed, n_jobs=n_jobs, scheduler=scheduler, progress=progress
    )
    timings = {"plan": round(planned - start, 3), "draws": elapsed(planned)}
    return ScenarioResult(plan, used, n_jobs, scheduler, results, timings)
