"""Shared by the browser tests: Debian's Chromium for Playwright, and where screenshots go."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
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


@contextlib.contextmanager
def chromium():
    """Debian's Chromium under Playwright, closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def voila_server(args: list[str], env: dict, log: Path, ready: str = "/"):
    """A Voila server (``args`` without ``--port``) on a free loopback port, its output in
    ``log``; yields its URL and process once ``ready`` answers (any HTTP answer counts), and
    stops the server and its kernels at the end."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [*args, f"--port={port}"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(url + ready, timeout=2).read()
                break
            except urllib.error.HTTPError:
                break  # up, and refusing us
            except OSError:
                assert time.time() < deadline and proc.poll() is None, log.read_text("utf-8")
                time.sleep(0.5)
        try:
            yield url, proc
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
