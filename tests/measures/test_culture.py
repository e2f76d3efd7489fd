"""Cultural similarity: religion shares (WRP) and common language (CEPII)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.data.bundle import load
from allegiance.errors import ParameterError
from allegiance.measures.culture import (
    RELIGION_BRANCHES,
    RELIGION_FAMILIES,
    ccode_cepii_iso3,
    religion_shares,
    share_similarity,
)
from allegiance.measures.registry import compute

# ----------------------------------------------------------------------------- hand cases


def test_share_similarity_hand_case() -> None:
    # |.6-.2| + |.3-.3| + |.1-.5| = .8 -> 1 - .4
    assert share_similarity([0.6, 0.3, 0.1], [0.2, 0.3, 0.5]) == pytest.approx(0.6)
    assert share_similarity([1.0, 0.0], [1.0, 0.0]) == pytest.approx(1.0)
    assert share_similarity([1.0, 0.0], [0.0, 1.0]) == pytest.approx(0.0)


def test_religion_shares_denominators() -> None:
    counts = [[50, 100, 20], [0, 0, 0]]
    # adherents: 170 in all -> 50/170 ...; population 100 -> shares sum to 1.7
    got = religion_shares(counts, [100, 10])
    assert got[0].tolist() == pytest.approx([50 / 170, 100 / 170, 20 / 170])
    assert np.isnan(got[1]).all()
    assert religion_shares(counts, [100, 10], denominator="population")[0].tolist() == (
        pytest.approx([0.5, 1.0, 0.2])
    )
    with pytest.raises(ParameterError, match=r"'denominator' parameter of religion_shares"):
        religion_shares(counts, [1, 1], denominator="census")  # type: ignore[arg-type]


def test_share_similarity_length_mismatch() -> None:
    with pytest.raises(ParameterError, match="same length"):
        share_similarity([1.0], [0.5, 0.5])


def test_religion_similarity_matches_hand_computation_from_wrp() -> None:
    wrp = load("wrp_national").filter(pl.col("year") == 1990)
    rok = wrp.filter(pl.col("state") == 732).select(RELIGION_FAMILIES).to_numpy()[0]
    jpn = wrp.filter(pl.col("state") == 740).select(RELIGION_FAMILIES).to_numpy()[0]
    expected = 1 - 0.5 * np.abs(rok / rok.sum() - jpn / jpn.sum()).sum()
    out = compute("religion_similarity", range(1990, 1995), dyads=[(732, 740)])
    # carry: 1990-1994 all take the 1990 wave
    assert out["religion_similarity"].to_list() == pytest.approx([expected] * 5)


def test_interpolation_is_linear_between_waves() -> None:
    carry = compute("religion_similarity", range(1990, 1996), dyads=[(2, 20)])
    interp = compute("religion_similarity", range(1990, 1996), dyads=[(2, 20)], fill="interpolate")
    assert interp["religion_similarity"][0] == pytest.approx(carry["religion_similarity"][0])
    assert interp["religion_similarity"][5] == pytest.approx(carry["religion_similarity"][5])
    # shares move linearly; with few sign changes the index stays between the wave values
    lo, hi = sorted([carry["religion_similarity"][0], carry["religion_similarity"][5]])
    assert all(lo - 0.05 <= v <= hi + 0.05 for v in interp["religion_similarity"].to_list())


def test_branch_level_and_null_outside_waves() -> None:
    assert len(RELIGION_BRANCHES) == 19 + 12
    out = compute("religion_similarity", range(2012, 2017), dyads=[(2, 20)], level="branch")
    values = out.sort("year")["religion_similarity"].to_list()
    assert values[:3] == pytest.approx([values[0]] * 3) and values[0] is not None
    assert values[3:] == [None, None]  # 2015-2016: more than four years after the 2010 wave


def test_population_denominator_can_fall_below_zero_for_dual_affiliation() -> None:
    # Japan's WRP counts sum to about 1.6 times its population
    out = compute(
        "religion_similarity", range(1990, 1991), dyads=[(740, 710)], denominator="population"
    )
    assert out["religion_similarity"][0] < 0
    default = compute("religion_similarity", range(1990, 1991), dyads=[(740, 710)])
    assert 0 <= default["religion_similarity"][0] <= 1


# ----------------------------------------------------------------------------- properties

shares = arrays(np.float64, 6, elements=st.floats(0, 1)).filter(lambda v: v.sum() > 0)


@settings(max_examples=200, deadline=None)
@given(shares, shares)
def test_share_similarity_symmetric_bounded_identity(a: np.ndarray, b: np.ndarray) -> None:
    p, q = a / a.sum(), b / b.sum()
    s = share_similarity(p, q)
    assert s == pytest.approx(share_similarity(q, p))
    assert -1e-12 <= s <= 1 + 1e-12
    assert share_similarity(p, p) == pytest.approx(1.0)


def test_religion_similarity_system_bounds_and_symmetry() -> None:
    out = compute("religion_similarity", range(2000, 2001), states=[2, 20, 200, 710, 732, 740])
    assert out.height == 15
    values = out["religion_similarity"].drop_nulls()
    assert values.len() == 15 and values.min() >= 0 and values.max() <= 1
    one = compute("religion_similarity", range(2000, 2001), dyads=[(740, 710), (710, 740)])
    assert one["religion_similarity"][0] == pytest.approx(one["religion_similarity"][1])


# ----------------------------------------------------------------------------- language


def test_ccode_cepii_iso3_historical_states() -> None:
    frame = pl.DataFrame(
        {
            "ccode": [260, 255, 265, 817, 816, 490, 860, 345, 678, 2],
            "year": [1980, 2000, 1980, 1970, 1970, 2000, 2005, 2010, 1980, 2024],
        }
    )
    got = ccode_cepii_iso3(frame)["iso3"].to_list()
    assert got == ["DEU", "DEU", None, None, "VNM", "ZAR", "TMP", "YUG", None, "USA"]


def test_common_language_hand_rows() -> None:
    out = compute(
        "common_language",
        range(1980, 1981),
        dyads=[(732, 731), (732, 740), (260, 305), (2, 200), (265, 260)],
    )
    assert out.columns == [
        "ccode1",
        "ccode2",
        "year",
        "common_language",
        "comlang_off",
        "comlang_ethno",
    ]
    rows = {(r[0], r[1]): r[3:] for r in out.iter_rows()}
    assert rows[(732, 731)] == (1, 1, 1)  # Korean
    assert rows[(732, 740)] == (0, 0, 0)
    assert rows[(260, 305)] == (1, 1, 1)  # German (GFR takes DEU)
    assert rows[(2, 200)] == (1, 1, 1)  # English
    assert rows[(265, 260)] == (None, None, None)  # GDR has no CEPII code


def test_common_language_symmetric_and_time_invariant() -> None:
    out = compute("common_language", range(1995, 2019), dyads=[(2, 20), (20, 2), (740, 710)])
    assert out.group_by("ccode1", "ccode2").agg(pl.col("comlang_off").n_unique())[
        "comlang_off"
    ].to_list() == [1, 1, 1]
    a = out.filter(pl.col("ccode1") == 2)["comlang_ethno"].to_list()
    b = out.filter(pl.col("ccode1") == 20)["comlang_ethno"].to_list()
    assert a == b


# ----------------------------------------------------------------------------- errors and CLI


def test_years_outside_wrp() -> None:
    with pytest.raises(ParameterError, match=r"'religion_similarity' covers 1945-2014"):
        compute("religion_similarity", range(2015, 2019), dyads=[(732, 740)])


def test_bad_options() -> None:
    with pytest.raises(ParameterError, match=r"'fill' option of measure 'religion_similarity'"):
        compute("religion_similarity", range(2000, 2001), dyads=[(732, 740)], fill="spline")
    with pytest.raises(ParameterError, match="has no option 'k'"):
        compute("common_language", range(2000, 2001), dyads=[(732, 740)], k=2)


runner = CliRunner()


def test_cli_common_language_writes_csv(tmp_path: Path) -> None:
    out = tmp_path / "l.csv"
    args = ["measure", "common_language", "--years", "2000-2001", "--dyads", "732-740,732-731"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    frame = pl.read_csv(out)
    assert "common_language" in frame.columns and frame.height == 4


def test_cli_religion_bad_option_exits_2(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    args = ["measure", "religion_similarity", "--years", "2000", "--dyads", "732-740"]
    result = runner.invoke(app, [*args, "--out", str(out), "-o", "level=sect"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: The 'level' option of measure 'religion_similarity' is invalid"
    )
    assert result.stderr.count("\n") == 1
    assert not out.exists()
