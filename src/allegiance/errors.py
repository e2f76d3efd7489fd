"""One exception tree for the whole package, so callers and the CLI catch one base class."""

from __future__ import annotations

__all__ = [
    "MAX_ECHO",
    "AllegianceError",
    "AllegianceWarning",
    "AmbiguousCodeError",
    "BuildError",
    "FetchError",
    "PanelUnitError",
    "ParameterError",
    "UnknownCodeError",
    "UnknownDatasetError",
]

#: Longest piece of user input an error message repeats (longer input is cut, with its length).
MAX_ECHO = 80


class AllegianceError(Exception):
    """Base class of every error the package raises on purpose."""


class AllegianceWarning(UserWarning):
    """Base class of every warning the package issues."""


class ParameterError(AllegianceError, ValueError):
    """A function or command got a parameter value it does not accept."""


class PanelUnitError(AllegianceError):
    """A step got a panel of the wrong unit (state-year where a dyad-year was needed, ...)."""


class UnknownCodeError(AllegianceError, KeyError):
    """A country name or code could not be resolved (or was ambiguous)."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain.
        return str(self.args[0]) if self.args else ""


class AmbiguousCodeError(UnknownCodeError):
    """A country name or code matches several states; the message lists them with their years.

    A subclass of :class:`UnknownCodeError`, so code that catches that one catches this too.
    """


class UnknownDatasetError(AllegianceError, KeyError):
    """A dataset or bundle table name is not in the catalog."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class BuildError(AllegianceError):
    """Building the bundle failed: a raw file is missing, corrupt or unreadable."""


class FetchError(AllegianceError):
    """Downloading an upstream file failed: HTTP error, checksum mismatch, unreadable cache."""
