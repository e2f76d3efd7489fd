# mypy: allow-untyped-defs
"""Compiled (numba) kernels of the landscape model: enumeration, basins, annealing searches.

Shared conventions. ``At[a, i] = s_a p_ia`` (row ``a`` is actor ``a``'s pull on everyone),
``s`` the sizes, ``H[i, b]`` the field. The enumerated actors are ``free`` (bit or digit
``j`` of a configuration index is the bloc of actor ``free[j]``; ``pos`` is the inverse map,
-1 for actors not enumerated). ``sym`` means blocs are exchangeable and actor 0 is pinned to
bloc 0 but may still move (a move of actor 0 is followed by a relabelling). ``movable[i]``
says whether actor ``i`` may move at all (fixed actors may not). A move lowers the mover's
frustration only if it does so by more than ``tol``; among such moves, steepest descent
takes the largest energy decrease (ties within ``tol_e``: lowest actor, then lowest bloc).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = [
    "anneal_many",
    "resolve_roots",
    "scan_k_blocs",
    "scan_two_blocs",
    "two_bloc_chunk",
]


@njit(cache=True)
def two_bloc_chunk(
    start, stop, At, s, hd, free, sigma0, pos, movable, sym, tol, tol_e,
    want_next, nxt, want_e, energies, buf,
):  # fmt: skip
    """Scan Gray codes ``start..stop-1`` of a two-bloc enumeration.

    Writes stable configuration indices into ``buf`` (as many as fit) and returns how many
    there were; optionally writes the steepest-descent successor ``nxt[idx]`` and the
    (drift-free up to one chunk) energy ``energies[idx]`` of every configuration.
    """
    n = At.shape[0]
    m = free.shape[0]
    full = (np.int64(1) << m) - 1
    sigma = sigma0.copy()
    g = start ^ (start >> 1)
    for j in range(m):
        if (g >> j) & 1:
            sigma[free[j]] = -1.0
    v = hd.copy()
    for a in range(n):
        for i in range(n):
            v[i] += At[a, i] * sigma[a]
    e = 0.0
    if want_e:
        for i in range(n):
            e -= s[i] * sigma[i] * hd[i]
            for a in range(n):
                e += s[i] * At[a, i] * (1.0 - sigma[i] * sigma[a]) * 0.5
    count = 0
    for c in range(start, stop):
        if c > start:
            j = 0
            while not (c >> j) & 1:
                j += 1
            a = free[j]
            sa = sigma[a]
            e += 2.0 * s[a] * sa * v[a]
            for i in range(n):
                v[i] -= 2.0 * sa * At[a, i]
            sigma[a] = -sa
        idx = c ^ (c >> 1)
        if want_e:
            energies[idx] = e
        best = -1
        best_val = 0.0
        for i in range(n):
            if movable[i]:
                gi = sigma[i] * v[i]
                if gi < -tol:
                    if not want_next:
                        best = i
                        break
                    val = s[i] * gi
                    if best < 0 or val < best_val - tol_e:
                        best = i
                        best_val = val
        if best < 0:
            if count < buf.shape[0]:
                buf[count] = idx
            count += 1
        if want_next:
            if best < 0:
                nxt[idx] = idx
            elif sym and best == 0:
                nxt[idx] = idx ^ full
            else:
                nxt[idx] = idx ^ (np.int64(1) << pos[best])
    return count


@njit(parallel=True, cache=True)
def scan_two_blocs(
    At, s, hd, free, sigma0, pos, movable, sym, tol, tol_e,
    want_next, nxt, want_e, energies, chunk, cap,
):  # fmt: skip
    """All ``2**len(free)`` two-bloc configurations, in parallel chunks of Gray code.

    Returns ``(counts, bufs)``: stable configurations per chunk and the first ``cap`` of
    them; a chunk with ``counts[c] > cap`` must be rescanned with a larger buffer.
    """
    total = np.int64(1) << free.shape[0]
    n_chunks = (total + chunk - 1) // chunk
    counts = np.zeros(n_chunks, dtype=np.int64)
    bufs = np.empty((n_chunks, cap), dtype=np.int64)
    for ci in prange(n_chunks):
        lo = ci * chunk
        hi = min(lo + chunk, total)
        counts[ci] = two_bloc_chunk(
            lo, hi, At, s, hd, free, sigma0, pos, movable, sym, tol, tol_e,
            want_next, nxt, want_e, energies, bufs[ci],
        )  # fmt: skip
    return counts, bufs


@njit(cache=True)
def _best_move(x, L, H, s, movable, k, tol, tol_e):
    """Steepest-descent move ``(actor, bloc)`` from ``x``; ``(-1, -1)`` when stable."""
    best_i = -1
    best_b = -1
    best_val = 0.0
    for i in range(x.shape[0]):
        if not movable[i]:
            continue
        cur = L[i, x[i]] + H[i, x[i]]
        for b in range(k):
            if b == x[i]:
                continue
            df = cur - (L[i, b] + H[i, b])
            if df < -tol:
                val = s[i] * df
                if best_i < 0 or val < best_val - tol_e:
                    best_i, best_b, best_val = i, b, val
    return best_i, best_b


@njit(cache=True)
def _move(x, L, At, i, b):
    """Move actor ``i`` to bloc ``b``, updating the bloc pulls ``L[j, bloc]``."""
    a = x[i]
    for j in range(x.shape[0]):
        L[j, a] -= At[i, j]
        L[j, b] += At[i, j]
    x[i] = b


@njit(cache=True)
def _index(x, free, k, sym):
    """Enumeration index of assignment ``x`` (relabelled so that actor 0 is in bloc 0)."""
    swap = x[0] if sym else 0
    idx = np.int64(0)
    for j in range(free.shape[0] - 1, -1, -1):
        d = x[free[j]]
        if d == swap:
            d = 0
        elif d == 0:
            d = swap
        idx = idx * k + d
    return idx


@njit(cache=True)
def scan_k_blocs(
    At, s, H, free, x0, movable, sym, k, tol, tol_e, want_next, nxt, want_e, energies,
):  # fmt: skip
    """All ``k**len(free)`` labelled configurations by a reflected k-ary Gray code.

    Returns the indices of the stable ones; optionally fills ``nxt`` and ``energies``.
    """
    n = At.shape[0]
    m = free.shape[0]
    x = x0.copy()
    L = np.zeros((n, k))
    for a in range(n):
        for j in range(n):
            L[j, x[a]] += At[a, j]
    counter = np.zeros(m, dtype=np.int64)
    direction = np.ones(m, dtype=np.int64)
    weight = np.ones(m, dtype=np.int64)
    for j in range(1, m):
        weight[j] = weight[j - 1] * k
    total = np.int64(k) ** m
    idx = np.int64(0)
    stable = np.empty(64, dtype=np.int64)
    count = 0
    y = x.copy()
    base = 0.0
    for i in range(n):
        for a in range(n):
            base += s[i] * At[a, i]
    for step in range(total):
        if step > 0:
            j = 0
            while counter[j] == k - 1:
                counter[j] = 0
                direction[j] = -direction[j]
                j += 1
            counter[j] += 1
            a = free[j]
            b = x[a] + direction[j]
            idx += direction[j] * weight[j]
            _move(x, L, At, a, b)
        if want_e:
            e = base
            for i in range(n):
                e -= s[i] * (L[i, x[i]] + 2.0 * H[i, x[i]])
            energies[idx] = e
        bi, bb = _best_move(x, L, H, s, movable, k, tol, tol_e)
        if bi < 0:
            if count == stable.shape[0]:
                stable = np.concatenate((stable, np.empty(count, dtype=np.int64)))
            stable[count] = idx
            count += 1
        if want_next:
            if bi < 0:
                nxt[idx] = idx
            else:
                y[:] = x
                y[bi] = bb
                nxt[idx] = _index(y, free, k, sym)
    return stable[:count]


@njit(cache=True)
def resolve_roots(nxt):
    """Replace every successor by the end of its descent (path compression, in place)."""
    for c in range(nxt.shape[0]):
        r = c
        while nxt[r] != r:
            r = nxt[r]
        x = c
        while nxt[x] != r:
            y = nxt[x]
            nxt[x] = r
            x = y


@njit(cache=True)
def _splitmix(state):
    """One step of splitmix64: ``(new_state, uniform float in [0, 1))``."""
    state = (state + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    z = state
    z = ((z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    z = ((z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    z = z ^ (z >> np.uint64(31))
    return state, (z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def _one_search(x, At, s, H, movable, k, tol, tol_e, t_hi, t_lo, n_sweeps, state):
    """Metropolis sweeps from ``t_hi`` down to ``t_lo`` (geometric), then steepest descent."""
    n = x.shape[0]
    L = np.zeros((n, k))
    for a in range(n):
        for j in range(n):
            L[j, x[a]] += At[a, j]
    movers = np.nonzero(movable)[0]
    n_mov = movers.shape[0]
    for sweep in range(n_sweeps if n_mov > 0 else 0):
        frac = sweep / max(n_sweeps - 1, 1)
        temp = t_hi * (t_lo / t_hi) ** frac if t_hi > 0 else 0.0
        for _ in range(n_mov):
            state, u = _splitmix(state)
            i = movers[min(int(u * n_mov), n_mov - 1)]
            state, u = _splitmix(state)
            b = min(int(u * (k - 1)), k - 2)
            if b >= x[i]:
                b += 1
            de = 2.0 * s[i] * ((L[i, x[i]] + H[i, x[i]]) - (L[i, b] + H[i, b]))
            if de <= 0.0:
                _move(x, L, At, i, b)
            elif temp > 0.0:
                state, u = _splitmix(state)
                if u < np.exp(-de / temp):
                    _move(x, L, At, i, b)
    while True:
        bi, bb = _best_move(x, L, H, s, movable, k, tol, tol_e)
        if bi < 0:
            break
        _move(x, L, At, bi, bb)
    return state


@njit(parallel=True, cache=True)
def anneal_many(
    starts, At, s, H, movable, k, tol, tol_e, t_hi, t_lo, n_sweeps, seeds,
):  # fmt: skip
    """Run one search per row of ``starts`` (in place), each with its own seeded stream."""
    for r in prange(starts.shape[0]):
        _one_search(
            starts[r], At, s, H, movable, k, tol, tol_e, t_hi, t_lo, n_sweeps,
            np.uint64(seeds[r]),
        )  # fmt: skip
