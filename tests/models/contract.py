"""The contract every Model honours; each model's test module calls :func:`check_model`.

- ``meta.citations`` resolve in ``references.bib``;
- an unfitted model raises NotFittedError from its main output method;
- ``clone`` gives an unfitted model with equal parameters;
- fitting twice (same data, same seed) gives equal results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from allegiance.data.catalog import references
from allegiance.models.base import Model, NotFittedError, clone


def check_model(
    make: Callable[[], Model],
    fit: Callable[[Model], Model],
    result: Callable[[Model], Any],
    equal: Callable[[Any, Any], bool] = lambda a, b: bool(a == b),
) -> None:
    """Run the shared contract: ``make()`` builds an unfitted model, ``fit(m)`` fits it, and
    ``result(m)`` returns its main output (which must raise NotFittedError before fit)."""
    model = make()
    bib = references()
    for key in model.meta.citations:
        assert key in bib, f"{type(model).__name__} cites {key!r}, missing from references.bib"
    with pytest.raises(NotFittedError):
        result(model)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and copy is not model
    first = result(fit(model))
    second = result(fit(clone(model)))
    assert equal(first, second), "refitting with the same data and seed changed the result"
    with pytest.raises(NotFittedError):
        result(clone(model))
