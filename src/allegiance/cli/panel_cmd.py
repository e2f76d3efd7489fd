"""``allegiance panel``: build state-year or dyad-year panels and list their variables."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from allegiance.cli.common import reporting_errors
from allegiance.cli.params import OUT_FILE, years_option
from allegiance.errors import ParameterError

__all__ = ["panel_app"]

panel_app = typer.Typer(
    rich_markup_mode="markdown", help="Build state-year and dyad-year panels.", no_args_is_help=True
)
console = Console(stderr=True)

SYSTEM = typer.Option("cow", "--system", help="State system: cow or gw.")
YEARS = years_option(None, "Year range, e.g. 1946-2016 (default: all years).")
STATES = typer.Option(None, "--states", help="Comma-separated codes or names, e.g. 2,710,740.")
ADD = typer.Option("", "--add", help="Comma-separated variable families (see `panel variables`).")


def _split(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _run(
    unit: str,
    system: str,
    years: range | None,
    directed: bool,
    states: str | None,
    add: str,
    out: Path,
) -> None:
    from allegiance.panel.build import build_panel
    from allegiance.params import parse_states
    from allegiance.report.writer import FRAME_SUFFIXES, check_file, write_frame

    with reporting_errors():
        if system not in ("cow", "gw"):
            raise ParameterError(f"The '--system' option must be one of cow, gw. Got {system!r}.")
        check_file(out, FRAME_SUFFIXES)
        span = (years.start, years.stop - 1) if years is not None else None
        codes = parse_states(states, "--states", span=span, system=system) if states else None  # type: ignore[arg-type]
        with console.status("building panel") as status:
            panel = build_panel(
                unit,  # type: ignore[arg-type]
                system=system,  # type: ignore[arg-type]
                years=years,
                directed=directed,
                states=codes,
                families=_split(add),
                progress=lambda name: status.update(f"adding {name}"),
                require_coverage=True,
            )
            status.update("collecting rows")
            frame = panel.collect()
        if frame.height == 0:
            raise ParameterError(
                "The panel is empty: the states asked for were never system members "
                "(together) in those years. Nothing was written."
            )
        write_frame(frame, out)
    console.print(f"Wrote {frame.height:,} rows x {frame.width} columns to {out}.")


@panel_app.command("states")
def states_cmd(
    system: str = SYSTEM,
    years: range = YEARS,
    states: str = STATES,
    add: str = ADD,
    out: Path = OUT_FILE,
) -> None:
    """Build a state-year panel.

    Example: allegiance panel states --years 1946-2016 --add nmc,democracy --out sy.parquet
    """
    _run("state_year", system, years, False, states, add, out)


@panel_app.command("dyads")
def dyads_cmd(
    system: str = SYSTEM,
    years: range = YEARS,
    directed: bool = typer.Option(False, "--directed", help="Directed dyad-years."),
    states: str = STATES,
    add: str = ADD,
    out: Path = OUT_FILE,
) -> None:
    """Build a dyad-year panel.

    Example: allegiance panel dyads --years 1946-2016 --add contiguity,atop --out dyads.parquet
    """
    _run("dyad_year", system, years, directed, states, add, out)


@panel_app.command("variables")
def variables_cmd() -> None:
    """List every column a family adds: meaning, type, source dataset and years."""
    from allegiance.panel.variables import codebook

    table = Table(show_lines=False)
    frame = codebook()
    for col in frame.columns:
        table.add_column(col, overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*row)
    Console(width=max(Console().width, 160)).print(table)
