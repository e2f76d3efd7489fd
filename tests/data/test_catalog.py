"""The catalog agrees with the raw files, the manifest and references.bib."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from pathlib import Path
from typing import Any

import pydantic
import pytest

from allegiance.data import catalog
from allegiance.data.catalog import Dataset, RawFile
from allegiance.errors import UnknownDatasetError

# Keys other modules rely on; the catalog may grow but must keep these.
REQUIRED_KEYS = (
    "cow_states", "gw_states", "isard_crosswalk", "cow_nmc", "cow_contdir", "mindist",
    "capitals", "atop", "cow_majors", "cow_mid", "gml_mid", "td_rivalries", "tss_rivalries",
    "isard_democracy", "cow_igo", "unvotes", "unga_idealpoints", "troopdata", "mme", "dcad",
    "icow_claims", "icow_colonial", "cow_wrp", "cepii_geodist", "icews", "sipri_milex",
    "sipri_arms", "cow_war_inter", "cow_trade", "iso_codes", "rok_unga",
    "us_commitment_signals", "country_codes",
    # observed relations (issue 13)
    "copdab", "weis", "gdelt", "atop_levels", "icb", "cow_dipex", "kdiplo", "us_travels",
    "aiddata_cpd", "china_vitae", "cns_missile_tests", "icow_claim_names", "vdem_legitideol",
)  # fmt: skip

# Staged raw files the bundle does not use, so they are deliberately not in the catalog.
# Adding a file to the bundle means cataloguing it, and then this set shrinks.
NOT_CATALOGUED = frozenset(
    {
        "coldwar_lame/coldwar.RData",
        "isard/cw_gdppop.rda",
        "isard/gw_gdppop.rda",
        "peacesciencer/LEAD.rda",
        "peacesciencer/archigos.rda",
        "peacesciencer/archigossums.rda",
        "peacesciencer/cow_war_intra.rda",
        "peacesciencer/creg.rda",
        "peacesciencer/gml_mid_ddlydisps.rda",
        "peacesciencer/gml_mid_dirleaderdisps.rda",
        "peacesciencer/grh_arms_races.rda",
        "peacesciencer/hief.rda",
        "peacesciencer/leader_codes.rda",
        "peacesciencer/lwuf.rda",
        "peacesciencer/maoz_powers.rda",
        "peacesciencer/ps_bib.rda",
        "peacesciencer/ps_data_version.rda",
        "peacesciencer/rugged.rda",
        "peacesciencer/terrthreat.rda",
        "peacesciencer/ucdp_acd.rda",
        "peacesciencer/ucdp_onsets.rda",
        "stevedata/mmb_war.rda",
        "stevedata/states_war.rda",
    }
)

ALL_FILES = [(ds.key, f) for ds in catalog.datasets().values() for f in ds.files]
FILE_IDS = [f.path for _, f in ALL_FILES]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@pytest.fixture(scope="module")
def manifest(raw_dir: Path) -> dict[str, dict[str, Any]]:
    """manifest.json's file records, by path relative to the raw directory."""
    data = json.loads((raw_dir / "manifest.json").read_text(encoding="utf-8"))
    prefix = data["root"].rstrip("/") + "/"
    return {rec["staged_path"].removeprefix(prefix): rec for rec in data["files"]}


# ---------------------------------------------------------------- shape of the catalog


def test_required_keys_present() -> None:
    missing = set(REQUIRED_KEYS) - set(catalog.datasets())
    assert not missing


def test_dataset_key_matches_table_key() -> None:
    for key, ds in catalog.datasets().items():
        assert ds.key == key


def test_every_dataset_has_name_version_licence_and_description() -> None:
    for ds in catalog.datasets().values():
        assert ds.name and ds.version and ds.licence and ds.description and ds.years_note, ds.key


def test_years_are_ordered_pairs_or_none() -> None:
    for ds in catalog.datasets().values():
        assert ds.years is None or (len(ds.years) == 2 and ds.years[0] <= ds.years[1]), ds.key


def test_versions_follow_the_manifest() -> None:
    v = catalog.versions()
    assert v["cow_nmc"] == "7.0"
    assert v["atop"] == "5.1"
    assert v["cow_mid"] == "5.0"
    assert v["gml_mid"] == "2.2.1"
    assert v["cow_contdir"] == "3.2"
    assert v["atop_levels"] == "4.01"
    assert v["icb"] == "12"
    assert v["cow_dipex"] == "2006.1"
    assert v["aiddata_cpd"] == "2.0"
    assert v["vdem_legitideol"] == "13"
    assert set(v) == set(catalog.datasets())


def test_only_upstream_datasets_have_no_derivation() -> None:
    for ds in catalog.datasets().values():
        assert ds.files or ds.derived_from, f"{ds.key} has neither raw files nor sources"
        for source in ds.derived_from:
            assert source in catalog.datasets(), f"{ds.key} derives from unknown {source!r}"


def test_country_codes_cites_every_source() -> None:
    cc = catalog.get("country_codes")
    assert set(cc.derived_from) == {
        "cow_states", "gw_states", "iso_codes", "unga_idealpoints", "troopdata",
    }  # fmt: skip
    for source in cc.derived_from:
        assert set(catalog.get(source).citation_keys) <= set(cc.citation_keys)


def test_models_are_frozen() -> None:
    ds = catalog.get("atop")
    with pytest.raises(pydantic.ValidationError):
        ds.version = "6"  # type: ignore[misc,unused-ignore]


def test_rawfile_rejects_bad_sha256() -> None:
    with pytest.raises(pydantic.ValidationError, match="sha256"):
        RawFile(path="x.csv", sha256="abc", bytes=1)


def test_dataset_rejects_reversed_years() -> None:
    with pytest.raises(pydantic.ValidationError, match="first <= last"):
        Dataset(
            key="k", name="n", version="1", description="d", citation_keys=(), licence="l",
            years=(2000, 1990),
        )  # fmt: skip


def test_curated_paths_resolve_beside_raw_dir() -> None:
    (signals,) = catalog.get("us_commitment_signals").files
    assert signals.curated
    assert signals.url is None
    assert signals.resolve(Path("/d/raw")) == Path("/d/curated/us_commitment_signals.csv")
    nmc = catalog.get("cow_nmc").files[0]
    assert nmc.resolve(Path("/d/raw")) == Path("/d/raw/peacesciencer/cow_nmc.rda")


# ---------------------------------------------------------------- against the raw files


@pytest.mark.raw
@pytest.mark.parametrize(("key", "raw_file"), ALL_FILES, ids=FILE_IDS)
def test_raw_file_exists_with_catalogued_checksum(
    key: str, raw_file: RawFile, raw_dir: Path
) -> None:
    path = raw_file.resolve(raw_dir)
    assert path.is_file(), f"{key}: {path} is missing"
    assert path.stat().st_size == raw_file.bytes
    assert _sha256(path) == raw_file.sha256


@pytest.mark.raw
def test_catalog_agrees_with_manifest(manifest: dict[str, dict[str, Any]]) -> None:
    for key, f in ALL_FILES:
        if f.curated:
            continue
        rec = manifest.get(f.path)
        assert rec is not None, f"{key}: {f.path} is not in manifest.json"
        assert (f.sha256, f.bytes) == (rec["sha256"], rec["bytes"]), f.path
        if "(" in rec["repo_path"] or "*" in rec["repo_path"]:
            # written for the staging or extracted from a zip: no single upstream copy
            assert f.url is None, f.path
            continue
        commit_url = (
            f"https://raw.githubusercontent.com/{rec['source_repo']}/{rec['commit']}/"
            f"{urllib.parse.quote(rec['repo_path'])}"
        )
        assert f.url == commit_url, f.path


@pytest.mark.raw
def test_every_used_manifest_file_is_catalogued(manifest: dict[str, dict[str, Any]]) -> None:
    catalogued = {f.path for _, f in ALL_FILES}
    assert set(manifest) - catalogued == NOT_CATALOGUED
    assert not NOT_CATALOGUED & catalogued


def test_no_file_belongs_to_two_datasets() -> None:
    assert len(FILE_IDS) == len(set(FILE_IDS))


# ---------------------------------------------------------------- citations


def test_every_citation_key_resolves() -> None:
    refs = catalog.references()
    for ds in catalog.datasets().values():
        for cite in ds.citation_keys:
            assert cite in refs, f"{ds.key} cites {cite!r}, which is not in references.bib"


def test_references_parse_whole_entries() -> None:
    refs = catalog.references()
    assert "comment" not in refs
    for key, entry in refs.items():
        assert entry.startswith("@") and f"{{{key}," in entry.splitlines()[0]
        assert entry.endswith("}") and entry.count("{") == entry.count("}"), key


def test_measure_references_present() -> None:
    refs = catalog.references()
    assert {"signorino1999", "cohen1960", "scott1955", "kendall1938", "haege2011"} <= set(refs)


def test_bibtex_returns_every_entry_of_a_dataset() -> None:
    text = catalog.bibtex("isard_democracy")
    for cite in catalog.get("isard_democracy").citation_keys:
        assert catalog.references()[cite] in text


def test_bibtex_hand_case_atop() -> None:
    text = catalog.bibtex("atop")
    assert text.startswith("@article{leeds2002,")
    assert "Leeds, Brett Ashley" in text
    assert "pages        = {237--260}" in text


def test_bibtex_all_lists_each_entry_once() -> None:
    text = catalog.bibtex_all()
    cited = {c for ds in catalog.datasets().values() for c in ds.citation_keys}
    for cite in cited:
        assert text.count(f"{{{cite},") == 1, cite


# ---------------------------------------------------------------- errors


def test_unknown_dataset_lists_valid_keys_and_suggests() -> None:
    with pytest.raises(
        UnknownDatasetError, match=r"Unknown dataset 'cow_nmx'\. Valid datasets: "
    ) as info:
        catalog.get("cow_nmx")
    message = str(info.value)
    assert message.endswith(" Did you mean 'cow_nmc' or 'cow_mid' or 'cow_dipex'?")
    assert "atop, atop_levels, capitals, cepii_geodist" in message


def test_close_match_ignores_case() -> None:
    with pytest.raises(UnknownDatasetError, match=r"Did you mean 'atop'\?$"):
        catalog.get("ATOP")


def test_unknown_dataset_without_close_match_has_no_hint() -> None:
    with pytest.raises(UnknownDatasetError) as info:
        catalog.get("zzzzzz")
    assert "Did you mean" not in str(info.value)
    assert str(info.value).endswith(".")


def test_bibtex_of_unknown_dataset_raises() -> None:
    with pytest.raises(UnknownDatasetError, match=r"Unknown dataset 'atopp'.*Did you mean 'atop'"):
        catalog.bibtex("atopp")


def test_unknown_dataset_error_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        catalog.get("nope")
