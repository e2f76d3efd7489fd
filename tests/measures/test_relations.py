"""The relations measure: raw indexes read from the raw files, standardization, sources, breaks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest

from allegiance.errors import ParameterError
from allegiance.measures import compute
from allegiance.measures.relations import combine_sources


@pytest.fixture(scope="module")
def rok_japan() -> pl.DataFrame:
    return compute("relations", range(1966, 2025), dyads=[(732, 740)])


@pytest.mark.raw
def test_weis_index_and_its_standardization_match_the_raw_file(
    raw_dir: Path, rok_japan: pl.DataFrame
) -> None:
    weis = pd.read_stata(raw_dir / "weis_lai/weis.fromlai.1966-93.dta", convert_categoricals=False)
    pair = weis[weis["srccc"].isin([732, 740]) & weis["targcc"].isin([732, 740])
                & (weis["srccc"] != weis["targcc"])]  # fmt: skip
    yearly = pair.groupby("year")["gscale"].mean()
    row = rok_japan.filter(pl.col("year") == 1973).row(0, named=True)
    assert row["relations_source"] == "weis"
    assert row["relations_raw"] == pytest.approx(yearly.loc[1973])
    assert row["relations_n"] == int((pair["year"] == 1973).sum())
    z = (yearly.loc[1973] - yearly.mean()) / yearly.std(ddof=1)
    assert row["relations"] == pytest.approx(z)


def test_sources_cover_their_years_and_nothing_is_spliced(rok_japan: pl.DataFrame) -> None:
    by = dict(zip(rok_japan["year"], rok_japan["relations_source"], strict=True))
    assert {by[y] for y in range(1966, 1993)} == {"weis"}
    assert {by[y] for y in range(2002, 2015)} == {"icews"}
    assert {by[y] for y in range(2018, 2025)} == {"gdelt"}
    gaps = rok_japan.filter(pl.col("year").is_between(1993, 2001) | pl.col("year").is_between(
        2015, 2017))  # fmt: skip
    assert gaps["relations_source"].null_count() == gaps.height
    assert gaps["relations"].null_count() == gaps.height
    breaks = rok_japan.filter(pl.col("relations_break"))["year"].to_list()
    assert breaks == [2002, 2018]
    # a covered year without events (WEIS records none for the pair in 1968) is null, n = 0
    quiet = rok_japan.filter(pl.col("year") == 1968).row(0, named=True)
    assert quiet["relations"] is None and quiet["relations_n"] == 0


def test_each_source_is_standardized_on_its_own(rok_japan: pl.DataFrame) -> None:
    for source in ("weis", "icews", "gdelt"):
        z = rok_japan.filter(pl.col("relations_source") == source)["relations"].drop_nulls()
        if source != "gdelt":  # GDELT's standardization uses its 2018-2024 months too
            assert abs(z.mean()) < 1e-9 and z.std() == pytest.approx(1.0)  # type: ignore[arg-type]


def test_symmetric_and_order_of_the_dyad_kept() -> None:
    a = compute("relations", range(2003, 2006), dyads=[(740, 732)])
    b = compute("relations", range(2003, 2006), dyads=[(732, 740)])
    assert a["ccode1"].unique().to_list() == [740]
    assert a["relations"].to_list() == b["relations"].to_list()


def test_monthly_unit_has_months_and_no_icews() -> None:
    m = compute("relations", range(2005, 2007), dyads=[(732, 740)], unit="month")
    assert m.height == 24 and m["relations_source"].null_count() == 24  # ICEWS is annual
    g = compute("relations", range(2019, 2020), dyads=[(732, 740)], unit="month")
    assert g["month"].to_list() == list(range(1, 13))
    assert set(g["relations_source"]) == {"gdelt"}


def test_disputes_and_the_system_reference() -> None:
    r = compute("relations", range(2005, 2007), dyads=[(732, 740)])
    assert r["mid_opposite"].to_list() == [1, 1]  # MIDB: Japan and ROK on opposite sides
    s = compute("relations", range(2005, 2007), dyads=[(732, 740)], reference="system")
    assert s["relations_raw"].to_list() == r["relations_raw"].to_list()
    assert not np.allclose(s["relations"].to_numpy(), r["relations"].to_numpy())


def test_combine_sources_by_hand() -> None:
    f = pl.DataFrame({"ccode1": [1] * 4, "ccode2": [2] * 4, "year": [1, 2, 3, 4],
                      "weis_mean": [2.0, 4.0, 6.0, None], "weis_events": [1, 2, 3, None],
                      "gdelt_mean": [9.0, 9.0, 9.0, 7.0],
                      "gdelt_days": [30, 30, 30, 30]})  # fmt: skip
    out = combine_sources(f, ["weis", "gdelt"], "dyad", ["year"])
    # weis: mean 4, sd 2 -> -1, 0, 1; year 4 falls to gdelt, whose own history is 9, 9, 9, 7
    assert out["relations"].to_list()[:3] == pytest.approx([-1.0, 0.0, 1.0])
    assert out["relations_source"].to_list() == ["weis", "weis", "weis", "gdelt"]
    assert out["relations_break"].to_list() == [False, False, False, True]
    assert out["relations"][3] == pytest.approx((7 - 8.5) / 1.0)
    gdelt_first = combine_sources(f, ["gdelt", "weis"], "dyad", ["year"])
    assert set(gdelt_first["relations_source"]) == {"gdelt"}


def test_bad_options() -> None:
    with pytest.raises(ParameterError, match="'unit' option of measure 'relations'"):
        compute("relations", range(2000, 2001), dyads=[(732, 740)], unit="week")
    bad_source = r"'sources\.1' option of measure 'relations' is invalid.*Got 'foo'"
    with pytest.raises(ParameterError, match=bad_source):
        compute("relations", range(2000, 2001), dyads=[(732, 740)], sources="weis,foo")
