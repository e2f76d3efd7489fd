"""add_crises(): ICB v12 crisis actors by state-year and joint actors by dyad-year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import PanelUnitError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.crises import add_crises, crisis_actor_years
from allegiance.panel.months import dyad_months


def _icb(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "icb/icb2v12.csv")


@pytest.mark.raw
def test_rok_state_years(raw_dir: Path) -> None:
    icb = _icb(raw_dir)
    rok = icb[icb.cracid == 732]
    out = add_crises(state_years(years=range(2008, 2014), states=[732])).collect()
    for row in out.iter_rows(named=True):
        year = row["year"]
        ongoing = rok[(rok.yrtrig <= year) & (rok.yrterm >= year)]
        assert row["icb_crises"] == ongoing.crisno.nunique()
        assert row["icb_onsets"] == rok[rok.yrtrig == year].crisno.nunique()
        assert row["icb_crisis"] == int(len(ongoing) > 0)


@pytest.mark.raw
def test_japan_rok_joint_crises(raw_dir: Path) -> None:
    icb = _icb(raw_dir)
    both = set(icb[icb.cracid == 732].crisno) & set(icb[icb.cracid == 740].crisno)
    assert both == {459, 469}
    out = add_crises(dyad_years(years=range(2008, 2015), states=[732, 740], directed=True))
    got = out.collect().filter(pl.col("icb_joint") > 0)
    assert sorted(set(got["year"])) == sorted(
        int(y) for y in icb[icb.crisno.isin(both)].yrtrig.unique()
    )
    assert (got["icb_joint"] == 1).all() and got.height == 4  # two years, both orders


@pytest.mark.raw
def test_dateless_actor_is_left_out(raw_dir: Path) -> None:
    icb = _icb(raw_dir)
    dateless = icb[icb.yrtrig.isna()]
    assert len(dateless) == 1 and dateless.yrterm.isna().all()
    years = crisis_actor_years().collect()
    assert years.filter(crisno=int(dateless.crisno.item())).is_empty()
    assert years.select(pl.len()).item() > 0


def test_null_outside_zero_inside() -> None:
    out = add_crises(state_years(years=range(1916, 1921), states=[2, 200, 365])).collect()
    before = out.filter(pl.col("year") < 1918)
    assert before["icb_crisis"].null_count() == before.height
    assert out.filter(pl.col("year") >= 1918)["icb_crisis"].null_count() == 0


def test_symmetric_rows_kept_and_bad_input() -> None:
    base = dyad_years(years=range(1990, 2000), states=[2, 365, 645, 690, 731, 732], directed=True)
    out = add_crises(base).collect()
    assert out.select(base.keys).equals(base.collect())
    swapped = out.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).select(out.columns)
    key = ["ccode1", "ccode2", "year"]
    assert swapped.sort(key).equals(out.sort(key))
    with pytest.raises(PanelUnitError, match="state-year or dyad-year"):
        add_crises(dyad_months(years=[2000], states=[2, 20]))
