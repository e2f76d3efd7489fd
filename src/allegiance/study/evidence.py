"""Evidence for claims: a registry of kinds, each computing a table, a figure and a verdict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from allegiance.registry import Registry

__all__ = ["KINDS", "Evidence", "EvidenceKind", "Verdict", "register_kind", "resolve_actor"]

Verdict = Literal["supported", "not supported", "mixed", "not testable with the data"]


@dataclass
class Evidence:
    """What a claim's evidence computed and what it decides.

    ``table`` is the evidence table; ``figure`` the name of the figure that draws it (in
    :data:`allegiance.report.figures.EVIDENCE_FIGURES`), with ``figure_args`` (JSON-able, e.g.
    a title) and any further ``tables`` it draws from; ``verdict`` one of :data:`Verdict`;
    ``certainty`` ("high", "medium", "low") with ``reason``; ``summary`` the comparison in one
    sentence; ``settle`` what data would settle the question; ``sources`` the bundle tables
    read.
    """

    table: pl.DataFrame
    figure: str
    verdict: Verdict
    certainty: str
    reason: str
    summary: str
    settle: str
    sources: tuple[str, ...] = field(default_factory=tuple)
    figure_args: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class EvidenceKind:
    """A registered kind: its function ``(params, thresholds, years, actors) -> Evidence`` and
    the parameters it takes (``required``, ``optional``; ``lists`` must be TOML arrays)."""

    name: str
    func: Callable[..., Evidence]
    doc: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()


#: Every evidence kind by name, filled when :mod:`allegiance.study` is imported.
KINDS: Registry[EvidenceKind] = Registry("claim kind")


def register_kind(
    name: str,
    *,
    required: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
    lists: tuple[str, ...] = (),
) -> Callable[[Callable[..., Evidence]], Callable[..., Evidence]]:
    """Decorator registering an evidence function under ``name`` with its parameters."""

    def wrap(func: Callable[..., Evidence]) -> Callable[..., Evidence]:
        doc = (func.__doc__ or "").strip()
        KINDS.add(name, EvidenceKind(name, func, doc, required, optional, lists))
        return func

    return wrap


def resolve_actor(actors: dict[str, int | str], label: str | int) -> int:
    """COW code of a study actor given by its label in the study (or a code or name)."""
    from allegiance.data.codes import to_ccode

    value = actors.get(str(label), label)
    return int(value) if str(value).isdigit() else to_ccode(value)
