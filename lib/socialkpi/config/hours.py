"""A brand's opening hours (``brands.yaml``'s ``business_hours``) read from text, and the
business time between two moments: what response times count in where a brand names them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

import numpy as np
import pandas as pd

from socialkpi.config import DEFAULT_TIMEZONE


@dataclass(frozen=True)
class BusinessHours:
    """Opening hours in the brand's zone, e.g. Monday-Friday 09:00-18:00."""

    start: time = time(9)
    end: time = time(18)
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    timezone: str = DEFAULT_TIMEZONE

    def seconds_until(self, stamps: pd.Series) -> np.ndarray:
        """Business seconds from a fixed Monday to each timestamp (vectorised): the
        difference of two such values is the business time between them."""
        local = pd.to_datetime(stamps, utc=True).dt.tz_convert(self.timezone).dt.tz_localize(None)
        epoch = pd.Timestamp("2000-01-03")  # a Monday
        secs = (local - epoch).dt.total_seconds().to_numpy()
        day = np.floor(secs / 86400)
        into_day = secs - day * 86400
        open_s = self.start.hour * 3600 + self.start.minute * 60
        close_s = self.end.hour * 3600 + self.end.minute * 60
        per_day = close_s - open_s
        is_open = np.array([d in self.weekdays for d in range(7)], dtype=float)
        before = np.concatenate([[0.0], np.cumsum(is_open)])  # business days before weekday i
        week, dow = np.floor(day / 7), np.mod(day, 7).astype(int)
        today = np.clip(into_day - open_s, 0, per_day) * is_open[dow]
        return week * is_open.sum() * per_day + before[dow] * per_day + today

    def sql_seconds(self, column: str) -> str:
        """:meth:`seconds_until` as a DuckDB expression over a TIMESTAMPTZ ``column``."""
        open_s = self.start.hour * 3600 + self.start.minute * 60
        per_day = self.end.hour * 3600 + self.end.minute * 60 - open_s
        is_open = [int(d in self.weekdays) for d in range(7)]
        before = [sum(is_open[:d]) for d in range(7)]
        zone = self.timezone.replace("'", "''")
        secs = f"epoch(timezone('{zone}', {column}) - TIMESTAMP '2000-01-03')"
        day = f"floor({secs} / 86400)"
        dow = f"CAST({day} - floor({day} / 7) * 7 AS INTEGER) + 1"
        today = f"least(greatest({secs} - {day} * 86400 - {open_s}, 0), {per_day})"
        return (
            f"(floor({day} / 7) * {sum(is_open) * per_day} + {before}[{dow}] * {per_day}"
            f" + {today} * {is_open}[{dow}])"
        )


_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def parse_business_hours(
    text: str | None, timezone: str = DEFAULT_TIMEZONE
) -> BusinessHours | None:
    """``Mon-Fri 09:00-18:00`` (or ``Mon-Sun 10:00-22:00``) -> BusinessHours; None or
    ``24/7`` -> None (response times in clock hours).

    Examples
    --------
    >>> parse_business_hours("Mon-Fri 09:00-18:00").weekdays
    (0, 1, 2, 3, 4)
    """
    if not text or text.strip().lower() in ("24/7", "always"):
        return None
    m = re.fullmatch(
        r"\s*(\w{3})\s*-\s*(\w{3})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text
    )
    if not m or m[1].lower() not in _DAYS or m[2].lower() not in _DAYS:
        raise ValueError(
            f"business hours {text!r} not understood: write e.g. 'Mon-Fri 09:00-18:00'"
        )
    first, last = _DAYS.index(m[1].lower()), _DAYS.index(m[2].lower())
    days = (
        tuple(range(first, last + 1)) if first <= last else (*range(first, 7), *range(0, last + 1))
    )
    return BusinessHours(time(int(m[3]), int(m[4])), time(int(m[5]), int(m[6])), days, timezone)
