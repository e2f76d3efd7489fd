"""add_korea_trade(): ROK exports, imports, trade share and their KOSIS / COW marks (kdiplo)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from allegiance.errors import PanelUnitError
from allegiance.panel import dyad_years, state_years
from allegiance.panel.korea_trade import KOREA_TRADE_COLUMNS, add_korea_trade


@pytest.mark.raw
def test_japan_values_and_share(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "kdiplo/trade_data.csv")
    jp = raw[raw.iso3c == "JPN"].set_index("year")
    out = add_korea_trade(dyad_years(years=[1965, 2000], states=[732, 740])).collect()
    for year in (1965, 2000):
        want = jp.loc[year]
        share = (want.export + want["import"]) / (want.total_export + want.total_import)
        for c1, c2 in ((732, 740), (740, 732)):  # the ROK's flows whatever the order
            row = out.filter(ccode1=c1, ccode2=c2, year=year).row(0, named=True)
            assert row["kdiplo_exports"] == pytest.approx(want.export)
            assert row["kdiplo_imports"] == pytest.approx(want["import"])
            assert row["kdiplo_trade_share"] == pytest.approx(share)
            assert row["kdiplo_exports_source"] == (
                "kosis" if pd.notna(want.export_kosis) else "cow"
            )


@pytest.mark.raw
def test_cow_imputed_values_keep_their_mark(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "kdiplo/trade_data.csv")
    imputed = raw[raw.export_kosis.isna() & raw.export_cow.notna() & (raw.iso3c == "USA")]
    assert len(imputed)  # some US years come from COW
    year = int(imputed.year.iloc[0])
    out = add_korea_trade(dyad_years(years=[year], states=[2, 732], directed=False)).collect()
    row = out.row(0, named=True)
    assert row["kdiplo_exports_source"] == "cow"
    assert row["kdiplo_exports"] == pytest.approx(float(imputed.export_cow.iloc[0]))


def test_only_rok_dyads_and_no_zero_filling() -> None:
    out = add_korea_trade(dyad_years(years=[1960, 2010], states=[2, 731, 732, 740])).collect()
    without = out.filter((pl.col("ccode1") != 732) & (pl.col("ccode2") != 732))
    assert without.select(pl.col(*KOREA_TRADE_COLUMNS).null_count()).sum_horizontal().item() == (
        without.height * len(KOREA_TRADE_COLUMNS)
    )
    japan_1960 = out.filter(ccode1=732, ccode2=740, year=1960)
    assert japan_1960["kdiplo_exports"].item() is None  # kdiplo's Japan rows start in 1965


def test_rows_kept_and_bad_input() -> None:
    base = dyad_years(years=range(2000, 2003), directed=True)
    assert add_korea_trade(base).collect().select(base.keys).equals(base.collect())
    with pytest.raises(PanelUnitError, match="dyad-year"):
        add_korea_trade(state_years(years=[2000]))
