"""steps.STEPS is the one list of SOP steps: every step it names has its package, page,
notebook, dashboard and title, and nothing else in the repository lists steps of its own."""

from pathlib import Path

import pytest

from socialkpi import steps
from socialkpi.dashboard import views
from socialkpi.outputs import runner
from socialkpi.words.i18n import LANGS, t

ROOT = Path(__file__).resolve().parents[1]
STEPS_DIR = ROOT / "lib" / "socialkpi" / "steps"


@pytest.mark.parametrize("step", steps.STEPS, ids=lambda s: s.id)
def test_each_step_has_its_package_and_page(step):
    package = STEPS_DIR / step.id
    assert (package / "__init__.py").exists()
    assert any((package / f"{part}.py").exists() for part in ("analysis", "reader", "page"))
    if step.notebook:
        assert (package / "page.py").exists()
        assert (ROOT / "notebooks" / f"{step.notebook}.ipynb").exists()
        assert (ROOT / "notebooks" / "dashboards" / f"{step.dashboard}.ipynb").exists()
        assert step.id in views.PANELS and step.dashboard_kpis
        for lang in LANGS:
            assert t(step.title_key, lang) != step.title_key


def test_no_notebook_or_step_folder_is_missing_from_the_registry():
    listed = {s.notebook for s in steps.STEPS if s.notebook}
    assert {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")} == listed
    dashboards = {s.dashboard for s in steps.WITH_PAGES}
    assert {p.stem for p in (ROOT / "notebooks" / "dashboards").glob("*.ipynb")} == dashboards
    folders = {p.parent.name for p in STEPS_DIR.glob("*/__init__.py")}
    assert folders == {s.id for s in steps.STEPS}


def test_the_runner_and_the_dashboards_read_the_registry():
    assert list(runner.NOTEBOOKS.values()) == [s.notebook for s in steps.WITH_PAGES]
    assert list(runner.NOTEBOOKS) == sorted(runner.NOTEBOOKS)  # numbers give the order
    assert list(views.KINDS) == [s.id for s in steps.WITH_PAGES] == list(views.PANELS)


def test_an_unknown_step_is_named_with_the_known_ones():
    assert steps.step("calendar").notebook == "06_content_calendar"
    with pytest.raises(KeyError, match="unknown SOP step 'budget'; known: goal_setting"):
        steps.step("budget")


def _where_to_add() -> list[list[str]]:
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    section = text.split("## Where to add", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


def test_the_architecture_page_names_files_and_registries_that_exist():
    import importlib
    import re

    rows = _where_to_add()
    assert len(rows) >= 4 and any(r[0] == "An SOP step" for r in rows)
    for what, files, registries in rows:
        for path in re.findall(r"`([^`]+)`", files):
            fixed = path.split("<", 1)[0]  # a <name> part is the reader's to choose
            assert (ROOT / fixed).exists(), f"{what}: {path} does not exist"
        for name in re.findall(r"`([^`]+)`", registries):
            module, attribute = name.split(":")
            assert hasattr(importlib.import_module(module), attribute), f"{what}: {name}"


NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


@pytest.mark.parametrize("path", ["README.md", "Makefile"])
def test_counts_of_steps_in_the_docs_come_from_the_registry(path):
    import re

    text = (ROOT / path).read_text("utf-8")
    said = re.findall(
        r"\b(" + "|".join(NUMBER_WORDS) + r") (?:SOP notebooks|dashboards|pages|notebooks)\b", text
    )
    assert said, f"{path} names no count of pages"
    assert set(said) == {NUMBER_WORDS[len(steps.WITH_PAGES)]}
