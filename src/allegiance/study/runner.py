"""Run a study: evaluate every claim through the cache and return the result (not rendered)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from allegiance.errors import AllegianceError, ParameterError
from allegiance.study.cache import evidence_key, load_finding, store_finding
from allegiance.study.evidence import KINDS, Evidence, Finding, decide_claim, resolve_actor
from allegiance.study.spec import Claim, StudySpec

__all__ = ["ClaimResult", "StudyResult", "claims_table", "run_study"]


@dataclass
class ClaimResult:
    """A claim with its evidence, whether the evidence came from the cache and its cache key
    (the report caches the claim's figure under it; None: not cached)."""

    claim: Claim
    evidence: Evidence
    cached: bool
    key: str | None = None


@dataclass
class StudyResult:
    """Every claim's result, in the study's order."""

    spec: StudySpec
    claims: list[ClaimResult]


def _evaluate(claim: Claim, spec: StudySpec) -> tuple[Evidence, bool, str]:
    kind = KINDS[claim.kind]
    actors = {label: resolve_actor(spec.actors, label) for label in spec.actors}
    inputs = {"params": claim.params, "years": spec.years, "actors": actors}
    key = evidence_key(claim.kind, inputs)
    finding = load_finding(key)
    cached = finding is not None
    if finding is None:
        finding = _compute(claim, spec)
        store_finding(key, finding)
    return decide_claim(kind, finding, claim.thresholds), cached, key


def _compute(claim: Claim, spec: StudySpec) -> Finding:
    kind = KINDS[claim.kind]
    try:
        return kind.compute(claim.params, spec.year_range, dict(spec.actors))
    except AllegianceError as exc:
        raise ParameterError(f"Claim {claim.id!r} ({claim.kind}): {exc}") from None
    except KeyError as exc:
        raise ParameterError(
            f"Claim {claim.id!r} ({claim.kind}) is missing the parameter {exc.args[0]!r}. "
            f"See the kind's documentation: {kind.doc.splitlines()[0]}"
        ) from None
    except (TypeError, ValueError) as exc:
        raise ParameterError(
            f"Claim {claim.id!r} ({claim.kind}) has a parameter of the wrong type: {exc}."
        ) from None


def run_study(spec: StudySpec, progress: Callable[[str], None] | None = None) -> StudyResult:
    """Evaluate every claim of ``spec``; cached evidence is reused when inputs, data and code
    are unchanged."""
    results = []
    for claim in spec.claims:
        if progress is not None:
            progress(claim.id)
        evidence, cached, key = _evaluate(claim, spec)
        results.append(ClaimResult(claim, evidence, cached, key))
    return StudyResult(spec, results)


def claims_table(result: StudyResult) -> pl.DataFrame:
    """One row per claim: id, statement, evidence type, verdict, its robustness, certainty,
    the reason for the verdict and the evidence in one line."""
    return pl.DataFrame(
        [
            {
                "claim": r.claim.id,
                "statement": r.claim.statement,
                "evidence_type": r.evidence.evidence_type,
                "verdict": r.evidence.verdict,
                "robustness": r.evidence.robustness,
                "certainty": r.evidence.finding.certainty,
                "why": r.evidence.verdict_reason,
                "evidence": r.evidence.summary,
            }
            for r in result.claims
        ]
    )
