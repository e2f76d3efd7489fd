"""k-adic universes: US-Japan-ROK triads checked against the raw COW membership file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel.base import Panel
from allegiance.panel.cooperation import add_dca
from allegiance.panel.kadic import (
    MAX_STATES,
    add_pairwise,
    kadic_from_dyads,
    kadic_to_dyads,
    kadic_years,
)
from allegiance.panel.troops import add_us_troops

TRIAD = (2, 740, 732)


def _member_years(raw_dir: Path, ccode: int, lo: int, hi: int) -> set[int]:
    pyreadr = pytest.importorskip("pyreadr")
    states = pl.from_pandas(
        pyreadr.read_r(str(raw_dir / "peacesciencer" / "cow_states.rda"))["cow_states"]
    )
    spells = states.filter(pl.col("ccode") == ccode).select("styear", "endyear").rows()
    return {y for s, e in spells for y in range(int(s), int(e) + 1) if lo <= y <= hi}


def test_triad_years_are_joint_membership(raw_dir: Path) -> None:
    lo, hi = 1946, 2016  # inside the raw membership file (it ends in 2016)
    out = kadic_years([TRIAD], years=range(lo, hi + 1)).collect()
    expected = set.intersection(*(_member_years(raw_dir, c, lo, hi) for c in TRIAD))
    assert out["year"].to_list() == sorted(expected)
    assert 1950 not in expected and 1952 in expected  # Japan occupied 1945-1952
    assert out.select("ccode1", "ccode2", "ccode3").unique().rows() == [TRIAD]


def test_member_order_kept_and_names_resolved() -> None:
    out = kadic_years([("USA", "Japan", "South Korea"), TRIAD], years=[2000]).collect()
    assert out.rows() == [(2, 740, 732, 2000)]


def test_all_combinations_of_states() -> None:
    states = [732, 2, 740, 731, 710]
    out = kadic_years(states=states, years=[2000]).collect()
    assert out.height == 10  # C(5, 3)
    rows = out.select("ccode1", "ccode2", "ccode3").rows()
    assert rows == sorted(rows) and all(a < b < c for a, b, c in rows)
    four = kadic_years(k=4, states=states, years=[2000]).collect()
    assert four.height == 5 and four.columns == ["ccode1", "ccode2", "ccode3", "ccode4", "year"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"k": 2, "groups": [(2, 740)]}, r"'k' parameter of kadic_years\(\)"),
        ({"groups": [(2, 740)]}, r"groups of k=3 states"),
        ({"groups": [(2, 740, 2)]}, r"3 different states"),
        ({}, r"needs either 'groups' or 'states'"),
        ({"states": list(range(1, MAX_STATES + 2))}, r"at most 40 states"),
    ],
)
def test_bad_parameters(kwargs: dict[str, object], match: str) -> None:
    if "states" in kwargs:  # real COW codes so the size check, not the code check, fires
        from allegiance.data import bundle

        codes = bundle.load("cow_states")["ccode"].unique().sort().to_list()
        kwargs = {"states": codes[: MAX_STATES + 1]}
    with pytest.raises(ParameterError, match=match):
        kadic_years(**kwargs)  # type: ignore[arg-type]


def test_kadic_to_dyads_pairs() -> None:
    triad = kadic_years([TRIAD], years=range(2000, 2003))
    dyads = kadic_to_dyads(triad)
    assert dyads.unit == "dyad_year" and dyads.directed
    out = dyads.collect()
    assert out.height == 9
    assert out.filter(pl.col("year") == 2000).select("ccode1", "ccode2", "pair").rows() == [
        (2, 740, "12"),
        (2, 732, "13"),
        (740, 732, "23"),
    ]
    assert out["kadic_id"].unique().to_list() == ["2-740-732"]


def test_pairwise_dca_equals_dyad_step() -> None:
    triad = kadic_years([TRIAD], years=range(1990, 2003))
    out = add_pairwise(triad, add_dca).collect()
    assert out.height == 13
    dyads = kadic_to_dyads(triad).pipe(add_dca).collect()
    for pair in ("12", "13", "23"):
        expected = dyads.filter(pl.col("pair") == pair).sort("year")["dca_count"].to_list()
        assert out.sort("year")[f"dca_count_{pair}"].to_list() == expected
    # hand values from the raw DCAD file: Japan-ROK sector DCAs 1992-1998 and 1995-2001
    assert out.filter(pl.col("year") == 1996)["dca_count_23"].to_list() == [2]


def test_pairwise_state_attributes_per_member(raw_dir: Path) -> None:
    pyreadr = pytest.importorskip("pyreadr")
    raw = pl.from_pandas(
        pyreadr.read_r(str(raw_dir / "troopdata" / "troopdata_legacy_v0.rda"))["troopdata"]
    )
    triad = kadic_years([TRIAD], years=range(1977, 2013))  # a span: every year in between
    out = (
        triad.pipe(add_pairwise, add_us_troops).collect().filter(pl.col("year").is_in([1977, 2012]))
    )
    assert [c for c in out.columns if c.startswith("us_troops")] == [
        "us_troops1",
        "us_troops2",
        "us_troops3",
    ]
    for i, ccode in enumerate(TRIAD, start=1):
        expected = [
            int(raw.filter((pl.col("ccode") == ccode) & (pl.col("year") == y))["troops"][0])
            for y in (1977, 2012)
        ]
        assert out[f"us_troops{i}"].to_list() == expected


def test_kadic_from_dyads_errors() -> None:
    triad = kadic_years([TRIAD], years=[2000])
    plain = Panel(
        frame=pl.LazyFrame({"ccode1": [2], "ccode2": [740], "year": [2000]}),
        unit="dyad_year",
        system="cow",
        directed=True,
    )
    with pytest.raises(ParameterError, match="must come from kadic_to_dyads"):
        kadic_from_dyads(triad, plain)
    with pytest.raises(ParameterError, match="names columns the dyads do not have"):
        kadic_from_dyads(triad, kadic_to_dyads(triad), ["nope"])
    with pytest.raises(PanelUnitError, match=r"kadic_to_dyads\(\) needs a k-adic-year panel"):
        kadic_to_dyads(plain)
