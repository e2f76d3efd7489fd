"""Contract suites over every registry: models, measures and evidence kinds.

Each entry of a registry is checked the same way, so a new model, measure or kind cannot skip
the contract: a model without a case below fails :func:`test_every_model_has_a_case`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
import pytest
from tests.models.contract import check_model

import allegiance.measures as measures
from allegiance.data.catalog import references
from allegiance.measures import MEASURES
from allegiance.models import MODELS
from allegiance.models.base import Model
from allegiance.study import KINDS

_P = np.array([[0.0, 1.0, -1.0], [1.0, 0.0, -0.5], [-1.0, -0.5, 0.0]])


def _expected_frame() -> pl.DataFrame:
    rng = np.random.default_rng(0)
    n = 600
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    return pl.DataFrame({"ccode1": np.arange(n) % 30, "ccode2": 100 + np.arange(n) % 7,
                         "year": 1990 + np.arange(n) % 20, "y": y, "x": x})  # fmt: skip


def _quasi_inputs() -> pl.DataFrame:
    years = list(range(1970, 1990))
    rng = np.random.default_rng(1)
    return pl.DataFrame({
        "ccode": [1] * 20 + [2] * 20, "year": years * 2,
        "signals_down": (rng.random(40) < 0.2).astype(float), "signals_up": [0.0] * 40,
        "troop_change": rng.normal(scale=0.05, size=40), "exposure": rng.poisson(2, 40) * 1.0,
    })  # fmt: skip


Case = tuple[Callable[[], Model], Callable[[Any], Any], Callable[[Any], Any]]
CASES: dict[str, Case] = {
    "expected": (
        lambda: MODELS["expected"](outcome="y", formula="x", split=2004, random_state=0),
        lambda m: m.fit(_expected_frame()),
        lambda m: m.coefficients().to_dicts(),
    ),
    "landscape": (lambda: MODELS["landscape"](), lambda m: m.fit(np.ones(3), _P),
                  lambda m: m.to_dict()),
    "structural_balance": (
        lambda: MODELS["structural_balance"](),
        lambda m: m.fit(np.sign(_P).astype(int)),
        lambda m: m.summary(),
    ),
    "event_study": (
        lambda: MODELS["event_study"](window=3, n_permutations=19, random_state=0),
        lambda m: m.fit(
            pl.DataFrame({"t": list(range(30)), "value": [float(t % 7) for t in range(30)],
                          "n_events": [1] * 30, "source": ["a"] * 30}),
            pl.DataFrame({"event": ["a", "b"], "t": [3, 17]}),
        ),
        lambda m: m.summary().to_dicts(),
    ),
    "quasi": (
        lambda: MODELS["quasi"](n_permutations=0, random_state=0),
        lambda m: m.fit(_quasi_inputs()),
        lambda m: m.predict().to_dicts(),
    ),
}  # fmt: skip


def test_every_model_has_a_case() -> None:
    assert set(CASES) == set(MODELS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_contract(name: str) -> None:
    make, fit, result = CASES[name]
    assert make().meta.name == name
    check_model(make, fit, result)


@pytest.mark.parametrize("name", list(MEASURES))
def test_measure_contract(name: str) -> None:
    measure = MEASURES[name]
    assert measure.func.__name__ == name, "a measure has one name: its function is called so"
    assert callable(getattr(measures, f"add_{name}")), f"allegiance.measures.add_{name} missing"
    assert f"add_{name}" in measures.__all__
    doc = measure.func.__doc__ or ""
    assert measure.summary and ("math::" in doc or ":math:" in doc), "the formula is documented"
    bib = references()
    assert measure.citations and all(key in bib for key in measure.citations)


@pytest.mark.parametrize("name", list(KINDS))
def test_kind_contract(name: str) -> None:
    kind = KINDS[name]
    assert kind.doc.strip(), "every kind documents what it decides"
    assert set(kind.lists) <= {*kind.required, *kind.optional}
    assert not set(kind.required) & set(kind.optional)


def test_a_measure_added_to_a_panel_equals_the_computed_measure() -> None:
    from allegiance.panel import dyad_years

    panel = dyad_years("cow", range(2000, 2003), directed=False, states=[2, 732, 740])
    added = panel.pipe(measures.add_sscore).collect()
    computed = measures.compute("sscore", range(2000, 2003), states=[2, 732, 740])
    keys = ["ccode1", "ccode2", "year"]
    joined = added.join(computed, on=keys, suffix="_c")
    assert joined.height == added.height == computed.height
    assert joined["sscore"].to_list() == joined["sscore_c"].to_list()
