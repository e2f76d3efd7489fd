"""What every run records besides its tables: the analysis, parameters, seed, sources, years."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["RunMeta"]


@dataclass(frozen=True)
class RunMeta:
    """Metadata of one run of an analysis.

    ``params`` are the validated parameters the run used (JSON-ready); ``seed`` the seed it
    used (None for a deterministic analysis); ``sources`` the bundle tables it read;
    ``years`` the first and last year it covered (None when timeless).
    """

    analysis: str
    params: dict[str, Any]
    seed: int | None = None
    sources: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "analysis": self.analysis,
            "params": self.params,
            "seed": self.seed,
            "sources": list(self.sources),
            "years": list(self.years) if self.years else None,
            "notes": self.notes,
        }
