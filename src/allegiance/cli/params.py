"""The parameter vocabulary as typer options: each value is parsed before the command runs.

The parsers are those of :mod:`allegiance.params`, so a CLI value means what the same value
means in the web API or a study file, and a wrong one gets the same one-line message.
Values that depend on another option (states resolved in the chosen years, periods inside the
years) are parsed in the command with the same functions.
"""

from __future__ import annotations

from typing import Any

import typer

from allegiance.params import parse_seed, parse_year, parse_years

__all__ = ["OUT_FILE", "OUT_FOLDER", "seed_option", "year_option", "years_option"]


def years_option(default: Any, help: str, name: str = "--years") -> Any:
    """A ``FIRST-LAST`` year range option, parsed to a ``range``."""
    return typer.Option(
        default, name, help=help, metavar="FIRST-LAST", parser=lambda v: parse_years(v, name)
    )


def year_option(default: Any, help: str, name: str = "--year") -> Any:
    """One year, parsed to an int."""
    return typer.Option(
        default, name, help=help, metavar="YEAR", parser=lambda v: parse_year(v, name)
    )


def seed_option(
    help: str = "Random seed (recorded in the output); default: drawn and recorded.",
) -> Any:
    """A seed: a whole number from 0 to 2^32 - 1, or none (one is drawn and recorded)."""
    return typer.Option(
        None, "--seed", help=help, metavar="SEED", parser=lambda v: parse_seed(v, "--seed")
    )


def _out(help: str) -> Any:
    return typer.Option(..., "--out", help=help)


#: ``--out`` for a single output file.
OUT_FILE: Any = _out("Output file: .parquet or .csv.")
#: ``--out`` for an output folder.
OUT_FOLDER: Any = _out("Output folder (written atomically; an earlier run is replaced).")
