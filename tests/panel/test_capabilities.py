"""add_nmc() and add_cow_majors(), checked against the raw COW files by hand."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.base import Panel
from allegiance.panel.capabilities import NMC_COLUMNS, add_cow_majors, add_nmc


@cache
def _raw(raw: Path, name: str) -> pd.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    return pyreadr.read_r(str(raw / "peacesciencer" / f"{name}.rda"))[name]


def _nmc(raw: Path, code: int, year: int) -> dict[str, float | None]:
    df = _raw(raw, "cow_nmc")
    row = df[(df.ccode == code) & (df.year == year)]
    if row.empty:
        return dict.fromkeys(NMC_COLUMNS)
    return {c: None if pd.isna(row.iloc[0][c]) else float(row.iloc[0][c]) for c in NMC_COLUMNS}


def _major(raw: Path, code: int, year: int) -> int | None:
    df = _raw(raw, "cow_majors")
    if not df.styear.min() <= year <= df.endyear.max():
        return None
    return int(((df.ccode == code) & (df.styear <= year) & (df.endyear >= year)).any())


def _row(panel: Panel, **keys: int) -> dict[str, object]:
    cond = pl.all_horizontal(pl.col(k) == v for k, v in keys.items())
    out = panel.frame.filter(cond).collect()
    assert out.height == 1
    return out.row(0, named=True)


STATES = [2, 200, 220, 255, 260, 265, 365, 710, 731, 732, 740]


@pytest.mark.parametrize(
    "a, b, year",
    [
        (740, 732, 1965),
        (740, 732, 1977),
        (740, 732, 2000),
        (740, 732, 2012),
        (2, 740, 1955),
        (710, 731, 1960),
        (260, 265, 1955),
        (255, 200, 1938),
    ],
)
def test_nmc_dyad_columns_match_raw(raw_dir: Path, a: int, b: int, year: int) -> None:
    panel = dyad_years("cow", [year], states=[a, b], mry=False).pipe(add_nmc)
    row = _row(panel, ccode1=a, ccode2=b, year=year)
    for side, code in (("1", a), ("2", b)):
        expected = _nmc(raw_dir, code, year)
        for col, value in expected.items():
            assert row[col + side] == (None if value is None else pytest.approx(value, rel=1e-12))


def test_nmc_missing_stays_null(raw_dir: Path) -> None:
    df = _raw(raw_dir, "cow_nmc")
    gap = df[df.milex.isna() & (df.year > 1946)].iloc[0]
    code, year = int(gap.ccode), int(gap.year)
    row = _row(
        state_years("cow", [year], states=[code], mry=False).pipe(add_nmc), ccode=code, year=year
    )
    assert row["milex"] is None
    assert row["tpop"] == pytest.approx(float(gap.tpop))


def test_nmc_keep_and_bad_keep() -> None:
    panel = state_years("cow", [2000], states=[740], mry=False)
    assert panel.pipe(add_nmc, keep=["cinc"]).collect().columns == ["ccode", "year", "cinc"]
    with pytest.raises(ParameterError, match=r"'keep' parameter of add_nmc\(\)"):
        panel.pipe(add_nmc, keep=["gdp"])


@pytest.mark.parametrize(
    "code, year",
    [
        (740, 1894),
        (740, 1895),
        (740, 1945),
        (740, 1946),
        (740, 1990),
        (740, 1991),
        (255, 1918),
        (255, 1925),
        (255, 1945),
        (255, 1991),
        (260, 1980),
        (265, 1980),
        (220, 1940),
        (220, 1945),
        (2, 1897),
        (2, 1898),
        (710, 1950),
        (365, 1917),
        (365, 1921),
    ],
)
def test_cowmaj_state_years_match_raw_spells(raw_dir: Path, code: int, year: int) -> None:
    sy = state_years("cow", range(1890, 2017), states=STATES, mry=False).pipe(add_cow_majors)
    rows = sy.frame.filter((pl.col("ccode") == code) & (pl.col("year") == year)).collect()
    if rows.height:  # the state may be out of the system that year (e.g. Japan 1946-1951)
        assert rows["cowmaj"].item() == _major(raw_dir, code, year)


def test_cowmaj_dyads_and_rows_kept(raw_dir: Path) -> None:
    base = dyad_years("cow", range(1940, 1950), directed=True, states=STATES, mry=False)
    out = base.pipe(add_cow_majors).collect()
    assert out.select(base.keys).equals(base.collect())
    for row in out.sample(60, seed=3).iter_rows(named=True):
        assert row["cowmaj1"] == _major(raw_dir, row["ccode1"], row["year"])
        assert row["cowmaj2"] == _major(raw_dir, row["ccode2"], row["year"])


def test_null_outside_coverage(raw_dir: Path) -> None:
    last_nmc = int(_raw(raw_dir, "cow_nmc").year.max())
    last_maj = int(_raw(raw_dir, "cow_majors").endyear.max())
    frame = pl.LazyFrame(
        {"ccode": [2, 2], "year": [last_maj, last_nmc + 1]},
        schema={"ccode": pl.Int32, "year": pl.Int16},
    )
    out = Panel(frame, "state_year", "cow").pipe(add_nmc).pipe(add_cow_majors).collect()
    assert out["cowmaj"].to_list() == [1, None]
    assert out["cinc"][1] is None


def test_bad_input() -> None:
    gw = state_years("gw", [2000], states=[2], mry=False)
    for step in (add_nmc, add_cow_majors):
        with pytest.raises(PanelUnitError, match="COW"):
            step(gw)
