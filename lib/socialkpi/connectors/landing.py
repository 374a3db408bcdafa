"""The landing folder: every API response written first, as received, one JSON file per call,
under ``<root>/<brand>/<platform>/<pull day>/``; the importer then reads the folder like any
export (``ingest.landing``). A pull's folder appears whole or not at all (written aside, then
renamed), and a file never holds the token: the request is kept without it."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

from socialkpi.config import brands

FORMAT = 1  # the envelope's version (``socialkpi_landing``)


def envelope(
    platform: str,
    kind: str,
    account: str,
    path: str,
    params: dict,
    pulled_at: datetime,
    response: dict,
) -> dict:
    """One response with what it answered: the platform, the kind of data, the account, the
    request (without the token) and when it was pulled."""
    return {
        "socialkpi_landing": FORMAT,
        "platform": platform,
        "kind": kind,
        "account_id": account,
        "pulled_at": pulled_at.isoformat(),
        "request": {
            "path": path,
            "params": {k: v for k, v in params.items() if k != "access_token"},
        },
        "response": response,
    }


def folder(root: Path, brand: str, platform: str, day) -> Path:
    """``<root>/<brand>/<platform>/<day>``, checked to stay inside ``root``."""
    base = brands.file_for(root, brand).with_suffix("")
    target = (base / platform / str(day)).resolve()
    if not target.is_relative_to(Path(root).resolve()):
        raise ValueError(f"{target} is outside {root}")
    return target


def write(root: Path, brand: str, platform: str, day, envelopes: list[dict]) -> Path:
    """Write a pull's responses as ``NNNN-<kind>.json`` into its day's folder, replacing an
    earlier pull of the same day; return the folder."""
    target = folder(root, brand, platform, day)
    staging = target.with_name(f".{target.name}.partial")  # hidden: the importer skips it
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for n, item in enumerate(envelopes, 1):
        text = json.dumps(item, ensure_ascii=False, indent=1)  # the envelope mark first
        (staging / f"{n:04d}-{item['kind']}.json").write_text(text + "\n", "utf-8")
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target
