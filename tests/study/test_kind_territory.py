"""The territorial_claims kind: its verdict rule, its finding against the raw ICOW files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

import allegiance.study  # noqa: F401  (registers the kinds)
from allegiance.study.evidence import KINDS, decide_claim
from allegiance.study.kinds.territory import decide_territory, territorial_claims

NEA = {"USA": 2, "Russia": 365, "China": 710, "DPRK": 731, "ROK": 732, "Japan": 740}
ROK_CLAIM = {"subject": "ROK", "main": "Japan", "others": ["China"]}
T = {"min_salience": 6, "max_other_salience": 4}


def _stats(**partners: int) -> dict[str, Any]:
    return {"main": "Japan", "named_others": ["China"], "partners": partners}


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    "partners, verdict, words",
    [
        # main significant and highest, the named other below 4: both parts hold
        ({"Japan": 6, "China": 0}, "supported", "is the highest of all partners"),
        # an unnamed partner with a higher claim: the main part fails, the other holds
        ({"Japan": 6, "China": 0, "DPRK": 11}, "mixed", "is not the highest: DPRK 11"),
        # a tie is not a main dispute
        ({"Japan": 6, "China": 0, "DPRK": 6}, "mixed", "is not the highest: DPRK 6"),
        # main significant and highest, but the named other reaches the threshold
        ({"Japan": 8, "China": 4}, "mixed", "named others at or above 4: China"),
        # main below min_salience (though highest), named other fine
        ({"Japan": 5, "China": 0}, "mixed", "is below 6"),
        # neither part holds
        ({"Japan": 3, "China": 9}, "not supported", "is below 6"),
        # no claim with the main partner at all (0 within coverage)
        ({"Japan": 0, "China": 0, "DPRK": 11}, "mixed", "is below 6"),
    ],
)
def test_decide_territory_every_branch(partners: dict[str, int], verdict: str, words: str) -> None:
    got, reason = decide_territory(_stats(**partners), T)
    assert got == verdict
    assert words in reason


def test_decide_territory_reads_missing_salience_as_zero() -> None:
    stats = {"main": "Japan", "named_others": ["China"], "partners": {"Japan": 7, "China": None}}
    assert decide_territory(stats, T)[0] == "supported"


def test_decide_territory_thresholds_are_inclusive_at_min_and_exclusive_at_max() -> None:
    assert decide_territory(_stats(Japan=6, China=3), T)[0] == "supported"
    assert decide_territory(_stats(Japan=6, China=4), T)[0] == "mixed"
    assert decide_territory(_stats(Japan=6, China=3), {**T, "min_salience": 7})[0] == "mixed"


def test_thresholds_have_documented_discrete_grids() -> None:
    kind = KINDS["territorial_claims"]
    assert {t.name: t.values(t.default) for t in kind.thresholds} == {
        "min_salience": (5, 6, 7),
        "max_other_salience": (3, 4, 5),
    }


# --------------------------------------------------------------------------- the finding


@pytest.fixture(scope="module")
def rok() -> Any:
    return territorial_claims(ROK_CLAIM, range(1965, 2019), NEA)


def _raw_claims(raw_dir: Path, subject: int, first: int, last: int) -> pl.DataFrame:
    """Independent reading of the raw ICOW claim-dyad-years: per claim and partner, the
    years and the highest icowsal; names from the raw claim-dyad list."""
    raw = pl.read_csv(raw_dir / "icow_claims/ICOWprovyr101.csv", infer_schema_length=0)
    raw = raw.select(pl.col(c).cast(pl.Int64) for c in ("claim", "claimdy", "chal", "tgt",
                                                        "year", "icowsal"))  # fmt: skip
    mine = raw.filter(((pl.col("chal") == subject) | (pl.col("tgt") == subject))
                      & pl.col("year").is_between(first, last))  # fmt: skip
    names = pl.read_csv(raw_dir / "icow_claim_names/icow_ext2017_v2.csv", infer_schema_length=0)
    names = names.select(pl.col("claimdy").cast(pl.Int64, strict=False), "name").drop_nulls()
    return (
        mine.with_columns(
            pl.when(pl.col("chal") == subject).then("tgt").otherwise("chal").alias("partner")
        )
        .join(names, on="claimdy", how="left")
        .group_by("claim", "partner")
        .agg(
            pl.col("year").min().alias("first"),
            pl.col("year").max().alias("last"),
            pl.col("icowsal").max().alias("sal"),
            pl.col("name").unique().sort(),
        )
        .sort("claim")
    )


@pytest.mark.raw
def test_rok_finding_lists_every_icow_partner_from_the_raw_file(raw_dir: Path, rok: Any) -> None:
    want = _raw_claims(raw_dir, 732, 1965, 2001)
    claims = rok.tables["claims"].sort("claim")
    assert claims["claim"].to_list() == want["claim"].to_list()
    assert claims["partner_ccode"].to_list() == want["partner"].to_list()
    assert claims["first_year"].to_list() == want["first"].to_list()
    assert claims["last_year"].to_list() == want["last"].to_list()
    assert claims["max_salience"].to_list() == want["sal"].to_list()
    for got, names in zip(claims["name"], want["name"].to_list(), strict=True):
        assert sorted(got.split("; ")) == names
    # the partner table (from the panel) agrees with the raw file for every partner, and
    # China, named in the statement, has no claim at all
    by_partner = dict(zip(rok.table["ccode2"], rok.table["max_salience"], strict=True))
    raw_max = want.group_by("partner").agg(pl.col("sal").max())
    assert {int(p): int(s) for p, s in raw_max.iter_rows()} == {
        c: s for c, s in by_partner.items() if c != 710
    }
    assert by_partner[710] == 0
    assert rok.stats["partners"] == {"DPRK": by_partner[731], "Japan": by_partner[740],
                                     "China": 0}  # fmt: skip


@pytest.mark.raw
def test_rok_verdict_from_the_raw_saliences(raw_dir: Path, rok: Any) -> None:
    """Hand-check: Dokdo (claim 830, Japan) has salience 6, the claim with North Korea
    (826) is higher, so Japan's claim is not the main one; China has none: mixed."""
    want = _raw_claims(raw_dir, 732, 1965, 2001)
    sal = {int(r["partner"]): int(r["sal"]) for r in want.iter_rows(named=True)}
    assert sal[740] == 6 and sal[731] > sal[740] and 710 not in sal
    ev = decide_claim(KINDS["territorial_claims"], rok, T)
    assert ev.verdict == "mixed"
    assert ev.robustness == "robust"
    assert f"DPRK {sal[731]}" in ev.verdict_reason


def test_coverage_is_stated_and_lowers_certainty(rok: Any) -> None:
    assert "land territory from 1816 to 2001" in rok.reason
    assert "maritime boundary disputes are not in it" in rok.reason
    assert "It covers 37 of the 54 study years (1965-2001)" in rok.reason
    assert rok.certainty == "medium"
    inside = territorial_claims(ROK_CLAIM, range(1990, 2002), NEA)
    assert inside.certainty == "high"


def test_years_outside_icow_are_not_testable() -> None:
    finding = territorial_claims(ROK_CLAIM, range(2005, 2019), NEA)
    assert finding.untestable is not None and "cover none of the study years" in finding.untestable
    ev = decide_claim(KINDS["territorial_claims"], finding, T)
    assert (ev.verdict, ev.robustness) == ("not testable", "n/a")


def test_claim_figure_has_titled_axes(rok: Any) -> None:
    from allegiance.report.figures import EVIDENCE_FIGURES

    fig = EVIDENCE_FIGURES[rok.figure](rok)
    assert "0-12" in fig.layout.yaxis.title.text
    assert fig.layout.xaxis.title.text.startswith("partner state")
    assert {t.name for t in fig.data} == {"main partner", "named other partner", "other partner"}
