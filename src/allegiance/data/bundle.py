"""Read the parquet bundle shipped inside the package (never the raw upstream files)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allegiance.errors import UnknownDatasetError

if TYPE_CHECKING:  # imported by scan() and load(): reading the provenance needs no polars
    import polars as pl

__all__ = [
    "BUNDLE_DIR",
    "PROVENANCE_FILE",
    "load",
    "provenance",
    "scan",
    "table_names",
    "table_path",
]

BUNDLE_DIR = Path(__file__).parent / "bundle"
PROVENANCE_FILE = BUNDLE_DIR / "provenance.json"


@cache
def provenance() -> dict[str, Any]:
    """The bundle's provenance: per table its dataset, version, source sha256, rows, years."""
    if not PROVENANCE_FILE.exists():
        return {"tables": {}}
    data: dict[str, Any] = json.loads(PROVENANCE_FILE.read_text(encoding="utf-8"))
    return data


def table_names() -> list[str]:
    """Names of every table in the bundle, sorted."""
    return sorted(provenance()["tables"])


def table_path(name: str) -> Path:
    """The parquet file of bundle table ``name`` (UnknownDatasetError lists the tables)."""
    path = BUNDLE_DIR / f"{name}.parquet"
    if name not in provenance()["tables"] or not path.exists():
        valid = ", ".join(table_names()) or "(the bundle is empty; run `allegiance data build`)"
        raise UnknownDatasetError(f"No bundle table named {name!r}. Valid tables: {valid}.")
    return path


def scan(name: str) -> pl.LazyFrame:
    """A lazy scan of bundle table ``name``."""
    import polars as pl

    return pl.scan_parquet(table_path(name))


def load(name: str) -> pl.DataFrame:
    """Bundle table ``name`` as an eager polars frame."""
    import polars as pl

    return pl.read_parquet(table_path(name))
