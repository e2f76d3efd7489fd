"""add_atop_alliance(): ATOP v5.1 pledges as peacesciencer codes them, checked on the raw file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.alliances import PLEDGES, add_atop_alliance
from allegiance.panel.base import Panel


@cache
def _atop(raw: Path) -> pd.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    return pyreadr.read_r(str(raw / "peacesciencer" / "atop_alliance.rda"))["atop_alliance"]


@cache
def _index(raw: Path) -> dict[tuple[int, int, int], list[int]]:
    df = _atop(raw)
    keys = zip(df.ccode1.astype(int), df.ccode2.astype(int), df.year.astype(int), strict=True)
    values = df[list(PLEDGES)].astype(int).to_numpy().tolist()
    return dict(zip(keys, values, strict=True))


def _expected(raw: Path, a: int, b: int, year: int) -> list[int | None]:
    """The raw directed record a->b, 0 for no record inside ATOP's years, None outside them."""
    df = _atop(raw)
    if not df["year"].min() <= year <= df["year"].max():
        return [None] * len(PLEDGES)
    return list(_index(raw).get((a, b, year), [0] * len(PLEDGES)))


def _row(panel: Panel, a: int, b: int, year: int) -> dict[str, int | None]:
    out = panel.frame.filter(
        (pl.col("ccode1") == a) & (pl.col("ccode2") == b) & (pl.col("year") == year)
    ).collect()
    assert out.height == 1
    return out.row(0, named=True)


@pytest.fixture(scope="module")
def directed() -> Panel:
    states = [2, 211, 220, 255, 260, 265, 365, 710, 731, 732, 740]
    return dyad_years("cow", range(1830, 2017), states=states, mry=False).pipe(add_atop_alliance)


@pytest.mark.parametrize(
    "a, b, year",
    [
        (740, 732, 1965),
        (740, 732, 1977),
        (740, 732, 2000),
        (740, 732, 2012),
        (732, 740, 2012),
        (2, 740, 1965),
        (740, 2, 2000),
        (2, 732, 1977),
        (710, 731, 1965),
        (731, 710, 2000),
        (365, 731, 1970),
        (211, 220, 1832),
        (220, 211, 1832),
        (260, 265, 1975),
        (255, 365, 1939),
        (2, 260, 1960),
        (2, 255, 1995),
    ],
)
def test_directed_pledges_match_raw(
    raw_dir: Path, directed: Panel, a: int, b: int, year: int
) -> None:
    row = _row(directed, a, b, year)
    expected = _expected(raw_dir, a, b, year)
    assert [row[p] for p in PLEDGES] == expected
    assert row["atop_anypledge"] == max(expected)  # type: ignore[type-var]
    assert row["atop_alliance"] == int((a, b, year) in _index(raw_dir))


def test_undirected_any_takes_either_direction(raw_dir: Path) -> None:
    # France (220) pledged to defend Belgium (211) in 1832; Belgium made no pledge to France.
    assert _expected(raw_dir, 211, 220, 1832)[0] == 0
    assert _expected(raw_dir, 220, 211, 1832)[0] == 1
    base = dyad_years("cow", [1832], directed=False, states=[211, 220], mry=False)
    assert _row(base.pipe(add_atop_alliance), 211, 220, 1832)["atop_defense"] == 1
    strict = base.pipe(add_atop_alliance, ndir="strict")
    assert _row(strict, 211, 220, 1832)["atop_defense"] == 0


def test_undirected_any_is_max_of_directions(raw_dir: Path) -> None:
    und = (
        dyad_years(
            "cow", [1965, 2000, 2012], directed=False, states=[2, 710, 731, 732, 740], mry=False
        )
        .pipe(add_atop_alliance)
        .collect()
    )
    for row in und.iter_rows(named=True):
        a, b, y = row["ccode1"], row["ccode2"], row["year"]
        both = zip(_expected(raw_dir, a, b, y), _expected(raw_dir, b, a, y), strict=True)
        assert [row[p] for p in PLEDGES] == [max(x, z) for x, z in both]  # type: ignore[type-var]


def test_rows_kept_and_no_nulls_inside_atop_years() -> None:
    base = dyad_years("cow", range(1990, 1994), directed=True, mry=False)
    out = base.pipe(add_atop_alliance).collect()
    assert out.select(base.keys).equals(base.collect())
    cols = pl.col(*PLEDGES, "atop_alliance", "atop_anypledge", "atop_bilateral")
    assert out.select(cols.null_count()).sum_horizontal().item() == 0


def test_null_outside_atop_years(raw_dir: Path) -> None:
    last = int(_atop(raw_dir)["year"].max())
    frame = pl.LazyFrame(
        {"ccode1": [2, 2], "ccode2": [740, 740], "year": [last, last + 1]},
        schema={"ccode1": pl.Int32, "ccode2": pl.Int32, "year": pl.Int16},
    )
    out = add_atop_alliance(Panel(frame, "dyad_year", "cow", directed=True)).collect()
    assert out["atop_defense"].to_list() == [_expected(raw_dir, 2, 740, last)[0], None]
    assert out["atop_alliance"][1] is None
    assert out["atop_anypledge"][1] is None


def test_bad_input() -> None:
    with pytest.raises(PanelUnitError, match="dyad-year"):
        add_atop_alliance(state_years("cow", [2000], mry=False))
    with pytest.raises(PanelUnitError, match="COW"):
        add_atop_alliance(dyad_years("gw", [2000], states=[2, 20], mry=False))
    with pytest.raises(ParameterError, match=r"'ndir' parameter of add_atop_alliance\(\)"):
        add_atop_alliance(dyad_years("cow", [2000], states=[2, 20], mry=False), ndir="both")  # type: ignore[arg-type]


# ---------------------------------------------------------------- atop_alliance (listed rows)


def test_atop_alliance_is_every_listed_row_and_anypledge_the_pledges(raw_dir: Path) -> None:
    """peacesciencer lists some directed rows with no pledge; atop_alliance keeps them."""
    atop = _atop(raw_dir)
    empty = atop[(atop[list(PLEDGES)].sum(axis=1) == 0)]
    empty = empty[empty.year.between(1816, 2016)]
    out = dyad_years("cow", range(1816, 2017), directed=True).pipe(add_atop_alliance).collect()
    differ = out.filter(pl.col("atop_alliance") != pl.col("atop_anypledge"))
    listed_empty = {(int(r.ccode1), int(r.ccode2), int(r.year)) for r in empty.itertuples()}
    got = set(differ.select("ccode1", "ccode2", "year").iter_rows())
    assert got <= listed_empty  # every difference is a listed row without a pledge
    assert differ.height == 159  # the count for this panel
    assert (differ["atop_alliance"] == 1).all() and (differ["atop_anypledge"] == 0).all()
    uk_germany = differ.filter((pl.col("ccode1") == 255) & (pl.col("ccode2") == 200))
    assert uk_germany["year"].min() == 1840 and uk_germany["year"].max() == 1936


def test_undirected_strict_uses_the_row_as_listed(raw_dir: Path) -> None:
    # France (220) -> Belgium (211) 1832 is listed; Belgium -> France too, with no pledge.
    listed = _index(raw_dir)
    assert (211, 220, 1832) in listed and (220, 211, 1832) in listed
    base = dyad_years("cow", [1832], directed=False, states=[211, 220], mry=False)
    strict = _row(base.pipe(add_atop_alliance, ndir="strict"), 211, 220, 1832)
    assert strict["atop_alliance"] == 1 and strict["atop_anypledge"] == 0


# ---------------------------------------------------------------- ATOP 4.01 treaties


@cache
def _members(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "atop4_levels" / "atop-member-level.csv")


@cache
def _alliances(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "atop4_levels" / "atop-alliance-level.csv")


def test_japan_rok_2004_treaty_is_multilateral(raw_dir: Path) -> None:
    members = _members(raw_dir)
    japan = set(members.loc[members.member == 740, "atopid"])
    rok = set(members.loc[members.member == 732, "atopid"])
    shared = japan & rok
    assert shared == {3755}  # the MANIFEST's note: the only id the two share
    alliance = _alliances(raw_dir).set_index("atopid").loc[3755]
    assert int(alliance.bilat) == 0 and int(alliance.nonagg) == 1
    entry = members[(members.atopid == 3755) & members.member.isin([732, 740])]
    assert sorted(entry.yrent.tolist()) == [2003, 2004]
    panel = dyad_years("cow", range(2002, 2007), directed=True, states=[732, 740], mry=False)
    out = panel.pipe(add_atop_alliance).collect().filter(ccode1=740, ccode2=732).sort("year")
    assert out["atop_ids"].to_list() == [None, None, "3755", "3755", "3755"]
    assert out["atop_bilateral"].to_list() == [0, 0, 0, 0, 0]
    assert out.filter(year=2004)["atop_nonagg"].item() == 1  # the ATOP 5.1 pledge it backs


def test_bilateral_pact_is_flagged(raw_dir: Path) -> None:
    alliances = _alliances(raw_dir)
    members = _members(raw_dir)
    usa_japan = set(members.loc[members.member == 2, "atopid"]) & set(
        members.loc[members.member == 740, "atopid"]
    )
    bilateral = alliances[alliances.atopid.isin(usa_japan) & (alliances.bilat == 1)]
    assert len(bilateral)  # the US and Japan share at least one bilateral ATOP 4.01 alliance
    first = int(bilateral.begyr.min())
    out = (
        dyad_years("cow", [first + 1], directed=False, states=[2, 740], mry=False)
        .pipe(add_atop_alliance)
        .collect()
    )
    assert out["atop_bilateral"].item() == 1
    assert str(int(bilateral.sort_values("begyr").atopid.iloc[0])) in out["atop_ids"].item()


def test_ongoing_membership_runs_to_the_last_year(raw_dir: Path) -> None:
    members = _members(raw_dir)
    last = int(max(members.yrent.max(), members.yrexit.max()))
    rows = members[(members.atopid == 3755) & members.member.isin([732, 740])]
    assert (rows.yrexit == 0).all()  # 0 = membership not ended
    frame = pl.LazyFrame(
        {"ccode1": [740, 740], "ccode2": [732, 732], "year": [last, last + 1]},
        schema={"ccode1": pl.Int32, "ccode2": pl.Int32, "year": pl.Int16},
    )
    out = add_atop_alliance(Panel(frame, "dyad_year", "cow", directed=True)).collect()
    assert out["atop_ids"].to_list() == ["3755", None]
    assert out["atop_bilateral"].to_list() == [0, None]


def test_treaty_columns_are_symmetric() -> None:
    panel = dyad_years("cow", range(1990, 2001), directed=True, states=[2, 200, 255, 365, 740, 732])
    out = panel.pipe(add_atop_alliance).collect()
    swapped = out.select(
        pl.col("ccode2").alias("ccode1"), pl.col("ccode1").alias("ccode2"), "year",
        pl.col("atop_ids").alias("ids_b"), pl.col("atop_bilateral").alias("bil_b"),
    )  # fmt: skip
    both = out.join(swapped, on=["ccode1", "ccode2", "year"])
    assert both.height == out.height
    assert both.filter(
        (pl.col("atop_bilateral") != pl.col("bil_b"))
        | (pl.col("atop_ids").fill_null("") != pl.col("ids_b").fill_null(""))
    ).is_empty()
