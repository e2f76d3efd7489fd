"""Reading the user's files: text, TOML and CSV read as data, with one-line errors.

Study files, scenario files and input CSVs come from users and are shared between them, so
they are read defensively and never executed: a file must exist, be a regular file under a
size limit, and be UTF-8 text (a UTF-8 byte-order mark is accepted). Anything else is a
:class:`~allegiance.errors.ParameterError` saying what the file is and what is expected::

    Cannot read the study file s.toml: it is UTF-16 text; save it as UTF-8.
    Cannot read the signals file x.csv: it is a binary file, not UTF-8 text.
    Cannot read the scenario file d.toml: it nests 5000 levels deep; at most 32 are allowed.

A file named *inside* another file (a scenario a study names, for instance) is resolved by
:func:`confined`: relative to the naming file's folder, and only inside that folder or a
folder the package ships.
"""

from __future__ import annotations

import codecs
import io
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from allegiance.errors import ParameterError

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "confined",
    "read_text",
    "read_toml",
    "text_stream",
]

#: Largest user file read (bytes); the study and scenario files are a few kilobytes.
MAX_FILE_BYTES = 64 * 1024**2
#: Deepest nesting of tables and arrays a TOML file may have.
MAX_DEPTH = 32
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def read_text(path: Path, what: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of the user's file ``path`` (``what`` names it in errors: "study file").

    >>> read_text(Path("no-such.toml"), "study file")
    Traceback (most recent call last):
    ...
    allegiance.errors.ParameterError: Cannot read the study file no-such.toml: it does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise _unreadable(path, what, "it does not exist")
    if path.is_dir():
        raise _unreadable(path, what, "it is a folder, not a file")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _unreadable(path, what, str(exc.strerror or exc).lower()) from None
    if len(data) > max_bytes:
        raise _unreadable(path, what, f"it is larger than {max_bytes // 1024**2} MB")
    return _decode(path, what, data)


def _decode(path: Path, what: str, data: bytes) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise _unreadable(path, what, f"it is {name} text; save it as UTF-8")
    if b"\x00" in data:
        raise _unreadable(path, what, "it is a binary file, not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _unreadable(
            path, what, f"it is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})"
        ) from None


def _unreadable(path: Path, what: str, reason: str) -> ParameterError:
    return ParameterError(f"Cannot read the {what} {path}: {reason}.")


def read_toml(path: Path, what: str) -> tuple[str, dict[str, Any]]:
    """The text of a TOML file and its parsed tables, nested at most :data:`MAX_DEPTH` deep."""
    text = read_text(path, what, max_bytes=1024**2)
    depth = _nesting(text)
    if depth > MAX_DEPTH:
        raise _unreadable(
            path, what, f"it nests {depth} levels deep; at most {MAX_DEPTH} are allowed"
        )
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"The {what} {path} is not valid TOML: {exc}.") from None
    except RecursionError:
        raise _unreadable(
            path, what, f"it nests too deep; at most {MAX_DEPTH} levels are allowed"
        ) from None


def _nesting(text: str) -> int:
    """An upper bound on the nesting of brackets and braces (strings are not skipped, so a
    bracket inside a string counts too; that only makes the bound safe)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest


def text_stream(path: Path, what: str) -> io.StringIO:
    """A user's CSV (or other text) file as a text stream, checked like :func:`read_text`."""
    return io.StringIO(read_text(path, what), newline="")


def confined(name: str, base: Path, roots: Sequence[Path] = (), what: str = "file") -> Path:
    """The file ``name`` named inside a file in folder ``base``, refused if it escapes.

    ``name`` is resolved relative to ``base``; the result must lie inside ``base`` or one of
    ``roots`` (folders shipped with the package). Symbolic links are followed first, so a
    link cannot lead outside either.
    """
    folders = [Path(base).resolve(), *(Path(r).resolve() for r in roots)]
    target = (Path(base) / name).resolve()
    if not any(target.is_relative_to(folder) for folder in folders):
        raise ParameterError(
            f"The {what} {name!r} is outside the folder of the file that names it ({base}); "
            "name files inside that folder."
        )
    return target
