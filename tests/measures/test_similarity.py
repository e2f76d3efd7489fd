"""Alliance-portfolio similarity: hand-computed cases, invariants, the raw ATOP file, the CLI."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.data import bundle
from allegiance.errors import ParameterError
from allegiance.measures.registry import compute, get_measure
from allegiance.measures.similarity import (
    alliance_level,
    cohens_kappa,
    kappa_matrix,
    pi_matrix,
    s_score,
    s_score_matrix,
    scotts_pi,
    tau_b,
    tau_b_matrix,
)
from allegiance.panel.universe import state_years

# Germany and Russia, 1914: the ordinal (COW) alliance portfolios of Signorino and Ritter's
# (1999) Table 6, as reproduced in S. Miller's post "How to Calculate Tau-b Using Alliance
# Data in R" (2021). Order: GMY RUS UKG FRN AUH ITA BEL SPN TUR NTH SWD RUM POR SWZ GRC DEN
# YUG BUL NOR ALB.
GMY_1914 = [3, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]
RUS_1914 = [0, 3, 1, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]


# ---------------------------------------------------------------- hand-computed cases


def test_alliance_level_scale() -> None:
    # defense or offense -> 3; neutrality or non-aggression -> 2; consultation only -> 1
    got = alliance_level(
        [1, 0, 0, 0, 0, 0, 1], [0, 1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 1],
        [0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 1, 0, 1],
    )  # fmt: skip
    assert got.tolist() == [3, 3, 2, 2, 1, 0, 3]


def test_s_score_binary_unweighted() -> None:
    # 3 states; d = |1-0| = 1, d_max = 3 * 1  ->  S = 1 - 2 * (1/3)
    assert s_score([1, 0, 1], [1, 0, 0]) == pytest.approx(1 / 3)


def test_s_score_valued_unweighted() -> None:
    # |diffs| = 0, 1, 2, 0 -> d = 3; d_max = 4 states * 3 = 12  ->  S = 1 - 2 * 3/12 = 0.5
    assert s_score([3, 0, 2, 1], [3, 1, 0, 1], d_max=3) == pytest.approx(0.5)


def test_s_score_valued_squared() -> None:
    # (diff/3)^2 = 0, 1/9, 4/9, 0 -> sum 5/9 over 4 states -> S = 1 - 2 * 5/36 = 26/36
    got = s_score([3, 0, 2, 1], [3, 1, 0, 1], d_max=3, metric="squared")
    assert got == pytest.approx(26 / 36)


def test_s_score_binary_weighted() -> None:
    # w = .5 .25 .125 .125; disagree on states 2 and 3: sum w|d| = .25 + .125 = .375, sum w = 1
    # -> S = 1 - 2 * .375 = .25
    w = [0.5, 0.25, 0.125, 0.125]
    assert s_score([1, 0, 1, 0], [1, 1, 0, 0], weights=w) == pytest.approx(0.25)


def test_s_score_valued_weighted() -> None:
    # w = 2 1 1 (unnormalised); |diff|/3 = 0, 1, 1/3 -> sum w delta = 4/3, sum w = 4
    # -> S = 1 - 2 * (4/3) / 4 = 1/3
    assert s_score([3, 0, 1], [3, 3, 0], weights=[2, 1, 1], d_max=3) == pytest.approx(1 / 3)


def test_germany_russia_1914() -> None:
    # |diffs|: GMY 3, RUS 3, UKG 1, FRN 3, AUH 3, ITA 2, RUM 3 -> d = 18; d_max = 20 * 3
    # -> S = 1 - 2 * 18/60 = 0.4
    assert s_score(GMY_1914, RUS_1914, d_max=3) == pytest.approx(0.4)
    # tau-b: Signorino and Ritter report about .03; R's cor(method = "kendall") gives 0.0303
    assert tau_b(GMY_1914, RUS_1914) == pytest.approx(0.0303, abs=5e-5)


def test_scotts_pi_binary() -> None:
    # p_o = 2/4; pooled shares p1 = 2/8, p0 = 6/8 -> p_e = 1/16 + 9/16 = 5/8
    # -> pi = (1/2 - 5/8) / (3/8) = -1/3
    assert scotts_pi([1, 0, 0, 0], [0, 1, 0, 0], levels=1) == pytest.approx(-1 / 3)


def test_cohens_kappa_binary() -> None:
    # p_o = 3/4; p = (.5, .5), q = (.75, .25) -> p_e = .5*.75 + .5*.25 = .5 -> kappa = .25/.5
    assert cohens_kappa([1, 1, 0, 0], [1, 0, 0, 0], levels=1) == pytest.approx(0.5)


def test_cohens_kappa_valued_absolute() -> None:
    # delta = |a-b|/3: 0, 2/3, 1/3, 0 -> D_o = 1/4
    # p (levels 0..3) = (.5, 0, .25, .25), q = (.5, .25, 0, .25)
    # D_e = .5*(.25/3 + .25) + .25*(.5*2/3 + .25/3 + .25/3) + .25*(.5 + .25*2/3) = 11/24
    # -> kappa = 1 - (1/4)/(11/24) = 5/11
    assert cohens_kappa([3, 2, 0, 0], [3, 0, 1, 0]) == pytest.approx(5 / 11)


def test_scotts_pi_valued_absolute() -> None:
    # pooled shares (0..3) = (.5, .125, .125, .25); D_o = 1/4
    # D_e = 2 * sum_{a<b} pbar_a pbar_b |a-b|/3, in 384ths: (0,1) 8, (0,2) 16, (0,3) 48,
    #       (1,2) 2, (1,3) 8, (2,3) 4 -> 2 * 86/384 = 43/96
    # -> pi = 1 - (1/4)/(43/96) = 1 - 24/43 = 19/43
    assert scotts_pi([3, 2, 0, 0], [3, 0, 1, 0]) == pytest.approx(19 / 43)


def test_chance_corrected_opposite_blocs() -> None:
    # x = 3 0 0 3, y = 3 0 3 0: D_o = 2/4; both have half 3s and half 0s -> D_e = 2*.25 = .5
    # -> kappa = pi = 1 - .5/.5 = 0
    assert cohens_kappa([3, 0, 0, 3], [3, 0, 3, 0]) == pytest.approx(0.0)
    assert scotts_pi([3, 0, 0, 3], [3, 0, 3, 0]) == pytest.approx(0.0)


def test_tau_b_hand_case() -> None:
    # x = 3 3 0 0, y = 3 0 0 0: 6 pairs; tied in x: (1,2), (3,4) -> n1 = 2; tied in y: 3 -> n2 = 3
    # concordant: (1,3), (1,4) -> n_c = 2, n_d = 0 -> tau_b = 2 / sqrt(4 * 3) = 0.57735
    assert tau_b([3, 3, 0, 0], [3, 0, 0, 0]) == pytest.approx(2 / np.sqrt(12))


def test_undefined_cases_are_nan() -> None:
    assert np.isnan(tau_b([3, 3, 3], [3, 0, 0]))  # no variance
    assert np.isnan(cohens_kappa([3, 3], [3, 3]))  # no expected disagreement
    assert s_score([2, 2], [2, 2]) == 1.0  # no observed range: identical


def test_matrix_versions_match_hand_cases() -> None:
    rows = np.array([[3, 0, 2, 1], [3, 1, 0, 1], [3, 3, 3, 3]])
    s = s_score_matrix(rows, levels=3)
    assert s[0, 1] == pytest.approx(0.5)
    assert np.isnan(tau_b_matrix(rows, levels=3)[2]).all()
    assert kappa_matrix([[3, 2, 0, 0], [3, 0, 1, 0]], levels=3)[0, 1] == pytest.approx(5 / 11)
    assert pi_matrix([[3, 2, 0, 0], [3, 0, 1, 0]], levels=3)[0, 1] == pytest.approx(19 / 43)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: s_score([1, 0], [1, 0, 1]), r"s_score\(\) needs two non-empty portfolios"),
        (lambda: s_score([1, 0], [1, 0], weights=[-1, 1]), r"'weights' parameter of s_score"),
        (lambda: s_score([1, 0], [1, 0], metric="cube"), r"'metric' parameter of s_score"),
        (lambda: cohens_kappa([4, 0], [0, 0]), r"cohens_kappa\(\) needs ties coded 0\.\.3"),
    ],
)
def test_pure_function_errors(call, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParameterError, match=match):
        call()


# ------------------------------------------------------------------------ invariants


@st.composite
def portfolios(draw: st.DrawFn, levels: int = 3) -> tuple[list[int], list[int]]:
    """Two portfolios of the same length on a 0..levels tie scale."""
    n = draw(st.integers(2, 12))
    tie = st.integers(0, levels)
    return draw(st.lists(tie, min_size=n, max_size=n)), draw(st.lists(tie, min_size=n, max_size=n))


@settings(max_examples=150, deadline=None)
@given(portfolios(), st.sampled_from(["absolute", "squared"]))
def test_symmetric_and_bounded(pair: tuple[list[int], list[int]], metric: str) -> None:
    x, y = pair
    for f in (
        lambda a, b: s_score(a, b, d_max=3, metric=metric),
        lambda a, b: scotts_pi(a, b, metric=metric),
        lambda a, b: cohens_kappa(a, b, metric=metric),
        tau_b,
    ):
        v, w = f(x, y), f(y, x)
        if np.isnan(v):
            assert np.isnan(w)
            continue
        assert v == pytest.approx(w)
        assert -1 - 1e-9 <= v <= 1 + 1e-9


@settings(max_examples=100, deadline=None)
@given(portfolios())
def test_identical_portfolios_score_one(pair: tuple[list[int], list[int]]) -> None:
    x, _ = pair
    assert s_score(x, x, d_max=3) == 1.0
    for v in (scotts_pi(x, x), cohens_kappa(x, x), tau_b(x, x)):
        assert np.isnan(v) or v == pytest.approx(1.0)  # NaN only for a constant portfolio
    if len(set(x)) > 1:
        assert tau_b(x, x) == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9), st.integers(2, 9), st.integers(0, 2**32 - 1))
def test_matrices_equal_pairwise_functions(m: int, n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=(m, n))
    w = rng.random(n) + 0.01
    s, sw = s_score_matrix(x, levels=3), s_score_matrix(x, levels=3, weights=w, metric="squared")
    p, k, t = pi_matrix(x, levels=3), kappa_matrix(x, levels=3), tau_b_matrix(x, levels=3)
    for i in range(m):
        for j in range(m):
            assert s[i, j] == pytest.approx(s_score(x[i], x[j], d_max=3))
            sq = s_score(x[i], x[j], d_max=3, weights=w, metric="squared")
            assert sw[i, j] == pytest.approx(sq)
            np.testing.assert_allclose(p[i, j], scotts_pi(x[i], x[j]), atol=1e-12)
            np.testing.assert_allclose(k[i, j], cohens_kappa(x[i], x[j]), atol=1e-12)
            np.testing.assert_allclose(t[i, j], tau_b(x[i], x[j]), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(portfolios())
def test_tau_b_matches_scipy(pair: tuple[list[int], list[int]]) -> None:
    stats = pytest.importorskip("scipy.stats")
    x, y = pair
    expected = stats.kendalltau(x, y, variant="b").statistic
    np.testing.assert_allclose(tau_b(x, y), expected, atol=1e-12)


# ------------------------------------------------------------------ registered measures

NAMES = ("sscore", "pi", "kappa", "taub")
NEA = [(740, 732), (740, 710), (732, 710)]


@pytest.fixture(scope="module")
def nea() -> dict[str, pl.DataFrame]:
    return {name: compute(name, range(2015, 2021), dyads=NEA) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_measure_columns_rows_and_coverage(name: str, nea: dict[str, pl.DataFrame]) -> None:
    frame = nea[name]
    assert frame.columns == ["ccode1", "ccode2", "year", name, "n_reference"]
    assert frame.height == 3 * 6  # every requested dyad-year, none dropped
    inside = frame.filter(pl.col("year") <= 2018)
    assert inside[name].null_count() == 0
    # ATOP v5.1 ends in 2018: later dyad-years are null, not dropped
    assert frame.filter(pl.col("year") > 2018)[name].null_count() == 6
    assert get_measure(name).citations  # every measure cites its sources


def test_valued_scale_changes_values() -> None:
    binary = compute("sscore", range(2010, 2011), dyads=NEA, coding="binary")
    valued = compute("sscore", range(2010, 2011), dyads=NEA)
    weighted = compute("sscore", range(2010, 2011), dyads=NEA, weights="capability")
    assert binary["sscore"].to_list() != valued["sscore"].to_list()
    assert weighted["sscore"].to_list() != valued["sscore"].to_list()


def test_region_reference_set() -> None:
    region = [2, 20, 710, 731, 732, 740, 365]
    frame = compute("sscore", range(2000, 2001), states=region, reference="region")
    assert frame.height == len(region) * (len(region) - 1) // 2
    assert set(frame["n_reference"]) == {len(region)}
    system = compute("sscore", range(2000, 2001), states=region)
    assert set(system["n_reference"]) == {191}


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"years": range(2019, 2024)}, r"ATOP.*covers 1815-2018\. Got 2019-2023"),
        ({"years": range(2000, 2001), "reference": "region"}, r"'reference' option"),
        ({"years": range(2000, 2001), "coding": "ternary"}, r"'coding' option of measure"),
        ({"years": range(2000, 2001), "weights": "gdp"}, r"'weights' option of measure"),
        ({"years": range(2000, 2001), "alpha": 1}, r"has no option 'alpha'"),
    ],
)
def test_measure_errors(kwargs: dict[str, object], match: str) -> None:
    years = kwargs.pop("years")
    with pytest.raises(ParameterError, match=match):
        compute("sscore", years, dyads=NEA, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the raw ATOP file


def _raw_level(d: int, o: int, n: int, a: int, c: int) -> int:
    """The documented valued scale, written out independently of alliance_level()."""
    if d or o:
        return 3
    if n or a:
        return 2
    return 1 if c else 0


@cache
def _raw_portfolios(raw: Path, year: int) -> tuple[list[int], np.ndarray]:
    """Members and their valued portfolios in ``year``, built from the raw .rda with pandas."""
    pyreadr = pytest.importorskip("pyreadr")
    atop = pyreadr.read_r(str(raw / "peacesciencer" / "atop_alliance.rda"))["atop_alliance"]
    atop = atop[atop["year"] == year]
    members = state_years("cow", [year]).frame.collect()["ccode"].to_list()
    where = {c: i for i, c in enumerate(members)}
    x = np.zeros((len(members), len(members)), dtype=int)
    np.fill_diagonal(x, 3)  # each state's tie with itself is the strongest level
    for r in atop.itertuples():
        i, j = where.get(int(r.ccode1)), where.get(int(r.ccode2))
        if i is None or j is None:
            continue
        lv = _raw_level(r.atop_defense, r.atop_offense, r.atop_neutral, r.atop_nonagg,
                        r.atop_consul)  # fmt: skip
        x[i, j] = x[j, i] = max(x[i, j], lv)
    return members, x


def test_raw_identical_allies_score_one(raw_dir: Path) -> None:
    # Find, in the raw data, states in a mutual defense pact whose portfolios are identical
    # (each allied at 3 with the other and with itself, the same tie with every third state).
    year = 1990
    members, x = _raw_portfolios(raw_dir, year)
    pairs = [
        (members[i], members[j])
        for i in range(len(members))
        for j in range(i + 1, len(members))
        if x[i, j] == 3 and np.array_equal(x[i], x[j])
    ]
    assert len(pairs) > 100, "expected many pairs of identical allies (NATO) in 1990"
    for name in NAMES:
        got = compute(name, range(year, year + 1), dyads=pairs)[name].to_list()
        assert got == pytest.approx([1.0] * len(pairs)), (name, pairs)


def test_raw_measures_match_pairwise(raw_dir: Path) -> None:
    # Every measure of a few dyads equals the pure pairwise function on portfolios built
    # independently from the raw file; capability weights are each member's CINC (any scale).
    year = 1965
    members, x = _raw_portfolios(raw_dir, year)
    where = {c: i for i, c in enumerate(members)}
    nmc = bundle.load("cow_nmc").filter(pl.col("year") == year)
    cinc = dict(zip(nmc["ccode"].to_list(), nmc["cinc"].to_list(), strict=True))
    w = np.array([cinc.get(c) or 0.0 for c in members])
    pairs = [(740, 732), (740, 710), (732, 710), (2, 200), (365, 2), (220, 255)]
    cases: list[tuple[str, dict[str, str], Callable[[np.ndarray, np.ndarray], float]]] = [
        ("sscore", {}, lambda a, b: s_score(a, b, d_max=3)),
        ("sscore", {"weights": "capability"}, lambda a, b: s_score(a, b, d_max=3, weights=w)),
        ("sscore", {"coding": "binary"}, lambda a, b: s_score(a > 0, b > 0, d_max=1)),
        ("pi", {}, scotts_pi),
        ("kappa", {"metric": "squared"}, lambda a, b: cohens_kappa(a, b, metric="squared")),
        ("taub", {}, tau_b),
    ]
    for name, options, f in cases:
        got = compute(name, range(year, year + 1), dyads=pairs, **options)
        for a, b, v in got.select("ccode1", "ccode2", name).iter_rows():
            assert v == pytest.approx(f(x[where[a]], x[where[b]])), (name, options, a, b)


# ------------------------------------------------------------------------------ CLI

runner = CliRunner()


def test_cli_measure_writes_csv(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    args = ["measure", "sscore", "--years", "1990-1991", "--dyads", "732-740", "--out", str(out)]
    result = runner.invoke(app, [*args, "-o", "weights=capability"])
    assert result.exit_code == 0, result.stderr
    frame = pl.read_csv(out)
    assert "sscore" in frame.columns and frame.height == 2


def test_cli_bad_option_exits_2_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "k.csv"
    args = ["measure", "kappa", "--years", "1990", "--dyads", "732-740", "--out", str(out)]
    result = runner.invoke(app, [*args, "-o", "coding=ternary"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: The 'coding' option of measure 'kappa' is invalid")
    assert result.stderr.count("\n") == 1
    assert not out.exists()
