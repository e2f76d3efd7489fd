"""add_diplomacy(): Diplomatic Exchange, US and Chinese visits, Korean ties, against raw files."""

from __future__ import annotations

import csv
import zipfile
from functools import cache
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.diplomacy import DIPEX_COLUMNS, VISIT_COLUMNS, add_diplomacy

pytestmark = pytest.mark.raw


@cache
def _dipex(raw: Path) -> pd.DataFrame:
    with zipfile.ZipFile(raw / "cow_dipex/bayer_2006.zip") as archive:
        return pd.read_csv(archive.open("bayer_2006/Diplomatic_Exchange_2006v1.csv"))


def _row(frame: pl.DataFrame, **keys: int) -> dict[str, object]:
    rows = frame.filter(**keys)
    assert rows.height == 1, keys
    return rows.row(0, named=True)


# ---------------------------------------------------------------- Diplomatic Exchange


def test_dipex_levels_and_the_1965_nine(raw_dir: Path) -> None:
    raw = _dipex(raw_dir)
    jk = raw[(raw.ccode1 == 740) & (raw.ccode2 == 732)].set_index("year")
    assert (jk.loc[1965, "DR_at_1"], jk.loc[1965, "DR_at_2"]) == (9, 0)
    out = add_diplomacy(dyad_years(years=range(1960, 1976), states=[732, 740])).collect()
    r65 = _row(out, ccode1=740, ccode2=732, year=1965)
    assert r65["dipex_dr_at_1"] is None  # 9 = not reported, not a level
    assert r65["dipex_dr_at_2"] == 0 and r65["dipex_de"] == int(jk.loc[1965, "DE"]) == 1
    back = _row(out, ccode1=732, ccode2=740, year=1965)  # the mirror row of the file
    assert back["dipex_dr_at_1"] == 0 and back["dipex_dr_at_2"] is None
    r70 = _row(out, ccode1=740, ccode2=732, year=1970)
    assert (r70["dipex_dr_at_1"], r70["dipex_dr_at_2"]) == (
        int(jk.loc[1970, "DR_at_1"]), int(jk.loc[1970, "DR_at_2"])
    ) == (3, 3)  # fmt: skip
    assert _row(out, ccode1=740, ccode2=732, year=1971)["dipex_de"] is None  # not observed


def test_dipex_every_nine_of_1950_1965_is_null(raw_dir: Path) -> None:
    raw = _dipex(raw_dir)
    mid = raw[raw.year.between(1950, 1965)]
    assert set(mid.DR_at_1) <= {0, 9}  # the codebook: levels not reported then
    out = add_diplomacy(dyad_years(years=[1960], states=[2, 200, 220, 365, 710, 740])).collect()
    assert not out.filter(pl.col("dipex_dr_at_1") > 0).height


def test_dipex_fill_forward_stops_at_the_last_year(raw_dir: Path) -> None:
    last = int(_dipex(raw_dir).year.max())
    panel = dyad_years(years=range(last - 1, last + 4), states=[732, 740], directed=False)
    plain = add_diplomacy(panel).collect().sort("year")
    filled = add_diplomacy(panel, fill="forward").collect().sort("year")
    assert plain["dipex_dr_at_1"].to_list() == [None, 3, None, None, None]
    assert filled["dipex_dr_at_1"].to_list() == [3, 3, None, None, None]
    assert filled["dipex_year"].to_list() == [last - 5, last, None, None, None]


# ---------------------------------------------------------------- US visits


def test_secretary_visits_to_japan_2013(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "us_travels/AmericanSecretaryVisit.csv")
    want = int(((raw["destination country"] == "Japan") & (raw.year == 2013)).sum())
    assert want == 2
    out = add_diplomacy(dyad_years(years=[2013], states=[2, 740], directed=True)).collect()
    assert out["us_sec_visits"].to_list() == [want, want]  # both orders of the dyad


def test_presidential_visits_to_the_rok_both_spellings(raw_dir: Path) -> None:
    raw = pd.read_csv(
        raw_dir / "us_travels/presidential_visits.txt", sep="\t", header=None,
        quoting=csv.QUOTE_NONE, names=["country", "city", "visit", "date", "x", "y", "z"],
    )  # fmt: skip
    rok = raw[raw.country.isin(["Korea, Republic of", "Korea, South"])].copy()
    rok["year"] = rok.date.str.extract(r"(\d{4})", expand=False).astype(int)
    want = rok.groupby("year").size()
    out = add_diplomacy(dyad_years(years=range(1952, 2024), states=[2, 732], directed=False))
    got = out.collect().filter(pl.col("us_pres_visits") > 0)
    assert dict(got.select("year", "us_pres_visits").iter_rows()) == want.to_dict()
    assert want.loc[2019] == 1 and want.loc[2022] == 1  # the two 'Korea, South' lines


def test_line_706_counts_both_visits() -> None:
    out = add_diplomacy(dyad_years(years=[2016, 2017], states=[2, 135, 670], directed=False))
    got = out.collect()
    assert _row(got, ccode1=2, ccode2=135, year=2016)["us_pres_visits"] >= 1  # Peru, Nov 2016
    assert _row(got, ccode1=2, ccode2=670, year=2017)["us_pres_visits"] >= 1  # Saudi, May 2017


def test_president_lists_are_not_spliced(raw_dir: Path) -> None:
    panel = dyad_years(years=range(1966, 2022), states=[2, 732], directed=False)
    two = pl.col("year").is_in([1966, 2021])
    newer = add_diplomacy(panel).collect().filter(two).sort("year")
    older = add_diplomacy(panel, president="to2020").collect().filter(two).sort("year")
    history = pd.read_csv(raw_dir / "us_travels/AmericanPresidentVisit.csv")
    h1966 = int(((history["destination country"] == "Korea, Republic of")
                 & (history.year == 1966)).sum())  # fmt: skip
    assert older["us_pres_visits"].to_list() == [h1966, None]  # the scrape ends in 2020
    assert newer["us_pres_visits"].to_list()[0] == 2  # two lines in the newer list


# ---------------------------------------------------------------- China and the Koreas


def test_aiddata_and_china_vitae(raw_dir: Path) -> None:
    cpd = pd.read_csv(raw_dir / "china_diplomacy/ChinesePublicDiplomacy.csv", na_values=["N/A"])
    jp = cpd[cpd.receiving_country == "Japan"].set_index("year")
    out = add_diplomacy(dyad_years(years=[2010, 2016], states=[710, 740], directed=True))
    got = out.collect()
    r10 = _row(got, ccode1=740, ccode2=710, year=2010)
    assert r10["cpd_elite_visits"] == int(jp.loc[2010, "total_elite_visits"])
    assert r10["cpd_gov_visits"] == int(jp.loc[2010, "government_visits"])
    assert _row(got, ccode1=710, ccode2=740, year=2016)["cpd_elite_visits"] is None
    pyreadr = pytest.importorskip("pyreadr")
    vitae = pyreadr.read_r(str(raw_dir / "china_diplomacy/all_engagements_2003-2018.rds"))[None]
    want = int(((vitae.country == "Japan") & (vitae.year == "2010")).sum())
    assert r10["cv_engagements"] == want


def test_korean_ties(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "kdiplo/diplo_ties_data.csv")
    rok_jp = raw[(raw.south_north == "South Korea") & (raw.iso3c == "JPN")].set_index("year")
    prk_jp = raw[(raw.south_north == "North Korea") & (raw.iso3c == "JPN")].set_index("year")
    out = add_diplomacy(dyad_years(years=[1964, 1965], states=[731, 732, 740])).collect()
    for year in (1964, 1965):
        assert _row(out, ccode1=740, ccode2=732, year=year)["kdiplo_rok_ties"] == int(
            rok_jp.loc[year, "diplomatic_ties"]
        )
        assert _row(out, ccode1=731, ccode2=740, year=year)["kdiplo_prk_ties"] == int(
            prk_jp.loc[year, "diplomatic_ties"]
        )
    assert _row(out, ccode1=740, ccode2=732, year=1965)["kdiplo_prk_ties"] is None


# ---------------------------------------------------------------- contracts


def test_visit_columns_symmetric_and_null_without_their_state() -> None:
    panel = dyad_years(years=range(2003, 2016), states=[2, 365, 710, 731, 732, 740])
    out = add_diplomacy(panel).collect()
    swapped = out.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).select(
        "ccode1", "ccode2", "year", *VISIT_COLUMNS
    )
    key = ["ccode1", "ccode2", "year"]
    assert swapped.sort(key).equals(out.select(swapped.columns).sort(key))
    jr = out.filter((pl.col("ccode1") == 365) & (pl.col("ccode2") == 740))
    nulls = jr.select(pl.col(*VISIT_COLUMNS).null_count()).sum_horizontal().item()
    assert jr.height and nulls == jr.height * len(VISIT_COLUMNS)  # Russia-Japan: none apply
    usa = out.filter((pl.col("ccode1") == 2) & (pl.col("ccode2") == 365))
    assert usa["us_sec_visits"].null_count() == 0  # 0 or more inside 1866-2020


def test_dipex_is_directed_mirror(raw_dir: Path) -> None:
    out = add_diplomacy(dyad_years(years=[2000], states=[2, 710, 732, 740])).collect()
    mirror = out.select(
        pl.col("ccode2").alias("ccode1"), pl.col("ccode1").alias("ccode2"), "year",
        pl.col("dipex_dr_at_2").alias("dipex_dr_at_1"),
        pl.col("dipex_dr_at_1").alias("dipex_dr_at_2"),
    )  # fmt: skip
    key = ["ccode1", "ccode2", "year"]
    assert mirror.sort(key).equals(out.select(mirror.columns).sort(key))


def test_rows_kept_and_bad_input() -> None:
    base = dyad_years(years=range(1995, 2006), directed=False)
    out = add_diplomacy(base).collect()
    assert out.select(base.keys).equals(base.collect())
    assert set(DIPEX_COLUMNS) | set(VISIT_COLUMNS) <= set(out.columns)
    with pytest.raises(ParameterError, match=r"'fill' parameter of add_diplomacy\(\)"):
        add_diplomacy(base, fill="backward")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"'president' parameter of add_diplomacy\(\)"):
        add_diplomacy(base, president="all")  # type: ignore[arg-type]
    with pytest.raises(PanelUnitError, match="dyad-year"):
        add_diplomacy(state_years(years=[2000]))
