"""add_democracy(): isard's democracy estimates, checked against the raw files by hand."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import ParameterError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.base import Panel
from allegiance.panel.democracy import DEMOCRACY_COLUMNS, add_democracy


@cache
def _raw(raw: Path, name: str) -> pd.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    return pyreadr.read_r(str(raw / "isard" / f"{name}.rda"))[name]


def _expected(raw: Path, name: str, code: int, year: int) -> dict[str, float | None]:
    df = _raw(raw, name)
    row = df[(df[df.columns[0]] == code) & (df.year == year)]
    if row.empty:
        return dict.fromkeys(DEMOCRACY_COLUMNS)
    return {
        c: None if pd.isna(row.iloc[0][c]) else float(row.iloc[0][c]) for c in DEMOCRACY_COLUMNS
    }


def _check(row: dict[str, object], expected: dict[str, float | None], suffix: str) -> None:
    for col, value in expected.items():
        assert row[col + suffix] == (None if value is None else pytest.approx(value, rel=1e-12))


@pytest.mark.parametrize(
    "a, b, year",
    [
        (740, 732, 1965),
        (740, 732, 1977),
        (740, 732, 2000),
        (740, 732, 2012),
        (2, 740, 1955),
        (710, 731, 1980),
        (260, 265, 1960),
        (255, 365, 1930),
    ],
)
def test_cow_dyads_match_raw(raw_dir: Path, a: int, b: int, year: int) -> None:
    panel = dyad_years("cow", [year], states=[a, b], mry=False).pipe(add_democracy)
    out = panel.frame.filter((pl.col("ccode1") == a) & (pl.col("ccode2") == b)).collect()
    row = out.row(0, named=True)
    _check(row, _expected(raw_dir, "cw_democracy", a, year), "1")
    _check(row, _expected(raw_dir, "cw_democracy", b, year), "2")
    assert {"polity21", "v2x_polyarchy2", "euds1", "aeuds2"} <= set(out.columns)


@pytest.mark.parametrize("code, year", [(260, 1980), (265, 1980), (731, 2000), (2, 1850)])
def test_gw_state_years_match_raw(raw_dir: Path, code: int, year: int) -> None:
    panel = state_years("gw", [year], states=[code], mry=False).pipe(add_democracy)
    _check(panel.collect().row(0, named=True), _expected(raw_dir, "gw_democracy", code, year), "")


def test_missing_polity_stays_null(raw_dir: Path) -> None:
    df = _raw(raw_dir, "cw_democracy")
    gap = df[df.polity2.isna() & df.v2x_polyarchy.notna() & df.year.between(1950, 2016)].iloc[0]
    code, year = int(gap.ccode), int(gap.year)
    row = state_years("cow", [year], states=[code], mry=False).pipe(add_democracy).collect()
    assert row["polity2"].item() is None
    assert row["v2x_polyarchy"].item() == pytest.approx(float(gap.v2x_polyarchy))


def test_rows_kept_and_null_outside_years(raw_dir: Path) -> None:
    base = dyad_years("cow", range(1990, 1993), directed=False, mry=False)
    assert base.pipe(add_democracy).collect().select(base.keys).equals(base.collect())
    last = int(_raw(raw_dir, "cw_democracy").year.max())
    frame = pl.LazyFrame(
        {"ccode": [2], "year": [last + 1]}, schema={"ccode": pl.Int32, "year": pl.Int16}
    )
    out = Panel(frame, "state_year", "cow").pipe(add_democracy).collect()
    assert out.select(pl.col(*DEMOCRACY_COLUMNS).is_null().all()).row(0) == (True,) * 4


def test_keep() -> None:
    panel = dyad_years("cow", [2000], states=[2, 740], mry=False)
    assert panel.pipe(add_democracy, keep=["v2x_polyarchy"]).collect().columns == [
        "ccode1",
        "ccode2",
        "year",
        "v2x_polyarchy1",
        "v2x_polyarchy2",
    ]
    with pytest.raises(ParameterError, match=r"'keep' parameter of add_democracy\(\)"):
        panel.pipe(add_democracy, keep=["xm_qudsest"])
