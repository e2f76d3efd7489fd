"""``allegiance landscape``: stable blocs of a landscape (from CSV files or from the data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from allegiance.cli.common import fail, reporting_errors, write_atomic
from allegiance.errors import ParameterError

__all__ = ["landscape", "parse_fix"]


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
    year: int = typer.Option(None, "--year", help="Build the inputs from the data for a year."),
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
    seed: int = typer.Option(None, "--seed", help="Heuristic: random seed."),
    out: Path = typer.Option(None, "--out", help="Write the result as JSON."),
) -> None:
    """Find the stable configurations of a landscape (Axelrod & Bennett 1993) and their basins.

    Examples: allegiance landscape --sizes sizes.csv --propensities props.csv --out result.json
    ; allegiance landscape --year 2016 --states 2,365,710,731,732,740 --size cinc
    --propensity index --out nea.json
    """
    from allegiance.models.landscape import Landscape

    with reporting_errors():
        inputs = _inputs(sizes, propensities, year, states, size, propensity)
        model = Landscape(
            n_blocs=blocs, method=method, fixed=parse_fix(fix) or None,
            temperature=temperature, n_starts=starts, random_state=seed,
        )  # fmt: skip
        with Console(stderr=True).status("searching the landscape"):
            model.fit(inputs.sizes, inputs.propensity, actors=inputs.actors)
        result = model.to_dict()
        if year is not None:
            result["inputs"] = _provenance(inputs, year, size, propensity)
        if out is not None:
            text = json.dumps(result, indent=2)
            write_atomic(out, lambda tmp: _write_text(tmp, text + "\n"))
    Console().print(_table(result))


def _inputs(
    sizes: Path | None, props: Path | None, year: int | None, states: str | None, size: str,
    propensity: str,
) -> Any:  # fmt: skip
    from allegiance.models import landscape_data

    if year is not None:
        if sizes is not None or props is not None or not states:
            fail("With --year give --states (and not --sizes/--propensities).")
        codes = [s.strip() for s in states.split(",") if s.strip()]
        return landscape_data.landscape_inputs(year, codes, size=size, propensity=propensity)
    if sizes is None or props is None:
        fail("Give --sizes and --propensities (CSV files), or --year and --states.")
    return landscape_data.read_landscape_files(sizes, props)


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _provenance(inputs: Any, year: int, size: str, propensity: str) -> dict[str, Any]:
    return {
        "year": year,
        "ccodes": list(inputs.ccodes),
        "size": size,
        "sizes": inputs.sizes.tolist(),
        "propensity": propensity,
        "propensities": inputs.propensity.round(6).tolist(),
        "years_used": inputs.years_used,
    }


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
