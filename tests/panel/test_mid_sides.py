"""add_mid_sides(): opposite and same sides from MIDB, checked on the raw file and on cow_mids."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.data import bundle
from allegiance.errors import PanelUnitError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.disputes import add_cow_mids
from allegiance.panel.mid_sides import MID_SIDE_COLUMNS, add_mid_sides, mid_side_dyad_years


@cache
def _midb(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "cow_mid5/MIDB_5.0.csv")


@cache
def _full() -> pl.DataFrame:
    """Directed 1816-2014 panel with both MID families (the common years of the two)."""
    panel = dyad_years(years=range(1816, 2015), directed=True)
    return panel.pipe(add_mid_sides).pipe(add_cow_mids, keep=()).collect()


@pytest.mark.raw
def test_4723_japan_rok_opposite_sides(raw_dir: Path) -> None:
    midb = _midb(raw_dir)
    parts = midb[midb.dispnum == 4723].set_index("ccode")
    assert set(parts.index) == {732, 740}
    assert parts.loc[732, "sidea"] != parts.loc[740, "sidea"]
    year = int(parts.styear.max())
    out = add_mid_sides(dyad_years(years=[year], states=[732, 740], directed=True)).collect()
    for row in out.iter_rows(named=True):
        assert row["mid_opp_ongoing"] == 1 and row["mid_opp_onset"] == 1
        assert row["mid_opp_count"] >= 1
        assert row["mid_opp_hostlev"] == int(parts.hostlev.max())


@pytest.mark.raw
def test_4022_japan_rok_same_side(raw_dir: Path) -> None:
    midb = _midb(raw_dir)
    parts = midb[midb.dispnum == 4022].set_index("ccode")
    assert parts.loc[732, "sidea"] == parts.loc[740, "sidea"]
    assert parts.loc[731, "sidea"] != parts.loc[732, "sidea"]
    first = int(max(parts.loc[732, "styear"], parts.loc[740, "styear"]))
    last = int(min(parts.loc[732, "endyear"], parts.loc[740, "endyear"]))
    rows = mid_side_dyad_years().filter(dispnum=4022, ccode1=740, ccode2=732).collect()
    assert set(rows["year"]) == set(range(first, last + 1))
    assert not rows["opposite"].any()
    out = add_mid_sides(dyad_years(years=range(first, last + 1), states=[732, 740])).collect()
    assert (out["mid_same_ongoing"] == 1).all()


@pytest.mark.slow
def test_opposite_sides_equal_cow_mids_ongoing() -> None:
    out = _full()
    assert out.filter(pl.col("mid_opp_ongoing") != pl.col("cowmidongoing")).is_empty()
    assert (out["cowmidongoing"] == 1).sum() == 10_230
    # peacesciencer's 4 other rows: Canada-Russia 1918-19, before Canada's first COW year
    ddy = bundle.load("cow_mid_ddydisps").select("ccode1", "ccode2", pl.col("year").cast(pl.Int16))
    extra = ddy.join(out.select("ccode1", "ccode2", "year"), on=["ccode1", "ccode2", "year"],
                     how="anti")  # fmt: skip
    assert sorted(extra.rows()) == [(20, 365, 1918), (20, 365, 1919), (365, 20, 1918),
                                    (365, 20, 1919)]  # fmt: skip
    canada = bundle.load("cow_states").filter(ccode=20)["styear"].min()
    assert canada == 1920


def test_dispute_dyad_years_equal_peacesciencers() -> None:
    mine = (
        mid_side_dyad_years()
        .filter("opposite")
        .select("dispnum", "ccode1", "ccode2", pl.col("year").cast(pl.Int32))
        .unique()
        .collect()
    )
    theirs = bundle.load("cow_mid_dirdisps").select("dispnum", "ccode1", "ccode2", "year")
    assert mine.height == theirs.height == 11_390
    assert mine.join(theirs, on=["dispnum", "ccode1", "ccode2", "year"], how="anti").is_empty()


def test_year_overlap_alone_would_add_84_dispute_dyad_years() -> None:
    """The docstring's claim: sharing a calendar year is not taking part at the same time."""
    spells = bundle.scan("cow_midb").select(
        "dispnum", "ccode", "sidea", "styear", "endyear"
    )  # fmt: skip
    pairs = (
        spells.join(spells, on="dispnum", suffix="_b")
        .filter((pl.col("ccode") != pl.col("ccode_b")) & (pl.col("sidea") != pl.col("sidea_b")))
        .with_columns(
            pl.int_ranges(
                pl.max_horizontal("styear", "styear_b"),
                pl.min_horizontal("endyear", "endyear_b") + 1,
            ).alias("year")
        )
        .explode("year")
        .drop_nulls("year")
        .select(
            "dispnum",
            pl.col("ccode").alias("ccode1"),
            pl.col("ccode_b").alias("ccode2"),
            pl.col("year").cast(pl.Int32),
        )
        .unique()
        .collect()
    )
    theirs = bundle.load("cow_mid_dirdisps").select("dispnum", "ccode1", "ccode2", "year")
    extra = pairs.join(theirs, on=["dispnum", "ccode1", "ccode2", "year"], how="anti")
    assert extra.height == 84
    assert set(extra["dispnum"]) == {258, 607, 611, 3957, 4680, 4691}


@pytest.mark.slow
def test_onset_differs_only_for_finland_russia_2014() -> None:
    out = _full()
    differ = out.filter(pl.col("mid_opp_onset") != pl.col("cowmidonset"))
    assert sorted(differ.select("ccode1", "ccode2", "year").rows()) == [
        (365, 375, 2014),
        (375, 365, 2014),
    ]
    assert (differ["mid_opp_onset"] == 1).all()


def test_symmetric_null_outside_zero_inside() -> None:
    panel = dyad_years(years=range(2012, 2017), states=[2, 710, 731, 732, 740], directed=True)
    out = add_mid_sides(panel).collect()
    swapped = out.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).select(out.columns)
    key = ["ccode1", "ccode2", "year"]
    assert swapped.sort(key).equals(out.sort(key))
    after = out.filter(pl.col("year") > 2014)
    assert after.select(pl.col(*MID_SIDE_COLUMNS).null_count()).sum_horizontal().item() == (
        after.height * len(MID_SIDE_COLUMNS)
    )
    inside = out.filter(pl.col("year") <= 2014)
    assert inside.select(pl.col(*MID_SIDE_COLUMNS).null_count()).sum_horizontal().item() == 0
    assert out.select(panel.keys).equals(panel.collect())


def test_bad_input() -> None:
    with pytest.raises(PanelUnitError, match="dyad-year"):
        add_mid_sides(state_years(years=[2000]))
