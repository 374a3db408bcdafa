"""Google Analytics 4 CSV downloads (``#`` preamble, one or more blocks) -> web_sessions."""

from __future__ import annotations

import re

import pandas as pd

from socialkpi.ingest._errors import ExportError
from socialkpi.ingest._shape import col

_RANGE = re.compile(r"(start|end) date:\s*(\d{8})", re.IGNORECASE)


def traffic(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Daily sessions, key events and revenue per source / medium from a GA4 download."""
    frame = frame[frame["source_medium"].notna()]  # the grand-total line has no dimension
    dates = frame.get("date")
    if dates is None:
        found = dict((k.lower(), v) for k, v in _RANGE.findall(" ".join(ctx.comments)))
        start, end = found.get("start"), found.get("end")
        if not start or start != end:
            span = f"{start}..{end}" if start and end else "an unknown date range"
            raise ExportError(
                ctx.path,
                f"this GA4 table covers {span} without a Date column, so daily sessions "
                "cannot be told apart",
                'in GA4 add "Date" as a secondary dimension (or pick a single day) and download the CSV again',
            )
        dates = pd.Series(pd.Timestamp(start), index=frame.index)
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "date": dates,
            "source_medium": frame["source_medium"],
            "sessions": frame["sessions"],
            "engaged_sessions": col(frame, "engaged_sessions"),
            "key_events": col(frame, "key_events"),
            "revenue": col(frame, "revenue"),
        }
    )
    return {"web_sessions": out}


FINISH = {"ga4_traffic": traffic}
