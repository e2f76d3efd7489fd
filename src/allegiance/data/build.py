"""Build the parquet bundle from the raw upstream files: verify, read, write atomically.

``build_bundle(raw_dir)`` checks every raw file a table needs against the sha256 in
``raw_dir/manifest.json``, reads it with the table's reader (see
:mod:`allegiance.data.tables`), writes each table to a temporary directory and only when
every table succeeded moves the files into the bundle directory, ``provenance.json`` last.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl

from allegiance import __version__
from allegiance.data.bundle import BUNDLE_DIR, PROVENANCE_FILE
from allegiance.data.catalog import versions
from allegiance.data.tables import TABLES, TableSpec
from allegiance.errors import BuildError, UnknownDatasetError

__all__ = ["build_bundle", "content_sha256", "expected_sha256", "file_sha256"]

MANIFEST = "manifest.json"
_RAW_PREFIX = "shared/data/raw/"
_PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "statistics": True,
    "row_group_size": 256 * 1024,
}


def file_sha256(path: Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_sha256(df: pl.DataFrame) -> str:
    """SHA-256 of ``df`` serialised as one uncompressed Arrow IPC stream.

    The frame is rechunked and exported with polars' oldest Arrow compatibility level
    (``large_string``, no views), so the same values and dtypes always give the same hash,
    whether the frame comes from the readers or from :func:`allegiance.data.load`.
    """
    import pyarrow as pa

    table = df.rechunk().to_arrow(compat_level=pl.CompatLevel.oldest()).combine_chunks()
    table = table.replace_schema_metadata(None)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()


def expected_sha256(raw_dir: Path) -> dict[str, str]:
    """Expected sha256 of every raw file, by path relative to ``raw_dir``, from its manifest."""
    path = raw_dir / MANIFEST
    if not path.exists():
        raise BuildError(
            f"{path} is missing; build_bundle() needs the raw files' manifest to verify them. "
            "Point raw_dir at a complete raw directory."
        )
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
        return {f["staged_path"].removeprefix(_RAW_PREFIX): f["sha256"] for f in files}
    except (ValueError, KeyError, TypeError) as exc:
        raise BuildError(f"{path} is not a readable raw-file manifest: {exc}.") from exc


def _select(tables: Iterable[str] | None) -> list[TableSpec]:
    if tables is None:
        return list(TABLES.values())
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise UnknownDatasetError(
            f"build_bundle() got unknown table(s) {unknown}. Valid tables: {', '.join(TABLES)}."
        )
    return [TABLES[t] for t in tables]


def _verify_sources(
    spec: TableSpec, raw_dir: Path, expected: dict[str, str]
) -> list[dict[str, str]]:
    """Check each raw file of ``spec`` exists and matches its manifest sha256."""
    sources = []
    for rel in spec.raw:
        path = (raw_dir / rel).resolve()
        if not path.is_file():
            raise BuildError(
                f"Raw file {path} is missing; the build needs it for table {spec.name}. "
                "Fetch the raw files (allegiance data fetch) or point raw_dir at a directory "
                "that holds them."
            )
        sha = file_sha256(path)
        want = expected.get(rel)
        if want is not None and sha != want:
            raise BuildError(
                f"Raw file {path} has sha256 {sha}, but the manifest expects {want}; it is "
                f"corrupt or a different version, so table {spec.name} cannot be built. "
                "Fetch the file again."
            )
        sources.append({"path": rel, "sha256": sha})
    return sources


def _read(spec: TableSpec, raw_dir: Path) -> pl.DataFrame:
    try:
        return spec.reader(raw_dir)
    except Exception as exc:  # any reader failure is one clear BuildError
        raise BuildError(
            f"Could not read the raw file(s) {list(spec.raw)} for table {spec.name}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def _years(df: pl.DataFrame, column: str | None) -> list[int] | None:
    if column is None:
        return None
    col = df[column]
    if col.dtype == pl.Date:
        col = col.dt.year()
    col = col.drop_nulls()
    return [int(col.min()), int(col.max())] if col.len() else None  # type: ignore[arg-type]


def _write_table(
    spec: TableSpec, df: pl.DataFrame, staging: Path, sources: list[dict[str, str]]
) -> dict[str, Any]:
    path = staging / f"{spec.name}.parquet"
    df.write_parquet(path, **_PARQUET_OPTIONS)
    return {
        "dataset": spec.dataset,
        "version": versions().get(spec.dataset),
        "description": spec.description,
        "source_files": sources,
        "rows": df.height,
        "columns": df.columns,
        "dtypes": {c: str(t) for c, t in df.schema.items()},
        "keys": list(spec.keys),
        "years": _years(df, spec.year_column),
        "content_sha256": content_sha256(pl.read_parquet(path)),
        "bytes": path.stat().st_size,
    }


def _old_tables(out_dir: Path) -> dict[str, Any]:
    path = out_dir / PROVENANCE_FILE.name
    if not path.exists():
        return {}
    try:
        tables: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["tables"]
    except (ValueError, KeyError) as exc:
        raise BuildError(f"{path} is not a readable provenance file: {exc}.") from exc
    return tables


def _install(staging: Path, out_dir: Path, provenance: dict[str, Any], stale: set[str]) -> None:
    """Move the staged parquet files into ``out_dir`` (one ``os.replace`` each), then provenance."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (staging / PROVENANCE_FILE.name).write_text(
        json.dumps(provenance, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    for path in sorted(staging.glob("*.parquet")):
        os.replace(path, out_dir / path.name)
    os.replace(staging / PROVENANCE_FILE.name, out_dir / PROVENANCE_FILE.name)
    for name in stale:
        (out_dir / f"{name}.parquet").unlink(missing_ok=True)


def build_bundle(
    raw_dir: Path,
    out_dir: Path = BUNDLE_DIR,
    *,
    tables: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Build bundle tables from the raw upstream files and return the provenance record.

    Parameters
    ----------
    raw_dir : Path
        Directory of raw upstream files laid out as ``shared/data/raw`` (with its
        ``manifest.json``); the curated files are read from ``raw_dir.parent / "curated"``.
    out_dir : Path
        Bundle directory (default: the one shipped inside the package).
    tables : list of str, optional
        Names of the tables to build (default: all of :data:`~allegiance.data.tables.TABLES`).
        Tables already in ``out_dir`` and not rebuilt are kept in the provenance record.
    progress : callable, optional
        Called with one short line per table.

    Returns
    -------
    dict
        The provenance record written to ``out_dir/provenance.json``.

    Raises
    ------
    BuildError
        A raw file is missing, does not match its manifest sha256, or cannot be read.
        ``out_dir`` is then left exactly as it was.

    Notes
    -----
    Each table is written as zstd parquet with statistics into a temporary directory next
    to ``out_dir``; only when every table succeeded are the files moved in. Provenance has
    no timestamps: the same raw files give byte-identical ``content_sha256`` values.
    """
    raw_dir = Path(raw_dir)
    out_dir = Path(out_dir)
    specs = _select(tables)
    expected = expected_sha256(raw_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    built: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix=f".{out_dir.name}-", dir=out_dir.parent) as tmp:
        staging = Path(tmp)
        for spec in specs:
            sources = _verify_sources(spec, raw_dir, expected)
            df = _read(spec, raw_dir)
            built[spec.name] = _write_table(spec, df, staging, sources)
            if progress is not None:
                progress(f"{spec.name}: {df.height:,} rows")
        old = _old_tables(out_dir)
        kept = {} if tables is None else {k: v for k, v in old.items() if k not in built}
        merged = {name: (built | kept)[name] for name in sorted(built | kept)}
        provenance = {"built_with": f"allegiance {__version__}", "tables": merged}
        _install(staging, out_dir, provenance, stale=set(old) - set(merged))
    return provenance
