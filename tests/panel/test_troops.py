"""add_us_troops: values checked against the raw legacy troopdata file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from allegiance.errors import PanelUnitError
from allegiance.panel.base import Panel
from allegiance.panel.troops import add_us_troops


def _raw(raw_dir: Path) -> pl.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    frame = pyreadr.read_r(str(raw_dir / "troopdata" / "troopdata_legacy_v0.rda"))["troopdata"]
    return pl.from_pandas(frame).select(
        pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int32), pl.col("troops")
    )


def _raw_value(raw: pl.DataFrame, ccode: int, year: int) -> int:
    row = raw.filter((pl.col("ccode") == ccode) & (pl.col("year") == year))
    assert row.height == 1
    return int(row["troops"][0])


def _states(rows: list[tuple[int, int]], system: str = "cow") -> Panel:
    code = "ccode" if system == "cow" else "gwcode"
    frame = pl.LazyFrame(rows, schema={code: pl.Int32, "year": pl.Int16}, orient="row")
    return Panel(frame=frame, unit="state_year", system=system)  # type: ignore[arg-type]


def _dyads(rows: list[tuple[int, int, int]]) -> Panel:
    schema = {"ccode1": pl.Int32, "ccode2": pl.Int32, "year": pl.Int16}
    frame = pl.LazyFrame(rows, schema=schema, orient="row")
    return Panel(frame=frame, unit="dyad_year", system="cow", directed=True)


YEARS = [1965, 1977, 2000, 2012]


@pytest.mark.parametrize("ccode", [732, 740, 2, 710])
def test_state_values_equal_raw(raw_dir: Path, ccode: int) -> None:
    raw = _raw(raw_dir)
    out = _states([(ccode, y) for y in YEARS]).pipe(add_us_troops).collect()
    assert out["us_troops"].to_list() == [_raw_value(raw, ccode, y) for y in YEARS]


def test_rok_japan_hand_values(raw_dir: Path) -> None:
    # read off the raw file by hand: ROK 1965 58,636; Japan 1977 46,237
    out = _states([(732, 1965), (740, 1977)]).pipe(add_us_troops).collect()
    assert out["us_troops"].to_list() == [58636, 46237]


def test_dyads_get_each_side(raw_dir: Path) -> None:
    raw = _raw(raw_dir)
    rows = [(740, 732, y) for y in YEARS] + [(732, 740, y) for y in YEARS]
    out = _dyads(rows).pipe(add_us_troops).collect()
    assert out.height == len(rows)
    for r in out.iter_rows(named=True):
        assert r["us_troops1"] == _raw_value(raw, r["ccode1"], r["year"])
        assert r["us_troops2"] == _raw_value(raw, r["ccode2"], r["year"])


def test_germany_split(raw_dir: Path) -> None:
    raw = _raw(raw_dir)
    rows = [(260, 1965), (260, 1989), (255, 2000), (265, 1980)]
    out = _states(rows).pipe(add_us_troops).collect()
    assert out["us_troops"].to_list() == [_raw_value(raw, c, y) for c, y in rows]


def test_placeholder_codes_folded(raw_dir: Path) -> None:
    raw = _raw(raw_dir)
    # Taiwan 2021 is filed under 1012, Montenegro 2014 under 1010, South Sudan 2017 under 1020
    cases = [(713, 1012, 2021), (341, 1010, 2014), (626, 1020, 2017)]
    out = _states([(c, y) for c, _, y in cases]).pipe(add_us_troops).collect()
    expected = [_raw_value(raw, c, y) + _raw_value(raw, p, y) for c, p, y in cases]
    assert out["us_troops"].to_list() == expected
    assert all(v > 0 for v in expected)


def test_null_outside_coverage(raw_dir: Path) -> None:
    raw = _raw(raw_dir)
    lo, hi = int(raw["year"].min()), int(raw["year"].max())  # type: ignore[arg-type]
    out = (
        _states([(740, lo - 1), (740, lo), (740, hi), (740, hi + 1)]).pipe(add_us_troops).collect()
    )
    values = out["us_troops"].to_list()
    assert values[0] is None and values[3] is None
    assert values[1] == _raw_value(raw, 740, lo) and values[2] == _raw_value(raw, 740, hi)


def test_zero_is_kept_not_null(raw_dir: Path) -> None:
    raw = _raw(raw_dir)
    assert _raw_value(raw, 731, 1990) == 0  # no US troops in North Korea
    out = _states([(731, 1990)]).pipe(add_us_troops).collect()
    assert out["us_troops"].to_list() == [0]


def test_rows_and_order_kept() -> None:
    rows = [(740, 2000), (2, 1999), (740, 2000), (999, 1990)]
    out = _states(rows).pipe(add_us_troops).collect()
    assert out.select("ccode", "year").rows() == rows


def test_gw_panel_refused() -> None:
    with pytest.raises(PanelUnitError, match=r"add_us_troops\(\) needs a panel of the COW"):
        add_us_troops(_states([(2, 2000)], system="gw"))
