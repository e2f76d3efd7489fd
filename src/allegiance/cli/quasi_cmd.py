"""``allegiance model quasi``: the quasi-alliance model for one patron and two clients."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from allegiance.cli.common import reporting_errors
from allegiance.cli.params import OUT_FOLDER, seed_option, years_option

__all__ = ["quasi"]


def _summary(console: Console, evaluation: pl.DataFrame, by_year: pl.DataFrame, seed: int) -> None:
    grid = Table(title="Quasi-alliance model: agreement of predicted and observed, by period")
    columns = ("period", "n_observed", "spearman", "p_spearman", "match_rate", "p_match",
               "share_cooperation")  # fmt: skip
    for col in columns:
        grid.add_column(col, justify="left" if col == "period" else "right")
    for row in evaluation.iter_rows(named=True):
        cells = [row["period"], str(row["n_observed"])]
        for key in columns[2:]:
            cells.append("-" if row[key] is None else f"{row[key]:.3f}")
        grid.add_row(*cells)
    console.print(grid)
    empty = by_year.filter(pl.col("n_components") == 0)["year"].to_list()
    console.print(
        f"Years with no observed data: {', '.join(map(str, empty)) if empty else 'none'}."
    )
    runs = by_year.with_columns(
        (pl.col("components") != pl.col("components").shift(1))
        .fill_null(True)
        .cum_sum()
        .alias("_run")
    )
    for rows in runs.partition_by("_run", maintain_order=True):
        comps = rows["components"][0] or "none"
        first, last = rows["year"].to_list()[0], rows["year"].to_list()[-1]
        console.print(f"  observed {first}-{last}: {comps}")
    console.print(f"p-values: one-sided block-permutation tests, seed {seed}.")


def quasi(
    patron: str = typer.Option("2", "--patron", help="The patron: COW code or name (default USA)."),
    clients: str = typer.Option("732,740", "--clients", help="Two clients, e.g. 732,740."),
    years: range = years_option("1965-2014", "Year range, e.g. 1965-2014."),
    periods: str = typer.Option(
        None, "--periods", help="Periods, e.g. 1969-1971,1977-1979 (default: decades)."
    ),
    signals: Path = typer.Option(
        None, "--signals", help="Commitment signals CSV (default: bundled US signals)."
    ),
    seed: int = seed_option("Seed of the permutation test (recorded)."),
    permutations: int = typer.Option(
        999, "--permutations", help="Block permutations for p-values."
    ),
    out: Path = OUT_FOLDER,
) -> None:
    """Run the quasi-alliance model (Cha) and evaluate it against the observed relation.

    Writes predicted.csv, fears.csv (client-year inputs and fears), observed.csv,
    evaluation.csv (by period) and quasi.html (figure) into --out, and prints the evaluation.

    Example: allegiance model quasi --patron 2 --clients 732,740 --years 1965-2014
    --periods 1965-1968,1969-1971,1972-1976,1977-1979 --seed 1 --out quasi_out
    """
    from allegiance.data.codes import codebook
    from allegiance.inputs.quasi import load_signals
    from allegiance.params import parse_dyad, parse_periods, parse_states
    from allegiance.report.outputs import QUASI_FILES, write_quasi
    from allegiance.report.writer import check_folder
    from allegiance.runs.quasi import run_quasi

    console = Console(stderr=True)
    with reporting_errors():
        span = (years.start, years.stop - 1)
        (boss,) = parse_states(patron, "--patron", span=span)
        pair = parse_dyad(clients, "--clients", span=span)
        chosen = parse_periods(periods, years, "--periods") if periods else None
        sig = load_signals(signals) if signals is not None else None
        check_folder(out, QUASI_FILES)
        with console.status("running the quasi-alliance model") as status:
            result = run_quasi(
                patron=boss, clients=pair, years=years, periods=chosen, signals=sig,
                permutations=permutations, seed=seed, progress=lambda s: status.update(s),
            )  # fmt: skip
        names = {c: codebook().country(c).abb for c in result.clients}
        write_quasi(result, out, names)
    model = result.model
    _summary(Console(width=110), model.evaluate(), model.by_year_, model.seed_)
    console.print(f"Wrote {', '.join(QUASI_FILES)} to {out}.")
