"""Scenarios as seeded Monte Carlo draws of landscape inputs: the plan, a draw, the summaries.

A :class:`Plan` holds a scenario resolved to indices: base sizes and propensities, the noise of
every uncertain input and the shocks. Each draw samples the inputs in a fixed order and fits a
:class:`~allegiance.models.landscape.Landscape`; :class:`ScenarioResult` summarises the draws
as the probability of each stable configuration and of each pair sharing a bloc. Resolving a
scenario file against the data and running the draws on processes or a cluster is
:mod:`allegiance.runs.scenario`'s job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "COUNTING_RULE",
    "Blocs",
    "Dist",
    "DrawResult",
    "Plan",
    "ScenarioResult",
    "canonical_blocs",
    "draw_inputs",
    "label",
    "run_chunk",
    "run_draw",
    "sample",
]

Blocs = tuple[tuple[str, ...], ...]


class Distribution(Protocol):
    """An uncertain input: anything that draws ``size`` values (or one) from a generator."""

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any: ...


#: A number (certain) or a distribution.
Dist = float | Distribution


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


# --------------------------------------------------------------------------- draws


def sample(dist: Dist, rng: np.random.Generator, k: int | None = None) -> Any:
    """``k`` draws (or one, when ``k`` is None) of a number or distribution."""
    if isinstance(dist, int | float):
        return float(dist) if k is None else np.full(k, float(dist))
    return dist.sample(rng, k)


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
    sizes[data] *= sample(plan.size_noise, rng, len(data))
    for i, size, links in plan.added:
        sizes[i] = sample(size, rng)
        for j, dist in links:
            prop[i, j] = prop[j, i] = sample(dist, rng)
    rows, cols = np.triu_indices(len(data), 1)
    noise = sample(plan.propensity_noise, rng, len(rows))
    prop[data[rows], data[cols]] += noise
    prop[data[cols], data[rows]] += noise
    for i, op, dist in plan.size_ops:
        value = sample(dist, rng)
        sizes[i] = sizes[i] * value if op == "multiply" else value
    for i, j, op, dist in plan.propensity_ops:
        value = sample(dist, rng)
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


def run_chunk(plan: Plan, first: int, seeds: Sequence[np.random.SeedSequence]) -> list[DrawResult]:
    """Run consecutive draws on one thread: the landscapes are small, so numba's parallel
    kernels would spend far longer starting threads (about 10 ms a call) than computing. The
    draws use the numba kernels (:func:`~allegiance.models.landscape.load_kernels`): over many
    draws they are faster than the numpy path of one-off fits."""
    import numba

    from allegiance.models.landscape import load_kernels

    load_kernels()

    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        return [run_draw(plan, first + k, s) for k, s in enumerate(seeds)]
    finally:
        numba.set_num_threads(threads)


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
