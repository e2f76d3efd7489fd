"""Capability balance: ratio, dyadic and group shares, their change, against raw NMC."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.errors import ParameterError
from allegiance.measures import compute
from allegiance.measures.capability import capability_share, safe_ratio

cinc = st.floats(1e-6, 0.5, allow_nan=False)


def test_hand_cases() -> None:
    # 0.3 / 0.1 = 3; 0.3 / (0.3 + 0.1) = 0.75; a zero denominator gives NaN
    assert safe_ratio([0.3], [0.1])[0] == pytest.approx(3.0)
    assert capability_share([0.3], [0.1])[0] == pytest.approx(0.75)
    assert np.isnan(safe_ratio([0.3], [0.0])[0])
    assert np.isnan(capability_share([0.0], [0.0])[0])


@given(cinc, cinc)
def test_share_complements_and_ratio_reciprocal(a: float, b: float) -> None:
    s_ab, s_ba = capability_share([a], [b])[0], capability_share([b], [a])[0]
    assert 0.0 < s_ab < 1.0
    assert s_ab + s_ba == pytest.approx(1.0)
    assert safe_ratio([a], [b])[0] * safe_ratio([b], [a])[0] == pytest.approx(1.0)


def test_against_raw_nmc(raw_dir: Path) -> None:
    pyreadr = pytest.importorskip("pyreadr")
    raw = pl.from_pandas(pyreadr.read_r(str(raw_dir / "peacesciencer" / "cow_nmc.rda"))["cow_nmc"])

    def c(ccode: int, year: int) -> float:
        return float(
            raw.filter((pl.col("ccode") == ccode) & (pl.col("year") == year))["cinc"].item()
        )

    region = [2, 710, 732, 740]
    got = compute("capability_ratio", range(1989, 1991), dyads=[(740, 732)], group=region)
    row = got.filter(pl.col("year") == 1990).row(0, named=True)
    assert row["capability_ratio"] == pytest.approx(c(740, 1990) / c(732, 1990))
    assert row["capability_share"] == pytest.approx(c(740, 1990) / (c(740, 1990) + c(732, 1990)))
    total = sum(c(s, 1990) for s in region)
    assert row["capability_share_group"] == pytest.approx(c(740, 1990) / total)
    before = c(740, 1989) / (c(740, 1989) + c(732, 1989))
    assert row["capability_share_change"] == pytest.approx(row["capability_share"] - before)


def test_directed_order_and_region_group() -> None:
    ab = compute("capability_ratio", range(2000, 2001), dyads=[(740, 732)])
    ba = compute("capability_ratio", range(2000, 2001), dyads=[(732, 740)])
    assert ab["capability_ratio"].item() * ba["capability_ratio"].item() == pytest.approx(1.0)
    assert ab["capability_share"].item() + ba["capability_share"].item() == pytest.approx(1.0)
    region = compute("capability_ratio", range(2000, 2001), states=[2, 710, 732, 740])
    firsts = region.group_by("ccode1").agg(pl.col("capability_share_group").first())
    # each state 1's group share, plus 740's (never a state 1 here), sums to 1
    last = compute(
        "capability_ratio", range(2000, 2001), dyads=[(740, 2)], group=[2, 710, 732, 740]
    )
    assert firsts["capability_share_group"].sum() + last["capability_share_group"].item() == (
        pytest.approx(1.0)
    )


def test_errors() -> None:
    with pytest.raises(ParameterError, match=r"'group' option of measure 'capability_ratio'"):
        compute("capability_ratio", range(2000, 2001), dyads=[(740, 732)], group=[2])
    with pytest.raises(ParameterError, match=r"at least two states"):
        compute("capability_ratio", range(2000, 2001), states=[740])


def test_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "k.csv"
    ok = runner.invoke(
        app, ["measure", "capability_ratio", "--years", "2000-2001", "--dyads", "740-732",
              "--out", str(out)],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    frame = pl.read_csv(out)
    assert "capability_ratio" in frame.columns and frame["ccode1"].to_list() == [740, 740]
    bad = runner.invoke(
        app, ["measure", "capability_ratio", "--years", "2000-2001", "--dyads", "740-732",
              "-o", "group=[2]", "--out", str(out)],
    )  # fmt: skip
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: The 'group' option of measure 'capability_ratio'")
    assert bad.stderr.count("\n") == 1
