"""Evidence kinds of the landscape: the verdict rule, hand-checked landscapes, the audit."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

import allegiance.study  # noqa: F401  (registers the kinds)
from allegiance.inputs.landscape import LandscapeInputs
from allegiance.inputs.propensity import Term, audit_table
from allegiance.study.evidence import KINDS, decide_claim
from allegiance.study.kinds.landscape import decide_without

DEFAULT = {"support_share": 0.5, "split_share": 0.5}


@pytest.mark.parametrize(
    "together, verdict",
    [
        ([0.0, 0.0], "supported"),  # split in both years
        ([0.4, 0.6], "supported"),  # split in 1 of 2 = 0.5 >= support_share
        ([0.4, 0.6, 0.9], "mixed"),  # split in 1 of 3
        ([0.5, 1.0], "not supported"),  # 0.5 is not below split_share: never split
        ([], "not supported"),
    ],
)
def test_decide_without_by_hand(together: list[float], verdict: str) -> None:
    assert decide_without({"together_without": together}, DEFAULT)[0] == verdict


def test_decide_without_reads_its_thresholds() -> None:
    stats = {"together_without": [0.3, 0.8]}
    assert decide_without(stats, {"support_share": 0.75, "split_share": 0.5})[0] == "mixed"
    assert decide_without(stats, {"support_share": 0.75, "split_share": 0.9})[0] == "supported"
    assert decide_without(stats, {"support_share": 0.5, "split_share": 0.2})[0] == "not supported"


# --------------------------------------------------------------------------- hand-made landscapes

CODES = (2, 732, 740, 710)  # USA, ROK, JPN, CHN
NAMES = ("USA", "ROK", "JPN", "CHN")


def toy_inputs(rok_jpn: float) -> Any:
    """Equal sizes; the US attracts ROK and Japan, China attracts ROK and repels Japan.

    Without the US (three actors, two blocs, 4 configurations) and ``rok_jpn = -1``: the
    only configuration without frustration is ROK CHN | JPN, and every start descends to it
    (ROK JPN CHN: JPN leaves; ROK JPN | CHN: ROK joins CHN; ROK | JPN CHN: CHN joins ROK), so
    the pair shares a bloc in 0 of the basins. With ``rok_jpn = +3`` ROK and Japan stay
    together in every basin.
    """
    p = {(2, 732): 1.0, (2, 740): 1.0, (2, 710): -1.0, (732, 740): rok_jpn, (732, 710): 1.0,
         (740, 710): -1.0}  # fmt: skip
    matrix = np.zeros((4, 4))
    for (a, b), v in p.items():
        i, j = CODES.index(a), CODES.index(b)
        matrix[i, j] = matrix[j, i] = v
    rows = pl.DataFrame(
        {"lo": [min(k) for k in p], "hi": [max(k) for k in p], "raw": list(p.values()),
         "value": list(p.values()), "detail": ["hand-made"] * len(p)},
        schema={"lo": pl.Int32, "hi": pl.Int32, "raw": pl.Float64, "value": pl.Float64,
                "detail": pl.String},
    )  # fmt: skip

    def data(year: int, codes: list[int], **_: Any) -> LandscapeInputs:
        audit = audit_table(year, CODES, NAMES, [Term("hand", 1.0, "none", year, False, rows)])
        return LandscapeInputs(NAMES, CODES, np.ones(4), matrix, {}, {}, audit)

    return data


PARAMS = {"remove": "USA", "pair": ["ROK", "Japan"], "rival": "China", "years": [2000, 2010]}
ACTORS: dict[str, int | str] = {"USA": 2, "ROK": 732, "Japan": 740, "China": 710}


@pytest.mark.parametrize("rok_jpn, verdict, together", [(-1.0, "supported", 0.0),
                                                        (3.0, "not supported", 1.0)])  # fmt: skip
def test_verdict_from_a_hand_checked_landscape(
    monkeypatch: pytest.MonkeyPatch, rok_jpn: float, verdict: str, together: float
) -> None:
    monkeypatch.setattr("allegiance.runs.landscape.landscape_inputs", toy_inputs(rok_jpn))
    kind = KINDS["landscape_without"]
    finding = kind.compute(dict(PARAMS), range(2000, 2011), ACTORS)
    assert finding.table["pair_together_without_patron"].to_list() == [together, together]
    assert finding.table["pair_propensity"].to_list() == [rok_jpn, rok_jpn]
    evidence = decide_claim(kind, finding, DEFAULT)
    assert evidence.verdict == verdict
    assert evidence.robustness == "robust"  # 0 or 1 is far from every threshold of the grid
    assert finding.tables["audit"].height == 2 * 6  # two years, six pairs, one term


def test_the_figure_draws_the_pair_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    from allegiance.report.figures import evidence_figure, pair_contributions

    monkeypatch.setattr("allegiance.runs.landscape.landscape_inputs", toy_inputs(-1.0))
    kind = KINDS["landscape_without"]
    evidence = decide_claim(kind, kind.compute(dict(PARAMS), range(2000, 2011), ACTORS), DEFAULT)
    parts = pair_contributions(evidence.finding.tables["audit"], ["ROK", "JPN"])
    assert parts["contribution"].to_list() == [-1.0, -1.0]
    fig = evidence_figure(evidence)
    assert [t.name for t in fig.data][-2:] == ["hand", "propensity (sum)"]


# --------------------------------------------------------------------------- the bundled claim


def test_bundled_without_us_claim_audits_its_propensities() -> None:
    from allegiance.study.spec import bundled_study, load_study

    spec = load_study(bundled_study("northeast_asia"))
    claim = next(c for c in spec.claims if c.id == "without_us")
    kind = KINDS[claim.kind]
    assert dict(claim.thresholds) == kind.defaults()  # the kind's documented defaults
    finding = kind.compute(dict(claim.params), range(1965, 2019), dict(spec.actors))
    audit = finding.tables["audit"]
    assert sorted(set(audit["year"])) == claim.params["years"]
    pair = audit.filter((pl.col("actor1") == "ROK") & (pl.col("actor2") == "JPN"))
    sums = pair.group_by("year").agg(pl.col("contribution").sum()).sort("year")
    assert np.allclose(sums["contribution"], finding.table["pair_propensity"])
    assert "claims (icow_claims to 2001)" in finding.reason
    evidence = decide_claim(kind, finding, dict(claim.thresholds))
    assert (evidence.verdict, evidence.verdict_reason) == decide_without(
        finding.stats, kind.defaults()
    )


def test_scenario_base_audit_covers_every_pair() -> None:
    from allegiance.study.kinds.scenario import base_audit

    codes = [2, 365, 710, 731, 732, 740]
    audit = base_audit({(2010, "cinc", "index"): codes})
    assert audit.select("ccode1", "ccode2").unique().height == 15
    assert set(audit["year"]) == {2010}
