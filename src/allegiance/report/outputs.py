"""The output folders of each analysis: which files a run writes, written by one writer.

Each ``*_FILES`` tuple names every file (or folder) an analysis may write; a front checks its
``--out`` against it before any work (:func:`allegiance.report.writer.check_folder`), and the
``write_*`` function writes the folder atomically.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from allegiance.report.writer import write_folder
from allegiance.study.runner import StudyResult, claims_table

if TYPE_CHECKING:
    from allegiance.runs.expected import ExpectedResult
    from allegiance.runs.quasi import QuasiResult

__all__ = [
    "EXPECTED_FILES",
    "QUASI_FILES",
    "SCENARIO_FILES",
    "STUDY_FILES",
    "write_expected",
    "write_quasi",
    "write_scenario",
    "write_study",
]

EXPECTED_FILES = (
    "metrics.csv",
    "coefficients.csv",
    "calibration.csv",
    "ranking.parquet",
    "ranking.csv",
    "dyad_percentile.csv",
    "dyad_decades.csv",
    "logit_summary.txt",
    "dyad_percentile.html",
)
QUASI_FILES = (
    "event_study.csv",
    "predicted.csv",
    "fears.csv",
    "observed.csv",
    "evaluation.csv",
    "stability.csv",
    "quasi.html",
)
SCENARIO_FILES = (
    "configurations.csv",
    "coalition_matrix.csv",
    "draws.parquet",
    "summary.json",
    "coalition_heatmap.html",
)
STUDY_FILES = ("index.html", "claims.csv", "tables")

Writer = Callable[[Path], object]


def _csv(frame: pl.DataFrame) -> Writer:
    return lambda path: _csv_safe(frame).write_csv(path)


def _parquet(frame: pl.DataFrame) -> Writer:
    return lambda path: frame.write_parquet(path)


def _text(text: str) -> Writer:
    return lambda path: path.write_text(text, encoding="utf-8")


def _html(figure: Any) -> Writer:
    return lambda path: figure.write_html(path, include_plotlyjs=True)


def _csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns (lists, structs) as text, since CSV cannot hold them."""
    nested = [c for c, t in frame.schema.items() if t.is_nested()]
    texts = [
        pl.Series(c, [None if v is None else str(v) for v in frame[c].to_list()]) for c in nested
    ]
    return frame.with_columns(texts) if texts else frame


def write_expected(result: ExpectedResult, out: Path, label: str) -> Path:
    """The expected-cooperation folder: tables, the logit summary and the percentile figure."""
    from allegiance.report.figures import percentile_figure

    tables = result.tables()
    files: dict[str, Writer] = {
        "metrics.csv": _csv(tables["metrics"]),
        "calibration.csv": _csv(tables["calibration"]),
        "ranking.parquet": _parquet(tables["ranking"]),
        "ranking.csv": _csv(tables["top"]),
        "dyad_percentile.csv": _csv(tables["dyad_percentile"]),
        "dyad_decades.csv": _csv(tables["dyad_decades"]),
        "dyad_percentile.html": _html(percentile_figure(result, label)),
    }
    if tables["coefficients"].height:
        files["coefficients.csv"] = _csv(tables["coefficients"])
        files["logit_summary.txt"] = _text(result.fit.models["logit"].summary() + "\n")
    return write_folder(out, files)


def write_quasi(result: QuasiResult, out: Path, names: dict[int, str]) -> Path:
    """The quasi-alliance folder: the event study, predicted, fears, observed, evaluation,
    stability and the figure."""
    from allegiance.report.figures import quasi_figure

    files: dict[str, Writer] = {f"{k}.csv": _csv(v) for k, v in result.tables().items()}
    files["quasi.html"] = _html(quasi_figure(result, names))
    return write_folder(out, files)


def write_scenario(result: Any, out: Path) -> Path:
    """The scenario folder: configurations, coalition matrix, draws, summary and heatmap."""
    from allegiance.report.figures import coalition_figure

    matrix = result.coalition()
    coalition = pl.DataFrame(
        {"actor": list(result.actors), **{a: matrix[:, k] for k, a in enumerate(result.actors)}}
    )
    files: dict[str, Writer] = {
        "configurations.csv": _csv(result.configurations()),
        "coalition_matrix.csv": _csv(coalition),
        "draws.parquet": _parquet(result.draws_frame()),
        "summary.json": _text(json.dumps(result.summary(), indent=2)),
        "coalition_heatmap.html": _html(coalition_figure(result)),
    }
    return write_folder(out, files)


def write_study(result: StudyResult, out: Path) -> Path:
    """The study report: ``index.html``, ``claims.csv`` and every evidence table as parquet and
    CSV under ``tables/`` (further tables of a claim as ``<claim>.<name>.*``)."""
    from allegiance.report.html import render_report

    files: dict[str, Writer] = {"claims.csv": _csv(claims_table(result))}
    for r in result.claims:
        finding = r.evidence.finding
        parts = {"": finding.table, **finding.tables}
        if r.evidence.grid.height:
            parts["grid"] = r.evidence.grid
        for name, table in parts.items():
            stem = f"tables/{r.claim.id}{'.' + name if name else ''}"
            files[f"{stem}.parquet"] = _parquet(table)
            files[f"{stem}.csv"] = _csv(table)
    files["index.html"] = _text(render_report(result))
    write_folder(out, files)
    return out / "index.html"
