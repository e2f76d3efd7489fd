"""The verdict framework: robustness over the threshold grid, not testable, projections,
study files that must say why a threshold departs from its kind's default."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from allegiance.errors import ParameterError
from allegiance.study.evidence import (
    EvidenceKind,
    Finding,
    Threshold,
    decide_claim,
    robustness,
)
from allegiance.study.kinds.quasi import decide_quasi
from allegiance.study.kinds.threat import decide_threat
from allegiance.study.spec import load_study


def _finding(stats: dict[str, object], untestable: str | None = None) -> Finding:
    return Finding(table=pl.DataFrame({"x": [1]}), stats=stats, summary="s", certainty="low",
                   reason="r", settle="s", figure="f", untestable=untestable)  # fmt: skip


def _kind(evidence_type: str = "evidence") -> EvidenceKind:
    def decide(stats: object, t: dict[str, float]) -> tuple[str, str]:
        value = stats["value"]  # type: ignore[index]
        return ("supported" if value >= t["cut"] else "not supported"), "value against cut"

    return EvidenceKind("toy", lambda *a: None, None if evidence_type == "projection" else decide,  # type: ignore[arg-type]
                        evidence_type, (Threshold("cut", 10.0, "a cut"),), "doc")  # type: ignore[arg-type]  # fmt: skip


def test_threshold_grid_is_075_to_125_or_the_stated_values() -> None:
    assert Threshold("a", 1.0, "").values(10.0) == (7.5, 8.75, 10.0, 11.25, 12.5)
    assert Threshold("b", 0.5, "", high=1.0).values(1.0) == (0.75, 0.875, 1.0)
    assert Threshold("c", 3, "", grid=(2, 3, 4)).values(5) == (2, 3, 4, 5)


def test_robust_when_the_verdict_holds_over_the_grid_fragile_otherwise() -> None:
    kind = _kind()
    far, near = _finding({"value": 20.0}), _finding({"value": 11.0})
    assert robustness(kind, far, {"cut": 10.0})[0] == "robust"  # 20 >= 12.5 everywhere
    label, grid = robustness(kind, near, {"cut": 10.0})
    assert label == "fragile"  # 11 >= 10 but < 11.25
    assert grid.filter(pl.col("cut") == 12.5)["verdict"].item() == "not supported"
    assert grid.height == 5


def test_missing_data_is_not_testable_never_not_supported() -> None:
    ev = decide_claim(_kind(), _finding({"value": 0.0}, untestable="no data in the years"),
                      {"cut": 10.0})  # fmt: skip
    assert ev.verdict == "not testable" and ev.verdict_reason == "no data in the years"
    assert ev.robustness == "n/a"


def test_a_projection_gets_no_verdict() -> None:
    ev = decide_claim(_kind("projection"), _finding({"value": 99.0}), {})
    assert ev.verdict == "projection" and ev.evidence_type == "projection"
    assert ev.robustness == "n/a"


def test_threat_rule_every_branch() -> None:
    t = {"alpha": 0.05, "support_share": 1.0, "min_years": 10}

    def ind(years: int, p_claimed: float, p_against: float) -> dict[str, float]:
        return {"years": years, "p_claimed": p_claimed, "p_against": p_against}

    assert decide_threat({"indicators": {"a": ind(5, 0.0, 1.0)}}, t)[0] == "not testable"
    both = {"a": ind(20, 0.01, 0.99), "b": ind(20, 0.02, 0.98)}
    assert decide_threat({"indicators": both}, t)[0] == "supported"
    against = {"a": ind(20, 0.01, 0.99), "b": ind(20, 0.99, 0.01)}
    assert decide_threat({"indicators": against}, t)[0] == "mixed"
    none = {"a": ind(20, 0.3, 0.7), "b": ind(20, 0.99, 0.01)}
    assert decide_threat({"indicators": none}, t)[0] == "not supported"
    half = {"a": ind(20, 0.01, 0.99), "b": ind(20, 0.5, 0.5)}
    assert decide_threat({"indicators": half}, t)[0] == "mixed"
    assert decide_threat({"indicators": half}, {**t, "support_share": 0.5})[0] == "supported"


def test_quasi_rule_every_branch() -> None:
    t = {"alpha": 0.05, "min_observable": 3}
    both, one = "reduced commitment, to both clients", "reduced commitment, to one client"

    def cls(n: int, diff: float, p: float) -> dict[str, float]:
        return {"n_observable": n, "difference": diff, "p_value": p}

    assert decide_quasi({"classes": {both: cls(2, 1.0, 0.0)}}, t)[0] == "not testable"
    assert decide_quasi({"classes": {both: cls(5, 0.5, 0.01)}}, t)[0] == "supported"
    assert decide_quasi({"classes": {both: cls(5, 0.5, 0.2), one: cls(8, -0.4, 0.01)}},
                        t)[0] == "mixed"  # fmt: skip
    assert decide_quasi({"classes": {both: cls(5, -0.5, 0.99), one: cls(8, 0.4, 0.9)}},
                        t)[0] == "not supported"  # fmt: skip


STUDY = """
title = "Thresholds"
years = "1990-2001"
[actors]
ROK = 732
Japan = 740
China = 710
[[claims]]
id = "territory"
statement = "South Korea's main territorial dispute is with Japan."
kind = "territorial_claims"
params = { subject = "ROK", main = "Japan", others = ["China"] }
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "thresholds = { min_salience = 7 }",
            r"min_salience = 7 departs from the kind's default 6",
        ),
        ("thresholds = { colour = 1 }", r"unknown threshold 'colour'.*min_salience"),
        ("thresholds = { min_salience = nan }", r"must be a finite number"),
        ('why = { min_salience = "x" }', r"'min_salience' explains no threshold"),
    ],
)
def test_study_thresholds_are_checked(tmp_path: Path, extra: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(STUDY + extra + "\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load_study(path)


def test_a_departure_with_its_reason_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(STUDY + 'thresholds = { min_salience = 7 }\n'
                    'why = { min_salience = "Only claims above Dokdo\'s salience." }\n',
                    encoding="utf-8")  # fmt: skip
    assert load_study(path).claims[0].thresholds == {"min_salience": 7.0}


def test_bundled_studies_keep_the_defaults_or_say_why() -> None:
    from allegiance.study import KINDS, bundled_study

    for name in ("northeast_asia", "greece_turkey"):
        for claim in load_study(bundled_study(name)).claims:
            defaults = KINDS[claim.kind].defaults()
            for key, value in claim.thresholds.items():
                assert value == defaults[key] or claim.why.get(key), (name, claim.id, key)
