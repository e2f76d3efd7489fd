"""Country codes: resolve names, ISO and COW/G-W codes to one state, year by year.

The lookups read the bundle table ``country_codes`` (built by
:func:`allegiance.data.build_codes.country_codes_table` from the COW and Gleditsch-Ward state
lists, the isard COW-G-W crosswalk, ISO 3166 codes, the UN voting data and troopdata). Its
rows are kept as JSON in the user's cache folder, keyed by the parquet file's sha256, so a
lookup (``allegiance codes``) reads no parquet and imports no polars after the first one.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

from allegiance.errors import AmbiguousCodeError, ParameterError, UnknownCodeError

if TYPE_CHECKING:  # polars is imported where frames are made, not for a lookup
    import polars as pl

__all__ = [
    "CodeBook",
    "Country",
    "System",
    "codebook",
    "cow_to_gw",
    "name_of",
    "normalise_name",
    "resolve",
    "resolve_many",
    "to_ccode",
    "to_gwcode",
    "to_iso3",
]

System = Literal["cow", "gw"]
FrameT = TypeVar("FrameT", "pl.DataFrame", "pl.LazyFrame")

# Lower rank wins when a query matches several states. Codes and the system's own names come
# first, the other system's next, names from ISO, UN and troop data after, hand aliases last.
_RANK: dict[System, dict[str, int]] = {
    "cow": {"cow_name": 0, "cow_abb": 0, "iso3": 0, "iso2": 0, "gw_name": 1, "gw_abb": 1},
    "gw": {"gw_name": 0, "gw_abb": 0, "iso3": 0, "iso2": 0, "cow_name": 1, "cow_abb": 1},
}
_OTHER_RANK = {"iso_name": 2, "un_name": 2, "troop_name": 2, "alias": 3}
_LABEL: dict[System, str] = {"cow": "COW", "gw": "G-W"}
_CODE_KINDS = frozenset({"cow_abb", "gw_abb", "iso3", "iso2"})
_DROP = re.compile(r"[.'’`ʼ]")
_SPACE = re.compile(r"[^a-z0-9]+")
_WORDS = {"saint": "st", "the": ""}


def normalise_name(text: str) -> str:
    """Fold case, accents and punctuation so that name variants compare equal.

    >>> normalise_name("Côte d’Ivoire"), normalise_name("St. Kitts & Nevis")
    ('cote divoire', 'st kitts and nevis')
    >>> normalise_name("U.S.A."), normalise_name("Saint Lucia")
    ('usa', 'st lucia')
    """
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    plain = _DROP.sub("", plain.lower().replace("&", " and "))
    words = (_WORDS.get(w, w) for w in _SPACE.sub(" ", plain).split())
    return " ".join(w for w in words if w)


@dataclass(frozen=True)
class Country:
    """One state in one code system.

    ``name`` and ``abb`` are the system's own (COW ``statenme``/``stateabb`` or G-W
    ``statename``/``stateabb``). ``start_year``/``end_year`` are its first and last year in the
    system; ``spells`` lists every membership spell, so gaps (Germany 1946-1989) show.
    ``gwcode`` (for COW) or ``ccode`` (for G-W) is the crosswalk's code in the year asked
    for, else in the latest year the state has one; ``None`` when the other system lacks it.
    """

    ccode: int | None
    gwcode: int | None
    iso3: str | None
    abb: str
    name: str
    start_year: int
    end_year: int
    spells: tuple[tuple[int, int], ...] = ()
    system: System = "cow"

    @property
    def years(self) -> str:
        """The spells as text, e.g. ``'1816-1945, 1990-2016'``."""
        return ", ".join(f"{a}-{b}" for a, b in self.spells)


class _Unit(NamedTuple):
    ccode: int | None
    gwcode: int | None
    iso3: str | None
    cow_abb: str | None
    name: str | None
    gw_abb: str | None
    gw_name: str | None
    start_year: int
    end_year: int

    def key(self, system: System) -> int | None:
        return self.ccode if system == "cow" else self.gwcode

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class _Match(NamedTuple):
    unit: _Unit
    kind: str


def _years(spells: Iterable[tuple[int, int]]) -> set[int]:
    return {y for a, b in spells for y in range(a, b + 1)}


def _spells(units: Iterable[_Unit]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for u in sorted(units, key=lambda u: u.start_year):
        if merged and u.start_year <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], u.end_year)
        else:
            merged.append([u.start_year, u.end_year])
    return tuple((a, b) for a, b in merged)


class CodeBook:
    """An in-memory index of the ``country_codes`` table (a frame or its rows as mappings);
    build once, query often."""

    def __init__(self, table: pl.DataFrame | Iterable[Mapping[str, Any]]) -> None:
        self._index: dict[str, list[_Match]] = defaultdict(list)
        self._units: dict[System, dict[int, list[_Unit]]] = {"cow": {}, "gw": {}}
        self._labels: dict[System, dict[str, set[str]]] = {"cow": {}, "gw": {}}
        system_names: list[tuple[str, _Match]] = []
        seen: set[_Unit] = set()
        rows = table.iter_rows(named=True) if hasattr(table, "iter_rows") else table
        for row in rows:
            unit = _Unit(*(row[f] for f in _Unit._fields))
            self._index[row["variant"]].append(_Match(unit, row["variant_kind"]))
            if row["variant_kind"] in ("cow_name", "gw_name"):
                system_names.append((row["variant"], _Match(unit, row["variant_kind"])))
            if unit not in seen:
                seen.add(unit)
                for system in ("cow", "gw"):
                    key = unit.key(system)
                    if key is not None:
                        self._units[system].setdefault(key, []).append(unit)
            if row["variant_kind"] not in _CODE_KINDS:
                self._add_labels(row["variant"], unit)
        # 'korea' -> the matches of 'north korea' and 'south korea': a system's own name that
        # ends in the words of another name qualifies it (North Korea, Republic of Vietnam),
        # unless its first words name a state too (Austria-Hungary does not qualify Hungary).
        self._qualified: dict[str, list[_Match]] = defaultdict(list)
        for variant, match in system_names:
            words = variant.split()
            for i in range(1, len(words)):
                if " ".join(words[:i]) not in self._index:
                    self._qualified[" ".join(words[i:])].append(match)

    def _add_labels(self, variant: str, unit: _Unit) -> None:
        if unit.ccode is not None:
            self._labels["cow"].setdefault(variant, set()).add(f"{unit.name} ({unit.ccode})")
        if unit.gwcode is not None:
            label = f"{unit.gw_name} ({unit.gwcode})"
            self._labels["gw"].setdefault(variant, set()).add(label)

    # ------------------------------------------------------------------ building a Country

    def country(self, code: int, *, year: int | None = None, system: System = "cow") -> Country:
        """The state with code ``code`` in ``system``; ``year`` picks the crosswalk code."""
        units = self._units[system].get(code)
        if not units:
            label = _LABEL[system]
            raise UnknownCodeError(
                f"Unknown {label} code {code}. {label} codes run from "
                f"{min(self._units[system])} to {max(self._units[system])}; "
                f"try resolve('<name>') or `allegiance codes <name>`."
            )
        at = self._pick_unit(units, year, system)
        spells = _spells(units)
        first, last = spells[0][0], spells[-1][1]
        if system == "cow":
            return Country(
                ccode=code, gwcode=at.gwcode, iso3=at.iso3, abb=str(at.cow_abb),
                name=str(at.name), start_year=first, end_year=last, spells=spells, system="cow",
            )  # fmt: skip
        return Country(
            ccode=at.ccode, gwcode=code, iso3=at.iso3, abb=str(at.gw_abb),
            name=str(at.gw_name), start_year=first, end_year=last, spells=spells, system="gw",
        )  # fmt: skip

    @staticmethod
    def _pick_unit(units: Sequence[_Unit], year: int | None, system: System) -> _Unit:
        other = "gwcode" if system == "cow" else "ccode"
        pool = [u for u in units if year is not None and u.covers(year)]
        if not pool:  # no year, or outside every spell: the latest unit with a crosswalk code
            ordered = sorted(units, key=lambda u: u.end_year)
            pool = [u for u in ordered if getattr(u, other) is not None][-1:] or ordered[-1:]
        # G-W 260 in 1990 pairs with COW 255 and 260: prefer the code equal to the G-W one.
        return min(pool, key=lambda u: (u.ccode != u.gwcode, u.ccode or 0, u.gwcode or 0))

    # ------------------------------------------------------------------ resolving

    def resolve(
        self, query: str | int, *, year: int | None = None, system: System = "cow"
    ) -> Country:
        """See :func:`resolve`."""
        if system not in _RANK:
            raise ParameterError(
                f"The 'system' parameter of resolve() must be one of {{'cow', 'gw'}}. "
                f"Got {system!r} instead."
            )
        text = str(query).strip()
        if isinstance(query, int) or text.isdigit():
            return self.country(int(text), year=year, system=system)
        return self._resolve_name(text, year, system)

    def _resolve_name(self, text: str, year: int | None, system: System) -> Country:
        found = self._lookup(text)
        matches = [m for m in found if m.unit.key(system) is not None]
        if not matches:
            raise UnknownCodeError(self._unknown_message(text, system, found))
        if year is not None:
            matches = [m for m in matches if m.unit.covers(year)] or matches
        rank = {**_RANK[system], **_OTHER_RANK}
        best: dict[int, int] = {}
        for m in matches:
            key = m.unit.key(system)
            assert key is not None
            best[key] = min(best.get(key, 99), rank[m.kind])
        top = min(best.values())
        keys = sorted(k for k, r in best.items() if r == top)
        if len(keys) > 1:
            raise AmbiguousCodeError(self._ambiguous_message(text, keys, year, system))
        if year is None and (others := self._other_years(text, keys[0], top, system)):
            raise AmbiguousCodeError(
                self._ambiguous_message(text, [keys[0], *others], None, system)
            )
        return self.country(keys[0], year=year, system=system)

    def _other_years(self, text: str, key: int, top: int, system: System) -> list[int]:
        """States other than ``key`` that ``text`` names as well as ``key`` does (a variant
        of the same rank) or as the last words of a system name of that rank ('Korea':
        North Korea, South Korea), and that were in the system in other years than ``key``
        (sharing at most one year, the year one became the other): without a year the name
        does not say which state it means."""
        rank = {**_RANK[system], **_OTHER_RANK}
        found = [*self._lookup(text), *self._qualified.get(normalise_name(text), [])]
        candidates = {
            k for m in found if (k := m.unit.key(system)) is not None and rank[m.kind] <= top
        }
        mine = _years(self.country(key, system=system).spells)
        return [
            k
            for k in sorted(candidates - {key})
            if len(mine & _years(self.country(k, system=system).spells)) <= 1
        ]

    def _lookup(self, text: str) -> list[_Match]:
        found = self._index.get(normalise_name(text), [])
        if not found and text.count(",") == 1:  # 'Korea, South' -> 'South Korea'
            head, tail = text.split(",")
            found = self._index.get(normalise_name(f"{tail} {head}"), [])
        words = normalise_name(text).split()
        if not found and len(words) == 2:  # 'Korea North', 'Germany East' (Polity's order)
            found = self._index.get(f"{words[1]} {words[0]}", [])
        return found

    def _unknown_message(self, text: str, system: System, found: Sequence[_Match]) -> str:
        if found:  # known, but only in the other system (Tibet is G-W 711 and has no COW code)
            other: System = "gw" if system == "cow" else "cow"
            keys = sorted({k for m in found if (k := m.unit.key(other)) is not None})
            listed = ", ".join(f"{self.country(k, system=other).name} ({k})" for k in keys)
            return (
                f"Country {text!r} has no {_LABEL[system]} code: it is {listed} in the "
                f"{_LABEL[other]} list only. Pass system={other!r} to look it up there."
            )
        labels = self.similar(text, system)
        hint = f" Closest matches: {', '.join(labels)}." if labels else ""
        return (
            f"Unknown country {text!r}.{hint} Give an English name, an ISO3/ISO2 code, "
            "a COW abbreviation or a COW/G-W number."
        )

    def similar(self, text: str, system: System = "cow", n: int = 5) -> list[str]:
        """Labels like ``South Korea (732)`` of the names closest to ``text`` (difflib)."""
        names = self._labels[system]
        close = difflib.get_close_matches(normalise_name(text), list(names), n=8, cutoff=0.6)
        if not close:  # a name inside longer names: 'Korea' -> 'South Korea', 'North Korea'
            key = normalise_name(text)
            close = [v for v in names if key and key in v.split()][:8]
        return list(dict.fromkeys(lab for v in close for lab in sorted(names[v])))[:n]

    def _ambiguous_message(
        self, text: str, keys: Sequence[int], year: int | None, system: System
    ) -> str:
        found = [self.country(k, year=year, system=system) for k in keys]
        listed = "; ".join(f"{c.name} ({c.ccode if system == 'cow' else c.gwcode}, {c.years})"
                           for c in found)  # fmt: skip
        when = f" in {year}" if year is not None else ""
        return (
            f"Country {text!r} is ambiguous{when}: it matches {listed}. "
            "Give a year (year=... or --year) to pick one, or the numeric code."
        )

    def crosswalk(self) -> pl.DataFrame:
        """COW state-years with their G-W code: columns ``ccode``, ``year``, ``gwcode``."""
        import polars as pl

        units = [u for us in self._units["cow"].values() for u in us]
        return (
            pl.DataFrame(
                {
                    "ccode": [u.ccode for u in units],
                    "gwcode": [u.gwcode for u in units],
                    "start": [u.start_year for u in units],
                    "end": [u.end_year for u in units],
                },
                schema={"ccode": pl.Int32, "gwcode": pl.Int32, "start": pl.Int32, "end": pl.Int32},
            )
            .with_columns(pl.int_ranges("start", pl.col("end") + 1, dtype=pl.Int32).alias("year"))
            .explode("year")
            .select("ccode", "year", "gwcode")
            .unique(["ccode", "year"], keep="first")
            .sort("ccode", "year")
        )


# --------------------------------------------------------------------------- public API


@cache
def codebook() -> CodeBook:
    """The :class:`CodeBook` of the bundle table ``country_codes`` (loaded once)."""
    return CodeBook(_code_rows())


def _code_rows() -> list[dict[str, Any]]:
    """The rows of ``country_codes``: from the JSON copy in the user's cache when it is there
    for this very parquet file, else read from the bundle and copied there (best effort: an
    unwritable cache only means the next lookup reads the parquet again)."""
    from allegiance.data.bundle import table_path
    from allegiance.data.cache import cache_dir

    path = table_path("country_codes")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    copy = cache_dir() / "codes" / f"country_codes-{digest}.json"
    try:
        rows: list[dict[str, Any]] = json.loads(copy.read_text(encoding="utf-8"))
        return rows
    except (OSError, ValueError):
        pass
    from allegiance.data.bundle import load

    rows = load("country_codes").to_dicts()
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=copy.parent, prefix=".country_codes-", suffix=".tmp")
    except OSError:
        return rows
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(rows, f)
        os.replace(tmp, copy)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
    return rows


def resolve(query: str | int, *, year: int | None = None, system: System = "cow") -> Country:
    """Resolve a country name or code to one state.

    Parameters
    ----------
    query : str or int
        An English name or a variant of it (case, accents and punctuation are ignored), an
        ISO3 or ISO2 code, a COW (or G-W) abbreviation, or a COW/G-W number (int or digits).
    year : int, optional
        Picks among states that shared a name or code (Germany: 255, 260; Yemen: 678, 679)
        and picks the crosswalk code. It narrows the candidates; it does not check that the
        state was in the system that year.
    system : {'cow', 'gw'}
        Read numbers as COW or Gleditsch-Ward codes, and return that system's name and spells.

    Returns
    -------
    Country

    Raises
    ------
    UnknownCodeError
        Nothing matches (the message lists the closest names).
    AmbiguousCodeError
        A subclass of UnknownCodeError: several states match equally well and ``year`` does
        not tell them apart, or, without a year, the name names states of different years
        (the message lists them with their codes and years).

    Notes
    -----
    Among the states a query matches, and that are in the system in ``year`` when one is
    given, the best match wins: the system's own names and ISO/COW codes first, the other
    system's names next, ISO, UN and troopdata names after, hand-kept aliases last.

    Without a year, a name also names the states whose own name ends in its words (North
    Korea and South Korea for "Korea"; not Austria-Hungary for "Hungary", whose first word
    names a state too). If the best match and such a state, or another match of the same
    rank, were in the system in different years (sharing at most the year one became the
    other), the name does not say which it means and the error lists them; a year picks one.

    Examples
    --------
    >>> resolve("South Korea").ccode, resolve("KOR", year=2000).abb
    (732, 'ROK')
    >>> resolve("Germany", year=1970).ccode, resolve("Germany", year=2000).ccode
    (260, 255)
    >>> resolve(255).name
    'Germany'
    >>> resolve("Korea", year=1900).ccode
    730
    >>> resolve("Korea")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    allegiance.errors.AmbiguousCodeError: Country 'Korea' is ambiguous: it matches Korea (730,
    1887-1905); North Korea (731, 1948-2016); South Korea (732, 1949-2016). ...
    """
    return codebook().resolve(query, year=year, system=system)


def to_ccode(query: str | int, year: int | None = None) -> int:
    """The COW code of ``query``.

    >>> to_ccode("Japan"), to_ccode("Yemen", year=1980), to_ccode("Yemen", year=2000)
    (740, 678, 679)
    """
    code = resolve(query, year=year).ccode
    assert code is not None  # a COW resolve always carries its ccode
    return code


def to_gwcode(query: str | int, year: int | None = None) -> int:
    """The G-W code of ``query`` (a name or COW code) in ``year``.

    >>> to_gwcode(255, year=1900), to_gwcode(255, year=2000)
    (255, 260)
    """
    country = resolve(query, year=year)
    if country.gwcode is None:
        raise UnknownCodeError(
            f"{country.name} (COW {country.ccode}) has no Gleditsch-Ward code"
            + (f" in {year}" if year is not None else "")
            + ". Check the state's spells with `allegiance codes`."
        )
    return country.gwcode


def to_iso3(query: str | int, year: int | None = None) -> str:
    """The ISO3 code of ``query``.

    >>> to_iso3("ROK"), to_iso3(2)
    ('KOR', 'USA')
    """
    country = resolve(query, year=year)
    if country.iso3 is None:
        raise UnknownCodeError(
            f"{country.name} (COW {country.ccode}) has no ISO3 code in the bundled sources."
        )
    return country.iso3


def name_of(code: str | int, *, system: System = "cow") -> str:
    """The COW (or G-W) name of a code.

    >>> name_of(740), name_of(365, system="gw")
    ('Japan', 'Russia (Soviet Union)')
    """
    return resolve(code, system=system).name


def resolve_many(queries: Iterable[str | int], year: int | None = None) -> list[int]:
    """COW codes of many names or codes, in order.

    >>> resolve_many(["USA", "China", "Japan", "South Korea", "North Korea"])
    [2, 710, 740, 732, 731]
    """
    return [to_ccode(q, year=year) for q in queries]


def cow_to_gw(
    frame: FrameT, *, ccode: str = "ccode", year: str = "year", gwcode: str = "gwcode"
) -> FrameT:
    """Add the Gleditsch-Ward code of every COW state-year (isard crosswalk).

    State-years outside the COW spells, or with no G-W counterpart, get a null ``gwcode``.
    The join is many-to-one, so the row count is kept.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"ccode": [255, 255, 679], "year": [1900, 2000, 2000]})
    >>> cow_to_gw(frame)["gwcode"].to_list()
    [255, 260, 678]
    """
    import polars as pl

    schema = frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema
    missing = [c for c in (ccode, year) if c not in schema]
    if missing:
        raise ParameterError(
            f"cow_to_gw() needs the columns {ccode!r} and {year!r}; {missing} are missing. "
            "Pass ccode= and year= to name them."
        )
    cross = (
        codebook()
        .crosswalk()
        .select(
            pl.col("ccode").cast(schema[ccode]).alias(ccode),
            pl.col("year").cast(schema[year]).alias(year),
            pl.col("gwcode").alias(gwcode),
        )
    )
    if isinstance(frame, pl.LazyFrame):
        return frame.join(cross.lazy(), on=[ccode, year], how="left", validate="m:1")
    return frame.join(cross, on=[ccode, year], how="left", validate="m:1")
