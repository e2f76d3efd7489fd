"""``allegiance codes``: look up a country's COW, G-W and ISO codes."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from allegiance.cli.common import fail
from allegiance.errors import ParameterError, UnknownCodeError

__all__ = ["codes"]


def codes(
    query: str = typer.Argument(..., help="A name, ISO3/ISO2 code, COW abbreviation or number."),
    year: int | None = typer.Option(None, "--year", help="Year, to tell apart e.g. 255/260."),
    system: str = typer.Option("cow", "--system", help="Read numbers as 'cow' or 'gw' codes."),
) -> None:
    """Show the codes of a country: COW code and abbreviation, G-W code, ISO3, years.

    Example: allegiance codes "South Korea"   or   allegiance codes Germany --year 1970
    """
    from allegiance.data.codes import resolve

    try:
        if system not in ("cow", "gw"):
            raise ParameterError(
                f"The '--system' option must be one of {{'cow', 'gw'}}. Got {system!r} instead."
            )
        country = resolve(query, year=year, system=system)  # type: ignore[arg-type]
    except (UnknownCodeError, ParameterError) as exc:
        fail(str(exc))
    label = "COW" if system == "cow" else "G-W"
    table = Table(title=f"{country.name}" + (f" in {year}" if year is not None else ""))
    for head in ("name", "COW ccode", f"{label} abb.", "G-W code", "ISO3", f"years in {label}"):
        table.add_column(head, overflow="fold")
    table.add_row(
        country.name,
        _text(country.ccode),
        country.abb,
        _text(country.gwcode),
        _text(country.iso3),
        country.years,
    )
    Console().print(table)


def _text(value: object) -> str:
    return "-" if value is None else str(value)
