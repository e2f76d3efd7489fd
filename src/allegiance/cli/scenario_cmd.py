"""``allegiance scenario``: run alignment scenarios (shocks + uncertainty) as Monte Carlo draws."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from allegiance.cli.common import reporting_errors
from allegiance.cli.params import OUT_FOLDER, seed_option
from allegiance.params import MAX_DRAWS, parse_count, parse_scheduler

__all__ = ["LIFTED_DRAWS", "LIFTED_WORKERS", "scenario_app"]

#: The most draws and local workers ``--lift-limits`` allows.
LIFTED_DRAWS = 10_000_000
LIFTED_WORKERS = 256

scenario_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Alignment scenarios: shocks and uncertainty on landscape inputs.",
    no_args_is_help=True,
)


@scenario_app.command("run")
def run(
    file: str = typer.Argument(..., help="A scenario .toml file, or a shipped name (baseline)."),
    draws: int = typer.Option(
        1000, "--draws", help=f"Number of Monte Carlo draws (at most {MAX_DRAWS:,})."
    ),
    seed: int = seed_option("Seed (recorded in summary.json); default: drawn and recorded."),
    workers: int = typer.Option(
        None,
        "--workers",
        help="Local worker processes (default: one per 5,000 draws, up to the cores; at most "
        "the cores; a worker takes a few seconds to start).",
    ),
    scheduler: str = typer.Option(
        None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://host:8786."
    ),
    out: Path = OUT_FOLDER,
    top: int = typer.Option(5, "--top", help="Configurations to print (at least 1)."),
    lift_limits: bool = typer.Option(
        False,
        "--lift-limits",
        help=f"Allow up to {LIFTED_DRAWS:,} draws and {LIFTED_WORKERS} workers (memory grows "
        "with the draws).",
    ),
) -> None:
    """Run a scenario's draws and write configurations.csv, coalition_matrix.csv,
    draws.parquet, summary.json and coalition_heatmap.html into OUT.

    Example: allegiance scenario run us_drawdown --draws 2000 --seed 1 --out runs/us_drawdown
    """
    from allegiance.report.outputs import SCENARIO_FILES, write_scenario
    from allegiance.report.writer import check_folder
    from allegiance.runs.scenario import plan_scenario, run_scenario

    console = Console()
    with reporting_errors():
        cores = os.cpu_count() or 1
        lift = "" if lift_limits else "--lift-limits raises the limit deliberately."
        parse_count(draws, "--draws", LIFTED_DRAWS if lift_limits else MAX_DRAWS, lift)
        if workers is not None:
            parse_count(workers, "--workers", LIFTED_WORKERS if lift_limits else cores, lift)
        parse_count(top, "--top", 10_000)
        if scheduler is not None:
            scheduler = parse_scheduler(scheduler, "--scheduler")
        n_jobs = workers or min(cores, max(1, draws // 5000))
        check_folder(out, SCENARIO_FILES)
        plan = plan_scenario(file)
        with _progress() as bar:
            task = bar.add_task(plan.name, total=draws)
            result = run_scenario(
                plan,
                draws=draws,
                seed=seed,
                n_jobs=n_jobs,
                scheduler=scheduler,
                progress=lambda n: bar.advance(task, n),
            )
        write_scenario(result, out)
    _print(console, result, top)
    console.print(f"Wrote {out}/ (seed {result.seed}; draws took {result.timings['draws']} s).")


@scenario_app.command("list")
def list_() -> None:
    """List the scenario files shipped with the package.

    Example: allegiance scenario list
    """
    from allegiance.inputs.scenario import SCENARIO_DIR, load_scenario_file, shipped_scenarios

    table = Table(title="Shipped scenarios")
    for col in ("name", "base year", "actors", "description"):
        table.add_column(col)
    with reporting_errors():
        for name in shipped_scenarios():
            spec = load_scenario_file(SCENARIO_DIR / f"{name}.toml")
            actors = ", ".join(map(str, spec.actors))
            table.add_row(name, str(spec.base_year), actors, spec.description)
    Console().print(table)


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


def _print(console: Console, result: Any, top: int) -> None:
    configs = result.configurations()
    table = Table(
        title=f"{result.plan.name}: {len(result.results)} draws, base year {result.plan.base_year}"
    )
    for col in ("rank", "configuration", "p_basin", "p_stable", "p_lowest", "mean_energy"):
        table.add_column(col, justify="left" if col == "configuration" else "right")
    for row in configs.head(top).iter_rows(named=True):
        table.add_row(
            str(row["rank"]),
            row["configuration"],
            *(f"{row[c]:.3f}" for c in ("p_basin", "p_stable", "p_lowest", "mean_energy")),
        )
    console.print(table)
    matrix = result.coalition()
    grid = Table(title="P(same bloc)")
    grid.add_column("")
    for a in result.actors:
        grid.add_column(a, justify="right")
    for i, a in enumerate(result.actors):
        grid.add_row(a, *(f"{v:.2f}" for v in matrix[i]))
    console.print(grid)
