"""Helpers shared by CLI commands: error reporting, year ranges and atomic writes."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TypeVar

import polars as pl
import typer

from allegiance.errors import AllegianceError, ParameterError

__all__ = ["fail", "parse_years", "reporting_errors", "write_atomic", "write_frame_atomic"]

T = TypeVar("T")


def fail(message: str) -> NoReturn:
    """Print one error line on stderr and exit with code 2."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=2)


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Turn any AllegianceError raised inside the block into one line on stderr and exit 2."""
    try:
        yield
    except AllegianceError as exc:
        fail(str(exc))


_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$")


def parse_years(text: str, option: str = "--years") -> range:
    """Parse ``1946-2016`` (or a single year ``1965``) into a range of years.

    >>> parse_years("1946-1948")
    range(1946, 1949)
    """
    match = _RANGE.match(text)
    if not match:
        raise ParameterError(
            f"The '{option}' option must be a year range like 1946-2016. Got {text!r} instead."
        )
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ParameterError(
            f"The '{option}' option must run from an earlier to a later year. Got {text!r}; "
            f"did you mean {last}-{first}?"
        )
    return range(first, last + 1)


def write_atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ParameterError(f"Cannot write {path}: the folder {directory} does not exist.")
    tmp: Path | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        os.close(fd)
        tmp = Path(tmp_name)
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes private files; outputs are ordinary
        os.replace(tmp, path)
    except OSError as exc:
        raise ParameterError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return path


def write_frame_atomic(frame: pl.DataFrame, path: Path) -> Path:
    """Write ``frame`` to ``.parquet`` or ``.csv`` by the file's suffix, atomically."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return write_atomic(path, lambda tmp: frame.write_parquet(tmp))
    if suffix == ".csv":
        return write_atomic(path, lambda tmp: frame.write_csv(tmp))
    raise ParameterError(
        f"Cannot write {path}: the output format must be .parquet or .csv. "
        f"Got {suffix or 'none'!r}."
    )
