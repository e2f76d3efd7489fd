"""Download upstream raw files into a user cache: checksum, retry with backoff, atomic write."""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from allegiance import __version__
from allegiance.data.cache import CACHE_ENV, cache_dir
from allegiance.errors import FetchError, ParameterError

__all__ = ["CACHE_ENV", "Progress", "RemoteFile", "cache_dir", "fetch", "fetch_file"]

Progress = Callable[[int, int | None], None]
"""A progress callback: ``progress(bytes_done, bytes_total_or_None)``."""

_CHUNK = 64 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_USER_AGENT = f"allegiance/{__version__} (+https://pypi.org/project/allegiance/)"
# Failures worth another attempt. HTTPError (a URLError) is sorted out before these apply.
_TRANSIENT: tuple[type[BaseException], ...] = (
    urllib.error.URLError,
    TimeoutError,
    ConnectionError,
    http.client.HTTPException,
)


class RemoteFile(Protocol):
    """What :func:`fetch` reads from a catalog ``RawFile``: where it goes, where it comes from."""

    @property
    def path(self) -> str | os.PathLike[str]:
        """Path relative to the dataset's cache folder, e.g. ``'peacesciencer/cow_nmc.rda'``."""

    @property
    def sha256(self) -> str:
        """Expected SHA-256 hex digest of the file's bytes."""

    @property
    def url(self) -> str | None:
        """Where to download the file from."""


class _Transient(Exception):
    """One download attempt failed in a way another attempt may fix (5xx, timeout, reset)."""


def fetch_file(
    url: str,
    sha256: str,
    dest: Path,
    *,
    retries: int = 3,
    timeout: float = 30.0,
    backoff: float = 0.5,
    progress: Progress | None = None,
) -> Path:
    """Download ``url`` to ``dest`` unless ``dest`` already holds the expected bytes.

    Parameters
    ----------
    url : str
        Where to download from.
    sha256 : str
        Expected SHA-256 hex digest of the file.
    dest : Path
        Where to save the file. Parent directories are created.
    retries : int, default 3
        Total number of attempts for failures that may be transient: HTTP 5xx, connection
        errors and timeouts. Waits ``backoff * 2**k`` seconds before attempt ``k + 2``.
    timeout : float, default 30.0
        Socket timeout in seconds, for connecting and for each read.
    backoff : float, default 0.5
        Base of the exponential wait between attempts, in seconds.
    progress : callable, optional
        Called as ``progress(bytes_done, bytes_total)`` while downloading; ``bytes_total`` is
        ``None`` when the server sends no ``Content-Length``. A cache hit calls it once with
        ``(size, size)``.

    Returns
    -------
    Path
        ``dest``.

    Raises
    ------
    FetchError
        On an HTTP 4xx status (not retried), on a checksum mismatch, when every attempt failed,
        or when the cache directory cannot be read or written. Nothing partial is left behind.
    ParameterError
        If ``sha256`` is not a 64-digit hex string or ``retries`` is below 1.

    Notes
    -----
    The download goes to ``<dest>.<random>.part`` in ``dest``'s directory, is hashed as it
    streams, and only a verified file is moved onto ``dest`` with :func:`os.replace`, so
    ``dest`` is never seen half-written.
    """
    expected = _check_args(sha256, retries)
    dest = Path(dest)
    if _is_cached(dest, expected):
        if progress is not None:
            size = dest.stat().st_size
            progress(size, size)
        return dest
    _make_dir(dest.parent)
    reason = ""
    for attempt in range(retries):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            return _attempt(url, expected, dest, timeout, progress)
        except _Transient as exc:
            reason = str(exc)
    raise FetchError(f"Downloading {url} failed after {retries} attempts: {reason}")


def fetch(
    key: str,
    *,
    cache: Path | None = None,
    progress_for: Callable[[str], Progress | None] | None = None,
    **kw: Any,
) -> list[Path]:
    """Download every raw file of catalog dataset ``key`` into the cache.

    Parameters
    ----------
    key : str
        Catalog key of the dataset.
    cache : Path, optional
        Cache root; defaults to :func:`cache_dir`. Files go to ``cache / key / RawFile.path``.
    progress_for : callable, optional
        Called with each file's relative path before it is fetched; returns that file's progress
        callback (see :func:`fetch_file`) or ``None``.
    **kw
        Passed on to :func:`fetch_file` (``retries``, ``timeout``, ``backoff``).

    Returns
    -------
    list of Path
        The local paths, in catalog order.

    Raises
    ------
    UnknownDatasetError
        If ``key`` is not in the catalog.
    FetchError
        If any file cannot be downloaded or verified (see :func:`fetch_file`).
    """
    root = (cache if cache is not None else cache_dir()) / key
    plan = [_plan(raw, key, root) for raw in _catalog_files(key)]  # check all before downloading
    paths = []
    for rel, url, sha256, dest in plan:
        hook = progress_for(rel) if progress_for is not None else None
        paths.append(fetch_file(url, sha256, dest, **kw, progress=hook))
    return paths


def _catalog_files(key: str) -> Sequence[RemoteFile]:
    """The raw files the catalog lists for dataset ``key`` (the one place fetch reads it)."""
    from allegiance.data.catalog import get

    files: Sequence[RemoteFile] = get(key).files
    return files


def _plan(raw: RemoteFile, key: str, root: Path) -> tuple[str, str, str, Path]:
    """``(relative path, url, sha256, destination)`` for one catalog file, or a FetchError."""
    rel = Path(raw.path).as_posix()
    if not raw.url:
        raise FetchError(
            f"Dataset {key!r} lists no download URL for {rel}, so it cannot be fetched. "
            "Curated tables ship only in the bundle; see `allegiance data list`."
        )
    return rel, raw.url, raw.sha256, _dest(root, rel)


def _dest(root: Path, rel: str) -> Path:
    """``root / rel``, refusing catalog paths that would escape ``root``."""
    parts = Path(rel).parts
    if Path(rel).is_absolute() or ".." in parts or not parts:
        raise FetchError(f"Refusing to save {rel!r} outside the cache folder {root}.")
    return root.joinpath(*parts)


def _check_args(sha256: str, retries: int) -> str:
    expected = sha256.strip().lower()
    if not _SHA256.fullmatch(expected):
        raise ParameterError(
            "The 'sha256' parameter of fetch_file() must be a 64-digit hex digest. "
            f"Got {sha256!r} instead."
        )
    if retries < 1:
        raise ParameterError(
            f"The 'retries' parameter of fetch_file() must be an integer >= 1. Got {retries!r} "
            "instead."
        )
    return expected


def _cache_error(path: Path, exc: OSError) -> FetchError:
    why = exc.strerror or type(exc).__name__
    return FetchError(
        f"Cannot use the cache directory {path}: {why}. "
        f"Set {CACHE_ENV} (or pass cache=) to a writable directory."
    )


def _is_cached(dest: Path, expected: str) -> bool:
    try:
        if not dest.is_file():
            return False
        with dest.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest() == expected
    except OSError as exc:
        raise _cache_error(dest.parent, exc) from exc


def _make_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # PermissionError, NotADirectoryError, FileExistsError, read-only fs
        raise _cache_error(path, exc) from exc


def _attempt(
    url: str, expected: str, dest: Path, timeout: float, progress: Progress | None
) -> Path:
    """One download attempt: stream, hash, verify, then move into place."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    tmp: Path | None = None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            total = _content_length(response.headers.get("Content-Length"))
            tmp = _new_part_file(dest)
            with tmp.open("wb") as out:
                got = _stream(response, out, total, progress)
        if got != expected:
            raise FetchError(
                f"Checksum mismatch for {url}: expected {expected}, got {got}. The upstream file "
                "changed or the download was corrupted; nothing was saved."
            )
        os.replace(tmp, dest)
        tmp = None
        return dest
    except urllib.error.HTTPError as exc:
        exc.close()
        raise _http_error(url, exc) from exc
    except _TRANSIENT as exc:
        raise _Transient(_reason(exc)) from exc
    except OSError as exc:  # local: writing the .part file or replacing dest
        raise _cache_error(dest.parent, exc) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _new_part_file(dest: Path) -> Path:
    with tempfile.NamedTemporaryFile(
        delete=False, dir=dest.parent, prefix=f"{dest.name}.", suffix=".part"
    ) as fh:
        return Path(fh.name)


def _stream(
    response: IO[bytes], out: IO[bytes], total: int | None, progress: Progress | None
) -> str:
    """Copy ``response`` to ``out`` in chunks; return the SHA-256 hex digest of what was copied."""
    digest = hashlib.sha256()
    done = 0
    if progress is not None:
        progress(0, total)
    while chunk := response.read(_CHUNK):
        digest.update(chunk)
        out.write(chunk)
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    return digest.hexdigest()


def _content_length(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def _http_error(url: str, exc: urllib.error.HTTPError) -> Exception:
    """4xx is final (a FetchError); anything else (5xx) may pass and is retried."""
    status = f"HTTP {exc.code} {exc.reason}".rstrip()
    if 400 <= exc.code < 500:
        return FetchError(f"Downloading {url} failed with {status}; not retrying.")
    return _Transient(status)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError):
        return f"{exc.reason}"
    if isinstance(exc, TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
