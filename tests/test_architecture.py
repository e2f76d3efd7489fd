"""The layers hold: the import-linter contracts in pyproject.toml (layers, pure models, no
plotly in computation, no import cycles, private modules) are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_import_contracts_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    from importlinter.cli import lint_imports

    status = lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert status == 0, out
    assert "0 broken" in out and out.count("KEPT") == 5


def _layers() -> list[str]:
    import tomllib

    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    return [name.strip() for layer in layers for name in layer.split("|")]


def test_every_package_is_in_a_layer_and_in_the_architecture_page() -> None:
    import allegiance

    root = Path(allegiance.__file__).parent
    modules = {f"allegiance.{p.stem}" for p in root.iterdir()
               if (p.is_dir() and (p / "__init__.py").exists())
               or (p.suffix == ".py" and p.stem != "__init__")}  # fmt: skip
    assert modules == set(_layers())
    page = (CONFIG.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in page for name in modules)
