"""Shared threat: common rivals, common dispute opponents and third-party threat."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.errors import ParameterError
from allegiance.measures import compute
from allegiance.measures.threat import distance_decay, threat_contributions
from allegiance.panel.networks import common_thirds, window_edges

DYADS = [(740, 732), (740, 710), (732, 710)]


def _edges(pairs: list[tuple[int, int, int]]) -> pl.DataFrame:
    """Both directions of each (a, b, year) link."""
    rows = [*pairs, *[(b, a, y) for a, b, y in pairs]]
    return pl.DataFrame(rows, schema=["ccode1", "ccode2", "year"], orient="row")


# --------------------------------------------------------------------------- hand cases


def test_distance_decay_hand_case() -> None:
    # exp(-0/500) = 1, exp(-500/500) = e**-1, exp(-1000/500) = e**-2
    got = distance_decay([0.0, 500.0, 1000.0], 500.0)
    assert got == pytest.approx([1.0, math.exp(-1), math.exp(-2)])


def test_threat_contributions_hand_case() -> None:
    # C1: cinc 0.1, 1000 km from A and B: g = e**-1 both; rival of both (r = 0.5), dispute
    #     with A (m = 2): 0.1 * e**-1 * (1 + 0.5 * 2 + 2 * 1) = 0.1 * 0.367879 * 4 = 0.147152
    # C2: cinc 0.3, 0 and 2000 km: g = (1 + e**-2) / 2 = 0.567668, no hostility: 0.170300
    got = threat_contributions(
        np.array([0.1, 0.3]),
        np.array([1000.0, 0.0]),
        np.array([1000.0, 2000.0]),
        np.array([1, 0]),
        np.array([1, 0]),
        np.array([1, 0]),
        np.array([0, 0]),
        lambda_km=1000.0,
        rivalry_weight=0.5,
        dispute_weight=2.0,
    )
    assert got == pytest.approx([0.1 * math.exp(-1) * 4, 0.3 * (1 + math.exp(-2)) / 2])


def test_threat_missing_cinc_or_distance_contributes_zero() -> None:
    got = threat_contributions([np.nan, 0.2], [0.0, np.nan], [0.0, np.nan], 0, 0, 0, 0)
    assert got.tolist() == [0.0, 0.0]


def test_common_thirds_hand_case() -> None:
    # 9 is linked to 1 and 2; 8 only to 1; the link 1-2 itself does not count; 7 is linked
    # to both but in another year.
    edges = _edges([(1, 9, 2000), (2, 9, 2000), (1, 8, 2000), (1, 2, 2000), (1, 7, 1999),
                    (2, 7, 1999), (3, 9, 2000), (3, 8, 2000)])  # fmt: skip
    dyads = pl.DataFrame({"ccode1": [1, 2, 1], "ccode2": [2, 1, 3], "year": [2000] * 3})
    got = common_thirds(dyads, edges)
    assert got.rows() == [(1, 2, 2000, 1, "9"), (2, 1, 2000, 1, "9"), (1, 3, 2000, 2, "8;9")]


def test_window_edges_covers_k_years() -> None:
    # a link in 1990 counts in 1990..1992 for k = 3
    got = window_edges(_edges([(1, 2, 1990)]), 3)
    assert sorted(got.filter(pl.col("ccode1") == 1)["year"].to_list()) == [1990, 1991, 1992]


# --------------------------------------------------------------------------- properties

weights = st.floats(0, 5, allow_nan=False)
share = st.floats(0, 1, allow_nan=False)
km = st.floats(0, 20000, allow_nan=False)
flag = st.integers(0, 1)


@given(share, km, km, flag, flag, flag, flag, st.floats(1, 5000), weights, weights)
def test_threat_symmetric_nonnegative(
    c: float, da: float, db: float, ra: int, rb: int, ma: int, mb: int, lam: float, r: float,
    m: float,
) -> None:  # fmt: skip
    kw = {"lambda_km": lam, "rivalry_weight": r, "dispute_weight": m}
    ab = threat_contributions(c, da, db, ra, rb, ma, mb, **kw)
    ba = threat_contributions(c, db, da, rb, ra, mb, ma, **kw)
    assert ab == pytest.approx(ba)
    assert 0.0 <= ab <= c * (1 + 2 * r + 2 * m) + 1e-12


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 6)), max_size=15))
def test_common_thirds_symmetric(links: list[tuple[int, int]]) -> None:
    edges = _edges([(a, b, 2000) for a, b in links if a != b])
    dyads = pl.DataFrame({"ccode1": [1, 2], "ccode2": [2, 1], "year": [2000, 2000]})
    got = common_thirds(dyads, edges)
    assert got["n"][0] == got["n"][1] and got["thirds"][0] == got["thirds"][1]


# --------------------------------------------------------------------------- real data


def test_common_opponents_match_raw_gml(raw_dir: Path) -> None:
    pyreadr = pytest.importorskip("pyreadr")
    raw = pl.from_pandas(
        pyreadr.read_r(str(raw_dir / "peacesciencer" / "gml_mid_ddydisps.rda"))["gml_mid_ddydisps"]
    )
    ongoing = raw.filter(pl.col("gmlmidongoing") == 1)

    def opponents(state: int, first: int, last: int) -> set[int]:
        rows = ongoing.filter(pl.col("year").is_between(first, last))
        return set(rows.filter(pl.col("ccode1") == state)["ccode2"].cast(pl.Int64).to_list()) | set(
            rows.filter(pl.col("ccode2") == state)["ccode1"].cast(pl.Int64).to_list()
        )

    got = compute("common_opponents", range(2000, 2001), dyads=[(740, 732)], k=10)
    expected = (opponents(740, 1991, 2000) & opponents(732, 1991, 2000)) - {740, 732}
    assert got["common_opponents"].item() == len(expected) > 0
    assert got["common_opponents_list"].item() == ";".join(map(str, sorted(expected)))


def test_common_rivals_tss_china_japan_rival() -> None:
    # TSS lists China-Japan 2 (1996-2020) and China-Taiwan (1949-2020): Taiwan (713) and
    # Japan (740) share the rival China (710) in 2000.
    got = compute("common_rivals", range(2000, 2001), dyads=[(740, 713)])
    assert got["common_rivals_list"].item().split(";").count("710") == 1


def test_real_measures_symmetric_and_null_after_sources() -> None:
    for name in ("common_rivals", "common_opponents", "third_party_threat"):
        a = compute(name, range(2005, 2013), dyads=[(740, 732)])
        b = compute(name, range(2005, 2013), dyads=[(732, 740)])
        assert a.drop("ccode1", "ccode2").equals(b.drop("ccode1", "ccode2")), name
    late = compute("common_opponents", range(2009, 2013), dyads=[(740, 732)])
    assert late["common_opponents"].null_count() == 2  # GML ends in 2010


def test_third_party_threat_top_share_bounds() -> None:
    got = compute("third_party_threat", range(1990, 1992), dyads=DYADS)
    assert got["third_party_threat"].min() > 0  # type: ignore[operator]
    assert got["top_threat_share"].is_between(0, 1).all()
    assert set(got["top_threat_ccode"].to_list()).isdisjoint({None})


def test_third_party_threat_zero_weights_is_discounted_capability() -> None:
    # with r = m = 0 and lambda -> huge, the sum tends to the CINC of all other states
    got = compute(
        "third_party_threat", range(1990, 1991), dyads=[(740, 732)],
        rivalry_weight=0, dispute_weight=0, lambda_km=1e12,
    )  # fmt: skip
    cinc = compute("capability_ratio", range(1990, 1991), dyads=[(740, 732)])
    assert 0.8 < got["third_party_threat"].item() < 1.0
    assert cinc.height == 1


# --------------------------------------------------------------------------- errors and CLI


@pytest.mark.parametrize(
    ("name", "opts", "match"),
    [
        ("common_opponents", {"k": 0}, r"'k' option of measure 'common_opponents'"),
        ("third_party_threat", {"rivalry_weight": -1}, r"'rivalry_weight' option"),
        ("third_party_threat", {"dispute_weight": -0.5}, r"'dispute_weight' option"),
        ("third_party_threat", {"lambda_km": 0}, r"'lambda_km' option"),
        ("common_rivals", {"source": "xyz"}, r"'source' option"),
        ("common_rivals", {"window": 3}, r"has no option 'window'"),
    ],
)
def test_bad_options(name: str, opts: dict[str, object], match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        compute(name, range(2000, 2001), dyads=[(740, 732)], **opts)


def test_years_outside_sources() -> None:
    with pytest.raises(ParameterError, match=r"needs years within 1816-2010 \(GML MIDs\)"):
        compute("common_opponents", range(2015, 2019), dyads=[(740, 732)])


def test_cli_common_rivals_and_bad_k(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.csv"
    ok = runner.invoke(
        app, ["measure", "common_rivals", "--years", "2000-2001", "--dyads", "732-740",
              "--out", str(out)],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    assert "common_rivals" in pl.read_csv(out).columns
    bad = runner.invoke(
        app, ["measure", "common_opponents", "--years", "2000-2001", "--dyads", "732-740",
              "-o", "k=0", "--out", str(out)],
    )  # fmt: skip
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: The 'k' option of measure 'common_opponents'")
    assert bad.stderr.count("\n") == 1
