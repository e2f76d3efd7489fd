"""The numpy enumeration of small landscapes equals the numba kernels, case by case.

``_landscape_small.scan`` is the path small problems take (no numba to load); the kernels of
``_landscape_kernels`` take the large ones. On the same problem both must give the same stable
configurations, the same steepest-descent successor of every configuration, the same basins,
and (up to rounding: the kernels update sums along a Gray code) the same energies.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allegiance.models import _landscape_kernels as kernels
from allegiance.models import _landscape_small as small
from allegiance.models import landscape as mod
from allegiance.models.landscape import Landscape, _Problem


@st.composite
def landscapes(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int, dict[str, int] | None, bool]:
    """Sizes, propensities (continuous or small integers, which tie exactly), blocs, fixed
    actors and whether there is a field, for 2 to 9 actors."""
    n = draw(st.integers(2, 9))
    k = draw(st.integers(2, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    s = rng.uniform(0.5, 2.0, n)
    if draw(st.booleans()):  # integer propensities: many exact ties between moves
        p = rng.integers(-2, 3, size=(n, n)).astype(float)
        s = rng.integers(1, 4, size=n).astype(float)
    else:
        p = rng.normal(size=(n, n))
    p = np.triu(p, 1) + np.triu(p, 1).T
    fixed = {str(n - 1): int(rng.integers(0, k))} if draw(st.booleans()) else None
    return s, p, k, fixed, draw(st.booleans())


def _problem(s, p, k, fixed, with_field) -> _Problem:
    field = np.linspace(-0.5, 0.5, len(s) * k).reshape(len(s), k) if with_field else None
    return _Problem.build(s, p, None, k, field, fixed)


def _numba(problem: _Problem, want_e: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stable indices (sorted), successors and energies from the numba kernels (the two-bloc
    kernel's energies less its constant, sum_i s_i (h_i0 + h_i1), to compare with the rest)."""
    total = problem.n_enumerated()
    nxt = np.empty(total, dtype=np.int32)
    energies = np.empty(total if want_e else 1)
    if problem.k == 2:
        stable = mod._scan_two(problem, nxt, energies, True)
        energies -= float(problem.s @ problem.H.sum(axis=1))
    else:
        stable = kernels.scan_k_blocs(
            problem.At, problem.s, problem.H, problem.free, problem.start(),
            problem.fixed < 0, problem.sym, problem.k, problem.tol, problem.tol_e,
            True, nxt, want_e, energies,
        )  # fmt: skip
    return np.sort(stable), nxt.astype(np.int64), energies


def _numpy(problem: _Problem, want_e: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return small.scan(
        problem.At, problem.s, problem.H, problem.free, problem.start(), problem.fixed < 0,
        problem.sym, problem.k, problem.tol, problem.tol_e, True, want_e,
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(landscapes(), st.booleans())
def test_numpy_scan_equals_the_numba_kernels(case, want_e):
    problem = _problem(*case)
    stable, nxt, energies = _numpy(problem, want_e)
    stable_nb, nxt_nb, energies_nb = _numba(problem, want_e)
    assert np.array_equal(stable, stable_nb)
    assert np.array_equal(nxt, nxt_nb)
    if want_e:
        np.testing.assert_allclose(energies, energies_nb, rtol=1e-12, atol=1e-12)
    small.resolve_roots(nxt)
    kernels.resolve_roots(nxt_nb)
    assert np.array_equal(nxt, nxt_nb)


@settings(max_examples=60, deadline=None)
@given(landscapes(), st.sampled_from([0.0, 0.5]))
def test_fitted_model_is_the_same_on_both_paths(case, temperature):
    s, p, k, fixed, with_field = case
    field = np.linspace(-0.5, 0.5, len(s) * k).reshape(len(s), k) if with_field else None

    def fit():
        model = Landscape(n_blocs=k, field=field, fixed=fixed, temperature=temperature)
        return model.fit(s, p)

    chosen = mod._numpy_path
    try:
        mod._numpy_path = lambda total: True  # type: ignore[assignment]
        fast = fit()
        mod._numpy_path = lambda total: False  # type: ignore[assignment]
        slow = fit()
    finally:
        mod._numpy_path = chosen
    assert [c.assignment for c in fast.stable_] == [c.assignment for c in slow.stable_]
    assert [c.basin_size for c in fast.stable_] == [c.basin_size for c in slow.stable_]
    assert [c.energy for c in fast.stable_] == [c.energy for c in slow.stable_]
    assert [c.probability for c in fast.stable_] == pytest.approx(
        [c.probability for c in slow.stable_], rel=1e-9
    )
    assert fast.n_configurations_ == slow.n_configurations_


def test_a_one_off_small_fit_loads_no_numba_and_load_kernels_switches() -> None:
    """In a fresh process a CLI-sized landscape (12 actors, two blocs: 2,048 configurations)
    is enumerated in numpy without importing numba; after load_kernels() fits use the kernels
    (a process fitting many landscapes, like the scenario draws, gains from them)."""
    code = """
import sys
import numpy as np
from allegiance.models import landscape as mod
s, p = np.ones(12), np.triu(np.linspace(-1, 1, 144).reshape(12, 12), 1)
mod.Landscape().fit(s, p + p.T)
print("numba" in sys.modules, mod._numpy_path(2**11))
mod.load_kernels()
print(mod._numpy_path(2**11), mod._numpy_path(2**20))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "False", "False"]
