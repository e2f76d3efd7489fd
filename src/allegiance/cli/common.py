"""What every command shares: one-line errors with exit code 2, and the app's group class."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from allegiance.errors import AllegianceError

__all__ = ["OneLineErrors", "as_option", "fail", "reporting_errors"]

_PARAMETER = re.compile(r"The '([a-z][a-z0-9_]*)' parameter(?= must|:)")
_INVALID = re.compile(r"^Invalid value for '[^']+': (?:Value error, )?")
_CLICK_EXCEPTION: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


def as_option(message: str) -> str:
    """A message of the parameter vocabulary in CLI words: parameter 'x' is option '--x'.

    >>> as_option("The 'split' parameter must be a year in 1990-1999. Got 2005.")
    "The '--split' option must be a year in 1990-1999. Got 2005."
    """
    return _PARAMETER.sub(lambda m: f"The '--{m.group(1).replace('_', '-')}' option", message)


def fail(message: str) -> NoReturn:
    """Print one error line on stderr and exit with code 2."""
    line = " ".join(as_option(message).split())
    typer.echo(f"Error: {line}", err=True)
    raise typer.Exit(code=2)


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Turn any AllegianceError raised inside the block into one line on stderr and exit 2."""
    try:
        yield
    except AllegianceError as exc:
        fail(str(exc))


class OneLineErrors(TyperGroup):
    """The app's group: a usage error (bad option value, missing option, unknown command) is
    one line on stderr, ``Error: ...``, with exit code 2, like every other bad input."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _CLICK_EXCEPTION as exc:
            message = _INVALID.sub("", exc.format_message())  # type: ignore[attr-defined]
            typer.echo(f"Error: {' '.join(as_option(message).split())}", err=True)
            code = exc.exit_code  # type: ignore[attr-defined]
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)
