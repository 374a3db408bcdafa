"""The landing folder: every API response written first, as received, one JSON file per kind
of data (every call of that kind in order, each with its request), under
``<root>/<brand>/<platform>/<pull day>/``; the importer then reads the folder like any
export (``ingest.landing``). A pull's folder appears whole or not at all (written aside, then
renamed), and a file never holds the token: the request is kept without it."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

from socialkpi.config import brands

FORMAT = 2  # the file's version (``socialkpi_landing``): 1 held one call, 2 a list of calls


def envelope(
    platform: str,
    kind: str,
    account: str,
    path: str,
    params: dict,
    pulled_at: datetime,
    response: dict,
    context: dict | None = None,
) -> dict:
    """One response with what it answered: the platform, the kind of data, the account, the
    request (without the token), when it was pulled, and ``context`` the API does not give
    (a LINE message's title)."""
    call = {
        "request": {
            "path": path,
            "params": {k: v for k, v in params.items() if k != "access_token"},
        },
        "response": response,
        **({"context": context} if context else {}),
    }
    return {
        "socialkpi_landing": FORMAT,
        "platform": platform,
        "kind": kind,
        "account_id": account,
        "pulled_at": pulled_at.isoformat(),
        "calls": [call],
    }


def by_kind(envelopes: list[dict]) -> list[dict]:
    """The calls of each kind in one envelope, kinds in the order they were first asked."""
    out: dict[str, dict] = {}
    for item in envelopes:
        kept = out.setdefault(item["kind"], {**item, "calls": []})
        kept["calls"] += item["calls"]
    return list(out.values())


def files(envelopes: list[dict]) -> dict[str, bytes]:
    """File name -> bytes of a pull's envelopes: ``NNNN-<kind>.json``, one per kind."""
    out = {}
    for n, item in enumerate(by_kind(envelopes), 1):
        text = json.dumps(item, ensure_ascii=False, indent=1)  # the envelope mark first
        out[f"{n:04d}-{item['kind']}.json"] = (text + "\n").encode("utf-8")
    return out


def folder(root: Path, brand: str, platform: str, day) -> Path:
    """``<root>/<brand>/<platform>/<day>``, checked to stay inside ``root``."""
    base = brands.file_for(root, brand).with_suffix("")
    target = (base / platform / str(day)).resolve()
    if not target.is_relative_to(Path(root).resolve()):
        raise ValueError(f"{target} is outside {root}")
    return target


def write(root: Path, brand: str, platform: str, day, envelopes: list[dict]) -> Path:
    """Write a pull's responses (:func:`files`) into its day's folder, replacing an earlier
    pull of the same day; return the folder."""
    target = folder(root, brand, platform, day)
    staging = target.with_name(f".{target.name}.partial")  # hidden: the importer skips it
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, data in files(envelopes).items():
        (staging / name).write_bytes(data)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target
