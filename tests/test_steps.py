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
    assert (package / "analysis.py").exists() or (package / "reader.py").exists()
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
