"""Shared by the browser tests: Debian's Chromium for Playwright, and where screenshots go."""

import os
import shutil
from pathlib import Path

import pytest

from socialkpi.outputs.runner import CHROMIUM_FLAGS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = CHROMIUM_FLAGS
ARTIFACTS = Path(
    os.environ.get("SOCIALKPI_TEST_ARTIFACTS") or Path(__file__).parent.parent / "test-artifacts"
)


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        # CI installs it (.ci/run); on a laptop without it, say so rather than fail the suite
        assert not os.environ.get("CI"), "Debian's chromium is missing in CI"
        pytest.skip("install Debian's chromium (apt-get install chromium) to run the browser tests")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
