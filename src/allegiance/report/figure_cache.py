"""Rendered evidence figures, cached beside the study's evidence so a warm report draws nothing.

A claim's figure is a function of its finding alone, and the finding is stored under its
evidence key (:func:`allegiance.study.cache.evidence_key`: kind, inputs, data and the code that
computes evidence). The figure's HTML is stored under that key together with the figure's
``div`` id, the code that draws and renders it (this folder's ``figures.py``, ``html.py`` and
this module) and plotly's version, so a change to any of them draws the figure again. A warm
run that finds every figure imports no plotly.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path

from allegiance.study.cache import cache_root

__all__ = ["cached_figure_html", "figure_key"]

_CODE_FILES = ("figures.py", "html.py", "figure_cache.py")
_PREFIX = "<div"


@cache
def _drawing_hash() -> str:
    """Hash of the code that draws and renders evidence figures, and of plotly's version."""
    digest = hashlib.sha256(version("plotly").encode())
    root = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        digest.update(name.encode())
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


def figure_key(evidence_key: str, div_id: str) -> str:
    """The cache key of a figure's HTML: its evidence key, ``div`` id and the drawing code."""
    payload = f"{evidence_key}\n{div_id}\n{_drawing_hash()}"
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _folder() -> Path:
    return cache_root() / "figures"


def cached_figure_html(evidence_key: str | None, div_id: str, render: Callable[[], str]) -> str:
    """The figure's HTML from the cache, else ``render()`` (then stored; a cache that cannot
    be read or written is skipped). Without an evidence key nothing is cached."""
    if evidence_key is None:
        return render()
    path = _folder() / f"{figure_key(evidence_key, div_id)}.html"
    try:
        html = path.read_text(encoding="utf-8")
        if html.startswith(_PREFIX) and html.rstrip().endswith("</div>"):
            return html
    except (OSError, UnicodeDecodeError):
        pass
    html = render()
    _store(path, html)
    return html


def _store(path: Path, html: str) -> None:
    """Write ``html`` to ``path`` atomically (a temporary file beside it, then renamed)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(html)
        os.replace(tmp, path)
    except OSError:
        pass
    finally:
        Path(tmp).unlink(missing_ok=True)
