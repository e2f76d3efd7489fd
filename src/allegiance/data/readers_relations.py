"""Readers of the diplomacy, trade, crisis and test files, and of V-Dem's legitimation ideology.

Each reader takes the raw directory and returns a polars frame; :mod:`allegiance.data.tables`
registers them (and applies the bundle's dtype rules and sort order). Where a file names
countries instead of coding them, the frame keeps the upstream name or ISO3 code and gains a
``ccode`` from :mod:`allegiance.data.crosswalk`. pandas and pyreadr are imported inside the
readers: only building the bundle needs them.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import polars as pl

from allegiance.data.crosswalk import iso3_to_ccode, name_to_ccode

__all__ = [
    "atop4_dyad_years",
    "china_public_diplomacy",
    "china_vitae",
    "cow_dipex",
    "icb_actors",
    "icow_claim_names",
    "kdiplo_ties",
    "kdiplo_trade",
    "nk_missile_tests",
    "us_president_visits",
    "us_president_visits_2023",
    "us_secretary_visits",
    "vdem_legitideol",
]

ATOP4_MEMBERS = "atop4_levels/atop-member-level.csv"
ATOP4_ALLIANCES = "atop4_levels/atop-alliance-level.csv"
ICB = "icb/icb2v12.csv"
DIPEX_ZIP = "cow_dipex/bayer_2006.zip"
DIPEX_MEMBER = "bayer_2006/Diplomatic_Exchange_2006v1.csv"
KDIPLO_TIES = "kdiplo/diplo_ties_data.csv"
KDIPLO_TRADE = "kdiplo/trade_data.csv"
PRESIDENT = "us_travels/AmericanPresidentVisit.csv"
SECRETARY = "us_travels/AmericanSecretaryVisit.csv"
PRESIDENT_2023 = "us_travels/presidential_visits.txt"
AIDDATA = "china_diplomacy/ChinesePublicDiplomacy.csv"
VITAE = "china_diplomacy/all_engagements_2003-2018.rds"
MISSILES = "nk_missile_tests/test.en.json"
CLAIM_NAMES = "icow_claim_names/icow_ext2017_v2.csv"
VDEM = "vdem_legitideol/nat_and_corruption.csv"

#: The V-Dem columns kept (the file's WDI, CPI and Economist-derived columns are left out).
VDEM_COLUMNS = (
    "v2exl_legitideol", "v2exl_legitideolcr_0", "v2exl_legitideolcr_1",
    "v2exl_legitideolcr_2", "v2exl_legitideolcr_3", "v2exl_legitideolcr_4",
)  # fmt: skip

#: The name columns of the claim-names file (its dates and codings are not used: see reader).
CLAIM_NAME_COLUMNS = (
    "claimdy", "claim", "dyadnum", "chal", "tgt", "name", "chalname", "tgtname", "version",
)  # fmt: skip

_YEAR = re.compile(r"\d{4}")
_MISSING = (None, "unknown", "na")
_RUN_TOGETHER = re.compile(r"^(.*?\d{4})(\D.*)$")


# --------------------------------------------------------------------------- ATOP 4.01


def _member_date(year: str, month: str, day: str, *, end: bool) -> pl.Expr:
    """A membership date; an unknown (null or 0) day is the first or last day of its month."""
    first = pl.date(pl.col(year), pl.col(month).clip(1, 12), 1)
    known = pl.date(pl.col(year), pl.col(month).clip(1, 12), pl.col(day).clip(1, 31))
    day_known = pl.col(day).is_not_null() & (pl.col(day) >= 1)
    return pl.when(day_known).then(known).otherwise(first.dt.month_end() if end else first)


def atop4_dyad_years(raw_dir: Path) -> pl.DataFrame:
    """Pairs of states sharing an ATOP 4.01 alliance, by year: ``ccode1 < ccode2, year, ...``.

    Derived from the member-level file (``atopid``, ``member``, entry and exit dates) and the
    alliance-level ``bilat`` flag. Two members of one alliance share it in a year when their
    membership spells overlap on at least one day of it. A spell runs from the entry to the exit
    date; ``yrexit`` 0 means the membership had not ended, so it runs to 31 December of the
    file's last year (the largest ``yrent`` or ``yrexit``, 2016); an unknown day is the first
    (entry) or last (exit) day of its month. ``atop_ids`` lists the shared ``atopid`` values,
    ascending, ``;``-separated; ``atop_bilateral`` is 1 if one of them is bilateral
    (alliance-level ``bilat``), else 0; ``atop_n`` counts them.
    """
    members = pl.read_csv(raw_dir / ATOP4_MEMBERS, infer_schema_length=None)
    last = int(members.select(pl.max_horizontal(pl.col("yrent", "yrexit").max())).item())
    spells = members.select(
        "atopid",
        pl.col("member").cast(pl.Int32),
        _member_date("yrent", "moent", "dayent", end=False).alias("start"),
        pl.when(pl.col("yrexit") == 0)
        .then(pl.date(last, 12, 31))
        .otherwise(_member_date("yrexit", "moexit", "dayexit", end=True))
        .alias("end"),
    )
    alliances = pl.read_csv(raw_dir / ATOP4_ALLIANCES, columns=["atopid", "bilat"])
    pairs = spells.join(spells, on="atopid", suffix="_b").filter(
        pl.col("member") < pl.col("member_b")
    )
    first = pl.max_horizontal("start", "start_b")
    end = pl.min_horizontal("end", "end_b")
    years = (
        pairs.filter(first <= end)
        .with_columns(pl.int_ranges(first.dt.year(), end.dt.year() + 1).alias("year"))
        .explode("year")
        .select("atopid", "member", "member_b", "year")
        .unique()
        .join(alliances, on="atopid", how="left", validate="m:1")
    )
    return years.group_by(
        pl.col("member").alias("ccode1"), pl.col("member_b").alias("ccode2"), "year"
    ).agg(
        pl.col("atopid").sort().cast(pl.String).str.join(";").alias("atop_ids"),
        pl.col("bilat").max().alias("atop_bilateral"),
        pl.len().alias("atop_n"),
    )


# --------------------------------------------------------------------------- crises


def icb_actors(raw_dir: Path) -> pl.DataFrame:
    """ICB v12 actor-level data (ICB2), one row per crisis actor, values as in the file.

    The CSV starts with a UTF-8 byte-order mark and ends its lines with a bare carriage return
    (old Mac style), which CSV readers take for one endless line; both are undone here before
    parsing. The one row whose ``icb2`` reads ``'UCB2'`` and the one actor row without any
    trigger or termination date (crisis 474, Saudi Arabia) are kept as they are.
    """
    text = (raw_dir / ICB).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    text = text.replace("\r", "\n")
    return pl.read_csv(io.StringIO(text), infer_schema_length=None, null_values=["NA", ""])


# --------------------------------------------------------------------------- diplomacy


def cow_dipex(raw_dir: Path) -> pl.DataFrame:
    """COW Diplomatic Exchange v2006.1, read from its zip (member ``bayer_2006/...csv``).

    Values as in the file, including the level code 9 (see :func:`allegiance.panel.diplomacy`
    for how panels read it).
    """
    with zipfile.ZipFile(raw_dir / DIPEX_ZIP) as archive:
        data = archive.read(DIPEX_MEMBER)
    return pl.read_csv(io.BytesIO(data), infer_schema_length=None)


def kdiplo_ties(raw_dir: Path) -> pl.DataFrame:
    """kdiplo's diplomatic ties of each Korea with each country, with two COW codes.

    ``ccode`` is the partner's (``iso3c``), ``korea_ccode`` that of ``south_north`` ("South
    Korea" / "North Korea"), both from the crosswalk in the row's year.
    """
    frame = pl.read_csv(raw_dir / KDIPLO_TIES, infer_schema_length=None, null_values=["NA", ""])
    frame = iso3_to_ccode(frame, raw_dir, iso3="iso3c", year="year")
    return name_to_ccode(frame, raw_dir, name="south_north", year="year", out="korea_ccode")


def kdiplo_trade(raw_dir: Path) -> pl.DataFrame:
    """kdiplo's ROK trade with each partner, with the partner's COW code (``ccode``).

    ``export_source`` / ``import_source`` record where ``export`` / ``import`` come from:
    ``"kosis"`` when the KOSIS value exists (``export`` is then ``export_kosis``), ``"cow"``
    when only the Correlates of War value exists (kdiplo imputes ``export`` from
    ``export_cow``), null when neither does. The reader checks that this is what the file holds.
    """
    frame = pl.read_csv(raw_dir / KDIPLO_TRADE, infer_schema_length=None, null_values=["NA", ""])
    marks = []
    for flow in ("export", "import"):
        kosis, cow = pl.col(f"{flow}_kosis"), pl.col(f"{flow}_cow")
        source = (
            pl.when(kosis.is_not_null())
            .then(pl.lit("kosis"))
            .when(cow.is_not_null())
            .then(pl.lit("cow"))
            .alias(f"{flow}_source")
        )
        marks.append(source)
        wrong = frame.filter(
            (kosis.is_not_null() & (pl.col(flow) != kosis))
            | (kosis.is_null() & (pl.col(flow).is_null() != cow.is_null()))
            | (kosis.is_null() & cow.is_not_null() & (pl.col(flow) != cow))
        )
        if wrong.height:
            raise ValueError(
                f"kdiplo trade: {wrong.height} {flow} values are neither KOSIS nor COW"
            )
    frame = frame.with_columns(marks)
    return iso3_to_ccode(frame, raw_dir, iso3="iso3c", year="year")


def _history_visits(raw_dir: Path, rel: str) -> pl.DataFrame:
    frame = pl.read_csv(raw_dir / rel, infer_schema_length=None)
    frame = frame.rename({c: c.replace(" ", "_") for c in frame.columns})
    return name_to_ccode(frame, raw_dir, name="destination_country", year="year")


def us_president_visits(raw_dir: Path) -> pl.DataFrame:
    """The Office of the Historian's presidential travels (1909-2020), one row per visit.

    Columns as scraped (spaces in names become ``_``), plus ``ccode`` of the destination in the
    visit's ``year`` (the scrape's year: the year the visit began). Destinations that were no
    COW state that year (Vatican City, the Palestinian Authority, France in 1943) get null.
    """
    return _history_visits(raw_dir, PRESIDENT)


def us_secretary_visits(raw_dir: Path) -> pl.DataFrame:
    """The Office of the Historian's Secretary of State travels (1866-2020), one row per visit.

    As :func:`us_president_visits`.
    """
    return _history_visits(raw_dir, SECRETARY)


def us_president_visits_2023(raw_dir: Path) -> pl.DataFrame:
    """The newer presidential travel list (December 1952 to October 2023), one row per visit.

    The file is tab-separated with CRLF line ends and no header; its columns are named
    ``country, city, visit, date`` as CoupCats's script names them. ``line`` is the line number
    in the file. Line 706 holds two visits run together (the date of the first runs straight
    into the country of the second: ``November 18–20, 2016Saudi Arabia``); it is split at the
    end of the first date's year, so 772 lines give 773 rows, both with ``line`` 706.
    ``year`` is the first four-digit year of the date text (the year the visit began, the rule
    of the Office of the Historian's scrape); ``ccode`` that of ``country`` in that year. The
    list spells the ROK both 'Korea, Republic of' and 'Korea, South'; both resolve to 732.
    """
    text = (raw_dir / PRESIDENT_2023).read_bytes().decode("utf-8")
    rows: list[tuple[int, str, str, str, str]] = []
    for number, line in enumerate(text.split("\r\n"), start=1):
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) == 7:
            match = _RUN_TOGETHER.match(fields[3])
            if match is None:
                raise ValueError(f"line {number}: 7 fields but no year ends the 4th")
            fields = [*fields[:3], match.group(1), match.group(2), *fields[4:]]
            rows.append((number, *fields[:4]))  # type: ignore[arg-type]
            rows.append((number, *fields[4:]))  # type: ignore[arg-type]
        elif len(fields) == 4:
            rows.append((number, *fields))  # type: ignore[arg-type]
        else:
            raise ValueError(f"line {number}: {len(fields)} tab-separated fields, expected 4")
    frame = pl.DataFrame(
        rows, schema=["line", "country", "city", "visit", "date"], orient="row"
    ).with_columns(
        pl.col("line").cast(pl.Int32),
        pl.col("date").str.extract(_YEAR.pattern, 0).cast(pl.Int32).alias("year"),
    )
    return name_to_ccode(frame, raw_dir, name="country", year="year")


def china_public_diplomacy(raw_dir: Path) -> pl.DataFrame:
    """AidData's China public diplomacy country-years, with the receiving country's ``ccode``.

    Missing values (``"N/A"`` in the file) become null: AidData did not collect them (military
    visits for some countries, everything after 2016 for East Asia); they are not zeros.
    """
    frame = pl.read_csv(raw_dir / AIDDATA, infer_schema_length=None, null_values=["N/A", ""])
    return name_to_ccode(frame, raw_dir, name="receiving_country", year="year")


def china_vitae(raw_dir: Path) -> pl.DataFrame:
    """China Vitae engagements of seven Chinese leaders, one row per engagement record.

    ``date`` (text mm/dd/yy) becomes a date (every two-digit year is 20yy: the file's ``year``
    column, 2003-2018, agrees on every row, which the reader checks); ``year`` an integer;
    ``ccode`` that of ``country`` in the year (England and Wales count as the United Kingdom).
    """
    import pyreadr

    frame = pl.from_pandas(next(iter(pyreadr.read_r(str(raw_dir / VITAE)).values())))
    frame = frame.with_columns(
        pl.col("date").str.to_date("%m/%d/%y"), pl.col("year").cast(pl.Int32)
    )
    if frame.filter(pl.col("date").dt.year() != pl.col("year")).height:
        raise ValueError("China Vitae: a date's year differs from the year column")
    return name_to_ccode(frame, raw_dir, name="country", year="year")


# --------------------------------------------------------------------------- tests, claims, V-Dem


def nk_missile_tests(raw_dir: Path) -> pl.DataFrame:
    """CNS's North Korean missile flight tests, one row per test, in file order.

    The JSON's year bins are flattened (``bin`` is the bin's year). ``date`` stays the text
    (YYYY-MM-DD, or YYYY-MM for eight 1984-1992 tests dated to the month); ``year``, ``month``
    and ``day`` are parsed from it (``day`` null when the text has none). The strings
    ``'unknown'`` and ``'na'`` mark missing values in the file and become null; ``apogee`` and
    ``distance`` (km, numbers or numeric text in the file) become floats. ``glide`` (a list of
    segments, four tests) is kept as its JSON text.
    """
    data = json.loads((raw_dir / MISSILES).read_text(encoding="utf-8"))
    text = (
        "time",
        "missile",
        "facility",
        "landing",
        "apogee",
        "distance",
        "outcome",
        "description",
    )
    records = []
    for time_bin in data["timeBins"]:
        for test in time_bin["data"]:
            row = {k: (None if test.get(k) in _MISSING else str(test[k])) for k in text}
            records.append(
                {
                    "bin": int(time_bin["year"]),
                    "date": test["date"],
                    **row,
                    "series": test.get("series"),
                    "bearing": test.get("bearing"),
                    "glide": json.dumps(test["glide"]) if "glide" in test else None,
                }
            )
    schema = {"bin": pl.Int32, "date": pl.String, **dict.fromkeys(text, pl.String),
              "series": pl.Int32, "bearing": pl.Int32, "glide": pl.String}  # fmt: skip
    frame = pl.DataFrame(records, schema=schema)
    parts = pl.col("date").str.split("-")
    return frame.with_columns(
        pl.col("apogee", "distance").cast(pl.Float64),
        parts.list.get(0).cast(pl.Int32).alias("year"),
        parts.list.get(1).cast(pl.Int32).alias("month"),
        parts.list.get(2, null_on_oob=True).cast(pl.Int32).alias("day"),
    ).select("date", "year", "month", "day", pl.exclude("date", "year", "month", "day"))


def icow_claim_names(raw_dir: Path) -> pl.DataFrame:
    """The names of ICOW claim dyads, one row per row of the extended claim list.

    Only the identifiers and names are kept (:data:`CLAIM_NAME_COLUMNS`): the file's begin and
    end dates and codings are the repository author's extension (``endclaim`` 201799 is a
    carry-forward for ongoing claims, not an official ICOW release), so the bundle does not
    ship them. The 11 rows the author added after 2001 have no ``claimdy``.
    """
    frame = pl.read_csv(raw_dir / CLAIM_NAMES, infer_schema_length=None, null_values=["NA", ""])
    return frame.select(CLAIM_NAME_COLUMNS)


def vdem_legitideol(raw_dir: Path) -> pl.DataFrame:
    """V-Dem v13 legitimation ideology by country-year, with COW codes (``ccode``).

    Keeps ``iso3c``, ``country_name``, ``year`` and the six V-Dem columns
    (:data:`VDEM_COLUMNS`); the WDI and CPI columns the Economist merged in and its derived
    ``top_ideology``, ``nationalism`` and ``ideology_is_*`` duplicates are left out. ``ccode``
    comes from the crosswalk in the row's year: RUS is 365 (the USSR, then Russia), SRB
    Yugoslavia (345), CZE Czechoslovakia (315) until 1992 (see
    :data:`allegiance.data.crosswalk.ISO3_ALIASES`); country-years when the state was no COW
    member (colonies, occupied years, Korea before 1949) get null.

    As the MANIFEST warns, ``v2exl_legitideolcr_0``-``4`` are shares of experts naming each
    ideology (nationalist, socialist/communist, restorative/conservative,
    separatist/autonomist, religious), not exclusive categories (they can sum above 1), and
    they describe the ideology even where ideological legitimation is weak (Sweden 1936:
    ``v2exl_legitideol`` -1.947, socialist/communist 1.0); there is no fascist category. Read
    them with ``v2exl_legitideol`` and a democracy measure.
    """
    frame = pl.read_csv(raw_dir / VDEM, infer_schema_length=None, null_values=["NA", ""])
    frame = frame.select("iso3c", "country_name", "year", *VDEM_COLUMNS)
    frame = iso3_to_ccode(frame, raw_dir, iso3="iso3c", year="year")
    return frame.select("iso3c", "country_name", "year", "ccode", *VDEM_COLUMNS)
