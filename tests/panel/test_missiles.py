"""add_missile_tests(): North Korean missile flight tests by state-year (CNS)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from allegiance.errors import PanelUnitError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.missiles import MISSILE_COLUMNS, add_missile_tests


@pytest.mark.raw
def test_counts_match_the_json(raw_dir: Path) -> None:
    data = json.loads((raw_dir / "nk_missile_tests/test.en.json").read_text(encoding="utf-8"))
    tests = [t for b in data["timeBins"] for t in b["data"]]
    per_year = Counter(int(t["date"][:4]) for t in tests)
    success = Counter(int(t["date"][:4]) for t in tests if t["outcome"] == "success")
    first, last = min(per_year), max(per_year)
    out = add_missile_tests(state_years(years=range(first, 2017), states=[731])).collect()
    for row in out.iter_rows(named=True):
        assert row["cns_tests"] == per_year.get(row["year"], 0)
        assert row["cns_tests_success"] == success.get(row["year"], 0)
    assert out.filter(year=1985)["cns_tests"].item() == 0  # inside the years, no test
    assert first == 1984 and last >= 2017


def test_only_north_korea_and_null_outside() -> None:
    out = add_missile_tests(state_years(years=range(1982, 1987), states=[731, 732, 740])).collect()
    others = out.filter(pl.col("ccode") != 731)
    assert others.select(pl.col(*MISSILE_COLUMNS).null_count()).sum_horizontal().item() == (
        others.height * len(MISSILE_COLUMNS)
    )
    assert out.filter(ccode=731, year=1983)["cns_tests"].item() is None
    assert out.filter(ccode=731, year=1984)["cns_tests"].item() == 6


def test_bad_input() -> None:
    with pytest.raises(PanelUnitError, match="state-year"):
        add_missile_tests(dyad_years(years=[2000], states=[731, 732]))
