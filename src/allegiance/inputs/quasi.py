"""Inputs and observed relation of the quasi-alliance model, assembled from the bundle.

Client-year inputs (the patron's commitment signals, its troops in each client, the patron's
conflicts the client does not share) and the observed year-by-year relation of two clients,
each documented with its source and years.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from allegiance.data import bundle
from allegiance.errors import ParameterError, UnknownCodeError
from allegiance.userfiles import text_stream

__all__ = [
    "COOPERATION_COMPONENTS",
    "OBSERVED_COMPONENTS",
    "SignalRow",
    "check_actors",
    "client_exposure",
    "client_inputs",
    "client_troops",
    "default_signals",
    "input_years",
    "load_signals",
    "monthly_relations",
    "observed_relation",
    "pair_signals",
    "signal_counts",
]

DisputeSource = Literal["gml", "cow"]
#: Observed components and their sign in the composite (+1 = more cooperation).
OBSERVED_COMPONENTS = {"relations": 1.0, "disputes": -1.0, "dca": 1.0, "exercises": 1.0}
#: The components that observe cooperation: a year counts as observed only with one of them
#: (an ongoing dispute observes friction, but its absence alone is not cooperation).
COOPERATION_COMPONENTS = ("relations", "dca", "exercises")
_DISPUTES = {
    "gml": ("gml_mid_ddydisps", "gmlmidongoing"),
    "cow": ("cow_mid_ddydisps", "cowmidongoing"),
}


# --------------------------------------------------------------------------- actors and years


def _country(code: int, role: str) -> str:
    from allegiance.data.codes import codebook

    try:
        country = codebook().country(int(code))
    except UnknownCodeError as exc:
        raise ParameterError(f"The {role} {code} is not a COW state code: {exc}") from None
    return country.iso3 or str(code)


def check_actors(patron: int, clients: Sequence[int]) -> tuple[int, int]:
    """Validate one patron and two distinct clients (COW codes); return the clients.

    >>> check_actors(2, [732, 740])
    (732, 740)
    """
    if len(clients) != 2:
        raise ParameterError(
            f"The quasi-alliance model needs exactly two clients. Got {list(clients)}."
        )
    a, b = (int(c) for c in clients)
    _country(patron, "patron")
    for c in (a, b):
        _country(c, "client")
        if c == patron:
            raise ParameterError(
                f"A client cannot be the patron itself. Got client {c} = patron {patron}."
            )
    if a == b:
        raise ParameterError(f"The two clients must differ. Got {a} twice.")
    return a, b


def input_years() -> tuple[int, int]:
    """The years the model can run: the COW system's (signals have no coverage limit).

    Each input says itself where it is missing: ``troops`` and ``troop_change`` outside
    troopdata's years (and for patrons other than the US), ``exposure`` outside the dispute
    data's years; a missing input moves no fear.
    """
    from allegiance.data.coverage import system_years

    return system_years("cow")


def _require_years(years: range) -> None:
    from allegiance.params import check_years

    check_years(years, "years", input_years(), "the COW system's years")


# --------------------------------------------------------------------------- troops


def client_troops(patron: int, clients: Sequence[int], years: range) -> pl.DataFrame:
    r"""``ccode, year, troops, troop_change``: the patron's troops in each client.

    ``troops`` are US military personnel stationed in the client (panel family ``troops``,
    legacy troopdata: Kane 1950-2005 extended with DMDC reports); ``troop_change`` is
    :math:`\ln(1 + n_t) - \ln(1 + n_{t-1})`, null in the first year or where either year is
    missing. Troop data exist for the United States as patron only; for any other patron
    both columns are null (the model then sees no troop moves).
    """
    from allegiance.panel.troops import add_us_troops
    from allegiance.panel.universe import state_years

    span = range(years.start - 1, years.stop)
    frame = state_years("cow", span, list(clients))
    if patron == 2:
        rows = add_us_troops(frame).collect().rename({"us_troops": "troops"})
    else:
        rows = frame.collect().with_columns(pl.lit(None, dtype=pl.Int32).alias("troops"))
    rows = rows.sort("ccode", "year")
    log = pl.col("troops").cast(pl.Float64).log1p()
    consecutive = (pl.col("year") - pl.col("year").shift(1).over("ccode")) == 1
    change = pl.when(consecutive).then(log - log.shift(1).over("ccode")).alias("troop_change")
    return (
        rows.with_columns(change)
        .filter(pl.col("year") >= years.start)
        .select(
            pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int32), "troops", "troop_change"
        )
    )


# --------------------------------------------------------------------------- exposure


def _window_edges(years: range, source: DisputeSource, k: int) -> pl.DataFrame:
    from allegiance.panel.networks import dispute_edges, window_edges

    edges = dispute_edges(range(years.start - k + 1, years.stop), source)
    return window_edges(edges, k).filter(pl.col("year").is_between(years.start, years.stop - 1))


def client_exposure(
    patron: int,
    clients: Sequence[int],
    years: range,
    *,
    k: int = 1,
    dispute_source: DisputeSource = "cow",
) -> pl.DataFrame:
    r"""``ccode, year, exposure``: the patron's dispute opponents the client did not fight.

    .. math::

       x_{it} = \bigl|\{C \neq i : M^{(k)}_{PCt} = 1,\ M^{(k)}_{iCt} = 0\}\bigr|

    where :math:`M^{(k)}_{XCt}` is 1 if X and C had a militarized dispute ongoing in some year
    of :math:`[t-k+1, t]` (GML or COW MIDs; wars are MIDs of hostility level 5, so they are
    included). ``k = 1`` counts the year itself. Null outside the dispute data's years.
    """
    from allegiance.data.coverage import table_years

    lo, hi = table_years(_DISPUTES[dispute_source][0])
    edges = _window_edges(years, dispute_source, k)
    patron_opp = edges.filter(pl.col("ccode1") == patron).select(
        pl.col("ccode2").alias("c"), "year"
    )
    rows = []
    for client in clients:
        own = edges.filter(pl.col("ccode1") == client).select(pl.col("ccode2").alias("c"), "year")
        unshared = patron_opp.filter(pl.col("c") != client).join(own, on=["c", "year"], how="anti")
        counts = unshared.group_by("year").agg(pl.len().alias("exposure"))
        frame = pl.DataFrame({"year": list(years)}).cast({"year": counts.schema["year"]})
        rows.append(
            frame.join(counts, on="year", how="left").select(
                pl.lit(client, dtype=pl.Int32).alias("ccode"),
                "year",
                pl.when(pl.col("year").is_between(lo, hi))
                .then(pl.col("exposure").fill_null(0))
                .cast(pl.Float64)
                .alias("exposure"),
            )
        )
    return pl.concat(rows)


# --------------------------------------------------------------------------- signals


class SignalRow(BaseModel):
    """One dated commitment signal: who signalled to whom, which way, and the source."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    date: dt.date
    patron: str = Field(min_length=1)
    target: str = Field(min_length=1)
    direction: int
    kind: str = Field(min_length=1)
    source_url: str = Field(min_length=1)
    event: str = ""

    @field_validator("direction")
    @classmethod
    def _direction(cls, value: int) -> int:
        if value not in (-1, 1):
            raise ValueError("direction must be -1 (weaker) or 1 (stronger)")
        return value

    @field_validator("patron", "target")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        if value.lower() in {"both", "region"}:
            return value.lower()
        from allegiance.data.codes import resolve
        from allegiance.panel.universe import system_years

        when = info.data.get("date")
        # Codes are resolved in the signal's year, clipped to the code book's last year.
        year = (
            min(when.year, system_years("cow", mry=False)[1]) if isinstance(when, dt.date) else None
        )
        try:
            country = resolve(int(value) if value.isdigit() else value, year=year)
        except UnknownCodeError as exc:
            raise ValueError(f"unknown country {value!r} ({exc})") from None
        return str(country.ccode)


def load_signals(path: Path) -> pl.DataFrame:
    """Read and validate a commitment-signals CSV; errors name the file, line and column.

    Required columns: ``date`` (YYYY-MM-DD), ``patron`` and ``target`` (ISO3 code, COW code
    or name; ``target`` may also be ``both`` or ``region``), ``direction`` (-1 weaker, 1
    stronger), ``kind`` and ``source_url``; other columns are ignored. Returns ``date,
    year, patron, target, direction, kind`` with patron and target as COW codes (text) or
    ``both``/``region``.
    """
    with text_stream(path, "signals file") as handle:
        reader = csv.DictReader(handle)
        required = [n for n, f in SignalRow.model_fields.items() if f.is_required()]
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ParameterError(
                f"{path}, line 1: missing column(s) {', '.join(missing)}; the signals file needs "
                f"{', '.join(required)}."
            )
        rows = []
        for record in reader:
            try:
                rows.append(SignalRow.model_validate({k: v for k, v in record.items() if k}))
            except ValidationError as exc:
                err = exc.errors()[0]
                column = str(err["loc"][0]) if err["loc"] else "?"
                raise ParameterError(
                    f"{path}, line {reader.line_num}, column {column!r}: "
                    f"{err['msg'].removeprefix('Value error, ')}. "
                    f"Got {record.get(column)!r}."
                ) from None
    return _signal_frame(rows)


def _signal_frame(rows: list[SignalRow]) -> pl.DataFrame:
    schema = {
        "date": pl.Date,
        "year": pl.Int32,
        "patron": pl.String,
        "target": pl.String,
        "direction": pl.Int32,
        "kind": pl.String,
        "description": pl.String,
    }
    data = [(r.date, r.date.year, r.patron, r.target, r.direction, r.kind, r.event)
            for r in rows]  # fmt: skip
    return pl.DataFrame(data, schema=schema, orient="row")


#: The clients the bundled signals are about (its targets KOR and JPN; ``region`` is East Asia).
SIGNAL_CLIENTS = (732, 740)


def default_signals(patron: int, clients: Sequence[int] = SIGNAL_CLIENTS) -> pl.DataFrame | None:
    """The bundled table ``us_commitment_signals`` for the US and clients it is about.

    The table lists US signals to South Korea and Japan, and ``region`` signals about East
    Asia; for any other patron or client (e.g. Greece and Turkey) there are no bundled
    signals, and None is returned.
    """
    if patron != 2 or not set(clients) <= set(SIGNAL_CLIENTS):
        return None
    table = bundle.scan("us_commitment_signals").collect()
    fields = [f for f in SignalRow.model_fields if f in table.columns]
    rows = [SignalRow.model_validate(r) for r in table.select(fields).to_dicts()]
    return _signal_frame(rows)


def signal_counts(
    signals: pl.DataFrame | None, patron: int, clients: Sequence[int], years: range
) -> pl.DataFrame:
    """``ccode, year, signals_down, signals_up``: the patron's signals to each client by year.

    A signal counts for a client if its target is the client, ``both`` or ``region``;
    ``signals_down`` counts those of reduced commitment (direction -1), ``signals_up`` those of
    raised commitment (+1). Signals of other patrons are ignored; years without a signal are 0.
    """
    frames = []
    for client in clients:
        base = pl.DataFrame({"year": list(years)}, schema={"year": pl.Int32})
        mine = _signals_for(signals, patron, client)
        counts = mine.group_by("year").agg(
            (pl.col("direction") == -1).sum().alias("signals_down"),
            (pl.col("direction") == 1).sum().alias("signals_up"),
        )
        base = base.join(counts.cast({"year": pl.Int32}), on="year", how="left")
        frames.append(
            base.select(
                pl.lit(client, dtype=pl.Int32).alias("ccode"),
                "year",
                *(pl.col(c).fill_null(0).cast(pl.Float64) for c in ("signals_down", "signals_up")),
            )
        )
    return pl.concat(frames)


def _signals_for(signals: pl.DataFrame | None, patron: int, client: int) -> pl.DataFrame:
    """The signals of ``patron`` that count for ``client`` (target client, both or region)."""
    if signals is None or signals.height == 0:
        return _signal_frame([])
    return signals.filter(
        (pl.col("patron") == str(patron)) & pl.col("target").is_in([str(client), "both", "region"])
    )


def pair_signals(signals: pl.DataFrame | None, patron: int, clients: Sequence[int]) -> pl.DataFrame:
    """The patron's signals that count for either client, with the clients they reach.

    ``date, year, month, direction, kind, target, reaches`` (``both`` when the signal counts
    for the two clients, else the client's code), in date order; the events of the quasi
    alliance's observed test.
    """
    a, b = (str(c) for c in clients)
    if signals is None or signals.height == 0:
        rows = _signal_frame([])
    else:
        rows = signals.filter(
            (pl.col("patron") == str(patron)) & pl.col("target").is_in([a, b, "both", "region"])
        )
    reaches = pl.when(pl.col("target").is_in(["both", "region"])).then(pl.lit("both"))
    return rows.sort("date").with_columns(
        pl.col("date").dt.month().alias("month"), reaches.otherwise("target").alias("reaches")
    )


# --------------------------------------------------------------------------- assembly


def client_inputs(
    patron: int,
    clients: Sequence[int],
    years: range,
    *,
    signals: pl.DataFrame | None = None,
    dispute_source: DisputeSource = "cow",
    exposure_k: int = 1,
) -> pl.DataFrame:
    """One row per client-year: ``ccode, year`` and every input of :class:`QuasiAlliance`.

    Columns: ``signals_down`` and ``signals_up`` (:func:`signal_counts`; the bundled US
    signals for patron 2 if ``signals`` is None), ``troops`` and ``troop_change``
    (:func:`client_troops`) and ``exposure`` (:func:`client_exposure`). Raises ParameterError
    for bad codes or years outside the sources (:func:`input_years`).
    """
    a, b = check_actors(patron, clients)
    _require_years(years)
    sig = signals if signals is not None else default_signals(patron, (a, b))
    keys = ["ccode", "year"]
    cast = {"ccode": pl.Int32, "year": pl.Int32}
    members = client_troops(patron, (a, b), years)
    for client in (a, b):
        if members.filter(pl.col("ccode") == client).height == 0:
            raise ParameterError(
                f"Client {client} is not a COW system member in {years.start}-{years.stop - 1}."
            )
    parts = [
        signal_counts(sig, patron, (a, b), years),
        client_exposure(patron, (a, b), years, k=exposure_k, dispute_source=dispute_source),
    ]
    out = members.cast(cast)  # type: ignore[arg-type]
    for part in parts:
        out = out.join(part.cast(cast), on=keys, how="left")  # type: ignore[arg-type]
    return out.sort("ccode", "year")


# --------------------------------------------------------------------------- observed


def observed_relation(clients: Sequence[int], years: range) -> pl.DataFrame:
    """One row per year: the observed components of the two clients' relation.

    ``relations`` (measure :func:`~allegiance.measures.relations.relations`: standardized net
    cooperation from the event source covering the year, WEIS 1966-1992, ICEWS 2002-2014,
    GDELT 2018-2024, with ``relations_source``), ``disputes`` (1 if a COW MID with the two on
    opposite sides was ongoing, MIDB 1816-2014), ``dca`` (DCAD agreements in force,
    1980-2010) and ``exercises`` (MME joint exercises, 1980-2010). Null outside a source's
    years; years in which the dyad is not in the COW system are left out. UN voting agreement
    is not a component: it measures how alike two states vote on the Assembly's agenda, not
    what they do toward each other.
    """
    from allegiance.measures import compute
    from allegiance.panel.cooperation import add_dca, add_exercises
    from allegiance.panel.universe import dyad_years

    a, b = (int(c) for c in clients)
    panel = dyad_years("cow", years, directed=False, states=[a, b])
    frame = (
        add_exercises(add_dca(panel))
        .collect()
        .select(
            pl.col("year").cast(pl.Int32),
            pl.col("mme_joint").cast(pl.Float64).alias("exercises"),
            pl.col("dca_count").cast(pl.Float64).alias("dca"),
        )
    )
    rel = compute("relations", years, dyads=[(min(a, b), max(a, b))]).select(
        pl.col("year").cast(pl.Int32),
        pl.col("relations").cast(pl.Float64),
        pl.col("mid_opposite").cast(pl.Float64).alias("disputes"),
        "relations_source",
        "relations_n",
    )
    out = frame.join(rel, on="year", how="left")
    return (
        out.select("year", *OBSERVED_COMPONENTS, "relations_source", "relations_n")
        .sort("year")
        .with_columns(pl.col(c).fill_nan(None) for c in OBSERVED_COMPONENTS)
    )


def monthly_relations(clients: Sequence[int], years: range) -> pl.DataFrame:
    """The clients' relations at the finest unit each source has: the event study's series.

    Months for WEIS and GDELT (and COPDAB where it covers the pair), years for ICEWS (placed
    at mid-year): ``t`` (months since January of year 0), ``year``, ``month``, ``value``
    (``relations``, standardized within its source), ``n_events`` and ``source``; rows without
    a value (a period the source covers without any event) are left out.
    """
    from allegiance.measures import compute

    a, b = (int(c) for c in clients)
    pair = [(min(a, b), max(a, b))]
    months = compute("relations", years, dyads=pair, unit="month")
    annual = compute("relations", years, dyads=pair).filter(pl.col("relations_source") == "icews")
    annual = annual.with_columns(pl.lit(7, dtype=pl.Int8).alias("month"))
    rows = pl.concat([months.select(_SERIES), annual.select(_SERIES)])
    return (
        rows.filter(pl.col("relations").is_not_null())
        .select(
            (pl.col("year").cast(pl.Int64) * 12 + pl.col("month").cast(pl.Int64) - 1).alias("t"),
            pl.col("year").cast(pl.Int32),
            pl.col("month").cast(pl.Int8),
            pl.col("relations").alias("value"),
            pl.col("relations_n").alias("n_events"),
            pl.col("relations_source").alias("source"),
        )
        .sort("t")
    )


_SERIES = ["year", "month", "relations", "relations_n", "relations_source"]
