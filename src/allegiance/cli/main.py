"""The ``allegiance`` command: a thin typer layer over the public API."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from allegiance.cli.common import OneLineErrors, reporting_errors

__all__ = ["app", "main"]

app = typer.Typer(
    cls=OneLineErrors,
    rich_markup_mode="markdown",
    name="allegiance",
    help="Data, measures and models of international alignment.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(
    cls=OneLineErrors,
    rich_markup_mode="markdown",
    help="The shipped datasets: list, cite, rebuild, download.",
    no_args_is_help=True,
)
app.add_typer(data_app, name="data")

console = Console()


@data_app.command("list")
def data_list() -> None:
    """List the datasets in the bundle: name, version, years, tables and rows.

    Example: allegiance data list
    """
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
    console.print(grid)


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


def _register_optional() -> None:
    """Commands written in their own modules."""
    from allegiance.cli.codes_cmd import codes
    from allegiance.cli.fetch_cmd import fetch
    from allegiance.cli.landscape_cmd import landscape
    from allegiance.cli.measure_cmd import measure
    from allegiance.cli.model_cmd import model_app
    from allegiance.cli.overview_cmd import overview
    from allegiance.cli.panel_cmd import panel_app

    app.command("codes")(codes)
    app.command("overview")(overview)
    from allegiance.cli.study_cmd import study

    app.command("study")(study)
    from allegiance.cli.serve_cmd import serve

    app.command("serve")(serve)
    data_app.command("fetch")(fetch)
    app.add_typer(panel_app, name="panel")
    app.command("measure")(measure)
    app.command("landscape")(landscape)
    app.add_typer(model_app, name="model")
    from allegiance.cli.balance_cmd import balance
    from allegiance.cli.scenario_cmd import scenario_app

    app.command("balance")(balance)
    app.add_typer(scenario_app, name="scenario")


_register_optional()


def main() -> None:
    """Entry point of the console script."""
    app()
