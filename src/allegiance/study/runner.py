"""Run a study: evaluate every claim (through the cache) and write the report and tables."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from allegiance.errors import AllegianceError, ParameterError
from allegiance.study.cache import evidence_key, load_evidence, store_evidence
from allegiance.study.evidence import KINDS, Evidence, resolve_actor
from allegiance.study.spec import Claim, StudySpec

__all__ = [
    "ClaimResult",
    "StudyResult",
    "check_output_folder",
    "claims_table",
    "run_study",
    "write_outputs",
]


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


def write_outputs(result: StudyResult, out: Path) -> Path:
    """Write ``out/index.html``, ``out/claims.csv`` and every evidence table (parquet and CSV).

    Everything is written into a temporary folder beside ``out`` and moved into place at the
    end, so a failed run leaves no half-written report.
    """
    from allegiance.report.html import render_report

    check_output_folder(out)
    parent = out.resolve().parent
    if not parent.is_dir():
        raise ParameterError(f"Cannot write {out}: the folder {parent} does not exist.")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    except OSError as exc:
        raise ParameterError(f"Cannot write {out}: {exc.strerror or exc}.") from None
    try:
        (tmp / "tables").mkdir()
        claims_table(result).write_csv(tmp / "claims.csv")
        for r in result.claims:
            r.evidence.table.write_parquet(tmp / "tables" / f"{r.claim.id}.parquet")
            _csv_safe(r.evidence.table).write_csv(tmp / "tables" / f"{r.claim.id}.csv")
        (tmp / "index.html").write_text(render_report(result), encoding="utf-8")
        _swap_into_place(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out / "index.html"


def _csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns (lists, structs) as text, since CSV cannot hold them."""
    nested = [c for c, t in frame.schema.items() if t.is_nested()]
    texts = [
        pl.Series(c, [None if v is None else str(v) for v in frame[c].to_list()]) for c in nested
    ]
    return frame.with_columns(texts) if texts else frame


_REPORT_FILES = {"index.html", "claims.csv", "tables"}


def check_output_folder(out: Path) -> None:
    """Refuse to replace anything but an empty folder or an earlier report (checked up front)."""
    if out.exists() and not out.is_dir():
        raise ParameterError(f"Cannot write the report to {out}: it is a file, not a folder.")
    if out.is_dir():
        names = {p.name for p in out.iterdir()}
        if names and not (names <= _REPORT_FILES and "index.html" in names):
            raise ParameterError(
                f"Cannot write the report to {out}: the folder holds other files. Give a new "
                "or empty folder, or one with an earlier report."
            )


def _swap_into_place(new: Path, out: Path) -> None:
    check_output_folder(out)
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
    os.replace(new, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
