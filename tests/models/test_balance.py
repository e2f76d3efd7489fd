"""Structural balance: triad census, frustration index, optimal partitions, data networks."""

from __future__ import annotations

from itertools import combinations, product

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.models.contract import check_model

from allegiance.errors import ParameterError
from allegiance.inputs.balance import _mixed_sign, signed_network
from allegiance.models.balance import StructuralBalance, frustration_count, triad_census
from allegiance.models.landscape import Landscape


@st.composite
def sign_matrices(draw: st.DrawFn, max_n: int = 8) -> np.ndarray:
    n = draw(st.integers(3, max_n))
    upper = draw(st.lists(st.sampled_from([-1, 0, 1]), min_size=n * (n - 1) // 2,
                          max_size=n * (n - 1) // 2))  # fmt: skip
    s = np.zeros((n, n), dtype=int)
    s[np.triu_indices(n, 1)] = upper
    return s + s.T


def brute_force_frustration(s: np.ndarray) -> int:
    n = s.shape[0]
    return min(frustration_count(s, (0, *x)) for x in product((0, 1), repeat=n - 1))


def brute_force_census(s: np.ndarray) -> dict[str, int]:
    names = {0: "+++", 1: "++-", 2: "+--", 3: "---"}
    counts = dict.fromkeys(names.values(), 0)
    for i, j, k in combinations(range(s.shape[0]), 3):
        ties = (s[i, j], s[j, k], s[i, k])
        if 0 not in ties:
            counts[names[sum(t < 0 for t in ties)]] += 1
    return counts


def test_frustrated_triangle_has_frustration_one() -> None:
    # a+b, b+c, a-c: any bipartition violates exactly one tie.
    sb = StructuralBalance().fit([[0, 1, -1], [1, 0, 1], [-1, 1, 0]], actors=["a", "b", "c"])
    assert sb.frustration_index_ == 1
    assert sb.triad_census_["++-"] == 1 and sb.triad_census_["unbalanced"] == 1
    assert len(sb.frustrated_ties_) == 1
    # Three optimal partitions: {abc}, {a | bc}, {ab | c}.
    assert len(sb.optimal_partitions_) == 3


def test_all_negative_triangle_has_frustration_one() -> None:
    sb = StructuralBalance().fit(-(np.ones((3, 3)) - np.eye(3)))
    assert sb.frustration_index_ == 1
    assert sb.triad_census_["---"] == 1


def test_planted_factions_are_balanced_and_recovered(rng: np.random.Generator) -> None:
    n = 10
    side = rng.permutation(np.arange(n) % 2)
    s = np.where(side[:, None] == side[None, :], 1, -1)
    s = s * (rng.random((n, n)) < 0.7)  # drop some ties
    s = np.triu(s, 1) + np.triu(s, 1).T
    names = [f"s{k}" for k in range(n)]
    sb = StructuralBalance().fit(s, actors=names)
    assert sb.frustration_index_ == 0 and sb.frustrated_ties_ == []
    planted = {frozenset(n for n, x in zip(names, side, strict=True) if x == b) for b in (0, 1)}
    assert {frozenset(b) for b in sb.partition_} == planted
    assert sb.triad_census_["unbalanced"] == 0


@settings(max_examples=40, deadline=None)
@given(sign_matrices())
def test_frustration_matches_brute_force(s: np.ndarray) -> None:
    sb = StructuralBalance().fit(s)
    assert sb.frustration_index_ == brute_force_frustration(s)
    for partition in sb.optimal_partitions_:
        assignment = [next(k for k, b in enumerate(partition) if str(i) in b)
                      for i in range(len(s))]  # fmt: skip
        assert frustration_count(s, assignment) == sb.frustration_index_


@settings(max_examples=40, deadline=None)
@given(sign_matrices())
def test_frustration_is_negatives_plus_half_the_landscape_minimum(s: np.ndarray) -> None:
    # The documented mapping: L(X) = N_- + E(X) / 2 with unit sizes and p = sign.
    engine = Landscape().fit(np.ones(len(s)), s.astype(float))
    n_negative = int(np.sum(np.triu(s, 1) < 0))
    expected = n_negative + engine.minimum_.energy / 2
    assert StructuralBalance().fit(s).frustration_index_ == pytest.approx(expected)


@settings(max_examples=40, deadline=None)
@given(sign_matrices(), st.randoms(use_true_random=False))
def test_invariant_to_permuting_actors(s: np.ndarray, random: object) -> None:
    n = len(s)
    order = list(range(n))
    random.shuffle(order)  # type: ignore[attr-defined]
    names = [f"a{k}" for k in range(n)]
    first = StructuralBalance().fit(s, actors=names)
    perm = StructuralBalance().fit(s[np.ix_(order, order)], actors=[names[k] for k in order])
    assert perm.frustration_index_ == first.frustration_index_
    assert perm.triad_census_ == first.triad_census_

    def as_sets(parts: list[tuple[tuple[str, ...], ...]]) -> set[frozenset[frozenset[str]]]:
        return {frozenset(frozenset(b) for b in p) for p in parts}

    assert as_sets(perm.optimal_partitions_) == as_sets(first.optimal_partitions_)


@settings(max_examples=60, deadline=None)
@given(sign_matrices(max_n=9))
def test_census_matches_triad_enumeration(s: np.ndarray) -> None:
    census = triad_census(s)
    assert {k: census[k] for k in ("+++", "++-", "+--", "---")} == brute_force_census(s)
    n = len(s)
    assert (
        census["balanced"] + census["unbalanced"] + census["incomplete"]
        == n * (n - 1) * (n - 2) // 6
    )


def test_census_hand_case() -> None:
    # a, b, c friends; d enemy of all three. Triads: abc +++ ; abd, acd, bcd are +-- each.
    s = np.array([[0, 1, 1, -1], [1, 0, 1, -1], [1, 1, 0, -1], [-1, -1, -1, 0]])
    census = triad_census(s)
    assert census == {"+++": 1, "++-": 0, "+--": 3, "---": 0, "balanced": 4, "unbalanced": 0,
                      "incomplete": 0}  # fmt: skip
    s[0, 1] = s[1, 0] = 0  # ab missing: abc and abd become incomplete
    assert triad_census(s)["incomplete"] == 2 and triad_census(s)["+--"] == 2


def test_model_contract() -> None:
    s = [[0, 1, -1, 1], [1, 0, -1, 0], [-1, -1, 0, 1], [1, 0, 1, 0]]
    check_model(
        StructuralBalance,
        lambda m: m.fit(s, actors=["a", "b", "c", "d"]),  # type: ignore[attr-defined]
        lambda m: m.summary(),  # type: ignore[attr-defined]
    )


@pytest.mark.parametrize(
    "signs, actors, match",
    [
        ([[0, 1], [1, 0], [0, 0]], None, "square matrix"),
        ([[0, 2], [2, 0]], None, r"signs in \{-1, 0, 1\}"),
        ([[0, 1], [-1, 0]], None, "symmetric"),
        ([[1, 1], [1, 0]], None, "zero diagonal"),
        ([[0]], None, "at least 2 actors"),
        ([[0, 1], [1, 0]], ["a", "a"], "2 distinct actor names"),
    ],
)
def test_bad_signs(signs: list[list[int]], actors: list[str] | None, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        StructuralBalance().fit(signs, actors=actors)


def test_bad_method() -> None:
    with pytest.raises(ParameterError, match="'method' parameter of StructuralBalance"):
        StructuralBalance(method="guess").fit([[0, 1], [1, 0]])


@pytest.mark.parametrize(
    "mixed, expected", [("negative", -1), ("positive", 1), ("drop", 0), ("sum", 1)]
)
def test_mixed_rule(mixed: str, expected: int) -> None:
    frame = pl.DataFrame({"p": [2, 1, 0, 0], "n": [1, 0, 1, 0]})
    signs = frame.select(_mixed_sign(pl.col("p"), pl.col("n"), mixed).alias("s"))["s"].to_list()
    assert signs == [expected, 1, -1, 0]


def test_northeast_asia_2014_network() -> None:
    net = signed_network(2014, [2, 365, 710, 731, 732, 740])
    assert net.actors == ("USA", "RUS", "CHN", "PRK", "ROK", "JPN")
    sign = {(a, b): s for a, b, s in net.ties.select("actor1", "actor2", "sign").iter_rows()}
    assert sign["USA", "JPN"] == sign["USA", "ROK"] == 1  # ATOP defense pacts
    assert sign["USA", "CHN"] == sign["PRK", "ROK"] == -1  # rivalries
    assert sign["CHN", "PRK"] == 1
    assert net.covered["atop_defense"] and not net.covered["dca_any"]  # DCAD ends in 2010
    assert np.array_equal(net.signs, net.signs.T)


def test_signed_network_errors() -> None:
    with pytest.raises(ParameterError, match=r"must lie within 1816-\d{4}.*Got 1700"):
        signed_network(1700, [2, 365, 710])
    with pytest.raises(ParameterError, match=r"North Korea .* not in the COW state system in 1900"):
        signed_network(1900, [2, 365, 731])
    with pytest.raises(ParameterError, match="at least three distinct states"):
        signed_network(2000, [2, 2, 365])
    with pytest.raises(ParameterError, match="'mixed' parameter of signed_network"):
        signed_network(2000, [2, 365, 710], mixed="max")
