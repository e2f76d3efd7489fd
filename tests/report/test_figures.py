"""Every figure the package draws, built from small real runs: each axis has a title with one
unit, and year axes have integer ticks (issue 17's figure audit).

One small study (every evidence kind, short spans, few draws) and one run of each analysis
feed every figure; the expected-cooperation run is made once and shared by the kind, since
building its design frame is most of the module's time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import polars as pl
import pytest

from allegiance.report import figures
from allegiance.report.figures import EVIDENCE_FIGURES, MEASURE_AXES

STUDY = """
title = "Every figure, small"
years = "1995-2005"

[actors]
USA = 2
Russia = 365
China = 710
DPRK = 731
ROK = 732
Japan = 740

[[claims]]
id = "expected"
statement = "Japan and ROK cooperate less than expected."
kind = "expected_percentile"
[claims.params]
dyad = ["ROK", "Japan"]
outcome = "atop_defense"
years = "1995-2005"
split = 2001
n_draws = 5
seed = 1
formula = "log_capdist + contiguity"

[[claims]]
id = "threat"
statement = "South Korea treats China as less of a threat than Japan does."
kind = "threat_comparison"
params = { subject = "ROK", other = "Japan", target = "China" }

[[claims]]
id = "territory"
statement = "South Korea's main territorial dispute is with Japan."
kind = "territorial_claims"
params = { subject = "ROK", main = "Japan", others = ["China"] }

[[claims]]
id = "leverage"
statement = "China has more leverage over North Korea than the United States."
kind = "leverage"
params = { target = "DPRK", candidate = "China", rivals = ["USA"] }

[[claims]]
id = "quasi"
statement = "Japan-ROK relations follow their fears of US abandonment."
kind = "quasi_alliance"
[claims.params]
patron = "USA"
clients = ["ROK", "Japan"]
years = "1966-1980"
window = 24
seed = 1
permutations = 9

[[claims]]
id = "without_us"
statement = "Without the US, Japan and ROK would balance against each other."
kind = "landscape_without"
params = { remove = "USA", pair = ["ROK", "Japan"], rival = "China", years = [2000] }

[[claims]]
id = "realignment"
statement = "As US weight falls, ROK aligns with China rather than Japan."
kind = "scenario_alignment"
[claims.params]
subject = "ROK"
toward = "China"
away = "Japan"
baseline = "baseline"
test = ["us_drawdown"]
draws = 20
seed = 1
"""


@pytest.fixture(scope="module")
def expected() -> Any:
    from allegiance.runs.expected import run_expected

    return run_expected(years=range(1995, 2006), split=2001, estimators=("logit",), n_draws=5,
                        formula="log_capdist + contiguity", dyad=(732, 740), seed=1)  # fmt: skip


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory, expected: Any) -> Iterator[Any]:
    """The small study's result, every claim computed (a fresh cache)."""
    from allegiance.study.runner import run_study
    from allegiance.study.spec import load_study

    folder = tmp_path_factory.mktemp("figures")
    path = folder / "study.toml"
    path.write_text(STUDY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ALLEGIANCE_CACHE", str(folder / "cache"))
        env.setattr("allegiance.runs.expected.run_expected", lambda **_: expected)
        yield run_study(load_study(path))


@pytest.fixture(scope="module")
def drawn(study: Any, expected: Any) -> dict[str, go.Figure]:
    """Every figure, by the name of the function (or evidence figure) that draws it."""
    from allegiance.measures.registry import compute
    from allegiance.panel.build import build_panel
    from allegiance.runs.quasi import run_quasi
    from allegiance.runs.scenario import run_scenario

    out: dict[str, go.Figure] = {}
    for claim in study.claims:
        out[claim.evidence.finding.figure] = figures.evidence_figure(claim.evidence)
    out["percentile_figure"] = figures.percentile_figure(expected, "ROK-Japan")
    quasi = run_quasi(years=range(1966, 1981), permutations=9, seed=1)
    out["quasi_figure"] = figures.quasi_figure(quasi, {732: "ROK", 740: "Japan"})
    out["coalition_figure"] = figures.coalition_figure(run_scenario("baseline", draws=20, seed=1))
    landscape = next(c.evidence.finding for c in study.claims if c.claim.id == "without_us")
    out["audit_figure"] = figures.audit_figure(landscape.tables["audit"],
                                               landscape.figure_args["pair"])  # fmt: skip
    history = (
        build_panel("dyad_year", years=range(1966, 2025), directed=True, states=[740, 732],
                    families=["gml_mids", "atop", "troops"]).collect()
        .filter((pl.col("ccode1") == 740) & (pl.col("ccode2") == 732))
    )  # fmt: skip
    relations = compute("relations", range(1966, 2025), dyads=[(740, 732)])
    out["dyad_figure"] = figures.dyad_figure("relations", relations, history, (740, 732))
    agreement = compute("un_agreement", range(1990, 2001), dyads=[(740, 732)])
    out["dyad_figure (un_agreement)"] = figures.dyad_figure(
        "un_agreement", agreement, history.filter(pl.col("year").is_between(1990, 2000)),
        (740, 732),
    )  # fmt: skip
    return out


def test_every_figure_is_drawn(drawn: dict[str, go.Figure]) -> None:
    # a new figure function or evidence figure must join this audit
    functions = {n for n in figures.__all__ if n.endswith("_figure") and n != "evidence_figure"}
    assert set(EVIDENCE_FIGURES) | functions <= set(drawn)


def _axes(fig: go.Figure) -> dict[str, Any]:
    """Layout axes that carry data, by their trace reference (``x``, ``y2``, ...)."""
    used: dict[str, list[Any]] = {}
    for trace in fig.data:
        for letter in ("x", "y"):
            ref = getattr(trace, f"{letter}axis", None) or letter
            values = getattr(trace, letter, None)
            used.setdefault(ref, []).extend([] if values is None else list(values))
    out = {}
    for ref, values in used.items():
        axis = fig.layout[f"{ref[0]}axis{ref[1:]}"]
        if axis.visible is not False:
            out[ref] = (axis, values)
    return out


def _numeric(values: list[Any]) -> bool:
    return any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _unit_groups(title: str) -> int:
    """Top-level parenthesized groups of an axis title (its unit)."""
    depth = groups = 0
    for char in title:
        if char == "(":
            groups += depth == 0
            depth += 1
        elif char == ")":
            depth -= 1
    return groups


@pytest.mark.parametrize(
    "name",
    [*EVIDENCE_FIGURES, "percentile_figure", "quasi_figure", "coalition_figure", "audit_figure",
     "dyad_figure", "dyad_figure (un_agreement)"],
)  # fmt: skip
def test_axes_have_one_unit_and_year_axes_whole_years(
    drawn: dict[str, go.Figure], name: str
) -> None:
    fig = drawn[name]
    axes = _axes(fig)
    assert axes
    problems = []
    for ref, (axis, values) in axes.items():
        title = (axis.title.text or "").strip()
        if not title and axis.matches and axis.showticklabels is False:
            # a shared axis without labels reads off the one it matches
            title = (fig.layout[f"{ref[0]}axis{axis.matches[1:]}"].title.text or "").strip()
        if not title:
            problems.append(f"{ref} has no title")
            continue
        if title == "year" or title.startswith("decade"):
            whole = axis.dtick is not None and float(axis.dtick) >= 1 and float(
                axis.dtick).is_integer()  # fmt: skip
            if axis.tickformat != "d" and not whole:
                problems.append(f"{ref} ({title!r}) would show fractional years")
        elif _numeric(values):
            if _unit_groups(title) != 1:
                problems.append(f"{ref} {title!r} needs one (unit)")
            if ";" in title.split("(")[0]:
                problems.append(f"{ref} {title!r} mixes quantities")
    assert not problems, f"{name}: {problems}"


def test_relations_are_drawn_by_source_with_gaps(drawn: dict[str, go.Figure]) -> None:
    fig = drawn["dyad_figure"]
    sources = [t for t in fig.data if t.legendgroup == "relations"]
    assert [t.name for t in sources] == ["WEIS", "ICEWS", "GDELT"]  # Japan-ROK: no COPDAB
    for trace in sources:
        by_year = dict(zip(trace.x, trace.y, strict=True))
        assert all(by_year[y] is None for y in (*range(1993, 2002), 2015, 2016, 2017))
        assert trace.connectgaps is False
    weis = dict(zip(sources[0].x, sources[0].hovertext, strict=True))
    assert re.fullmatch(r"1973: -?\d+\.\d\d sd, source WEIS, \d+ events", weis[1973])


def test_every_measure_has_an_explorer_axis_title_with_a_unit() -> None:
    from allegiance.measures.registry import MEASURES

    assert set(MEASURES) <= set(MEASURE_AXES)
    assert all(_unit_groups(t) == 1 for t in MEASURE_AXES.values())


def test_the_reports_bibtex_lists_each_key_once(study: Any) -> None:
    from allegiance.report.html import render_report

    html = render_report(study)
    block = html.split('<pre id="bibtex-entries">', 1)[1].split("</pre>", 1)[0]
    keys = re.findall(r"^@\w+\{([^,]+),", block, flags=re.MULTILINE)
    assert keys and len(keys) == len(set(keys))
