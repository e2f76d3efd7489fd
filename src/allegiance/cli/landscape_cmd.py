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

__all__ = ["audit_table", "coverage_lines", "landscape", "parse_fix"]

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
    propensity: str = typer.Option(
        "index",
        "--propensity",
        help="With --year: index (the additive index), ab1993 (Axelrod and Bennett's five "
        "factors) or expected (the expected-cooperation model).",
    ),
    audit: bool = typer.Option(
        False, "--audit", help="With --year: print each pair's propensity by component."
    ),
    blocs: int = typer.Option(2, "--blocs", help="Number of blocs K >= 2."),
    fix: list[str] = typer.Option(None, "--fix", help="Pin an actor to a bloc: ACTOR=BLOC."),
    method: str = typer.Option("exact", "--method", help="exact, heuristic or auto."),
    temperature: float = typer.Option(0.0, "--temperature", help="Noise T >= 0 (energy units)."),
    starts: int = typer.Option(200, "--starts", help="Heuristic: number of searches."),
    seed: int = seed_option("Heuristic: random seed (recorded in the JSON)."),
    out: Path = typer.Option(None, "--out", help="Write the result as JSON."),
) -> None:
    """Find the stable configurations of a landscape (Axelrod & Bennett 1993) and their basins.

    With --year, a rule of the data works for any year of the COW system with the components
    that exist that year: those without data are named and count 0, those read past their
    source's last year are named as carried forward, and --out writes the propensity audit
    (each pair's components: raw value, weight, contribution, source year, carried flag).

    Examples: allegiance landscape --sizes sizes.csv --propensities props.csv --out result.json
    ; allegiance landscape --year 2016 --states 2,365,710,731,732,740 --size cinc
    --propensity index --out nea.json ; allegiance landscape --year 1936 --states
    2,200,220,255,325,365,740 --propensity ab1993 --audit
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
    console = Console()
    console.print(_table(result))
    if year is not None:
        for line in coverage_lines(result["inputs"]):
            console.print(line, highlight=False, soft_wrap=True)
        if audit:
            console.print(audit_table(run.inputs.audit))


def coverage_lines(inputs: dict[str, Any]) -> list[str]:
    """The components without data in the year and those carried forward, in words.

    >>> coverage_lines({"year": 1930, "absent": {"un": "UN votes (un_roll_calls) covers "
    ...                 "1946-2020"}, "carried": {}})
    ['Without data in 1930 (counted 0): un: UN votes (un_roll_calls) covers 1946-2020.']
    """
    lines = []
    if inputs.get("absent"):
        named = "; ".join(f"{k}: {v}" for k, v in inputs["absent"].items())
        lines.append(f"Without data in {inputs['year']} (counted 0): {named}.")
    if inputs.get("carried"):
        named = "; ".join(f"{k} ({v})" for k, v in inputs["carried"].items())
        lines.append(f"Carried forward past their source's last year: {named}.")
    return lines


def audit_table(audit: Any) -> Table:
    """Each pair's propensity by component (``animosity.*`` summed), with the total."""
    import polars as pl

    parts = audit.with_columns(pl.col("component").str.split(".").list.first()).group_by(
        "actor1", "actor2", "component", maintain_order=True
    ).agg(pl.col("contribution").sum())  # fmt: skip
    components = list(dict.fromkeys(parts["component"].to_list()))
    grid = Table(title="Propensity audit: contribution of each component")
    for col in ("pair", *components, "propensity"):
        grid.add_column(col, justify="left" if col == "pair" else "right")
    for (a, b), rows in parts.group_by(["actor1", "actor2"], maintain_order=True):
        values = dict(zip(rows["component"].to_list(), rows["contribution"].to_list(),
                          strict=True))  # fmt: skip
        cells = [f"{values.get(c, 0.0):+.3f}" for c in components]
        grid.add_row(f"{a}-{b}", *cells, f"{sum(values.values()):+.3f}")
    return grid


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
