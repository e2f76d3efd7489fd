"""dyad_months(): the dyad-month universe and its month-level join."""

from __future__ import annotations

import polars as pl
import pytest

from allegiance.errors import ParameterError
from allegiance.panel import dyad_years
from allegiance.panel.months import dyad_months, join_month_attrs


def test_twelve_months_of_every_dyad_year() -> None:
    months = dyad_months(years=range(1970, 1973), states=[2, 710, 732, 740]).collect()
    years = dyad_years(years=range(1970, 1973), states=[2, 710, 732, 740]).collect()
    assert months.height == 12 * years.height
    assert (
        months.select("ccode1", "ccode2", "year")
        .unique()
        .sort(pl.all())
        .equals(years.sort(pl.all()))
    )
    assert months.schema["month"] == pl.Int8 and months["month"].min() == 1


def test_membership_is_by_day() -> None:
    # West Germany (260) ends and Germany (255) starts in October 1990: they never coexist
    out = dyad_months(years=[1990], states=[2, 255, 260], directed=False).collect()
    with_260 = out.filter(ccode1=2, ccode2=260)["month"].to_list()
    with_255 = out.filter(ccode1=2, ccode2=255)["month"].to_list()
    assert with_260 == list(range(1, 11)) and with_255 == [10, 11, 12]
    assert out.filter(ccode1=255, ccode2=260).is_empty()


def test_panel_metadata_and_sorting() -> None:
    p = dyad_months(years=[2000], states=[732, 740, 2], directed=True)
    assert (p.unit, p.directed, p.keys) == (
        "dyad_month",
        True,
        ["ccode1", "ccode2", "year", "month"],
    )
    frame = p.collect()
    assert frame.equals(frame.sort("ccode1", "ccode2", "year", "month"))
    assert frame.height == 6 * 12


def test_join_month_attrs_keeps_rows_and_refuses_duplicates() -> None:
    p = dyad_months(years=[2000], states=[732, 740], directed=True)
    attrs = pl.LazyFrame(
        {"ccode1": [732], "ccode2": [740], "year": [2000], "month": [3], "x": [1.5]}
    )
    out = p.with_frame(join_month_attrs(p, attrs, ["x"], symmetric=True)).collect()
    assert out.height == 24
    assert out.filter(pl.col("x").is_not_null()).select("ccode1", "month").rows() == [
        (732, 3), (740, 3)
    ]  # fmt: skip
    dup = pl.concat([attrs, attrs.with_columns(pl.col("x") + 1)])
    with pytest.raises(pl.exceptions.ComputeError):
        p.with_frame(join_month_attrs(p, dup, ["x"], symmetric=False)).collect()


def test_bad_input() -> None:
    with pytest.raises(ParameterError, match=r"'system' parameter of dyad_months\(\)"):
        dyad_months("xx", years=[2000])  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="at least two different states"):
        dyad_months(years=[2000], states=[732])
