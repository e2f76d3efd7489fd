"""The ``allegiance data fetch`` command: download a dataset's upstream files into the cache."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from allegiance.cli.common import reporting_errors

if TYPE_CHECKING:  # imported when the command runs: the CLI's start does not load them
    from rich.progress import Progress as Bar

    from allegiance.data.fetch import Progress

__all__ = ["fetch"]


def fetch(
    name: Annotated[
        str, typer.Argument(help="Dataset key, e.g. atop (see `allegiance data list`).")
    ],
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache", help="Cache folder (default: $ALLEGIANCE_CACHE or the user cache)."
        ),
    ] = None,
) -> None:
    """Download a dataset's upstream files into the cache, checking each sha256.

    Example: allegiance data fetch atop --cache ~/allegiance-cache
    """
    from allegiance.data import fetch as api

    with reporting_errors(), _bar() as bar:
        paths = api.fetch(name, cache=cache, progress_for=lambda rel: _track(bar, rel))
    for path in paths:
        typer.echo(str(path))


def _bar() -> Bar:
    """A download bar on stderr, so stdout carries only the saved paths; terminals only."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )
    from rich.progress import Progress as Bar

    console = Console(stderr=True)
    return Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def _track(bar: Bar, rel: str) -> Progress:
    """A new bar row for file ``rel`` and the callback that moves it."""
    task = bar.add_task(rel, total=None)

    def update(done: int, total: int | None) -> None:
        bar.update(task, completed=done, total=total)

    return update
