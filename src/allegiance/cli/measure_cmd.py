"""``allegiance measure NAME``: compute one alignment measure and write it to a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from allegiance.cli.common import parse_years, reporting_errors, write_frame_atomic
from allegiance.errors import ParameterError

__all__ = ["measure", "parse_dyads", "parse_option"]


def parse_dyads(text: str, span: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """``732-740,710-740`` -> ``[(732, 740), (710, 740)]`` (names resolved within ``span``).

    Names with a hyphen (Guinea-Bissau) are separated with a colon: ``Guinea-Bissau:Senegal``.

    >>> parse_dyads("732-740, 710-740")
    [(732, 740), (710, 740)]
    """
    pairs = []
    for item in (t.strip() for t in text.split(",") if t.strip()):
        parts = [p.strip() for p in item.split(":" if ":" in item else "-")]
        if len(parts) != 2 or not all(parts):
            raise ParameterError(
                f"The '--dyads' option takes pairs like 732-740,710-740 (or Name:Name). "
                f"Got {item!r}."
            )
        a, b = (int(p) if p.isdigit() else _code(p, span) for p in parts)
        if a == b:
            raise ParameterError(f"A dyad needs two different states. Got {item!r}.")
        pairs.append((a, b))
    return pairs


def _code(name: str, span: tuple[int, int] | None) -> int:
    """A name's COW code, refusing a state that was not a member in any year of ``span``."""
    from allegiance.panel.universe import resolve_states

    return resolve_states([name], "cow", span)[0]


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
    years: str = typer.Option(..., "--years", help="Year range, e.g. 1965-2018."),
    dyads: str = typer.Option(None, "--dyads", help="Dyads, e.g. 732-740,710-740."),
    states: str = typer.Option(None, "--states", help="A region: comma-separated codes."),
    option: list[str] = typer.Option(None, "--option", "-o", help="Measure option key=value."),
    out: Path = typer.Option(..., "--out", help="Output file: .parquet or .csv."),
) -> None:
    """Compute an alignment measure per dyad-year (or state-year) and write it.

    NAME is one of: sscore, pi, kappa, taub, un_agreement, un_kappa, idealpoint_distance,
    common_rivals, common_opponents, third_party_threat, animosity, religion_similarity,
    common_language, us_commitment, capability_ratio. Options (-o key=value) are listed in
    each measure's docstring, e.g. -o coding=binary -o weights=capability for sscore.

    Example: allegiance measure sscore --years 1965-2018 --dyads 732-740,710-740 --out s.csv
    """
    from allegiance.measures.registry import compute

    console = Console(stderr=True)
    with reporting_errors():
        if out.suffix.lower() not in (".parquet", ".csv"):
            raise ParameterError(f"Cannot write {out}: the output format must be .parquet or .csv.")
        span = parse_years(years)
        if dyads and states:
            raise ParameterError("Give either --dyads or --states (a region), not both.")
        first_last = (span.start, span.stop - 1)
        pairs = parse_dyads(dyads, first_last) if dyads else None
        region = None
        if states:
            region = [int(s) if s.strip().isdigit() else _code(s.strip(), first_last)
                      for s in states.split(",") if s.strip()]  # fmt: skip
        opts = dict(parse_option(o) for o in option or [])
        with console.status(f"computing {name}"):
            frame = compute(name, span, dyads=pairs, states=region, **opts)
        write_frame_atomic(frame, out)
    console.print(f"Wrote {frame.height:,} rows of {name} to {out}.")
