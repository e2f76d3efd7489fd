"""Shared fixtures: where the raw upstream files are, and a seeded random generator."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]


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
