"""South Korea's trade with each partner (kdiplo: KOSIS, COW where KOSIS is missing)."""

from __future__ import annotations

import polars as pl

from allegiance.data import bundle
from allegiance.panel.base import Panel
from allegiance.panel.steps import Variable, join_dyad_attrs, register, require_unit

__all__ = ["KOREA_TRADE_COLUMNS", "add_korea_trade"]

_TABLE = "kdiplo_trade"
_ROK = 732  # COW code of the Republic of Korea, the reporter of every kdiplo trade row

KOREA_TRADE_COLUMNS = (
    "kdiplo_exports", "kdiplo_imports", "kdiplo_trade_share",
    "kdiplo_exports_source", "kdiplo_imports_source",
)  # fmt: skip
_NULL = "; dyads with the ROK only, null where kdiplo has no value"


@register(
    "korea_trade",
    units=["dyad_year"],
    variables=[
        Variable("kdiplo_exports", "South Korea's exports to the other state (US$ as kdiplo "
                 "reports them; KOSIS, or COW where KOSIS has none)" + _NULL, "Float64", "kdiplo",
                 None),
        Variable("kdiplo_imports", "South Korea's imports from the other state (US$ as kdiplo "
                 "reports them; KOSIS, or COW where KOSIS has none)" + _NULL, "Float64", "kdiplo",
                 None),
        Variable("kdiplo_trade_share", "Share of South Korea's total trade: (exports + imports) "
                 "/ (total exports + total imports), all as kdiplo reports them; null unless all "
                 "four are present", "Float64", "kdiplo", None),
        Variable("kdiplo_exports_source", "Where kdiplo_exports comes from: 'kosis' (Korean "
                 "Statistical Information Service) or 'cow' (Correlates of War trade, imputed by "
                 "kdiplo where KOSIS is missing)" + _NULL, "String", "kdiplo", None),
        Variable("kdiplo_imports_source", "Where kdiplo_imports comes from: 'kosis' or 'cow'"
                 + _NULL, "String", "kdiplo", None),
    ],
)  # fmt: skip
def add_korea_trade(panel: Panel) -> Panel:
    """Add South Korea's exports, imports and trade share (kdiplo) to a dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A COW dyad-year panel, directed or undirected.

    Returns
    -------
    Panel
        The panel with ``kdiplo_exports``, ``kdiplo_imports``, ``kdiplo_trade_share`` (Float64)
        and ``kdiplo_exports_source``, ``kdiplo_imports_source`` (String) added; rows and order
        unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a dyad-year panel of the COW system.

    Notes
    -----
    - kdiplo reports South Korea's trade only, so the columns are filled for dyads with the
      ROK (732) and are the ROK's flows whatever the order of the dyad: in a directed panel
      732->X and X->732 carry the same ``kdiplo_exports`` (ROK to X) and ``kdiplo_imports``
      (X to ROK). Every other dyad is null.
    - Values are kdiplo's ``export`` and ``import``, in US dollars: the KOSIS value
      (table DT_1R11006_FRM101) where it exists, else the Correlates of War value kdiplo
      imputes. The ``*_source`` columns keep that mark ('kosis' / 'cow') row by row, so a user
      can drop or separate the imputed years; the two sources are not otherwise spliced here.
      kdiplo's separate 2015-constant-dollar columns (``*_cons_2015``) are in the bundle table
      but not added.
    - ``kdiplo_trade_share`` divides the dyad's trade by kdiplo's ``total_export +
      total_import`` (ROK totals as KOSIS reports them).
    - No zero is filled in: a partner-year kdiplo does not list, or lists without a value, is
      null (the file does not say there was no trade). Partners are matched by ISO3 code to the
      COW state of that year; territories (Hong Kong, Puerto Rico, ...) have no COW dyad.
      Coverage is 1949-2023 (Japan from 1965), read from the data.

    Source
    ------
    kdiplo [ayhan2025]_, ``data-raw/trade_data.csv``: KOSIS and Correlates of War bilateral
    trade (bundle table ``kdiplo_trade``).

    Examples
    --------
    >>> from allegiance.panel import dyad_years
    >>> p = add_korea_trade(dyad_years(years=[1965], states=[732, 740], directed=False))
    >>> p.collect().select("kdiplo_exports", "kdiplo_exports_source").row(0)
    (44646000.0, 'kosis')
    """
    require_unit(panel, "add_korea_trade", "dyad_year", system="cow")
    trade = bundle.scan(_TABLE).drop_nulls("ccode").filter(pl.col("ccode") != _ROK)
    attrs = trade.select(
        pl.lit(_ROK, dtype=pl.Int32).alias("ccode1"),
        pl.col("ccode").cast(pl.Int32).alias("ccode2"),
        pl.col("year").cast(pl.Int16),
        pl.col("export").cast(pl.Float64).alias("kdiplo_exports"),
        pl.col("import").cast(pl.Float64).alias("kdiplo_imports"),
        (
            (pl.col("export") + pl.col("import"))
            / (pl.col("total_export") + pl.col("total_import"))
        ).alias("kdiplo_trade_share"),
        pl.col("export_source").alias("kdiplo_exports_source"),
        pl.col("import_source").alias("kdiplo_imports_source"),
    )
    frame = join_dyad_attrs(panel, attrs, list(KOREA_TRADE_COLUMNS), symmetric=True)
    return panel.with_frame(frame, _TABLE)
