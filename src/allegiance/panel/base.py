"""The Panel wrapper: a lazy polars plan plus the metadata a research design needs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import polars as pl

__all__ = ["Panel", "System", "Unit"]

Unit = Literal["state_year", "dyad_year", "dyad_month", "kadic_year"]
System = Literal["cow", "gw"]


@dataclass(frozen=True)
class Panel:
    """A state-year, dyad-year, dyad-month or k-adic-year panel.

    The metadata is carried explicitly, never inferred from the rows: ``unit``, ``system``,
    ``directed`` and the bundle tables (``sources``) that went into it.

    Parameters
    ----------
    frame : polars.LazyFrame
        The rows: ``ccode, year`` (state-years), ``ccode1, ccode2, year`` (dyad-years) or
        ``ccode1, ccode2, year, month`` (dyad-months); Gleditsch-Ward panels use ``gwcode`` /
        ``gwcode1, gwcode2``.
    unit, system, directed, sources
        Metadata; see above.
    """

    frame: pl.LazyFrame
    unit: Unit
    system: System
    directed: bool = False
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def code(self) -> str:
        """The code column of the system: ``ccode`` (COW) or ``gwcode`` (G-W)."""
        return "ccode" if self.system == "cow" else "gwcode"

    @property
    def keys(self) -> list[str]:
        """The columns that identify a row."""
        if self.unit == "state_year":
            return [self.code, "year"]
        if self.unit == "dyad_month":
            return [f"{self.code}1", f"{self.code}2", "year", "month"]
        return [f"{self.code}1", f"{self.code}2", "year"]

    def with_frame(self, frame: pl.LazyFrame, *sources: str) -> Panel:
        """A copy with a new plan and the extra ``sources`` appended."""
        new_sources = self.sources + tuple(s for s in sources if s not in self.sources)
        return replace(self, frame=frame, sources=new_sources)

    def pipe(self, step, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Apply ``step(self, *args, **kwargs)``: lets steps chain like peacesciencer's verbs."""
        return step(self, *args, **kwargs)

    def collect(self) -> pl.DataFrame:
        """Run the plan and return the rows."""
        return self.frame.collect()
