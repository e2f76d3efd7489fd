"""Models of alignment: estimators on plain frames and arrays, one per theory.

The model modules are listed once, below; importing this package registers every model in
:data:`MODELS`. Models import nothing from the data, the panels or the fronts: their inputs
are assembled by :mod:`allegiance.inputs` and runs by :mod:`allegiance.runs`.
"""

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
