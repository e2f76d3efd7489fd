"""Models of alignment: estimators on plain frames and arrays, one per theory.

The model modules are listed once, below (``_MODULES``); looking up :data:`MODELS` here
imports them all, each registering its model. Every other name is imported on first use, so
one model does not load the libraries of the others (numba, statsmodels). Models import
nothing from the data, the panels or the fronts: their inputs are assembled by
:mod:`allegiance.inputs` and runs by :mod:`allegiance.runs`.
"""

import importlib
from typing import TYPE_CHECKING

from allegiance.registry import lazy_exports

if TYPE_CHECKING:
    from allegiance.models.balance import StructuralBalance
    from allegiance.models.base import MODELS, Model, ModelMeta, NotFittedError, clone
    from allegiance.models.event_study import EventStudy
    from allegiance.models.expected import ExpectedCooperation
    from allegiance.models.landscape import Landscape
    from allegiance.models.quasi import QuasiAlliance
    from allegiance.models.scenario import Plan, ScenarioResult

__all__ = [
    "MODELS",
    "EventStudy",
    "ExpectedCooperation",
    "Landscape",
    "Model",
    "ModelMeta",
    "NotFittedError",
    "Plan",
    "QuasiAlliance",
    "ScenarioResult",
    "StructuralBalance",
    "clone",
]

_WHERE = {
    "StructuralBalance": "allegiance.models.balance",
    "MODELS": "allegiance.models.base",
    "Model": "allegiance.models.base",
    "ModelMeta": "allegiance.models.base",
    "NotFittedError": "allegiance.models.base",
    "clone": "allegiance.models.base",
    "EventStudy": "allegiance.models.event_study",
    "ExpectedCooperation": "allegiance.models.expected",
    "Landscape": "allegiance.models.landscape",
    "QuasiAlliance": "allegiance.models.quasi",
    "Plan": "allegiance.models.scenario",
    "ScenarioResult": "allegiance.models.scenario",
}


_MODULES = ("balance", "event_study", "expected", "landscape", "quasi", "scenario")


def _register_all() -> None:
    """Import every model module, each registering its model in :data:`MODELS`."""
    for module in _MODULES:
        importlib.import_module(f"allegiance.models.{module}")


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, before={"MODELS": _register_all})
