"""COW inter-state wars: dyad-years checked against the raw participant-pair file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.data import bundle, catalog
from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.disputes import add_gml_mids
from allegiance.panel.wars import add_cow_wars

pyreadr = pytest.importorskip("pyreadr")
KEYS = ["ccode1", "ccode2", "year"]


@pytest.fixture(scope="module", autouse=True)
def _bundle_built() -> None:
    if "cow_war_inter" not in bundle.provenance()["tables"]:
        pytest.skip("the bundle has not been built")


@pytest.fixture(scope="module")
def raw(raw_dir: Path) -> pd.DataFrame:
    frame: pd.DataFrame = pyreadr.read_r(str(raw_dir / "peacesciencer" / "cow_war_inter.rda"))[
        "cow_war_inter"
    ]
    return frame


def _peacesciencer_rule(raw: pd.DataFrame) -> pd.DataFrame:
    """add_cow_wars(type = 'inter'), written out in pandas: onsets first, then most deaths."""
    df = raw.copy()
    grp = df.groupby(KEYS)["cowinteronset"]
    mixed = (grp.transform("size") > 1) & (grp.transform("nunique") > 1)
    df = df[~(mixed & (df.cowinteronset == 0))].copy()
    for c in ("batdeath1", "batdeath2"):
        df.loc[df[c] < 0, c] = None
    df["deaths"] = df.batdeath1 + df.batdeath2
    df["deaths"] = df.deaths.fillna(df.batdeath2).fillna(df.batdeath1)
    df = df.sort_values("deaths", ascending=False, na_position="last", kind="stable")
    return df.groupby(KEYS).head(1).set_index(KEYS)


def test_us_north_vietnam_overlapping_wars(raw: pd.DataFrame) -> None:
    got = (
        dyad_years("cow", range(1965, 1974), directed=True, states=[2, 816], mry=False)
        .pipe(add_cow_wars)
        .collect()
        .filter(pl.col("ccode1") == 2)
        .sort("year")
    )
    by_year = dict(zip(got["year"], got["warnum"], strict=True))
    both = raw[(raw.ccode1 == 2) & (raw.ccode2 == 816) & (raw.year == 1968)]
    assert sorted(both.warnum) == [163, 170]  # Vietnam war + the war that began in 1968
    assert by_year[1968] == 170  # the unique onset wins
    assert by_year[1969] == 163  # no onset: the deadlier war wins
    assert got.filter(pl.col("year") == 1968)["cowinteronset"].to_list() == [1]


def test_all_rows_of_a_few_states_match_peacesciencer_rule(raw: pd.DataFrame) -> None:
    expected = _peacesciencer_rule(raw)
    first, last = catalog.get("cow_war_inter").years  # type: ignore[misc]
    states = [2, 710, 731, 732, 740, 816, 365]
    got = (
        dyad_years("cow", range(1940, 2011), directed=True, states=states, mry=False)
        .pipe(add_cow_wars)
        .collect()
    )
    for row in got.iter_rows(named=True):
        key = (row["ccode1"], row["ccode2"], row["year"])
        if key in expected.index:
            e = expected.loc[key]
            assert row["warnum"] == e.warnum and row["cowinteronset"] == e.cowinteronset
            assert row["batdeath1"] == (None if pd.isna(e.batdeath1) else e.batdeath1)
        elif first <= row["year"] <= last:
            assert row["cowinterongoing"] == 0 and row["warnum"] is None
        else:
            assert row["cowinterongoing"] is None


def test_korean_war_china_rok(raw: pd.DataFrame) -> None:
    years = raw[(raw.ccode1 == 710) & (raw.ccode2 == 732)].year.astype(int).tolist()
    got = (
        dyad_years("cow", range(1949, 1956), directed=False, states=[710, 732], mry=False)
        .pipe(add_cow_wars)
        .collect()
    )
    assert got.filter(pl.col("cowinterongoing") == 1)["year"].to_list() == sorted(years)
    assert got["ccode1"].unique().to_list() == [710]


def test_rows_kept_and_errors() -> None:
    panel = dyad_years("cow", range(1990, 1993), directed=False, mry=False)
    assert panel.pipe(add_cow_wars).collect().height == panel.collect().height
    with pytest.raises(PanelUnitError, match=r"add_cow_wars\(\) needs a dyad-year panel"):
        add_cow_wars(state_years("cow", range(1990, 1992), mry=False))
    with pytest.raises(ParameterError, match=r"add_cow_wars\(\) would add columns .*sidea1"):
        panel.pipe(add_gml_mids).pipe(add_cow_wars)
    ok = panel.pipe(add_gml_mids).pipe(add_cow_wars, keep=())
    assert ok.frame.collect_schema().names()[-2:] == ["cowinteronset", "cowinterongoing"]
    with pytest.raises(ParameterError, match=r"'keep' parameter of add_cow_wars\(\)"):
        add_cow_wars(panel, keep=["deaths"])
