"""The run manifest, ``reports/<month>/run.json``: what a report run was asked for and, brand by
brand, how it went (status, seconds, where it ran, retries, the files it wrote).

It is rewritten atomically whenever a brand finishes, so it is always whole and always says
where the run got to: ``"status": "running"`` in a manifest whose coordinator is gone means
the run was killed, and ``"interrupted"`` that it was stopped (Ctrl-C) or failed. Only a run
that reached its end says ``"finished"``; its brands say ``"ok"`` or ``"failed"``.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from socialkpi.files import write_atomically

NAME = "run.json"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Manifest:
    """The manifest of one run, written to ``month_dir/run.json`` from the start."""

    def __init__(
        self, month_dir: Path, month: str, lang: str, notebooks: list[str], brands: list[str], where
    ):
        self.path = Path(month_dir) / NAME
        self.data = {
            "month": month,
            "lang": lang,
            "notebooks": notebooks,
            "where": where,
            "coordinator": f"{socket.gethostname()} pid {os.getpid()}",
            "status": "running",
            "started": _now(),
            "finished": None,
            "brands": {brand: {"status": "pending"} for brand in brands},
        }
        self._write()

    def started(self, brand: str, worker: str, retries: int) -> None:
        """A brand's task began on ``worker`` (again, if ``retries`` > 0)."""
        self.data["brands"][brand] = {"status": "running", "worker": worker, "retries": retries}
        self._write()

    def done(self, result, files: list[str]) -> None:
        """A brand finished (a :class:`~socialkpi.outputs.runner.BrandResult`) and wrote ``files``."""
        self.data["brands"][result.brand] = {
            "status": "failed" if result.failed else "ok",
            "seconds": round(result.seconds, 1),
            "worker": result.worker,
            "retries": result.retries,
            "files": files,
            "failed": result.failed,
        }
        self._write()

    def close(self, status: str) -> None:
        """The run ended: ``"finished"``, or ``"interrupted"``."""
        self.data["status"] = status
        self.data["finished"] = _now()
        self._write()

    def _write(self) -> None:
        write_atomically(self.path, json.dumps(self.data, ensure_ascii=False, indent=1))


def read(month_dir: Path) -> dict:
    """The manifest of the month's last run (empty if there is none)."""
    path = Path(month_dir) / NAME
    return json.loads(path.read_text("utf-8")) if path.exists() else {}
