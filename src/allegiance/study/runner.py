"""Run a study: evaluate every claim through the cache and return the result (not rendered)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


def _key(claim: Claim, spec: StudySpec, actors: dict[str, int]) -> str:
    """The cache key of a claim's finding: its kind, parameters, the study's years and its
    resolved ``actors``."""
    inputs = {"params": claim.params, "years": spec.years, "actors": actors}
    return evidence_key(claim.kind, inputs)


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


def _computed(
    spec: StudySpec, todo: list[int], jobs: int, say: Callable[[str], None]
) -> Iterator[tuple[int, Finding]]:
    """``(index, finding)`` of each claim in ``todo``, computed in up to ``jobs`` processes.

    Claims are independent, so their order does not change their findings. With one job (or
    one claim) they are computed here, in the study's order; otherwise in fresh (spawned)
    processes, handed out in the study's order and yielded as they finish. The first error
    stops the rest and is raised here.
    """
    if jobs <= 1 or len(todo) <= 1:
        for i in todo:
            say(spec.claims[i].id)
            yield i, _compute(spec.claims[i], spec)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(jobs, len(todo)), mp_context=context) as pool:
        running = {pool.submit(_compute, spec.claims[i], spec): i for i in todo}
        say(", ".join(spec.claims[i].id for i in todo))
        try:
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield running.pop(future), future.result()
                if running:
                    say(", ".join(spec.claims[i].id for i in running.values()))
        finally:
            for future in running:
                future.cancel()


def run_study(
    spec: StudySpec, progress: Callable[[str], None] | None = None, *, jobs: int = 1
) -> StudyResult:
    """Evaluate every claim of ``spec``; cached evidence is reused when inputs, data and code
    are unchanged.

    Parameters
    ----------
    spec : StudySpec
        The study (:func:`allegiance.study.load_study`).
    progress : callable, optional
        Called with the id of the claim about to be computed; with several jobs, with the
        ids of the claims not yet finished (comma-separated) whenever one finishes. Cached
        claims are not announced.
    jobs : int, default 1
        Processes computing claims that are not cached, at once. The findings, the verdicts
        and the cache are the same whatever ``jobs``; more jobs need more memory (each process
        loads what its claims need).
    """
    if jobs < 1:
        raise ParameterError(f"The 'jobs' parameter of run_study() must be at least 1. Got {jobs}.")
    actors = {label: resolve_actor(spec.actors, label) for label in spec.actors}
    keys = [_key(claim, spec, actors) for claim in spec.claims]
    findings = [load_finding(key) for key in keys]
    cached = [finding is not None for finding in findings]
    todo = [i for i, hit in enumerate(cached) if not hit]
    for i, finding in _computed(spec, todo, jobs, progress or (lambda _: None)):
        store_finding(keys[i], finding)
        findings[i] = finding
    results = []
    for claim, key, found, hit in zip(spec.claims, keys, findings, cached, strict=True):
        assert found is not None  # every claim not cached was computed above
        evidence = decide_claim(KINDS[claim.kind], found, claim.thresholds)
        results.append(ClaimResult(claim, evidence, hit, key))
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
