"""The model contract: scikit-learn style estimators with Axelrod-style metadata.

Parameters are stored by the constructor and validated in ``fit``; fitted state lives in
attributes ending in ``_``; ``clone`` copies parameters only; ``check_is_fitted`` refuses
unfitted use with a clear error.
"""

from __future__ import annotations

import copy
import inspect
from dataclasses import dataclass
from typing import Any, ClassVar

from allegiance.errors import AllegianceError, ParameterError

__all__ = [
    "Interval",
    "Model",
    "ModelMeta",
    "NotFittedError",
    "Options",
    "check_is_fitted",
    "clone",
    "validate_params",
]


class NotFittedError(AllegianceError, ValueError):
    """A model was used before ``fit``."""


@dataclass(frozen=True)
class ModelMeta:
    """What a model is: its name, the citation keys of its theory, whether it draws at random."""

    name: str
    citations: tuple[str, ...]
    stochastic: bool = False


@dataclass(frozen=True)
class Interval:
    """A numeric constraint: ``kind`` (int or float) within ``[low, high]`` (None = unbounded)."""

    kind: type
    low: float | None = None
    high: float | None = None
    allow_none: bool = False

    def check(self, value: Any) -> bool:
        if value is None:
            return self.allow_none
        if isinstance(value, bool) or not isinstance(
            value, (int, float) if self.kind is float else int
        ):
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def describe(self) -> str:
        lo = "-inf" if self.low is None else self.low
        hi = "inf" if self.high is None else self.high
        extra = " or None" if self.allow_none else ""
        return f"{'an int' if self.kind is int else 'a number'} in [{lo}, {hi}]{extra}"


@dataclass(frozen=True)
class Options:
    """A categorical constraint: one of ``values``."""

    values: frozenset[Any]

    def check(self, value: Any) -> bool:
        return value in self.values

    def describe(self) -> str:
        return "one of {" + ", ".join(repr(v) for v in sorted(self.values, key=str)) + "}"


class Model:
    """Base class: parameters in the constructor, ``fit`` validates them, state ends in ``_``."""

    meta: ClassVar[ModelMeta]
    _constraints: ClassVar[dict[str, list[Interval | Options]]] = {}

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters and their current values."""
        names = [
            p.name
            for p in inspect.signature(type(self).__init__).parameters.values()
            if p.name != "self" and p.kind is not p.VAR_KEYWORD
        ]
        return {name: getattr(self, name) for name in names}

    def set_params(self, **params: Any) -> Model:
        """Set constructor parameters (validated at the next ``fit``)."""
        valid = self.get_params()
        for key, value in params.items():
            if key not in valid:
                raise ParameterError(
                    f"{type(self).__name__} has no parameter {key!r}. "
                    f"Its parameters: {', '.join(valid)}."
                )
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


def validate_params(model: Model) -> None:
    """Check every parameter against the model's ``_constraints``; ParameterError otherwise.

    Message template: "The 'n_blocs' parameter of Landscape must be an int in [2, inf].
    Got 1 instead."
    """
    for name, rules in model._constraints.items():
        value = getattr(model, name)
        if not any(rule.check(value) for rule in rules):
            allowed = " or ".join(rule.describe() for rule in rules)
            raise ParameterError(
                f"The {name!r} parameter of {type(model).__name__} must be {allowed}. "
                f"Got {value!r} instead."
            )


def clone(model: Model) -> Model:
    """A new unfitted model with the same parameters (deep-copied)."""
    return type(model)(**copy.deepcopy(model.get_params()))


def check_is_fitted(model: Model, attribute: str) -> None:
    """Raise NotFittedError unless ``model`` has the fitted ``attribute``."""
    if not hasattr(model, attribute):
        raise NotFittedError(
            f"This {type(model).__name__} is not fitted yet. Call fit() before using it."
        )
