"""Start-up benchmark (issue 17): whole-process time and peak memory of short CLI commands.

Each command runs in ``--runs`` fresh processes (``python -m allegiance.cli ...``, after one
untimed warm-up run that fills the numba and OS caches); the table gives the minimum and the
median wall time, the minimum user+sys CPU seconds, the peak resident memory, and the target.
The ``floor`` rows time bare interpreters importing only the libraries the commands need
(typer, rich and pydantic, which typer parses options with; polars; numpy): what no change to
allegiance can go below. Then the heavy libraries each command imported (``--help``,
``codes`` and ``data cite`` must import none).

The ``allegiance`` imported is the one on ``PYTHONPATH``, so the same script measures another
checkout: ``PYTHONPATH=../main/src python benchmarks/startup.py``.

As an installed package would, the children keep compiled bytecode (in a temporary
``PYTHONPYCACHEPREFIX``, so nothing is written into the checkout), even where the environment
sets ``PYTHONDONTWRITEBYTECODE``; ``--no-bytecode`` compiles every module in every process
instead (what a checkout run with that variable set pays).

Usage: python benchmarks/startup.py [--runs 7] [--only help,codes,...] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("polars", "numba", "statsmodels", "sklearn", "plotly", "pyarrow", "pandas", "scipy")
STATES = "2,20,200,220,255,365,710,731,732,740,750,770"  # 12 actors

#: name, arguments, target whole-process seconds (None: no target), heavy modules forbidden
COMMANDS: list[tuple[str, list[str], float | None, bool]] = [
    ("help", ["--help"], 0.3, True),
    ("codes", ["codes", "South Korea"], None, True),
    ("data cite", ["data", "cite", "atop"], None, True),
    ("panel states", ["panel", "states", "--add", "nmc,democracy", "--out", "a.parquet"], 0.6,
     False),
    ("landscape 12", ["landscape", "--year", "2016", "--states", STATES], 1.0, False),
]  # fmt: skip

#: What the commands cannot go below: the interpreter, and the libraries a command needs
#: (typer parses options through pydantic; panels need polars; the landscape numpy too).
FLOORS: list[tuple[str, str]] = [
    ("python", "pass"),
    ("typer+rich", "import typer.main, typer._adapters, rich.console, rich.table"),
    ("+polars", "import typer.main, typer._adapters, rich.console, rich.table, polars"),
    ("+polars+numpy",
     "import typer.main, typer._adapters, rich.console, rich.table, polars, numpy"),
]  # fmt: skip

#: Runs a command like ``python -m allegiance.cli`` and then writes the heavy modules it
#: loaded to the file named by $STARTUP_MODULES.
_PROBE = """
import json, os, sys
sys.argv = ["allegiance", *sys.argv[1:]]
try:
    from allegiance.cli.main import main
    main()
except SystemExit:
    pass
finally:
    heavy = sorted(m for m in json.loads(os.environ["STARTUP_HEAVY"]) if m in sys.modules)
    with open(os.environ["STARTUP_MODULES"], "w") as f:
        json.dump(heavy, f)
"""


ENV = dict(os.environ)


def run_once(
    args: list[str], cwd: Path, command: list[str] | None = None
) -> tuple[float, float, float, str]:
    """One fresh process (``python -m allegiance.cli ARGS``, or ``command``): wall seconds,
    user+sys CPU seconds, peak MB, stdout and stderr."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command or [sys.executable, "-m", "allegiance.cli", *args],
            cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=ENV,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"{proc.args} exited with {proc.returncode}")
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def heavy_modules(args: list[str], cwd: Path) -> list[str]:
    """The heavy libraries a command imports (run once more, in a probe process)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "modules.json"
        env = {**ENV, "STARTUP_MODULES": str(target), "STARTUP_HEAVY": json.dumps(HEAVY)}
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run(
            [sys.executable, "-c", _PROBE, *args], cwd=cwd, env=env, check=False, **quiet
        )
        result: list[str] = json.loads(target.read_text())
        return result


def rows_of(text: str) -> int:
    """Rows written (``Wrote 17,511 rows``), else the lines printed."""
    match = re.search(r"Wrote ([\d,]+) rows", text)
    return int(match.group(1).replace(",", "")) if match else len(text.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="Timed processes per command (>= 5).")
    parser.add_argument("--only", default="", help="Comma-separated command names.")
    parser.add_argument("--no-bytecode", action="store_true", help="Compile modules every run.")
    opts = parser.parse_args()
    chosen = [c for c in COMMANDS if not opts.only or c[0] in opts.only.split(",")]
    probe = subprocess.run([sys.executable, "-c", "import allegiance; print(allegiance.__file__)"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    bytecode = "compiled every run" if opts.no_bytecode else "kept (as installed)"
    print(f"allegiance: {probe.stdout.strip()}   cores: {os.cpu_count()}   runs: {opts.runs}   "
          f"bytecode: {bytecode}   load: {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'command':<14} {'rows':>7} {'min s':>7} {'median s':>9} {'cpu s':>6} "
          f"{'peak MB':>8} {'target s':>9}  verdict")  # fmt: skip
    heavy: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        if opts.no_bytecode:
            ENV["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            ENV.pop("PYTHONDONTWRITEBYTECODE", None)
            ENV["PYTHONPYCACHEPREFIX"] = str(cwd / "pycache")
        for name, args, target, _ in chosen:
            run_once(args, cwd)  # warm-up: numba's on-disk cache, the OS file cache
            runs = [run_once(args, cwd) for _ in range(opts.runs)]
            walls = [r[0] for r in runs]
            best, median = min(walls), statistics.median(walls)
            cpu, peak = min(r[1] for r in runs), max(r[2] for r in runs)
            verdict = "-" if target is None else ("met" if best < target else "MISSED")
            shown = "-" if target is None else f"< {target}"
            print(f"{name:<14} {rows_of(runs[0][3]):>7,} {best:>7.3f} {median:>9.3f} {cpu:>6.2f} "
                  f"{peak:>8.0f} {shown:>9}  {verdict}")  # fmt: skip
            heavy[name] = heavy_modules(args, cwd)
        for name, code in FLOORS:
            runs = [run_once([], cwd, [sys.executable, "-c", code]) for _ in range(opts.runs)]
            walls = [r[0] for r in runs]
            print(f"{'floor ' + name:<22} {min(walls):>7.3f} {statistics.median(walls):>9.3f} "
                  f"{min(r[1] for r in runs):>6.2f} {max(r[2] for r in runs):>8.0f}")  # fmt: skip
    print(f"heavy modules loaded ({', '.join(HEAVY)}; * = must be none):")
    for name, args, _, light in chosen:
        loaded = ", ".join(heavy[name]) or "none"
        print(f"  {'*' if light else ' '} allegiance {' '.join(args)}: {loaded}")


if __name__ == "__main__":
    main()
