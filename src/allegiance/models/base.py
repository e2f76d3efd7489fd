"""The model contract: scikit-learn style estimators with Axelrod-style metadata.

Parameters are stored by the constructor and validated in ``fit``; fitted state lives in
attributes ending in ``_``; ``clone`` copies parameters only; ``check_is_fitted`` refuses
unfitted use with a clear error.
"""

from __future__ import annotations

import copy
import inspect
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import numpy as np

from allegiance.errors import AllegianceError, ParameterError
from allegiance.references import with_references
from allegiance.registry import Registry

__all__ = [
    "MAX_SEED",
    "MODELS",
    "Interval",
    "Model",
    "ModelMeta",
    "NotFittedError",
    "Options",
    "check_is_fitted",
    "clone",
    "register_model",
    "resolve_seed",
    "validate_params",
]

#: Largest seed a model records: seeds are 32-bit, the range every estimator accepts.
MAX_SEED = 2**32 - 1


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


#: Every model class by its ``meta.name``, filled when :mod:`allegiance.models` is imported.
MODELS: Registry[type[Model]] = Registry("model")

M = TypeVar("M", bound=type[Model])


def register_model(cls: M) -> M:
    """Class decorator adding a model to :data:`MODELS` under ``cls.meta.name``.

    The class docstring's ``References`` section is rendered from ``cls.meta.citations``.
    """
    MODELS.add(cls.meta.name, cls)
    cls.__doc__ = with_references(cls.__doc__, cls.meta.citations)
    return cls


def resolve_seed(random_state: int | np.integer[Any] | np.random.Generator | None) -> int:
    """The integer seed a stochastic model uses and records.

    An int is used as it is (it must lie in ``[0, MAX_SEED]``); None draws one from fresh
    operating-system entropy, a ``numpy.random.Generator`` draws one from itself. Recording
    the seed makes every run repeatable: pass it back as ``random_state``.

    >>> resolve_seed(7)
    7
    >>> 0 <= resolve_seed(None) <= MAX_SEED
    True
    """
    if isinstance(random_state, int | np.integer) and not isinstance(random_state, bool):
        if not 0 <= int(random_state) <= MAX_SEED:
            raise ParameterError(
                f"A seed must be a whole number from 0 to {MAX_SEED}. Got {int(random_state)}."
            )
        return int(random_state)
    rng = random_state if isinstance(random_state, np.random.Generator) else None
    return int((rng or np.random.default_rng()).integers(MAX_SEED + 1))
