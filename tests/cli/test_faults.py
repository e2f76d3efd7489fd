"""Faults: a run killed mid-write leaves only debris the next run of the same target removes;
every output follows one permission rule."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from allegiance.report.writer import write_folder, write_frame, write_text

TMP = ".allegiance-tmp-"


def _debris(folder: Path, target: str) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{target}{TMP}")]


@pytest.mark.slow
def test_kill_9_while_writing_a_panel_leaves_a_temp_file_the_next_run_removes(
    tmp_path: Path,
) -> None:
    """A real ``panel dyads --out big.csv`` (about 100 MB) is killed (SIGKILL) while its
    temporary file is being written; the target is untouched and the next write of it
    removes the debris."""
    target = tmp_path / "big.csv"
    cmd = [sys.executable, "-m", "allegiance.cli", "panel", "dyads", "--directed",
           "--years", "1990-2016", "--add", "nmc", "--out", str(target)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _debris(tmp_path, target.name) and proc.poll() is None:
        assert time.monotonic() < deadline, "the panel was not written in time"
        time.sleep(0.002)
    if proc.poll() is not None:
        pytest.skip("the run finished before it could be killed mid-write")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _debris(tmp_path, target.name), "the killed run should leave its temporary file"
    assert not target.exists()
    frame = pl.DataFrame({"ccode1": [2], "ccode2": [20]})
    write_frame(frame, target)
    assert _debris(tmp_path, target.name) == []
    assert pl.read_csv(target).equals(frame)


def _dead_pid() -> int:
    """The pid of a process that has exited (as a SIGKILLed run's would be)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_runs_temporary_folder_is_removed_by_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "report"
    stale = tmp_path / f".report{TMP}{_dead_pid()}"
    stale.mkdir()
    (stale / "index.html").write_text("half")
    write_folder(out, {"index.html": lambda p: p.write_text("whole")})
    assert (out / "index.html").read_text() == "whole"
    assert _debris(tmp_path, "report") == []


def test_a_live_runs_temporary_file_is_left_alone(tmp_path: Path) -> None:
    """Two runs writing the same target: the other's temporary file (its pid is alive)
    stays."""
    other = tmp_path / f".x.csv{TMP}{os.getppid()}"
    other.write_text("in progress")
    write_text(tmp_path / "x.csv", "a\n")
    assert other.exists()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_one_permission_rule_for_files_and_folders(tmp_path: Path) -> None:
    """Files get 0666 and folders 0777, less the umask, whatever writes them."""
    old = os.umask(0o022)
    try:
        write_folder(tmp_path / "run", {"a.csv": lambda p: p.write_text("x"),
                                        "sub/b.csv": lambda p: p.write_text("y")})  # fmt: skip
        write_text(tmp_path / "one.txt", "z")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "run") == _mode(tmp_path / "run" / "sub") == 0o755
    assert _mode(tmp_path / "run" / "a.csv") == _mode(tmp_path / "one.txt") == 0o644
    assert _mode(tmp_path / "run" / "sub" / "b.csv") == 0o644
