"""The ``allegiance`` command: a thin typer layer over the public API."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from allegiance.cli.common import lazy_group, reporting_errors

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["ALLOCATOR_CONF", "COMMANDS", "DATA_COMMANDS", "app", "main"]

#: How polars's allocator (jemalloc) gives freed memory back, unless the user set
#: ``_RJEM_MALLOC_CONF`` themselves. polars keeps freed pages for 0.5 s and then 1 s more
#: (``dirty_decay_ms:500,muzzy_decay_ms:1000``, to which it appends this variable, the later
#: value winning); a command builds its large frames once and exits, and the bundle tables
#: read while a panel is planned are then still resident while its rows are collected. Here
#: pages are returned 0.1 s after they are freed: the peak memory of ``panel dyads`` for
#: 1946-2016 with eight families falls from about 514 to 480 MB at the same speed
#: (benchmarks/panels.py, run with and without ``_RJEM_MALLOC_CONF=``). Read when polars is
#: imported, which is after this module.
ALLOCATOR_CONF = "dirty_decay_ms:100,muzzy_decay_ms:0"
os.environ.setdefault("_RJEM_MALLOC_CONF", ALLOCATOR_CONF)

#: The commands written in their own modules: name -> ("module:attribute", the first
#: paragraph of its help). ``allegiance --help`` lists them from here; a command's module (and
#: what it imports) is loaded only when it runs. tests/cli/test_startup.py checks the texts.
COMMANDS = {
    "codes": ("allegiance.cli.codes_cmd:codes",
              "Show the codes of a country: COW code and abbreviation, G-W code, ISO3, years."),
    "overview": ("allegiance.cli.overview_cmd:overview",
                 "Build the Northeast Asia dyad-year panel and print a summary of every dyad."),
    "study": ("allegiance.cli.study_cmd:study", "Audit a study's claims against the data; write "
              "DIR/index.html and the evidence tables."),
    "serve": ("allegiance.cli.serve_cmd:serve", "Start the dashboard: study overview, dyad "
              "explorer and scenario levers, plus a JSON API."),
    "measure": ("allegiance.cli.measure_cmd:measure",
                "Compute an alignment measure per dyad-year (or state-year) and write it."),
    "landscape": ("allegiance.cli.landscape_cmd:landscape", "Find the stable configurations of "
                  "a landscape (Axelrod & Bennett 1993) and their basins."),
    "balance": ("allegiance.cli.balance_cmd:balance",
                "Signed ties, triad census, frustration index and the partition attaining it."),
    "panel": ("allegiance.cli.panel_cmd:panel_app", "Build state-year and dyad-year panels."),
    "model": ("allegiance.cli.model_cmd:model_app",
              "Models of alignment: expected cooperation and the quasi-alliance."),
    "scenario": ("allegiance.cli.scenario_cmd:scenario_app",
                 "Alignment scenarios: shocks and uncertainty on landscape inputs."),
}  # fmt: skip
#: The same for the ``data`` group.
DATA_COMMANDS = {
    "fetch": ("allegiance.cli.fetch_cmd:fetch",
              "Download a dataset's upstream files into the cache, checking each sha256."),
}  # fmt: skip

app = typer.Typer(
    cls=lazy_group(COMMANDS, [*list(COMMANDS)[:7], "data", *list(COMMANDS)[7:]]),
    rich_markup_mode="markdown",
    name="allegiance",
    help="Data, measures and models of international alignment.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(
    cls=lazy_group(DATA_COMMANDS, ["list", "cite", "build", "fetch"]),
    rich_markup_mode="markdown",
    help="The shipped datasets: list, cite, rebuild, download.",
    no_args_is_help=True,
)
app.add_typer(data_app, name="data")


def _console() -> Console:
    from rich.console import Console

    return Console()


@data_app.command("list")
def data_list() -> None:
    """List the datasets in the bundle: name, version, years, tables and rows.

    Example: allegiance data list
    """
    from rich.table import Table

    from allegiance.data import catalog
    from allegiance.data.bundle import provenance

    tables = provenance()["tables"]
    grid = Table(title="allegiance data bundle", show_lines=False)
    for col in ("key", "dataset", "version", "years", "tables", "rows"):
        grid.add_column(col, justify="right" if col == "rows" else "left")
    for key, ds in sorted(catalog.datasets().items()):
        mine = {n: t for n, t in tables.items() if t["dataset"] == key}
        years = f"{ds.years[0]}-{ds.years[1]}" if ds.years else "-"
        rows = sum(int(t["rows"]) for t in mine.values())
        grid.add_row(key, ds.name, ds.version, years, ", ".join(sorted(mine)) or "-", f"{rows:,}")
    _console().print(grid)


@data_app.command("cite")
def data_cite(
    name: str = typer.Argument(None, help="Dataset key, e.g. atop (see `allegiance data list`)."),
    all_: bool = typer.Option(False, "--all", help="Print the BibTeX of every dataset."),
) -> None:
    """Print the BibTeX entries to cite for a dataset (or --all).

    Example: allegiance data cite atop
    """
    from allegiance.data import catalog

    with reporting_errors():
        if all_:
            typer.echo(catalog.bibtex_all())
            return
        if not name:
            from allegiance.cli.common import fail

            fail("Give a dataset key (e.g. `allegiance data cite atop`) or --all.")
        typer.echo(catalog.bibtex(name))


@data_app.command("build")
def data_build(
    raw: Path = typer.Option(
        ..., "--raw", help="Folder of raw upstream files (with manifest.json)."
    ),
    out: Path = typer.Option(
        None, "--out", help="Bundle folder to write (default: the package's)."
    ),
) -> None:
    """Rebuild the parquet bundle from the raw upstream files.

    Example: allegiance data build --raw ../shared/data/raw
    """
    from allegiance.data.build import build_bundle
    from allegiance.data.bundle import BUNDLE_DIR

    console = _console()
    with reporting_errors():
        if not raw.is_dir():
            from allegiance.errors import BuildError

            raise BuildError(f"The raw folder {raw} does not exist or is not a folder.")
        with console.status("building bundle") as status:
            result = build_bundle(
                raw, out or BUNDLE_DIR, progress=lambda n: status.update(f"building {n}")
            )
    tables = result["tables"]
    total = sum(int(t["bytes"]) for t in tables.values())
    console.print(f"Built {len(tables)} tables, {total / 1e6:.1f} MB, into {out or BUNDLE_DIR}.")


def main() -> None:
    """Entry point of the console script."""
    app()
