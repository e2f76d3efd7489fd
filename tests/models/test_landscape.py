"""Landscape theory: energy identity, hand cases, brute-force agreement, invariances, contract."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.models.contract import check_model

from allegiance.errors import ParameterError
from allegiance.models.landscape import Configuration, Landscape, energy, frustration

TRIANGLE = [[0, -1, -1], [-1, 0, -1], [-1, -1, 0]]


def random_problem(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    s = rng.uniform(0.5, 2.0, n)
    p = rng.normal(size=(n, n))
    p = (p + p.T) / 2
    np.fill_diagonal(p, 0.0)
    return s, p


def brute_force(s, p, k=2, field=None, fixed=None):
    """Reference: every labelled assignment, stability by definition, steepest descent."""
    n = len(s)
    fixed = fixed or {}
    sym = field is None and not fixed
    free = [i for i in range(n) if i not in fixed and not (sym and i == 0)]
    movable = [i for i in range(n) if i not in fixed]
    h = np.zeros((n, k)) if field is None else np.asarray(field, dtype=float)
    tol = 1e-9 * max(np.max(np.abs(s[None, :] * p).sum(axis=1) + np.abs(h).max(axis=1)), 1e-300)

    def frus(i, x):
        return frustration(i, x, s, p, h)

    def step(x):
        best, best_val = None, 0.0
        for i in movable:
            for b in range(k):
                if b == x[i]:
                    continue
                y = list(x)
                y[i] = b
                d = frus(i, y) - frus(i, x)
                if d < -tol and (best is None or s[i] * d < best_val - tol * s.max()):
                    best, best_val = tuple(y), s[i] * d
        return best

    def key(x):
        if not sym:
            return x
        labels: dict[int, int] = {}
        return tuple(labels.setdefault(b, len(labels)) for b in x)

    basins: dict[tuple[int, ...], int] = {}
    for digits in itertools.product(range(k), repeat=len(free)):
        x = [fixed.get(i, 0) for i in range(n)]
        for i, d in zip(free, digits, strict=True):
            x[i] = d
        x = tuple(x)
        while (y := step(x)) is not None:
            x = y
        basins[key(x)] = basins.get(key(x), 0) + 1
    return {x: (energy(x, s, p, h), b) for x, b in basins.items()}


def as_dict(model: Landscape) -> dict[tuple[int, ...], tuple[float, int | None]]:
    return {c.assignment: (c.energy, c.basin_size) for c in model.stable_}


def assert_same(got, want):
    assert set(got) == set(want)
    for x, (e, b) in want.items():
        assert got[x][0] == pytest.approx(e, abs=1e-9)
        assert got[x][1] == b


def test_frustrated_triangle():
    model = Landscape().fit([1.0, 1.0, 1.0], TRIANGLE, actors=["A", "B", "C"])
    assert model.n_configurations_ == 4
    assert [c.blocs for c in model.stable_] == [
        (("A", "B"), ("C",)),
        (("A", "C"), ("B",)),
        (("A",), ("B", "C")),
    ]
    assert all(c.energy == -4.0 for c in model.stable_)
    # ties from "all together": every actor gains 2, the lowest index (A) moves
    assert [c.basin_size for c in model.stable_] == [1, 1, 2]
    assert model.stable_[0].bloc_size_share == pytest.approx((2 / 3, 1 / 3))


def test_three_blocs_resolve_the_triangle():
    model = Landscape(n_blocs=3).fit([1.0, 1.0, 1.0], TRIANGLE)
    assert [c.assignment for c in model.stable_] == [(0, 1, 2)]
    assert model.stable_[0].basin_size == model.n_configurations_ == 9


@given(
    st.integers(2, 7),
    st.integers(2, 4),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_single_move_identity(n, k, seed, with_field):
    rng = np.random.default_rng(seed)
    s, p = random_problem(rng, n)
    h = rng.normal(size=(n, k)) if with_field else None
    x = rng.integers(0, k, n)
    mover = int(rng.integers(n))
    y = x.copy()
    y[mover] = (x[mover] + 1 + rng.integers(k - 1)) % k
    lhs = energy(x, s, p, h) - energy(y, s, p, h)
    rhs = 2 * s[mover] * (frustration(mover, x, s, p, h) - frustration(mover, y, s, p, h))
    assert lhs == pytest.approx(rhs, abs=1e-9)


@pytest.mark.parametrize("n", [1, 2, 5, 9])
def test_exact_two_blocs_matches_brute_force(n, rng):
    s, p = random_problem(rng, n)
    assert_same(as_dict(Landscape().fit(s, p)), brute_force(s, p))


def test_exact_k_blocs_matches_brute_force(rng):
    s, p = random_problem(rng, 6)
    assert_same(as_dict(Landscape(n_blocs=3).fit(s, p)), brute_force(s, p, k=3))


@pytest.mark.parametrize("k", [2, 3])
def test_field_and_fixed_match_brute_force(k, rng):
    s, p = random_problem(rng, 6)
    field = rng.normal(size=(6, k))
    fixed = {1: k - 1, 4: 0}
    model = Landscape(n_blocs=k, field=field, fixed={"1": k - 1, "4": 0}).fit(s, p)
    assert_same(as_dict(model), brute_force(s, p, k=k, field=field, fixed=fixed))
    assert all(c.assignment[1] == k - 1 and c.assignment[4] == 0 for c in model.stable_)
    assert model.n_configurations_ == k**4


def test_basins_partition_the_configurations(rng):
    s, p = random_problem(rng, 12)
    model = Landscape().fit(s, p)
    assert sum(c.basin_size for c in model.stable_) == model.n_configurations_ == 2**11
    assert sum(c.probability for c in model.stable_) == pytest.approx(1.0)


def test_planted_blocs_recovered(rng):
    n = 14
    side = rng.permutation(np.arange(n) % 2)
    p = np.where(side[:, None] == side[None, :], 1.0, -1.0) + rng.normal(0, 0.3, (n, n))
    p = (p + p.T) / 2
    np.fill_diagonal(p, 0.0)
    s = rng.uniform(0.5, 2.0, n)
    best = Landscape().fit(s, p).minimum_
    assert best.assignment == tuple(int(b != side[0]) for b in side)


def partitions(model: Landscape) -> dict[frozenset[frozenset[str]], tuple[float, int | None]]:
    return {
        frozenset(frozenset(b) for b in c.blocs if b): (round(c.energy, 9), c.basin_size)
        for c in model.stable_
    }


def test_invariant_to_permuting_actors(rng):
    s, p = random_problem(rng, 10)
    names = [f"a{i}" for i in range(10)]
    perm = rng.permutation(10)
    before = partitions(Landscape().fit(s, p, actors=names))
    after = partitions(
        Landscape().fit(s[perm], p[np.ix_(perm, perm)], actors=[names[i] for i in perm])
    )
    assert {k: v[0] for k, v in before.items()} == {k: v[0] for k, v in after.items()}


def test_invariant_to_relabelling_blocs(rng):
    s, p = random_problem(rng, 8)
    field = rng.normal(size=(8, 2))
    one = Landscape(field=field, fixed={"0": 1}).fit(s, p)
    two = Landscape(field=field[:, ::-1], fixed={"0": 0}).fit(s, p)
    flipped = {tuple(1 - b for b in c.assignment): (c.energy, c.basin_size) for c in two.stable_}
    assert_same(as_dict(one), flipped)


@pytest.mark.parametrize("n, k", [(6, 2), (11, 2), (16, 2), (8, 3)])
def test_heuristic_agrees_with_exact(n, k, rng, seed):
    s, p = random_problem(rng, n)
    exact = as_dict(Landscape(n_blocs=k).fit(s, p))
    heur = Landscape(n_blocs=k, method="heuristic", n_starts=60, random_state=seed).fit(s, p)
    assert heur.minimum_.energy == pytest.approx(min(e for e, _ in exact.values()))
    assert {c.assignment for c in heur.stable_} <= set(exact)
    assert sum(c.hits for c in heur.stable_) == heur.n_configurations_ == 60


def test_temperature_weights_basins(rng):
    s, p = random_problem(rng, 9)
    cold = Landscape().fit(s, p)
    hot = Landscape(temperature=1e9).fit(s, p)
    warm = Landscape(temperature=1.0).fit(s, p)
    for c, h, w in zip(cold.stable_, hot.stable_, warm.stable_, strict=True):
        assert h.probability == pytest.approx(c.probability, rel=1e-6)
        assert c.assignment == h.assignment == w.assignment
    assert sum(w.probability for w in warm.stable_) == pytest.approx(1.0)
    assert warm.minimum_.probability > cold.minimum_.probability


def test_noisy_heuristic_is_reproducible(rng, seed):
    s, p = random_problem(rng, 20)
    a = Landscape(method="heuristic", temperature=0.5, random_state=seed).fit(s, p)
    b = Landscape(method="heuristic", temperature=0.5, random_state=seed).fit(s, p)
    assert a.stable_ == b.stable_ and a.seed_ == seed


def test_auto_switches_to_heuristic(rng):
    s, p = random_problem(rng, 12)
    assert Landscape(method="auto", max_exact=10, random_state=1).fit(s, p).method_ == "heuristic"
    assert Landscape(method="auto").fit(s, p).method_ == "exact"


def test_field_pulls_an_actor():
    p = np.array([[0, 1.0], [1.0, 0]])

    def fit(pull: float) -> Landscape:
        model = Landscape(field={"B": [0.0, pull]}, fixed={"A": 0})
        return model.fit([1.0, 1.0], p, actors=["A", "B"])

    assert [c.blocs for c in fit(5.0).stable_] == [(("A",), ("B",))]
    assert [c.blocs for c in fit(0.5).stable_] == [(("A", "B"), ())]


def test_to_dict_is_json_ready():
    out = Landscape().fit([1.0, 1.0, 1.0], TRIANGLE, actors=["A", "B", "C"]).to_dict()
    assert out["actors"] == ["A", "B", "C"] and out["n_configurations"] == 4
    assert out["stable"][0]["blocs"] == [["A", "B"], ["C"]]
    assert isinstance(Configuration, type)


def test_contract(rng):
    s, p = random_problem(rng, 7)
    check_model(lambda: Landscape(), lambda m: m.fit(s, p), lambda m: m.to_dict())
    check_model(
        lambda: Landscape(method="heuristic", random_state=3),
        lambda m: m.fit(s, p),
        lambda m: m.to_dict(),
    )


@pytest.mark.parametrize(
    "make, sizes, prop, match",
    [
        (Landscape, [1.0, -1.0], [[0, 1], [1, 0]], "every size to be a positive number"),
        (Landscape, [1.0, 1.0], [[0, 1], [2, 0]], "symmetric propensity matrix"),
        (Landscape, [1.0, 1.0], [[0, 1, 0]], r"\(2, 2\) propensity matrix"),
        (lambda: Landscape(n_blocs=1), [1.0], [[0]], "'n_blocs' parameter of Landscape"),
        (lambda: Landscape(method="x"), [1.0], [[0]], "'method' parameter of Landscape"),
        (lambda: Landscape(fixed={"Z": 0}), [1.0], [[0]], "unknown actor 'Z'"),
        (lambda: Landscape(fixed={"0": 2}), [1.0], [[0]], "blocs 0..1"),
        (lambda: Landscape(field=[[1.0]]), [1.0], [[0]], "'field' parameter"),
    ],
)
def test_bad_inputs(make, sizes, prop, match):
    with pytest.raises(ParameterError, match=match):
        make().fit(sizes, prop)


def test_too_large_for_exact_names_the_limit():
    n = 12
    with pytest.raises(ParameterError, match=r"at most 2\^9 = 512 .* method='heuristic'"):
        Landscape(max_exact=10).fit(np.ones(n), np.zeros((n, n)))
