"""The documentation site builds with ``mkdocs build --strict``; its generated pages are current."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_site_builds_strict_without_warnings(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site"),
         "--config-file", str(ROOT / "mkdocs.yml")],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert "WARNING" not in log, log
    api = (tmp_path / "site" / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    for name in ("allegiance.panel.dyad_years", "allegiance.models.QuasiAlliance",
                 "allegiance.runs.run_scenario", "allegiance.codes.resolve"):  # fmt: skip
        assert f'id="{name}"' in api, name


def test_every_page_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
    assert [p for p in pages if f": {p}" not in config] == []


def test_data_sources_page_is_up_to_date() -> None:
    from allegiance.data.sources_page import sources_markdown

    page = (DOCS / "explanation" / "data-sources.md").read_text(encoding="utf-8")
    assert page == sources_markdown(), (
        "docs/explanation/data-sources.md is stale: run "
        "`python -m allegiance.data.sources_page > docs/explanation/data-sources.md`"
    )
