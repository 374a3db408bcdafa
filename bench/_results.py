"""Shared by the benchmarks: stamp a result and append it to a JSON-lines file."""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def record(out: str | Path, values: dict) -> dict:
    """Append ``values`` (with time, Python and machine) to ``out`` and print them."""
    entry = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        **values,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\n")
    print(json.dumps(entry, indent=2))
    return entry
