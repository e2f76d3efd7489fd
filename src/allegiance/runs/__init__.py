"""One run function per analysis: validated parameters in, a result with tables and metadata out.

The CLI, the study's evidence kinds and the web API call only these: :func:`run_expected`,
:func:`run_quasi`, :func:`run_landscape`, :func:`run_balance` and :func:`run_scenario`.

Each name is imported on first use, so one run does not load the libraries of the others.
"""

from typing import TYPE_CHECKING

from allegiance.registry import lazy_exports

if TYPE_CHECKING:
    from allegiance.runs.balance import BalanceResult, run_balance
    from allegiance.runs.expected import ExpectedResult, run_expected
    from allegiance.runs.landscape import LandscapeResult, landscape_inputs, run_landscape
    from allegiance.runs.quasi import QuasiResult, run_quasi
    from allegiance.runs.result import RunMeta
    from allegiance.runs.scenario import plan_scenario, run_scenario

__all__ = [
    "BalanceResult",
    "ExpectedResult",
    "LandscapeResult",
    "QuasiResult",
    "RunMeta",
    "landscape_inputs",
    "plan_scenario",
    "run_balance",
    "run_expected",
    "run_landscape",
    "run_quasi",
    "run_scenario",
]

_WHERE = {
    "BalanceResult": "allegiance.runs.balance",
    "run_balance": "allegiance.runs.balance",
    "ExpectedResult": "allegiance.runs.expected",
    "run_expected": "allegiance.runs.expected",
    "LandscapeResult": "allegiance.runs.landscape",
    "landscape_inputs": "allegiance.runs.landscape",
    "run_landscape": "allegiance.runs.landscape",
    "QuasiResult": "allegiance.runs.quasi",
    "run_quasi": "allegiance.runs.quasi",
    "RunMeta": "allegiance.runs.result",
    "plan_scenario": "allegiance.runs.scenario",
    "run_scenario": "allegiance.runs.scenario",
}
__getattr__, __dir__ = lazy_exports(__name__, _WHERE)
