"""The expected-cooperation design frame: the military-cooperation composite, the one-year lag
of the predictors and the shared-patron indicator, checked on hand-read rows of the bundle."""

from __future__ import annotations

import polars as pl
import pytest

from allegiance.data import bundle, catalog
from allegiance.inputs.expected import (
    _add_composite,
    _lag,
    design_frame,
    outcome_years,
    resolve_outcome,
    shared_patrons,
)
from allegiance.measures import compute

JAPAN, ROK, USA, SWITZERLAND = 740, 732, 2, 225


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    """Outcome years 1990-1992; predictors built from 1989 (one small frame for the module)."""
    return design_frame("military_cooperation", range(1990, 1993))


def _row(frame: pl.DataFrame, a: int, b: int, year: int) -> dict[str, object]:
    lo, hi = sorted((a, b))
    rows = frame.filter(pl.col("ccode1") == lo, pl.col("ccode2") == hi, pl.col("year") == year)
    assert rows.height == 1
    return rows.row(0, named=True)


def test_composite_years_are_those_every_component_covers() -> None:
    """1980-2010 is the overlap of ATOP, DCAD and MME as the catalog gives them."""
    spans = [catalog.get(k).years for k in ("dcad", "mme")]
    lo = max(s[0] for s in spans if s)
    hi = min(s[1] for s in spans if s)
    used = outcome_years(resolve_outcome("military_cooperation"), range(1946, 2015))
    assert used == range(lo, hi + 1) == range(1980, 2011)
    # the single outcome alone reaches further back
    assert outcome_years(resolve_outcome("atop_defense"), range(1946, 2015)).start == 1946


def test_composite_on_a_hand_checked_dyad(frame: pl.DataFrame) -> None:
    """Japan-ROK (bundle, panel families atop/dca/exercises): no defense pact in 1990-1992;
    a joint exercise in 1990, none in 1991; a DCA and an exercise in 1992."""
    y1990, y1991, y1992 = (_row(frame, JAPAN, ROK, y) for y in (1990, 1991, 1992))
    assert (y1990["atop_defense"], y1990["dca_any"], y1990["mme_any"]) == (0, 0, 1)
    assert y1990["military_cooperation"] == 1
    assert (y1991["atop_defense"], y1991["dca_any"], y1991["mme_any"]) == (0, 0, 0)
    assert y1991["military_cooperation"] == 0
    assert (y1992["dca_any"], y1992["mme_any"], y1992["military_cooperation"]) == (1, 1, 1)
    assert frame["military_cooperation"].null_count() == 0  # every year inside 1980-2010


def test_composite_is_null_unless_every_component_is_observed() -> None:
    values = {"atop_defense": [1, 0, 0, None], "dca_any": [0, 0, 1, 0], "mme_any": [None, 0, 0, 1]}
    toy = pl.DataFrame(values, schema_overrides=dict.fromkeys(values, pl.Int8))
    out = _add_composite(toy, resolve_outcome("military_cooperation"))
    assert out["military_cooperation"].to_list() == [None, 0, 1, None]


def test_predictors_are_those_of_the_year_before(frame: pl.DataFrame) -> None:
    """Year 1991's third_party_threat is the measure's 1990 value for the dyad, not 1991's;
    the outcome columns stay in their own year."""
    by_year = compute("third_party_threat", range(1990, 1992), dyads=[(ROK, JAPAN)],
                      dispute_source="cow").sort("year")  # fmt: skip
    t1990, t1991 = by_year["third_party_threat"].to_list()
    assert t1990 != pytest.approx(t1991)  # the check below can fail
    row = _row(frame, JAPAN, ROK, 1991)
    assert row["third_party_threat"] == pytest.approx(t1990)
    assert row["mme_any"] == 0 and _row(frame, JAPAN, ROK, 1990)["mme_any"] == 1
    assert frame["year"].min() == 1990  # the 1989 rows only feed the lag


def test_lag_is_by_dyad_and_year_with_gaps_left_null() -> None:
    toy = pl.DataFrame({"ccode1": [1, 1, 1, 2], "ccode2": [5, 5, 5, 5],
                        "year": [2000, 2001, 2003, 2001], "x": [10, 11, 13, 20]})  # fmt: skip
    out = _lag(toy, ["x"], 1)
    # 2001 takes 2000; 2003 has no 2002 row; the other dyad's 2001 has no 2000 row
    assert out["x"].to_list() == [None, 10, None, None]


def test_shared_patron_on_hand_checked_rows(frame: pl.DataFrame) -> None:
    """ATOP records US defense pacts with Japan and with the ROK in 1990, so the two share a
    patron (the 1991 row carries the 1990 value); Switzerland has no defense pact in 1990,
    so it shares none with Japan."""
    atop = bundle.scan("atop_alliance").filter(pl.col("year") == 1990, pl.col("atop_defense") == 1)
    pacts = atop.select("ccode1", "ccode2").collect().rows()
    assert (USA, JAPAN) in pacts or (JAPAN, USA) in pacts
    assert (USA, ROK) in pacts or (ROK, USA) in pacts
    assert not any(SWITZERLAND in p for p in pacts)
    row = _row(frame, JAPAN, ROK, 1991)
    assert row["shared_patron"] == 1 and str(USA) in str(row["shared_patron_codes"]).split(";")
    swiss = _row(frame, SWITZERLAND, JAPAN, 1991)
    assert swiss["shared_patron"] == 0 and swiss["shared_patron_codes"] is None


def test_shared_patrons_counts_each_common_ally_once() -> None:
    # 1-2, 1-3, 2-3 and 4-3: pairs (1,2) share 3, (1,3) share 2, (2,3) share 1, (1,4) and (2,4)
    # share 3; 4 and 3 share nobody (3 is one of the pair)
    pacts = pl.DataFrame({"ccode1": [1, 1, 2, 3], "ccode2": [2, 3, 3, 4], "year": [2000] * 4})
    out = shared_patrons(pacts)
    assert out.select("ccode1", "ccode2", "shared_patron_codes").rows() == [
        (1, 2, "3"), (1, 3, "2"), (1, 4, "3"), (2, 3, "1"), (2, 4, "3"),
    ]  # fmt: skip
