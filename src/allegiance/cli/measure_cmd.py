"""``allegiance measure NAME``: compute one alignment measure and write it to a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from allegiance.cli.common import reporting_errors
from allegiance.cli.params import OUT_FILE, years_option
from allegiance.errors import ParameterError

__all__ = ["measure", "parse_option"]


def parse_option(text: str) -> tuple[str, Any]:
    """``k=5`` -> ``("k", 5)``; values are read as JSON where possible, else as text.

    >>> parse_option("weights=capability"), parse_option("k=5")
    (('weights', 'capability'), ('k', 5))
    """
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ParameterError(f"The '--option' flag takes key=value, e.g. k=5. Got {text!r}.")
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        parsed = value.strip()
    return key.strip(), parsed


def measure(
    name: str = typer.Argument(..., help="Measure name (see `allegiance measure --help`)."),
    years: range = years_option(..., "Year range, e.g. 1965-2018."),
    dyads: str = typer.Option(None, "--dyads", help="Dyads, e.g. 732-740,710-740."),
    states: str = typer.Option(None, "--states", help="A region: comma-separated codes."),
    option: list[str] = typer.Option(None, "--option", "-o", help="Measure option key=value."),
    unit: str = typer.Option(
        None, "--unit", help="year or month (measures with months, e.g. relations)."
    ),
    out: Path = OUT_FILE,
) -> None:
    """Compute an alignment measure per dyad-year (or state-year) and write it.

    NAME is one of: sscore, pi, kappa, taub, un_agreement, un_kappa, idealpoint_distance,
    common_rivals, common_opponents, third_party_threat, animosity, religion_similarity,
    common_language, us_commitment, capability_ratio, relations. Options (-o key=value) are
    listed in each measure's docstring, e.g. -o coding=binary -o weights=capability for sscore.

    Example: allegiance measure sscore --years 1965-2018 --dyads 732-740,710-740 --out s.csv
    ; allegiance measure relations --years 1966-2024 --dyads 740-732 --unit month --out r.csv
    """
    from allegiance.measures.registry import compute, get_measure
    from allegiance.params import parse_dyads, parse_states
    from allegiance.report.writer import FRAME_SUFFIXES, check_file, write_frame

    console = Console(stderr=True)
    with reporting_errors():
        get_measure(name)
        check_file(out, FRAME_SUFFIXES)
        if dyads and states:
            raise ParameterError("Give either --dyads or --states (a region), not both.")
        span = (years.start, years.stop - 1)
        pairs = parse_dyads(dyads, "--dyads", span=span) if dyads else None
        region = parse_states(states, "--states", span=span) if states else None
        opts = dict(parse_option(o) for o in option or [])
        if unit is not None:
            if "unit" not in get_measure(name).options.model_fields:
                raise ParameterError(
                    f"The measure {name!r} has no '--unit' option: it is computed per year."
                )
            opts["unit"] = unit
        with console.status(f"computing {name}"):
            frame = compute(name, years, dyads=pairs, states=region, **opts)
        write_frame(frame, out)
    console.print(f"Wrote {frame.height:,} rows of {name} to {out}.")
