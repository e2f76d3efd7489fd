"""Model inputs: for each model, the one place that knows both the data and the model.

Each module assembles one model's inputs from panels and measures (which columns, which years,
which outcome): :mod:`~allegiance.inputs.expected` (the dyad-year design frame),
:mod:`~allegiance.inputs.quasi` (client-year inputs and the observed relation),
:mod:`~allegiance.inputs.landscape` (sizes and propensities), :mod:`~allegiance.inputs.balance`
(the signed network) and :mod:`~allegiance.inputs.scenario` (the scenario file format).

Each name is imported on first use, so one model's inputs do not load the others'.
"""

from typing import TYPE_CHECKING

from allegiance.registry import lazy_exports

if TYPE_CHECKING:
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

_WHERE = {
    "SignedNetwork": "allegiance.inputs.balance",
    "signed_network": "allegiance.inputs.balance",
    "DEFAULT_FORMULA": "allegiance.inputs.expected",
    "OUTCOMES": "allegiance.inputs.expected",
    "design_frame": "allegiance.inputs.expected",
    "LandscapeInputs": "allegiance.inputs.landscape",
    "propensity_index": "allegiance.inputs.landscape",
    "read_landscape_files": "allegiance.inputs.landscape",
    "client_inputs": "allegiance.inputs.quasi",
    "load_signals": "allegiance.inputs.quasi",
    "observed_relation": "allegiance.inputs.quasi",
    "load_scenario_file": "allegiance.inputs.scenario",
    "shipped_scenarios": "allegiance.inputs.scenario",
}
__getattr__, __dir__ = lazy_exports(__name__, _WHERE)
