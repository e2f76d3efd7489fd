"""The study report opens offline in headless Chromium and its figures render."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app

STUDY = """
title = "Browser test study"
years = "1990-2005"

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
id = "threat"
statement = "South Korea treats China as less of a threat than Japan does."
kind = "threat_comparison"
params = { subject = "ROK", other = "Japan", target = "China" }
"""


def test_report_figures_render_offline(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path / "cache"))
    study = tmp_path / "study.toml"
    study.write_text(STUDY, encoding="utf-8")
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["study", str(study), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    context = browser.new_context(offline=True)  # nothing may come from the network
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((out / "index.html").as_uri())
    page.wait_for_selector("#figure-1 .main-svg", timeout=15_000)
    assert page.locator("div[id^=figure-] .main-svg").count() >= 2
    assert page.locator("#claims-table tbody tr").count() == 2
    assert errors == []
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    context.close()
