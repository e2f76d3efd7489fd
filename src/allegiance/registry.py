"""One registry type for every named plug-in: panel families, measures, evidence kinds, models.

A :class:`Registry` is a read-only mapping from a name to an entry, filled by the modules of
its package when the package is imported (each package's ``__init__`` lists its modules once).
Looking up an unknown name raises :class:`UnknownNameError`, whose message lists the valid
names, so every front (CLI, web, study files) reports the same one line.

:func:`lazy_exports` is the registry of where a package's public names live: the package
imports a module only when one of its names is first used, so importing the package (and
starting the CLI) stays cheap.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from allegiance.errors import ParameterError

__all__ = ["Registry", "UnknownNameError", "lazy_exports"]

T = TypeVar("T")


class UnknownNameError(ParameterError, KeyError):
    """A name is not in a registry; the message lists the valid names."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain.
        return str(self.args[0]) if self.args else ""


class Registry(Mapping[str, T], Generic[T]):
    """Named entries of one kind, in registration order.

    Parameters
    ----------
    kind : str
        What an entry is, for messages: ``"variable family"``, ``"measure"``, ...
    plural : str, optional
        Plural of ``kind`` (default ``kind + "s"``).

    Examples
    --------
    >>> colours = Registry[int]("colour")
    >>> colours.add("red", 1)
    >>> colours["red"], list(colours)
    (1, ['red'])
    >>> colours["blue"]
    Traceback (most recent call last):
    ...
    allegiance.registry.UnknownNameError: Unknown colour 'blue'. Valid colours: red.
    """

    def __init__(self, kind: str, plural: str | None = None) -> None:
        self.kind = kind
        self.plural = plural or f"{kind}s"
        self._entries: dict[str, T] = {}

    def add(self, name: str, entry: T) -> None:
        """Register ``entry`` under ``name``; a name is registered once."""
        if name in self._entries:
            raise ValueError(f"The {self.kind} {name!r} is registered twice.")
        self._entries[name] = entry

    def decorator(self, name: str, make: Callable[[T], T] | None = None) -> Callable[[T], T]:
        """A decorator registering the decorated object (or ``make(obj)``) under ``name``."""

        def wrap(obj: T) -> T:
            self.add(name, make(obj) if make is not None else obj)
            return obj

        return wrap

    def __getitem__(self, name: str) -> T:
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownNameError(
                f"Unknown {self.kind} {name!r}. Valid {self.plural}: {', '.join(self)}."
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}: {', '.join(self)})"


def lazy_exports(
    package: str, where: Mapping[str, str], before: Mapping[str, Callable[[], None]] | None = None
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` (PEP 562) that import a name's module on
    first use.

    ``where`` maps a public name to ``"module"`` (the attribute of that name) or
    ``"module:attribute"``; ``before`` maps a name to a function to call before it is looked
    up (e.g. importing the modules that fill a registry). The value is then stored in the
    package, so the next lookup costs nothing.

    >>> getattr_, dir_ = lazy_exports("allegiance", {"joined": "os.path:join"})
    >>> getattr_("joined")("a", "b")
    'a/b'
    >>> getattr_("nothing")
    Traceback (most recent call last):
    ...
    AttributeError: module 'allegiance' has no attribute 'nothing'
    >>> del sys.modules["allegiance"].joined
    """

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        if before and name in before:
            before[name]()
        module, _, attribute = where[name].partition(":")
        value = getattr(importlib.import_module(module), attribute or name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *where})

    return __getattr__, __dir__
