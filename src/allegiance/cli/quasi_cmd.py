"""``allegiance model quasi``: the quasi-alliance model for one patron and two clients."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from allegiance.cli.common import reporting_errors
from allegiance.cli.params import OUT_FOLDER, seed_option, years_option

__all__ = ["quasi"]


def _summary(console: Console, result: object) -> None:
    import polars as pl

    from allegiance.runs.quasi import QuasiResult

    assert isinstance(result, QuasiResult)
    pooled = Table(title="Observed test: the clients' relations in the window after each signal")
    heads = ("signals", "predicted", "n", "observable", "obs. in", "events in", "mean in",
             "mean out", "difference", "p")  # fmt: skip
    for head in heads:
        pooled.add_column(head, justify="left" if head in ("signals", "predicted") else "right")
    for row in result.pooled.iter_rows(named=True):
        pooled.add_row(
            row["class"], row["expected"], str(row["n_events"]), str(row["n_observable"]),
            str(row["n_in"]), str(row["events_in"]),
            *(_f(row[k]) for k in ("mean_in", "mean_out", "difference", "p_value")),
        )  # fmt: skip
    console.print(pooled)
    missing = result.event_study.filter(~pl.col("observable"))["date"].to_list()
    if missing:
        dates = ", ".join(str(d) for d in missing)
        console.print(f"Not observable (no source observes the window): {dates}.")
    grid = Table(title="Model: agreement of predicted and observed, by period")
    columns = ("period", "n_observed", "spearman", "p_spearman", "match_rate", "p_match",
               "share_cooperation")  # fmt: skip
    for col in columns:
        grid.add_column(col, justify="left" if col == "period" else "right")
    for row in result.evaluation.iter_rows(named=True):
        grid.add_row(row["period"], str(row["n_observed"]), *(_f(row[k]) for k in columns[2:]))
    console.print(grid)
    worst = result.stability.sort("share_changed", descending=True).row(0, named=True)
    console.print(
        f"Stability: moving one parameter by 10% changes at most {worst['n_changed']} of "
        f"{worst['n_years']} predicted years ({worst['parameter']} x{worst['factor']})."
    )
    by_year = result.model.by_year_
    empty = by_year.filter(pl.col("n_components") == 0)["year"].to_list()
    console.print(f"Years with no informative observed component: {_years(empty)}.")
    seed = result.model.seed_
    console.print(f"p-values: one-sided, seed {seed} (event study: circular shifts of the "
                  "signal dates; model: block permutations of the years).")  # fmt: skip


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _years(years: list[int]) -> str:
    return ", ".join(map(str, years)) if years else "none"


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
    window: int = typer.Option(
        24, "--window", help="Event-study window after each signal, in months (1-120)."
    ),
    seed: int = seed_option("Seed of the permutation tests (recorded)."),
    permutations: int = typer.Option(
        999, "--permutations", help="Block permutations for p-values (1-100,000)."
    ),
    out: Path = OUT_FOLDER,
) -> None:
    """Test Cha's quasi-alliance argument: the observed test (an event study of the clients'
    relations after each commitment signal) and the model (fears, prediction, evaluation).

    Writes event_study.csv (per signal, then pooled), predicted.csv, fears.csv (client-year
    inputs and fears), observed.csv, evaluation.csv (by period and by decade), stability.csv
    (predicted years that change when a parameter moves 10%) and quasi.html (figure).

    Example: allegiance model quasi --patron 2 --clients 732,740 --years 1965-2014
    --periods 1965-1968,1969-1971,1972-1976,1977-1979 --seed 1 --out quasi_out
    """
    from allegiance.data.codes import codebook
    from allegiance.inputs.quasi import load_signals
    from allegiance.params import parse_count, parse_dyad, parse_periods, parse_states
    from allegiance.report.outputs import QUASI_FILES, write_quasi
    from allegiance.report.writer import check_folder
    from allegiance.runs.quasi import run_quasi

    console = Console(stderr=True)
    with reporting_errors():
        span = (years.start, years.stop - 1)
        (boss,) = parse_states(patron, "--patron", span=span)
        pair = parse_dyad(clients, "--clients", span=span)
        chosen = parse_periods(periods, years, "--periods") if periods else None
        parse_count(permutations, "--permutations", 100_000)
        sig = load_signals(signals) if signals is not None else None
        check_folder(out, QUASI_FILES)
        with console.status("running the quasi-alliance model") as status:
            result = run_quasi(
                patron=boss, clients=pair, years=years, periods=chosen, signals=sig,
                window=window, permutations=permutations, seed=seed,
                progress=lambda s: status.update(s),
            )  # fmt: skip
        names = {c: codebook().country(c).abb for c in result.clients}
        write_quasi(result, out, names)
    _summary(Console(width=120), result)
    console.print(f"Wrote {', '.join(QUASI_FILES)} to {out}.")
