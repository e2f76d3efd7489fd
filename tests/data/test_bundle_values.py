"""The shipped bundle holds the raw upstream values: cells and row counts checked against raw files.

Every expected value here is read straight from the raw file with pyreadr / pandas in the
test, never through the bundle's readers.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

from allegiance.data import bundle
from allegiance.data.tables import TABLES

pyreadr = pytest.importorskip("pyreadr")

# Checked separately: reshaped (one raw row is not one bundle row), or read from a zip member.
RESHAPED = {
    "sipri_milex", "country_codes", "us_commitment_signals",
    "copdab_months", "gdelt_country_years", "us_president_visits_2023", "cow_dipex",
    "atop4_dyad_years",
}  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _bundle_built() -> None:
    if not bundle.provenance()["tables"]:
        pytest.skip("the bundle has not been built")


def _r(raw_dir: Path, rel: str) -> pd.DataFrame:
    frame: pd.DataFrame = next(iter(pyreadr.read_r(str(raw_dir / rel)).values()))
    return frame


def _one(frame: pl.DataFrame, column: str, **where: Any) -> Any:
    rows = frame.filter(**where)
    assert rows.height == 1, (where, rows)
    return rows[column].item()


def test_nmc_cinc_japan_1965(raw_dir: Path) -> None:
    raw = _r(raw_dir, "peacesciencer/cow_nmc.rda")
    want = raw.loc[(raw.ccode == 740) & (raw.year == 1965), "cinc"].item()
    assert _one(bundle.load("cow_nmc"), "cinc", ccode=740, year=1965) == pytest.approx(want)


def test_atop_defense_usa_japan_2000(raw_dir: Path) -> None:
    raw = _r(raw_dir, "peacesciencer/atop_alliance.rda")
    want = raw.loc[(raw.ccode1 == 2) & (raw.ccode2 == 740) & (raw.year == 2000), "atop_defense"]
    got = _one(bundle.load("atop_alliance"), "atop_defense", ccode1=2, ccode2=740, year=2000)
    assert got == want.item() == 1


def test_contiguity_koreas(raw_dir: Path) -> None:
    raw = _r(raw_dir, "peacesciencer/cow_contdir.rda")
    want = raw[(raw.ccode1 == 731) & (raw.ccode2 == 732)]
    got = bundle.load("cow_contdir").filter(ccode1=731, ccode2=732)
    assert got["conttype"].to_list() == want["conttype"].astype(int).tolist() == [1]
    assert got["stdate"].to_list() == list(want["stdate"])


def test_dokdo_claim_salience(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "icow_claims/ICOWprovyr101.csv")
    want = raw.loc[(raw.claim == 830) & (raw.year == 2001), "icowsal"].item()
    got = bundle.load("icow_claims").filter(claim=830, year=2001)["icowsal"].item()
    assert got == want == 6


def test_us_troops_in_korea_1969_legacy(raw_dir: Path) -> None:
    raw = _r(raw_dir, "troopdata/troopdata_legacy_v0.rda")
    want = raw.loc[(raw.ccode == 732) & (raw.year == 1969), "troops"].item()
    assert _one(bundle.load("troops_legacy"), "troops", ccode=732, year=1969) == want


def test_troop_report_korea_september_1969(raw_dir: Path) -> None:
    raw = _r(raw_dir, "troopdata/troopdata_rebuild_reports.rda")
    want = raw[(raw.ccode == 732) & (raw.year == 1969) & (raw.month == "September")]
    got = bundle.load("troops_reports").filter(ccode=732, year=1969, month="September")
    assert sorted(got["troops_ad"].to_list()) == sorted(want["troops_ad"].astype(int).tolist())
    assert sorted(got["total"].to_list()) == sorted(want["Total"].astype(int).tolist())


def test_un_vote_and_roll_call_date(raw_dir: Path) -> None:
    votes = _r(raw_dir, "unvotes/un_votes.rda")
    want = votes.loc[(votes.rcid == 3) & (votes.country == "Canada"), "vote"].item()
    assert _one(bundle.load("un_votes"), "vote", rcid=3, country="Canada") == str(want)
    calls = _r(raw_dir, "unvotes/un_roll_calls.rda")
    date = calls.loc[calls.rcid == 4, "date"].item()
    assert _one(bundle.load("un_roll_calls"), "date", rcid=4) == date == dt.date(1946, 1, 2)


def test_unga_ideal_point_rok(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "unga_idealpoints/IdealpointestimatesAll_Jun2024.csv")
    want = raw.loc[(raw.ccode == 732) & (raw.session == 60), "IdealPointAll"].item()
    got = _one(bundle.load("unga_idealpoints"), "IdealPointAll", ccode=732, session=60)
    assert got == pytest.approx(want)


def test_wrp_snake_case_column(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "cow_wrp/WRP_national.csv")
    want = raw.loc[(raw.state == 2) & (raw.year == 1945), "total christians"].item()
    assert _one(bundle.load("wrp_national"), "total_christians", state=2, year=1945) == want


def test_bases_latin1_and_gw_dates(raw_dir: Path) -> None:
    names = bundle.load("troops_bases")["basename"].to_list()
    assert "Fuerte Aguayo NB, Concón" in names
    raw = _r(raw_dir, "peacesciencer/gw_states.rda")
    want = raw.loc[raw.gwcode == 732, "startdate"].tolist()
    assert bundle.load("gw_states").filter(gwcode=732)["startdate"].to_list() == want


def test_sipri_milex_cells(raw_dir: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = pd.read_excel(raw_dir / "sipri_milex/SIPRI-Milex-data-1949-2023.xlsx",
                              sheet_name="Constant (2022) US$", header=5)  # fmt: skip
    korea = sheet[sheet["Country"] == "Korea, South"].iloc[0]
    milex = bundle.load("sipri_milex").filter(measure="constant_usd_2022", country="Korea, South")
    assert _one(milex, "value", year=2020) == pytest.approx(float(korea[2020]))
    marker = sheet[sheet[1950].astype(str) == "xxx"].iloc[0]
    cell = bundle.load("sipri_milex").filter(
        measure="constant_usd_2022", country=marker["Country"].strip(), year=1950
    )
    assert cell["flag"].item() == "xxx" and cell["value"].item() is None


def test_sipri_arms_malformed_rows_kept_with_null_years(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "sipri_arms/trade-register.csv", dtype=str, keep_default_na=False)
    arms = bundle.load("sipri_arms")
    assert arms.height == len(raw)
    bad = arms.filter("malformed")
    assert bad.height == 4 and bad["order_year"].null_count() == 4


def test_curated_signals(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir.parent / "curated" / "us_commitment_signals.csv")
    got = bundle.load("us_commitment_signals")
    assert got.height == len(raw)
    assert got.schema["date"] == pl.Date
    assert got["date"].min() == dt.date.fromisoformat(raw["date"].min())


def _manifest_rows(raw_dir: Path) -> dict[str, int]:
    manifest = json.loads((raw_dir / "manifest.json").read_text(encoding="utf-8"))
    rows = {}
    for entry in manifest["files"]:
        objects = entry.get("objects") or []
        if len(objects) == 1 and isinstance(objects[0].get("rows"), int):
            rows[entry["staged_path"].removeprefix("shared/data/raw/")] = objects[0]["rows"]
    return rows


@pytest.mark.parametrize("name", sorted(set(TABLES) - RESHAPED))
def test_row_count_equals_raw_object(name: str, raw_dir: Path) -> None:
    rel = TABLES[name].raw[0]  # the table's own file; any others are the code crosswalk's
    assert bundle.provenance()["tables"][name]["rows"] == _manifest_rows(raw_dir)[rel]


def test_sipri_milex_row_count_is_countries_times_years(raw_dir: Path) -> None:
    """Long reshape: one row per country row and year column of each of the 7 data sheets."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = pd.read_excel(raw_dir / "sipri_milex/SIPRI-Milex-data-1949-2023.xlsx",
                             sheet_name=None, header=None)  # fmt: skip
    expected = 0
    for name, sheet in book.items():
        if name in ("Front page", "Regional totals", "Footnotes"):
            continue
        top = int(sheet.index[sheet[0].astype(str).str.strip() == "Country"][0])
        years = [c for c, h in sheet.iloc[top].items() if isinstance(h, int | float) and h == h]
        body = sheet.iloc[top + 1 :]
        expected += int((body[years].notna().any(axis=1) & body[0].notna()).sum()) * len(years)
    assert bundle.load("sipri_milex").height == expected
