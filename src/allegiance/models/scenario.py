"""Scenarios: shocks and uncertainty on landscape inputs, run as seeded Monte Carlo draws.

A scenario (see :mod:`allegiance.models.scenario_file`) fixes a base year and actors, takes
sizes and propensities from the data, applies shocks, and draws every uncertain input. Each
draw is fitted with :class:`~allegiance.models.landscape.Landscape`; the draws are summarised
as the probability of each stable configuration and of each pair sharing a bloc.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from allegiance.errors import ParameterError
from allegiance.models.scenario_file import (
    Dist,
    LogNormal,
    Normal,
    ScenarioFile,
    Uniform,
    load_scenario_file,
)

__all__ = [
    "COUNTING_RULE",
    "DASK_TIMEOUT",
    "OUTPUT_FILES",
    "SCENARIO_DIR",
    "DrawResult",
    "Plan",
    "ScenarioResult",
    "canonical_blocs",
    "check_output_folder",
    "coalition_figure",
    "draw_inputs",
    "label",
    "plan_scenario",
    "run_draw",
    "run_draws",
    "run_scenario",
    "scenario_path",
    "shipped_scenarios",
    "write_outputs",
]

#: The scenario files shipped with the package.
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"

Blocs = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Plan:
    """A scenario resolved to indices: base inputs and the operations each draw applies.

    ``sizes`` and ``propensity`` are the base inputs (zeros for added actors, whose inputs
    come from their own distributions); ``from_data`` marks actors whose inputs come from the
    data and so receive the noise of ``uncertainty``.
    """

    name: str
    source: str
    base_year: int
    actors: tuple[str, ...]
    codes: tuple[int | None, ...]
    sizes: NDArray[np.float64]
    propensity: NDArray[np.float64]
    from_data: NDArray[np.bool_]
    n_blocs: int
    size_noise: Dist
    propensity_noise: Dist
    added: tuple[tuple[int, Dist, tuple[tuple[int, Dist], ...]], ...] = ()
    size_ops: tuple[tuple[int, str, Dist], ...] = ()
    propensity_ops: tuple[tuple[int, int, str, Dist], ...] = ()
    description: str = ""
    notes: dict[str, Any] = field(default_factory=dict)


def shipped_scenarios() -> list[str]:
    """Names of the scenario files shipped with the package (Northeast Asia)."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def scenario_path(name_or_path: str | Path) -> Path:
    """A scenario file path: an existing file, or the name of a shipped scenario."""
    path = Path(name_or_path)
    if path.exists() or path.suffix == ".toml":
        return path
    shipped = SCENARIO_DIR / f"{name_or_path}.toml"
    if shipped.exists():
        return shipped
    raise ParameterError(
        f"Scenario {str(name_or_path)!r} is neither a file nor a shipped scenario. "
        f"Shipped: {', '.join(shipped_scenarios())}."
    )


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
        :func:`allegiance.models.landscape_data.landscape_inputs`. Tests pass hand-made
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
    """Sizes and propensities of ``codes`` in ``year`` from the panel (landscape_data)."""
    from allegiance.models.landscape_data import landscape_inputs

    return landscape_inputs(year, codes, size=size, propensity=propensity)


# --------------------------------------------------------------------------- draws


def _sample(dist: Dist, rng: np.random.Generator, k: int | None = None) -> Any:
    """``k`` draws (or one, when ``k`` is None) of a number or distribution."""
    if isinstance(dist, Normal):
        return rng.normal(dist.mean, dist.sd, size=k)
    if isinstance(dist, Uniform):
        return rng.uniform(dist.low, dist.high, size=k)
    if isinstance(dist, LogNormal):
        return dist.median * np.exp(rng.normal(0.0, dist.sd, size=k))
    return float(dist) if k is None else np.full(k, float(dist))


def draw_inputs(
    plan: Plan, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One draw of (sizes, propensity), in a fixed order so a seed fixes the draw.

    Order: size noise of the data actors; each added actor's size, then its propensities;
    propensity noise of each pair of data actors (row by row, ``i < j``); size shocks; then
    propensity shocks, each in file order. A shock applies to the noisy input: ``multiply``
    scales it, ``add`` shifts it, ``set`` replaces it.
    """
    sizes = plan.sizes.copy()
    prop = plan.propensity.copy()
    data = np.flatnonzero(plan.from_data)
    sizes[data] *= _sample(plan.size_noise, rng, len(data))
    for i, size, links in plan.added:
        sizes[i] = _sample(size, rng)
        for j, dist in links:
            prop[i, j] = prop[j, i] = _sample(dist, rng)
    rows, cols = np.triu_indices(len(data), 1)
    noise = _sample(plan.propensity_noise, rng, len(rows))
    prop[data[rows], data[cols]] += noise
    prop[data[cols], data[rows]] += noise
    for i, op, dist in plan.size_ops:
        value = _sample(dist, rng)
        sizes[i] = sizes[i] * value if op == "multiply" else value
    for i, j, op, dist in plan.propensity_ops:
        value = _sample(dist, rng)
        prop[i, j] = prop[j, i] = prop[i, j] + value if op == "add" else value
    return sizes, prop


@dataclass(frozen=True)
class DrawResult:
    """One draw: its inputs and its stable configurations (blocs, energy, basin share)."""

    draw: int
    sizes: NDArray[np.float64]
    configurations: tuple[tuple[Blocs, float, float], ...]
    lowest: Blocs


def canonical_blocs(actors: Sequence[str], assignment: Sequence[int]) -> Blocs:
    """Blocs as tuples of actor names, label-free: empty blocs dropped, ordered by first member.

    >>> canonical_blocs(["a", "b", "c"], [1, 0, 1])
    (('a', 'c'), ('b',))
    """
    groups: dict[int, list[str]] = {}
    for name, bloc in zip(actors, assignment, strict=True):
        groups.setdefault(int(bloc), []).append(name)
    return tuple(tuple(g) for g in groups.values())


def run_draw(plan: Plan, draw: int, seed: np.random.SeedSequence) -> DrawResult:
    """Draw the inputs with ``seed`` and fit the landscape (exact enumeration)."""
    from allegiance.models.landscape import Landscape

    sizes, prop = draw_inputs(plan, np.random.default_rng(seed))
    model = Landscape(n_blocs=plan.n_blocs, method="exact").fit(sizes, prop, list(plan.actors))
    total = sum(c.basin_size or 0 for c in model.stable_)
    configs = tuple(
        (canonical_blocs(plan.actors, c.assignment), float(c.energy), (c.basin_size or 0) / total)
        for c in model.stable_
    )
    return DrawResult(draw, sizes, configs, configs[0][0])


def _run_chunk(plan: Plan, first: int, seeds: Sequence[np.random.SeedSequence]) -> list[DrawResult]:
    """Run consecutive draws on one thread: the landscapes are small, so numba's parallel
    kernels would spend far longer starting threads (about 10 ms a call) than computing."""
    import numba

    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        return [run_draw(plan, first + k, s) for k, s in enumerate(seeds)]
    finally:
        numba.set_num_threads(threads)


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

    Draw ``k`` uses child ``k`` of ``numpy.random.SeedSequence(seed)``, so results do not
    depend on ``n_jobs`` or on the cluster. Returns the results (in draw order) and the seed.
    """
    if draws < 1:
        raise ParameterError(f"The number of draws must be at least 1. Got {draws}.")
    if n_jobs < 1:
        raise ParameterError(f"The number of workers must be at least 1. Got {n_jobs}.")
    root = np.random.SeedSequence(seed)
    used = int(root.entropy)  # type: ignore[arg-type]
    seeds = root.spawn(draws)
    workers = n_jobs if scheduler is None else max(n_jobs, 4)
    size = max(1, min(500, -(-draws // (4 * workers))))
    chunks = [(k, seeds[k : k + size]) for k in range(0, draws, size)]
    report = progress or (lambda _n: None)
    if scheduler is not None:
        results = _on_dask(plan, chunks, scheduler, report)
    elif n_jobs == 1:
        results = []
        for first, block in chunks:
            results.extend(_run_chunk(plan, first, block))
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
        futures = [pool.submit(_run_chunk, plan, first, block) for first, block in chunks]
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
            client.submit(_run_chunk, remote, first, block, pure=False) for first, block in chunks
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


# --------------------------------------------------------------------------- summary

COUNTING_RULE = (
    "p_basin: share of (draw, random starting configuration) pairs whose steepest descent "
    "ends in the configuration, i.e. the mean over draws of its basin share (basin size over "
    "all configurations); it sums to 1 over configurations. p_stable: share of draws in "
    "which the configuration is stable (a draw with several stable configurations counts "
    "each, so these sum to more than 1). p_lowest: share of draws in which it has the "
    "lowest energy. The coalition matrix weights each draw's stable configurations by their "
    "basin share: P(i, j) = mean over draws of the basin share of configurations in which "
    "i and j share a bloc."
)


@dataclass(frozen=True)
class ScenarioResult:
    """The draws of a scenario and their summaries (see :data:`COUNTING_RULE`)."""

    plan: Plan
    seed: int
    n_jobs: int
    scheduler: str | None
    results: list[DrawResult]
    timings: dict[str, float]

    @property
    def actors(self) -> tuple[str, ...]:
        return self.plan.actors

    def configurations(self) -> Any:
        """One row per configuration: label, p_basin, p_stable, p_lowest, mean energy."""
        import polars as pl

        n = len(self.results)
        stats: dict[Blocs, list[float]] = {}
        for r in self.results:
            for blocs, energy, share in r.configurations:
                row = stats.setdefault(blocs, [0.0, 0.0, 0.0, 0.0])
                row[0] += share
                row[1] += 1
                row[3] += energy
            stats[r.lowest][2] += 1
        frame = pl.DataFrame(
            {
                "configuration": [label(b) for b in stats],
                "n_blocs": [len(b) for b in stats],
                "p_basin": [v[0] / n for v in stats.values()],
                "p_stable": [v[1] / n for v in stats.values()],
                "p_lowest": [v[2] / n for v in stats.values()],
                "mean_energy": [v[3] / v[1] for v in stats.values()],
            }
        )
        frame = frame.sort(["p_basin", "p_lowest", "configuration"], descending=[True, True, False])
        return frame.with_row_index("rank", offset=1)

    def coalition(self) -> NDArray[np.float64]:
        """P(i and j share a bloc), basin-share weighted, averaged over draws (diagonal 1)."""
        index = {a: k for k, a in enumerate(self.actors)}
        weight: dict[Blocs, float] = {}
        for r in self.results:
            for blocs, _, share in r.configurations:
                weight[blocs] = weight.get(blocs, 0.0) + share
        total = np.zeros((len(index), len(index)))
        for blocs, w in weight.items():
            for bloc in blocs:
                ids = [index[a] for a in bloc]
                total[np.ix_(ids, ids)] += w
        return total / len(self.results)

    def p_together(self, a: str, b: str) -> float:
        """P(``a`` and ``b`` share a bloc); NaN when either is not in the scenario."""
        if a not in self.actors or b not in self.actors:
            return float("nan")
        m = self.coalition()
        return float(m[self.actors.index(a), self.actors.index(b)])

    def draws_frame(self) -> Any:
        """One row per (draw, stable configuration) with the draw's sizes."""
        import polars as pl

        rows = [
            {
                "draw": r.draw,
                "configuration": label(blocs),
                "energy": energy,
                "basin_share": share,
                "lowest": blocs == r.lowest,
                **{f"size_{a}": float(s) for a, s in zip(self.actors, r.sizes, strict=True)},
            }
            for r in self.results
            for blocs, energy, share in r.configurations
        ]
        return pl.DataFrame(rows)

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary: scenario, seed, counting rule, configurations, matrix, timings."""
        matrix = self.coalition()
        return {
            "scenario": self.plan.name,
            "description": self.plan.description,
            "file": self.plan.source,
            "base_year": self.plan.base_year,
            "actors": list(self.actors),
            "codes": list(self.plan.codes),
            "draws": len(self.results),
            "seed": self.seed,
            "workers": self.n_jobs if self.scheduler is None else None,
            "scheduler": self.scheduler,
            "counting_rule": COUNTING_RULE,
            "configurations": self.configurations().to_dicts(),
            "coalition_matrix": {
                a: {b: float(matrix[i, j]) for j, b in enumerate(self.actors)}
                for i, a in enumerate(self.actors)
            },
            "timings_seconds": self.timings,
        }


def label(blocs: Blocs) -> str:
    """``(('USA', 'JPN'), ('CHN',))`` -> ``'USA+JPN | CHN'``.

    >>> label((("USA", "JPN"), ("CHN",)))
    'USA+JPN | CHN'
    """
    return " | ".join("+".join(b) for b in blocs)


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
    >>> from allegiance.models.scenario_file import parse_scenario
    >>> spec = parse_scenario({"name": "t", "base_year": 2000, "actors": ["USA", "China"]}, "t")
    >>> from allegiance.models.landscape_data import LandscapeInputs
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


# --------------------------------------------------------------------------- outputs

OUTPUT_FILES = (
    "configurations.csv",
    "coalition_matrix.csv",
    "draws.parquet",
    "summary.json",
    "coalition_heatmap.html",
)


def coalition_figure(result: ScenarioResult) -> Any:
    """A plotly heatmap of the coalition matrix, with the probabilities written in the cells."""
    import plotly.graph_objects as go

    actors = list(result.actors)
    matrix = result.coalition()
    fig = go.Figure(
        go.Heatmap(
            z=matrix,
            x=actors,
            y=actors,
            zmin=0.0,
            zmax=1.0,
            colorscale="Blues",
            text=[[f"{v:.2f}" for v in row] for row in matrix],
            texttemplate="%{text}",
            colorbar={"title": "P(same bloc)"},
        )
    )
    fig.update_layout(
        title=f"{result.plan.name} ({result.plan.base_year}): probability of sharing a bloc, "
        f"{len(result.results)} draws, seed {result.seed}",
        yaxis={"autorange": "reversed"},
    )
    return fig


def check_output_folder(out: Path) -> Path:
    """Refuse an output folder whose parent is missing or that holds other files; the parent."""
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ParameterError(f"Cannot write {out}: the folder {parent} does not exist.")
    if out.exists() and (
        not out.is_dir() or any(p.name not in OUTPUT_FILES for p in out.iterdir())
    ):
        raise ParameterError(
            f"Cannot write to {out}: it exists and holds other files. Choose a new folder."
        )
    return parent


def write_outputs(result: ScenarioResult, out: Path) -> list[Path]:
    """Write the five output files into folder ``out``, atomically.

    The files are written into a temporary folder beside ``out`` that is then renamed into
    place; an existing ``out`` is replaced only if it holds nothing but these files (a
    previous run), so a mistyped folder is never wiped.
    """
    import json
    import os
    import shutil
    import tempfile

    import polars as pl

    parent = check_output_folder(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    tmp.chmod(0o755)
    try:
        result.configurations().write_csv(tmp / "configurations.csv")
        matrix = result.coalition()
        pl.DataFrame(
            {"actor": list(result.actors), **{a: matrix[:, k] for k, a in enumerate(result.actors)}}
        ).write_csv(tmp / "coalition_matrix.csv")
        result.draws_frame().write_parquet(tmp / "draws.parquet")
        text = json.dumps(result.summary(), indent=2)
        (tmp / "summary.json").write_text(text, encoding="utf-8")
        coalition_figure(result).write_html(tmp / "coalition_heatmap.html", include_plotlyjs=True)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=parent))
            os.replace(out, old / "previous")
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except OSError as exc:
        raise ParameterError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / name for name in OUTPUT_FILES]
