"""What every command shares: one-line errors with exit code 2, and the app's group classes."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from allegiance.errors import MAX_ECHO, AllegianceError

__all__ = [
    "LazyCommands",
    "OneLineErrors",
    "as_option",
    "fail",
    "lazy_group",
    "one_line",
    "reporting_errors",
]

_PARAMETER = re.compile(
    r"The '([a-z][a-z0-9_]*)' parameter( of [A-Za-z_][\w.]*(?:\(\))?)?(?= must|:)"
)
_LONG = re.compile(rf"\S{{{2 * MAX_ECHO + 1},}}")
_INVALID = re.compile(
    r"^Invalid value for '([^']+)'(?: \(env var: '([^']+)'\))?: (?:Value error, )?(.*)$", re.S
)
#: What the option parser says of a value, in the words of the parameter vocabulary.
_PARSER_WORDS = (
    (re.compile(r"^Input should be a valid integer.*"), "must be a whole number"),
    (re.compile(r"^Input should be a valid number.*"), "must be a number"),
    (re.compile(r"^Input should be a finite number.*"), "must be a finite number"),
    (re.compile(r"^Input should be greater than or equal to (\S+)"), r"must be at least \1"),
    (re.compile(r"^Input should be less than or equal to (\S+)"), r"must be at most \1"),
    (re.compile(r"^Input should be greater than (\S+)"), r"must be greater than \1"),
    (re.compile(r"^Input should be less than (\S+)"), r"must be less than \1"),
)
_CLICK_EXCEPTION: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


def as_option(message: str, aliases: Mapping[str, str] | None = None) -> str:
    """A message of the parameter vocabulary in CLI words: parameter 'x' is option '--x'.

    ``aliases`` names the option of a parameter a run function or model calls differently
    (``{"n_blocs": "--blocs"}``); with an alias, "The 'n_blocs' parameter of Landscape" is
    "The '--blocs' option" too.

    >>> as_option("The 'split' parameter must be a year in 1990-1999. Got 2005.")
    "The '--split' option must be a year in 1990-1999. Got 2005."
    >>> as_option("The 'n_blocs' parameter of Landscape must be an int.", {"n_blocs": "--blocs"})
    "The '--blocs' option must be an int."
    """

    def option(match: re.Match[str]) -> str:
        name, owner = match.group(1), match.group(2)
        if aliases and name in aliases:
            return f"The '{aliases[name]}' option"
        if owner:
            return match.group(0)
        return f"The '--{name.replace('_', '-')}' option"

    return _PARAMETER.sub(option, message)


def one_line(message: str, aliases: Mapping[str, str] | None = None) -> str:
    """A message on one line in CLI words, with any run of text longer than
    twice :data:`~allegiance.errors.MAX_ECHO` characters cut (a pasted input is not echoed whole).

    >>> one_line("Unknown country " + "x" * 500 + ".")[-40:]
    'xxxxxxxxxxxxxxxxxxx... (501 characters)'
    """
    line = " ".join(as_option(message, aliases).split())
    return _LONG.sub(lambda m: f"{m.group(0)[:72]}... ({len(m.group(0))} characters)", line)


def fail(message: str, aliases: Mapping[str, str] | None = None) -> NoReturn:
    """Print one error line on stderr and exit with code 2."""
    typer.echo(f"Error: {one_line(message, aliases)}", err=True)
    raise typer.Exit(code=2)


@contextmanager
def reporting_errors(aliases: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn any AllegianceError raised inside the block into one line on stderr and exit 2
    (``aliases``: the options of parameters the code inside calls differently)."""
    try:
        yield
    except AllegianceError as exc:
        fail(str(exc), aliases)


def _usage(message: str) -> str:
    """A parser's "Invalid value for '--x': ..." as "The '--x' option must ...".

    An option that can also be set by an environment variable names both (the parser cannot
    tell which one it read).

    >>> _usage("Invalid value for '--draws': Input should be a valid integer, unable to ...")
    "The '--draws' option must be a whole number."
    >>> _usage("Invalid value for '--jobs' (env var: 'ALLEGIANCE_JOBS'): Input should be a "
    ...        "valid integer, unable to parse string as an integer")
    "The '--jobs' option (or ALLEGIANCE_JOBS) must be a whole number."
    """
    match = _INVALID.match(message)
    if match is None:
        return message
    option, env, text = match.groups()
    if text.startswith("The '"):  # the vocabulary's own message names the option
        return text
    subject = f"The {option!r} option" + (f" (or {env})" if env else "")
    for pattern, words in _PARSER_WORDS:
        if pattern.match(text):
            return f"{subject} {pattern.sub(words, text, count=1).rstrip('.')}."
    return f"{subject}: {text}"


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
            message = _usage(exc.format_message())  # type: ignore[attr-defined]
            typer.echo(f"Error: {one_line(message)}", err=True)
            code = exc.exit_code  # type: ignore[attr-defined]
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


class LazyCommands(OneLineErrors):
    """A group whose commands written in their own modules are imported when they are run (or
    their own help, or the reference docs, asks for them), not when the CLI starts.

    ``lazy`` maps a command's name to ``("module:attribute", summary)``: the attribute is the
    command's function or its typer app, the summary is the first paragraph of its help,
    which the group's ``--help`` lists without importing the module (a test checks that it
    is the command's own). ``order`` lists every command of the group, as ``--help`` shows
    them. Use :func:`lazy_group` to make one.
    """

    lazy: ClassVar[Mapping[str, tuple[str, str]]] = {}
    order: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        known = {**self.commands}
        known.update((n, _Summary(name=n, help=summary)) for n, (_, summary) in self.lazy.items())
        self.commands = {name: known[name] for name in self.order}
        self._listing = False

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if isinstance(command, _Summary) and not self._listing:
            command = self.commands[cmd_name] = _load(cmd_name, self.lazy[cmd_name][0])
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True  # the listing needs only each command's summary
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


class _Summary(TyperCommand):
    """Stands in for a lazy command in its group's listing: its name and summary only."""


def lazy_group(lazy: Mapping[str, tuple[str, str]], order: Sequence[str]) -> type[LazyCommands]:
    """A :class:`LazyCommands` group class for a typer app's ``cls``."""
    return type("LazyCommands", (LazyCommands,), {"lazy": dict(lazy), "order": tuple(order)})


def _load(name: str, target: str) -> Any:
    """The click command of ``"module:attribute"`` (a command function or a typer app)."""
    module, _, attribute = target.partition(":")
    obj = getattr(importlib.import_module(module), attribute)
    if isinstance(obj, typer.Typer):
        command: Any = typer.main.get_group(obj)
    else:
        single = typer.Typer(rich_markup_mode="markdown", add_completion=False)
        single.command(name)(obj)
        command = typer.main.get_command(single)
    command.name = name
    return command
