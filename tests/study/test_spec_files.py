"""Files a study names: shipped names stay names; the study's own files resolve inside its
folder; nothing outside it is read, a symbolic link included."""

from __future__ import annotations

from pathlib import Path

import pytest

from allegiance.errors import ParameterError
from allegiance.inputs.scenario import SCENARIO_DIR
from allegiance.study.spec import load_study

STUDY = """title = "A small study"
actors = { ROK = "South Korea", Japan = "Japan", China = "China" }
years = "1992-2010"

[[claims]]
id = "realign"
statement = "South Korea moves toward China as US weight falls."
kind = "scenario_alignment"
params = { subject = "ROK", toward = "China", away = "Japan", test = [TEST] }
"""


def _study(folder: Path, test: str) -> Path:
    path = folder / "study.toml"
    path.write_text(STUDY.replace("TEST", test))
    return path


def test_shipped_names_stay_and_own_files_resolve_inside_the_study_folder(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "drawdown.toml").write_text("name = 'x'\n")
    spec = load_study(_study(tmp_path, '"us_drawdown", "mine/drawdown.toml"'))
    assert spec.claims[0].params["test"] == [
        "us_drawdown",
        str((tmp_path / "mine" / "drawdown.toml").resolve()),
    ]


def test_a_shipped_file_named_by_path_is_allowed(tmp_path: Path) -> None:
    spec = load_study(_study(tmp_path, f'"{SCENARIO_DIR / "baseline.toml"}"'))
    assert spec.claims[0].params["test"] == [str((SCENARIO_DIR / "baseline.toml").resolve())]


@pytest.mark.parametrize("name", ["../secret.toml", "/etc/hostname", "link.toml"])
def test_a_file_outside_the_study_folder_is_refused(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    (tmp_path / "secret.toml").write_text("name = 'secret'\n")
    (folder / "link.toml").symlink_to(tmp_path / "secret.toml")
    with pytest.raises(ParameterError, match="is outside the folder of the file that names it"):
        load_study(_study(folder, f'"{name}"'))


def test_the_scenario_kind_names_the_shipped_scenario_folder() -> None:
    from allegiance.inputs.scenario import SCENARIO_DIR
    from allegiance.study import KINDS

    assert dict(KINDS["scenario_alignment"].files) == {"test": SCENARIO_DIR,
                                                       "baseline": SCENARIO_DIR}  # fmt: skip
