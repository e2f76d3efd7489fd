"""Everything that draws or writes: figures of results, the atomic writers, the HTML report."""

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
