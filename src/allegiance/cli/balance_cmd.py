"""``allegiance balance``: structural balance of the signed network of some states in a year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from allegiance.cli.common import reporting_errors
from allegiance.cli.params import year_option

__all__ = ["balance"]


def balance(
    year: int = year_option(..., "The year, e.g. 2010."),
    states: str = typer.Option(..., "--states", help="COW codes or names, e.g. 2,365,710."),
    mixed: str = typer.Option(
        "negative",
        "--mixed",
        help="Sign of a pair with both kinds of ties: negative, positive, sum or drop.",
    ),
    method: str = typer.Option("exact", "--method", help="exact, heuristic or auto."),
    out: Path = typer.Option(None, "--out", help="Write the results to this .json file."),
) -> None:
    """Signed ties, triad census, frustration index and the partition attaining it.

    Ties are + for an ATOP defense/offense pledge or a DCA in force, - for an ongoing GML or
    COW dispute or strategic rivalry; --mixed sets the sign when both occur.

    Example: allegiance balance --year 2010 --states 2,365,710,731,732,740 --out b.json
    """
    from allegiance.params import parse_states
    from allegiance.report.writer import check_file, write_text
    from allegiance.runs.balance import run_balance

    console = Console()
    with reporting_errors({"mixed": "--mixed", "method": "--method", "years": "--year",
                           "states": "--states"}):  # fmt: skip
        if out is not None:
            check_file(out, (".json",))
        codes = parse_states(states, "--states", span=(year, year))
        result = run_balance(year=year, states=codes, mixed=mixed, method=method).to_dict()
        if out is not None:
            write_text(out, json.dumps(result, indent=2))
    _print(console, result)
    if out is not None:
        console.print(f"Wrote {out}.")


def _print(console: Console, result: dict[str, Any]) -> None:
    ties = Table(title=f"Signed ties, {result['year']}")
    for col in ("actor1", "actor2", "positive", "negative", "sign"):
        ties.add_column(col, justify="right" if col == "sign" else "left")
    for t in result["ties"]:
        sign = {1: "+", -1: "-", 0: "0"}[t["sign"]]
        ties.add_row(t["actor1"], t["actor2"], t["positive"], t["negative"], sign)
    console.print(ties)
    census = result["triad_census"]
    console.print(
        "Triads: "
        + ", ".join(f"{k} {census[k]}" for k in ("+++", "++-", "+--", "---"))
        + f" (balanced {census['balanced']}, unbalanced {census['unbalanced']}, "
        f"incomplete {census['incomplete']})"
    )
    blocs = " | ".join(", ".join(b) for b in result["partition"])
    exact = "" if result["exact"] else " (heuristic: an upper bound)"
    console.print(f"Frustration index: {result['frustration_index']}{exact}")
    console.print(f"Partition: {blocs}")
    if len(result["optimal_partitions"]) > 1:
        console.print(f"({len(result['optimal_partitions'])} partitions attain the minimum.)")
    for a, b, sign in result["frustrated_ties"]:
        console.print(f"  violated: {a} {'+' if sign > 0 else '-'} {b}")
    console.print("Sources covering the year: " + ", ".join(result["sources_covering_year"]))
