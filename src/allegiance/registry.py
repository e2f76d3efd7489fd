"""One registry type for every named plug-in: panel families, measures, evidence kinds, models.

A :class:`Registry` is a read-only mapping from a name to an entry, filled by the modules of
its package when the package is imported (each package's ``__init__`` lists its modules once).
Looking up an unknown name raises :class:`UnknownNameError`, whose message lists the valid
names, so every front (CLI, web, study files) reports the same one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

from allegiance.errors import ParameterError

__all__ = ["Registry", "UnknownNameError"]

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
