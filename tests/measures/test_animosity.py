"""Historical animosity: the composite, its components and their raw sources."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.errors import ParameterError
from allegiance.measures import compute
from allegiance.measures.animosity import animosity_index, saturate

DYADS = [(740, 732), (740, 710), (732, 710)]


@pytest.fixture(scope="module")
def three() -> pl.DataFrame:
    return compute("animosity", range(1950, 2019), dyads=DYADS)


def _row(frame: pl.DataFrame, a: int, b: int, year: int) -> dict[str, object]:
    rows = frame.filter(
        (pl.col("ccode1") == a) & (pl.col("ccode2") == b) & (pl.col("year") == year)
    )
    assert rows.height == 1
    return rows.row(0, named=True)


# --------------------------------------------------------------------------- hand cases


def test_saturate_hand_case() -> None:
    # 0/1 = 0, 1/2, 4/5
    assert saturate([0, 1, 4]).tolist() == [0.0, 0.5, 0.8]


def test_animosity_index_hand_case() -> None:
    # wars 0 -> 0; mids10 1 -> 1/2; mids25 4 -> 4/5; colonial 1; salience 12 -> 1
    # (0 + 0.5 + 0.8 + 1 + 1) / 5 = 3.3 / 5 = 0.66
    assert float(animosity_index(0, 1, 4, 1, 12)) == pytest.approx(0.66)


def test_animosity_index_missing_component_is_nan() -> None:
    assert np.isnan(animosity_index(1, np.nan, 1, 0, 0))


@given(
    st.integers(0, 20), st.integers(0, 10), st.integers(0, 25), st.integers(0, 1),
    st.integers(0, 12),
)  # fmt: skip
def test_animosity_index_bounded_and_monotone(w: int, m10: int, m25: int, k: int, s: int) -> None:
    base = float(animosity_index(w, m10, m25, k, s))
    assert 0.0 <= base < 1.0  # the saturated counts stay below 1
    assert float(animosity_index(w + 1, m10, m25, k, s)) > base


# --------------------------------------------------------------------------- real data


def test_dokdo_claim_830_salience(raw_dir: Path, three: pl.DataFrame) -> None:
    raw = pl.read_csv(raw_dir / "icow_claims" / "ICOWprovyr101.csv", infer_schema_length=0)
    raw = raw.select(pl.col(c).cast(pl.Int64) for c in ("claim", "chal", "tgt", "year", "icowsal"))
    dokdo = raw.filter(pl.col("claim") == 830)
    assert set(dokdo["chal"]) | set(dokdo["tgt"]) == {732, 740}
    for year in (1965, 1990, 2001):
        expected = dokdo.filter(pl.col("year") == year)["icowsal"].max()
        row = _row(three, 740, 732, year)
        assert row["claim_active"] == 1
        assert row["claim_salience"] == expected
        assert row["claim_carried"] == 0
    carried = _row(three, 740, 732, 2010)  # after ICOW's last year: carried forward
    assert carried["claim_salience"] == dokdo.filter(pl.col("year") == 2001)["icowsal"].max()
    assert carried["claim_carried"] == 1


def test_wars_opposite_match_raw_cow(raw_dir: Path, three: pl.DataFrame) -> None:
    pyreadr = pytest.importorskip("pyreadr")
    raw = pl.from_pandas(
        pyreadr.read_r(str(raw_dir / "peacesciencer" / "cow_war_inter.rda"))["cow_war_inter"]
    )
    for a, b in DYADS:
        wars = raw.filter(
            (pl.col("ccode1") == a) & (pl.col("ccode2") == b) & (pl.col("year") <= 1965)
        )["warnum"].n_unique()
        assert _row(three, a, b, 1965)["wars_opposite"] == wars
    assert _row(three, 732, 710, 1965)["wars_opposite"] >= 1  # the Korean War


def test_mids_windows_match_raw_gml(raw_dir: Path, three: pl.DataFrame) -> None:
    pyreadr = pytest.importorskip("pyreadr")
    raw = pl.from_pandas(
        pyreadr.read_r(str(raw_dir / "peacesciencer" / "gml_mid_ddydisps.rda"))["gml_mid_ddydisps"]
    )
    onsets = raw.filter(
        (pl.col("ccode1") == 710) & (pl.col("ccode2") == 740) & (pl.col("gmlmidonset") == 1)
    )
    onset_years = set(onsets["year"].cast(pl.Int64).to_list())
    assert onset_years, "GML lists China-Japan dispute onsets"
    for year in (1970, 1996, 2005, 2010):
        row = _row(three, 740, 710, year)
        assert row["mids_10y"] == len({y for y in onset_years if year - 9 <= y <= year})
        assert row["mids_25y"] == len({y for y in onset_years if year - 24 <= y <= year})
    assert _row(three, 740, 710, 2011)["mids_10y"] is None  # GML ends in 2010


def test_dispute_years_count_every_year_a_dispute_was_under_way(raw_dir: Path) -> None:
    """Thailand-Vietnam (800, 816) had disputes lasting more than a year: the dispute-year
    windows count every year with one under way (GML ``gmlmidongoing``), the onset windows
    only the years one began, and the index uses the dispute years."""
    pyreadr = pytest.importorskip("pyreadr")
    raw = pl.from_pandas(
        pyreadr.read_r(str(raw_dir / "peacesciencer" / "gml_mid_ddydisps.rda"))["gml_mid_ddydisps"]
    ).filter((pl.col("ccode1") == 800) & (pl.col("ccode2") == 816))
    ongoing = set(raw.filter(pl.col("gmlmidongoing") == 1)["year"].cast(pl.Int64).to_list())
    onsets = set(raw.filter(pl.col("gmlmidonset") == 1)["year"].cast(pl.Int64).to_list())
    got = compute("animosity", range(1990, 1991), dyads=[(800, 816)])
    row = got.row(0, named=True)
    for n in (10, 25):
        assert row[f"mid_years_{n}y"] == len({y for y in ongoing if 1990 - n < y <= 1990})
        assert row[f"mids_{n}y"] == len({y for y in onsets if 1990 - n < y <= 1990})
    assert row["mid_years_25y"] > row["mids_25y"]  # some dispute lasted into a second year
    expected = animosity_index(row["wars_opposite"], row["mid_years_10y"], row["mid_years_25y"],
                               row["colonial"], row["claim_salience"])  # fmt: skip
    assert row["animosity"] == pytest.approx(float(expected))
    old = compute("animosity", range(1990, 1991), dyads=[(800, 816)], disputes="onsets")
    by_onsets = animosity_index(row["wars_opposite"], row["mids_10y"], row["mids_25y"],
                                row["colonial"], row["claim_salience"])  # fmt: skip
    assert old["animosity"].item() == pytest.approx(float(by_onsets))


def test_war_count_carried_past_the_war_data_is_flagged(three: pl.DataFrame) -> None:
    from allegiance.data import catalog

    last = catalog.get("cow_war_inter").years[1]
    assert _row(three, 732, 710, last)["wars_carried"] == 0
    assert _row(three, 732, 710, last + 1)["wars_carried"] == 1
    assert (
        _row(three, 732, 710, last + 1)["wars_opposite"]
        == _row(three, 732, 710, last)["wars_opposite"]
    )


def test_colonial_japan_korea(three: pl.DataFrame) -> None:
    assert _row(three, 740, 732, 1990)["colonial"] == 1
    assert _row(three, 740, 710, 1990)["colonial"] == 0


def test_symmetric_and_bounded(three: pl.DataFrame) -> None:
    flipped = compute("animosity", range(1950, 2019), dyads=[(b, a) for a, b in DYADS])
    back = flipped.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).select(three.columns)
    assert back.sort("ccode1", "ccode2", "year").equals(three.sort("ccode1", "ccode2", "year"))
    assert three["animosity"].drop_nulls().is_between(0, 1).all()


def test_claims_after_null_and_cow_source() -> None:
    got = compute("animosity", range(2000, 2015), dyads=[(740, 732)], claims_after="null",
                  source="cow")  # fmt: skip
    late = got.filter(pl.col("year") > 2001)
    assert late["claim_salience"].null_count() == late.height
    assert late["animosity"].null_count() == late.height
    assert got.filter(pl.col("year") == 2000)["animosity"].item() is not None


# --------------------------------------------------------------------------- errors and CLI


def test_bad_option_and_years() -> None:
    with pytest.raises(ParameterError, match=r"'claims_after' option of measure 'animosity'"):
        compute("animosity", range(2000, 2001), dyads=[(740, 732)], claims_after="keep")
    with pytest.raises(ParameterError, match=r"needs years within 1816-2010 \(GML MIDs\)"):
        compute("animosity", range(2012, 2019), dyads=[(740, 732)])


def test_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "a.csv"
    ok = runner.invoke(
        app, ["measure", "animosity", "--years", "1990-1991", "--dyads", "732-740",
              "--out", str(out)],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    assert "animosity" in pl.read_csv(out).columns
    bad = runner.invoke(
        app, ["measure", "animosity", "--years", "1990-1991", "--dyads", "732-740",
              "-o", "source=icb", "--out", str(out)],
    )  # fmt: skip
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: The 'source' option of measure 'animosity'")
    assert bad.stderr.count("\n") == 1
