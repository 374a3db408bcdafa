"""A day that does not exist is an error, never another day: every date format of every map
is tried on 29 February of a non-leap year, 30 February and 31 April."""

import re
from datetime import datetime

import pandas as pd
import pytest

from socialkpi.ingest._headers import builtin_formats
from socialkpi.ingest._values import parse_datetime

IMPOSSIBLE = [(2025, 2, 29), (2026, 2, 30), (2026, 4, 31)]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_LONG = ["January", "February", "March", "April"]


def _written(fmt: str, y: int, m: int, d: int) -> str:
    """The day written in ``fmt`` by hand (strftime cannot write a day that does not exist)."""
    if fmt == "iso":
        return f"{y:04d}-{m:02d}-{d:02d}T10:51:00"
    parts = {
        "%Y": f"{y:04d}",
        "%y": f"{y % 100:02d}",
        "%m": f"{m:02d}",
        "%d": f"{d:02d}",
        "%b": _MONTHS[m - 1],
        "%B": _LONG[m - 1],
        "%a": "Mon",
        "%A": "Monday",
        "%H": "10",
        "%I": "10",
        "%M": "51",
        "%S": "00",
        "%p": "AM",
        "%z": "+0800",
    }
    return re.sub(r"%[a-zA-Z]", lambda p: parts[p.group(0)], fmt)


def _every_format() -> list[str]:
    found = {
        f
        for fmt in builtin_formats().values()
        for col in fmt.columns.values()
        if col.type in ("date", "datetime")
        for f in col.formats
    }
    return sorted(found)


@pytest.mark.parametrize("fmt", _every_format())
def test_no_format_rolls_an_impossible_day_into_the_next_month(fmt):
    cells = pd.Series([_written(fmt, *day) for day in IMPOSSIBLE])
    values, bad, _ = parse_datetime(cells, [fmt])
    assert bad.tolist() == [True, True, True], (fmt, cells.tolist(), values.tolist())
    # the same format reads real days: 29 February of a leap year, 30 April, 1 March
    real = [(2024, 2, 29), (2026, 4, 30), (2026, 3, 1)]
    values, bad, _ = parse_datetime(pd.Series([_written(fmt, *day) for day in real]), [fmt])
    assert not bad.any(), fmt
    assert [(v.year, v.month, v.day) for v in values] == real


def test_an_impossible_day_in_a_file_names_row_column_and_value(con, tmp_path):
    from socialkpi import store
    from socialkpi.ingest import Options, import_paths
    from tests.conftest import EXPORT_DAY, FIXTURES

    text = (FIXTURES / "good/meta_facebook_posts.csv").read_text("utf-8-sig")
    path = tmp_path / "facebook.csv"
    path.write_text(text.replace("03/27/2026 06:08", "02/29/2026 10:51"), "utf-8")
    (result,) = import_paths(con, [path], Options("acme", EXPORT_DAY))
    assert result.status == "failed"
    assert "row 3, column \"Publish time\": expected a date and time, found '02/29/2026 10:51'" in (
        result.error
    )
    assert store.counts(con).empty


def test_python_agrees_the_days_are_impossible():
    """The hand-written days are impossible by Python's own calendar (the test's premise)."""
    for y, m, d in IMPOSSIBLE:
        with pytest.raises(ValueError, match="out of range"):
            datetime(y, m, d)
