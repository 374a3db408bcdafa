"""Where a notebook finds the store, the goals and the action logs: argument, then environment
variable, then the project's data folder."""

from pathlib import Path

from socialkpi.presentation import notebook
from socialkpi.presentation.notebook import REPO


def test_store_path_argument_then_environment_then_default(monkeypatch, tmp_path):
    monkeypatch.delenv("SOCIALKPI_DB", raising=False)
    monkeypatch.chdir(tmp_path)  # nothing here: the default resolves against the repository
    assert notebook.store_path() == (REPO / "data" / "socialkpi.duckdb").resolve()
    monkeypatch.setenv("SOCIALKPI_DB", str(tmp_path / "env.duckdb"))
    assert notebook.store_path() == tmp_path / "env.duckdb"
    assert notebook.store_path(str(tmp_path / "arg.duckdb")) == tmp_path / "arg.duckdb"


def test_goals_dir_and_actions_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("SOCIALKPI_GOALS", raising=False)
    assert notebook.goals_dir() == REPO / "data" / "goals"
    monkeypatch.setenv("SOCIALKPI_GOALS", str(tmp_path))
    assert notebook.goals_dir() == tmp_path
    assert notebook.goals_dir("elsewhere") == Path("elsewhere")
    monkeypatch.setenv("SOCIALKPI_ACTIONS", str(tmp_path / "a"))
    assert notebook.actions_dir() == tmp_path / "a"


def test_locate_finds_paths_relative_to_the_repository_from_a_notebook_folder(monkeypatch):
    monkeypatch.chdir(REPO / "notebooks")
    assert notebook.locate("data/goals") == (REPO / "data" / "goals").resolve()
    assert notebook.locate("../data/goals").resolve() == (REPO / "data" / "goals").resolve()
    assert notebook.locate("/abs/missing") == Path("/abs/missing")
