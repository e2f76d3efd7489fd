"""The scenario file format (TOML) and its validation: clear errors naming the file and key.

A scenario file sets a base year and actors, where sizes and propensities come from, the
shocks to apply and the uncertainty of every input. Example::

    name = "us_drawdown"
    description = "US capabilities fall by 40%; US-ROK and US-Japan ties weaken."
    base_year = 2014
    actors = ["USA", "Russia", "China", "North Korea", "South Korea", "Japan"]
    size_source = "cinc"
    propensity_source = "index"
    remove = []

    [uncertainty]
    size = {dist = "lognormal", median = 1.0, sd = 0.1}    # multiplies each actor's size
    propensity = {dist = "normal", mean = 0.0, sd = 0.05}  # is added to each pair

    [[size_shock]]
    actor = "USA"
    multiply = {dist = "uniform", low = 0.5, high = 0.7}

    [[propensity_shock]]
    pair = ["USA", "South Korea"]
    add = -0.3

    [[add_actor]]
    name = "Taiwan"
    size = 0.01
    propensity = {USA = 0.4, China = -0.6}

A value that can be uncertain is a number or a distribution table: ``normal`` (``mean``,
``sd``), ``uniform`` (``low``, ``high``) or ``lognormal`` (``median``, ``sd`` of the log).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from allegiance.errors import ParameterError
from allegiance.userfiles import read_toml

__all__ = [
    "SCENARIO_DIR",
    "ActorAddition",
    "Dist",
    "LogNormal",
    "Normal",
    "PropensityShock",
    "ScenarioFile",
    "SizeShock",
    "Uncertainty",
    "Uniform",
    "load_scenario_file",
    "parse_scenario",
    "scenario_path",
    "shipped_scenarios",
]

#: The scenario files shipped with the package.
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


def shipped_scenarios() -> list[str]:
    """Names of the scenario files shipped with the package (Northeast Asia)."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def scenario_path(name_or_path: str | Path) -> Path:
    """A scenario file path: an existing file, or the name of a shipped scenario."""
    path = Path(name_or_path)
    if path.exists() or path.suffix == ".toml":
        return path
    shipped = SCENARIO_DIR / f"{name_or_path}.toml"
    if shipped.exists():
        return shipped
    raise ParameterError(
        f"Scenario {str(name_or_path)!r} is neither a file nor a shipped scenario. "
        f"Shipped: {', '.join(shipped_scenarios())}."
    )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Normal(_Strict):
    """Normal distribution with ``mean`` and standard deviation ``sd``."""

    dist: Literal["normal"]
    mean: float = 0.0
    sd: float = Field(ge=0.0)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        """``size`` draws (or one)."""
        return rng.normal(self.mean, self.sd, size=size)


class Uniform(_Strict):
    """Uniform distribution on ``[low, high]``."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must not be below low ({self.low})")
        return self

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        """``size`` draws (or one)."""
        return rng.uniform(self.low, self.high, size=size)


class LogNormal(_Strict):
    """Log-normal distribution: ``median`` and ``sd`` of the natural log."""

    dist: Literal["lognormal"]
    median: float = Field(default=1.0, gt=0.0)
    sd: float = Field(ge=0.0)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        """``size`` draws (or one): the median times exp of a normal draw."""
        return self.median * np.exp(rng.normal(0.0, self.sd, size=size))


_DISTS: dict[Any, type[BaseModel]] = {"normal": Normal, "uniform": Uniform, "lognormal": LogNormal}
Dist = float | Annotated[Normal | Uniform | LogNormal, Field(discriminator="dist")]


def _positive(value: Dist, what: str) -> Dist:
    """Refuse distributions that can give a size (or size multiplier) of zero or less."""
    if isinstance(value, float | int) and value <= 0:
        raise ValueError(f"{what} must be positive; got {value} (to drop an actor, use remove)")
    if isinstance(value, Uniform) and value.low <= 0:
        raise ValueError(f"{what} must be positive; a uniform needs low > 0, got {value.low}")
    if isinstance(value, Normal):
        raise ValueError(f"{what} must be positive; use lognormal or uniform, not normal")
    return value


class Uncertainty(_Strict):
    """Noise on the data-derived inputs, drawn independently per actor (size) or pair.

    ``size`` multiplies each actor's size (a positive distribution, median 1 for no bias);
    ``propensity`` is added to each pair's propensity (e.g. normal with mean 0).
    """

    size: Dist = 1.0
    propensity: Dist = 0.0

    @field_validator("size")
    @classmethod
    def _size_positive(cls, v: Dist) -> Dist:
        return _positive(v, "the size noise")


class SizeShock(_Strict):
    """Multiply an actor's size by ``multiply``, or ``set`` it (exactly one of the two)."""

    actor: str | int
    multiply: Dist | None = None
    set: Dist | None = None

    @field_validator("multiply", "set")
    @classmethod
    def _check_positive(cls, v: Dist | None) -> Dist | None:
        return None if v is None else _positive(v, "a size multiplier or size")

    @model_validator(mode="after")
    def _one_op(self) -> SizeShock:
        if (self.multiply is None) == (self.set is None):
            raise ValueError("give exactly one of multiply or set")
        return self


class PropensityShock(_Strict):
    """Add ``add`` to a pair's propensity, or ``set`` it (exactly one of the two)."""

    pair: tuple[str | int, str | int]
    add: Dist | None = None
    set: Dist | None = None

    @model_validator(mode="after")
    def _one_op(self) -> PropensityShock:
        if (self.add is None) == (self.set is None):
            raise ValueError("give exactly one of add or set")
        if str(self.pair[0]) == str(self.pair[1]):
            raise ValueError("a pair needs two different actors")
        return self


class ActorAddition(_Strict):
    """A new actor (not from the data): its size and propensities (0 to actors not listed)."""

    name: str = Field(min_length=1)
    size: Dist
    propensity: dict[str, Dist] = Field(default_factory=dict)

    @field_validator("size")
    @classmethod
    def _size_positive(cls, v: Dist) -> Dist:
        return _positive(v, "an added actor's size")


class ScenarioFile(_Strict):
    """A validated scenario file (see the module docstring for the format)."""

    name: str = Field(min_length=1)
    description: str = ""
    base_year: int = Field(ge=1816)
    actors: list[str | int] = Field(min_length=1)
    size_source: Literal["cinc"] = "cinc"
    propensity_source: Literal["index"] = "index"
    n_blocs: int = Field(default=2, ge=2, le=4)
    remove: list[str | int] = Field(default_factory=list)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    size_shock: list[SizeShock] = Field(default_factory=list)
    propensity_shock: list[PropensityShock] = Field(default_factory=list)
    add_actor: list[ActorAddition] = Field(default_factory=list)


def parse_scenario(data: dict[str, Any], source: str) -> ScenarioFile:
    """Validate a parsed TOML table; ParameterError names ``source`` and the key path."""
    try:
        return ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise ParameterError(f"Scenario file {source}: {_describe(exc)}") from None


def load_scenario_file(path: str | Path) -> ScenarioFile:
    """Read and validate a scenario file.

    Raises
    ------
    ParameterError
        The file is missing, is not TOML, or breaks the format. The message names the file and
        the key path (TOML parsers give no line numbers for values), e.g.
        ``Scenario file x.toml: size_shock[0].multiply: a size multiplier ... must be positive``.
    """
    path = Path(path)
    _, data = read_toml(path, "scenario file")
    return parse_scenario(data, str(path))


def _describe(exc: ValidationError) -> str:
    """The first error as ``key.path: what is wrong``, with the valid keys for unknown keys."""
    errors = exc.errors(include_url=False)
    err = next((e for e in errors if not _other_branch(e)), errors[0])
    loc = [p for p in err["loc"] if not _is_dist_tag(p)]
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    if err["type"] == "extra_forbidden":
        tags = [p for p in err["loc"] if p in _DISTS]
        valid = list(_DISTS[tags[-1]].model_fields) if tags else _valid_keys(loc[:-1])
        hint = f" Valid keys here: {', '.join(valid)}." if valid else ""
        return f"unknown key {path!r}.{hint}"
    if err["type"] == "missing":
        return f"the key {path!r} is required."
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        message = "a distribution needs dist = 'normal', 'uniform' or 'lognormal'"
    elif err["type"] in ("float_parsing", "float_type") and "float" in err["loc"]:
        message = "must be a number or a distribution like {dist = 'normal', mean = 0, sd = 0.1}"
    return f"{path or 'top level'}: {message}" + ("" if message.endswith(".") else ".")


def _other_branch(err: Any) -> bool:
    """An error from the union branch the value did not aim at (number vs distribution)."""
    loc = err["loc"]
    if "float" in loc:
        return isinstance(err["input"], dict)
    return err["type"] == "model_attributes_type" and any(_is_dist_tag(p) for p in loc)


def _is_dist_tag(part: Any) -> bool:
    """pydantic puts union branch names (float, normal, ...) in error locations; drop them."""
    return isinstance(part, str) and (
        part in ("float", "int", "str", "normal", "uniform", "lognormal") or "[" in part
    )


def _valid_keys(loc: list[Any]) -> list[str]:
    model: Any = ScenarioFile
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model = _inner_model(field.annotation)
    return list(getattr(model, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    """The model class inside ``list[Model]`` or ``Model`` (None for other types)."""
    args = getattr(annotation, "__args__", ())
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in args:
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
