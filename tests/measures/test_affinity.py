"""UN voting affinity: hand-computed formulas, invariants, the rok_unga reference, CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.errors import ParameterError
from allegiance.measures.affinity import (
    _pair_tables,
    agreement,
    ideal_gap,
    un_country_codes,
    vote_kappa,
    vote_sscore,
    vote_table,
)
from allegiance.measures.registry import compute, get_measure

# ----------------------------------------------------------------------------- hand cases

X = ["yes", "abstain", "no", "yes"]
Y = ["yes", "no", "no", "abstain"]


def test_vote_table_drops_absences() -> None:
    t = vote_table(["yes", None, "no", "abstain"], ["yes", "yes", None, "no"])
    # kept: (yes, yes) and (abstain, no)
    assert t.tolist() == [[1, 0, 0], [0, 0, 1], [0, 0, 0]]


def test_agreement_hand_case() -> None:
    t = vote_table(X, Y)
    # identical on roll calls 1 and 3 -> 2/4
    assert agreement(t) == pytest.approx(0.5)
    # half credit for (abstain, no) and (yes, abstain): (1 + .5 + 1 + .5) / 4
    assert agreement(t, abstain="half") == pytest.approx(0.75)


def test_sscore_hand_case() -> None:
    t = vote_table(X, Y)
    # codes 1,2,3,1 vs 1,3,3,2: |d| = 0,1,0,1; S = 1 - 2 * mean(|d| / 2) = 1 - 2 * (1/4)
    assert vote_sscore(t) == pytest.approx(0.5)
    assert vote_sscore(t) == pytest.approx(2 * agreement(t, abstain="half") - 1)


def test_kappa_quadratic_hand_case() -> None:
    t = vote_table(X, Y)
    # observed: ((d/2)^2) = 0, 1/4, 0, 1/4 -> mean 1/8
    # marginals x: yes .5 abst .25 no .25; y: yes .25 abst .25 no .5
    # expected: .5*.25*.25 + .5*.5*1 + .25*.25*.25 + .25*.5*.25 + .25*.25*1 + .25*.25*.25
    #         = .03125 + .25 + .015625 + .03125 + .0625 + .015625 = .40625 = 13/32
    # kappa = 1 - (1/8) / (13/32) = 1 - 4/13 = 9/13
    assert vote_kappa(t) == pytest.approx(9 / 13)


def test_kappa_nominal_and_linear_hand_cases() -> None:
    t = vote_table(X, Y)
    # nominal: observed 2/4; expected 1 - (.5*.25 + .25*.25 + .25*.5) = .6875 -> 1 - .5/.6875
    assert vote_kappa(t, weights="nominal") == pytest.approx(3 / 11)
    # linear (|d|/2): observed (0 + .5 + 0 + .5)/4 = .25
    # expected: .5*.25*.5 + .5*.5*1 + .25*.25*.5 + .25*.5*.5 + .25*.25*1 + .25*.25*.5
    #         = .0625 + .25 + .03125 + .0625 + .0625 + .03125 = .5 -> 1 - .25/.5
    assert vote_kappa(t, weights="linear") == pytest.approx(0.5)


def test_kappa_two_categories_same_for_every_weighting() -> None:
    t = vote_table(["yes", "yes", "no", "no", "yes"], ["yes", "no", "no", "no", "no"])
    values = [vote_kappa(t, weights=w) for w in ("quadratic", "linear", "nominal")]
    assert values == pytest.approx([values[0]] * 3)


def test_kappa_zero_or_undefined_without_variation() -> None:
    # x always yes: observed disagreement equals the expected one -> 0
    t = vote_table(["yes", "yes", "yes"], ["yes", "no", "abstain"])
    assert vote_kappa(t) == pytest.approx(0.0)
    # both always yes: expected disagreement 0 -> undefined
    assert np.isnan(vote_kappa(vote_table(["yes", "yes"], ["yes", "yes"])))
    assert np.isnan(agreement(np.zeros((3, 3))))


def test_pair_tables_matches_vote_table() -> None:
    m = np.array([[0, 0, -1], [1, 2, 0], [2, 2, 2], [0, 1, 1]], dtype=np.int8)
    got = _pair_tables(m, np.array([0, 1]), np.array([1, 2])).reshape(2, 3, 3)
    names = {0: "yes", 1: "abstain", 2: "no", -1: None}
    for k, (a, b) in enumerate([(0, 1), (1, 2)]):
        expected = vote_table([names[v] for v in m[:, a]], [names[v] for v in m[:, b]])
        assert got[k].tolist() == expected.tolist()


def test_ideal_gap() -> None:
    assert ideal_gap([1.0, -2.0], [-1.0, -2.5]).tolist() == [2.0, 0.5]


def test_bad_inputs_to_helpers() -> None:
    with pytest.raises(ParameterError, match="'yes', 'abstain', 'no'"):
        vote_table(["maybe"], ["yes"])
    with pytest.raises(ParameterError, match="equal length"):
        vote_table(["yes"], [])
    with pytest.raises(ParameterError, match=r"'abstain' parameter of agreement\(\)"):
        agreement(np.eye(3), abstain="zero")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"'weights' parameter of vote_kappa\(\)"):
        vote_kappa(np.eye(3), weights="cubic")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"shape \(\.\.\., 3, 3\)"):
        agreement(np.eye(2))


# ----------------------------------------------------------------------------- properties

tables = arrays(np.int64, (3, 3), elements=st.integers(0, 30)).filter(lambda t: t.sum() > 0)


@settings(max_examples=200, deadline=None)
@given(tables)
def test_measures_symmetric_and_bounded(t: np.ndarray) -> None:
    for value, swapped in [
        (agreement(t), agreement(t.T)),
        (agreement(t, abstain="half"), agreement(t.T, abstain="half")),
        (vote_sscore(t), vote_sscore(t.T)),
    ]:
        assert value == pytest.approx(swapped)
    assert 0.0 <= agreement(t) <= agreement(t, abstain="half") <= 1.0
    assert -1.0 <= vote_sscore(t) <= 1.0
    k = vote_kappa(t)
    if not np.isnan(k):
        assert k <= 1.0 + 1e-12
        assert k == pytest.approx(vote_kappa(t.T))


@settings(max_examples=100, deadline=None)
@given(arrays(np.int64, 3, elements=st.integers(0, 20)).filter(lambda v: (v > 0).sum() >= 2))
def test_identical_votes_give_one(counts: np.ndarray) -> None:
    t = np.diag(counts)  # both states vote alike on every roll call
    assert agreement(t) == pytest.approx(1.0)
    assert vote_sscore(t) == pytest.approx(1.0)
    assert vote_kappa(t) == pytest.approx(1.0)


# ----------------------------------------------------------------------------- data plumbing


def test_un_country_codes_historical_states() -> None:
    codes = dict(un_country_codes().select("country", "ccode").iter_rows())
    expected = {
        "Federal Republic of Germany": 260,
        "Germany": 255,
        "German Democratic Republic": 265,
        "Yemen Arab Republic": 678,
        "Yemen People's Republic": 680,
        "Yemen": 679,
        "Russia": 365,
        "China": 710,
        "Taiwan": 713,
        "South Korea": 732,
        "North Korea": 731,
        "Yugoslavia": 345,
        "Czechoslovakia": 315,
        "Zanzibar": 511,
    }
    assert {k: codes[k] for k in expected} == expected
    assert un_country_codes()["ccode"].null_count() == 0  # nothing left unmapped
    assert un_country_codes()["ccode"].n_unique() == un_country_codes().height


def test_measure_rows_kept_and_null_before_un_membership() -> None:
    out = compute("un_agreement", range(1985, 1995), dyads=[(732, 740), (710, 740)])
    assert out.height == 20 and out.columns == [
        "ccode1",
        "ccode2",
        "year",
        "un_agreement",
        "un_nvotes",
    ]
    rok = out.filter(pl.col("ccode1") == 732)
    # both Koreas joined the UN in 1991: no votes before
    assert rok.filter(pl.col("year") < 1991)["un_agreement"].null_count() == 6
    assert rok.filter(pl.col("year") >= 1991)["un_agreement"].null_count() == 0


def test_directed_order_kept_and_symmetric() -> None:
    a = compute("un_kappa", range(2000, 2003), dyads=[(740, 710)])
    b = compute("un_kappa", range(2000, 2003), dyads=[(710, 740)])
    assert a["un_kappa"].to_list() == pytest.approx(b["un_kappa"].to_list())
    assert b["ccode1"].to_list() == [710] * 3


def test_min_votes_nulls_thin_years() -> None:
    out = compute("un_agreement", range(2019, 2021), dyads=[(732, 740)], min_votes=10)
    # the unvotes roll calls end with a single roll call dated 2020
    assert out.sort("year")["un_nvotes"].to_list()[1] == 1
    assert out.sort("year")["un_agreement"].to_list()[1] is None


def test_idealpoint_distance_is_gap_of_companions() -> None:
    out = compute("idealpoint_distance", range(1991, 2024), dyads=[(732, 731)])
    assert out.height == 33
    diff = (out["un_ideal1"] - out["un_ideal2"]).abs() - out["idealpoint_distance"]
    assert diff.abs().max() < 1e-12


# ----------------------------------------------------------------------------- rok_unga


@pytest.fixture(scope="module")
def rok_unga(raw_dir: Path) -> pl.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    frame = pyreadr.read_r(str(raw_dir / "stevedata" / "rok_unga.rda"))["rok_unga"]
    return pl.from_pandas(frame).with_columns(pl.col("ccode1", "ccode2", "year").cast(pl.Int32))


def _against(rok: pl.DataFrame, name: str, ours: str, ref: str, **opts: object) -> pl.Series:
    dyads = sorted({(732, int(c)) for c in rok["ccode2"].to_list()})
    out = compute(name, range(1991, 2020), dyads=dyads, **opts).with_columns(
        pl.col("ccode1", "ccode2", "year").cast(pl.Int32)
    )
    both = rok.join(out, on=["ccode1", "ccode2", "year"], how="inner").filter(
        pl.col(ours).is_not_null() & pl.col(ref).is_not_null() & pl.col(ref).is_not_nan()
    )
    return (both[ours] - both[ref]).abs()


def test_agreement_against_rok_unga(rok_unga: pl.DataFrame) -> None:
    # agree (identical votes, absences missing): the roll-call sets differ in years with
    # amendment/paragraph votes; leaving those out matches 54% of dyad-years exactly.
    diff = _against(rok_unga, "un_agreement", "un_agreement", "agree", roll_calls="resolutions")
    assert diff.len() > 5000
    assert (diff < 1e-9).mean() > 0.5
    assert (diff < 0.01).mean() > 0.8
    # Voeten's own agreement score: half credit for abstentions, session years
    diff = _against(
        rok_unga, "un_agreement", "un_agreement", "v_agree", abstain="half", year_from="session"
    )
    assert (diff < 0.01).mean() > 0.99


def test_kappa_against_rok_unga_in_clean_years(rok_unga: pl.DataFrame) -> None:
    # years whose roll calls include no amendment or paragraph votes: same votes as rok_unga
    clean = rok_unga.filter(pl.col("year").is_in([1991, 1992, 1994, 1995, 1996, 2014, 2015]))
    diff = _against(clean, "un_kappa", "un_kappa", "kappa")
    assert diff.len() > 1000
    assert (diff < 1e-6).mean() > 0.99
    diff = _against(clean, "un_agreement", "un_agreement", "agree")
    assert (diff < 1e-9).mean() > 0.99


def test_idealpoints_match_rok_unga(rok_unga: pl.DataFrame) -> None:
    diff = _against(rok_unga, "idealpoint_distance", "idealpoint_distance", "ipd")
    assert diff.len() > 5000
    assert diff.max() < 1e-9


# ----------------------------------------------------------------------------- errors and CLI


def test_years_outside_sources() -> None:
    with pytest.raises(ParameterError, match=r"'un_agreement' covers 1946-2020"):
        compute("un_agreement", range(2021, 2023), dyads=[(732, 740)])
    with pytest.raises(ParameterError, match=r"'idealpoint_distance' covers 1946-2023"):
        compute("idealpoint_distance", range(1900, 1910), dyads=[(2, 200)])


def test_bad_options() -> None:
    with pytest.raises(ParameterError, match=r"'abstain' option of measure 'un_agreement'"):
        compute("un_agreement", range(2000, 2001), dyads=[(732, 740)], abstain="zero")
    with pytest.raises(ParameterError, match=r"'min_votes' option of measure 'un_kappa'"):
        compute("un_kappa", range(2000, 2001), dyads=[(732, 740)], min_votes=0)
    with pytest.raises(ParameterError, match="has no option 'k'"):
        compute("idealpoint_distance", range(2000, 2001), dyads=[(732, 740)], k=1)


def test_registered_with_citations() -> None:
    from allegiance.data.catalog import references

    keys = references()
    for name in ("un_agreement", "un_kappa", "idealpoint_distance"):
        measure = get_measure(name)
        assert measure.unit == "dyad_year"
        assert set(measure.citations) <= set(keys)


runner = CliRunner()


def test_cli_un_agreement_writes_csv(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    args = ["measure", "un_agreement", "--years", "2000-2002", "--dyads", "732-740"]
    result = runner.invoke(app, [*args, "--out", str(out), "-o", "abstain=half"])
    assert result.exit_code == 0, result.stderr
    frame = pl.read_csv(out)
    assert "un_agreement" in frame.columns and frame.height == 3


def test_cli_bad_option_exits_2_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "k.csv"
    args = ["measure", "un_kappa", "--years", "2000", "--dyads", "732-740", "--out", str(out)]
    result = runner.invoke(app, [*args, "-o", "weights=cubic"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: The 'weights' option of measure 'un_kappa'")
    assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_vote_tables_of_a_few_years_read_only_those_and_agree() -> None:
    """One or two years read only their votes; the tables equal those from all the votes."""
    from allegiance.measures import affinity

    dyads = pl.DataFrame(
        {
            "ccode1": [2, 2, 710, 732],
            "ccode2": [710, 740, 740, 740],
            "year": [2016, 1990, 2016, 1990],
        }
    )
    few = affinity.un_vote_tables(dyads)
    assert affinity._votes("date", "all", (1990, 2016))["year"].unique().sort().to_list() == [
        1990,
        2016,
    ]
    more = pl.DataFrame({"ccode1": [2] * 4, "ccode2": [20] * 4, "year": [1970, 1980, 2000, 2010]})
    every = affinity.un_vote_tables(pl.concat([dyads, more])).head(len(dyads))
    assert few.equals(every)
    assert few["n00"].sum() > 0
