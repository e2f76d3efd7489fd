"""Validated request parameters of the web API (pydantic); errors become HTTP 422."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from allegiance.params import parse_dyad, parse_states, parse_years
from allegiance.web.limits import MAX_EXACT_ACTORS

__all__ = [
    "SCENARIOS",
    "DyadText",
    "LandscapeRequest",
    "PanelQuery",
    "ScenarioName",
    "ScenarioRequest",
    "YearsText",
    "parse_codes",
    "parse_span",
]


def _years(text: str) -> str:
    parse_years(text, "years")
    return text


def _dyad(text: str) -> str:
    parse_dyad(text, "dyad")
    return text


#: A year range ``1946-2016``, checked by the parameter vocabulary.
YearsText = Annotated[str, AfterValidator(_years)]
#: Two states ``740-732`` (codes or names), checked by the parameter vocabulary.
DyadText = Annotated[str, AfterValidator(_dyad)]


def parse_span(text: str) -> range:
    """``1946-2016`` -> range (the parameter vocabulary's years)."""
    return parse_years(text, "years")


def parse_codes(text: str) -> list[int]:
    """``2,710,740`` or names -> COW codes (the parameter vocabulary's states)."""
    return parse_states(text, "states")


class PanelQuery(BaseModel):
    """Query of a paged panel."""

    model_config = ConfigDict(extra="forbid")

    years: YearsText = Field("1946-2016", description="Year range, e.g. 1946-2016.")
    states: str | None = Field(None, description="Comma-separated COW codes or names.")
    add: str = Field("", description="Comma-separated variable families.")
    columns: str | None = Field(None, description="Comma-separated columns to return.")
    directed: bool = False
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(100, ge=1, le=5000, description="Rows per page (1-5000).")


class LandscapeRequest(BaseModel):
    """A landscape run: actors with sizes and a symmetric propensity list."""

    model_config = ConfigDict(extra="forbid")

    actors: list[str] = Field(min_length=2, max_length=MAX_EXACT_ACTORS)
    sizes: list[float] = Field(min_length=2, max_length=MAX_EXACT_ACTORS)
    propensities: list[list[float]] = Field(
        max_length=MAX_EXACT_ACTORS, description="n x n symmetric, zero diagonal"
    )
    n_blocs: int = Field(2, ge=2, le=4)

    @field_validator("sizes")
    @classmethod
    def _positive(cls, value: list[float]) -> list[float]:
        if any(s <= 0 for s in value):
            raise ValueError("every size must be positive")
        return value


#: The shipped scenarios the dashboard offers.
ScenarioName = Literal[
    "baseline", "us_drawdown", "china_rise", "japan_rearmament", "dprk_collapse", "us_withdrawal"
]
#: Their names, in the dashboard's order.
SCENARIOS: tuple[str, ...] = get_args(ScenarioName)


class ScenarioRequest(BaseModel):
    """A scenario run from the sliders: the base year's data with multipliers and shifts."""

    model_config = ConfigDict(extra="forbid")

    scenario: ScenarioName = "baseline"
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
