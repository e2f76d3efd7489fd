"""Writing outputs: one atomic file writer, one atomic folder writer, one rule for both.

Every output (a panel file, a run's folder, a study report) is written to a temporary name
beside its target and renamed into place at the end, so a failed or killed run never leaves a
half-written target. The temporary name is derived from the target
(``.<name>.allegiance-tmp-<pid>``), so the next write of the same target finds and removes
what a killed run left behind. A folder is replaced only if it is *ours*: empty, or holding
nothing but the files this kind of output writes. Files and folders get the ordinary
permissions of the user's umask.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

import polars as pl

from allegiance.errors import ParameterError

__all__ = [
    "FRAME_SUFFIXES",
    "check_file",
    "check_folder",
    "write_file",
    "write_folder",
    "write_frame",
    "write_text",
]

#: File formats a frame can be written to.
FRAME_SUFFIXES = (".parquet", ".csv")
_TMP = ".allegiance-tmp-"


def _parent(path: Path) -> Path:
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ParameterError(f"Cannot write {path}: the folder {parent} does not exist.")
    if not os.access(parent, os.W_OK | os.X_OK) or not _can_create(parent):
        raise ParameterError(f"Cannot write {path}: the folder {parent} is not writable.")
    return parent


def _can_create(folder: Path) -> bool:
    """Whether a file can really be created in ``folder`` (``os.access`` says yes to root on a
    read-only mount)."""
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=f"{_TMP}probe-")
    except OSError:
        return False
    os.close(handle)
    os.unlink(name)
    return True


def _temporary(path: Path) -> Path:
    """The temporary name of ``path`` for this process, after removing stale ones."""
    parent = path.parent if str(path.parent) else Path(".")
    prefix = f".{path.name}{_TMP}"
    for old in (p for p in parent.iterdir() if p.name.startswith(prefix)):
        pid = old.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not _alive(int(pid)) or int(pid) == os.getpid():
            _remove(old)
    return parent / f".{path.name}{_TMP}{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_file(path: Path, suffixes: Collection[str] | None = None) -> Path:
    """Refuse, before any work, a file target that cannot be written (missing or read-only
    folder, a folder in the way, or a format not in ``suffixes``)."""
    if suffixes is not None and path.suffix.lower() not in suffixes:
        raise ParameterError(
            f"Cannot write {path}: the output format must be {' or '.join(suffixes)}. "
            f"Got {path.suffix or 'none'!r}."
        )
    if path.is_dir():
        raise ParameterError(f"Cannot write {path}: it is a folder, not a file.")
    _parent(path)
    return path


def write_file(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place."""
    check_file(path)
    tmp = _temporary(path)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise ParameterError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    finally:
        _remove(tmp)
    return path


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return write_file(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_frame(frame: pl.DataFrame, path: Path) -> Path:
    """Write ``frame`` to ``.parquet`` or ``.csv`` by the file's suffix, atomically."""
    check_file(path, FRAME_SUFFIXES)
    if path.suffix.lower() == ".parquet":
        return write_file(path, lambda tmp: frame.write_parquet(tmp))
    return write_file(path, lambda tmp: frame.write_csv(tmp))


def check_folder(out: Path, names: Collection[str]) -> Path:
    """Refuse, before any work, an output folder that cannot be written or is not ours.

    ``names`` are the entries this kind of output writes (top-level file or folder names); an
    existing ``out`` is replaced only if every entry in it is one of them.
    """
    parent = _parent(out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"Cannot write to {out}: it is a file, not a folder.")
    if out.is_dir():
        foreign = sorted(p.name for p in out.iterdir() if p.name not in names)
        if foreign:
            raise ParameterError(
                f"Cannot write to {out}: the folder exists and holds other files "
                f"({', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}). Choose a "
                "new or empty folder, or one with an earlier run of this command."
            )
    return parent


def write_folder(out: Path, files: Mapping[str, Callable[[Path], object]]) -> Path:
    """Write every file of ``files`` (relative name -> ``write(path)``) into folder ``out``.

    Everything is written into a temporary folder beside ``out`` that replaces ``out`` at the
    end (see :func:`check_folder` for when an existing folder may be replaced).
    """
    names = {name.split("/")[0] for name in files}
    parent = check_folder(out, names)
    tmp = _temporary(out)
    old = parent / f".{out.name}{_TMP}old-{os.getpid()}"
    try:
        tmp.mkdir(mode=0o777)
        for name, write in files.items():
            target = tmp / name
            target.parent.mkdir(mode=0o777, parents=True, exist_ok=True)
            write(target)
        check_folder(out, names)
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
    except OSError as exc:
        raise ParameterError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
    finally:
        _remove(tmp)
        _remove(old)
    return out
