"""Shared fixtures: raw upstream files, a seeded generator, headless Chromium (Playwright)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]

# One OpenMP thread for scikit-learn's gradient boosting (and BLAS), in this process and in
# the CLI processes tests start: on a shared 2-core machine OpenMP's spinning threads made a
# 9,000-row fit take 20 s instead of 1 s. Results do not depend on the thread count. Set the
# variable yourself to test with more threads.
os.environ.setdefault("OMP_NUM_THREADS", "1")
# `allegiance study` computes claims one after another: the tests' studies are small, and a
# pool of fresh processes for each would cost more than it saves. tests/study/test_study.py
# runs the command with --jobs 2 and checks the report is the same.
os.environ.setdefault("ALLEGIANCE_JOBS", "1")


def _raw_dir() -> Path:
    env = os.environ.get("ALLEGIANCE_RAW")
    return Path(env) if env else (REPO.parent / "shared" / "data" / "raw").resolve()


RAW = _raw_dir()


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw upstream files (``../shared/data/raw``); tests that need them skip without them."""
    if not (RAW / "manifest.json").exists():
        pytest.skip(f"raw data not found at {RAW}")
    return RAW


@pytest.fixture
def seed() -> int:
    return 20240917


@pytest.fixture
def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A Chromium browser; skipped off CI when chromium or playwright is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed")
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("chromium is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()
