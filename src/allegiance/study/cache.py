"""Content-addressed cache of evidence: the same inputs, data and code reuse the stored result."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
from platformdirs import user_cache_dir

from allegiance.data.bundle import PROVENANCE_FILE
from allegiance.study.evidence import Evidence

__all__ = ["cache_root", "evidence_key", "load_evidence", "store_evidence"]

_CODE_DIRS = ("panel", "measures", "models", "study")


def cache_root() -> Path:
    """``$ALLEGIANCE_CACHE/study`` or the user cache directory's ``study`` folder."""
    base = os.environ.get("ALLEGIANCE_CACHE") or user_cache_dir("allegiance")
    return Path(base) / "study"


@cache
def _code_and_data_hash() -> str:
    """Hash of the bundle's provenance and of the code that computes evidence."""
    digest = hashlib.sha256(PROVENANCE_FILE.read_bytes())
    root = Path(__file__).resolve().parent.parent
    for folder in _CODE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def evidence_key(kind: str, inputs: dict[str, Any]) -> str:
    """The cache key of one claim's evidence: kind, inputs, data and code."""
    payload = json.dumps({"kind": kind, "inputs": inputs}, sort_keys=True, default=str)
    return hashlib.sha256((payload + _code_and_data_hash()).encode()).hexdigest()[:32]


def load_evidence(key: str) -> Evidence | None:
    """The cached evidence for ``key``, or None (also when the entry is unreadable)."""
    folder = cache_root() / key
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        table = pl.read_parquet(folder / "table.parquet")
        figure = json.loads((folder / "figure.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, pl.exceptions.PolarsError):
        return None
    return Evidence(table=table, figure=figure, sources=tuple(meta.pop("sources")), **meta)


def store_evidence(key: str, evidence: Evidence) -> None:
    """Store evidence under ``key`` atomically; a cache that cannot be written is skipped."""
    root = cache_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=root))
    except OSError:
        return
    try:
        evidence.table.write_parquet(tmp / "table.parquet")
        (tmp / "figure.json").write_text(json.dumps(evidence.figure, default=_plain))
        meta = {k: getattr(evidence, k) for k in
                ("verdict", "certainty", "reason", "summary", "settle")}  # fmt: skip
        meta["sources"] = list(evidence.sources)
        (tmp / "meta.json").write_text(json.dumps(meta))
        os.replace(tmp, root / key)
    except OSError:
        pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _plain(value: Any) -> Any:
    """JSON fallback for numpy arrays and scalars inside plotly figure dicts."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)
