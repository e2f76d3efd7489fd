"""Every figure the package draws, each a function of a run result or of a claim's evidence.

Computation never imports plotly: runs return results and evidence kinds name their figure
(``Evidence.figure``); this module draws them. Evidence figures are registered by name in
:data:`EVIDENCE_FIGURES`. Every axis has a title with its unit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from allegiance.registry import Registry
from allegiance.runs.expected import ExpectedResult
from allegiance.runs.quasi import QuasiResult
from allegiance.study.evidence import Evidence, Finding

__all__ = [
    "EVIDENCE_FIGURES",
    "PLOTLY_JS",
    "audit_figure",
    "coalition_figure",
    "evidence_figure",
    "pair_contributions",
    "percentile_figure",
    "quasi_figure",
]

_TEMPLATE = "plotly_white"
#: plotly.js as shipped with plotly, for pages that load it from the local server.
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
#: Evidence figures by the name an evidence kind gives in ``Evidence.figure``.
EVIDENCE_FIGURES: Registry[Callable[[Finding], go.Figure]] = Registry("evidence figure")


def evidence_figure(evidence: Evidence) -> go.Figure:
    """The figure a claim's evidence names, drawn from its finding's tables."""
    return EVIDENCE_FIGURES[evidence.finding.figure](evidence.finding)


# --------------------------------------------------------------------------- run results


def percentile_figure(result: ExpectedResult, label: str) -> go.Figure:
    """The dyad's percentile of expected cooperation per year, one line per estimator."""
    fit = result.fit
    fig = go.Figure()
    for name in fit.models:
        part = fit.percentile.filter(pl.col("estimator") == name).sort("year")
        if part["percentile_low"].null_count() < part.height:
            fig.add_trace(
                go.Scatter(
                    x=[*part["year"], *part["year"].reverse()],
                    y=[*part["percentile_high"], *part["percentile_low"].reverse()],
                    fill="toself", line={"width": 0}, opacity=0.25, name=f"{name} band",
                )
            )  # fmt: skip
        fig.add_trace(
            go.Scatter(x=part["year"], y=part["percentile"], mode="lines+markers", name=name)
        )
    fig.update_layout(
        title=f"{label}: percentile of expected {fit.outcome} among all dyads",
        xaxis_title="year",
        yaxis_title="percentile among all dyads (100 = highest expectation)",
        yaxis_range=[0, 100],
        template=_TEMPLATE,
    )
    return fig


_SOURCE_COLOURS = {"weis": "#1f77b4", "copdab": "#9467bd", "icews": "#2ca02c", "gdelt": "#ff7f0e"}
_RELATION_LEVEL = {"friction": -1, "baseline": 0, "cooperation": 1}


def quasi_figure(result: QuasiResult, names: dict[int, str]) -> go.Figure:
    """Observed relations by source with the patron's dated signals, and the prediction.

    Top: the clients' observed relations (standardized within each source, one colour per
    source, months where the source has them and years for ICEWS) with every commitment
    signal as a dated line (red: reduced, blue: raised). Bottom: the model's fears of
    abandonment per client and its predicted relation per year.
    """
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.6, 0.4],
        subplot_titles=("Observed relations of the clients, by source, and the patron's signals",
                        "Predicted relation and fears of abandonment"),
    )  # fmt: skip
    series = result.series.with_columns((pl.col("year") + (pl.col("month") - 1) / 12).alias("when"))
    for (source,), rows in series.group_by(["source"], maintain_order=True):
        fig.add_trace(
            go.Scatter(x=rows["when"].to_list(), y=rows["value"].to_list(), mode="markers",
                       name=f"observed ({source})", marker={"color": _SOURCE_COLOURS.get(
                           str(source)), "size": 6},
                       text=[f"{n} events" for n in rows["n_events"].to_list()]),
            row=1, col=1,
        )  # fmt: skip
    for row in result.signals.iter_rows(named=True):
        when = row["date"].year + (row["date"].month - 1) / 12
        colour = "#d62728" if row["direction"] < 0 else "#1f77b4"
        fig.add_vline(x=when, line={"color": colour, "width": 1, "dash": "dot"}, row=1, col=1)
    model = result.model
    pred = model.predict()
    years = pred["year"].to_list()
    fig.add_trace(
        go.Scatter(x=years, y=[_RELATION_LEVEL.get(r) for r in pred["relation"]],
                   mode="markers+lines", name="predicted relation (-1 friction, 0 baseline, "
                   "1 cooperation)", line={"shape": "hv", "color": "#444"}),
        row=2, col=1,
    )  # fmt: skip
    for n, code in enumerate(result.clients, start=1):
        fig.add_trace(
            go.Scatter(x=years, y=pred[f"abandonment_{n}"].to_list(),
                       name=f"fear of abandonment, {names.get(code, str(code))}",
                       line={"dash": "dot"}),
            row=2, col=1,
        )  # fmt: skip
    fig.update_xaxes(title_text="year", row=2, col=1)
    fig.update_yaxes(title_text="relations (standard deviations of the source)", row=1, col=1)
    fig.update_yaxes(title_text="relation (-1 to 1); fear (probability)", row=2, col=1)
    fig.update_layout(height=800, title="Quasi-alliance: observed test and model",
                      template=_TEMPLATE, hovermode="x unified")  # fmt: skip
    return fig


def coalition_figure(result: Any) -> go.Figure:
    """A scenario's coalition matrix as a heatmap, with the probabilities in the cells."""
    actors = list(result.actors)
    matrix = result.coalition()
    fig = go.Figure(
        go.Heatmap(
            z=matrix, x=actors, y=actors, zmin=0.0, zmax=1.0, colorscale="Blues",
            text=[[f"{v:.2f}" for v in row] for row in matrix], texttemplate="%{text}",
            colorbar={"title": "P(same bloc)"},
        )
    )  # fmt: skip
    fig.update_layout(
        title=f"{result.plan.name} ({result.plan.base_year}): probability of sharing a bloc, "
        f"{len(result.results)} draws, seed {result.seed}",
        xaxis_title="actor",
        yaxis_title="actor",
        yaxis={"autorange": "reversed"},
        template=_TEMPLATE,
    )
    return fig


# --------------------------------------------------------------------------- evidence


def _lines(x: list[Any], series: dict[str, list[Any]], title: str, xtitle: str,
           ytitle: str) -> go.Figure:  # fmt: skip
    fig = go.Figure(
        [go.Scatter(x=x, y=y, mode="lines+markers", name=name) for name, y in series.items()]
    )
    fig.update_layout(title=title, xaxis_title=xtitle, yaxis_title=ytitle, template=_TEMPLATE)
    return fig


def _bars(x: list[Any], series: dict[str, list[Any]], title: str, xtitle: str,
          ytitle: str) -> go.Figure:  # fmt: skip
    fig = go.Figure([go.Bar(name=name, x=x, y=y) for name, y in series.items()])
    fig.update_layout(barmode="group", title=title, xaxis_title=xtitle, yaxis_title=ytitle,
                      template=_TEMPLATE)  # fmt: skip
    return fig


_THREAT_AXES = {
    "disputes": "ongoing MID on opposite sides (0/1)",
    "relations": "relations (sd, all dyads of the source)",
    "un_agreement": "UN votes alike (share)",
    "idealpoint_distance": "ideal-point distance",
}


@EVIDENCE_FIGURES.decorator("threat_indicators_by_year")
def _threat(ev: Finding) -> go.Figure:
    by_year = ev.tables["by_year"]
    names = list(_THREAT_AXES)
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.05,
                        subplot_titles=[_THREAT_AXES[n] for n in names])  # fmt: skip
    colours = ("#1f77b4", "#d62728")
    for k, name in enumerate(names, start=1):
        for (dyad,), rows in by_year.group_by(["dyad"], maintain_order=True):
            colour = colours[sorted(by_year["dyad"].unique()).index(dyad) % 2]
            fig.add_trace(go.Scatter(x=rows["year"].to_list(), y=rows[name].to_list(),
                                     mode="lines+markers", name=str(dyad), legendgroup=str(dyad),
                                     showlegend=k == 1, line={"color": colour}),
                          row=k, col=1)  # fmt: skip
        fig.update_yaxes(title_text=_THREAT_AXES[name].split(" (")[0], row=k, col=1)
    fig.update_xaxes(title_text="year", row=len(names), col=1)
    fig.update_layout(height=900, title="Threat indicators toward the target, year by year",
                      template=_TEMPLATE)  # fmt: skip
    return fig


_ROLE_COLOURS = {"main": "#d62728", "named other": "#1f77b4", "other": "#7f7f7f"}


@EVIDENCE_FIGURES.decorator("claim_salience")
def _claim_salience(ev: Finding) -> go.Figure:
    """Highest ICOW salience per partner, coloured by the role the statement gives it."""
    t = ev.table
    fig = go.Figure(
        [go.Bar(x=part["partner"].to_list(), y=part["max_salience"].to_list(),
                name=f"{role} partner", marker={"color": colour},
                hovertext=part["claim_names"].to_list())
         for role, colour in _ROLE_COLOURS.items()
         if (part := t.filter(pl.col("role") == role)).height]
    )  # fmt: skip
    fig.update_layout(
        title=ev.figure_args.get("title", "Highest ICOW claim salience"),
        xaxis_title="partner state (every state with an ICOW claim, and those the claim names)",
        yaxis_title="highest ICOW claim salience (index, 0-12)",
        yaxis_range=[0, 12],
        template=_TEMPLATE,
    )
    return fig


#: Each drawn leverage indicator: the panel's title and its y-axis title with the unit.
_LEVERAGE_AXES = {
    "alliance": ("ATOP pledge of the patron to the target",
                 "pledge (0 none, 1 non-aggr./consult., 2 offense/neutr., 3 defense)"),
    "arms_tiv": ("SIPRI arms delivered to the target", "TIV (millions) per year"),
    "trade": ("South Korea's trade with the patron", "exports + imports (US$ per year)"),
}  # fmt: skip


@EVIDENCE_FIGURES.decorator("leverage_by_patron")
def _leverage(ev: Finding) -> go.Figure:
    """Each patron's ties to the target year by year: alliance pledge, arms delivered, and
    trade where the bundle has it."""
    by_year = ev.tables["by_year"]
    names = [n for n in _LEVERAGE_AXES if by_year[n].drop_nulls().len()]
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[_LEVERAGE_AXES[n][0] for n in names])  # fmt: skip
    for k, name in enumerate(names, start=1):
        for (patron,), rows in by_year.group_by(["patron"], maintain_order=True):
            fig.add_trace(go.Scatter(x=rows["year"].to_list(), y=rows[name].to_list(),
                                     mode="lines+markers", name=str(patron),
                                     legendgroup=str(patron), showlegend=k == 1,
                                     line={"shape": "hv"}),
                          row=k, col=1)  # fmt: skip
        fig.update_yaxes(title_text=_LEVERAGE_AXES[name][1], row=k, col=1)
    fig.update_xaxes(title_text="year", row=len(names), col=1)
    title = ev.figure_args.get("title", "Ties of each patron to the target")
    fig.update_layout(height=300 * len(names) + 150, template=_TEMPLATE, title=title)
    return fig


@EVIDENCE_FIGURES.decorator("quasi_event_study")
def _quasi(ev: Finding) -> go.Figure:
    signals = ev.table.filter(pl.col("observable"))
    colours = ["#d62728" if d < 0 else "#1f77b4" for d in signals["direction"].to_list()]
    fig = go.Figure(
        go.Bar(x=[str(d) for d in signals["date"].to_list()], y=signals["difference"].to_list(),
               marker={"color": colours}, name="relations in the window minus outside",
               text=[f"{r} | {s}" for r, s in zip(signals["reaches"].to_list(),
                                                  signals["source"].to_list(), strict=True)])
    )  # fmt: skip
    fig.update_layout(
        title="Clients' relations after each commitment signal (red: reduced, blue: raised)",
        xaxis_title="date of the signal",
        yaxis_title="difference in relations (sd of the source)",
        template=_TEMPLATE,
    )
    return fig


def pair_contributions(audit: pl.DataFrame, pair: tuple[str, str] | list[str]) -> pl.DataFrame:
    """A pair's propensity by year and component (``animosity.*`` summed into ``animosity``):
    ``year, component, contribution``, from a propensity audit."""
    a, b = pair
    rows = audit.filter(((pl.col("actor1") == a) & (pl.col("actor2") == b))
                        | ((pl.col("actor1") == b) & (pl.col("actor2") == a)))  # fmt: skip
    return (
        rows.with_columns(pl.col("component").str.split(".").list.first())
        .group_by("year", "component", maintain_order=True)
        .agg(pl.col("contribution").sum())
        .sort("year", maintain_order=True)
    )


def audit_figure(audit: pl.DataFrame, pair: tuple[str, str] | list[str]) -> go.Figure:
    """Why a pair attracts or repels: its propensity by year, one stacked bar per component
    (above 0 attracts, below repels), with the total as a line."""
    fig = go.Figure()
    _add_contributions(fig, pair_contributions(audit, pair), None)
    fig.update_layout(barmode="relative", template=_TEMPLATE,
                      title=f"Propensity audit of {pair[0]}-{pair[1]}: each component's "
                      "contribution", xaxis_title="year",
                      yaxis_title="contribution to the propensity (index units)")  # fmt: skip
    return fig


def _add_contributions(fig: go.Figure, parts: pl.DataFrame, row: int | None) -> None:
    where = {"row": row, "col": 1} if row is not None else {}
    years = sorted(set(parts["year"].to_list()))
    for (component,), rows in parts.group_by(["component"], maintain_order=True):
        fig.add_trace(go.Bar(x=[str(y) for y in rows["year"].to_list()],
                             y=rows["contribution"].to_list(), name=str(component),
                             legendgroup="audit"), **where)  # fmt: skip
    totals = parts.group_by("year").agg(pl.col("contribution").sum()).sort("year")
    fig.add_trace(go.Scatter(x=[str(y) for y in years], y=totals["contribution"].to_list(),
                             mode="markers+lines", name="propensity (sum)",
                             line={"color": "#222"}, legendgroup="audit"), **where)  # fmt: skip


_WITH_WITHOUT = {
    "pair together, with patron": "pair_together_with_patron",
    "pair together, without patron": "pair_together_without_patron",
    "first of pair with rival, without patron": "first_with_rival_without_patron",
}


@EVIDENCE_FIGURES.decorator("landscape_with_without")
def _landscape(ev: Finding) -> go.Figure:
    """Top: shares of basins with and without the patron. Bottom (when the finding has an
    audit): the pair's propensity by component, year by year."""
    t = ev.table
    years = [str(y) for y in t["year"].to_list()]
    pair: list[str] | None = ev.figure_args.get("pair")
    audit = ev.tables.get("audit")
    titles = ["Landscape with and without the patron"]
    if pair is not None and audit is not None and audit.height:
        titles.append(f"Why {pair[0]}-{pair[1]} attract or repel: the propensity audit")
    fig = make_subplots(rows=len(titles), cols=1, vertical_spacing=0.12, subplot_titles=titles)
    for name, column in _WITH_WITHOUT.items():
        fig.add_trace(
            go.Scatter(x=years, y=t[column].to_list(), name=name, mode="lines+markers"),
            row=1,
            col=1,
        )
    fig.update_yaxes(title_text="share of basins (starting configurations)", range=[-0.05, 1.05],
                     row=1, col=1)  # fmt: skip
    if len(titles) == 2 and pair is not None and audit is not None:
        _add_contributions(fig, pair_contributions(audit, pair), 2)
        fig.update_yaxes(title_text="contribution to the propensity (index units)", row=2, col=1)
    fig.update_xaxes(title_text="year")
    fig.update_layout(barmode="relative", height=450 * len(titles), template=_TEMPLATE,
                      title="Landscape with and without the patron")  # fmt: skip
    return fig


@EVIDENCE_FIGURES.decorator("percentile_by_decade")
def _percentile(ev: Finding) -> go.Figure:
    t = ev.table
    up = (t["percentile_high"] - t["percentile"]).to_list()
    down = (t["percentile"] - t["percentile_low"]).to_list()
    fig = go.Figure(
        go.Scatter(x=t["decade"].to_list(), y=t["percentile"].to_list(), mode="lines+markers",
                   name="percentile of expected cooperation",
                   error_y={"type": "data", "symmetric": False, "array": up, "arrayminus": down})
    )  # fmt: skip
    if (
        "percentile_shared_patron" in t.columns
        and t["percentile_shared_patron"].is_not_null().any()
    ):
        fig.add_trace(go.Scatter(x=t["decade"].to_list(), y=t["percentile_shared_patron"].to_list(),
                                 mode="lines+markers", name="among shared-patron dyads",
                                 line={"dash": "dash"}))  # fmt: skip
    fig.update_layout(
        title=ev.figure_args.get("title", "Percentile of the dyad among all dyads"),
        xaxis_title="decade", yaxis_title="percentile among all dyads (100 = most expected)",
        yaxis_range=[0, 100], template=_TEMPLATE,
    )  # fmt: skip
    return fig


@EVIDENCE_FIGURES.decorator("scenario_probabilities")
def _scenarios(ev: Finding) -> go.Figure:
    t = ev.table
    columns = [c for c in t.columns if c.startswith("p_") and "_with_" in c]
    fig = _bars(t["scenario"].to_list(), {c: t[c].to_list() for c in columns},
                "Scenario probabilities of sharing a bloc", "scenario",
                "probability of sharing a bloc (0-1)")  # fmt: skip
    fig.update_layout(yaxis_range=[0, 1])
    return fig
