"""The self-contained HTML report of a study: claims, evidence, figures, methods, provenance."""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from allegiance.report.figure_cache import cached_figure_html
from allegiance.report.methods import render_doc
from allegiance.study.evidence import KINDS
from allegiance.study.runner import StudyResult

__all__ = ["render_report"]

_ENV = Environment(
    loader=PackageLoader("allegiance.report", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
)
_PREVIEW_ROWS = 40


def _figure_html(r: Any, div_id: str) -> str:
    """The claim's figure as an HTML ``div``, from the figure cache when its evidence is
    unchanged (then plotly is not imported), else drawn now."""

    def render() -> str:
        from allegiance.report.figures import evidence_figure

        html: str = evidence_figure(r.evidence).to_html(
            include_plotlyjs=False, full_html=False, div_id=div_id, config={"displaylogo": False}
        )
        return html

    return cached_figure_html(r.key, div_id, render)


@cache
def _plotlyjs() -> str:
    """plotly.js as plotly ships it (what ``plotly.offline.get_plotlyjs`` returns), read
    without importing plotly."""
    spec = find_spec("plotly")
    assert spec is not None and spec.submodule_search_locations is not None
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "package_data" / "plotly.min.js").read_bytes().decode("utf-8")


def _provenance(tables: set[str]) -> list[dict[str, Any]]:
    from allegiance.data import catalog
    from allegiance.data.bundle import provenance

    rows = []
    for name in sorted(tables):
        info = provenance()["tables"].get(name)
        if info is None:
            continue
        ds = catalog.get(info["dataset"])
        sha = ", ".join(f["sha256"][:16] for f in info["source_files"])
        rows.append({"table": name, "dataset": ds.name, "version": ds.version,
                     "rows": info["rows"], "years": info["years"], "sha256": sha})  # fmt: skip
    return rows


def _bibtex(tables: set[str]) -> str:
    from allegiance.data import catalog
    from allegiance.data.bundle import provenance

    datasets = sorted({provenance()["tables"][t]["dataset"] for t in tables
                       if t in provenance()["tables"]})  # fmt: skip
    keys = dict.fromkeys(k for d in datasets for k in catalog.get(d).citation_keys)
    references = catalog.references()
    return "\n\n".join(references[k] for k in keys)  # each entry once, as datasets share works


def _claim(i: int, r: Any) -> dict[str, Any]:
    ev = r.evidence
    finding = ev.finding
    preview = finding.table.head(_PREVIEW_ROWS)
    extra = [{"name": name, "columns": t.columns, "n_rows": t.height,
              "rows": [[_cell(v) for v in row] for row in t.head(_PREVIEW_ROWS).iter_rows()]}
             for name, t in finding.tables.items() if name != "by_year"]  # fmt: skip
    grid = ev.grid
    return {
        "id": r.claim.id, "statement": r.claim.statement, "kind": r.claim.kind,
        "evidence_type": ev.evidence_type, "verdict": ev.verdict, "why": ev.verdict_reason,
        "robustness": ev.robustness, "certainty": finding.certainty, "reason": finding.reason,
        "summary": finding.summary, "settle": finding.settle, "columns": preview.columns,
        "rows": [[_cell(v) for v in row] for row in preview.iter_rows()],
        "n_rows": finding.table.height, "tables": extra,
        "thresholds": ev.thresholds, "notes": dict(r.claim.why),
        "grid_columns": grid.columns, "grid_rows": [[_cell(v) for v in row]
                                                    for row in grid.iter_rows()],
        "figure": _figure_html(r, f"figure-{i}"),
    }  # fmt: skip


def render_report(result: StudyResult) -> str:
    """The report as one HTML string that opens offline (plotly.js is inlined once).

    Claims decided by observed data or by a model come first, with their verdict, its
    robustness over the grid of thresholds and the evidence; projections follow in a section
    of their own, with the shocks they rest on and no verdict.
    """
    from allegiance import __version__

    tables: set[str] = set()
    claims = []
    for i, r in enumerate(result.claims):
        tables.update(r.evidence.finding.sources)
        claims.append(_claim(i, r))
    kinds = sorted({r.claim.kind for r in result.claims})
    return _ENV.get_template("report.html.j2").render(
        spec=result.spec, claims=[c for c in claims if c["evidence_type"] != "projection"],
        projections=[c for c in claims if c["evidence_type"] == "projection"],
        all_claims=claims, version=__version__, plotlyjs=_plotlyjs(),
        methods=[{"kind": k, "html": render_doc(KINDS[k].doc)} for k in kinds],
        provenance=_provenance(tables), bibtex=_bibtex(tables),
    )  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
