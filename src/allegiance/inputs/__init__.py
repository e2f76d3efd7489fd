"""Model inputs: for each model, the one place that knows both the data and the model.

Each module assembles one model's inputs from panels and measures (which columns, which years,
which outcome): :mod:`~allegiance.inputs.expected` (the dyad-year design frame),
:mod:`~allegiance.inputs.quasi` (client-year inputs and the observed relation),
:mod:`~allegiance.inputs.landscape` (sizes and propensities), :mod:`~allegiance.inputs.balance`
(the signed network) and :mod:`~allegiance.inputs.scenario` (the scenario file format).
"""

from allegiance.inputs.balance import SignedNetwork, signed_network
from allegiance.inputs.expected import DEFAULT_FORMULA, OUTCOMES, design_frame
from allegiance.inputs.landscape import LandscapeInputs, propensity_index, read_landscape_files
from allegiance.inputs.quasi import client_inputs, load_signals, observed_relation
from allegiance.inputs.scenario import load_scenario_file, shipped_scenarios

__all__ = [
    "DEFAULT_FORMULA",
    "OUTCOMES",
    "LandscapeInputs",
    "SignedNetwork",
    "client_inputs",
    "design_frame",
    "load_scenario_file",
    "load_signals",
    "observed_relation",
    "propensity_index",
    "read_landscape_files",
    "shipped_scenarios",
    "signed_network",
]
