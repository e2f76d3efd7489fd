"""Registry of bundle tables: the raw files each is built from, and how to read them.

Every reader takes the raw directory (``shared/data/raw`` or a fetch cache laid out the
same way) and returns a tidy :class:`polars.DataFrame`:

- column names as upstream (peacesciencer names such as ``ccode``, ``conttype``,
  ``atop_defense``), except where a table says it snake-cases them;
- R numerics whose values are all whole numbers become ``Int32`` (``Int64`` if a value
  does not fit), other numerics ``Float64``; R dates ``pl.Date``; R factors strings;
  R ``NA`` / ``NaN`` null;
- no row dropped or invented, rows sorted (stably) by the table's natural keys.

The readers import ``pyreadr``, ``rdata`` and ``openpyxl`` lazily: only building the
bundle needs them, never loading it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl

__all__ = ["TABLES", "TableSpec", "normalise", "snake_case"]

_INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class TableSpec:
    """One bundle table: its catalog dataset, raw files, reader and coverage column.

    ``raw`` paths are relative to the raw directory (the curated file sits in
    ``../curated``). ``keys`` are the natural keys the rows are sorted by (empty: file order).
    """

    name: str
    dataset: str
    raw: tuple[str, ...]
    reader: Callable[[Path], pl.DataFrame]
    year_column: str | None
    description: str
    keys: tuple[str, ...] = ()


# --------------------------------------------------------------------------- helpers


def snake_case(name: str) -> str:
    """``'total christians'`` -> ``'total_christians'``, ``"total baha'i"`` -> ``'total_bahai'``.

    >>> snake_case("Total Selected Reserve"), snake_case("total zoroastrains/parsis")
    ('total_selected_reserve', 'total_zoroastrains_parsis')
    """
    name = name.replace("'", "").strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", name).strip("_")


def _whole_int_dtype(s: pl.Series) -> pl.DataType | None:
    """Int32 / Int64 if every non-null value of float ``s`` is a whole number, else None."""
    vals = s.drop_nulls()
    if vals.len() == 0 or not bool((vals == vals.floor()).all()):
        return None
    big = max(abs(float(vals.min())), abs(float(vals.max())))  # type: ignore[arg-type]
    return pl.Int32() if big <= _INT32_MAX else pl.Int64()


def _normalise_column(s: pl.Series) -> pl.Series:
    if s.dtype in (pl.Categorical, pl.Enum):
        return s.cast(pl.String)
    if s.dtype in (pl.Float32, pl.Float64):
        s = s.fill_nan(None)
        target = _whole_int_dtype(s)
        return s.cast(target) if target is not None else s.cast(pl.Float64)
    if s.dtype.is_integer() and s.dtype != pl.Int32:
        vals = s.drop_nulls()
        fits = vals.len() == 0 or max(abs(int(vals.min())), abs(int(vals.max()))) <= _INT32_MAX  # type: ignore[arg-type]
        return s.cast(pl.Int32) if fits else s.cast(pl.Int64)
    if s.dtype == pl.Datetime:
        return s.cast(pl.Date)
    return s


def normalise(df: pl.DataFrame) -> pl.DataFrame:
    """Apply the bundle's dtype rules (see the module docstring) to every column."""
    return pl.DataFrame([_normalise_column(df[c]) for c in df.columns])


def _finish(df: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    df = normalise(df)
    if keys:
        df = df.sort(list(keys), nulls_last=True, maintain_order=True)
    return df


def _pandas_to_polars(pdf: Any) -> pl.DataFrame:
    """Convert a pandas frame from pyreadr / rdata, dropping its (R row-name) index."""
    return pl.from_pandas(pdf.reset_index(drop=True))


def _r_object(path: Path, obj: str | None = None) -> pl.DataFrame:
    """Read one data frame from an ``.rda`` with pyreadr (imported here, build-time only)."""
    import pyreadr

    result = pyreadr.read_r(str(path))
    frame = result[obj] if obj is not None else next(iter(result.values()))
    return _pandas_to_polars(frame)


def _rda_table(raw_dir: Path, *, rel: str, keys: tuple[str, ...]) -> pl.DataFrame:
    return _finish(_r_object(raw_dir / rel), keys)


def _csv_table(
    raw_dir: Path, *, rel: str, keys: tuple[str, ...], nulls: tuple[str, ...] = ("",)
) -> pl.DataFrame:
    df = pl.read_csv(raw_dir / rel, infer_schema_length=None, null_values=list(nulls))
    return _finish(df, keys)


def _rda(
    name: str, dataset: str, rel: str, keys: tuple[str, ...], year: str | None, desc: str
) -> TableSpec:
    reader = partial(_rda_table, rel=rel, keys=keys)
    return TableSpec(name, dataset, (rel,), reader, year, desc, keys)


def _csv(
    name: str, dataset: str, rel: str, keys: tuple[str, ...], year: str | None, desc: str
) -> TableSpec:
    reader = partial(_csv_table, rel=rel, keys=keys)
    return TableSpec(name, dataset, (rel,), reader, year, desc, keys)


# --------------------------------------------------------------------------- special readers

_TROOP_REPORT_COLUMNS = (
    "ccode", "countryname", "iso3c", "region", "year", "month", "quarter", "source",
    "Location", "troops_ad", "army_ad", "navy_ad", "marine_corps_ad", "air_force_ad",
    "coast_guard_ad", "space_force_ad", "Total", "Total Ashore", "Total Afloat",
    "Total Active Duty", "Total Selected Reserve", "Total Civilian", "Grand Total",
)  # fmt: skip
_TROOP_REPORT_KEYS = ("ccode", "year", "quarter", "month", "source", "location")


def _troops_reports(raw_dir: Path) -> pl.DataFrame:
    df = _r_object(raw_dir / "troopdata/troopdata_rebuild_reports.rda")
    df = df.select(_TROOP_REPORT_COLUMNS)
    df = df.rename({c: snake_case(c) for c in df.columns})
    return _finish(df, _TROOP_REPORT_KEYS)


def _troops_bases(raw_dir: Path) -> pl.DataFrame:
    """Vine's base list; its strings mix UTF-8 and latin-1, so rdata reads them as latin-1."""
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        objects = rdata.read_rda(
            raw_dir / "troopdata/basedata.rda",
            default_encoding="latin1",
            force_default_encoding=True,
        )
    df = _pandas_to_polars(objects["basedata"])
    return _finish(df, ("ccode", "basename", "lat", "lon"))


def _mme(raw_dir: Path) -> pl.DataFrame:
    """MME v7; the day columns ``s.day`` / ``e.day`` code an unknown day as ``'xx'`` -> null."""
    df = _r_object(raw_dir / "troopdata/mme_long.rda")
    days = [pl.col(c).replace("xx", None).cast(pl.Int32) for c in ("s.day", "e.day")]
    return _finish(df.with_columns(days), ("MMEID", "gwcode", "year"))


def _wrp_national(raw_dir: Path) -> pl.DataFrame:
    df = pl.read_csv(raw_dir / "cow_wrp/WRP_national.csv", infer_schema_length=None)
    df = df.rename({c: snake_case(c) for c in df.columns})
    return _finish(df, ("state", "year"))


def _unga_idealpoints(raw_dir: Path) -> pl.DataFrame:
    """Ideal points; the unnamed first column (R row names 1..n) is dropped."""
    rel = "unga_idealpoints/IdealpointestimatesAll_Jun2024.csv"
    df = pl.read_csv(raw_dir / rel, infer_schema_length=None, null_values=["NA", ""])
    return _finish(df.drop(df.columns[0]), ("ccode", "session"))


def _cepii(raw_dir: Path) -> pl.DataFrame:
    """CEPII GeoDist; the row ROU-BOL has ``'ROU'`` in the 0/1 column ``curcol`` -> null."""
    df = pl.read_csv(raw_dir / "cepii_geodist/dist_cepii.csv", infer_schema_length=None)
    df = df.with_columns(pl.col("curcol").cast(pl.Int32, strict=False))
    return _finish(df, ("iso_o", "iso_d"))


def _us_commitment_signals(raw_dir: Path) -> pl.DataFrame:
    df = pl.read_csv(
        raw_dir.parent / "curated" / "us_commitment_signals.csv",
        infer_schema_length=None,
        schema_overrides={"date": pl.String},
    )
    df = df.with_columns(pl.col("date").str.to_date("%Y-%m-%d"))
    return _finish(df, ("date", "target", "event"))


# SIPRI arms trade register: the export repeats a blank header for the "?" (estimate)
# columns, so columns are named by position.
_ARMS_COLUMNS = (
    "recipient", "supplier", "order_year", "order_year_estimated", "number_ordered",
    "number_ordered_estimated", "weapon_designation", "weapon_description",
    "number_delivered", "number_delivered_estimated", "delivery_years", "status",
    "comments", "tiv_per_unit", "tiv_total_order", "tiv_delivered",
)  # fmt: skip
_ARMS_TIV = ("tiv_per_unit", "tiv_total_order", "tiv_delivered")


def _sipri_arms(raw_dir: Path) -> pl.DataFrame:
    """SIPRI trade register, one row per deal, in file order (there is no unique key).

    Four lines of the export are malformed: an unquoted line break split a deal so that
    its three TIV values sit alone on the next line (``,0.03,0.36,0,...``). Those rows are
    kept, flagged ``malformed=True``, with null recipient / supplier / years and the three
    stray numbers in the TIV columns. They almost surely belong to the deal on the line
    before (whose TIV columns are empty); the bundle does not merge them.
    """
    raw = pl.read_csv(
        raw_dir / "sipri_arms/trade-register.csv",
        has_header=False,
        skip_rows=1,
        infer_schema=False,
    )
    raw = raw.rename(dict(zip(raw.columns, _ARMS_COLUMNS, strict=True))).fill_null("")
    bad = (pl.col("recipient") == "") & ~pl.col("order_year").str.contains(r"^\d{4}$")
    raw = raw.with_columns(malformed=bad)
    stray = dict(zip(_ARMS_TIV, ("supplier", "order_year", "order_year_estimated"), strict=True))
    raw = raw.with_columns(
        *[pl.when("malformed").then(pl.col(src)).otherwise(pl.col(t)).alias(t)
          for t, src in stray.items()],
        *[pl.when("malformed").then(None).otherwise(pl.col(c)).alias(c)
          for c in _ARMS_COLUMNS if c not in _ARMS_TIV],
    )  # fmt: skip
    df = raw.with_columns(pl.col(pl.String).replace("", None)).with_columns(
        pl.col("order_year", "number_ordered", "number_delivered").cast(pl.Int32),
        pl.col(*_ARMS_TIV).cast(pl.Float64),
        *[(pl.col(c) == "?").fill_null(False) for c in _ARMS_COLUMNS if c.endswith("_estimated")],
    )
    return normalise(df)


_MILEX_SHEETS = {
    "Constant (2022) US$": "constant_usd_2022",
    "Current US$": "current_usd",
    "Share of GDP": "share_of_gdp",
    "Per capita": "per_capita",
    "Share of Govt. spending": "share_of_govt_spending",
    "Local currency calendar years": "local_currency_calendar",
    "Local currency financial years": "local_currency_financial",
}
_MILEX_MARKERS = ("...", "xxx")


def _text(row: Any, col: int | None) -> str | None:
    """Cell ``col`` of a pandas row as a stripped string, None if absent or empty."""
    if col is None or not isinstance(row[col], str | int | float) or row[col] != row[col]:
        return None
    return str(row[col]).strip()


def _milex_sheet(sheet: Any, measure: str) -> pl.DataFrame:
    """One SIPRI sheet (wide, 5-7 note rows above the ``Country`` header) as long rows.

    Country rows are the rows below the header with a name and at least one filled year
    cell (region headings have none). A numeric cell is the value; a text cell is a SIPRI
    marker (``'...'`` no data, ``'xxx'`` not independent), kept in ``flag`` with a null value.
    """
    first = sheet[0].astype("string").str.strip()
    top = int(first[first == "Country"].index[0])
    header = sheet.iloc[top].tolist()
    years = [i for i, h in enumerate(header) if isinstance(h, int | float) and h == h]
    body = sheet.iloc[top + 1 :]
    rows = body[body[years].notna().any(axis=1) & body[0].notna()]
    currency = header.index("Currency") if "Currency" in header else None
    notes = header.index("Notes") if "Notes" in header else None
    records = []
    for _, row in rows.iterrows():
        fixed = (measure, _text(row, 0), _text(row, currency), _text(row, notes))
        for i in years:
            cell = row[i]
            marker = cell.strip() if isinstance(cell, str) else None
            value = None if marker is not None or cell != cell else float(cell)
            records.append((*fixed, int(header[i]), value, marker))
    text = {"measure": pl.String, "country": pl.String, "currency": pl.String, "notes": pl.String}
    schema = text | {"year": pl.Int32, "value": pl.Float64, "flag": pl.String}
    frame = pl.DataFrame(records, schema=schema, orient="row")
    return frame.select("measure", "country", "year", "value", "flag", "currency", "notes")


def _sipri_milex(raw_dir: Path) -> pl.DataFrame:
    """SIPRI Milex, reshaped long: one row per (measure, country, year) cell of each sheet."""
    import pandas as pd

    path = raw_dir / "sipri_milex/SIPRI-Milex-data-1949-2023.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl: "Workbook contains no default style"
        sheets = pd.read_excel(path, sheet_name=list(_MILEX_SHEETS), header=None, engine="openpyxl")
    frames = [_milex_sheet(sheets[name], measure) for name, measure in _MILEX_SHEETS.items()]
    unknown = pl.concat(frames).filter(
        pl.col("flag").is_not_null() & ~pl.col("flag").is_in(_MILEX_MARKERS)
    )
    if unknown.height:
        raise ValueError(f"unexpected SIPRI cell markers: {sorted(set(unknown['flag']))}")
    return pl.concat(frames).sort("measure", "country", "year", maintain_order=True)


def _country_codes(raw_dir: Path) -> pl.DataFrame:
    from allegiance.data.build_codes import country_codes_table

    return country_codes_table(raw_dir)


def _country_codes_sources() -> tuple[str, ...]:
    """Raw files of ``country_codes`` (``build_codes.SOURCES``); () while that module is absent."""
    try:
        from allegiance.data.build_codes import SOURCES
    except ImportError:  # during development only: building the table then fails clearly
        return ()
    return tuple(SOURCES)


def _finished(
    reader: Callable[[Path], pl.DataFrame], keys: tuple[str, ...]
) -> Callable[[Path], pl.DataFrame]:
    """``reader`` followed by the bundle's dtype rules and sort (for the readers_* modules)."""

    def read(raw_dir: Path) -> pl.DataFrame:
        return _finish(reader(raw_dir), keys)

    read.__doc__ = reader.__doc__
    return read


def _spec(
    name: str,
    dataset: str,
    raw: tuple[str, ...],
    reader: Callable[[Path], pl.DataFrame],
    year: str | None,
    desc: str,
    keys: tuple[str, ...] = (),
    *,
    crosswalk: bool = False,
) -> TableSpec:
    """A table read by a reader of :mod:`~allegiance.data.readers_events` / ``_relations``.

    ``crosswalk=True`` adds the raw files of the code crosswalk (``country_codes``) to ``raw``,
    after the table's own files: the reader gives COW codes to names or ISO3 codes with it.
    """
    if crosswalk:
        raw = raw + tuple(r for r in _country_codes_sources() if r not in raw)
    return TableSpec(name, dataset, raw, _finished(reader, keys), year, desc, keys)


def _relation_specs() -> list[TableSpec]:
    """The event, dispute-side, alliance-member, crisis, diplomacy, trade and test tables."""
    from allegiance.data import readers_events as ev
    from allegiance.data import readers_relations as rel

    mid_keys = {
        "a": ("dispnum",),
        "b": ("dispnum", "ccode", "styear", "stmon", "stday"),
        "i": ("dispnum", "incidnum"),
        "ip": ("dispnum", "incidnum", "ccode"),
    }
    mid_desc = {
        "a": "dispute-level (MIDA)",
        "b": "participant-level (MIDB)",
        "i": "incident-level (MIDI)",
        "ip": "incident-participant-level (MIDIP)",
    }
    mids = [
        _csv(
            f"cow_mid{k}",
            "cow_mid",
            f"cow_mid5/MID{k.upper()}_5.0.csv",
            keys,
            "styear",
            f"COW MID v5.0 {mid_desc[k]} file as released (-9 = missing).",
        )
        for k, keys in mid_keys.items()
    ]
    return [
        *mids,
        TableSpec("weis_events", "weis", (ev.WEIS,), _finished(ev.weis_events, ()), "year",
                  "WEIS events (Lai), one row per event: srccc -> targcc, date, weiscd, gscale "
                  "(Goldstein weight).", ()),
        _spec("copdab_months", "copdab", (ev.COPDAB,), ev.copdab_months, "year",
              "COPDAB (Lebo & Moore) monthly scores of 8 directed dyads, long: ccode1 -> ccode2, "
              "year, month, copdab.", ("ccode1", "ccode2", "year", "month"), crosswalk=True),
        _spec("gdelt_pair_month", "gdelt", (ev.GDELT_MONTHS,), ev.gdelt_pair_month, "year",
              "GDELT 2.0 country-pair x month summary (a < b alpha-3, COW codes, days with data, "
              "sum/min/max of the daily cell, negative and zero days).",
              ("a", "b", "year", "month"), crosswalk=True),
        _spec("gdelt_country_years", "gdelt", (ev.GDELT_COUNTRIES, ev.GDELT_MONTHS),
              ev.gdelt_country_years, "year",
              "The 249 alpha-3 codes GDELT's daily networks index, per year of the data, with "
              "COW codes.", ("alpha3", "year"), crosswalk=True),
        _spec("icews_cow", "icews", (ev.ICEWS,), ev.icews_cow, "year",
              "ICEWS directed dyad-year event counts 2002-2014 with COW codes (ccode1 = i).",
              ("ccode1", "ccode2", "year"), crosswalk=True),
        _csv("atop4_members", "atop_levels", "atop4_levels/atop-member-level.csv",
             ("atopid", "member", "yrent", "moent", "dayent"), "yrent",
             "ATOP v4.01 member-level file (yrexit 0 = membership not ended)."),
        TableSpec("atop4_dyad_years", "atop_levels", (rel.ATOP4_MEMBERS, rel.ATOP4_ALLIANCES),
                  _finished(rel.atop4_dyad_years, _DYAD_YEAR), "year",
                  "Pairs of states sharing an ATOP v4.01 alliance by year (ccode1 < ccode2): "
                  "atop_ids, atop_bilateral, atop_n; derived from the member- and alliance-level "
                  "files.", _DYAD_YEAR),
        _csv("atop4_alliances", "atop_levels", "atop4_levels/atop-alliance-level.csv", ("atopid",),
             "begyr", "ATOP v4.01 alliance-level file (endyr 0 = still in effect)."),
        TableSpec("icb_actors", "icb", (rel.ICB,), _finished(rel.icb_actors, ("crisno", "cracno")),
                  "yrtrig", "ICB v12 actor-level crisis data (ICB2), one row per crisis actor.",
                  ("crisno", "cracno")),
        TableSpec("cow_dipex", "cow_dipex", (rel.DIPEX_ZIP,), _finished(rel.cow_dipex, _DYAD_YEAR),
                  "year", "COW Diplomatic Exchange v2006.1, directed dyads every 5 years "
                  "(DR_at_1 = level of side 2 at side 1; 9 = other / not reported).", _DYAD_YEAR),
        _spec("kdiplo_ties", "kdiplo", (rel.KDIPLO_TIES,), rel.kdiplo_ties, "year",
              "kdiplo: diplomatic ties of South and North Korea with each country, country-year, "
              "with COW codes.", ("south_north", "iso3c", "year"), crosswalk=True),
        _spec("kdiplo_trade", "kdiplo", (rel.KDIPLO_TRADE,), rel.kdiplo_trade, "year",
              "kdiplo: ROK exports to and imports from each partner (US$), with the KOSIS / COW "
              "source of each value and COW codes.", ("iso3c", "year"), crosswalk=True),
        _spec("us_president_visits", "us_travels", (rel.PRESIDENT,), rel.us_president_visits,
              "year", "Travels of the President (Office of the Historian scrape, 1909-2020), one "
              "row per visit, with COW codes.", (), crosswalk=True),
        _spec("us_president_visits_2023", "us_travels", (rel.PRESIDENT_2023,),
              rel.us_president_visits_2023, "year",
              "Travels of the President, newer list (1952-2023), one row per visit (line 706 "
              "split in two), with COW codes.", (), crosswalk=True),
        _spec("us_secretary_visits", "us_travels", (rel.SECRETARY,), rel.us_secretary_visits,
              "year", "Travels of the Secretary of State (Office of the Historian scrape, "
              "1866-2020), one row per visit, with COW codes.", (), crosswalk=True),
        _spec("china_public_diplomacy", "aiddata_cpd", (rel.AIDDATA,),
              rel.china_public_diplomacy, "year",
              "AidData China's Public Diplomacy v2.0, country-year (39 receiving countries), "
              "with COW codes.", ("receiving_country", "year"), crosswalk=True),
        _spec("china_vitae", "china_vitae", (rel.VITAE,), rel.china_vitae, "year",
              "China Vitae engagements of seven Chinese leaders, one row per record, with COW "
              "codes.", (), crosswalk=True),
        TableSpec("nk_missile_tests", "cns_missile_tests", (rel.MISSILES,),
                  _finished(rel.nk_missile_tests, ()), "year",
                  "CNS North Korean missile flight tests, one row per test ('unknown'/'na' null).",
                  ()),
        TableSpec("icow_claim_names", "icow_claim_names", (rel.CLAIM_NAMES,),
                  _finished(rel.icow_claim_names, ("claimdy",)), None,
                  "ICOW claim-dyad names (identifiers and names only; no post-2001 coding).",
                  ("claimdy",)),
        _spec("vdem_legitideol", "vdem_legitideol", (rel.VDEM,), rel.vdem_legitideol, "year",
              "V-Dem v13 regime legitimation ideology, country-year (ISO3), with COW codes.",
              ("iso3c", "year"), crosswalk=True),
    ]  # fmt: skip


# --------------------------------------------------------------------------- the registry

_DYAD_YEAR = ("ccode1", "ccode2", "year")
_STATE_YEAR = ("ccode", "year")
_DISP_DYAD = ("dispnum", "ccode1", "ccode2", "year")

_SPECS: list[TableSpec] = [
    # state systems and crosswalks
    _rda("cow_states", "cow_states", "peacesciencer/cow_states.rda",
         ("ccode", "styear", "stmonth", "stday"), None,
         "COW state system membership spells (v2016), one row per spell."),
    _rda("cow_system", "cow_states", "isard/cw_system.rda", ("ccode", "start"), None,
         "COW state system membership spells with start/end dates (isard)."),
    _rda("gw_states", "gw_states", "peacesciencer/gw_states.rda", ("gwcode", "startdate"), None,
         "Gleditsch-Ward state system membership spells."),
    _rda("gw_system", "gw_states", "isard/gw_system.rda", ("gwcode", "start"), None,
         "Gleditsch-Ward membership spells incl. microstates (isard)."),
    _rda("cow_gw_panel", "isard_crosswalk", "isard/cw_gw_panel.rda",
         ("ccode", "year", "gwcode"), "year", "COW-to-G-W state-year crosswalk panel (isard)."),
    _rda("gw_cow_panel", "isard_crosswalk", "isard/gw_cw_panel.rda",
         ("gwcode", "year", "ccode"), "year", "G-W-to-COW state-year crosswalk panel (isard)."),
    # capabilities, geography, alliances
    _rda("cow_nmc", "cow_nmc", "peacesciencer/cow_nmc.rda", _STATE_YEAR, "year",
         "COW National Material Capabilities v7.0, state-year (cinc and its six components)."),
    _rda("cow_contdir", "cow_contdir", "peacesciencer/cow_contdir.rda",
         ("ccode1", "ccode2", "stdate"), None,
         "COW Direct Contiguity v3.2 master records: dyad, conttype, start/end dates."),
    # peacesciencer's shipped universes: the source of its most-recent-year convention
    _rda("cow_ddy", "dyad_universe", "peacesciencer/cow_ddy.rda", _DYAD_YEAR, "year",
         "All COW directed dyad-years as shipped by peacesciencer (1816 to its mry year)."),
    _rda("gw_ddy", "dyad_universe", "peacesciencer/gw_ddy.rda", ("gwcode1", "gwcode2", "year"),
         "year", "All G-W directed dyad-years as shipped by peacesciencer, with microstate flags."),
    _rda("cow_mindist", "mindist", "peacesciencer/cow_mindist.rda", _DYAD_YEAR, "year",
         "Minimum distance (km) between COW states, non-directed dyad-year (CShapes 2.0)."),
    _rda("gw_mindist", "mindist", "peacesciencer/gw_mindist.rda",
         ("gwcode1", "gwcode2", "year"), "year",
         "Minimum distance (km) between G-W states, non-directed dyad-year (CShapes 2.0)."),
    _rda("cow_capitals", "capitals", "peacesciencer/cow_capitals.rda", ("ccode", "stdate"),
         None, "COW state capitals with coordinates and start/end dates."),
    _rda("gw_capitals", "capitals", "peacesciencer/gw_capitals.rda", ("gwcode", "stdate"),
         None, "G-W state capitals with coordinates and start/end dates."),
    _rda("atop_alliance", "atop", "peacesciencer/atop_alliance.rda", _DYAD_YEAR, "year",
         "ATOP v5.1 directed dyad-year alliance commitments (atop_defense, atop_offense, ...)."),
    _rda("cow_majors", "cow_majors", "peacesciencer/cow_majors.rda", ("ccode", "styear"), None,
         "COW major power spells."),
    # disputes
    _rda("cow_mid_disps", "cow_mid", "peacesciencer/cow_mid_disps.rda", ("dispnum",), "styear",
         "COW MID v5.0 dispute-level data."),
    _rda("cow_mid_ddydisps", "cow_mid", "peacesciencer/cow_mid_ddydisps.rda", _DISP_DYAD,
         "year", "COW MID v5.0 non-directed dispute dyad-years (case-excluded)."),
    _rda("cow_mid_dirdisps", "cow_mid", "peacesciencer/cow_mid_dirdisps.rda", _DISP_DYAD,
         "year", "COW MID v5.0 directed dispute dyad-years."),
    _rda("gml_mid_disps", "gml_mid", "peacesciencer/gml_mid_disps.rda", ("dispnum",), "styear",
         "Gibler-Miller-Little MID dispute-level data."),
    _rda("gml_mid_ddydisps", "gml_mid", "peacesciencer/gml_mid_ddydisps.rda", _DISP_DYAD,
         "year", "GML MID non-directed dispute dyad-years (case-excluded)."),
    _rda("gml_dirdisp", "gml_mid", "peacesciencer/gml_dirdisp.rda", _DISP_DYAD, "year",
         "GML MID directed dispute dyad-years (all dispute-dyad-years)."),
    _rda("gml_part", "gml_mid", "peacesciencer/gml_part.rda",
         ("dispnum", "ccode", "styear", "stmon", "stday"), "styear",
         "GML MID participant-level data."),
    _rda("td_rivalries", "td_rivalries", "peacesciencer/td_rivalries.rda", ("rivalryno",),
         "styear", "Thompson-Dreyer strategic rivalries, 1494-2010 (one row per rivalry)."),
    _rda("tss_rivalries", "tss_rivalries", "peacesciencer/tss_rivalries.rda", ("tssr_id",),
         "start", "Thompson-Sakuwa-Suhas strategic rivalries, 1494-2020 (one row per rivalry)."),
    _rda("cow_war_inter", "cow_war_inter", "peacesciencer/cow_war_inter.rda",
         ("warnum", "ccode1", "ccode2", "year"), "year",
         "COW inter-state wars, directed dyad-years."),
    # democracy, IGOs, trade
    _rda("cow_democracy", "isard_democracy", "isard/cw_democracy.rda", _STATE_YEAR, "year",
         "Democracy for COW states: euds, aeuds, polity2, v2x_polyarchy (isard)."),
    _rda("gw_democracy", "isard_democracy", "isard/gw_democracy.rda", ("gwcode", "year"),
         "year", "Democracy for G-W states: euds, aeuds, polity2, v2x_polyarchy (isard)."),
    _rda("cow_igo_ndy", "cow_igo", "peacesciencer/cow_igo_ndy.rda", _DYAD_YEAR, "year",
         "COW IGO shared memberships, non-directed dyad-year (dyadigos)."),
    _rda("cow_igo_sy", "cow_igo", "peacesciencer/cow_igo_sy.rda", _STATE_YEAR, "year",
         "COW IGO membership counts, state-year."),
    _rda("cow_trade_sy", "cow_trade", "peacesciencer/cow_trade_sy.rda", _STATE_YEAR, "year",
         "COW trade v4.0, state-year imports and exports (current US$ millions)."),
    # UN General Assembly
    _rda("un_roll_calls", "unvotes", "unvotes/un_roll_calls.rda", ("rcid",), "date",
         "UNGA roll-call metadata (session, date, resolution, importantvote)."),
    _rda("un_votes", "unvotes", "unvotes/un_votes.rda", ("rcid", "country"), None,
         "UNGA roll-call votes: one row per country and roll call (vote yes/no/abstain)."),
    _rda("un_roll_call_issues", "unvotes", "unvotes/un_roll_call_issues.rda",
         ("rcid", "short_name"), None, "UNGA roll-call issue codes (join rcid to un_roll_calls)."),
    TableSpec("unga_idealpoints", "unga_idealpoints",
              ("unga_idealpoints/IdealpointestimatesAll_Jun2024.csv",), _unga_idealpoints,
              None, "Bailey-Strezhnev-Voeten UNGA ideal points, country-session (1 = 1946).",
              ("ccode", "session")),
    _rda("rok_unga", "rok_unga", "stevedata/rok_unga.rda", _DYAD_YEAR, "year",
         "South Korea directed dyad-year UNGA similarity (agree, kappa, ideal points)."),
    # US troops, bases, exercises, defence cooperation
    _rda("troops_legacy", "troopdata", "troopdata/troopdata_legacy_v0.rda", _STATE_YEAR,
         "year", "US troops abroad by host country-year, legacy troopdata (Kane + DMDC)."),
    TableSpec("troops_reports", "troopdata", ("troopdata/troopdata_rebuild_reports.rda",),
              _troops_reports, "year",
              "DMDC deployment reports per host country and report (snake_case columns; "
              "active-duty by service and the report totals).", _TROOP_REPORT_KEYS),
    TableSpec("troops_bases", "troopdata", ("troopdata/basedata.rda",), _troops_bases, None,
              "US bases, lily pads and funded sites abroad (Vine 2021).",
              ("ccode", "basename", "lat", "lon")),
    TableSpec("mme", "mme", ("troopdata/mme_long.rda",), _mme, "year",
              "Multinational Military Exercises v7, exercise-country-year ('xx' days null).",
              ("MMEID", "gwcode", "year")),
    _csv("dcad", "dcad", "dcad/DCAD-v1.0-main.csv", ("DCAid",), "signYear",
         "Defense Cooperation Agreement Dataset v1.0, one row per agreement."),
    # territory, colonial history, religion, geography
    _csv("icow_claims", "icow_claims", "icow_claims/ICOWprovyr101.csv",
         ("claim", "dyadnum", "year"), "year",
         "ICOW provisional territorial claims v1.01, claim-dyad-year (icowsal salience)."),
    _csv("icow_colonial", "icow_colonial", "icow_colonial/coldata110_orig.csv", ("State",),
         None, "ICOW Colonial History v1.1, one row per state (dates YYYYMM, -9 missing)."),
    TableSpec("wrp_national", "cow_wrp", ("cow_wrp/WRP_national.csv",), _wrp_national, "year",
              "COW World Religion Project national data (snake_case columns).",
              ("state", "year")),
    TableSpec("cepii_geodist", "cepii_geodist", ("cepii_geodist/dist_cepii.csv",), _cepii, None,
              "CEPII GeoDist, directed iso3 pairs (contig, comlang_off, colony, dist, ...); "
              "the one non-0/1 curcol cell (ROU-BOL: 'ROU') is null.", ("iso_o", "iso_d")),
    _rda("icews", "icews", "icews_netify/icews.rda", ("i", "j", "year"), "year",
         "ICEWS directed dyad-year event counts 2002-2014 (netify)."),
    # SIPRI
    TableSpec("sipri_milex", "sipri_milex", ("sipri_milex/SIPRI-Milex-data-1949-2023.xlsx",),
              _sipri_milex, "year",
              "SIPRI military expenditure, long: measure, country, year, value; flag keeps "
              "SIPRI's '...' (no data) and 'xxx' (not independent) markers; currency and notes "
              "as in the sheet. Units: constant_usd_2022 and current_usd US$ m., share_of_gdp "
              "and share_of_govt_spending fractions, per_capita current US$, local_currency_* "
              "local currency units (current prices).", ("measure", "country", "year")),
    TableSpec("sipri_arms", "sipri_arms", ("sipri_arms/trade-register.csv",), _sipri_arms,
              "order_year",
              "SIPRI arms trade register, one row per deal in file order; 4 malformed export "
              "lines kept with malformed=True and null years (see the reader)."),
    # codes and curated
    _rda("iso_codes", "iso_codes", "stevedata/country_isocodes.rda", ("iso3c",), None,
         "ISO 3166 country codes (iso2c, iso3c, iso3n, name)."),
    TableSpec("us_commitment_signals", "us_commitment_signals",
              ("../curated/us_commitment_signals.csv",), _us_commitment_signals, "date",
              "Curated dated US commitment signals toward ROK and Japan, 1969-2024.",
              ("date", "target", "event")),
    TableSpec("country_codes", "country_codes", _country_codes_sources(), _country_codes, None,
              "Country code crosswalk (COW, G-W, ISO) built by allegiance.data.build_codes."),
    # observed relations (issue 13): events, dispute sides, crises, diplomacy, trade, tests
    *_relation_specs(),
]  # fmt: skip

TABLES: dict[str, TableSpec] = {spec.name: spec for spec in _SPECS}
"""Every bundle table by name."""
