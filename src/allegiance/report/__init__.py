"""Everything that draws or writes: figures of results, the atomic writers, the HTML report.

Each name is imported on first use, so writing a file does not load plotly.
"""

from typing import TYPE_CHECKING

from allegiance.registry import lazy_exports

if TYPE_CHECKING:
    from allegiance.report.figures import EVIDENCE_FIGURES, evidence_figure
    from allegiance.report.html import render_report
    from allegiance.report.outputs import write_expected, write_quasi, write_scenario, write_study
    from allegiance.report.writer import write_file, write_folder, write_frame, write_text

__all__ = [
    "EVIDENCE_FIGURES",
    "evidence_figure",
    "render_report",
    "write_expected",
    "write_file",
    "write_folder",
    "write_frame",
    "write_quasi",
    "write_scenario",
    "write_study",
    "write_text",
]

_WHERE = {
    "EVIDENCE_FIGURES": "allegiance.report.figures",
    "evidence_figure": "allegiance.report.figures",
    "render_report": "allegiance.report.html",
    "write_expected": "allegiance.report.outputs",
    "write_quasi": "allegiance.report.outputs",
    "write_scenario": "allegiance.report.outputs",
    "write_study": "allegiance.report.outputs",
    "write_file": "allegiance.report.writer",
    "write_folder": "allegiance.report.writer",
    "write_frame": "allegiance.report.writer",
    "write_text": "allegiance.report.writer",
}
__getattr__, __dir__ = lazy_exports(__name__, _WHERE)
