"""Structural balance of signed networks: triad census, frustration index, optimal bipartition.

A signed network gives each pair of actors a tie of sign +1 (friends), -1 (enemies) or 0 (no
tie). It is *balanced* when the actors split into two camps with every positive tie inside a
camp and every negative tie across; the frustration index counts how far it is from that.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from allegiance.errors import ParameterError
from allegiance.models.base import (
    Interval,
    Model,
    ModelMeta,
    Options,
    check_is_fitted,
    register_model,
    validate_params,
)

__all__ = ["TRIAD_TYPES", "StructuralBalance", "check_signs", "frustration_count", "triad_census"]

TRIAD_TYPES = ("+++", "++-", "+--", "---")


def check_signs(signs: ArrayLike, func: str) -> NDArray[np.int8]:
    """A square symmetric matrix with entries in {-1, 0, 1} and a zero diagonal, as int8."""
    arr = np.asarray(signs, dtype=float)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ParameterError(f"{func}() needs a square matrix of signs; got shape {arr.shape}.")
    if not np.all(np.isin(arr, (-1.0, 0.0, 1.0))):
        raise ParameterError(f"{func}() needs signs in {{-1, 0, 1}}; got other values.")
    if not np.array_equal(arr, arr.T):
        raise ParameterError(f"{func}() needs a symmetric matrix of signs (an undirected network).")
    if np.any(np.diag(arr) != 0):
        raise ParameterError(f"{func}() needs a zero diagonal: an actor has no tie to itself.")
    return arr.astype(np.int8)


def triad_census(signs: ArrayLike) -> dict[str, int]:
    r"""Count the complete triads of a signed network by their signs.

    A triad ``{i, j, k}`` is complete when its three ties are non-zero. It is balanced when the
    product of its signs is positive:

    .. math:: \sigma_{ij}\,\sigma_{jk}\,\sigma_{ik} > 0,

    where :math:`\sigma_{ij} \in \{-1, 0, 1\}` is the sign of the tie between :math:`i` and
    :math:`j`. So ``+++`` (three friends) and ``+--`` (two friends with a common enemy) are
    balanced; ``++-`` and ``---`` are not.

    Parameters
    ----------
    signs : array-like of shape (n, n)
        Symmetric, entries in {-1, 0, 1}, zero diagonal.

    Returns
    -------
    dict
        Counts of ``+++``, ``++-``, ``+--``, ``---``, their sums ``balanced`` and ``unbalanced``,
        and ``incomplete`` (triads with at least one missing tie).

    Notes
    -----
    With :math:`P` and :math:`N` the 0/1 matrices of positive and negative ties, the counts are
    :math:`\operatorname{tr}(P^3)/6`, :math:`\sum (N \circ P^2)/2`,
    :math:`\sum (P \circ N^2)/2` and :math:`\operatorname{tr}(N^3)/6`.

    Examples
    --------
    >>> triad_census([[0, 1, -1], [1, 0, 1], [-1, 1, 0]])["++-"]
    1
    """
    s = check_signs(signs, "triad_census")
    pos = (s > 0).astype(np.int64)
    neg = (s < 0).astype(np.int64)
    counts = {
        "+++": int(np.trace(pos @ pos @ pos)) // 6,
        "++-": int(np.sum(neg * (pos @ pos))) // 2,
        "+--": int(np.sum(pos * (neg @ neg))) // 2,
        "---": int(np.trace(neg @ neg @ neg)) // 6,
    }
    n = s.shape[0]
    complete = sum(counts.values())
    return {
        **counts,
        "balanced": counts["+++"] + counts["+--"],
        "unbalanced": counts["++-"] + counts["---"],
        "incomplete": n * (n - 1) * (n - 2) // 6 - complete,
    }


def frustration_count(signs: ArrayLike, assignment: Sequence[int]) -> int:
    r"""Number of ties a partition violates: negative ties within a bloc, positive across.

    .. math:: L(X) = \sum_{i<j} [\sigma_{ij} < 0]\,(1 - d_{ij}) + [\sigma_{ij} > 0]\,d_{ij},

    with :math:`d_{ij} = 1` when :math:`i` and :math:`j` are in different blocs of the
    partition :math:`X` and 0 otherwise.

    >>> frustration_count([[0, 1, -1], [1, 0, 1], [-1, 1, 0]], [0, 0, 0])
    1
    """
    s = check_signs(signs, "frustration_count")
    x = np.asarray(assignment)
    if x.shape != (s.shape[0],):
        raise ParameterError(
            f"frustration_count() needs one bloc per actor ({s.shape[0]}); got {x.shape}."
        )
    apart = x[:, None] != x[None, :]
    violated = ((s < 0) & ~apart) | ((s > 0) & apart)
    return int(np.triu(violated, 1).sum())


@register_model
class StructuralBalance(Model):
    r"""Structural balance of a signed network: triad census, frustration index and partition.

    The frustration index is the smallest number of ties that any bipartition violates:

    .. math::

       L^* = \min_X \sum_{i<j} [\sigma_{ij} < 0]\,(1 - d_{ij}) + [\sigma_{ij} > 0]\,d_{ij},

    where :math:`\sigma_{ij} \in \{-1, 0, 1\}` is the sign of the tie between actors
    :math:`i` and :math:`j` and :math:`d_{ij} = 1` when the partition :math:`X` puts them in
    different blocs (0 otherwise). :math:`L^* = 0` exactly when the network is balanced.

    Parameters
    ----------
    method : {"exact", "heuristic", "auto"}, default "exact"
        Search mode of the landscape engine that minimises :math:`L` (see Notes). "exact"
        enumerates every bipartition; "heuristic" (for large networks) may miss the minimum.
    random_state : int or None
        Seed of the heuristic search (unused by the exact search).

    Attributes
    ----------
    actors_ : tuple of str
    frustration_index_ : int
        :math:`L^*`.
    partition_ : tuple of tuple of str
        A bipartition attaining :math:`L^*` (one bloc when all ties can be kept inside one).
    optimal_partitions_ : list of tuple of tuple of str
        Every bipartition attaining :math:`L^*`.
    frustrated_ties_ : list of (str, str, int)
        The ties ``partition_`` violates, with their signs.
    triad_census_ : dict
        See :func:`triad_census`.
    exact_ : bool
        Whether the minimum is proven (exact enumeration).

    Notes
    -----
    The minimum is found by the landscape engine
    (:class:`allegiance.models.landscape.Landscape`, two blocs) with unit sizes
    :math:`s_i = 1` and propensities :math:`p_{ij} = \sigma_{ij}`. Its energy is
    :math:`E(X) = \sum_i s_i \sum_{j \ne i} s_j p_{ij} d_{ij}
    = 2 \sum_{i<j} \sigma_{ij} d_{ij}`, and since
    :math:`[\sigma<0](1-d) + [\sigma>0]\,d = [\sigma<0] + \sigma d` for every pair,
    :math:`L(X) = N_- + E(X)/2` with :math:`N_-` the number of negative ties. So the
    configurations of lowest energy are exactly the bipartitions attaining :math:`L^*`, and the
    global minimum is always among the engine's stable configurations.

    No citation is given here: the references of balance theory (Heider; Cartwright and
    Harary; Harary's line index) are not yet in ``references.bib``.

    Examples
    --------
    >>> sb = StructuralBalance().fit([[0, 1, -1], [1, 0, 1], [-1, 1, 0]], actors=["a", "b", "c"])
    >>> sb.frustration_index_
    1
    """

    meta: ClassVar[ModelMeta] = ModelMeta(name="structural_balance", citations=())
    _constraints: ClassVar[dict[str, list[Interval | Options]]] = {
        "method": [Options(frozenset({"exact", "heuristic", "auto"}))],
        "random_state": [Interval(int, 0, None, allow_none=True)],
    }

    def __init__(self, *, method: str = "exact", random_state: int | None = None) -> None:
        self.method = method
        self.random_state = random_state

    def fit(self, signs: ArrayLike, actors: Sequence[str] | None = None) -> StructuralBalance:
        """Compute the census, the frustration index and the partitions attaining it."""
        from allegiance.models.landscape import Landscape

        validate_params(self)
        s = check_signs(signs, "StructuralBalance.fit")
        names = _actor_names(actors, s.shape[0])
        engine = Landscape(n_blocs=2, method=self.method, random_state=self.random_state)
        engine.fit(np.ones(len(names)), s.astype(float), actors=list(names))
        best = engine.minimum_.energy
        optimal = [c for c in engine.stable_ if c.energy <= best + 1e-9]
        first = optimal[0].assignment
        self.actors_ = names
        self.triad_census_ = triad_census(s)
        self.frustration_index_ = frustration_count(s, first)
        self.partition_ = _blocs(names, first)
        self.optimal_partitions_ = sorted({_blocs(names, c.assignment) for c in optimal})
        self.frustrated_ties_ = _violations(s, names, first)
        self.exact_ = engine.method_ == "exact"
        return self

    def summary(self) -> dict[str, Any]:
        """The fitted results as plain JSON-ready data."""

        check_is_fitted(self, "frustration_index_")
        return {
            "actors": list(self.actors_),
            "frustration_index": self.frustration_index_,
            "partition": [list(b) for b in self.partition_],
            "optimal_partitions": [[list(b) for b in p] for p in self.optimal_partitions_],
            "frustrated_ties": [list(t) for t in self.frustrated_ties_],
            "triad_census": self.triad_census_,
            "exact": self.exact_,
        }


def _actor_names(actors: Sequence[str] | None, n: int) -> tuple[str, ...]:
    if n < 2:
        raise ParameterError(f"StructuralBalance.fit() needs at least 2 actors; got {n}.")
    names = tuple(str(a) for a in actors) if actors is not None else tuple(map(str, range(n)))
    if len(names) != n or len(set(names)) != n:
        raise ParameterError(
            f"StructuralBalance.fit() needs {n} distinct actor names, one per row of signs; "
            f"got {len(names)} ({len(set(names))} distinct)."
        )
    return names


def _blocs(names: Sequence[str], assignment: Sequence[int]) -> tuple[tuple[str, ...], ...]:
    """Blocs as tuples of names, label-free: empty blocs dropped, ordered by first member."""
    groups: dict[int, list[str]] = {}
    for name, bloc in zip(names, assignment, strict=True):
        groups.setdefault(int(bloc), []).append(name)
    return tuple(tuple(g) for g in groups.values())


def _violations(
    s: NDArray[np.int8], names: Sequence[str], assignment: Sequence[int]
) -> list[tuple[str, str, int]]:
    out = []
    for i, j in combinations(range(len(names)), 2):
        apart = assignment[i] != assignment[j]
        if (s[i, j] > 0 and apart) or (s[i, j] < 0 and not apart):
            out.append((names[i], names[j], int(s[i, j])))
    return out
