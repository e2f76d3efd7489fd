"""Building the bundle: deterministic output, clear errors, and nothing half-written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from allegiance.data import bundle
from allegiance.data.build import build_bundle, content_sha256, file_sha256
from allegiance.data.catalog import versions
from allegiance.data.tables import TABLES, snake_case
from allegiance.errors import BuildError, UnknownDatasetError

SMALL = ["cow_majors", "cow_contdir", "troops_bases", "us_commitment_signals"]


def _snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` with its bytes (an empty dict if it does not exist)."""
    if not directory.exists():
        return {}
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


def _raw_copy(raw_dir: Path, dest: Path, tables: list[str]) -> Path:
    """A raw directory holding only the manifest and the files of ``tables``."""
    root = dest / "raw"
    root.mkdir(parents=True)
    shutil.copy(raw_dir / "manifest.json", root / "manifest.json")
    for name in tables:
        for rel in TABLES[name].raw:
            target = (root / rel).resolve()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(raw_dir / rel, target)
    return root


def test_registry_names_and_raw_paths_are_consistent(raw_dir: Path) -> None:
    manifest = json.loads((raw_dir / "manifest.json").read_text(encoding="utf-8"))
    staged = {f["staged_path"].removeprefix("shared/data/raw/") for f in manifest["files"]}
    for name, spec in TABLES.items():
        assert spec.name == name
        assert spec.raw, f"{name} lists no raw file"
        assert spec.dataset in versions(), f"{name}: dataset {spec.dataset!r} not in the catalog"
        for rel in spec.raw:
            assert rel in staged or rel.startswith("../curated/"), (name, rel)


def test_snake_case() -> None:
    assert snake_case("total christians") == "total_christians"
    assert snake_case("Marine Corps Ashore") == "marine_corps_ashore"


def test_two_builds_give_identical_hashes_and_bytes(raw_dir: Path, tmp_path: Path) -> None:
    first = build_bundle(raw_dir, tmp_path / "a", tables=SMALL)
    second = build_bundle(raw_dir, tmp_path / "b", tables=SMALL)
    assert first == second
    for name in SMALL:
        assert file_sha256(tmp_path / "a" / f"{name}.parquet") == file_sha256(
            tmp_path / "b" / f"{name}.parquet"
        )
    record = json.loads((tmp_path / "a" / "provenance.json").read_text(encoding="utf-8"))
    assert record == first
    assert record["built_with"].startswith("allegiance ")
    entry = record["tables"]["cow_contdir"]
    assert entry["dataset"] == "cow_contdir"
    assert entry["source_files"] == [
        {
            "path": "peacesciencer/cow_contdir.rda",
            "sha256": file_sha256(raw_dir / "peacesciencer/cow_contdir.rda"),
        }
    ]
    assert entry["columns"] == ["ccode1", "ccode2", "conttype", "stdate", "enddate"]
    assert entry["dtypes"]["stdate"] == "Date"


def test_partial_build_keeps_other_tables(raw_dir: Path, tmp_path: Path) -> None:
    build_bundle(raw_dir, tmp_path, tables=["cow_majors"])
    record = build_bundle(raw_dir, tmp_path, tables=["cow_contdir"])
    assert sorted(record["tables"]) == ["cow_contdir", "cow_majors"]
    assert (tmp_path / "cow_majors.parquet").exists()


def test_missing_raw_file_raises_and_leaves_out_dir_unchanged(
    raw_dir: Path, tmp_path: Path
) -> None:
    raw = _raw_copy(raw_dir, tmp_path, ["cow_majors"])
    out = tmp_path / "bundle"
    build_bundle(raw, out, tables=["cow_majors"])
    before = _snapshot(out)
    with pytest.raises(
        BuildError,
        match=r"Raw file .*cow_nmc\.rda is missing; the build needs it for table cow_nmc\.",
    ):
        build_bundle(raw, out, tables=["cow_majors", "cow_nmc"])
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "raw"]  # no temp dir left


def test_corrupt_raw_file_raises_and_leaves_out_dir_unchanged(
    raw_dir: Path, tmp_path: Path
) -> None:
    raw = _raw_copy(raw_dir, tmp_path, ["cow_majors", "cow_contdir"])
    with (raw / "peacesciencer/cow_contdir.rda").open("ab") as fh:
        fh.write(b"\0")
    out = tmp_path / "bundle"
    with pytest.raises(
        BuildError, match=r"cow_contdir\.rda has sha256 [0-9a-f]{64}, but the manifest expects"
    ):
        build_bundle(raw, out, tables=["cow_majors", "cow_contdir"])
    assert _snapshot(out) == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_unreadable_raw_file_is_one_clear_build_error(raw_dir: Path, tmp_path: Path) -> None:
    raw = _raw_copy(raw_dir, tmp_path, ["cow_majors"])
    path = raw / "peacesciencer/cow_majors.rda"
    path.write_bytes(b"not an R data file")
    manifest = json.loads((raw / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["staged_path"].endswith("peacesciencer/cow_majors.rda"):
            entry["sha256"] = file_sha256(path)
    (raw / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(
        BuildError, match=r"Could not read the raw file\(s\) .* for table cow_majors"
    ):
        build_bundle(raw, tmp_path / "bundle", tables=["cow_majors"])


def test_missing_manifest_and_unknown_table(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"manifest\.json is missing"):
        build_bundle(tmp_path, tmp_path / "bundle", tables=["cow_majors"])
    with pytest.raises(UnknownDatasetError, match=r"unknown table\(s\) \['nope'\]"):
        build_bundle(tmp_path, tmp_path / "bundle", tables=["nope"])


def test_shipped_bundle_matches_its_provenance() -> None:
    record = bundle.provenance()
    if not record["tables"]:
        pytest.skip("the bundle has not been built")
    assert sorted(record["tables"]) == sorted(TABLES)
    for name, entry in record["tables"].items():
        frame = bundle.load(name)
        assert frame.height == entry["rows"], name
        assert frame.columns == entry["columns"], name
        assert content_sha256(frame) == entry["content_sha256"], name
