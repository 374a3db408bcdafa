"""Reporting periods as local calendar ranges: month, ISO week, quarter or a custom range.

A period is cut in the brand's time zone: ``start`` and ``end`` are local dates, ``end``
exclusive. Queries turn timestamps into local dates before comparing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

# the zone of a brand that names none (brands.yaml ``timezone``): socialkpi is Taiwan first
from socialkpi.config import DEFAULT_TIMEZONE  # noqa: F401 (periods are cut in it)


@dataclass(frozen=True)
class Period:
    """A local calendar period (month, week, quarter or range) in the brand's time zone."""

    kind: str  # month | week | quarter | range
    start: date
    end: date  # exclusive

    @property
    def label(self) -> str:
        """The period as written on the command line (``2026-10``, ``2026-W40``)."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start}..{self.end - timedelta(days=1)}"

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods later (negative: earlier), same kind and length."""
        if self.kind in ("month", "quarter"):
            months = steps * (3 if self.kind == "quarter" else 1)
            start = (pd.Timestamp(self.start) + pd.DateOffset(months=months)).date()
            end = (pd.Timestamp(self.end) + pd.DateOffset(months=months)).date()
            return Period(self.kind, start, end)
        delta = timedelta(days=self.days * steps)
        return Period(self.kind, self.start + delta, self.end + delta)

    def previous(self) -> Period:
        """The period before this one, of the same kind."""
        return self.shift(-1)

    def last_year(self) -> Period:
        """The same period one year earlier (a week: the ISO week 52 weeks earlier)."""
        if self.kind == "week":
            return self.shift(-52)
        start = (pd.Timestamp(self.start) - pd.DateOffset(years=1)).date()
        end = (pd.Timestamp(self.end) - pd.DateOffset(years=1)).date()
        return Period(self.kind, start, end)


def parse_period(text: str) -> Period:
    """``2026-10`` (month), ``2026-W40`` (ISO week), ``2026Q4`` (quarter) or
    ``2026-10-01..2026-10-15`` (inclusive custom range).

    Examples
    --------
    >>> parse_period("2026-10").end
    datetime.date(2026, 11, 1)
    >>> parse_period("2026Q4").previous().label
    '2026Q3'
    """
    text = text.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        start = date(int(m[1]), int(m[2]), 1)
        return Period("month", start, (pd.Timestamp(start) + pd.DateOffset(months=1)).date())
    if m := re.fullmatch(r"(\d{4})-?W(\d{2})", text):
        start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return Period("week", start, start + timedelta(days=7))
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])", text, re.IGNORECASE):
        start = date(int(m[1]), 3 * int(m[2]) - 2, 1)
        return Period("quarter", start, (pd.Timestamp(start) + pd.DateOffset(months=3)).date())
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
        start, last = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        if last < start:
            raise ValueError(f"period {text!r} ends before it starts")
        return Period("range", start, last + timedelta(days=1))
    raise ValueError(
        f"period {text!r} not understood: use YYYY-MM, YYYY-Www, YYYYQn or YYYY-MM-DD..YYYY-MM-DD"
    )


def months_before(period: Period, count: int) -> list[Period]:
    """The ``count`` months ending just before ``period`` starts, oldest first."""
    first = parse_period(f"{period.start:%Y-%m}")
    return [first.shift(-i) for i in range(count, 0, -1)]
