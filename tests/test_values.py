from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkpi.ingest import _values
from socialkpi.ingest._decode import decode
from socialkpi.ingest._values import (
    decimal_mark,
    month_day,
    parse_id,
    parse_number,
    parse_yearless,
)


@pytest.mark.parametrize(
    ("text", "unit", "integer", "expected"),
    [
        ("12,400", None, True, 12400),
        ("1.2K", None, True, 1200),
        ("3.2%", "percent", False, 0.032),
        ("10.000", None, True, 10000),
        ("424.0", None, True, 424),
        ("0:04:04", "seconds", False, 244),
        ("1.5", "hours", False, 5400),
        ("2萬", None, True, 20000),
    ],
)
def test_parse_number(text, unit, integer, expected):
    values, bad = parse_number(pd.Series([text]), unit, integer)
    assert values.iloc[0] == pytest.approx(expected) and not bad[0]


@pytest.mark.parametrize(
    ("text", "integer", "expected"),
    [
        ("373,0", True, 373),
        ("1.234,5", False, 1234.5),
        ("1.234", True, 1234),
        ("0,05", False, 0.05),
        ("1 234,5", False, 1234.5),
        ("1,2K", True, 1200),
    ],
)
def test_parse_number_with_decimal_commas(text, integer, expected):
    values, bad = parse_number(pd.Series([text]), integer=integer, decimal=",")
    assert values.iloc[0] == pytest.approx(expected) and not bad[0]


@pytest.mark.parametrize(
    ("text", "decimal", "integer"),
    [
        ("0,0071", ".", False),
        ("12,34", ".", True),
        ("1e40", ".", True),
        ("373.5", ".", True),
        ("1,234.5", ",", False),
        ("37,5", ",", True),
        ("12-4", ".", True),
        ("1..2", ".", False),
    ],
)
def test_numbers_that_could_be_misread_are_refused(text, decimal, integer):
    """A separator that does not group digits in threes, an exponent, a fraction in a count:
    unreadable, never a different number."""
    _, bad = parse_number(pd.Series([text]), integer=integer, decimal=decimal)
    assert bad[0]


@pytest.mark.parametrize(
    ("cells", "delimiter", "mark", "shown"),
    [
        (["373,0", "12"], ";", ",", {","}),
        (["1.234.567"], ",", ",", {","}),
        (["0.05"], ";", ".", {"."}),
        (["1,234.5", "7"], ",", ".", {"."}),
        (["1,234", "7"], ";", ",", set()),
        (["1,234"], ",", ".", set()),
        (["12,5", "8.25"], ";", ",", {",", "."}),
    ],
)
def test_decimal_mark_from_unambiguous_cells(cells, delimiter, mark, shown):
    found, seen = decimal_mark(cells, delimiter)
    assert (found, set(seen)) == (mark, shown)


@pytest.mark.parametrize("text", ["", "-", "–", "undefined", " "])
def test_no_value_spellings_are_null_not_zero(text):
    values, bad = parse_number(pd.Series([text]))
    assert pd.isna(values.iloc[0]) and not bad[0]


def test_ids_stay_text_and_scientific_is_flagged():
    values, bad = parse_id(pd.Series([" -i5vAKwX_bY", "1.22158E+17", "0012"]))
    assert values.tolist() == ["-i5vAKwX_bY", "1.22158E+17", "0012"]
    assert bad.tolist() == [False, True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 12", (4, 12)),
        ("8 de marzo", (3, 8)),
        ("18 января", (1, 18)),
        ("18 tháng Tám", (8, 18)),
        ("9月13日", (9, 13)),
        ("28 August", (8, 28)),
        ("3 tháng mười một", (11, 3)),
        ("nonsense", None),
    ],
)
def test_month_day_in_ui_languages(text, expected):
    assert month_day(text) == expected


def test_yearless_dates_step_back_a_year():
    values, _ = parse_yearless(pd.Series(["30 December", "5 January"]), date(2027, 1, 5))
    assert values.dt.date.tolist() == [date(2026, 12, 30), date(2027, 1, 5)]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("貼文 ID,留言\n1,客服太慢了，退貨很麻煩", "cp950"),
        ("帖子,评论\n1,新品上市，欢迎购买", "gb18030"),
        ("Caption\nCafé crème brûlée", "cp1252"),
        ("Caption\n新品上市", "utf-8"),
    ],
)
def test_decode_picks_the_right_code_page(text, encoding):
    assert decode(text.encode(encoding)) == (text, encoding)


def test_decode_bom_and_utf16():
    assert decode("\ufeffa,b".encode()) == ("a,b", "utf-8-sig")
    assert decode("a,b".encode("utf-16")) == ("a,b", "utf-16")


@settings(max_examples=300, deadline=None)
@given(
    export=st.dates(min_value=date(2017, 1, 1), max_value=date(2032, 12, 31)),
    back=st.integers(min_value=0, max_value=364),
    length=st.sampled_from([1, 7, 60, 365]),
)
def test_a_yearless_daily_series_is_placed_whole(export, back, length):
    """Any daily series without a year that ends on a day within the year before the export
    day: placed contiguous, ending on that day, never after the export day."""
    last = export - timedelta(days=back)
    days = [last - timedelta(days=length - 1 - i) for i in range(length)]
    placed = _values.place_series([(d.month, d.day) for d in days], end=export)
    assert placed == days


def test_a_column_is_read_as_its_cells_are_seen():
    from socialkpi.ingest._values import visible_series

    cells = pd.Series(["Ge\u00adsamt\u00a0Views", "1\u202f234", "plain", None, "\ufeffTotal"])
    seen = visible_series(cells)
    assert seen.tolist()[:3] == ["Gesamt Views", "1 234", "plain"]
    assert pd.isna(seen.iloc[3]) and seen.iloc[4] == "Total"
    # only spaces to change, or nothing at all: the same result as the cell-by-cell rule
    assert visible_series(pd.Series(["a\u00a0b"])).tolist() == ["a b"]
    assert visible_series(pd.Series(["a b", "c"])).tolist() == ["a b", "c"]


def test_a_column_read_once_gives_what_each_reading_gives():
    """``Cells`` skips the trim and the clean-up for a column that needs neither: for every
    character a trim could take from a cell's end, the column is still trimmed."""
    from socialkpi.ingest._values import Cells, clean, visible_series

    every = pd.Series([chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF])
    every = every[~every.isin(_values.NULL_SPELLINGS)]  # "-": no value, masked either way
    changed = (visible_series(every).str.strip() != every) | (clean(every) != every)
    flagged = every.str.contains(_values._NOT_AS_SHOWN, regex=True)
    assert changed.sum() > 40 and not (changed & ~flagged).any()  # none goes the quick way

    typed = pd.Series(["12", " 7 ", "-", "undefined", "", None, "a\u00a0b", "\u3000ok"])
    cells = Cells.of(typed)
    assert cells.clean.tolist()[:2] == ["12", "7"] and cells.clean.tolist()[6:] == [
        "a\u00a0b",
        "ok",
    ]
    assert cells.clean.iloc[2:6].isna().all()
    assert cells.filled.tolist() == [True, True, False, False, False, False, True, True]
    assert cells.nulled.fillna(False).tolist() == [False, False, True, True] + [False] * 4
    plain = Cells.of(pd.Series(["12", "-", None]))  # nothing to trim: the quick reading
    assert plain.clean.tolist()[0] == "12" and plain.clean.iloc[1:].isna().all()
    assert plain.filled.tolist() == [True, False, False]
