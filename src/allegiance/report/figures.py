"""Every figure the package draws, each a function of a run result or of a claim's evidence.

Computation never imports plotly: runs return results and evidence kinds name their figure
(``Evidence.figure``); this module draws them. Evidence figures are registered by name in
:data:`EVIDENCE_FIGURES`. Every axis has a title with its unit, one unit per axis (a second
quantity gets its own panel or a right-hand axis), and year axes have integer ticks
(:data:`YEAR_TICKS`; ``tests/report/test_figures.py`` checks all three on every figure).
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
    "MEASURE_AXES",
    "PLOTLY_JS",
    "YEAR_TICKS",
    "audit_figure",
    "coalition_figure",
    "dyad_figure",
    "evidence_figure",
    "pair_contributions",
    "percentile_figure",
    "quasi_figure",
    "relations_traces",
]

_TEMPLATE = "plotly_white"
#: Tick format of every year (and decade) axis: whole years, never 1,990.5.
YEAR_TICKS = {"tickformat": "d"}
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
        yaxis_title="percentile among all dyads (0-100; 100 = highest expectation)",
        yaxis_range=[0, 100],
        template=_TEMPLATE,
    )
    fig.update_xaxes(**YEAR_TICKS)
    return fig


_SOURCE_COLOURS = {"weis": "#1f77b4", "copdab": "#9467bd", "icews": "#2ca02c", "gdelt": "#ff7f0e"}
_RELATION_LEVEL = {"friction": -1, "baseline": 0, "cooperation": 1}


def quasi_figure(result: QuasiResult, names: dict[int, str]) -> go.Figure:
    """Observed relations by source with the patron's dated signals, and the prediction.

    Top: the clients' observed relations (standardized within each source, one colour per
    source, months where the source has them and years for ICEWS) with every commitment
    signal as a dated line (red: reduced, blue: raised). Middle: the model's predicted
    relation per year. Bottom: its fears of abandonment per client (a probability: its own
    panel, not the relation's axis).
    """
    fig = make_subplots(
        rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07, row_heights=[0.5, 0.25, 0.25],
        subplot_titles=("Observed relations of the clients, by source, and the patron's signals",
                        "Predicted relation", "Fears of abandonment"),
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
                   mode="markers+lines", name="predicted relation",
                   line={"shape": "hv", "color": "#444"}),
        row=2, col=1,
    )  # fmt: skip
    for n, code in enumerate(result.clients, start=1):
        fig.add_trace(
            go.Scatter(x=years, y=pred[f"abandonment_{n}"].to_list(),
                       name=f"fear of abandonment, {names.get(code, str(code))}",
                       line={"dash": "dot"}),
            row=3, col=1,
        )  # fmt: skip
    fig.update_xaxes(**YEAR_TICKS)
    fig.update_xaxes(title_text="year", row=3, col=1)
    fig.update_yaxes(title_text="relations<br>(standard deviations of the source)", row=1, col=1)
    fig.update_yaxes(title_text="relation (-1 friction,<br>0 baseline, 1 cooperation)",
                     tickvals=[-1, 0, 1], range=[-1.2, 1.2], row=2, col=1)  # fmt: skip
    fig.update_yaxes(title_text="fear of abandonment<br>(probability, 0-1)", range=[0, 1],
                     row=3, col=1)  # fmt: skip
    fig.update_layout(height=900, title="Quasi-alliance: observed test and model",
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
            colorbar={"title": "P(same bloc), 0-1"},
        )
    )  # fmt: skip
    fig.update_layout(
        title=f"{result.plan.name} ({result.plan.base_year}): probability of sharing a bloc, "
        f"{len(result.results)} draws, seed {result.seed}",
        xaxis_title="actor (state in the scenario)",
        yaxis_title="actor (state in the scenario)",
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


#: Each threat indicator: its panel's title and its y-axis title with the unit.
_THREAT_AXES = {
    "disputes": ("Ongoing MID with the target on opposite sides",
                 "ongoing MID<br>(0 no, 1 yes)"),
    "relations": ("Observed relations with the target (event data)",
                  "relations<br>(sd of all dyads in the source)"),
    "un_agreement": ("UN General Assembly votes alike with the target",
                     "roll calls voted alike<br>(share, 0-1)"),
    "idealpoint_distance": ("Distance of UN ideal points from the target",
                            "ideal-point distance<br>(ideal-point scale)"),
}  # fmt: skip


@EVIDENCE_FIGURES.decorator("threat_indicators_by_year")
def _threat(ev: Finding) -> go.Figure:
    by_year = ev.tables["by_year"]
    names = list(_THREAT_AXES)
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.05,
                        subplot_titles=[_THREAT_AXES[n][0] for n in names])  # fmt: skip
    colours = ("#1f77b4", "#d62728")
    for k, name in enumerate(names, start=1):
        for (dyad,), rows in by_year.group_by(["dyad"], maintain_order=True):
            colour = colours[sorted(by_year["dyad"].unique()).index(dyad) % 2]
            fig.add_trace(go.Scatter(x=rows["year"].to_list(), y=rows[name].to_list(),
                                     mode="lines+markers", name=str(dyad), legendgroup=str(dyad),
                                     showlegend=k == 1, line={"color": colour}),
                          row=k, col=1)  # fmt: skip
        fig.update_yaxes(title_text=_THREAT_AXES[name][1], row=k, col=1)
    fig.update_xaxes(**YEAR_TICKS)
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
    fig.update_xaxes(**YEAR_TICKS)
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
    fig.update_xaxes(**YEAR_TICKS)
    return fig


def _add_contributions(fig: go.Figure, parts: pl.DataFrame, row: int | None) -> None:
    where = {"row": row, "col": 1} if row is not None else {}
    years = sorted(set(parts["year"].to_list()))
    for (component,), rows in parts.group_by(["component"], maintain_order=True):
        fig.add_trace(go.Bar(x=rows["year"].to_list(),
                             y=rows["contribution"].to_list(), name=str(component),
                             legendgroup="audit"), **where)  # fmt: skip
    totals = parts.group_by("year").agg(pl.col("contribution").sum()).sort("year")
    fig.add_trace(go.Scatter(x=years, y=totals["contribution"].to_list(),
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
    years = t["year"].to_list()
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
    fig.update_yaxes(title_text="share of basins (0-1 of starting configurations)",
                     range=[-0.05, 1.05], row=1, col=1)  # fmt: skip
    if len(titles) == 2 and pair is not None and audit is not None:
        _add_contributions(fig, pair_contributions(audit, pair), 2)
        fig.update_yaxes(title_text="contribution to the propensity (index units)", row=2, col=1)
    fig.update_xaxes(title_text="year", **YEAR_TICKS)
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
        xaxis_title="decade (its first year)",
        yaxis_title="percentile among all dyads (0-100; 100 = most expected)",
        yaxis_range=[0, 100], template=_TEMPLATE,
    )  # fmt: skip
    fig.update_xaxes(**YEAR_TICKS)
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


# --------------------------------------------------------------------------- dyad explorer

#: The dyad explorer's y-axis title of each measure, with its unit or range as the measure's
#: docstring gives it (``allegiance measure --help`` lists the measures).
MEASURE_AXES: dict[str, str] = {
    "sscore": "S of alliance portfolios (-1 to 1)",
    "pi": "Scott's pi of alliance portfolios (at most 1)",
    "kappa": "Cohen's kappa of alliance portfolios (at most 1)",
    "taub": "tau-b of alliance portfolios (-1 to 1)",
    "un_agreement": "share of UN roll calls voted alike (0-1)",
    "un_kappa": "kappa of UN votes (at most 1; 0 = chance)",
    "idealpoint_distance": "UN ideal-point distance (ideal-point scale, >= 0)",
    "common_rivals": "common strategic rivals (number of states)",
    "common_opponents": "common MID opponents in the window (number of states)",
    "third_party_threat": "third-party threat (CINC share weighted by proximity and hostility)",
    "animosity": "animosity index (0-1)",
    "religion_similarity": "religious similarity (0-1)",
    "common_language": "common official language (0 no, 1 yes)",
    "us_commitment": "US commitment to state A (composite, 0-1)",
    "capability_ratio": "CINC of A / CINC of B (ratio)",
    "relations": "relations (standard deviations of the dyad's own history in the source)",
}

#: Display names of the relations sources and what their count ``relations_n`` counts.
_SOURCE_NAMES = {"weis": "WEIS", "copdab": "COPDAB", "icews": "ICEWS", "gdelt": "GDELT"}
_SOURCE_COUNTS = {
    "weis": "events",
    "copdab": "months with events",
    "icews": "events",
    "gdelt": "days with data (GDELT has no event count)",
}


def _finite(value: Any) -> float | None:
    """``value`` as a float, or None where it is null or not finite (a gap in a line)."""
    if value is None:
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def relations_traces(rows: pl.DataFrame) -> list[go.Scatter]:
    """The ``relations`` measure of one dyad, one trace per source.

    Each trace spans every period of ``rows`` and is null outside its source's periods, so a
    line never crosses a change of source, a period no source covers or a period the source
    covers without an event; the hover gives the period, value, source and count behind it.
    Periods are years, or ``year + (month - 1) / 12`` where ``rows`` has a ``month``.
    """
    monthly = "month" in rows.columns
    when = [y + (m - 1) / 12 for y, m in zip(rows["year"], rows["month"], strict=True)] if (
        monthly) else rows["year"].to_list()  # fmt: skip
    labels = ([f"{y}-{m:02d}" for y, m in zip(rows["year"], rows["month"], strict=True)]
              if monthly else [str(y) for y in rows["year"]])  # fmt: skip
    sources = rows["relations_source"].to_list()
    values = [_finite(v) for v in rows["relations"].to_list()]
    counts = rows["relations_n"].to_list()
    traces = []
    for source in dict.fromkeys(s for s in sources if s is not None):
        mine = [s == source for s in sources]
        name = _SOURCE_NAMES.get(source, source)
        traces.append(go.Scatter(
            x=when, y=[v if m else None for v, m in zip(values, mine, strict=True)],
            mode="lines+markers", connectgaps=False, name=name, legendgroup="relations",
            line={"color": _SOURCE_COLOURS.get(source)},
            hovertext=[f"{p}: {v:.2f} sd, source {name}, {n} {_SOURCE_COUNTS.get(source, '')}"
                       if m and v is not None else ""
                       for p, v, n, m in zip(labels, values, counts, mine, strict=True)],
            hoverinfo="text", meta={"source": source},
        ))  # fmt: skip
    return traces


def dyad_figure(name: str, measure: pl.DataFrame, history: pl.DataFrame,
                pair: tuple[int, int] | list[int]) -> go.Figure:  # fmt: skip
    """The dashboard's dyad explorer: measure ``name`` of a dyad year by year, with its marks.

    ``measure`` holds the measure's rows of the dyad (of state A for a state measure);
    ``history`` the dyad's ``year, gmlmidongoing, atop_defense, us_troops1, us_troops2``.
    The measure is one line (``relations``: one line per event source, broken where no source
    covers, :func:`relations_traces`), US troops in each state are dotted lines on a right
    axis, years with an ATOP defense pledge from A to B are green ticks and years with an
    ongoing GML MID are shaded red.
    """
    a, b = pair
    if name == "relations":
        traces: list[go.Scatter] = relations_traces(measure)
    else:
        traces = [go.Scatter(x=measure["year"].to_list(),
                             y=[_finite(v) for v in measure[name].to_list()],
                             mode="lines+markers", name=name)]  # fmt: skip
    years = history["year"].to_list()
    for column, label, colour in (
        ("us_troops1", "US troops in A", "#555555"),
        ("us_troops2", "US troops in B", "#8c564b"),
    ):
        traces.append(go.Scatter(x=years, y=history[column].to_list(), name=label, yaxis="y2",
                                 mode="lines", line={"dash": "dot", "color": colour}))  # fmt: skip
    pacts = history.filter(pl.col("atop_defense") == 1)["year"].to_list()
    tick = {"symbol": "line-ns-open", "size": 12, "color": "green"}
    traces.append(go.Scatter(x=pacts, y=[0] * len(pacts), name="defense pledge A→B",
                             mode="markers", yaxis="y3", hoverinfo="x+name",
                             marker=tick))  # fmt: skip
    shapes = [{"type": "rect", "xref": "x", "yref": "paper", "x0": y - 0.5, "x1": y + 0.5,
               "y0": 0, "y1": 1, "fillcolor": "rgba(220,0,0,0.15)", "line": {"width": 0}}
              for y in history.filter(pl.col("gmlmidongoing") == 1)["year"].to_list()]  # fmt: skip
    fig = go.Figure(traces)
    fig.update_layout(
        title=f"{name}: {a}–{b}", shapes=shapes, template=_TEMPLATE, legend={"orientation": "h"},
        xaxis={"title": {"text": "year"}, **YEAR_TICKS},
        yaxis={"title": {"text": MEASURE_AXES.get(name, name)}},
        yaxis2={"title": {"text": "US troops in the state (personnel)"}, "overlaying": "y",
                "side": "right", "rangemode": "tozero", "tickformat": ",d", "tickmode": "auto",
                "showgrid": False},
        yaxis3={"overlaying": "y", "visible": False, "range": [0, 10]},
    )  # fmt: skip
    return fig
