"""The issue-13 bundle tables against their raw files, and the data-quality notes of the MANIFEST.

Every expected value is read from the raw file here (pandas, pyreadr, zipfile, json), never
through the bundle's readers.
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.data import bundle
from allegiance.data.crosswalk import iso3_to_ccode, name_to_ccode

pyreadr = pytest.importorskip("pyreadr")
pytestmark = pytest.mark.raw


@pytest.fixture(scope="module", autouse=True)
def _bundle_built() -> None:
    if "weis_events" not in bundle.provenance()["tables"]:
        pytest.skip("the bundle has not been built with the issue-13 tables")


# ---------------------------------------------------------------- events


def test_weis_ends_1992_and_keeps_one_decimal_weights(raw_dir: Path) -> None:
    raw = pd.read_stata(raw_dir / "weis_lai/weis.fromlai.1966-93.dta", convert_categoricals=False)
    weis = bundle.load("weis_events")
    assert weis.height == len(raw)
    assert weis["year"].max() == int(raw["year"].max()) == 1992  # no 1993 rows
    assert not weis.filter(pl.col("year") == 1993).height
    jk = raw[(raw.srccc == 740) & (raw.targcc == 732)]
    got = weis.filter((pl.col("srccc") == 740) & (pl.col("targcc") == 732))
    assert got.height == len(jk)
    assert got["gscale"].sum() == pytest.approx(float(jk["gscale"].astype(float).sum()), abs=1e-4)
    assert set(got["gscale"].to_list()) == {round(float(v), 1) for v in jk["gscale"]}


def test_gdelt_jpn_kor_months_equal_the_raw_rows(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "gdelt_graph/gdelt_pair_month.csv.gz")
    raw = raw[(raw.a == "JPN") & (raw.b == "KOR")].set_index("month")
    got = bundle.load("gdelt_pair_month").filter(a="JPN", b="KOR")
    assert got.height == len(raw) == 74
    assert set(got["ccode_a"]) == {740} and set(got["ccode_b"]) == {732}
    for month in ("2019-07", "2023-05"):
        row = got.filter(year=int(month[:4]), month=int(month[5:])).row(0, named=True)
        for col in ("days", "sum", "min", "max", "negative_days", "zero_days"):
            assert row[col] == pytest.approx(raw.loc[month, col]), (month, col)
    # a month with upstream days missing: 'days' counts only the days with a file
    assert raw.loc["2023-05", "days"] < 31


def test_gdelt_territories_have_no_cow_code() -> None:
    countries = bundle.load("gdelt_country_years")
    assert (
        countries.filter(alpha3="PSE")["ccode"].null_count()
        == countries.filter(alpha3="PSE").height
    )
    assert set(countries.filter(alpha3="KOR")["ccode"]) == {732}


def test_copdab_long_form_matches_the_wide_file(raw_dir: Path) -> None:
    wide = pyreadr.read_r(str(raw_dir / "copdab_lebo_moore/exCopdab.rda"))["exCopdab"]
    long = bundle.load("copdab_months")
    assert long.height == 8 * len(wide)
    first = wide.iloc[0]  # ym 4801
    assert int(first["ym"]) == 4801
    row = long.filter(series="us2ussr", year=1948, month=1).row(0, named=True)
    assert (row["ccode1"], row["ccode2"]) == (2, 365)
    assert row["copdab"] == pytest.approx(first["us2ussr"])
    assert long.filter(series="eg2is").select("ccode1", "ccode2").unique().rows() == [(651, 666)]


def test_icews_cow_codes(raw_dir: Path) -> None:
    raw = pyreadr.read_r(str(raw_dir / "icews_netify/icews.rda"))["icews"]
    got = bundle.load("icews_cow")
    assert got.height == len(raw)
    assert got.select(pl.col("ccode1", "ccode2").null_count()).sum_horizontal().item() == 0
    jk = raw[(raw.i_iso3c == "JPN") & (raw.j_iso3c == "KOR") & (raw.year == 2010)]
    row = got.filter(ccode1=740, ccode2=732, year=2010).row(0, named=True)
    assert row["verbCoop"] == int(jk["verbCoop"].item())


# ---------------------------------------------------------------- diplomacy, trade


def test_dipex_rows_and_the_level_9_of_1965(raw_dir: Path) -> None:
    with zipfile.ZipFile(raw_dir / "cow_dipex/bayer_2006.zip") as archive:
        raw = pd.read_csv(archive.open("bayer_2006/Diplomatic_Exchange_2006v1.csv"))
    got = bundle.load("cow_dipex")
    assert got.height == len(raw)
    row = got.filter(ccode1=740, ccode2=732, year=1965).row(0, named=True)
    want = raw[(raw.ccode1 == 740) & (raw.ccode2 == 732) & (raw.year == 1965)].iloc[0]
    assert (row["DR_at_1"], row["DR_at_2"], row["DE"]) == (
        int(want.DR_at_1), int(want.DR_at_2), int(want.DE)
    ) == (9, 0, 1)  # fmt: skip


def test_presidential_visits_line_706_is_split(raw_dir: Path) -> None:
    path = raw_dir / "us_travels/presidential_visits.txt"
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines = [line for line in lines if line]
    widths = [len(line.split("\t")) for line in lines]
    assert widths.count(7) == 1 and widths.index(7) == 705  # line 706, two visits
    got = bundle.load("us_president_visits_2023")
    assert got.height == len(lines) + 1
    both = got.filter(line=706)
    assert both["country"].to_list() == ["Peru", "Saudi Arabia"]
    assert both["year"].to_list() == [2016, 2017]
    assert both["date"][0].endswith("2016")


def test_presidential_visits_both_rok_spellings_are_732(raw_dir: Path) -> None:
    raw = pd.read_csv(
        raw_dir / "us_travels/presidential_visits.txt", sep="\t", header=None,
        quoting=csv.QUOTE_NONE, names=["country", "city", "visit", "date", "c5", "c6", "c7"],
    )  # fmt: skip
    spellings = {"Korea, Republic of": 21, "Korea, South": 2}
    for name, n in spellings.items():
        assert int((raw.country == name).sum()) == n  # the MANIFEST's counts
    got = bundle.load("us_president_visits_2023").filter(pl.col("country").is_in(list(spellings)))
    assert got.height == sum(spellings.values())
    assert set(got["ccode"]) == {732}


def test_secretary_visits_to_japan(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "us_travels/AmericanSecretaryVisit.csv")
    want = raw[raw["destination country"] == "Japan"]
    got = bundle.load("us_secretary_visits").filter(ccode=740)
    assert got.height == len(want)


def test_kdiplo_trade_source_marks(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "kdiplo/trade_data.csv")
    got = bundle.load("kdiplo_trade")
    for flow in ("export", "import"):
        kosis = int(raw[f"{flow}_kosis"].notna().sum())
        cow = int((raw[f"{flow}_kosis"].isna() & raw[f"{flow}_cow"].notna()).sum())
        counts = dict(got[f"{flow}_source"].value_counts().iter_rows())
        assert counts.get("kosis") == kosis and counts.get("cow") == cow, flow
    jpn = raw[(raw.iso3c == "JPN") & (raw.year == 1965)].iloc[0]
    row = got.filter(iso3c="JPN", year=1965).row(0, named=True)
    assert row["export"] == jpn.export and row["ccode"] == 740


def test_china_sources(raw_dir: Path) -> None:
    vitae = pyreadr.read_r(str(raw_dir / "china_diplomacy/all_engagements_2003-2018.rds"))[None]
    got = bundle.load("china_vitae")
    assert got.height == len(vitae)
    assert got.schema["date"] == pl.Date
    kor = vitae[(vitae.country == "South Korea") & (vitae.year == "2014")]
    assert got.filter(ccode=732, year=2014).height == len(kor)
    assert set(got.filter(pl.col("country").is_in(["England", "Wales"]))["ccode"]) == {200}
    cpd = pd.read_csv(raw_dir / "china_diplomacy/ChinesePublicDiplomacy.csv")
    japan = cpd[(cpd.receiving_country == "Japan") & (cpd.year == 2016)].iloc[0]
    assert pd.isna(japan.total_elite_visits)  # missing in AidData, so null in the bundle
    row = bundle.load("china_public_diplomacy").filter(ccode=740, year=2016).row(0, named=True)
    assert row["total_elite_visits"] is None


# ---------------------------------------------------------------- crises, tests, claims, V-Dem


def test_icb_reads_its_carriage_returns_and_keeps_the_dateless_actor(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "icb/icb2v12.csv")  # pandas reads bare-CR lines
    got = bundle.load("icb_actors")
    assert got.height == len(raw) == 1052
    assert got.columns[0] == "icb2"  # the byte-order mark is gone
    dateless = raw[raw.yrtrig.isna()]
    assert len(dateless) == 1
    row = got.filter(pl.col("yrtrig").is_null()).row(0, named=True)
    assert (row["crisno"], row["cracid"]) == (int(dateless.crisno.item()), 670)


def test_nk_missile_tests(raw_dir: Path) -> None:
    data = json.loads((raw_dir / "nk_missile_tests/test.en.json").read_text(encoding="utf-8"))
    tests = [t for b in data["timeBins"] for t in b["data"]]
    got = bundle.load("nk_missile_tests")
    assert got.height == len(tests) == 339
    want_2017 = sum(t["date"].startswith("2017") for t in tests)
    assert got.filter(year=2017).height == want_2017
    unknown = sum(t["outcome"] == "unknown" for t in tests)
    assert got["outcome"].null_count() == unknown


def test_icow_claim_names_ship_names_only(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "icow_claim_names/icow_ext2017_v2.csv")
    got = bundle.load("icow_claim_names")
    assert got.height == len(raw)
    assert "endclaim" not in got.columns and "begclaim" not in got.columns
    assert raw.loc[raw.claim == 830, "endclaim"].item() == 201799  # the carry-forward
    want = raw.loc[raw.claim == 830, "name"].item()
    assert got.filter(claim=830)["name"].item() == want


@pytest.mark.parametrize(
    ("iso3", "year", "ccode"),
    [("DEU", 1970, 260), ("DEU", 2000, 255), ("DEU", 1990, 255), ("RUS", 1936, 365),
     ("SRB", 1936, 345), ("SRB", 2010, 345), ("CZE", 1936, 315), ("CZE", 2000, 316),
     ("KOR", 1901, None), ("KOR", 2022, 732), ("JPN", 1950, None)],
)  # fmt: skip
def test_vdem_cow_codes(iso3: str, year: int, ccode: int | None) -> None:
    row = bundle.load("vdem_legitideol").filter(iso3c=iso3, year=year)
    assert row.height == 1
    assert row["ccode"].item() == ccode


def test_vdem_values(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "vdem_legitideol/nat_and_corruption.csv")
    want = raw[(raw.iso3c == "SWE") & (raw.year == 1936)].iloc[0]
    row = bundle.load("vdem_legitideol").filter(iso3c="SWE", year=1936).row(0, named=True)
    assert row["v2exl_legitideol"] == pytest.approx(want.v2exl_legitideol)
    assert row["v2exl_legitideolcr_1"] == pytest.approx(want.v2exl_legitideolcr_1)
    assert row["ccode"] == 380


# ---------------------------------------------------------------- the crosswalk


def test_iso3_lookup_never_reads_cow_abbreviations(raw_dir: Path) -> None:
    frame = pl.DataFrame({"iso": ["AUS", "KOR", "CZE", "PSE"], "year": [2000, 1900, 1990, 2000]})
    out = iso3_to_ccode(frame, raw_dir, iso3="iso", year="year")
    # AUS is Australia (COW's AUS is Austria); KOR in 1900 is no member (COW's KOR is Korea,
    # 730); CZE in 1990 is Czechoslovakia; PSE is no COW state.
    assert out["ccode"].to_list() == [900, None, 315, None]
    assert out.height == frame.height


def test_name_lookup_aliases_and_forms(raw_dir: Path) -> None:
    frame = pl.DataFrame(
        {"name": ["Korea, South", "China, People’s Republic of", "United Kingdom (Wales)",
                  "Vatican City", "Serbia"],
         "year": [2019, 1972, 2000, 2000, 1997]}
    )  # fmt: skip
    out = name_to_ccode(frame, raw_dir, name="name", year="year")
    assert out["ccode"].to_list() == [732, 710, 200, None, 345]


def test_crosswalk_keeps_rows_and_order(raw_dir: Path) -> None:
    frame = pl.DataFrame({"iso": ["JPN", "JPN", "USA"], "year": [2000, 2000, 1990]})
    out = iso3_to_ccode(frame, raw_dir, iso3="iso", year="year")
    assert out["ccode"].to_list() == [740, 740, 2]


def test_atop4_dyad_years_from_the_member_file(raw_dir: Path) -> None:
    members = pd.read_csv(raw_dir / "atop4_levels/atop-member-level.csv")
    got = bundle.load("atop4_dyad_years")
    assert (got["ccode1"] < got["ccode2"]).all()
    assert got.select("ccode1", "ccode2", "year").is_duplicated().sum() == 0
    # 3755: Japan joined 2003-12-12, the ROK 2004-11-27 (the MANIFEST's note); both still members
    tac = members[(members.atopid == 3755) & members.member.isin([732, 740])]
    assert (tac.yrexit == 0).all()
    jk = got.filter(ccode1=732, ccode2=740).sort("year")
    assert jk["year"].min() == 2004
    assert jk["year"].max() == int(max(members.yrent.max(), members.yrexit.max()))
    assert set(jk["atop_ids"]) == {"3755"} and set(jk["atop_bilateral"]) == {0}
    # members of one alliance in disjoint years never pair: 3755's 2016 entrants and 2003's
    assert got.filter(ccode1=155, ccode2=740, year=2015).is_empty()
    assert not got.filter(ccode1=155, ccode2=740, year=2016).is_empty()


def test_vdem_shares_are_not_exclusive(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "vdem_legitideol/nat_and_corruption.csv")
    shares = [f"v2exl_legitideolcr_{i}" for i in range(5)]
    assert (raw[shares].sum(axis=1) > 1.0 + 1e-9).any()  # the MANIFEST's warning holds
    got = bundle.load("vdem_legitideol")
    assert (got.select(pl.sum_horizontal(shares).alias("s"))["s"] > 1.0 + 1e-9).any()
    want = raw[(raw.iso3c == "SWE") & (raw.year == 1936)].iloc[0]
    row = got.filter(iso3c="SWE", year=1936).row(0, named=True)
    assert want.v2exl_legitideol < 0 and want.v2exl_legitideolcr_1 == 1.0  # weak, yet socialist
    assert row["v2exl_legitideol"] == pytest.approx(want.v2exl_legitideol)
