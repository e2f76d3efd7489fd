"""The study command end to end: claims, report, cache, and malformed study files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.errors import ParameterError
from allegiance.study.spec import load_study

STUDY = """
title = "A small test study"
years = "1990-2005"

[actors]
ROK = 732
Japan = 740
China = 710
DPRK = 731
USA = 2

[[claims]]
id = "territory"
statement = "South Korea's main territorial dispute is with Japan."
kind = "territorial_claims"
params = { subject = "ROK", main = "Japan", others = ["China"] }
thresholds = { min_salience = 6, max_other_salience = 4 }

[[claims]]
id = "leverage"
statement = "China has more leverage over North Korea than the United States."
kind = "leverage"
params = { target = "DPRK", candidate = "China", rivals = ["USA"] }
"""


class _Report(HTMLParser):
    """Collects claim sections, claims-table rows and plotly figure divs."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.rows: list[str] = []
        self.figures: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("class") == "claim":
            self.sections.append(a.get("data-claim") or "")
        if tag == "tr" and a.get("data-claim"):
            self.rows.append(a["data-claim"] or "")
        if tag == "div" and (a.get("id") or "").startswith("figure-"):
            self.figures.append(a["id"] or "")
        if tag == "script":
            self.scripts += 1


@pytest.fixture
def study_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "study.toml"
    path.write_text(STUDY, encoding="utf-8")
    return path


def test_study_writes_report_with_every_claim_and_figure(study_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["study", str(study_file), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "territory" in result.stdout and "leverage" in result.stdout
    parser = _Report()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    assert parser.sections == ["territory", "leverage"]
    assert parser.rows == ["territory", "leverage"]
    assert parser.figures == ["figure-0", "figure-1"]
    assert (out / "tables" / "territory.csv").exists()
    assert (out / "tables" / "leverage.parquet").exists()
    assert "0 of 2 claims from the cache" in result.stderr
    again = CliRunner().invoke(app, ["study", str(study_file), "--out", str(out)])
    assert again.exit_code == 0
    assert "2 of 2 claims from the cache" in again.stderr


def test_territory_verdict_reads_the_icow_claim(study_file: Path, tmp_path: Path) -> None:
    """Every ICOW partner counts, named in the study or not: the ROK's claim with North
    Korea (salience 11) outranks Dokdo (6), so Japan's is not the main one (see
    test_kind_territory.py for the raw values)."""
    import polars as pl

    out = tmp_path / "report"
    CliRunner().invoke(app, ["study", str(study_file), "--out", str(out)])
    claims = pl.read_csv(out / "claims.csv")
    assert claims.filter(pl.col("claim") == "territory")["verdict"].item() == "mixed"


@pytest.mark.parametrize(
    "change, message",
    [
        (("[actors]", "colour = 1\n[actors]"), r"study.toml:\d+: colour: unknown key"),
        (('years = "1990-2005"', "years = 1990"), r"study.toml:\d+: years: Input should be"),
        (("DPRK = 731", 'DPRK = "Atlantis"'), r"study.toml:\d+: actors.DPRK: Unknown country"),
        (('kind = "leverage"', 'kind = "astrology"'), r"study.toml:\d+: claims.1.kind: unknown"),
    ],
)
def test_malformed_study_files_name_the_place(
    study_file: Path, change: tuple[str, str], message: str
) -> None:
    study_file.write_text(STUDY.replace(*change, 1), encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load_study(study_file)
    result = CliRunner().invoke(app, ["study", str(study_file), "--out", "x"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_empty_claims_are_refused(study_file: Path) -> None:
    head = STUDY.split("[[claims]]")[0]
    text = head.replace("[actors]", "claims = []\n\n[actors]")
    study_file.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=r"study.toml:\d+: claims: List should have at least"):
        load_study(study_file)


def test_the_second_bundled_study_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Greece-Turkey-US: the study format is not tied to Northeast Asia."""
    from allegiance.study.runner import claims_table, run_study
    from allegiance.study.spec import bundled_study

    monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path / "cache"))
    spec = load_study(bundled_study("greece_turkey"))
    table = claims_table(run_study(spec))
    assert table["claim"].to_list() == [c.id for c in spec.claims]
    assert set(table["verdict"]) <= {"supported", "not supported", "mixed", "not testable",
                                      "projection"}  # fmt: skip


def test_bundled_northeast_asia_study_validates() -> None:
    from allegiance.study.spec import bundled_study

    spec = load_study(bundled_study())
    kinds = {c.kind for c in spec.claims}
    assert len(spec.claims) == 7
    assert {"expected_percentile", "quasi_alliance", "landscape_without", "threat_comparison",
            "territorial_claims", "leverage", "scenario_alignment"} == kinds  # fmt: skip


def test_study_refuses_a_folder_with_other_files(study_file: Path, tmp_path: Path) -> None:
    victim = tmp_path / "thesis"
    victim.mkdir()
    (victim / "chapter1.docx").write_text("important", encoding="utf-8")
    result = CliRunner().invoke(app, ["study", str(study_file), "--out", str(victim)])
    assert result.exit_code == 2
    assert "holds other files" in result.stderr
    assert (victim / "chapter1.docx").read_text(encoding="utf-8") == "important"


def test_a_damaged_cache_entry_is_recomputed(study_file: Path, tmp_path: Path) -> None:
    from allegiance.study.cache import cache_root

    out = tmp_path / "report"
    assert CliRunner().invoke(app, ["study", str(study_file), "--out", str(out)]).exit_code == 0
    for meta in cache_root().glob("*/meta.json"):
        meta.write_text("{}", encoding="utf-8")  # damage every entry
    again = CliRunner().invoke(app, ["study", str(study_file), "--out", str(out)])
    assert again.exit_code == 0, again.stderr
    assert "0 of 2 claims from the cache" in again.stderr


def test_reversed_study_years_name_the_place(study_file: Path) -> None:
    study_file.write_text(STUDY.replace('years = "1990-2005"', 'years = "2005-1990"'), "utf-8")
    with pytest.raises(ParameterError, match=r"study.toml:\d+: years: .*earlier to a later"):
        load_study(study_file)


@pytest.mark.parametrize(
    "change, message",
    [
        (('params = { target = "DPRK", candidate = "China", rivals = ["USA"] }',
          'params = { target = "DPRK", candidate = "China" }'),
         r"study.toml:\d+: claims.1.params: the kind 'leverage' needs 'rivals'"),
        (('rivals = ["USA"]', 'rivals = "USA"'),
         r"study.toml:\d+: claims.1.params: 'rivals' must be an array"),
        (('rivals = ["USA"]', 'rivals = ["USA"], colour = 1'),
         r"study.toml:\d+: claims.1.params: unknown parameter 'colour'"),
    ],
)  # fmt: skip
def test_claim_params_are_checked_against_the_kind(
    study_file: Path, change: tuple[str, str], message: str
) -> None:
    study_file.write_text(STUDY.replace(*change, 1), encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load_study(study_file)


THREAT_STUDY = """
title = "Threat, by hand"
years = "1991-2014"
[actors]
ROK = 732
Japan = 740
China = 710
[[claims]]
id = "threat"
statement = "South Korea treats China as less of a threat than Japan does."
kind = "threat_comparison"
params = { subject = "ROK", other = "Japan", target = "China" }
"""


def test_threat_verdict_follows_from_the_paired_years_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recompute the year-by-year comparison from the evidence table with plain Python and
    derive the verdict by the documented rule; the study's verdict must be that one."""
    import math

    import polars as pl

    monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "threat.toml"
    path.write_text(THREAT_STUDY, encoding="utf-8")
    out = tmp_path / "report"
    assert CliRunner().invoke(app, ["study", str(path), "--out", str(out)]).exit_code == 0
    by_year = pl.read_parquet(out / "tables" / "threat.by_year.parquet")
    rok = {r["year"]: r for r in by_year.filter(pl.col("ccode1") == 732).iter_rows(named=True)}
    jpn = {r["year"]: r for r in by_year.filter(pl.col("ccode1") == 740).iter_rows(named=True)}
    claimed_way = {"disputes": -1, "relations": 1, "un_agreement": 1, "idealpoint_distance": -1}
    testable, claimed, against = 0, 0, 0
    for col, sign in claimed_way.items():
        diffs = [sign * (rok[y][col] - jpn[y][col]) for y in rok
                 if y in jpn and rok[y][col] is not None and jpn[y][col] is not None]  # fmt: skip
        plus, minus = sum(d > 0 for d in diffs), sum(d < 0 for d in diffs)
        n = plus + minus

        def tail(k: int, n: int = n) -> float:
            return sum(math.comb(n, j) for j in range(k, n + 1)) / 2**n if n else 1.0

        if len(diffs) >= 10:
            testable += 1
            claimed += tail(plus) <= 0.05
            against += tail(minus) <= 0.05
    expected = ("supported" if claimed == testable and not against else
                "not supported" if not claimed else "mixed")  # fmt: skip
    claims = pl.read_csv(out / "claims.csv")
    row = claims.row(0, named=True)
    assert row["verdict"] == expected
    assert row["evidence_type"] == "evidence" and row["robustness"] in ("robust", "fragile")
    grid = pl.read_csv(out / "tables" / "threat.grid.csv")
    assert set(grid.columns) == {"alpha", "support_share", "min_years", "verdict"}


PROJECTION_STUDY = """
title = "A projection"
years = "1990-2001"
[actors]
ROK = 732
Japan = 740
China = 710
[[claims]]
id = "territory"
statement = "South Korea's main territorial dispute is with Japan."
kind = "territorial_claims"
params = { subject = "ROK", main = "Japan", others = ["China"] }
[[claims]]
id = "realignment"
statement = "As US weight falls, South Korea aligns with China rather than Japan."
kind = "scenario_alignment"
[claims.params]
subject = "ROK"
toward = "China"
away = "Japan"
test = ["us_drawdown"]
draws = 20
seed = 1
"""


def test_projections_have_their_own_section_with_their_shocks_and_no_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import polars as pl

    monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "p.toml"
    path.write_text(PROJECTION_STUDY, encoding="utf-8")
    out = tmp_path / "report"
    assert CliRunner().invoke(app, ["study", str(path), "--out", str(out)]).exit_code == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    claims_part, projections_part = html.split('<h2 id="projections">')
    assert 'id="claim-territory"' in claims_part and 'id="claim-realignment"' not in claims_part
    assert 'id="claim-realignment"' in projections_part.split('<h2 id="methods">')[0]
    shocks = pl.read_csv(out / "tables" / "realignment.shocks.csv")
    assert "size" in shocks["shock"].to_list() and set(shocks["scenario"]) == {
        "baseline",
        "us_drawdown",
    }
    row = (
        pl.read_csv(out / "claims.csv").filter(pl.col("claim") == "realignment").row(0, named=True)
    )
    assert row["verdict"] == "projection" and row["evidence_type"] == "projection"


_PLOT = re.compile(r'Plotly\.newPlot\(\s*"(figure-\d+)",\s*(.*?)\s*\)\s*};', re.S)


def _figures_and_tables(out: Path) -> tuple[list[tuple[str, str]], dict[str, bytes]]:
    """The figures' plotly JSON (data, layout, config as plotly writes them) by div id, and
    every file of the report but the HTML."""
    figures = _PLOT.findall((out / "index.html").read_text(encoding="utf-8"))
    files = {p.relative_to(out).as_posix(): p.read_bytes()
             for p in sorted(out.rglob("*")) if p.is_file() and p.name != "index.html"}  # fmt: skip
    return figures, files


def test_a_warm_report_is_the_cold_report(study_file: Path, tmp_path: Path) -> None:
    """Findings and figures from the cache give the report the cold run wrote: the same
    tables, figure JSON and HTML; with the figure cache emptied, the figures drawn again from
    the cached findings are the same too."""
    from allegiance.study.cache import cache_root

    outs = [tmp_path / name for name in ("cold", "warm", "redrawn")]
    runs = []
    for i, out in enumerate(outs):
        if i == 2:
            shutil.rmtree(cache_root() / "figures")
        result = CliRunner().invoke(app, ["study", str(study_file), "--out", str(out)])
        assert result.exit_code == 0, result.stderr
        runs.append(" ".join(result.stderr.split()))  # rich wraps long paths
    assert "0 of 2 claims from the cache" in runs[0]
    assert "2 of 2 claims from the cache" in runs[1] and "2 of 2" in runs[2]
    cold_figures, cold_files = _figures_and_tables(outs[0])
    assert [div for div, _ in cold_figures] == ["figure-0", "figure-1"]
    assert all(fig.startswith('[{"') and '"template"' in fig for _, fig in cold_figures)
    assert "tables/territory.csv" in cold_files and "tables/leverage.parquet" in cold_files
    cold_html = (outs[0] / "index.html").read_text(encoding="utf-8")
    for out in outs[1:]:
        assert _figures_and_tables(out) == (cold_figures, cold_files)
        assert (out / "index.html").read_text(encoding="utf-8") == cold_html


def test_a_cached_figure_is_replayed_until_the_drawing_code_changes(
    study_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm report takes each figure from the figure cache; the entry's key includes the
    drawing code's hash, so a different hash draws the figures anew."""
    from allegiance.report import figure_cache
    from allegiance.study.cache import cache_root

    out = tmp_path / "report"
    assert CliRunner().invoke(app, ["study", str(study_file), "--out", str(out)]).exit_code == 0
    stored = sorted((cache_root() / "figures").glob("*.html"))
    assert len(stored) == 2
    marker = '<div id="figure-from-the-cache-xyzzy"></div>'
    for path in stored:
        path.write_text(marker, encoding="utf-8")
    assert CliRunner().invoke(app, ["study", str(study_file), "--out", str(out)]).exit_code == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count(marker) == 2 and "Plotly.newPlot(" not in html
    monkeypatch.setattr(figure_cache, "_drawing_hash", lambda: "changed drawing code")
    assert CliRunner().invoke(app, ["study", str(study_file), "--out", str(out)]).exit_code == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert marker not in html and html.count("Plotly.newPlot(") == 2


_WARM_PROBE = """
import json, sys
from allegiance.cli.main import main
sys.argv = ["allegiance", "study", sys.argv[1], "--out", sys.argv[2]]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
heavy = ("plotly", "numba", "statsmodels", "sklearn", "scipy", "numpy")
print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def test_a_warm_study_imports_no_plotting_or_fitting_library(
    study_file: Path, tmp_path: Path
) -> None:
    """With every finding and figure cached, the study draws nothing and fits nothing: the
    evidence kinds import their computation (and numpy) only when they compute."""
    env = {**os.environ, "ALLEGIANCE_CACHE": str(tmp_path / "cache")}
    heavy = []
    for _ in range(2):
        run = subprocess.run([sys.executable, "-c", _WARM_PROBE, str(study_file),
                              str(tmp_path / "report")], env=env, capture_output=True,
                             text=True, check=True)  # fmt: skip
        heavy.append(json.loads(run.stdout.strip().splitlines()[-1]))
    assert "plotly" in heavy[0]  # the cold run drew the figures
    assert heavy[1] == []


def test_claims_computed_in_parallel_give_the_same_report(
    study_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--jobs 2 computes the two claims in two processes: the same tables and HTML as one
    after another, and the cache it fills is the one a sequential run reads."""
    outs = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path / f"cache{jobs}"))
        outs[jobs] = tmp_path / f"report{jobs}"
        args = ["study", str(study_file), "--out", str(outs[jobs]), "--jobs", jobs]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.stderr
        assert "0 of 2 claims from the cache" in " ".join(result.stderr.split())
    assert _figures_and_tables(outs["1"]) == _figures_and_tables(outs["2"])
    html = [(outs[j] / "index.html").read_text(encoding="utf-8") for j in ("1", "2")]
    assert html[0] == html[1]
    again = CliRunner().invoke(app, ["study", str(study_file), "--out", str(tmp_path / "again"),
                                     "--jobs", "1"])  # fmt: skip
    assert "2 of 2 claims from the cache" in " ".join(again.stderr.split())  # rich wraps paths


@pytest.mark.parametrize("jobs", ["0", "-3"])
def test_jobs_below_one_are_refused(study_file: Path, tmp_path: Path, jobs: str) -> None:
    result = CliRunner().invoke(app, ["study", str(study_file), "--out", str(tmp_path / "r"),
                                      "--jobs", jobs])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == f"Error: The '--jobs' option must be at least 1. Got {jobs}.\n"
    assert not (tmp_path / "r").exists()
    from allegiance.study.runner import run_study

    with pytest.raises(ParameterError, match="'jobs' parameter of run_study"):
        run_study(load_study(study_file), jobs=int(jobs))
