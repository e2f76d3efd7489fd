"""Contracts every registered panel step honours, checked over random years and state subsets."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allegiance.panel import FAMILIES, dyad_years, state_years
from allegiance.panel.build import check_families

check_families([], "dyad_year")  # import every step module

#: Families whose source is symmetric in the dyad: A->B must equal B->A in a directed panel.
SYMMETRIC = {
    "contiguity",
    "min_distance",
    "cap_distance",
    "igos",
    "rivalries",
    "wars",
    "dca",
    "exercises",
    "claims",
    "gml_mids",
    "cow_mids",
    "mid_sides",
    "crises",
    "korea_trade",
    "diplomacy",
}
DYAD_FAMILIES = sorted(
    n for n, f in FAMILIES.items() if "dyad_year" in f.units and n != "peace_years"
)
STATE_FAMILIES = sorted(
    n for n, f in FAMILIES.items() if "state_year" in f.units and n != "peace_years"
)
POOL = [
    2,
    20,
    200,
    220,
    255,
    260,
    265,
    365,
    630,
    645,
    666,
    700,
    710,
    731,
    732,
    740,
    750,
    770,
    816,
    900,
]

years = st.integers(1946, 2016).flatmap(
    lambda a: st.tuples(st.just(a), st.integers(a, min(a + 8, 2016)))
)
subsets = st.lists(st.sampled_from(POOL), min_size=2, max_size=8, unique=True)
SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("family", DYAD_FAMILIES)
@SETTINGS
@given(span=years, states=subsets)
def test_dyad_step_keeps_rows(family: str, span: tuple[int, int], states: list[int]) -> None:
    panel = dyad_years(years=range(span[0], span[1] + 1), directed=True, states=states)
    before = panel.collect()
    after = FAMILIES[family].step(panel).collect()
    assert after.height == before.height
    assert after.select(before.columns).equals(before)


@pytest.mark.parametrize("family", STATE_FAMILIES)
@SETTINGS
@given(span=years, states=subsets)
def test_state_step_keeps_rows(family: str, span: tuple[int, int], states: list[int]) -> None:
    panel = state_years(years=range(span[0], span[1] + 1), states=states)
    before = panel.collect()
    after = FAMILIES[family].step(panel).collect()
    assert after.select(before.columns).equals(before)


def _swap(frame: pl.DataFrame) -> pl.DataFrame:
    """Swap the roles of the two states: ccode1 <-> ccode2 and every x1 <-> x2 column."""
    names = {}
    for col in frame.columns:
        if col.endswith("1") and col[:-1] + "2" in frame.columns:
            names[col], names[col[:-1] + "2"] = col[:-1] + "2", col
    return frame.rename(names).select(frame.columns)


@pytest.mark.parametrize("family", sorted(SYMMETRIC & set(DYAD_FAMILIES)))
@SETTINGS
@given(span=years, states=subsets)
def test_symmetric_sources_give_symmetric_panels(
    family: str, span: tuple[int, int], states: list[int]
) -> None:
    panel = dyad_years(years=range(span[0], span[1] + 1), directed=True, states=states)
    out = FAMILIES[family].step(panel).collect()
    keys = ["ccode1", "ccode2", "year"]
    assert _swap(out).sort(keys).equals(out.sort(keys))
