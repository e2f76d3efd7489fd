"""The user's cache folder: downloaded raw files and lookups derived from the bundle."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CACHE_ENV", "cache_dir"]

CACHE_ENV = "ALLEGIANCE_CACHE"
"""Environment variable that overrides the cache directory."""


def cache_dir() -> Path:
    """The directory downloads (and lookups derived from the bundle) are cached in.

    Returns
    -------
    Path
        ``$ALLEGIANCE_CACHE`` when that environment variable is set and non-empty, otherwise the
        platform's user cache directory for ``allegiance`` (from :mod:`platformdirs`). The
        directory is not created here.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"ALLEGIANCE_CACHE": "/tmp/allegiance-cache"}):
    ...     print(cache_dir().as_posix())
    /tmp/allegiance-cache
    """
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("allegiance"))
