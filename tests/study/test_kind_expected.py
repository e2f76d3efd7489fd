"""The expected_percentile kind: its verdict rule on hand-computed statistics, its robustness
over the threshold grid, its evidence table, and 'not testable' outside the outcome's years."""

from __future__ import annotations

import polars as pl
import pytest

from allegiance.study import KINDS
from allegiance.study.evidence import Finding, decide_claim, robustness
from allegiance.study.kinds.expected import decide_expected, expected_table

T = {"min_percentile": 80.0, "support_share": 0.5}


def _decade(all_: float, shared: float | None, observed: int) -> dict[str, object]:
    return {"percentile": all_, "percentile_shared_patron": shared, "observed_years": observed}


def _finding(decades: list[dict[str, object]]) -> Finding:
    return Finding(table=pl.DataFrame({"x": [1]}), stats={"decades": decades}, summary="s",
                   certainty="low", reason="r", settle="s", figure="f")  # fmt: skip


def test_rule_counts_a_decade_only_when_both_percentiles_are_high_and_nothing_is_observed() -> None:
    # decade 1: min(95, 85) = 85 >= 80, never observed -> counts
    # decade 2: min(95, 70) = 70 < 80 -> does not count (high among all, not among peers)
    # decade 3: min(99, 99) >= 80 but cooperation observed in 1 year -> does not count
    # decade 4: no shared-patron year: min(90) = 90 -> counts
    decades = [_decade(95, 85, 0), _decade(95, 70, 0), _decade(99, 99, 1), _decade(90, None, 0)]
    verdict, reason = decide_expected({"decades": decades}, T)
    assert verdict == "supported"  # 2 of 4 = 0.5 >= 0.5
    assert reason.startswith("2 of 4 decades at or above the 80th percentile")
    assert decide_expected({"decades": decades}, {**T, "support_share": 0.6})[0] == "mixed"
    assert decide_expected({"decades": decades[1:3]}, T)[0] == "not supported"
    assert decide_expected({"decades": []}, T)[0] == "not supported"


def test_robust_or_fragile_over_the_grid() -> None:
    kind = KINDS["expected_percentile"]
    # min_percentile is tried at 60, 70, 80, 90, 100; support_share at 0.375 ... 0.625.
    # 85 counts up to 80 and not at 90: the verdict flips inside the grid.
    near = _finding([_decade(96, 85, 0)])
    label, grid = robustness(kind, near, T)
    assert label == "fragile"
    assert set(grid.filter(pl.col("min_percentile") == 90.0)["verdict"]) == {"not supported"}
    assert set(grid.filter(pl.col("min_percentile") == 80.0)["verdict"]) == {"supported"}
    # cooperation observed in every decade: not supported at every threshold
    seen = _finding([_decade(99, 95, 9), _decade(98, 93, 10)])
    ev = decide_claim(kind, seen, T)
    assert (ev.verdict, ev.robustness, ev.evidence_type) == ("not supported", "robust", "model")
    assert grid.height == 25


def test_table_puts_the_single_outcomes_beside_the_composite() -> None:
    decades = pl.DataFrame({"decade": [1980, 1990], "years": [2, 2], "percentile": [90.0, 95.0],
                            "percentile_low": [85.0, 90.0], "percentile_high": [92.0, 97.0],
                            "median_rank": [3.0, 2.0], "mean_n_dyads": [100.0, 110.0]})  # fmt: skip
    group = decades.filter(pl.col("decade") == 1990).with_columns(
        pl.lit(70.0).alias("percentile"), pl.lit(12.0).alias("mean_n_dyads")
    )
    yearly = pl.DataFrame({"year": [1988, 1989, 1990, 1991], "military_cooperation": [0, 1, 1, 1],
                           "atop_defense": [0, 0, 0, 0], "dca_any": [0, 0, 1, 0],
                           "mme_any": [0, 1, 1, 1]})  # fmt: skip
    columns = {"observed": "military_cooperation", "atop_defense": "atop_defense",
               "dca": "dca_any", "exercise": "mme_any"}  # fmt: skip
    t = expected_table(decades, group, yearly, columns)
    assert t["observed_years"].to_list() == [1, 2]
    assert t["exercise_years"].to_list() == [1, 2] and t["dca_years"].to_list() == [0, 1]
    assert t["atop_defense_years"].to_list() == [0, 0]
    assert t["percentile_shared_patron"].to_list() == [None, 70.0]
    assert t["mean_n_shared_patron_dyads"].to_list() == [None, 12.0]


def test_years_without_the_outcome_are_not_testable() -> None:
    """The composite is observed 1980-2010 only: a claim about 1950-1970 cannot be tested
    (and nothing is fitted)."""
    kind = KINDS["expected_percentile"]
    finding = kind.compute({"dyad": ["ROK", "Japan"], "years": "1950-1970"}, range(1950, 1971),
                           {"ROK": 732, "Japan": 740})  # fmt: skip
    ev = decide_claim(kind, finding, T)
    assert ev.verdict == "not testable" and ev.robustness == "n/a"
    assert "observed in 1980-2010" in ev.verdict_reason


@pytest.mark.parametrize("name", ["northeast_asia"])
def test_the_bundled_claim_uses_the_composite_and_the_shared_patron(name: str) -> None:
    from allegiance.study.spec import bundled_study, load_study

    claim = next(
        c for c in load_study(bundled_study(name)).claims if c.kind == "expected_percentile"
    )
    assert "outcome" not in claim.params  # the kind's default, military_cooperation
    assert "shared_patron" in str(claim.params["formula"])
