"""Validated request parameters of the web API (pydantic); errors become HTTP 422."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["LandscapeRequest", "PanelQuery", "ScenarioRequest", "parse_codes", "parse_span"]

_SPAN = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*$")


def parse_span(text: str) -> range:
    """``1946-2016`` -> range; ValueError with a clear message otherwise."""
    match = _SPAN.match(text)
    if not match:
        raise ValueError(f"years must look like 1946-2016; got {text!r}")
    first, last = int(match.group(1)), int(match.group(2))
    if last < first:
        raise ValueError(f"years must run from an earlier to a later year; got {text!r}")
    return range(first, last + 1)


def parse_codes(text: str) -> list[int]:
    """``2,710,740`` or names -> COW codes; ValueError naming an unknown state."""
    from allegiance.data.codes import to_ccode
    from allegiance.errors import UnknownCodeError

    out = []
    for item in (t.strip() for t in text.split(",") if t.strip()):
        try:
            out.append(int(item) if item.isdigit() else to_ccode(item))
        except UnknownCodeError as exc:
            raise ValueError(str(exc)) from None
    return out


class PanelQuery(BaseModel):
    """Query of a paged panel."""

    model_config = ConfigDict(extra="forbid")

    years: str = Field("1946-2016", description="Year range, e.g. 1946-2016.")
    states: str | None = Field(None, description="Comma-separated COW codes or names.")
    add: str = Field("", description="Comma-separated variable families.")
    columns: str | None = Field(None, description="Comma-separated columns to return.")
    directed: bool = False
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(100, ge=1, le=5000, description="Rows per page (1-5000).")

    @field_validator("years")
    @classmethod
    def _years(cls, value: str) -> str:
        parse_span(value)
        return value


class LandscapeRequest(BaseModel):
    """A landscape run: actors with sizes and a symmetric propensity list."""

    model_config = ConfigDict(extra="forbid")

    actors: list[str] = Field(min_length=2, max_length=16)
    sizes: list[float] = Field(min_length=2, max_length=16)
    propensities: list[list[float]] = Field(description="n x n symmetric, zero diagonal")
    n_blocs: int = Field(2, ge=2, le=4)

    @field_validator("sizes")
    @classmethod
    def _positive(cls, value: list[float]) -> list[float]:
        if any(s <= 0 for s in value):
            raise ValueError("every size must be positive")
        return value


class ScenarioRequest(BaseModel):
    """A scenario run from the sliders: the base year's data with multipliers and shifts."""

    model_config = ConfigDict(extra="forbid")

    scenario: Literal[
        "baseline", "us_drawdown", "china_rise", "japan_rearmament", "dprk_collapse",
        "us_withdrawal",
    ] = "baseline"  # fmt: skip
    size_multipliers: dict[str, float] = Field(default_factory=dict)
    propensity_shifts: dict[str, float] = Field(
        default_factory=dict, description='pairs "USA-ROK" -> shift added to the propensity'
    )
    draws: int = Field(50, ge=1, le=500, description="Monte Carlo draws (1-500)")
    seed: int = Field(0, ge=0)

    @field_validator("propensity_shifts")
    @classmethod
    def _shifts(cls, value: dict[str, float]) -> dict[str, float]:
        if any(not -10 <= v <= 10 for v in value.values()):
            raise ValueError("propensity shifts must lie in [-10, 10]")
        return value

    @field_validator("size_multipliers")
    @classmethod
    def _multipliers(cls, value: dict[str, float]) -> dict[str, float]:
        if any(m <= 0 or m > 10 for m in value.values()):
            raise ValueError("size multipliers must lie in (0, 10]")
        return value
