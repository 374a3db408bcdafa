from datetime import date

import pytest

from socialkpi.metrics.periods import months_before, parse_period


def test_month_week_quarter_and_range():
    assert parse_period("2026-10").end == date(2026, 11, 1)
    week = parse_period("2026-W01")
    assert (week.start, week.end) == (date(2025, 12, 29), date(2026, 1, 5))
    assert parse_period("2026Q1").previous().label == "2025Q4"
    custom = parse_period("2026-10-01..2026-10-15")
    assert custom.days == 15 and custom.previous().label == "2026-09-16..2026-09-30"


def test_shifts_and_last_year():
    assert parse_period("2026-03").previous().label == "2026-02"
    assert parse_period("2026-01").last_year().label == "2025-01"
    assert [p.label for p in months_before(parse_period("2026-02"), 3)] == [
        "2025-11",
        "2025-12",
        "2026-01",
    ]


def test_bad_period_says_what_is_accepted():
    with pytest.raises(ValueError, match="YYYY-MM, YYYY-Www"):
        parse_period("October")
