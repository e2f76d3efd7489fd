"""``allegiance model quasi``: the quasi-alliance model for one patron and two clients."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from allegiance.cli.common import parse_years, reporting_errors, write_atomic
from allegiance.errors import ParameterError

__all__ = ["parse_clients", "quasi", "quasi_figure"]


def parse_clients(text: str) -> list[int]:
    """``732,740`` -> ``[732, 740]`` (COW codes).

    >>> parse_clients("732, 740")
    [732, 740]
    """
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ParameterError(
            f"The '--clients' option takes two COW codes like 732,740. Got {text!r}."
        )
    return [int(p) for p in parts]


def quasi_figure(fears: pl.DataFrame, by_year: pl.DataFrame, names: dict[int, str]) -> object:
    """Plotly figure: predicted intensity and observed composite; commitment and fears."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=(
            "Predicted intensity and observed composite (z)",
            "Patron commitment (z, within client) and fear of abandonment",
        ),
    )
    years = by_year["year"].to_list()
    fig.add_trace(
        go.Scatter(
            x=years,
            y=by_year["intensity"].to_list(),
            name="predicted intensity",
            mode="lines+markers",
            text=by_year["relation"].to_list(),
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=by_year["composite"].to_list(),
            name="observed composite",
            mode="lines+markers",
            text=by_year["components"].to_list(),
        ),
        row=1,
        col=1,
    )
    for code, rows in fears.partition_by("ccode", as_dict=True).items():
        label = names.get(int(str(code[0])), str(code[0]))
        fig.add_trace(
            go.Scatter(
                x=rows["year"].to_list(),
                y=rows["commitment"].to_list(),
                name=f"commitment to {label}",
            ),
            row=2,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=rows["year"].to_list(),
                y=rows["abandonment"].to_list(),
                name=f"abandonment fear, {label}",
                line={"dash": "dot"},
            ),
            row=2,
            col=1,
        )
    fig.update_layout(height=750, title="Quasi-alliance model", hovermode="x unified")
    return fig


def _write_dir(out: Path, files: dict[str, object]) -> None:
    """Write every file into a temp folder beside ``out``, then move it into place."""
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ParameterError(f"Cannot write {out}: the folder {parent} does not exist.")
    if out.exists() and not out.is_dir():
        raise ParameterError(f"Cannot write {out}: it exists and is not a folder.")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    try:
        for name, item in files.items():
            if isinstance(item, pl.DataFrame):
                item.write_csv(tmp / name)
            else:
                item.write_html(tmp / name, include_plotlyjs=True)  # type: ignore[attr-defined]
        if not out.exists():
            os.replace(tmp, out)
            return
        for name in files:  # an existing folder: replace each file atomically
            write_atomic(out / name, lambda t, n=name: shutil.copyfile(tmp / n, t))  # type: ignore[misc]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _summary(console: Console, evaluation: pl.DataFrame, by_year: pl.DataFrame, seed: int) -> None:
    grid = Table(title="Quasi-alliance model: agreement of predicted and observed, by period")
    for col in (
        "period",
        "n_observed",
        "spearman",
        "p_spearman",
        "match_rate",
        "p_match",
        "share_cooperation",
    ):
        grid.add_column(col, justify="left" if col == "period" else "right")
    for row in evaluation.iter_rows(named=True):
        cells = [row["period"], str(row["n_observed"])]
        for key in ("spearman", "p_spearman", "match_rate", "p_match", "share_cooperation"):
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
    patron: int = typer.Option(2, "--patron", help="COW code of the patron (default 2, USA)."),
    clients: str = typer.Option("732,740", "--clients", help="Two client COW codes, e.g. 732,740."),
    years: str = typer.Option("1965-2014", "--years", help="Year range, e.g. 1965-2014."),
    periods: str = typer.Option(
        None,
        "--periods",
        help="Periods, e.g. 1969-1971,1977-1979 (default: decades).",
    ),
    signals: Path = typer.Option(
        None, "--signals", help="Commitment signals CSV (default: bundled US signals)."
    ),
    seed: int = typer.Option(None, "--seed", help="Seed of the permutation test (recorded)."),
    permutations: int = typer.Option(
        999, "--permutations", help="Block permutations for p-values."
    ),
    out: Path = typer.Option(..., "--out", help="Output folder."),
) -> None:
    """Run the quasi-alliance model (Cha) and evaluate it against the observed relation.

    Writes predicted.csv, fears.csv (client-year inputs and fears), observed.csv,
    evaluation.csv (by period) and quasi.html (figure) into --out, and prints the evaluation.

    Example: allegiance model quasi --patron 2 --clients 732,740 --years 1965-2014
    --periods 1965-1968,1969-1971,1972-1976,1977-1979 --seed 1 --out quasi_out
    """
    from allegiance.data.codes import codebook
    from allegiance.models.quasi import QuasiAlliance, parse_periods
    from allegiance.models.quasi_data import (
        check_actors,
        client_inputs,
        load_signals,
        observed_relation,
    )

    console = Console(stderr=True)
    with reporting_errors():
        span = parse_years(years)
        pair = check_actors(patron, parse_clients(clients))
        chosen = parse_periods(periods, span) if periods else None
        sig = load_signals(signals) if signals is not None else None
        with console.status("assembling client-year inputs") as status:
            inputs = client_inputs(patron, pair, span, signals=sig)
            status.update("assembling the observed relation")
            observed = observed_relation(pair, span)
            status.update(f"fitting and running {permutations} permutations")
            model = QuasiAlliance(n_permutations=permutations, random_state=seed)
            model.fit(inputs, observed, clients=pair, periods=chosen)
        names = {c: codebook().country(c).abb for c in pair}
        obs_cols = [
            "year",
            *[c for c in observed.columns if c != "year"],
            "composite",
            "n_components",
            "components",
            "observed_relation",
            "match",
        ]
        files: dict[str, object] = {
            "predicted.csv": model.predict(),
            "fears.csv": model.fears_,
            "observed.csv": model.by_year_.select(obs_cols),
            "evaluation.csv": model.evaluate().with_columns(pl.lit(model.seed_).alias("seed")),
            "quasi.html": quasi_figure(model.fears_, model.by_year_, names),
        }
        _write_dir(out, files)
    _summary(Console(width=110), model.evaluate(), model.by_year_, model.seed_)
    console.print(f"Wrote {', '.join(files)} to {out}.")
