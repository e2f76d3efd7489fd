"""Evidence for claims: kinds compute findings; one rule turns a finding into a verdict.

An evidence kind does two separate things. Its ``compute`` function reads the data (or runs a
model, or a projection) and returns a :class:`Finding`: tables, the statistics the verdict
depends on, and whether the data can test the claim at all. Its ``decide`` function reads
those statistics and the claim's thresholds and returns a verdict. Keeping them apart lets
the study re-decide a claim over a grid of thresholds (:func:`robustness`) without computing
anything again, and lets a claim be "not testable" (missing or uninformative data) instead of
"not supported".

Every kind also says what kind of evidence decides it (:data:`EvidenceType`): observed data
(``evidence``), a fitted model (``model``), or shocks the analyst chose (``projection``);
projections never get supported / not supported.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import polars as pl

from allegiance.registry import Registry

__all__ = [
    "GRID_FACTORS",
    "KINDS",
    "Evidence",
    "EvidenceKind",
    "EvidenceType",
    "Finding",
    "Threshold",
    "Verdict",
    "decide_claim",
    "register_kind",
    "resolve_actor",
    "robustness",
]

Verdict = Literal["supported", "not supported", "mixed", "not testable", "projection"]
EvidenceType = Literal["evidence", "model", "projection"]

#: A continuous threshold is re-decided at these multiples of its value.
GRID_FACTORS = (0.75, 0.875, 1.0, 1.125, 1.25)


@dataclass(frozen=True)
class Threshold:
    """A threshold of a kind's verdict rule: its name, default, meaning and grid.

    ``grid`` lists the values the robustness check tries for a discrete threshold; a
    continuous one is tried at :data:`GRID_FACTORS` times its value, clipped to
    ``[low, high]``.
    """

    name: str
    default: float
    doc: str
    low: float = -math.inf
    high: float = math.inf
    grid: tuple[float, ...] | None = None

    def values(self, value: float) -> tuple[float, ...]:
        """The values the robustness grid tries around ``value``."""
        if self.grid is not None:
            return tuple(sorted({*self.grid, value}))
        # Rounded to 12 significant digits so the grid reads 0.0375, not 0.037500000000000006.
        tried = {float(f"{min(max(value * f, self.low), self.high):.12g}") for f in GRID_FACTORS}
        return tuple(sorted(tried))


@dataclass
class Finding:
    """What a kind computed, before any threshold is applied.

    ``table`` (and further ``tables``) are the evidence; ``stats`` the JSON-able numbers the
    verdict rule reads; ``untestable`` the reason the data cannot test the claim (None when
    they can); ``summary`` the evidence in a sentence; ``certainty`` ("high", "medium",
    "low") with ``reason``; ``settle`` what data would settle the question; ``sources`` the
    bundle tables read; ``figure`` the name of the figure that draws it, with
    ``figure_args``.
    """

    table: pl.DataFrame
    stats: dict[str, Any]
    summary: str
    certainty: str
    reason: str
    settle: str
    figure: str
    sources: tuple[str, ...] = ()
    untestable: str | None = None
    figure_args: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)


@dataclass
class Evidence:
    """A claim's finding with its verdict: the verdict, how robust it is to the thresholds
    (``robust``, ``fragile``, or ``n/a`` for a projection or an untestable claim), the grid
    of thresholds that shows it, the evidence type and the thresholds used."""

    finding: Finding
    verdict: Verdict
    verdict_reason: str
    robustness: str
    grid: pl.DataFrame
    evidence_type: EvidenceType
    thresholds: dict[str, float]

    @property
    def table(self) -> pl.DataFrame:
        return self.finding.table

    @property
    def summary(self) -> str:
        return self.finding.summary


Decide = Callable[[Mapping[str, Any], Mapping[str, float]], tuple[Verdict, str]]


@dataclass(frozen=True)
class EvidenceKind:
    """A registered kind: ``compute(params, years, actors) -> Finding``, ``decide(stats,
    thresholds) -> (verdict, reason)``, its evidence type, thresholds and parameters
    (``required``, ``optional``; ``lists`` must be TOML arrays; ``files`` name files, each
    param mapped to the folder of the files the package ships for it)."""

    name: str
    compute: Callable[..., Finding]
    decide: Decide | None
    evidence_type: EvidenceType
    thresholds: tuple[Threshold, ...]
    doc: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    files: Mapping[str, Path] = field(default_factory=dict)

    def defaults(self) -> dict[str, float]:
        """Every threshold at its default."""
        return {t.name: t.default for t in self.thresholds}


#: Every evidence kind by name, filled when :mod:`allegiance.study` is imported.
KINDS: Registry[EvidenceKind] = Registry("claim kind")


def register_kind(
    name: str,
    *,
    evidence_type: EvidenceType,
    decide: Decide | None = None,
    thresholds: tuple[Threshold, ...] = (),
    required: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
    lists: tuple[str, ...] = (),
    files: Mapping[str, Path] | None = None,
) -> Callable[[Callable[..., Finding]], Callable[..., Finding]]:
    """Decorator registering a kind's ``compute`` function with its verdict rule."""
    if (decide is None) != (evidence_type == "projection"):
        raise ValueError(f"The kind {name!r}: a projection has no verdict rule; others need one.")

    def wrap(func: Callable[..., Finding]) -> Callable[..., Finding]:
        doc = (func.__doc__ or "").strip()
        KINDS.add(name, EvidenceKind(name, func, decide, evidence_type, thresholds, doc,
                                     required, optional, lists, dict(files or {})))  # fmt: skip
        return func

    return wrap


def robustness(kind: EvidenceKind, finding: Finding, thresholds: Mapping[str, float]) -> tuple[
    str, pl.DataFrame
]:  # fmt: skip
    """The verdict over the grid of every threshold (all combinations); ``robust`` when it is
    the same everywhere, else ``fragile``. Returns the label and the grid table (one row per
    combination: the thresholds and the verdict)."""
    if kind.decide is None or finding.untestable is not None or not kind.thresholds:
        return "n/a", pl.DataFrame()
    names = [t.name for t in kind.thresholds]
    axes = [t.values(float(thresholds[t.name])) for t in kind.thresholds]
    rows = []
    for combo in itertools.product(*axes):
        verdict, _ = kind.decide(finding.stats, dict(zip(names, combo, strict=True)))
        rows.append({**dict(zip(names, combo, strict=True)), "verdict": verdict})
    grid = pl.DataFrame(rows)
    label = "robust" if grid["verdict"].n_unique() == 1 else "fragile"
    return label, grid


def decide_claim(kind: EvidenceKind, finding: Finding, thresholds: Mapping[str, float]) -> Evidence:
    """The claim's verdict: ``projection`` for a projection, ``not testable`` when the data
    cannot test it, else the kind's rule at the claim's thresholds; with its robustness."""
    used = {**kind.defaults(), **thresholds}
    if kind.evidence_type == "projection":
        verdict: Verdict = "projection"
        reason = "a projection from the shocks the analyst chose; it is not judged by the data"
    elif finding.untestable is not None:
        verdict, reason = "not testable", finding.untestable
    else:
        assert kind.decide is not None
        verdict, reason = kind.decide(finding.stats, used)
    label, grid = robustness(kind, finding, used)
    return Evidence(finding, verdict, reason, label, grid, kind.evidence_type, used)


def resolve_actor(actors: dict[str, int | str], label: str | int) -> int:
    """COW code of a study actor given by its label in the study (or a code or name)."""
    from allegiance.data.codes import to_ccode

    value = actors.get(str(label), label)
    return int(value) if str(value).isdigit() else to_ccode(value)
