"""``allegiance landscape``: stable blocs of a landscape (from CSV files or from the data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from allegiance.cli.common import fail, reporting_errors
from allegiance.cli.params import seed_option, year_option
from allegiance.errors import ParameterError

__all__ = ["landscape", "parse_fix"]

#: The options of the run function's and the model's parameters.
_OPTIONS = {
    "n_blocs": "--blocs", "n_starts": "--starts", "temperature": "--temperature",
    "method": "--method", "years": "--year", "size": "--size", "propensity": "--propensity",
    "fixed": "--fix", "states": "--states",
}  # fmt: skip


def parse_fix(items: list[str] | None) -> dict[str, int]:
    """``["USA=0", "PRC=1"]`` -> ``{"USA": 0, "PRC": 1}``.

    >>> parse_fix(["USA=0", "PRC=1"])
    {'USA': 0, 'PRC': 1}
    """
    out: dict[str, int] = {}
    for item in items or []:
        actor, sep, bloc = item.partition("=")
        if not sep or not actor.strip() or not bloc.strip().isdigit():
            raise ParameterError(f"The '--fix' option takes ACTOR=BLOC, e.g. USA=0. Got {item!r}.")
        out[actor.strip()] = int(bloc)
    return out


def landscape(
    sizes: Path = typer.Option(None, "--sizes", help="CSV with columns actor,size."),
    propensities: Path = typer.Option(
        None, "--propensities", help="CSV with columns actor1,actor2,propensity (missing = 0)."
    ),
    year: int = year_option(None, "Build the inputs from the data for a year."),
    states: str = typer.Option(None, "--states", help="With --year: codes, e.g. 2,710,732,740."),
    size: str = typer.Option(
        "cinc", "--size", help="With --year: cinc, milex, milper, tpop, equal."
    ),
    propensity: str = typer.Option("index", "--propensity", help="With --year: index or expected."),
    blocs: int = typer.Option(2, "--blocs", help="Number of blocs K >= 2."),
    fix: list[str] = typer.Option(None, "--fix", help="Pin an actor to a bloc: ACTOR=BLOC."),
    method: str = typer.Option("exact", "--method", help="exact, heuristic or auto."),
    temperature: float = typer.Option(0.0, "--temperature", help="Noise T >= 0 (energy units)."),
    starts: int = typer.Option(200, "--starts", help="Heuristic: number of searches."),
    seed: int = seed_option("Heuristic: random seed (recorded in the JSON)."),
    out: Path = typer.Option(None, "--out", help="Write the result as JSON."),
) -> None:
    """Find the stable configurations of a landscape (Axelrod & Bennett 1993) and their basins.

    Examples: allegiance landscape --sizes sizes.csv --propensities props.csv --out result.json
    ; allegiance landscape --year 2016 --states 2,365,710,731,732,740 --size cinc
    --propensity index --out nea.json
    """
    from allegiance.params import parse_states
    from allegiance.report.writer import check_file, write_text
    from allegiance.runs.landscape import run_landscape

    with reporting_errors(_OPTIONS):
        if out is not None:
            check_file(out, (".json",))
        if year is not None:
            if sizes is not None or propensities is not None or not states:
                fail("With --year give --states (and not --sizes/--propensities).")
            codes = parse_states(states, "--states", span=(year, year))
        elif sizes is None or propensities is None:
            fail("Give --sizes and --propensities (CSV files), or --year and --states.")
        with Console(stderr=True).status("searching the landscape"):
            run = run_landscape(
                year=year, states=codes if year is not None else None, size=size,
                propensity=propensity, sizes_file=sizes, propensities_file=propensities,
                n_blocs=blocs, method=method, fixed=parse_fix(fix) or None,
                temperature=temperature, n_starts=starts, seed=seed,
            )  # fmt: skip
        result = run.to_dict()
        if out is not None:
            write_text(out, json.dumps(result, indent=2) + "\n")
    Console().print(_table(result))


def _table(result: dict[str, Any]) -> Table:
    grid = Table(
        title=f"Stable configurations ({result['method']}, {result['n_configurations']:,} "
        f"{'configurations' if result['method'] == 'exact' else 'searches'})"
    )
    for col in (
        "#",
        "energy",
        "basin" if result["method"] == "exact" else "hits",
        "share",
        "blocs",
    ):
        grid.add_column(col, justify="left" if col == "blocs" else "right")
    for rank, item in enumerate(result["stable"], 1):
        count = item["basin_size"] if result["method"] == "exact" else item["hits"]
        share = "-" if item["probability"] is None else f"{item['probability']:.3f}"
        blocs = " | ".join(" ".join(b) for b in item["blocs"] if b) or "-"
        grid.add_row(str(rank), f"{item['energy']:.4g}", str(count), share, blocs)
    return grid
