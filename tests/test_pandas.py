"""Polars and pandas users get the same frames: ``.to_pandas()`` round-trips.

Over the public functions that return frames (panels with every family, every measure's
``compute``, the runs' tables): ``pl.from_pandas(frame.to_pandas(...))`` gives the frame back.

- With ``use_pyarrow_extension_array=True`` pandas keeps the Arrow types, and the round trip
  is exact: same columns, dtypes and values.
- With the default numpy-backed pandas, values survive, but two kinds of column change
  dtype, because numpy lacks the type: an integer column with a null becomes float64 (null is NaN;
  numpy integers have no missing value) and comes back as Float64, and a Date column becomes
  datetime64[ms] (numpy has no date type) and comes back as Datetime("ms"). Integers without nulls
  keep their width; strings, Booleans and lists with nulls go through object columns and come back
  with their dtype. Cast back with the polars schema (``pl.from_pandas(pdf).cast(frame.schema)``) to
  get the frame.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from allegiance.measures import MEASURES, compute
from allegiance.panel import FAMILIES, build_panel

_YEARS = range(2000, 2003)
_STATES = [2, 365, 710, 731, 732, 740]
_INTEGER = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)


def _families(unit: str) -> list[str]:
    return [f.name for f in FAMILIES.values() if unit in f.units]


def _panel(unit: str) -> pl.DataFrame:
    panel = build_panel(unit, years=_YEARS, states=_STATES, families=_families(unit))  # type: ignore[arg-type]
    return panel.collect()


def _measure(name: str) -> pl.DataFrame:
    if MEASURES[name].unit == "state_year":
        return compute(name, _YEARS, states=_STATES)
    return compute(name, _YEARS, dyads=[(740, 732), (732, 710)])


def _changed_dtypes(frame: pl.DataFrame) -> dict[str, pl.DataType]:
    """Columns whose dtype the numpy-backed round trip changes, and what they become."""
    out: dict[str, pl.DataType] = {}
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            out[name] = pl.Datetime("ms")
        elif dtype in _INTEGER and frame[name].null_count() > 0:
            out[name] = pl.Float64()
    return out


def _check_round_trip(frame: pl.DataFrame) -> None:
    assert frame.height > 0
    exact = pl.from_pandas(frame.to_pandas(use_pyarrow_extension_array=True))
    assert_frame_equal(exact, frame)
    numpy_backed = pl.from_pandas(frame.to_pandas())
    changed = {c: d for c, d in numpy_backed.schema.items() if d != frame.schema[c]}
    assert changed == _changed_dtypes(frame)
    assert_frame_equal(numpy_backed.cast(dict(frame.schema)), frame)


FRAMES: dict[str, Callable[[], pl.DataFrame]] = {
    "dyad_year panel, every family": lambda: _panel("dyad_year"),
    "state_year panel, every family": lambda: _panel("state_year"),
    **{f"measure {name}": (lambda n=name: _measure(n)) for name in MEASURES},  # type: ignore[misc]
}


@pytest.mark.parametrize("name", list(FRAMES))
def test_frames_round_trip_through_pandas(name: str) -> None:
    _check_round_trip(FRAMES[name]())


def test_run_tables_round_trip_through_pandas() -> None:
    from allegiance.runs import run_balance, run_expected, run_quasi

    _check_round_trip(run_balance(year=2010, states=_STATES).network.ties)
    for table in run_quasi(permutations=19, seed=1).tables().values():
        _check_round_trip(table)
    expected = run_expected(years=range(1996, 2001), split=1999, estimators=("logit",),
                            n_draws=10, seed=1)  # fmt: skip
    for table in expected.tables().values():
        _check_round_trip(table)


def test_the_numpy_rule_is_what_changes() -> None:
    frame = pl.DataFrame(
        {"a": [1, None], "b": [1, 2], "c": ["x", None], "d": [True, None], "e": [[1], None],
         "f": [date(2000, 1, 1), None]},
        schema={"a": pl.Int8, "b": pl.Int8, "c": pl.String, "d": pl.Boolean,
                "e": pl.List(pl.Int64), "f": pl.Date},
    )  # fmt: skip
    assert _changed_dtypes(frame) == {"a": pl.Float64(), "f": pl.Datetime("ms")}
    _check_round_trip(frame)


@pytest.mark.parametrize("name", list(MEASURES))
def test_measure_docstrings_name_their_columns(name: str) -> None:
    doc = MEASURES[name].func.__doc__ or ""
    returns = doc.split("Returns\n")[1] if "Returns\n" in doc else doc
    missing = [c for c in _measure(name).columns if c not in returns]
    assert missing == [], f"{name}: document the columns {missing} under Returns"
