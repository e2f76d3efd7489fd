"""State-year and dyad-year universes match peacesciencer's shipped universes row for row."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from allegiance.errors import ParameterError, UnknownCodeError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.universe import mry_year


def _raw_ddy(raw_dir: Path, name: str) -> pl.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    frame = pyreadr.read_r(str(raw_dir / "peacesciencer" / f"{name}.rda"))[name]
    return pl.from_pandas(frame).select(pl.all().exclude("^microstate.*$").cast(pl.Int32))


@pytest.mark.parametrize("system, name", [("cow", "cow_ddy"), ("gw", "gw_ddy")])
def test_directed_universe_equals_peacesciencer(raw_dir: Path, system: str, name: str) -> None:
    expected = _raw_ddy(raw_dir, name)
    ours = dyad_years(system).collect().cast(pl.Int32)  # type: ignore[arg-type]
    keys = ours.columns
    assert ours.height == expected.height
    assert ours.sort(keys).equals(expected.select(keys).sort(keys))


def test_mry_year_comes_from_peacesciencer_universe(raw_dir: Path) -> None:
    assert mry_year("cow") == int(_raw_ddy(raw_dir, "cow_ddy")["year"].max())  # type: ignore[arg-type]


def test_germany_codes_by_year() -> None:
    sy = state_years(years=range(1945, 1992), mry=False).collect()
    germans = sy.filter(pl.col("ccode").is_in([255, 260, 265]))
    by_year = germans.group_by("year").agg(pl.col("ccode").sort()).sort("year")
    years = dict(zip(by_year["year"], by_year["ccode"].to_list(), strict=True))
    assert years[1945] == [255]  # Germany until May 1945
    assert 1946 not in years  # no German state in the system 1946-1953
    assert years[1954] == [265]  # GDR from March 1954
    assert years[1955] == [260, 265]
    assert years[1990] == [255, 260, 265]  # unification on 3 October 1990
    assert years[1991] == [255]


def test_undirected_keeps_ccode1_below_ccode2() -> None:
    dy = dyad_years(years=range(2000, 2001), directed=False).collect()
    assert (dy["ccode1"] < dy["ccode2"]).all()
    n = state_years(years=range(2000, 2001)).collect().height
    assert dy.height == n * (n - 1) // 2


def test_states_subset_by_name_and_code() -> None:
    dy = dyad_years(years=range(1965, 1966), directed=False, states=["Japan", 732, "2"]).collect()
    assert dy.select("ccode1", "ccode2").rows() == [(2, 732), (2, 740), (732, 740)]


def test_unknown_state_code_is_refused() -> None:
    with pytest.raises(UnknownCodeError, match="999 is not a state of the COW system"):
        state_years(states=[999])


def test_years_outside_system_are_refused() -> None:
    with pytest.raises(ParameterError, match=r"'years' parameter of state_years\(\) must lie"):
        state_years(years=range(1700, 1800))


def test_unknown_system_is_refused() -> None:
    with pytest.raises(ParameterError, match=r"'system' parameter of dyad_years\(\)"):
        dyad_years("xyz")  # type: ignore[arg-type]
