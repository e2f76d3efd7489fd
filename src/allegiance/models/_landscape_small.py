"""The exact landscape enumeration in plain numpy, for small problems: no numba to load.

It computes what :func:`~allegiance.models._landscape_kernels.scan_two_blocs` and
:func:`~allegiance.models._landscape_kernels.scan_k_blocs` compute (same conventions, same
steepest-descent rule and ties, same enumeration indices; see that module), vectorised over
all configurations at once instead of walking a Gray code. Loading numba and its cached
kernels takes about half a second; for up to :data:`MAX_CONFIGURATIONS` configurations this
path takes a few milliseconds, so a small landscape (a CLI call on a dozen actors) never
imports numba. The two paths are tested for equality (``tests/models/test_landscape_small.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["MAX_CONFIGURATIONS", "resolve_roots", "scan"]

#: The most configurations the numpy path enumerates (memory: about ``8 n k`` bytes each).
MAX_CONFIGURATIONS = 2**14


def scan(
    At: Any, s: Any, H: Any, free: Any, x0: Any, movable: Any, sym: bool, k: int,
    tol: float, tol_e: float, want_next: bool, want_e: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """All ``k**len(free)`` configurations: ``(stable, nxt, energies)``.

    ``stable`` holds the indices of the stable configurations (ascending); ``nxt[idx]`` is
    the steepest-descent successor of configuration ``idx`` (itself when stable) and
    ``energies[idx]`` its energy, each empty unless asked for. Index ``idx`` has digit ``j``
    (base ``k``) equal to the bloc of actor ``free[j]``; the other actors stay as in ``x0``.
    """
    n, m = At.shape[0], len(free)
    total = int(k) ** m
    idx = np.arange(total, dtype=np.int64)
    x = np.tile(np.asarray(x0, dtype=np.int64), (total, 1))
    digits = idx.copy()
    for j in free:
        x[:, j] = digits % k
        digits //= k
    blocs = np.arange(k)
    member = (x[:, :, None] == blocs).astype(float)  # member[t, a, b]: actor a in bloc b
    pull = np.einsum("tab,ai->tib", member, At) + H  # L[i, b] + H[i, b] of every configuration
    rows = np.arange(total)
    best_i = np.full(total, -1, dtype=np.int64)
    best_b = np.full(total, -1, dtype=np.int64)
    best_val = np.zeros(total)
    for i in range(n):  # candidates in the kernels' order: lowest actor, then lowest bloc
        if not movable[i]:
            continue
        cur = pull[rows, i, x[:, i]]
        for b in range(k):
            df = cur - pull[:, i, b]
            val = s[i] * df
            take = (x[:, i] != b) & (df < -tol) & ((best_i < 0) | (val < best_val - tol_e))
            best_i[take], best_b[take], best_val[take] = i, b, val[take]
    stable = idx[best_i < 0]
    nxt = np.empty(0, dtype=np.int64)
    if want_next:
        y = x.copy()
        moved = best_i >= 0
        y[rows[moved], best_i[moved]] = best_b[moved]
        nxt = _index(y, free, k, sym)
    energies = np.empty(0)
    if want_e:
        base = float(s @ At.sum(axis=0))
        own = pull[rows[:, None], np.arange(n), x] + H[np.arange(n), x]
        energies = base - own @ s
    return stable, nxt, energies


def _index(y: np.ndarray, free: Any, k: int, sym: bool) -> np.ndarray:
    """Enumeration indices of assignments ``y`` (rows), relabelled so that actor 0 is in bloc 0
    when blocs are exchangeable (``_landscape_kernels._index``, row by row)."""
    swap = y[:, 0] if sym else np.zeros(len(y), dtype=np.int64)
    out = np.zeros(len(y), dtype=np.int64)
    for j in range(len(free) - 1, -1, -1):
        d = y[:, free[j]]
        d = np.where(d == swap, 0, np.where(d == 0, swap, d))
        out = out * k + d
    return out


def resolve_roots(nxt: np.ndarray) -> None:
    """Replace every successor by the end of its descent, in place (pointer jumping)."""
    while True:
        jumped = nxt[nxt]
        if np.array_equal(jumped, nxt):
            return
        nxt[:] = jumped
