"""add_icow_colonial: values checked against the raw ICOW Colonial History file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from allegiance.errors import PanelUnitError
from allegiance.panel.base import Panel
from allegiance.panel.colonial import add_icow_colonial


@pytest.fixture(scope="module")
def col(raw_dir: Path) -> pl.DataFrame:
    return pl.read_csv(raw_dir / "icow_colonial" / "coldata110_orig.csv", infer_schema_length=None)


def _dyads(rows: list[tuple[int, int, int]], system: str = "cow") -> Panel:
    code = "ccode" if system == "cow" else "gwcode"
    schema = {f"{code}1": pl.Int32, f"{code}2": pl.Int32, "year": pl.Int16}
    frame = pl.LazyFrame(rows, schema=schema, orient="row")
    return Panel(frame=frame, unit="dyad_year", system=system, directed=True)  # type: ignore[arg-type]


def _field(col: pl.DataFrame, state: int, name: str) -> int:
    return int(col.filter(pl.col("State") == state)[name][0])


PAIRS = [(740, 732), (732, 740), (740, 731), (2, 740), (2, 200), (2, 840), (770, 771), (710, 731)]


def test_pair_flags_equal_raw(col: pl.DataFrame) -> None:
    out = _dyads([(a, b, 2000) for a, b in PAIRS]).pipe(add_icow_colonial).collect()
    for row in out.iter_rows(named=True):
        a, b = row["ccode1"], row["ccode2"]
        ruled = _field(col, a, "ColRuler") == b or _field(col, b, "ColRuler") == a
        indep = _field(col, a, "IndFrom") == b or _field(col, b, "IndFrom") == a
        assert row["icow_colonial"] == int(ruled), row
        assert row["icow_indep"] == int(indep), row


def test_hand_values(col: pl.DataFrame) -> None:
    # Japan ruled Korea; ROK's independence is coded from Korea (730), not Japan
    assert _field(col, 732, "ColRuler") == 740 and _field(col, 732, "IndFrom") == 730
    out = (
        _dyads([(740, 732, 1965), (2, 840, 1965), (2, 740, 1965)]).pipe(add_icow_colonial).collect()
    )
    assert out["icow_colonial"].to_list() == [1, 0, 0]
    assert out["icow_indep"].to_list() == [0, 1, 0]


def test_state_attributes(col: pl.DataFrame) -> None:
    frame = pl.LazyFrame({"ccode": [732, 740, 2], "year": [1977, 1977, 2012]}).cast(
        {"ccode": pl.Int32, "year": pl.Int16}
    )
    out = Panel(frame=frame, unit="state_year", system="cow").pipe(add_icow_colonial).collect()
    assert out["icow_colruler"].to_list() == [740, None, _field(col, 2, "ColRuler")]
    assert out["icow_indyear"].to_list() == [
        _field(col, s, "IndDate") // 100 for s in (732, 740, 2)
    ]


def test_dyad_state_columns_follow_sides(col: pl.DataFrame) -> None:
    out = _dyads([(732, 740, 1990)]).pipe(add_icow_colonial).collect()
    assert out["icow_colruler1"].to_list() == [740]
    assert out["icow_colruler2"].to_list() == [None]
    assert out["icow_indyear2"].to_list() == [_field(col, 740, "IndDate") // 100]


def test_time_invariant_symmetric_rows_kept() -> None:
    rows = [(a, b, y) for a, b in PAIRS for y in (1950, 2010)] + [(999, 2, 2000)]
    out = _dyads(rows).pipe(add_icow_colonial).collect()
    assert out.select("ccode1", "ccode2", "year").rows() == rows
    flags = out.group_by("ccode1", "ccode2").agg(pl.col("icow_colonial").n_unique())
    assert flags["icow_colonial"].max() == 1
    assert out.filter(pl.col("ccode1") == 999)["icow_colonial"].to_list() == [None]
    both = out.filter(pl.col("year") == 1950).select(
        "ccode1", "ccode2", "icow_colonial", "icow_indep"
    )
    flipped = both.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).select(both.columns)
    keys = ["ccode1", "ccode2"]
    assert (
        both.join(flipped, on=keys, how="inner")
        .filter(
            (pl.col("icow_colonial") != pl.col("icow_colonial_right"))
            | (pl.col("icow_indep") != pl.col("icow_indep_right"))
        )
        .height
        == 0
    )


def test_gw_panel_refused() -> None:
    with pytest.raises(PanelUnitError, match="COW system"):
        add_icow_colonial(_dyads([(740, 732, 2000)], system="gw"))
