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
from allegiance.study.evidence import Finding

__all__ = ["cache_root", "evidence_key", "load_finding", "store_finding"]

_CODE_DIRS = ("data", "panel", "measures", "inputs", "models", "runs", "study", "scenarios",
              "studies")  # fmt: skip
_CODE_FILES = ("errors.py", "params.py", "registry.py")
_CODE_SUFFIXES = (".py", ".toml")


def cache_root() -> Path:
    """``$ALLEGIANCE_CACHE/study`` or the user cache directory's ``study`` folder."""
    base = os.environ.get("ALLEGIANCE_CACHE") or user_cache_dir("allegiance")
    return Path(base) / "study"


@cache
def _code_and_data_hash() -> str:
    """Hash of the bundle's provenance and of the code that computes evidence."""
    digest = hashlib.sha256(PROVENANCE_FILE.read_bytes())
    root = Path(__file__).resolve().parent.parent
    paths = [root / name for name in _CODE_FILES]
    for folder in _CODE_DIRS:
        paths += sorted(p for p in (root / folder).rglob("*") if p.suffix in _CODE_SUFFIXES)
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_digests(value: Any) -> Any:
    """Hashes of the files a claim names (e.g. user scenario files), so edits are noticed."""
    if isinstance(value, dict):
        return {k: _file_digests(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_file_digests(v) for v in value]
    if isinstance(value, str) and value.endswith(".toml"):
        try:
            return [value, hashlib.sha256(Path(value).read_bytes()).hexdigest()]
        except OSError:
            return value
    return value


def evidence_key(kind: str, inputs: dict[str, Any]) -> str:
    """The cache key of one claim's finding: kind, inputs (and files they name), data, code.

    Thresholds are not inputs: a finding does not depend on them (the verdict is decided from
    the finding each time).
    """
    payload = json.dumps({"kind": kind, "inputs": _file_digests(inputs)}, sort_keys=True,
                         default=str)  # fmt: skip
    return hashlib.sha256((payload + _code_and_data_hash()).encode()).hexdigest()[:32]


_META: dict[str, type | tuple[type, ...]] = {
    "summary": str, "certainty": str, "reason": str, "settle": str, "figure": str,
    "figure_args": dict, "sources": list, "tables": list, "stats": dict,
    "untestable": (str, type(None)),
}  # fmt: skip


def load_finding(key: str) -> Finding | None:
    """The cached finding for ``key``, or None when absent or damaged (then it is removed)."""
    folder = cache_root() / key
    if not folder.is_dir():
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if not _valid(meta):
            raise ValueError("damaged cache entry")
        table = pl.read_parquet(folder / "table.parquet")
        tables = {str(n): pl.read_parquet(folder / f"table.{n}.parquet") for n in meta["tables"]}
        meta["sources"] = tuple(str(s) for s in meta["sources"])
        del meta["tables"]
        return Finding(table=table, tables=tables, **meta)
    except Exception:  # any damage means: recompute (the entry is only a cache)
        shutil.rmtree(folder, ignore_errors=True)
        return None


def _valid(meta: Any) -> bool:
    """Whether a cache entry's meta has the shape a finding needs."""
    return (
        isinstance(meta, dict)
        and set(meta) == set(_META)
        and all(isinstance(meta[k], t) for k, t in _META.items())
    )


def store_finding(key: str, finding: Finding) -> None:
    """Store a finding under ``key`` atomically; a cache that cannot be written is skipped."""
    root = cache_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=root))
    except OSError:
        return
    try:
        finding.table.write_parquet(tmp / "table.parquet")
        for name, table in finding.tables.items():
            table.write_parquet(tmp / f"table.{name}.parquet")
        meta = {k: getattr(finding, k) for k in _META if k not in ("sources", "tables")}
        meta["sources"] = list(finding.sources)
        meta["tables"] = list(finding.tables)
        (tmp / "meta.json").write_text(json.dumps(meta, default=_plain))
        os.replace(tmp, root / key)
    except (OSError, TypeError, ValueError):
        pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _plain(value: Any) -> Any:
    """JSON for numpy scalars and dates inside the statistics."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)
