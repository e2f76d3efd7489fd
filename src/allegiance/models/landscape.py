"""Landscape theory of aggregation: which blocs form, how stable they are, and their basins."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from allegiance.errors import ParameterError
from allegiance.models import _landscape_small as small
from allegiance.models.base import (
    Interval,
    Model,
    ModelMeta,
    Options,
    check_is_fitted,
    register_model,
    resolve_seed,
    validate_params,
)

__all__ = ["Configuration", "Landscape", "energy", "frustration", "load_kernels"]


@dataclass(frozen=True)
class Configuration:
    """One stable configuration of a fitted :class:`Landscape`.

    Attributes
    ----------
    assignment : tuple of int
        Bloc index of every actor, in the order of ``Landscape.actors_``. When the blocs are
        exchangeable (no field, no fixed actors) the labels are canonical: the first actor is
        in bloc 0 and blocs are numbered by first appearance. Otherwise bloc ``b`` is the bloc
        named ``b`` by the field and by ``fixed``.
    energy : float
        :math:`E(X)` of this configuration (see :func:`energy`).
    basin_size : int or None
        Exact mode: how many starting configurations reach this one by steepest descent.
        None when basins were not computed (heuristic mode, or ``basins=False``).
    hits : int or None
        Heuristic mode: how many of the ``n_starts`` searches ended here. None in exact mode.
    probability : float or None
        Share of starts that end here: ``basin_size / n_configurations`` at temperature 0,
        the Boltzmann weight of the basin at temperature > 0 (exact mode), or
        ``hits / n_starts`` (heuristic mode). None when basins were not computed.
    blocs : tuple of tuple of str
        Actor names per bloc. Canonical labels: non-empty blocs only, in label order. Fixed
        labels: all ``n_blocs`` blocs, possibly empty, so that ``blocs[b]`` is bloc ``b``.
    bloc_size_share : tuple of float
        Share of the total size in each bloc of ``blocs``.
    """

    assignment: tuple[int, ...]
    energy: float
    basin_size: int | None
    hits: int | None
    probability: float | None
    blocs: tuple[tuple[str, ...], ...]
    bloc_size_share: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: energy, basin_size, hits, probability, blocs, bloc_size_share."""
        return {
            "energy": self.energy,
            "basin_size": self.basin_size,
            "hits": self.hits,
            "probability": self.probability,
            "blocs": [list(b) for b in self.blocs],
            "bloc_size_share": list(self.bloc_size_share),
            "assignment": list(self.assignment),
        }


def frustration(
    i: int,
    assignment: Sequence[int] | np.ndarray,
    sizes: Sequence[float] | np.ndarray,
    propensity: Any,
    field: Any = None,
) -> float:
    r"""Frustration of actor ``i`` in a configuration.

    .. math:: F_i(X) = \sum_{j \ne i} s_j\, p_{ij}\, d_{ij}(X) \;-\; h_{i, X_i}

    where :math:`s_j` is the size of actor :math:`j`, :math:`p_{ij}` the propensity of
    :math:`i` and :math:`j` to work together, :math:`d_{ij}(X) = 1` when :math:`i` and
    :math:`j` are in different blocs of configuration :math:`X` and 0 otherwise, and
    :math:`h_{i,b}` the external pull of bloc :math:`b` on :math:`i` (0 without a field).

    Examples
    --------
    >>> frustration(0, [0, 1], [1.0, 2.0], [[0, 1.0], [1.0, 0]])
    2.0
    """
    s, p, x = _plain(assignment, sizes, propensity)
    pull = 0.0 if field is None else float(np.asarray(field, dtype=float)[i, x[i]])
    apart = x != x[i]
    return float(np.sum(s[apart] * p[i, apart])) - pull


def energy(
    assignment: Sequence[int] | np.ndarray,
    sizes: Sequence[float] | np.ndarray,
    propensity: Any,
    field: Any = None,
) -> float:
    r"""Energy of a configuration (Axelrod & Bennett's size-weighted total frustration).

    .. math:: E(X) = \sum_i s_i F_i(X) \;-\; \sum_i s_i\, h_{i, X_i}

    with :math:`F_i` from :func:`frustration`. Without a field this is Axelrod and Bennett's
    :math:`E(X) = \sum_i s_i F_i(X)`; the field term is counted twice (once inside
    :math:`F_i`, once here) so that a move of one actor :math:`k` changes the energy by
    exactly :math:`2 s_k` times the change of its frustration, with or without a field.

    Examples
    --------
    >>> energy([0, 1], [1.0, 2.0], [[0, 1.0], [1.0, 0]])
    4.0
    """
    s, p, x = _plain(assignment, sizes, propensity)
    apart = x[:, None] != x[None, :]
    total = float(s @ (p * apart) @ s)
    if field is not None:
        h = np.asarray(field, dtype=float)
        total -= 2.0 * float(np.sum(s * h[np.arange(len(x)), x]))
    return total


def _plain(assignment: Any, sizes: Any, propensity: Any) -> tuple[np.ndarray, ...]:
    s = np.asarray(sizes, dtype=float)
    p = np.array(propensity, dtype=float)
    np.fill_diagonal(p, 0.0)
    return s, p, np.asarray(assignment, dtype=np.int64)


@register_model
class Landscape(Model):
    r"""Axelrod and Bennett's landscape theory of aggregation [axelrod1993]_.

    Actors :math:`i = 1..n` with sizes :math:`s_i > 0` and symmetric propensities
    :math:`p_{ij}` (positive: they want to be together; negative: apart) are split into at
    most ``n_blocs`` blocs. Actor :math:`i`'s frustration is

    .. math:: F_i(X) = \sum_{j \ne i} s_j\, p_{ij}\, d_{ij}(X) - h_{i,X_i},

    with :math:`d_{ij}(X)=1` when :math:`i, j` are in different blocs, :math:`h_{i,b}` the
    external pull of bloc :math:`b` on :math:`i` (``field``), and the energy is
    :math:`E(X) = \sum_i s_i F_i(X) - \sum_i s_i h_{i,X_i}`. An actor moves only when the
    move lowers its own frustration; a configuration is *stable* when no single movable
    actor can lower its frustration by moving to any other bloc. A move of actor :math:`k`
    changes :math:`E` by :math:`2 s_k \Delta F_k`, so every myopic move goes downhill and
    the stable configurations are exactly the local minima of :math:`E`.

    Parameters
    ----------
    n_blocs : int, default 2
        Number of blocs :math:`K \ge 2` (some may stay empty).
    method : {"exact", "heuristic", "auto"}, default "exact"
        ``exact`` enumerates every configuration; ``heuristic`` runs ``n_starts``
        annealing searches; ``auto`` is exact when the enumeration fits ``max_exact``.
    field : array (n, n_blocs), mapping {actor: sequence of n_blocs pulls}, or None
        External pull :math:`h_{i,b}` of bloc ``b`` on actor ``i`` (e.g. a patron's pull),
        in the units of :math:`s_j p_{ij}`. A field makes bloc labels meaningful.
    temperature : float, default 0.0
        Noise :math:`T \ge 0` in units of energy (see Notes).
    fixed : mapping {actor: bloc} or None
        Actors pinned to a bloc; they never move but pull the others. Makes labels meaningful.
    n_starts : int, default 200
        Heuristic mode: number of independent searches.
    n_sweeps : int, default 100
        Heuristic mode: sweeps (n proposed moves each) per annealing or noisy run.
    max_exact : int, default 26
        Exact mode enumerates at most :math:`2^{\text{max\_exact}-1}` configurations
        (all two-bloc configurations of ``max_exact`` actors); beyond, it refuses and
        suggests ``method="heuristic"``.
    basins : bool, default True
        Exact mode: compute basins of attraction (memory: 8 bytes per configuration, at
        most :math:`2^{27}` configurations). ``False`` only lists stable configurations.
    random_state : int, numpy Generator or None
        Seed of the heuristic searches; the seed used is recorded in ``seed_``.

    Attributes
    ----------
    actors_ : tuple of str
    n_configurations_ : int
        Configurations enumerated (exact) — :math:`K^{n-1}` with the first actor in bloc 0
        when blocs are exchangeable, :math:`K^{n_\text{free}}` otherwise — or the number of
        starts (heuristic).
    stable_ : list of Configuration
        Stable configurations sorted by energy (then assignment). Heuristic mode lists
        those its searches reached.
    minimum_ : Configuration
        The lowest-energy configuration found (``stable_[0]``).
    method_ : str
        ``"exact"`` or ``"heuristic"`` (what ``auto`` chose).
    seed_ : int or None
        Seed of the heuristic searches (None in exact mode).

    Notes
    -----
    *Steepest descent and ties.* From a configuration, the next one is the single move
    (actor :math:`k`, target bloc) that lowers the energy most among moves that lower the
    mover's frustration by more than a tolerance (:math:`10^{-9}` times the largest
    :math:`\sum_j s_j |p_{ij}| + \max_b |h_{i,b}|`); ties go to the lowest actor index, then
    the lowest bloc. The basin of a stable configuration counts the starting configurations
    whose descent ends there.

    *Temperature.* At :math:`T > 0` moves follow Metropolis dynamics on :math:`E`
    (a move with energy change :math:`\Delta E` is accepted with probability
    :math:`\min(1, e^{-\Delta E/T})`), whose stationary distribution is
    :math:`\propto e^{-E(X)/T}` — the thermal noise of Galam (1996) and Florian and Galam
    (2000). Exact mode reports, as ``probability``, the Boltzmann mass of each basin (the
    chance that a thermal state quenched by steepest descent ends in that configuration);
    heuristic mode samples it: ``n_sweeps`` sweeps at :math:`T`, then steepest descent.

    *Generalisations* follow Galam (1996) and Florian and Galam (2000): more than two
    blocs, an external field, noise and fixed actors. (Their full references are not in the
    package bibliography; they are named here, not cited.)

    Examples
    --------
    A frustrated triangle: everyone dislikes everyone, two blocs cannot separate all.

    >>> p = [[0, -1, -1], [-1, 0, -1], [-1, -1, 0]]
    >>> model = Landscape().fit([1.0, 1.0, 1.0], p, actors=["A", "B", "C"])
    >>> [c.blocs for c in model.stable_]
    [(('A', 'B'), ('C',)), (('A', 'C'), ('B',)), (('A',), ('B', 'C'))]
    """

    meta = ModelMeta(name="landscape", citations=("axelrod1993",), stochastic=False)
    _constraints = {  # noqa: RUF012  (ClassVar in the base class)
        "n_blocs": [Interval(int, 2, None)],
        "method": [Options(frozenset({"exact", "heuristic", "auto"}))],
        "temperature": [Interval(float, 0.0, None)],
        "n_starts": [Interval(int, 1, None)],
        "n_sweeps": [Interval(int, 1, None)],
        "max_exact": [Interval(int, 2, 40)],
        "basins": [Options(frozenset({True, False}))],
    }

    def __init__(
        self,
        *,
        n_blocs: int = 2,
        method: str = "exact",
        field: Any = None,
        temperature: float = 0.0,
        fixed: Mapping[str, int] | None = None,
        n_starts: int = 200,
        n_sweeps: int = 100,
        max_exact: int = 26,
        basins: bool = True,
        random_state: Any = None,
    ) -> None:
        self.n_blocs = n_blocs
        self.method = method
        self.field = field
        self.temperature = temperature
        self.fixed = fixed
        self.n_starts = n_starts
        self.n_sweeps = n_sweeps
        self.max_exact = max_exact
        self.basins = basins
        self.random_state = random_state

    def fit(self, sizes: Any, propensity: Any, actors: Sequence[str] | None = None) -> Landscape:
        """Find the stable configurations of ``sizes`` (n,) and ``propensity`` (n, n).

        ``actors`` names the actors (default ``"0"``, ``"1"``, ...). Raises ParameterError
        on a non-positive size, an asymmetric propensity matrix, or an exact enumeration
        larger than ``max_exact`` allows.
        """
        validate_params(self)
        problem = _Problem.build(sizes, propensity, actors, self.n_blocs, self.field, self.fixed)
        method = self.method
        if method == "auto":
            method = "exact" if problem.n_enumerated() <= 2 ** (self.max_exact - 1) else "heuristic"
        if method == "exact":
            problem.check_exact(self.max_exact, self.basins)
            found, n_configs = _exact(problem, self.basins, float(self.temperature))
            self.seed_ = None
        else:
            self.seed_ = resolve_seed(self.random_state)
            found = _heuristic(problem, self, self.seed_)
            n_configs = self.n_starts
        self.actors_ = problem.names
        self.method_ = method
        self.n_configurations_ = n_configs
        self.stable_ = _configurations(problem, found, method)
        self.minimum_ = self.stable_[0]
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: actors, n_configurations, method, stable (sorted by energy)."""
        check_is_fitted(self, "stable_")
        return {
            "actors": list(self.actors_),
            "n_configurations": self.n_configurations_,
            "method": self.method_,
            "stable": [c.to_dict() for c in self.stable_],
        }


@dataclass(frozen=True)
class _Problem:
    """Validated inputs in kernel form (see ``_landscape_kernels`` for the conventions)."""

    names: tuple[str, ...]
    s: np.ndarray
    p: np.ndarray
    At: np.ndarray
    H: np.ndarray
    fixed: np.ndarray
    k: int
    sym: bool
    tol: float
    tol_e: float

    @classmethod
    def build(
        cls, sizes: Any, propensity: Any, actors: Any, k: int, field: Any, fixed: Any
    ) -> _Problem:
        s, p, names = _check_inputs(sizes, propensity, actors)
        H = _field_matrix(field, names, k)
        pinned = _fixed_vector(fixed, names, k)
        At = np.ascontiguousarray(s[:, None] * p)
        scale = float(np.max(np.abs(At).sum(axis=0) + np.abs(H).max(axis=1), initial=0.0))
        tol = 1e-9 * (scale if scale > 0 else 1.0)
        sym = field is None and not np.any(pinned >= 0)
        return cls(names, s, p, At, H, pinned, k, sym, tol, tol * float(s.max(initial=1.0)))

    @property
    def free(self) -> np.ndarray:
        """Actors enumerated: all but the fixed ones, and all but actor 0 when symmetric."""
        free = np.flatnonzero(self.fixed < 0)
        return free[free != 0] if self.sym else free

    def n_enumerated(self) -> int:
        return int(self.k ** len(self.free))

    def check_exact(self, max_exact: int, basins: bool) -> None:
        n_conf, limit = self.n_enumerated(), 2 ** (max_exact - 1)
        if n_conf > limit:
            raise ParameterError(
                f"Exact mode of Landscape enumerates at most 2^{max_exact - 1} = {limit:,} "
                f"configurations (two blocs of {max_exact} actors); this problem has "
                f"{self.k}^{len(self.free)} = {n_conf:,}. Use method='heuristic' "
                "(CLI: --method heuristic)."
            )
        if basins and n_conf > _MAX_BASIN_CONFIGS:
            raise ParameterError(
                f"Basins of attraction need one successor per configuration; Landscape "
                f"computes them for at most {_MAX_BASIN_CONFIGS:,} configurations (got "
                f"{n_conf:,}). Pass basins=False for the stable configurations only, or "
                "use method='heuristic'."
            )

    def start(self) -> np.ndarray:
        """Assignment of the enumeration's first configuration: fixed actors in place."""
        return np.where(self.fixed >= 0, self.fixed, 0).astype(np.int64)

    def decode(self, idx: np.ndarray) -> np.ndarray:
        """Assignments (rows) of enumeration indices."""
        free = self.free
        x = np.tile(self.start(), (len(idx), 1))
        digits = np.asarray(idx, dtype=np.int64).copy()
        for j in free:
            x[:, j] = digits % self.k
            digits //= self.k
        return x


_MAX_BASIN_CONFIGS = 2**26
_MAX_STABLE = 2**20


def _check_inputs(sizes: Any, propensity: Any, actors: Any) -> tuple[Any, Any, tuple[str, ...]]:
    """Sizes (n,) > 0, propensity (n, n) finite and symmetric with a zero diagonal, names."""
    s = np.asarray(sizes, dtype=float)
    if s.ndim != 1 or len(s) == 0:
        raise ParameterError(
            f"Landscape needs sizes as a non-empty 1-D array; got shape {s.shape}."
        )
    if not np.all(np.isfinite(s)) or np.any(s <= 0):
        bad = s[~(np.isfinite(s) & (s > 0))][0]
        raise ParameterError(f"Landscape needs every size to be a positive number; got {bad}.")
    p = np.asarray(propensity, dtype=float)
    n = len(s)
    if p.shape != (n, n):
        raise ParameterError(
            f"Landscape needs an ({n}, {n}) propensity matrix for {n} sizes; got {p.shape}."
        )
    if not np.all(np.isfinite(p)):
        raise ParameterError("Landscape needs finite propensities; got NaN or infinity.")
    if np.any(np.diag(p) != 0) or not np.allclose(p, p.T, rtol=0, atol=1e-12):
        raise ParameterError(
            "Landscape needs a symmetric propensity matrix with a zero diagonal "
            "(p_ij = p_ji, p_ii = 0)."
        )
    names = tuple(str(i) for i in range(n)) if actors is None else tuple(map(str, actors))
    if len(names) != n or len(set(names)) != n:
        raise ParameterError(f"Landscape needs {n} distinct actor names; got {list(names)}.")
    sym = p / 2.0 + p.T / 2.0  # halves first: p + p.T could overflow
    with np.errstate(over="ignore", invalid="ignore"):
        energy_bound = np.abs(s[:, None] * s[None, :] * sym).sum()
    if not np.isfinite(energy_bound):
        raise ParameterError(
            "Landscape sizes and propensities are too large: the energy overflows. Rescale them."
        )
    return s, sym, names


def _actor_index(name: Any, names: tuple[str, ...], what: str) -> int:
    if str(name) in names:
        return names.index(str(name))
    raise ParameterError(
        f"The {what!r} parameter of Landscape names an unknown actor {name!r}; "
        f"actors are {', '.join(names)}."
    )


def _field_matrix(field: Any, names: tuple[str, ...], k: int) -> np.ndarray:
    """The field as an (n, k) array (zeros when None)."""
    n = len(names)
    H = np.zeros((n, k))
    if field is None:
        return H
    if isinstance(field, Mapping):
        for name, pulls in field.items():
            H[_actor_index(name, names, "field")] = _pulls(pulls, k)
        return H
    arr = np.asarray(field, dtype=float)
    if arr.shape != (n, k) or not np.all(np.isfinite(arr)):
        raise ParameterError(
            f"The 'field' parameter of Landscape must be a finite ({n}, {k}) array or a "
            f"mapping actor -> {k} pulls; got shape {arr.shape}."
        )
    return arr


def _pulls(pulls: Any, k: int) -> np.ndarray:
    arr = np.asarray(pulls, dtype=float)
    if arr.shape != (k,) or not np.all(np.isfinite(arr)):
        raise ParameterError(
            f"The 'field' parameter of Landscape gives each actor {k} finite pulls (one per "
            f"bloc); got {pulls!r}."
        )
    return arr


def _fixed_vector(fixed: Any, names: tuple[str, ...], k: int) -> np.ndarray:
    """Bloc of each actor fixed by ``fixed`` ({actor: bloc}), -1 for free actors."""
    out = np.full(len(names), -1, dtype=np.int64)
    for name, bloc in (fixed or {}).items():
        if isinstance(bloc, bool) or not isinstance(bloc, (int, np.integer)) or not 0 <= bloc < k:
            raise ParameterError(
                f"The 'fixed' parameter of Landscape must map actors to blocs 0..{k - 1}; "
                f"got {name!r}: {bloc!r}."
            )
        out[_actor_index(name, names, "fixed")] = int(bloc)
    return out


_Found = tuple[np.ndarray, int | None, int | None, float | None]


def load_kernels() -> ModuleType:
    """Import the numba kernels, so that every later fit in this process uses them.

    A fit enumerates up to :data:`~allegiance.models._landscape_small.MAX_CONFIGURATIONS`
    configurations in numpy unless the kernels are loaded: importing numba and loading the
    cached kernels costs about a second, which a one-off fit (``allegiance landscape``) should
    not pay, while a process that fits many landscapes (scenario draws, the web workers) gains
    from them (a 6-actor fit: about 0.8 ms with the kernels, 2.5 ms in numpy). Both paths give
    the same results. Returns the kernels module.
    """
    from allegiance.models import _landscape_kernels

    return _landscape_kernels


_kernels = load_kernels


def _numpy_path(total: int) -> bool:
    """Enumerate in numpy: a small problem in a process that has not loaded the kernels."""
    return total <= small.MAX_CONFIGURATIONS and _KERNELS not in sys.modules


_KERNELS = "allegiance.models._landscape_kernels"


def _exact(problem: _Problem, basins: bool, temperature: float) -> tuple[list[_Found], int]:
    """Enumerate every configuration: stable ones, basin sizes, basin probabilities.

    Up to :data:`~allegiance.models._landscape_small.MAX_CONFIGURATIONS` configurations the
    enumeration runs in numpy (no numba to load) unless the kernels are loaded already
    (:func:`load_kernels`); beyond, in the numba kernels.
    """
    total = problem.n_enumerated()
    want_e = basins and temperature > 0
    if _numpy_path(total):
        stable, nxt, energies = small.scan(
            problem.At, problem.s, problem.H, problem.free, problem.start(),
            problem.fixed < 0, problem.sym, problem.k, problem.tol, problem.tol_e,
            basins, want_e,
        )  # fmt: skip
        resolve_roots = small.resolve_roots
    else:
        kernels = _kernels()
        nxt = np.empty(total if basins else 1, dtype=np.int32)
        energies = np.empty(total if want_e else 1)
        if problem.k == 2:
            stable = _scan_two(problem, nxt, energies, basins)
        else:
            stable = kernels.scan_k_blocs(
                problem.At, problem.s, problem.H, problem.free, problem.start(),
                problem.fixed < 0, problem.sym, problem.k, problem.tol, problem.tol_e,
                basins, nxt, len(energies) > 1, energies,
            )  # fmt: skip
        resolve_roots = kernels.resolve_roots
    rows = problem.decode(stable)
    if not basins:
        return [(x, None, None, None) for x in rows], total
    resolve_roots(nxt)
    counts = np.bincount(nxt, minlength=total)[stable]
    if temperature > 0:
        weights = np.exp(-(energies - energies.min()) / temperature)
        share = np.bincount(nxt, weights=weights, minlength=total)[stable] / weights.sum()
    else:
        share = counts / total
    return [(x, int(c), None, float(w)) for x, c, w in zip(rows, counts, share, strict=True)], total


def _scan_two(problem: _Problem, nxt: np.ndarray, energies: np.ndarray, basins: bool) -> Any:
    """Two-bloc enumeration in parallel chunks; returns the stable configuration indices."""
    free, n = problem.free, len(problem.names)
    pos = np.full(n, -1, dtype=np.int64)
    pos[free] = np.arange(len(free))
    args = (
        problem.At, problem.s, problem.H[:, 0] - problem.H[:, 1], free,
        np.where(problem.start() == 1, -1.0, 1.0), pos, problem.fixed < 0, problem.sym,
        problem.tol, problem.tol_e,
    )  # fmt: skip
    chunk, cap, total = 2**16, 16, 2 ** len(free)
    kernels = _kernels()
    counts, bufs = kernels.scan_two_blocs(
        *args, basins, nxt, len(energies) > 1, energies, chunk, cap
    )
    if counts.sum() > _MAX_STABLE:
        raise ParameterError(
            f"This landscape has {counts.sum():,} stable configurations (more than "
            f"{_MAX_STABLE:,}); are the propensities mostly zero?"
        )
    parts = []
    for ci, count in enumerate(counts):
        if count <= cap:
            parts.append(bufs[ci, :count])
            continue
        buf = np.empty(count, dtype=np.int64)
        lo = ci * chunk
        kernels.two_bloc_chunk(lo, min(lo + chunk, total), *args, False, nxt, False, energies, buf)
        parts.append(buf)
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def _heuristic(problem: _Problem, model: Landscape, seed: int) -> list[_Found]:
    """Annealing (or noisy) searches from random starts, each ended by steepest descent."""
    rng = np.random.default_rng(seed)
    n, k = len(problem.names), problem.k
    starts = rng.integers(0, k, size=(model.n_starts, n)).astype(np.int64)
    pinned = problem.fixed >= 0
    starts[:, pinned] = problem.fixed[pinned]
    seeds = rng.integers(0, 2**63 - 1, size=model.n_starts, dtype=np.int64).astype(np.uint64)
    if model.temperature > 0:
        t_hi = t_lo = float(model.temperature)
    else:
        t_hi = 2.0 * float(problem.s.max()) * problem.tol * 1e9
        t_lo = t_hi * 1e-4
    _kernels().anneal_many(
        starts, problem.At, problem.s, problem.H, ~pinned, k, problem.tol, problem.tol_e,
        t_hi, t_lo, model.n_sweeps, seeds,
    )  # fmt: skip
    if problem.sym:
        starts = np.array([_canonical(x) for x in starts])
    rows, hits = np.unique(starts, axis=0, return_counts=True)
    return [(x, None, int(h), float(h) / model.n_starts) for x, h in zip(rows, hits, strict=True)]


def _canonical(x: Any) -> tuple[int, ...]:
    """Relabel blocs by first appearance (first actor in bloc 0)."""
    labels: dict[int, int] = {}
    return tuple(labels.setdefault(int(b), len(labels)) for b in x)


def _configurations(problem: _Problem, found: list[_Found], method: str) -> list[Configuration]:
    """Merge labellings of one partition, compute exact energies, sort by energy."""
    merged: dict[tuple[int, ...], list[Any]] = {}
    for x, basin, hits, prob in found:
        key = _canonical(x) if problem.sym else tuple(int(b) for b in x)
        if key in merged:
            item = merged[key]
            item[0] = None if basin is None else item[0] + basin
            item[1] = None if hits is None else item[1] + hits
            item[2] = None if prob is None else item[2] + prob
        else:
            merged[key] = [basin, hits, prob]
    out = [_configuration(problem, key, *vals) for key, vals in merged.items()]
    return sorted(out, key=lambda c: (float(f"{c.energy:.10g}"), c.assignment))


def _configuration(
    problem: _Problem, x: tuple[int, ...], basin: Any, hits: Any, prob: Any
) -> Configuration:
    n_blocs = max(x) + 1 if problem.sym else problem.k
    arr = np.asarray(x)
    blocs = tuple(tuple(np.asarray(problem.names)[arr == b].tolist()) for b in range(n_blocs))
    total = float(problem.s.sum())
    share = tuple(float(problem.s[arr == b].sum()) / total for b in range(n_blocs))
    e = energy(arr, problem.s, problem.p, problem.H)
    return Configuration(x, e, basin, hits, prob, blocs, share)
