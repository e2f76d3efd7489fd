"""Peace years: the ps_btscs() counting rule, on hand cases and on real dispute histories."""

from __future__ import annotations

import polars as pl
import pytest

from allegiance.data import bundle
from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.base import Panel
from allegiance.panel.disputes import add_cow_mids, add_gml_mids
from allegiance.panel.peace import add_peace_years


def btscs(events: list[int | None]) -> list[int | None]:
    """stevemisc's spells() loop (via ps_btscs), ported line by line; nulls skipped."""
    kept = [e for e in events if e is not None]
    tmp, run = [0] * len(kept), 0
    for j in range(1, len(kept)):
        if kept[j] == 0 and kept[j - 1] == 0:
            run += 1
            tmp[j] = run
        if kept[j] != 0 and kept[j - 1] == 0:
            tmp[j] = run + 1
            run = 0
        if kept[j] == 0 and kept[j - 1] != 0:
            run = 0
            tmp[j] = 0
    it = iter(tmp)
    return [None if e is None else next(it) for e in events]


def _panel(events: list[int | None], onsets: list[int | None] | None = None) -> Panel:
    n = len(events)
    frame = pl.LazyFrame(
        {
            "ccode1": [2] * n,
            "ccode2": [20] * n,
            "year": list(range(1900, 1900 + n)),
            "gmlmidonset": onsets or events,
            "gmlmidongoing": events,
        },
        schema_overrides={"gmlmidonset": pl.Int8, "gmlmidongoing": pl.Int8},
    )
    return Panel(frame, unit="dyad_year", system="cow")


@pytest.mark.parametrize(
    "events",
    [
        [0, 0, 1, 1, 0, 0, 0, 1, 0],
        [1, 1, 0, 1, 0],
        [0, 0, 0],
        [1, None, 0, 0, 1, 0, None, None],
    ],
)
def test_hand_cases_equal_btscs_loop(events: list[int | None]) -> None:
    got = add_peace_years(_panel(events)).collect()["gmlmidspell"].to_list()
    assert got == btscs(events)


def test_hand_case_by_hand() -> None:
    # quiet, quiet, dispute, dispute (ongoing), quiet, quiet
    got = add_peace_years(_panel([0, 0, 1, 1, 0, 0])).collect()["gmlmidspell"].to_list()
    assert got == [0, 1, 2, 0, 0, 1]


def test_onset_counts_from_onsets_only() -> None:
    panel = _panel([0, 1, 1, 1, 0], onsets=[0, 1, 0, 0, 0])
    got = add_peace_years(panel, event="onset").collect()["gmlmidspell"].to_list()
    assert got == [0, 1, 0, 1, 2]


def test_rows_out_of_order_keep_their_order() -> None:
    frame = _panel([0, 1, 0, 0]).frame.reverse()
    got = add_peace_years(Panel(frame, unit="dyad_year", system="cow")).collect()
    assert got["year"].to_list() == [1903, 1902, 1901, 1900]
    assert got["gmlmidspell"].to_list() == [1, 0, 1, 0]


@pytest.mark.skipif(
    "gml_mid_ddydisps" not in bundle.provenance()["tables"], reason="the bundle has not been built"
)
def test_real_dyads_with_german_gap_and_symmetry() -> None:
    panel = (
        dyad_years(
            "cow", range(1900, 2011), directed=True, states=[2, 255, 710, 731, 740], mry=False
        )
        .pipe(add_gml_mids, keep=())
        .pipe(add_cow_mids, keep=())
        .pipe(add_peace_years)
    )
    got = panel.collect().sort("ccode1", "ccode2", "year")
    for (a, b), rows in got.group_by(["ccode1", "ccode2"]):
        for event, spell in (("gmlmidongoing", "gmlmidspell"), ("cowmidongoing", "cowmidspell")):
            assert rows[spell].to_list() == btscs(rows[event].to_list()), (a, b, spell)
    us_ger = got.filter(pl.col("ccode1") == 2, pl.col("ccode2") == 255)
    assert 1946 not in us_ger["year"].to_list()  # Germany out of the system 1946-1989
    flipped = got.select(
        pl.col("ccode2").alias("ccode1"),
        pl.col("ccode1").alias("ccode2"),
        "year",
        pl.col("gmlmidspell").alias("back"),
    )
    both = got.join(flipped, on=["ccode1", "ccode2", "year"])
    assert both.height == got.height and (both["gmlmidspell"] == both["back"]).all()


@pytest.mark.skipif(
    "gml_part" not in bundle.provenance()["tables"], reason="the bundle has not been built"
)
def test_state_years_get_both_spells() -> None:
    got = (
        state_years("cow", range(1990, 2016), states=[2], mry=False)
        .pipe(add_gml_mids)
        .pipe(add_peace_years)
        .collect()
    )
    assert got["gmlmidspell"].to_list() == btscs(got["gmlmidongoing"].to_list())
    assert got["gmlmidinitspell"].to_list() == btscs(got["gmlmidongoing_init"].to_list())


def test_errors() -> None:
    bare = Panel(
        pl.LazyFrame({"ccode1": [2], "ccode2": [20], "year": [1900]}),
        unit="dyad_year",
        system="cow",
    )
    with pytest.raises(PanelUnitError, match=r"add_peace_years\(\) needs dispute indicators"):
        add_peace_years(bare)
    with pytest.raises(ParameterError, match=r"'event' parameter of add_peace_years\(\)"):
        add_peace_years(_panel([0, 1]), event="start")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="already has"):
        add_peace_years(_panel([0, 1])).pipe(add_peace_years)
