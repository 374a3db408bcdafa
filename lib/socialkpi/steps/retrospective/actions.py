"""The retrospective's action log: an append-only YAML file per brand
(``data/actions/<brand>.yaml``). Re-running a month adds nothing twice, a status change is a
new entry, and the file is replaced atomically (never half written)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from socialkpi.files import write_atomically

FIELDS = (
    "id",
    "month",
    "text",
    "owner",
    "due",
    "status",
    "goal",
    "kpi",
    "statistic",
    "platforms",
    "baseline",
    "target",
)
# the follow-up: the goal it serves, and its own measure expected to move from baseline to
# target: the KPI on its platforms, or (statistic ``post_median``) the median per-post value of
# the KPI over its platforms' posts; older entries have no statistic (the KPI itself)
STATUSES = ("open", "in_progress", "done", "dropped")


def load(path: str | Path) -> pd.DataFrame:
    """Every entry in the log (empty frame if there is no log yet)."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=list(FIELDS))
    entries = yaml.safe_load(path.read_text("utf-8")) or []
    return pd.DataFrame(entries, columns=list(FIELDS))


def current(log: pd.DataFrame, before_month: str | None = None) -> pd.DataFrame:
    """Each action's latest entry (optionally only entries logged before ``before_month``)."""
    if before_month:
        log = log[log["month"].astype(str) < before_month]
    return log.drop_duplicates("id", keep="last").reset_index(drop=True)


def append(path: str | Path, entries: list[dict]) -> int:
    """Append entries not already in the log (same id, month and status); return how many."""
    path = Path(path)
    log = load(path)
    seen = {(r.id, str(r.month), r.status) for r in log.itertuples()}
    new = []
    for entry in entries:
        entry = {
            k: (v.isoformat() if isinstance(v, date) else v)
            for k, v in entry.items()
            if k in FIELDS
        }
        if entry.get("status", "open") not in STATUSES:
            raise ValueError(f"status {entry['status']!r} is not one of {STATUSES}")
        entry.setdefault("status", "open")
        if (entry["id"], str(entry["month"]), entry["status"]) not in seen:
            new.append(entry)
            seen.add((entry["id"], str(entry["month"]), entry["status"]))
    if new:
        all_entries = log.to_dict("records") + new
        write_atomically(path, yaml.safe_dump(all_entries, allow_unicode=True, sort_keys=False))
    return len(new)
