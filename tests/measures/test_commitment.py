"""Patron commitment: components, the composite index and their raw sources."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.errors import AllegianceWarning, ParameterError
from allegiance.measures import compute
from allegiance.measures.commitment import (
    alliance_type,
    commitment_index,
    scale_components,
    split_deliveries,
)


@pytest.fixture(scope="module")
def korea_japan() -> pl.DataFrame:
    return compute("us_commitment", range(1950, 2019), states=[732, 740, 710])


def _row(frame: pl.DataFrame, ccode: int, year: int) -> dict[str, object]:
    rows = frame.filter((pl.col("ccode") == ccode) & (pl.col("year") == year))
    assert rows.height == 1
    return rows.row(0, named=True)


# --------------------------------------------------------------------------- hand cases


def test_alliance_type_hand_case() -> None:
    # defense wins; offense or neutrality -> 2; nonaggression or consultation -> 1; none -> 0
    got = alliance_type([1, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 1, 0, 0, 0], [1, 0, 0, 0, 0],
                        [0, 0, 1, 1, 0])  # fmt: skip
    assert got.tolist() == [3.0, 2.0, 2.0, 1.0, 0.0]
    assert np.isnan(alliance_type([np.nan], [0], [0], [0], [0])[0])


def test_split_deliveries_hand_case() -> None:
    # 10 TIV over 4 years: 2.5 each; one year: all of it
    assert split_deliveries(10.0, "1990; 1991; 1993; 1994") == [
        (1990, 2.5), (1991, 2.5), (1993, 2.5), (1994, 2.5),
    ]  # fmt: skip
    assert split_deliveries(3.0, "2001") == [(2001, 3.0)]
    assert split_deliveries(3.0, "") == []


def test_scale_and_index_hand_case() -> None:
    # log1p scaling on [0, 999]: log(1 + 99) / log(1000) = 2/3
    assert scale_components([99.0], 0, 999, log=True)[0] == pytest.approx(2 / 3)
    # mean of (1, 2/3, 0) over the three observed components = 5/9
    idx, n = commitment_index([[1.0, 2 / 3, 0.0, np.nan, np.nan]])
    assert idx[0] == pytest.approx(5 / 9) and n[0] == 3


@given(st.lists(st.one_of(st.floats(0, 1), st.just(float("nan"))), min_size=1, max_size=5))
def test_index_bounded(values: list[float]) -> None:
    idx, n = commitment_index([values])
    if n[0] == 0:
        assert np.isnan(idx[0])
    else:
        assert 0.0 <= idx[0] <= 1.0


@given(st.floats(0, 1e6), st.floats(0, 1e6))
def test_scale_monotone_in_unit_interval(a: float, b: float) -> None:
    lo, hi = 0.0, 1e6
    sa, sb = scale_components([a, b], lo, hi, log=True)
    assert 0.0 <= sa <= 1.0 and 0.0 <= sb <= 1.0
    assert (sa <= sb) == (a <= b) or sa == pytest.approx(sb)


# --------------------------------------------------------------------------- real data


def test_troops_rok_1969_match_raw(raw_dir: Path, korea_japan: pl.DataFrame) -> None:
    pyreadr = pytest.importorskip("pyreadr")
    raw = pyreadr.read_r(str(raw_dir / "troopdata" / "troopdata_legacy_v0.rda"))["troopdata"]
    raw = pl.from_pandas(raw)

    def troops(ccode: int, year: int) -> int:
        row = raw.filter((pl.col("ccode") == ccode) & (pl.col("year") == year))
        return int(row["troops"].item())

    row = _row(korea_japan, 732, 1969)
    assert row["troops"] == troops(732, 1969)
    assert row["troops_change"] == troops(732, 1969) - troops(732, 1968)


def test_arms_tiv_match_raw_register(raw_dir: Path, korea_japan: pl.DataFrame) -> None:
    # An independent reading of the raw export: even split of delivered TIV over the years.
    path = raw_dir / "sipri_arms" / "trade-register.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    totals: dict[int, float] = {}
    for r in rows:
        if len(r) < 16 or r[1] != "United States" or r[0] != "South Korea":
            continue
        years = [int(y) for y in r[10].split(";") if y.strip()]
        for y in years:
            totals[y] = totals.get(y, 0.0) + float(r[15]) / len(years)
    for year in (1965, 1990, 2010):
        assert _row(korea_japan, 732, year)["arms_tiv"] == pytest.approx(totals.get(year, 0.0))


def test_components_and_coverage(korea_japan: pl.DataFrame) -> None:
    assert _row(korea_japan, 732, 1990)["alliance_type"] == 3  # US-ROK defense pledge
    assert _row(korea_japan, 732, 1990)["n_components"] == 5
    assert _row(korea_japan, 732, 1970)["dca"] is None  # DCAD starts in 1980
    assert _row(korea_japan, 732, 1970)["n_components"] == 3
    assert korea_japan["us_commitment"].drop_nulls().is_between(0, 1).all()
    assert (
        _row(korea_japan, 732, 1990)["us_commitment"]
        > _row(korea_japan, 710, 1990)["us_commitment"]
    )


def test_other_patron_has_no_troops() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = compute("us_commitment", range(1990, 1992), states=[2, 710], patron=365)
    assert any(issubclass(w.category, AllegianceWarning) for w in caught)
    assert got["troops"].null_count() == got.height
    assert got.height == 4


# --------------------------------------------------------------------------- errors and CLI


def test_bad_patron() -> None:
    with pytest.raises(ParameterError, match=r"'patron' option of measure 'us_commitment'"):
        compute("us_commitment", range(2000, 2001), states=[732, 740], patron=9999)


def test_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "c.csv"
    ok = runner.invoke(
        app, ["measure", "us_commitment", "--years", "1990-1991", "--dyads", "732-740",
              "--out", str(out)],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    frame = pl.read_csv(out)
    assert "us_commitment" in frame.columns and frame.height == 4
    bad = runner.invoke(
        app, ["measure", "us_commitment", "--years", "1990-1991", "--dyads", "732-740",
              "-o", "patron=usa", "--out", str(out)],
    )  # fmt: skip
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: The 'patron' option of measure 'us_commitment'")
    assert bad.stderr.count("\n") == 1
