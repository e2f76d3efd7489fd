"""The codebook: generated from the step registry, shipped as docs/variables.md, shown by CLI."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.panel import FAMILIES, dyad_years, state_years
from allegiance.panel.variables import codebook, codebook_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "variables.md"


def test_docs_variables_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == codebook_markdown(), (
        "docs/variables.md is stale: run `python -m allegiance.panel.variables > docs/variables.md`"
    )


def test_every_family_in_the_issue_is_registered() -> None:
    codebook()  # loads every step module
    wanted = "contiguity, atop, gml_mids, cow_mids, nmc, majors, democracy, min_distance, "
    wanted += "cap_distance, rivalries, igos, wars, troops, dca, exercises, claims, colonial, "
    wanted += "peace_years"
    assert set(wanted.split(", ")) <= set(FAMILIES)


def test_codebook_lists_exactly_the_columns_the_steps_add() -> None:
    book = codebook()
    panel = dyad_years(years=range(2000, 2001), directed=True, states=[2, 732, 740])
    for name, fam in FAMILIES.items():
        if "dyad_year" not in fam.units or name == "peace_years":
            continue
        added = set(fam.step(panel).collect().columns) - {"ccode1", "ccode2", "year"}
        listed = book.filter((pl.col("family") == name) & (pl.col("unit") == "dyad-year"))
        columns = {c for cell in listed["column"] for c in cell.split(", ")}
        assert added == columns, name
    sy = state_years(years=range(2000, 2001), states=[2, 732, 740])
    for name, fam in FAMILIES.items():
        if "state_year" not in fam.units or name == "peace_years":
            continue
        added = set(fam.step(sy).collect().columns) - {"ccode", "year"}
        listed = book.filter((pl.col("family") == name) & (pl.col("unit") == "state-year"))
        assert added == set(listed["column"]), name


def test_panel_variables_command_lists_columns() -> None:
    result = CliRunner().invoke(app, ["panel", "variables"])
    assert result.exit_code == 0
    assert "conttype" in result.stdout and "atop_defense" in result.stdout
