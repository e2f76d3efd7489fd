"""add_dca and add_exercises: values checked against the raw DCAD and MME files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from allegiance.errors import PanelUnitError
from allegiance.panel.base import Panel
from allegiance.panel.cooperation import add_dca, add_exercises


def _dyads(rows: list[tuple[int, int, int]], system: str = "cow", directed: bool = True) -> Panel:
    code = "ccode" if system == "cow" else "gwcode"
    schema = {f"{code}1": pl.Int32, f"{code}2": pl.Int32, "year": pl.Int16}
    frame = pl.LazyFrame(rows, schema=schema, orient="row")
    return Panel(frame=frame, unit="dyad_year", system=system, directed=directed)  # type: ignore[arg-type]


def _states(rows: list[tuple[int, int]], system: str = "cow") -> Panel:
    code = "ccode" if system == "cow" else "gwcode"
    frame = pl.LazyFrame(rows, schema={code: pl.Int32, "year": pl.Int16}, orient="row")
    return Panel(frame=frame, unit="state_year", system=system)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- DCAD


@pytest.fixture(scope="module")
def dcad(raw_dir: Path) -> pl.DataFrame:
    return pl.read_csv(raw_dir / "dcad" / "DCAD-v1.0-main.csv", infer_schema_length=None)


def _dcad_expected(dcad: pl.DataFrame, a: int, b: int, year: int) -> dict[str, int]:
    """The documented rule applied to the raw rows: in force from signYear to endYearEstimate."""
    pair = dcad.filter(
        ((pl.col("ccode1") == a) & (pl.col("ccode2") == b))
        | ((pl.col("ccode1") == b) & (pl.col("ccode2") == a))
    )
    active = pair.filter((pl.col("signYear") <= year) & (pl.col("endYearEstimate") >= year))
    types = set(active["type"].to_list())
    return {
        "dca_any": int(active.height > 0),
        "dca_general": int("general" in types),
        "dca_sector": int("sector" in types),
        "dca_count": active.height,
        "dca_new": pair.filter(pl.col("signYear") == year).height,
    }


DCA_CASES = [(740, 732, y) for y in (1980, 1992, 1996, 2000, 2002, 2010)] + [
    (2, 740, 1983),
    (2, 740, 2000),
    (2, 732, 1988),
    (2, 732, 2009),
    (710, 731, 2000),
    (2, 255, 2004),
]


def test_dca_values_equal_raw_rule(dcad: pl.DataFrame) -> None:
    out = _dyads(DCA_CASES).pipe(add_dca).collect()
    for row in out.iter_rows(named=True):
        expected = _dcad_expected(dcad, row["ccode1"], row["ccode2"], row["year"])
        assert {k: row[k] for k in expected} == expected, row


def test_dca_japan_rok_hand_values(dcad: pl.DataFrame) -> None:
    # raw: Japan-ROK TREX 1992 (end estimate 1998) and COMMISSION 1995 (end estimate 2001)
    out = _dyads([(732, 740, 1996), (732, 740, 2001), (732, 740, 2002)]).pipe(add_dca).collect()
    assert out["dca_count"].to_list() == [2, 1, 0]
    assert out["dca_sector"].to_list() == [1, 1, 0]
    assert out["dca_general"].to_list() == [0, 0, 0]


def test_dca_null_outside_coverage(dcad: pl.DataFrame) -> None:
    lo, hi = int(dcad["signYear"].min()), int(dcad["signYear"].max())  # type: ignore[arg-type]
    out = _dyads([(2, 740, lo - 1), (2, 740, lo), (2, 740, hi), (2, 740, hi + 1)]).pipe(add_dca)
    frame = out.collect()
    assert frame["dca_any"].to_list()[0] is None and frame["dca_any"].to_list()[3] is None
    assert frame["dca_count"].null_count() == 2


def test_dca_symmetric_in_directed_panels() -> None:
    rows = [(a, b, y) for a, b in [(2, 732), (732, 740), (2, 740)] for y in range(1985, 2011, 5)]
    rows += [(b, a, y) for a, b, y in rows]
    out = _dyads(rows).pipe(add_dca).collect()
    flipped = out.rename({"ccode1": "ccode2", "ccode2": "ccode1"})
    keys = ["ccode1", "ccode2", "year"]
    assert out.sort(keys).equals(flipped.select(out.columns).sort(keys))


def test_dca_needs_cow_dyads() -> None:
    with pytest.raises(PanelUnitError, match=r"add_dca\(\) needs a dyad-year panel"):
        add_dca(_states([(2, 2000)]))
    with pytest.raises(PanelUnitError, match="COW system"):
        add_dca(_dyads([(2, 740, 2000)], system="gw"))


# --------------------------------------------------------------------------- MME


@pytest.fixture(scope="module")
def mme(raw_dir: Path) -> pl.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    frame = pyreadr.read_r(str(raw_dir / "troopdata" / "mme_long.rda"))["mme_long"]
    return pl.from_pandas(frame).select(
        pl.col("MMEID"), pl.col("gwcode").cast(pl.Int32), pl.col("year").cast(pl.Int32)
    )


def _exercises(mme: pl.DataFrame, gwcode: int, year: int) -> set[str]:
    rows = mme.filter((pl.col("gwcode") == gwcode) & (pl.col("year") == year))
    return set(rows["MMEID"].to_list())


MME_CASES = [(2, 740, 2000), (740, 732, 1999), (740, 732, 1993), (2, 732, 1988), (710, 731, 2005)]


def test_mme_joint_equals_raw(mme: pl.DataFrame) -> None:
    out = _dyads(MME_CASES).pipe(add_exercises).collect()  # COW and G-W codes agree here
    for row in out.iter_rows(named=True):
        a = _exercises(mme, row["ccode1"], row["year"])
        b = _exercises(mme, row["ccode2"], row["year"])
        assert row["mme_joint"] == len(a & b), row
        assert row["mme_any"] == int(bool(a & b))
        assert (row["mme_count1"], row["mme_count2"]) == (len(a), len(b))


def test_mme_japan_rok_hand_values() -> None:
    # raw: Japan and ROK share one exercise in 1999 and none in 1993
    out = _dyads([(732, 740, 1999), (732, 740, 1993)]).pipe(add_exercises).collect()
    assert out["mme_joint"].to_list() == [1, 0]
    assert out["mme_any"].to_list() == [1, 0]


def test_mme_gw_panel_uses_gw_codes(mme: pl.DataFrame) -> None:
    out = _dyads([(2, 740, 2000)], system="gw").pipe(add_exercises).collect()
    expected = _exercises(mme, 2, 2000) & _exercises(mme, 740, 2000)
    assert out["mme_joint"].to_list() == [len(expected)]


def test_mme_unified_germany_maps_to_cow_255(mme: pl.DataFrame) -> None:
    # MME codes unified Germany with G-W 260; the COW panel has it as 255
    out = _states([(255, 2004), (260, 1985)]).pipe(add_exercises).collect()
    assert out["mme_count"].to_list() == [
        len(_exercises(mme, 260, 2004)),
        len(_exercises(mme, 260, 1985)),
    ]


def test_mme_duplicate_participant_counts_once(mme: pl.DataFrame) -> None:
    # Poland is listed twice for exercise mme1691 (1998)
    poland = mme.filter((pl.col("gwcode") == 290) & (pl.col("year") == 1998))
    assert poland.height > poland["MMEID"].n_unique()
    out = _states([(290, 1998)]).pipe(add_exercises).collect()
    assert out["mme_count"].to_list() == [poland["MMEID"].n_unique()]


def test_mme_null_outside_and_zero_inside(mme: pl.DataFrame) -> None:
    lo, hi = int(mme["year"].min()), int(mme["year"].max())  # type: ignore[arg-type]
    out = _states([(731, lo - 1), (731, hi + 1), (2, hi)]).pipe(add_exercises).collect()
    assert out["mme_count"].to_list()[:2] == [None, None]
    assert out["mme_count"].to_list()[2] == len(_exercises(mme, 2, hi))
    dy = _dyads([(2, 731, lo), (2, 731, hi + 1)]).pipe(add_exercises).collect()
    assert dy["mme_joint"].to_list() == [
        len(_exercises(mme, 2, lo) & _exercises(mme, 731, lo)),
        None,
    ]
    assert dy["mme_any"].to_list()[1] is None


def test_mme_symmetric_and_rows_kept() -> None:
    rows = [(a, b, y) for a, b in [(2, 740), (740, 732), (2, 732)] for y in (1985, 1999, 2010)]
    rows += [(b, a, y) for a, b, y in rows] + [(2, 740, 1999)]
    out = _dyads(rows).pipe(add_exercises).collect()
    assert out.select("ccode1", "ccode2", "year").rows() == rows
    flipped = out.rename(
        {
            "ccode1": "ccode2",
            "ccode2": "ccode1",
            "mme_count1": "mme_count2",
            "mme_count2": "mme_count1",
        }
    )
    keys = ["ccode1", "ccode2", "year"]
    assert out.unique().sort(keys).equals(flipped.select(out.columns).unique().sort(keys))
