"""add_igos(): COW IGO counts, checked against the raw peacesciencer files by hand."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import PanelUnitError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.base import Panel
from allegiance.panel.igos import STATE_COLUMNS, add_igos


@cache
def _raw(raw: Path, name: str) -> pd.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    return pyreadr.read_r(str(raw / "peacesciencer" / f"{name}.rda"))[name]


def _shared(raw: Path, a: int, b: int, year: int) -> int | None:
    df = _raw(raw, "cow_igo_ndy")
    hit = df[
        (((df.ccode1 == a) & (df.ccode2 == b)) | ((df.ccode1 == b) & (df.ccode2 == a)))
        & (df.year == year)
    ]
    return None if hit.empty else int(hit.iloc[0]["dyadigos"])


def _state(raw: Path, code: int, year: int) -> dict[str, int | None]:
    df = _raw(raw, "cow_igo_sy")
    row = df[(df.ccode == code) & (df.year == year)]
    return {c: None if row.empty else int(row.iloc[0][c]) for c in STATE_COLUMNS}


STATES = [2, 255, 260, 265, 365, 710, 731, 732, 740]


@pytest.fixture(scope="module")
def directed() -> pl.DataFrame:
    return dyad_years("cow", range(1950, 2017), states=STATES, mry=False).pipe(add_igos).collect()


@pytest.mark.parametrize(
    "a, b, year",
    [
        (740, 732, 1965),
        (740, 732, 1977),
        (740, 732, 2000),
        (740, 732, 2012),
        (732, 740, 2012),
        (2, 740, 1965),
        (740, 2, 2000),
        (710, 731, 1980),
        (731, 710, 2010),
        (260, 265, 1975),
        (255, 365, 1995),
        (2, 732, 2014),
        (2, 732, 2015),
    ],
)
def test_dyads_match_raw(raw_dir: Path, directed: pl.DataFrame, a: int, b: int, year: int) -> None:
    row = directed.filter(
        (pl.col("ccode1") == a) & (pl.col("ccode2") == b) & (pl.col("year") == year)
    )
    assert row.height == 1
    assert row["dyadigos"].item() == _shared(raw_dir, a, b, year)
    for side, code in (("1", a), ("2", b)):
        for col, value in _state(raw_dir, code, year).items():
            assert row[col + side].item() == value


def test_directed_symmetric(directed: pl.DataFrame) -> None:
    keys = ["ccode1", "ccode2", "year"]
    df = directed.select(*keys, "dyadigos")
    flipped = df.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).select(df.columns)
    assert df.sort(keys).equals(flipped.sort(keys))


@pytest.mark.parametrize("code, year", [(740, 1965), (732, 2012), (260, 1980), (731, 1992)])
def test_state_years_match_raw(raw_dir: Path, code: int, year: int) -> None:
    row = state_years("cow", [year], states=[code], mry=False).pipe(add_igos).collect()
    assert row.row(0, named=True) == {"ccode": code, "year": year, **_state(raw_dir, code, year)}


def test_rows_kept_and_null_outside_years(raw_dir: Path) -> None:
    base = dyad_years("cow", range(2000, 2003), directed=False, mry=False)
    assert base.pipe(add_igos).collect().select(base.keys).equals(base.collect())
    last = int(_raw(raw_dir, "cow_igo_ndy").year.max())
    frame = pl.LazyFrame(
        {"ccode1": [2], "ccode2": [740], "year": [last + 1]},
        schema={"ccode1": pl.Int32, "ccode2": pl.Int32, "year": pl.Int16},
    )
    out = Panel(frame, "dyad_year", "cow", directed=True).pipe(add_igos).collect()
    assert out["dyadigos"].item() is None


def test_bad_input() -> None:
    with pytest.raises(PanelUnitError, match="COW"):
        add_igos(state_years("gw", [2000], states=[2], mry=False))
