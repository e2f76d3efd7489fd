"""The dataset catalog: name, version, citation, licence, raw files and years of each source."""

from __future__ import annotations

import difflib
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from allegiance.errors import UnknownDatasetError
from allegiance.references import REFERENCES_FILE, bib_entries

__all__ = [
    "CATALOG_FILE",
    "CURATED_PREFIX",
    "REFERENCES_FILE",
    "Dataset",
    "RawFile",
    "bibtex",
    "bibtex_all",
    "datasets",
    "get",
    "references",
    "versions",
]

CATALOG_FILE = Path(__file__).with_name("catalog.toml")
CURATED_PREFIX = "curated/"
"""Paths starting with this prefix are relative to ``raw_dir.parent``, not to ``raw_dir``."""

_SHA256 = re.compile(r"[0-9a-f]{64}")
# "@type{key," at the start of a line; @comment / @string / @preamble are not entries.


class RawFile(BaseModel):
    """One upstream file a dataset is built from.

    Attributes
    ----------
    path : str
        Location relative to the raw data directory (``shared/data/raw``), e.g.
        ``"peacesciencer/cow_nmc.rda"``. Paths starting with ``"curated/"`` are relative to
        the raw directory's parent (``shared/data``); use :meth:`resolve`.
    sha256 : str
        Lower-case hex SHA-256 of the file's bytes.
    bytes : int
        File size in bytes.
    url : str or None
        Raw download URL at the pinned commit
        (``https://raw.githubusercontent.com/{repo}/{commit}/{repo_path}``); ``None`` for
        files curated by this project, which have no upstream copy.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    sha256: str
    bytes: int
    url: str | None = None

    @field_validator("sha256")
    @classmethod
    def _check_sha256(cls, value: str) -> str:
        if not _SHA256.fullmatch(value):
            raise ValueError(f"sha256 must be 64 lower-case hex digits; got {value!r}")
        return value

    @property
    def curated(self) -> bool:
        """Whether the file is curated by this project (path relative to ``raw_dir.parent``)."""
        return self.path.startswith(CURATED_PREFIX)

    def resolve(self, raw_dir: Path) -> Path:
        """Absolute location of the file, given the raw data directory.

        Parameters
        ----------
        raw_dir : Path
            The raw upstream data directory (``shared/data/raw``).

        Returns
        -------
        Path
            ``raw_dir / path``, or ``raw_dir.parent / path`` for curated files.

        Examples
        --------
        >>> f = RawFile(path="curated/x.csv", sha256="0" * 64, bytes=1)
        >>> f.resolve(Path("/d/raw")).as_posix()
        '/d/curated/x.csv'
        """
        base = raw_dir.parent if self.curated else raw_dir
        return base / self.path


class Dataset(BaseModel):
    """One catalogued dataset: what it is, which version, how to cite it, where it came from.

    Attributes
    ----------
    key : str
        Catalog key used throughout the package (``"cow_nmc"``, ``"atop"``, ...).
    name : str
        The dataset's own name.
    version : str
        Version as the raw-data MANIFEST states it (``"7.0"``); where the MANIFEST states
        none, ``"unversioned (<package> <version>)"`` names the snapshot instead.
    description : str
        One line on what the data hold.
    citation_keys : tuple of str
        Keys into ``references.bib``.
    licence : str
        Licence and terms of use, as the MANIFEST records them.
    url : str or None
        Primary upstream page (the publisher's page where the MANIFEST names one, else the
        source repository).
    urls : tuple of str
        Every upstream page, primary first.
    files : tuple of RawFile
        Raw files the dataset is built from (empty for a derived table).
    years : tuple of int or None
        First and last year covered; ``None`` for cross-sections and crosswalks.
    years_note : str
        What the years mean (which column, spells or panel, gaps).
    derived_from : tuple of str
        Keys of the datasets a derived table is built from (empty for upstream data).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    name: str
    version: str
    description: str
    citation_keys: tuple[str, ...]
    licence: str
    url: str | None = None
    urls: tuple[str, ...] = ()
    files: tuple[RawFile, ...] = ()
    years: tuple[int, int] | None = None
    years_note: str = ""
    derived_from: tuple[str, ...] = ()

    @field_validator("years")
    @classmethod
    def _check_years(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None and value[0] > value[1]:
            raise ValueError(f"years must be [first, last] with first <= last; got {list(value)}")
        return value


@cache
def datasets() -> dict[str, Dataset]:
    """Every catalogued dataset, by key, in catalog order.

    Returns
    -------
    dict of str to Dataset
        Read once from ``catalog.toml`` beside this module and cached; treat as read-only.

    Examples
    --------
    >>> datasets()["cow_nmc"].version
    '7.0'
    """
    with CATALOG_FILE.open("rb") as fh:
        raw: dict[str, Any] = tomllib.load(fh)
    return {
        key: Dataset.model_validate({"key": key, **entry}) for key, entry in raw["datasets"].items()
    }


def get(key: str) -> Dataset:
    """The catalogued dataset ``key``.

    Parameters
    ----------
    key : str
        A catalog key such as ``"atop"`` or ``"cow_nmc"``.

    Returns
    -------
    Dataset

    Raises
    ------
    UnknownDatasetError
        If ``key`` is not in the catalog; the message lists the valid keys and suggests
        close matches.

    Examples
    --------
    >>> get("atop").citation_keys
    ('leeds2002',)
    >>> get("ATOPP")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    allegiance.errors.UnknownDatasetError: Unknown dataset 'ATOPP'. ... Did you mean 'atop'?
    """
    catalog = datasets()
    try:
        return catalog[key]
    except KeyError:
        pass
    message = f"Unknown dataset {key!r}. Valid datasets: {', '.join(sorted(catalog))}."
    close = difflib.get_close_matches(key.strip().lower(), list(catalog), n=3)
    if close:
        message += f" Did you mean {' or '.join(repr(c) for c in close)}?"
    raise UnknownDatasetError(message) from None


def versions() -> dict[str, str]:
    """Version of every catalogued dataset, by key (what ``allegiance.versions()`` returns).

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> versions()["atop"]
    '5.1'
    """
    return {key: ds.version for key, ds in datasets().items()}


def references() -> dict[str, str]:
    """Every BibTeX entry in ``references.bib``, by citation key (the full entry text).

    >>> references()["leeds2002"].splitlines()[0]
    '@article{leeds2002,'
    """
    return {key: text for key, (_, text) in bib_entries().items()}


def bibtex(key: str) -> str:
    """BibTeX for dataset ``key``: all its entries, blank-line separated (``allegiance.cite``).

    Parameters
    ----------
    key : str
        A catalog key such as ``"atop"``.

    Returns
    -------
    str
        The entries for the dataset's ``citation_keys``, in catalog order; an empty string
        for a dataset with no citation (the curated table, whose rows cite their sources).

    Raises
    ------
    UnknownDatasetError
        If ``key`` is not in the catalog.

    Examples
    --------
    >>> print(bibtex("atop").splitlines()[0])
    @article{leeds2002,
    """
    refs = references()
    return "\n\n".join(refs[c] for c in get(key).citation_keys)


def bibtex_all() -> str:
    """BibTeX for every catalogued dataset, each entry once, in catalog order.

    Returns
    -------
    str
        Blank-line separated entries.

    Examples
    --------
    >>> "@article{leeds2002," in bibtex_all()
    True
    """
    refs = references()
    keys = dict.fromkeys(c for ds in datasets().values() for c in ds.citation_keys)
    return "\n\n".join(refs[c] for c in keys)
