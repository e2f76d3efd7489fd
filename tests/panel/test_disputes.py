"""GML and COW MIDs: hand-picked dyad-years checked against the raw peacesciencer files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.data import bundle
from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.disputes import add_cow_mids, add_gml_mids

pyreadr = pytest.importorskip("pyreadr")
KEYS = ["ccode1", "ccode2", "year"]


@pytest.fixture(scope="module", autouse=True)
def _bundle_built() -> None:
    if "gml_mid_ddydisps" not in bundle.provenance()["tables"]:
        pytest.skip("the bundle has not been built")


def _raw(raw_dir: Path, name: str) -> pd.DataFrame:
    frame: pd.DataFrame = pyreadr.read_r(str(raw_dir / "peacesciencer" / f"{name}.rda"))[name]
    return frame


def _expected(raw: pd.DataFrame, a: int, b: int, years: range, col: str, last: int) -> list:
    """The raw value for (a, b, year), 0 for onset/ongoing without a row up to ``last``."""
    rows = raw[(raw.ccode1 == a) & (raw.ccode2 == b)].set_index("year")
    out = []
    for y in years:
        if y in rows.index:
            out.append(int(rows.loc[y, col]))
        elif col.endswith(("onset", "ongoing")) and y <= last:
            out.append(0)
        else:
            out.append(None)
    return out


@pytest.mark.parametrize("a, b", [(740, 732), (732, 740), (710, 731), (2, 740)])
def test_gml_dyad_years_match_raw(raw_dir: Path, a: int, b: int) -> None:
    raw = _raw(raw_dir, "gml_mid_ddydisps")
    years = range(1950, 2015)
    panel = dyad_years("cow", years, directed=True, states=[a, b], mry=False)
    got = panel.pipe(add_gml_mids).collect().filter(pl.col("ccode1") == a).sort("year")
    ys = got["year"].to_list()
    for col in (
        "gmlmidonset",
        "gmlmidongoing",
        "dispnum",
        "hostlev",
        "hostlev1",
        "sidea1",
        "fatality",
    ):
        assert got[col].to_list() == _expected(raw, a, b, ys, col, 2010), col  # type: ignore[arg-type]


def test_gml_japan_rok_hand_picked(raw_dir: Path) -> None:
    raw = _raw(raw_dir, "gml_mid_ddydisps")
    jk = raw[(raw.ccode1 == 740) & (raw.ccode2 == 732)]
    got = (
        dyad_years("cow", range(1965, 2013), directed=False, states=[740, 732], mry=False)
        .pipe(add_gml_mids)
        .collect()
        .filter(pl.col("year").is_in([1965, 1977, 2000, 2012]))
    )
    assert got["ccode1"].to_list() == [732] * 4  # undirected: ccode1 < ccode2
    for year, onset in zip(got["year"], got["gmlmidonset"], strict=True):
        if year == 2012:
            assert onset is None  # after GML's last year
        else:
            raw_row = raw[(raw.ccode1 == 732) & (raw.ccode2 == 740) & (raw.year == year)]
            assert onset == (int(raw_row.gmlmidonset.iloc[0]) if len(raw_row) else 0)
    assert len(jk) > 0  # the pair has disputes in the raw file


def test_cow_us_china_match_raw(raw_dir: Path) -> None:
    raw = _raw(raw_dir, "cow_mid_ddydisps")
    panel = dyad_years("cow", range(1950, 2017), directed=True, states=[2, 710], mry=False)
    got = panel.pipe(add_cow_mids).collect().filter(pl.col("ccode1") == 2).sort("year")
    ys = got["year"].to_list()
    for col in ("cowmidonset", "cowmidongoing", "dispnum", "hostlev2", "recip"):
        assert got[col].to_list() == _expected(raw, 2, 710, ys, col, 2014), col  # type: ignore[arg-type]
    assert got.filter(pl.col("year") > 2014)["cowmidongoing"].null_count() == 2


def test_two_disputes_in_one_dyad_year_follow_the_whittle_rule(raw_dir: Path) -> None:
    # France-Italy 1860 has three dispute onsets (112, 113, 306); the rule keeps onsets, then
    # the highest fatality (-9 read as 0.5), hostility, min/max duration, reciprocation,
    # lowest start month. Checked on every multi-dispute dyad-year of a few states.
    disp = _raw(raw_dir, "gml_dirdisp")
    disp = disp[
        disp.ccode1.isin([220, 325, 2, 710, 365]) & disp.ccode2.isin([220, 325, 2, 710, 365])
    ]
    disp = disp[disp.duplicated(KEYS, keep=False)].copy()
    disp["fat"] = disp.fatality.where(disp.fatality != -9, 0.5)
    order = ["midonset", "fat", "hostlev", "mindur", "maxdur", "recip"]
    ranked = disp.sort_values(KEYS + order + ["stmon"], ascending=[True] * 3 + [False] * 6 + [True])
    kept = ranked.groupby(KEYS).head(1).set_index(KEYS)["dispnum"].astype(int)
    assert kept.loc[(220, 325, 1860)] == 113  # the deadliest of the three onsets
    years = sorted({int(y) for y in disp.year})
    got = (
        dyad_years(
            "cow",
            range(years[0], years[-1] + 1),
            directed=True,
            states=[220, 325, 2, 710, 365],
            mry=False,
        )
        .pipe(add_gml_mids, keep=["dispnum"])
        .collect()
    )
    ours = {tuple(r[:3]): r[3] for r in got.select(*KEYS, "dispnum").iter_rows()}
    for key, dispnum in kept.items():
        if key in ours:
            assert ours[key] == dispnum, key


def test_directed_init_follows_side_a_all_joiners() -> None:
    got = (
        dyad_years("cow", range(1950, 1954), directed=True, states=[2, 710], mry=False)
        .pipe(add_gml_mids)
        .collect()
        .drop_nulls("dispnum")
    )
    assert got.height > 0
    expected = ((got["sidea1"] == 1) | (got["orig1"] == 0)).cast(pl.Int8)
    assert got["init1"].to_list() == expected.to_list()


def test_state_years_match_raw_participants(raw_dir: Path) -> None:
    part = _raw(raw_dir, "gml_part")
    part = part[(part.allmiss_leader_start == 0) & (part.allmiss_leader_end == 0)]
    got = state_years("cow", range(1946, 2016), states=[2, 731, 732, 740], mry=False)
    got_df = got.pipe(add_gml_mids).collect()
    for ccode, year, ongoing, onset in got_df.select(
        "ccode", "year", "gmlmidongoing", "gmlmidonset"
    ).iter_rows():
        p = part[part.ccode == ccode]
        if year > 2010:
            assert ongoing is None and onset is None
        else:
            assert ongoing == int(((p.styear <= year) & (p.endyear >= year)).any())
            assert onset == int((p.styear == year).any())


def test_rows_kept_and_keep_subset() -> None:
    panel = dyad_years("cow", range(1990, 1996), directed=False, mry=False)
    got = panel.pipe(add_cow_mids, keep=["hostlev"])
    assert got.collect().height == panel.collect().height
    assert got.frame.collect_schema().names()[3:] == ["cowmidonset", "cowmidongoing", "hostlev"]
    assert "cow_mid_ddydisps" in got.sources


def test_errors() -> None:
    dyads = dyad_years("cow", range(2000, 2002), mry=False)
    with pytest.raises(PanelUnitError, match=r"add_cow_mids\(\) needs a dyad-year panel"):
        add_cow_mids(state_years("cow", range(2000, 2002), mry=False))
    with pytest.raises(PanelUnitError, match="COW system"):
        add_gml_mids(dyad_years("gw", range(2000, 2002), mry=False))
    with pytest.raises(ParameterError, match=r"'keep' parameter of add_gml_mids\(\)"):
        add_gml_mids(dyads, keep=["nonsense"])
    with pytest.raises(ParameterError, match=r"'init' parameter of add_gml_mids\(\)"):
        add_gml_mids(dyads, init="first")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"add_cow_mids\(\) would add columns .*hostlev"):
        dyads.pipe(add_gml_mids).pipe(add_cow_mids)
