"""add_events(): WEIS, COPDAB, ICEWS and GDELT by dyad-year and dyad-month, against raw files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import PanelUnitError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.events import (
    COPDAB_COLUMNS,
    GDELT_COLUMNS,
    ICEWS_COLUMNS,
    WEIS_COLUMNS,
    add_events,
)
from allegiance.panel.months import dyad_months

ALL = [*COPDAB_COLUMNS, *WEIS_COLUMNS, *ICEWS_COLUMNS, *GDELT_COLUMNS]
pytestmark = pytest.mark.raw


@cache
def _weis(raw: Path) -> pd.DataFrame:
    return pd.read_stata(raw / "weis_lai/weis.fromlai.1966-93.dta", convert_categoricals=False)


@cache
def _gdelt(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "gdelt_graph/gdelt_pair_month.csv.gz")


@cache
def _copdab(raw: Path) -> pd.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    frame: pd.DataFrame = pyreadr.read_r(str(raw / "copdab_lebo_moore/exCopdab.rda"))["exCopdab"]
    return frame


def _row(frame: pl.DataFrame, **keys: int) -> dict[str, object]:
    rows = frame.filter(**keys)
    assert rows.height == 1, keys
    return rows.row(0, named=True)


# ---------------------------------------------------------------- WEIS


def test_weis_japan_rok_1973(raw_dir: Path) -> None:
    weis = _weis(raw_dir)
    year = weis[weis.year == 1973]
    out = add_events(dyad_years(years=[1973], states=[732, 740], directed=True)).collect()
    for src, tgt in ((740, 732), (732, 740)):
        ev = year[(year.srccc == src) & (year.targcc == tgt)]
        gscale = ev.gscale.astype(float)
        row = _row(out, ccode1=src, ccode2=tgt)
        assert row["weis_events"] == len(ev) > 0
        assert row["weis_coop"] == int((gscale > 0).sum())
        assert row["weis_conf"] == int((gscale < 0).sum())
        assert row["weis_net"] == pytest.approx(float(gscale.sum()), abs=1e-4)
        assert row["weis_mean"] == pytest.approx(float(gscale.mean()), abs=1e-5)
    both = year[year.dyadid == 732740]
    und = add_events(dyad_years(years=[1973], states=[732, 740], directed=False)).collect()
    assert und["weis_events"].item() == len(both)
    assert und["weis_net"].item() == pytest.approx(float(both.gscale.astype(float).sum()), abs=1e-4)


def test_weis_zero_inside_null_outside(raw_dir: Path) -> None:
    weis = _weis(raw_dir)
    jk = weis[weis.dyadid == 732740]
    assert 1968 not in set(jk.year) and 1993 not in set(weis.year)  # the MANIFEST's notes
    first, last = int(weis.year.min()), int(weis.year.max())
    years = [first - 1, 1968, last, last + 1]
    out = (
        add_events(dyad_years(years=range(first - 1, last + 2), states=[732, 740], directed=False))
        .collect()
        .filter(pl.col("year").is_in(years))
        .sort("year")
    )
    assert out["weis_events"].to_list()[:2] == [None, 0]
    assert out["weis_events"].to_list()[3] is None  # 1993: no WEIS rows, so no coverage
    assert out.filter(year=1968)["weis_mean"].item() is None  # no event, no mean
    assert out.filter(year=1968)["weis_net"].item() == 0


def test_weis_months_add_up_to_years() -> None:
    months = add_events(dyad_months(years=[1973], states=[732, 740], directed=True)).collect()
    years = add_events(dyad_years(years=[1973], states=[732, 740], directed=True)).collect()
    summed = months.group_by("ccode1", "ccode2").agg(pl.col("weis_events", "weis_coop").sum())
    joined = years.join(summed, on=["ccode1", "ccode2"], suffix="_m")
    assert (joined["weis_events"] == joined["weis_events_m"]).all()
    assert (joined["weis_coop"] == joined["weis_coop_m"]).all()
    assert months["icews_coop"].null_count() == months.height  # ICEWS is annual


# ---------------------------------------------------------------- GDELT


@pytest.mark.parametrize("month", ["2019-07", "2023-05"])
def test_gdelt_japan_korea_month(raw_dir: Path, month: str) -> None:
    raw = _gdelt(raw_dir)
    want = raw[(raw.a == "JPN") & (raw.b == "KOR") & (raw.month == month)].iloc[0]
    year, mon = int(month[:4]), int(month[5:])
    out = add_events(dyad_months(years=[year], states=[732, 740], directed=True)).collect()
    for c1, c2 in ((740, 732), (732, 740)):  # the cell is symmetric
        row = _row(out, ccode1=c1, ccode2=c2, month=mon)
        assert row["gdelt_min"] == pytest.approx(want["min"])
        assert row["gdelt_max"] == pytest.approx(want["max"])
        assert row["gdelt_negdays"] == want["negative_days"]
        assert row["gdelt_days"] == want["days"]
        assert row["gdelt_net"] == pytest.approx(want["sum"])
        assert row["gdelt_negshare"] == pytest.approx(want["negative_days"] / want["days"])


def test_gdelt_year_uses_days_with_data(raw_dir: Path) -> None:
    raw = _gdelt(raw_dir)
    jk = raw[(raw.a == "JPN") & (raw.b == "KOR") & raw.month.str.startswith("2023")]
    assert len(jk) == 12 and jk.days.sum() < 365  # 68 upstream days missing in 2023
    row = add_events(dyad_years(years=[2023], states=[732, 740], directed=False)).collect()
    row_d = row.row(0, named=True)
    assert row_d["gdelt_days"] == jk.days.sum()
    assert row_d["gdelt_negdays"] == jk.negative_days.sum()
    assert row_d["gdelt_negshare"] == pytest.approx(jk.negative_days.sum() / jk.days.sum())
    assert row_d["gdelt_net"] == pytest.approx(jk["sum"].sum())
    assert row_d["gdelt_mean"] == pytest.approx(jk["sum"].sum() / jk.days.sum())
    assert row_d["gdelt_min"] == pytest.approx(jk["min"].min())


def test_gdelt_absent_pair_month_is_zero_and_late_2024_null(raw_dir: Path) -> None:
    raw = _gdelt(raw_dir)
    # Bhutan (BTN, COW 760) and Japan: months of 2018 that the derived file does not list
    pair = raw[(raw.a == "BTN") & (raw.b == "JPN") & raw.month.str.startswith("2018")]
    absent = sorted(set(range(1, 13)) - {int(m[5:]) for m in pair.month})
    assert absent  # three months without any nonzero day
    out = add_events(dyad_months(years=[2018, 2024], states=[740, 760], directed=False)).collect()
    for month in absent:
        row = _row(out, year=2018, month=month)
        assert (row["gdelt_net"], row["gdelt_negdays"], row["gdelt_max"]) == (0.0, 0, 0.0)
        assert row["gdelt_days"] > 0
    year = add_events(dyad_years(years=[2018], states=[740, 760], directed=False)).collect()
    assert year["gdelt_min"].item() == pytest.approx(min(0.0, float(pair["min"].min())))
    last = raw.month.max()
    assert last == "2024-02"
    late = out.filter((pl.col("year") == 2024) & (pl.col("month") > 2))
    assert late.height and late["gdelt_net"].null_count() == late.height


def test_gdelt_kosovo_not_indexed() -> None:
    out = add_events(dyad_years(years=[2019], states=[345, 347], directed=False)).collect()
    assert out["gdelt_net"].item() is None and out["weis_events"].item() is None


# ---------------------------------------------------------------- COPDAB and ICEWS


def test_copdab_us_ussr_1960(raw_dir: Path) -> None:
    raw = _copdab(raw_dir)
    year = raw[(raw.ym >= 6001) & (raw.ym <= 6012)]
    out = add_events(dyad_years(years=[1960], states=[2, 365], directed=True)).collect()
    for (c1, c2), series in {(2, 365): "us2ussr", (365, 2): "ussr2us"}.items():
        row = _row(out, ccode1=c1, ccode2=c2)
        assert row["copdab_coop_months"] == int((year[series] > 0).sum())
        assert row["copdab_conf_months"] == int((year[series] < 0).sum())
        assert row["copdab_net"] == pytest.approx(float(year[series].sum()))
        assert row["copdab_mean"] == pytest.approx(float(year[series].mean()))
    und = add_events(dyad_years(years=[1960], states=[2, 365], directed=False)).collect()
    both = pd.concat([year.us2ussr, year.ussr2us])
    assert und["copdab_net"].item() == pytest.approx(float(both.sum()))
    assert und["copdab_conf_months"].item() == int((both < 0).sum())


def test_copdab_only_its_dyads() -> None:
    out = add_events(dyad_years(years=[1970], states=[2, 365, 732, 740], directed=True)).collect()
    covered = out.filter(pl.col("copdab_net").is_not_null())
    assert set(covered.select("ccode1", "ccode2").iter_rows()) == {(2, 365), (365, 2)}


def test_icews_japan_korea(raw_dir: Path) -> None:
    pyreadr = pytest.importorskip("pyreadr")
    raw = pyreadr.read_r(str(raw_dir / "icews_netify/icews.rda"))["icews"]
    want = raw[(raw.i_iso3c == "JPN") & (raw.j_iso3c == "KOR") & (raw.year == 2010)].iloc[0]
    out = add_events(dyad_years(years=[2010], states=[732, 740], directed=True)).collect()
    row = _row(out, ccode1=740, ccode2=732)
    assert row["icews_verb_coop"] == int(want.verbCoop)
    assert row["icews_coop"] == int(want.verbCoop + want.matlCoop)
    assert row["icews_conf"] == int(want.verbConf + want.matlConf)
    outside = add_events(dyad_years(years=[2001, 2015], states=[732, 740])).collect()
    assert outside.filter(pl.col("year").is_in([2001, 2015]))["icews_coop"].null_count() == 4


def test_icews_null_for_states_outside_its_152(raw_dir: Path) -> None:
    pyreadr = pytest.importorskip("pyreadr")
    raw = pyreadr.read_r(str(raw_dir / "icews_netify/icews.rda"))["icews"]
    assert "AND" not in set(raw.i_iso3c)  # Andorra (COW 232) is not an ICEWS country here
    out = add_events(dyad_years(years=[2010], states=[232, 230], directed=False)).collect()
    assert out["icews_coop"].item() is None


# ---------------------------------------------------------------- contracts


def test_rows_and_order_kept_and_errors() -> None:
    for base in (
        dyad_years(years=range(1990, 1993), directed=True),
        dyad_months(years=[2019], states=[2, 710, 731, 732, 740], directed=False),
    ):
        before = base.collect()
        after = add_events(base).collect()
        assert after.select(before.columns).equals(before)
        assert set(ALL) <= set(after.columns)
    with pytest.raises(PanelUnitError, match=r"add_events\(\) needs a dyad-year or dyad-month"):
        add_events(state_years(years=[2000]))
    with pytest.raises(PanelUnitError, match="COW"):
        add_events(dyad_years("gw", [2000], states=[2, 20]))
