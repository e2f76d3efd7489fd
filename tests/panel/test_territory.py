"""add_icow_claims: values checked against the raw ICOW provisional claim-dyad-year file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import PanelUnitError
from allegiance.panel import dyad_years
from allegiance.panel.base import Panel
from allegiance.panel.territory import add_icow_claims


@pytest.fixture(scope="module")
def icow(raw_dir: Path) -> pl.DataFrame:
    return pl.read_csv(raw_dir / "icow_claims" / "ICOWprovyr101.csv", infer_schema_length=None)


def _dyads(rows: list[tuple[int, int, int]], system: str = "cow") -> Panel:
    code = "ccode" if system == "cow" else "gwcode"
    schema = {f"{code}1": pl.Int32, f"{code}2": pl.Int32, "year": pl.Int16}
    frame = pl.LazyFrame(rows, schema=schema, orient="row")
    return Panel(frame=frame, unit="dyad_year", system=system, directed=True)  # type: ignore[arg-type]


def _raw_rows(icow: pl.DataFrame, a: int, b: int, year: int) -> pl.DataFrame:
    pair = ((pl.col("chal") == a) & (pl.col("tgt") == b)) | (
        (pl.col("chal") == b) & (pl.col("tgt") == a)
    )
    return icow.filter(pair & (pl.col("year") == year))


CASES = [
    (740, 732, 1965),
    (732, 740, 1977),
    (740, 732, 2000),
    (740, 732, 1950),
    (710, 731, 1960),
    (731, 710, 1965),
    (2, 740, 1941),
    (2, 740, 1965),
    (2, 70, 1896),
    (260, 265, 1970),
    (2, 200, 1846),
]


def test_values_equal_raw(icow: pl.DataFrame) -> None:
    out = _dyads(CASES).pipe(add_icow_claims).collect()
    for row in out.iter_rows(named=True):
        raw = _raw_rows(icow, row["ccode1"], row["ccode2"], row["year"])
        assert row["icow_claim"] == int(raw.height > 0), row
        assert row["icow_nclaims"] == raw["claim"].n_unique(), row
        assert row["icow_salmax"] == (int(raw["icowsal"].max()) if raw.height else 0), row  # type: ignore[arg-type]


def test_dokdo_hand_values(icow: pl.DataFrame) -> None:
    # claim 830 (Dokdo/Takeshima): Japan challenges ROK 1952-2001, salience 6
    out = (
        _dyads([(740, 732, 1951), (740, 732, 1952), (732, 740, 2001)])
        .pipe(add_icow_claims)
        .collect()
    )
    assert out["icow_claim"].to_list() == [0, 1, 1]
    assert out["icow_salmax"].to_list() == [0, 6, 6]


def test_several_claims_in_one_dyad_year(icow: pl.DataFrame) -> None:
    # USA-Japan 1941: two claims (970 and 981); Mexico-USA 1896: one claim with two claim dyads
    raw = _raw_rows(icow, 740, 2, 1941)
    assert sorted(set(raw["claim"].to_list())) == [970, 981]
    out = _dyads([(2, 740, 1941), (70, 2, 1896)]).pipe(add_icow_claims).collect()
    assert out["icow_nclaims"].to_list() == [2, 1]
    assert _raw_rows(icow, 70, 2, 1896).height == 2


def test_null_outside_coverage(icow: pl.DataFrame) -> None:
    hi = int(icow["year"].max())  # type: ignore[arg-type]
    out = (
        _dyads([(740, 732, hi), (740, 732, hi + 1), (740, 732, 2012)])
        .pipe(add_icow_claims)
        .collect()
    )
    assert out["icow_claim"].to_list() == [1, None, None]
    assert out["icow_salmax"].to_list()[1:] == [None, None]


def test_symmetric_and_rows_kept() -> None:
    rows = [
        (a, b, y) for a, b in [(740, 732), (710, 731), (2, 740)] for y in (1941, 1955, 1961, 2000)
    ]
    rows += [(b, a, y) for a, b, y in rows]
    out = _dyads(rows).pipe(add_icow_claims).collect()
    assert out.select("ccode1", "ccode2", "year").rows() == rows
    flipped = out.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).select(out.columns)
    keys = ["ccode1", "ccode2", "year"]
    assert out.sort(keys).equals(flipped.sort(keys))


def test_gw_panel_refused() -> None:
    with pytest.raises(PanelUnitError, match="COW system"):
        add_icow_claims(_dyads([(740, 732, 2000)], system="gw"))


@pytest.mark.raw
def test_claim_names_from_the_extended_list(raw_dir: Path) -> None:
    names = pd.read_csv(raw_dir / "icow_claim_names" / "icow_ext2017_v2.csv")
    dokdo = names.loc[names.claim == 830, "name"].item()
    assert names.loc[names.claim == 830, "endclaim"].item() == 201799  # carry-forward, unused
    panel = dyad_years("cow", range(2000, 2004), directed=True, states=[732, 740], mry=False)
    out = add_icow_claims(panel).collect().filter(ccode1=740, ccode2=732).sort("year")
    assert out["icow_claim_names"].to_list() == [dokdo, dokdo, None, None]
    assert out["icow_claim"].to_list() == [1, 1, None, None]  # nothing after 2001 from it


def test_claim_names_list_each_name_once() -> None:
    panel = dyad_years("cow", [1845], directed=False, states=[2, 200], mry=False)
    names = add_icow_claims(panel).collect()["icow_claim_names"].item()
    assert names is not None
    parts = names.split("; ")
    assert len(parts) == len(set(parts))
