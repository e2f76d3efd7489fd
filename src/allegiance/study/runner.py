"""Run a study: evaluate every claim through the cache and return the result (not rendered)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from allegiance.errors import AllegianceError, ParameterError
from allegiance.study.cache import evidence_key, load_evidence, store_evidence
from allegiance.study.evidence import KINDS, Evidence, resolve_actor
from allegiance.study.spec import Claim, StudySpec

__all__ = ["ClaimResult", "StudyResult", "claims_table", "run_study"]


@dataclass
class ClaimResult:
    """A claim with its evidence and whether the evidence came from the cache."""

    claim: Claim
    evidence: Evidence
    cached: bool


@dataclass
class StudyResult:
    """Every claim's result, in the study's order."""

    spec: StudySpec
    claims: list[ClaimResult]


def _evaluate(claim: Claim, spec: StudySpec) -> tuple[Evidence, bool]:
    actors = {label: resolve_actor(spec.actors, label) for label in spec.actors}
    inputs = {"params": claim.params, "thresholds": claim.thresholds, "years": spec.years,
              "actors": actors}  # fmt: skip
    key = evidence_key(claim.kind, inputs)
    cached = load_evidence(key)
    if cached is not None:
        return cached, True
    try:
        evidence = KINDS[claim.kind].func(claim.params, claim.thresholds, spec.year_range,
                                          dict(spec.actors))  # fmt: skip
    except AllegianceError as exc:
        raise ParameterError(f"Claim {claim.id!r} ({claim.kind}): {exc}") from None
    except KeyError as exc:
        raise ParameterError(
            f"Claim {claim.id!r} ({claim.kind}) is missing the parameter {exc.args[0]!r}. "
            f"See the kind's documentation: {KINDS[claim.kind].doc.splitlines()[0]}"
        ) from None
    except (TypeError, ValueError) as exc:
        raise ParameterError(
            f"Claim {claim.id!r} ({claim.kind}) has a parameter of the wrong type: {exc}."
        ) from None
    store_evidence(key, evidence)
    return evidence, False


def run_study(spec: StudySpec, progress: Callable[[str], None] | None = None) -> StudyResult:
    """Evaluate every claim of ``spec``; cached evidence is reused when inputs, data and code
    are unchanged."""
    results = []
    for claim in spec.claims:
        if progress is not None:
            progress(claim.id)
        evidence, cached = _evaluate(claim, spec)
        results.append(ClaimResult(claim, evidence, cached))
    return StudyResult(spec, results)


def claims_table(result: StudyResult) -> pl.DataFrame:
    """One row per claim: id, statement, verdict, certainty and the evidence in one line."""
    return pl.DataFrame(
        [
            {
                "claim": r.claim.id,
                "statement": r.claim.statement,
                "verdict": r.evidence.verdict,
                "certainty": r.evidence.certainty,
                "evidence": r.evidence.summary,
            }
            for r in result.claims
        ]
    )
