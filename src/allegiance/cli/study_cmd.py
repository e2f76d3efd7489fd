"""``allegiance study``: run a study end to end and write its report."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from allegiance.cli.common import reporting_errors

__all__ = ["study"]


def study(
    file: Path = typer.Argument(None, help="Study file (TOML); default: the Northeast Asia study."),
    out: Path = typer.Option(Path("allegiance-study"), "--out", help="Report folder."),
    jobs: int = typer.Option(
        None,
        "--jobs",
        envvar="ALLEGIANCE_JOBS",
        show_default=False,
        help="Processes computing claims at once (default: one per core, at most 4; 1 "
        "computes them one after another). Cached claims are only read.",
    ),
) -> None:
    """Audit a study's claims against the data; write DIR/index.html and the evidence tables.

    Example: allegiance study --out report   (then open report/index.html)
    """
    from allegiance.report.outputs import STUDY_FILES, write_study
    from allegiance.report.writer import check_folder
    from allegiance.study import bundled_study, claims_table, load_study, run_study

    console = Console(stderr=True)
    with reporting_errors({"jobs": "--jobs"}):
        jobs = min(os.cpu_count() or 1, 4) if jobs is None else jobs  # run_study checks it
        spec = load_study(file if file is not None else bundled_study())
        check_folder(out, STUDY_FILES)
        with console.status("running the study") as status:
            result = run_study(
                spec, progress=lambda ids: status.update(f"evaluating {ids}"), jobs=jobs
            )
            status.update("writing the report")
            index = write_study(result, out)
    table = Table(title=spec.title, show_lines=True)
    columns = (("claim", 18), ("decided by", 10), ("verdict", 13), ("robustness", 10),
               ("how sure", 8), ("why", 48))  # fmt: skip
    for col, width in columns:
        table.add_column(col, max_width=width, overflow="fold")
    for row in claims_table(result).iter_rows(named=True):
        table.add_row(row["claim"], row["evidence_type"], row["verdict"], row["robustness"],
                      row["certainty"], row["why"])  # fmt: skip
    Console(width=max(Console().width, 110)).print(table)
    reused = sum(r.cached for r in result.claims)
    console.print(f"Report: {index} ({reused} of {len(result.claims)} claims from the cache).")
