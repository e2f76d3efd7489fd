"""Strategic rivalries (TSS and Thompson-Dreyer) checked against the raw rivalry spells."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.data import bundle
from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.rivalries import add_strategic_rivalries

pyreadr = pytest.importorskip("pyreadr")
TYPES = ["positional", "spatial", "ideological", "interventionary"]


@pytest.fixture(scope="module", autouse=True)
def _bundle_built() -> None:
    if "tss_rivalries" not in bundle.provenance()["tables"]:
        pytest.skip("the bundle has not been built")


def _raw(raw_dir: Path, name: str) -> pd.DataFrame:
    frame: pd.DataFrame = pyreadr.read_r(str(raw_dir / "peacesciencer" / f"{name}.rda"))[name]
    return frame


def _spell(spells: pd.DataFrame, a: int, b: int, year: int, start: str, end: str) -> pd.DataFrame:
    pair = ((spells.ccode1 == a) & (spells.ccode2 == b)) | (
        (spells.ccode1 == b) & (spells.ccode2 == a)
    )
    return spells[pair & (spells[start] <= year) & (spells[end] >= year)]


@pytest.mark.parametrize("a, b", [(2, 710), (731, 732), (710, 740), (2, 365)])
def test_dyad_years_match_raw_spells(raw_dir: Path, a: int, b: int) -> None:
    tss, td = _raw(raw_dir, "tss_rivalries"), _raw(raw_dir, "td_rivalries")
    got = (
        dyad_years("cow", range(1946, 2017), directed=True, states=[a, b], mry=False)
        .pipe(add_strategic_rivalries)
        .collect()
    )
    assert got.height == 2 * got.filter(pl.col("ccode1") == a).height
    for row in got.iter_rows(named=True):
        year = row["year"]
        s = _spell(tss, a, b, year, "start", "end")
        assert row["ongoingrivalry"] == int(len(s) > 0)
        assert row["tssr_id"] == (int(s.tssr_id.iloc[0]) if len(s) else None)
        for t in TYPES:
            assert row[t] == (int(s[t].fillna(0).iloc[0]) if len(s) else 0), t
        d = _spell(td, a, b, year, "styear", "endyear")
        if year > 2010:  # after Thompson & Dreyer's last year
            assert row["td_ongoingrivalry"] is None and row["td_positional"] is None
            continue
        assert row["td_ongoingrivalry"] == int(len(d) > 0)
        types = set(d[["type1", "type2", "type3"]].iloc[0].dropna()) if len(d) else set()
        for t in TYPES:
            assert row[f"td_{t}"] == int(t in types), t


def test_hand_picked_rows(raw_dir: Path) -> None:
    tss = _raw(raw_dir, "tss_rivalries")
    got = (
        dyad_years(
            "cow", range(1946, 2017), directed=False, states=[2, 710, 731, 732, 740], mry=False
        )
        .pipe(add_strategic_rivalries)
        .collect()
    )

    def row(a: int, b: int, y: int) -> dict:
        return got.filter(pl.col("ccode1") == a, pl.col("ccode2") == b, pl.col("year") == y).row(
            0, named=True
        )

    korea = tss[(tss.ccode1 == 731) & (tss.ccode2 == 732)].iloc[0]
    assert korea.start <= 1965 <= korea.end
    assert row(731, 732, 1965)["tssr_id"] == korea.tssr_id
    assert row(731, 732, 1965)["ideological"] == 1
    assert row(732, 740, 2012)["ongoingrivalry"] == 0  # Japan-ROK: no strategic rivalry
    assert row(2, 710, 1980)["ongoingrivalry"] == 0  # between the two US-China rivalries
    assert row(2, 710, 2000)["tssr_principal"] == 1


def test_austria_hungary_becomes_austria_from_1919() -> None:
    got = (
        dyad_years("cow", range(1915, 1922), directed=False, states=[300, 305, 345], mry=False)
        .pipe(add_strategic_rivalries, source="tss")
        .collect()
    )
    assert got.filter(pl.col("ccode1") == 305, pl.col("year") == 1920)["tssr_id"].to_list() == [76]
    assert got.filter(pl.col("ccode1") == 305, pl.col("year") == 1921)[
        "ongoingrivalry"
    ].to_list() == [0]


def test_state_year_counts(raw_dir: Path) -> None:
    tss = _raw(raw_dir, "tss_rivalries")
    got = state_years("cow", range(2000, 2001), states=[2, 710], mry=False)
    got_df = got.pipe(add_strategic_rivalries).collect()
    for ccode, n_pos, n_ideo in got_df.select("ccode", "n_positional", "n_ideological").iter_rows():
        on = tss[
            ((tss.ccode1 == ccode) | (tss.ccode2 == ccode))
            & (tss.start <= 2000)
            & (tss.end >= 2000)
        ]
        assert n_pos == int(on.positional.fillna(0).sum())
        assert n_ideo == int(on.ideological.fillna(0).sum())


def test_source_and_errors() -> None:
    panel = dyad_years("cow", range(2000, 2002), directed=False, mry=False)
    td_only = panel.pipe(add_strategic_rivalries, source="td")
    assert td_only.frame.collect_schema().names()[3:4] == ["td_rivalryno"]
    assert td_only.sources[-1] == "td_rivalries"
    assert td_only.collect().height == panel.collect().height
    with pytest.raises(ParameterError, match=r"'source' parameter of add_strategic_rivalries\(\)"):
        add_strategic_rivalries(panel, source="thompson")  # type: ignore[arg-type]
    with pytest.raises(PanelUnitError, match="COW system"):
        add_strategic_rivalries(dyad_years("gw", range(2000, 2002), mry=False))
    with pytest.raises(ParameterError, match="already has"):
        td_only.pipe(add_strategic_rivalries, source="td")
