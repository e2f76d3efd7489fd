"""add_contiguity(): COW direct contiguity as peacesciencer codes it, checked on the raw file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.base import Panel
from allegiance.panel.contiguity import add_contiguity


@cache
def _contdir(raw: Path) -> pd.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    df = pyreadr.read_r(str(raw / "peacesciencer" / "cow_contdir.rda"))["cow_contdir"]
    df["sy"] = pd.to_datetime(df["stdate"]).dt.year
    df["ey"] = pd.to_datetime(df["enddate"]).dt.year
    return df


def _expected(raw: Path, a: int, b: int, year: int, slice: str = "first") -> int | None:
    """peacesciencer's rule read off the raw master records, by hand."""
    df = _contdir(raw)
    if not df["sy"].min() <= year <= df["ey"].max():
        return None
    hits = df[(df.ccode1 == a) & (df.ccode2 == b) & (df.sy <= year) & (df.ey >= year)]
    if hits.empty:
        return 0
    pick = (
        hits.sort_values("stdate").iloc[0]
        if slice == "first"
        else hits.sort_values("enddate").iloc[-1]
    )
    return int(pick["conttype"])


def _value(panel: Panel, a: int, b: int, year: int) -> int | None:
    out = panel.frame.filter(
        (pl.col("ccode1") == a) & (pl.col("ccode2") == b) & (pl.col("year") == year)
    ).collect()
    assert out.height == 1
    return out["conttype"].item()  # type: ignore[no-any-return]


STATES = [2, 20, 255, 260, 265, 290, 365, 710, 731, 732, 740]


@pytest.fixture(scope="module")
def directed() -> Panel:
    return dyad_years("cow", range(1860, 2017), directed=True, states=STATES, mry=False).pipe(
        add_contiguity
    )


@pytest.mark.parametrize(
    "a, b, year",
    [
        (740, 732, 1965),
        (740, 732, 1977),
        (740, 732, 2000),
        (740, 732, 2012),
        (2, 740, 1965),
        (2, 740, 2000),
        (2, 20, 1950),
        (710, 731, 1950),
        (710, 731, 2012),
        (710, 732, 1950),
        (710, 740, 1900),
        (255, 290, 1938),
        (260, 265, 1955),
        (260, 265, 1990),
        (255, 290, 1991),
        (255, 365, 1991),
    ],
)
def test_conttype_matches_raw_master_records(
    raw_dir: Path, directed: Panel, a: int, b: int, year: int
) -> None:
    assert _value(directed, a, b, year) == _expected(raw_dir, a, b, year)


@pytest.mark.parametrize("year", [1879, 1895])
@pytest.mark.parametrize("slice", ["first", "last"])
def test_slice_picks_record_for_changing_relationships(
    raw_dir: Path, year: int, slice: str
) -> None:
    # China-Japan changed type in March 1879 (5 -> 4) and April/May 1895 (4 -> 0).
    panel = dyad_years("cow", [year], states=[710, 740], mry=False).pipe(
        add_contiguity, slice=slice
    )
    assert _value(panel, 710, 740, year) == _expected(raw_dir, 710, 740, year, slice)
    assert _expected(raw_dir, 710, 740, year, "first") != _expected(raw_dir, 710, 740, year, "last")


def test_directed_panel_is_symmetric(directed: Panel) -> None:
    df = directed.collect()
    flipped = df.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).select(df.columns)
    assert df.sort("ccode1", "ccode2", "year").equals(flipped.sort("ccode1", "ccode2", "year"))


def test_rows_and_order_kept() -> None:
    base = dyad_years("cow", range(1990, 1996), directed=False, mry=False)
    out = base.pipe(add_contiguity).collect()
    assert out.select(base.keys).equals(base.collect())
    assert out["conttype"].null_count() == 0


def test_null_outside_coverage_zero_inside(raw_dir: Path) -> None:
    last = int(_contdir(raw_dir)["ey"].max())
    frame = pl.LazyFrame(
        {"ccode1": [2, 2, 2], "ccode2": [740, 740, 20], "year": [2000, last + 1, last + 1]},
        schema={"ccode1": pl.Int32, "ccode2": pl.Int32, "year": pl.Int16},
    )
    out = add_contiguity(Panel(frame, "dyad_year", "cow", directed=True)).collect()
    assert out["conttype"].to_list() == [0, None, None]


def test_bad_input() -> None:
    with pytest.raises(PanelUnitError, match="dyad-year"):
        add_contiguity(state_years("cow", [2000], mry=False))
    with pytest.raises(PanelUnitError, match="COW"):
        add_contiguity(dyad_years("gw", [2000], states=[2, 20], mry=False))
    with pytest.raises(ParameterError, match=r"'slice' parameter of add_contiguity\(\)"):
        add_contiguity(dyad_years("cow", [2000], states=[2, 20], mry=False), slice="middle")  # type: ignore[arg-type]
