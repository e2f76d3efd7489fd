"""The CLI starts light (issue 17): a command loads only what it needs.

Each case runs the command in a fresh interpreter and lists the heavy libraries it imported;
``--help``, ``codes`` and ``data cite`` must import none of them. Timings are measured by
``benchmarks/startup.py``, not here.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from allegiance.cli import main as cli

HEAVY = ("polars", "numba", "statsmodels", "sklearn", "plotly")

PROBE = """
import json, os, sys
sys.argv = ["allegiance", *sys.argv[1:]]
code = 0
try:
    from allegiance.cli.main import main
    if len(sys.argv) > 1:
        main()
except SystemExit as exc:
    code = exc.code or 0
with open(os.environ["PROBE_OUT"], "w") as f:
    heavy = sorted(m for m in json.loads(os.environ["PROBE_HEAVY"]) if m in sys.modules)
    json.dump({"code": code, "heavy": heavy}, f)
"""


def _run(args: list[str], tmp_path: Path) -> dict[str, object]:
    out = tmp_path / "probe.json"
    env = {**os.environ, "PROBE_OUT": str(out), "PROBE_HEAVY": json.dumps(HEAVY),
           "ALLEGIANCE_CACHE": str(tmp_path / "cache")}  # fmt: skip
    subprocess.run([sys.executable, "-c", PROBE, *args], env=env, cwd=tmp_path,
                   capture_output=True, check=True)  # fmt: skip
    result: dict[str, object] = json.loads(out.read_text())
    return result


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["data", "cite", "atop"], ["data", "--help"], ["codes", "--help"],
     ["landscape", "--help"], ["panel", "--help"], ["model", "--help"]],
    ids=" ".join,
)  # fmt: skip
def test_command_imports_no_heavy_library(args: list[str], tmp_path: Path) -> None:
    result = _run(args, tmp_path)
    assert result == {"code": 0, "heavy": []}


def test_codes_imports_no_heavy_library_after_the_first_lookup(tmp_path: Path) -> None:
    """The first lookup reads the parquet code table (with polars) and keeps its rows as JSON
    in the cache folder; every later one reads the JSON."""
    _run(["codes", "Japan"], tmp_path)
    assert list((tmp_path / "cache" / "codes").glob("country_codes-*.json"))
    assert _run(["codes", "South Korea"], tmp_path) == {"code": 0, "heavy": []}
    assert _run(["codes", "Korea"], tmp_path) == {"code": 2, "heavy": []}  # ambiguous: exit 2


def test_listed_summaries_are_the_commands_own() -> None:
    """``allegiance --help`` lists the lazy commands from COMMANDS without importing them:
    each summary must be the first paragraph of the command's own help."""
    root = typer.main.get_command(cli.app)
    data = root.get_command(None, "data")  # type: ignore[attr-defined]
    for group, table in ((root, cli.COMMANDS), (data, cli.DATA_COMMANDS)):
        for name, (_, summary) in table.items():
            command = group.get_command(None, name)
            first = inspect.cleandoc(command.help or "").split("\n\n")[0].replace("\n", " ")
            assert summary == first.strip(), name
    assert set(root.list_commands(None)) == {*cli.COMMANDS, "data"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("given", [None, "dirty_decay_ms:5000"])
def test_command_sets_the_allocator_unless_the_user_did(given: str | None) -> None:
    """The command asks polars's jemalloc to return freed pages soon; a setting of the
    user's own is kept."""
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    if given is not None:
        env["_RJEM_MALLOC_CONF"] = given
    probe = "import os, allegiance.cli.main; print(os.environ['_RJEM_MALLOC_CONF'])"
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert done.stdout.strip() == (given or "dirty_decay_ms:100,muzzy_decay_ms:0")
