"""docs/reference/cli.md is generated from the commands' --help and must not drift."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "reference" / "cli.md"


def test_cli_reference_is_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "cli.md"
    subprocess.run(
        [sys.executable, "-m", "typer", "allegiance.cli.main", "utils", "docs",
         "--name", "allegiance", "--output", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    assert out.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8"), (
        "docs/reference/cli.md is stale: run `python -m typer allegiance.cli.main utils docs "
        "--name allegiance --output docs/reference/cli.md`"
    )
