"""The parameter vocabulary: years, states, dyads, periods and seeds, parsed and checked once.

Every front (the CLI's option types, the web API's request types, study and scenario files)
reads user text through these functions, so a value means the same everywhere and a wrong one
gets the same one-line message::

    The '--years' option must be a year range like 1946-2016. Got '19x6'.
    The 'years' parameter must run from an earlier to a later year. Got '2016-1946'; ...

``name`` says where a value came from: a CLI option (``"--years"``) or a field of a request
or file (``"years"``). Years are checked against the coverage of the built bundle
(:mod:`allegiance.data.coverage`), never against literals.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from allegiance.errors import MAX_ECHO, ParameterError, UnknownCodeError

if TYPE_CHECKING:
    from allegiance.data.codes import System

__all__ = [
    "MAX_DRAWS",
    "MAX_ECHO",
    "check_finite",
    "check_years",
    "invalid",
    "parse_count",
    "parse_dyad",
    "parse_dyads",
    "parse_periods",
    "parse_scheduler",
    "parse_seed",
    "parse_states",
    "parse_year",
    "parse_years",
    "shown",
]

_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$")
_MAX_SEED = 2**32 - 1  # the range every estimator accepts
#: Most Monte Carlo draws a run takes unless the limit is lifted deliberately (a draw of a
#: 12-actor scenario takes about a millisecond and keeps its result in memory).
MAX_DRAWS = 100_000


def shown(value: Any) -> str:
    """``repr`` of user input, cut to :data:`MAX_ECHO` characters.

    >>> shown("x" * 200).endswith("...' (200 characters)")
    True
    """
    text = repr(value)
    if len(text) <= MAX_ECHO:
        return text
    size = len(value) if isinstance(value, str | bytes | list | tuple) else len(text)
    return f"{text[: MAX_ECHO - 8]}...' ({size} characters)"


def _subject(name: str) -> str:
    kind = "option" if name.startswith("-") else "parameter"
    return f"The {name!r} {kind}"


def invalid(name: str, expected: str, value: Any, hint: str = "") -> ParameterError:
    """The one error template: "The '<name>' option must <expected>. Got <value>.<hint>"

    >>> str(invalid("--draws", "be at least 1", 0))
    "The '--draws' option must be at least 1. Got 0."
    >>> str(invalid("years", "be a year range like 1946-2016", "x"))
    "The 'years' parameter must be a year range like 1946-2016. Got 'x'."
    """
    tail = f" {hint}" if hint else ""
    return ParameterError(f"{_subject(name)} must {expected}. Got {shown(value)}.{tail}")


def check_finite(value: float, name: str) -> float:
    """``value`` if it is a finite number; NaN and infinities are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise invalid(name, "be a finite number", value)
    return float(value)


def check_years(
    years: range, name: str = "years", within: tuple[int, int] | None = None, what: str = ""
) -> range:
    """``years`` if it is non-empty and inside ``within`` (default: the COW system's years).

    ``what`` names the coverage in the message (default "the COW system's years").
    """
    if within is None:
        from allegiance.data.coverage import system_years

        within, what = system_years("cow"), what or "the COW system's years"
    lo, hi = within
    if len(years) == 0:
        raise invalid(name, "name at least one year", _span(years))
    if years.start < lo or years.stop - 1 > hi:
        raise invalid(name, f"lie within {lo}-{hi}{f', {what}' if what else ''}", _span(years))
    return years


def _span(years: range) -> str:
    return f"{years.start}-{years.stop - 1}" if len(years) else "no years"


def parse_years(
    text: str | range,
    name: str = "years",
    *,
    within: tuple[int, int] | None = None,
    what: str = "",
    check: bool = False,
) -> range:
    """``"1946-2016"`` (or one year, ``"1965"``) as a range of years.

    With ``within`` (or ``check=True``: the COW system's years) the range must lie inside it.

    >>> parse_years("1946-1948")
    range(1946, 1949)
    >>> parse_years("2016-1946", "--years")
    Traceback (most recent call last):
    ...
    allegiance.errors.ParameterError: The '--years' option must run from an earlier to a later \
year. Got '2016-1946'; did you mean 1946-2016?
    """
    if isinstance(text, range):
        years = text
    else:
        match = _RANGE.match(str(text)) if len(str(text)) <= 40 else None
        if not match:
            raise invalid(name, "be a year range like 1946-2016", text)
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise ParameterError(
                f"{_subject(name)} must run from an earlier to a later year. Got {shown(text)}; "
                f"did you mean {last}-{first}?"
            )
        years = range(first, last + 1)
    if within is not None or check:
        check_years(years, name, within, what)
    return years


def parse_year(
    value: str | int, name: str = "year", *, within: tuple[int, int] | None = None
) -> int:
    """One year, as an int; with ``within`` it must lie inside it.

    >>> parse_year("2010")
    2010
    """
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise invalid(name, "be a year like 2010", value)
    year = int(text)
    if within is not None and not within[0] <= year <= within[1]:
        raise invalid(name, f"lie within {within[0]}-{within[1]}", value)
    return year


def parse_states(
    items: str | Sequence[int | str],
    name: str = "states",
    *,
    span: tuple[int, int] | None = None,
    system: System = "cow",
    at_least: int = 1,
) -> list[int]:
    """State codes from ``"2,710,Japan"`` (or a list): numbers are codes, names are resolved.

    Names are resolved in the last year of ``span`` and must have been system members in it
    (so "Korea" in 2000 is refused with suggestions); every code must be a state of the
    system. Duplicates are refused, and there must be ``at_least`` states.

    >>> parse_states("2, 740,Republic of Korea")
    [2, 740, 732]
    """
    from allegiance.data.coverage import resolve_states

    raw = _items(items)
    if not raw or any(not t for t in raw):
        raise invalid(name, "name states by COW code or name, like 2,710,740", items)
    if len(raw) > 500:
        raise invalid(name, "name at most 500 states", f"{len(raw)} states")
    try:
        codes = resolve_states(raw, system, span)
    except UnknownCodeError as exc:
        raise ParameterError(f"{_subject(name)}: {exc}") from None
    dup = next((c for c in codes if codes.count(c) > 1), None)
    if dup is not None:
        raise invalid(name, "name each state once", items, f"{dup} is named twice.")
    if len(codes) < at_least:
        raise invalid(name, f"name at least {at_least} states", items)
    return codes


def _items(items: str | Sequence[int | str]) -> list[str]:
    if isinstance(items, str):
        return [t.strip() for t in items.split(",")] if items.strip() else []
    return [str(t).strip() for t in items]


def parse_dyad(
    text: str | Sequence[int | str], name: str = "dyad", *, span: tuple[int, int] | None = None
) -> tuple[int, int]:
    """Two different states, ``"732,740"``, ``"740-732"`` or ``["Japan", 732]``, in order given.

    >>> parse_dyad("740-732")
    (740, 732)
    """
    parts = _pair_items(text)
    if len(parts) != 2:
        raise invalid(name, "name two states, like 732,740", text)
    a, b = parse_states(parts, name, span=span) if parts[0] != parts[1] else (0, 0)
    if a == b:
        raise invalid(name, "name two different states", text)
    return a, b


def _pair_items(text: str | Sequence[int | str]) -> list[str]:
    if not isinstance(text, str):
        return [str(t).strip() for t in text]
    sep = ":" if ":" in text else ("," if "," in text else "-")
    return [p.strip() for p in text.split(sep)]


def parse_dyads(
    text: str, name: str = "dyads", *, span: tuple[int, int] | None = None
) -> list[tuple[int, int]]:
    """``"732-740,710-740"`` as pairs of codes; names with a hyphen use a colon: ``A:B``.

    >>> parse_dyads("732-740, 710-740")
    [(732, 740), (710, 740)]
    """
    items = [t.strip() for t in text.split(",")]
    if not text.strip() or any(not t for t in items):
        raise invalid(name, "name pairs like 732-740,710-740 (or Name:Name)", text)
    pairs = []
    for item in items:
        parts = [p.strip() for p in item.split(":" if ":" in item else "-")]
        if len(parts) != 2 or not all(parts):
            raise invalid(name, "name pairs like 732-740,710-740 (or Name:Name)", item)
        pairs.append(parse_dyad(parts, name, span=span))
    return pairs


def parse_periods(text: str, years: range, name: str = "periods") -> list[tuple[int, int]]:
    """``"1965-1968,1969-1971"`` as periods, each inside ``years``.

    >>> parse_periods("1969-1971, 1977-1979", range(1965, 2015))
    [(1969, 1971), (1977, 1979)]
    """
    out = []
    for part in str(text).split(","):
        match = _RANGE.match(part)
        if not match or not match.group(2) or int(match.group(1)) > int(match.group(2)):
            raise invalid(
                name, "be comma-separated year ranges like 1969-1971,1977-1979", part.strip()
            )
        lo, hi = int(match.group(1)), int(match.group(2))
        if lo < years.start or hi > years.stop - 1:
            raise invalid(name, f"lie within the years {_span(years)}", f"{lo}-{hi}")
        out.append((lo, hi))
    return out


def parse_seed(value: int | str | None, name: str = "seed") -> int | None:
    """A random seed: None (draw one and record it) or an integer in [0, 2^32 - 1].

    >>> parse_seed("7"), parse_seed(None)
    (7, None)
    """
    if value is None:
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"\d{1,10}", text) or int(text) > _MAX_SEED:
        raise invalid(name, f"be a whole number from 0 to {_MAX_SEED}", value)
    return int(text)


def parse_count(value: int | str, name: str, maximum: int, lift: str = "", minimum: int = 1) -> int:
    """A whole number from ``minimum`` to ``maximum`` (a number of draws, workers, permutations).

    ``lift`` says how to raise the maximum deliberately; it ends the message when the value
    is above it.

    >>> parse_count("20", "draws", 100)
    20
    """
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"\d{1,12}", text) or int(text) < minimum:
        raise invalid(name, f"be a whole number from {minimum} to {maximum:,}", value)
    if int(text) > maximum:
        raise invalid(name, f"be at most {maximum:,}", value, hint=lift)
    return int(text)


_SCHEDULER = re.compile(
    r"^(?:(?:tcp|tls|ws|wss)://)?([A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$"
)


def parse_scheduler(value: str, name: str = "scheduler") -> str:
    """The address of a Dask scheduler: ``[tcp|tls|ws|wss://]host:port``, checked before a
    connection is tried.

    >>> parse_scheduler("tcp://10.0.0.5:8786")
    'tcp://10.0.0.5:8786'
    """
    match = _SCHEDULER.match(str(value).strip())
    if not match or not 0 < int(match.group(2)) < 65536:
        raise invalid(name, "be a scheduler address like tcp://host:8786", value)
    return str(value).strip()
