"""add_minimum_distance() and add_capital_distance(), checked against the raw files by hand."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.base import Panel
from allegiance.panel.distance import add_capital_distance, add_minimum_distance

R_KM = 6378.137  # geosphere::distVincentySphere() default radius, as peacesciencer uses it


@cache
def _raw(raw: Path, name: str) -> pd.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    return pyreadr.read_r(str(raw / "peacesciencer" / f"{name}.rda"))[name]


def _value(panel: Panel, col: str, a: int, b: int, year: int) -> float | None:
    c1, c2 = f"{panel.code}1", f"{panel.code}2"
    out = panel.frame.filter(
        (pl.col(c1) == a) & (pl.col(c2) == b) & (pl.col("year") == year)
    ).collect()
    assert out.height == 1
    return out[col].item()  # type: ignore[no-any-return]


def _mindist(raw: Path, name: str, a: int, b: int, year: int) -> float | None:
    df = _raw(raw, name)
    c1, c2 = df.columns[:2]
    hit = df[
        (((df[c1] == a) & (df[c2] == b)) | ((df[c1] == b) & (df[c2] == a))) & (df.year == year)
    ]
    assert len(hit) <= 1
    return None if hit.empty else float(hit.iloc[0]["mindist"])


def _haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """An independent great-circle formula; equal to Vincenty's on a sphere up to rounding."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_KM * math.asin(math.sqrt(h))


def _capital(raw: Path, name: str, code: int, year: int, transsum: str = "first") -> pd.Series:
    df = _raw(raw, name)
    df = df[df[df.columns[0]] == code]
    st, en = pd.to_datetime(df.stdate).dt.year, pd.to_datetime(df.enddate).dt.year
    hits = df[(st <= year) & (en >= year)].sort_values("stdate")
    return hits.iloc[0] if transsum == "first" else hits.sort_values("enddate").iloc[-1]


def _capdist(raw: Path, name: str, a: int, b: int, year: int, transsum: str = "first") -> float:
    ca, cb = _capital(raw, name, a, year, transsum), _capital(raw, name, b, year, transsum)
    return _haversine_km(ca.lat, ca.lng, cb.lat, cb.lng)


COW = [2, 20, 140, 200, 255, 260, 265, 365, 710, 731, 732, 740, 770]
CASES = [
    (740, 732, 1965),
    (740, 732, 1977),
    (740, 732, 2000),
    (740, 732, 2012),
    (2, 740, 1965),
    (740, 2, 2012),
    (710, 731, 1990),
    (731, 710, 2005),
    (260, 265, 1960),
    (255, 365, 1995),
    (2, 200, 1900),
    (200, 365, 1890),
]


@pytest.fixture(scope="module")
def cow_panel() -> Panel:
    return (
        dyad_years("cow", range(1880, 2017), states=COW, mry=False)
        .pipe(add_minimum_distance)
        .pipe(add_capital_distance)
    )


@pytest.mark.parametrize("a, b, year", CASES)
def test_mindist_matches_raw(raw_dir: Path, cow_panel: Panel, a: int, b: int, year: int) -> None:
    expected = _mindist(raw_dir, "cow_mindist", a, b, year)
    assert expected is not None
    assert _value(cow_panel, "mindist", a, b, year) == pytest.approx(expected, rel=1e-12)


def test_mindist_null_before_cshapes(raw_dir: Path, cow_panel: Panel) -> None:
    first = int(_raw(raw_dir, "cow_mindist")["year"].min())
    assert _value(cow_panel, "mindist", 2, 200, first - 1) is None
    expected = _mindist(raw_dir, "cow_mindist", 2, 200, first)
    assert _value(cow_panel, "mindist", 2, 200, first) == expected


@pytest.mark.parametrize("a, b, year", CASES)
def test_capdist_is_great_circle_between_raw_capitals(
    raw_dir: Path, cow_panel: Panel, a: int, b: int, year: int
) -> None:
    expected = _capdist(raw_dir, "cow_capitals", a, b, year)
    assert _value(cow_panel, "capdist", a, b, year) == pytest.approx(expected, rel=1e-9)


def test_capdist_quarter_circle() -> None:
    # geosphere's documented example: distVincentySphere(c(0,0), c(90,90)) = 10018754 m
    from allegiance.panel.distance import vincenty_sphere_km

    df = pl.DataFrame({"a": [0.0], "b": [0.0], "c": [90.0], "d": [90.0]})
    assert df.select(vincenty_sphere_km(*map(pl.col, "abcd"))).item() == pytest.approx(
        10018.754, abs=1e-3
    )


@pytest.mark.parametrize("transsum", ["first", "last"])
@pytest.mark.parametrize("mover, year", [(140, 1960), (770, 1959), (770, 1967)])
def test_capital_move_within_year(raw_dir: Path, transsum: str, mover: int, year: int) -> None:
    panel = dyad_years("cow", [year], states=[2, mover], mry=False).pipe(
        add_capital_distance, transsum=transsum
    )
    expected = _capdist(raw_dir, "cow_capitals", 2, mover, year, transsum)
    assert _value(panel, "capdist", 2, mover, year) == pytest.approx(expected, rel=1e-9)
    assert _capdist(raw_dir, "cow_capitals", 2, mover, year, "first") != pytest.approx(
        _capdist(raw_dir, "cow_capitals", 2, mover, year, "last")
    )


def test_gw_panel_uses_gw_sources(raw_dir: Path) -> None:
    # G-W 260 moved its capital from Bonn to Berlin in June 1991.
    panel = dyad_years("gw", [1991, 2000], states=[2, 260, 740], mry=False)
    out = panel.pipe(add_minimum_distance).pipe(add_capital_distance, transsum="last")
    assert _value(out, "mindist", 2, 740, 2000) == _mindist(raw_dir, "gw_mindist", 2, 740, 2000)
    expected = _capdist(raw_dir, "gw_capitals", 260, 740, 1991, "last")
    assert _value(out, "capdist", 260, 740, 1991) == pytest.approx(expected, rel=1e-9)


def test_directed_symmetric_and_rows_kept(cow_panel: Panel) -> None:
    df = cow_panel.collect()
    assert df.height == dyad_years("cow", range(1880, 2017), states=COW, mry=False).collect().height
    flipped = df.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).select(df.columns)
    keys = ["ccode1", "ccode2", "year"]
    assert df.sort(keys).equals(flipped.sort(keys))


def test_bad_input() -> None:
    with pytest.raises(PanelUnitError, match="dyad-year"):
        add_minimum_distance(state_years("cow", [2000], mry=False))
    with pytest.raises(PanelUnitError, match="dyad-year"):
        add_capital_distance(state_years("cow", [2000], mry=False))
    with pytest.raises(ParameterError, match=r"'transsum' parameter of add_capital_distance\(\)"):
        add_capital_distance(dyad_years("cow", [2000], states=[2, 20], mry=False), transsum="mid")  # type: ignore[arg-type]
