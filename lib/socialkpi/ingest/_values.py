"""Parse the text cells of exports into typed values, column by column.

Each parser takes a column of strings and returns ``(values, bad)``: the parsed column and
a boolean mask of cells that could not be read (reported by the caller with row numbers).
Units are properties of the column (declared in the header map), never guessed per cell.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

NULLS = {"", "-", "–", "—", "undefined", "null", "none", "n/a", "na", "nan", "--"}
SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8}
DOT_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
TIME_OF_DAY = r"\d{1,2}:\d{2}"  # a cell with a clock time, not a date alone
_HMS = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$")

# unit -> multiplier into the canonical unit (fractions for shares, seconds for durations)
UNITS = {
    None: 1.0,
    "count": 1.0,
    "fraction": 1.0,
    "percent": 0.01,
    "seconds": 1.0,
    "minutes": 60.0,
    "hours": 3600.0,
    "auto": 1.0,  # decided per column by the format (see _shape.shares_from)
    "money": 1.0,  # an amount: a currency mark before or after it is read past (NT$1,234)
}
# the currency marks a re-saved ad export writes into money cells
_MONEY_MARK = (
    r"^(?:NT\$|US\$|HK\$|[$€£¥]|(?:TWD|NTD|USD|EUR|JPY|HKD)\s*)|\s*(?:TWD|NTD|USD|EUR|JPY|HKD|元)$"
)


NULL_SPELLINGS = sorted({v for n in NULLS for v in (n, n.upper(), n.title())})


# characters that take no space and that exports leave in cells and headers: the soft hyphen
# (YouTube's German export breaks every header word with one), zero-width space, word joiner,
# byte-order mark, direction marks and bidi controls. Joiners (U+200C, U+200D) are kept: emoji
# and scripts need them in captions.
INVISIBLE = "[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
_INVISIBLE = re.compile(INVISIBLE)
_SPACES = "[\u00a0\u2007\u202f]"  # no-break, figure and narrow no-break spaces: a plain one
_INVISIBLE_OR_SPACES = INVISIBLE[:-1] + _SPACES[1:]
# what str.strip() takes from a cell's ends: exactly the 29 characters it trims (every code
# point was tried against pandas' Arrow strings), written as characters, not as \s or \u
# escapes, and the end as \Z, so that Arrow's RE2 runs the pattern, not Python per cell
_TRIMMED = "[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# a cell that visible() or a trim would change
_NOT_AS_SHOWN = f"{_INVISIBLE_OR_SPACES}|^{_TRIMMED}|{_TRIMMED}\\Z"


def visible(text: object) -> str:
    """A cell or header as the user sees it: without invisible characters, with every kind
    of space (no-break, narrow, figure) a plain one.

    >>> visible("Ge\u00adsamt\u00a0Views\ufeff")
    'Gesamt Views'
    """
    return re.sub(_SPACES, " ", _INVISIBLE.sub("", str(text)))


def visible_series(values: pd.Series) -> pd.Series:
    """:func:`visible` for a column, in Arrow's string kernels (no Python string per cell);
    a column with nothing to change (most) is scanned once and returned as it is."""
    text = values.astype("string")
    if not text.str.contains(_INVISIBLE_OR_SPACES, regex=True).any():
        return text
    if text.str.contains(INVISIBLE, regex=True).any():
        text = text.str.replace(INVISIBLE, "", regex=True)
    return text.str.replace(_SPACES, " ", regex=True)


def clean(values: pd.Series) -> pd.Series:
    """Trim cells, drop invisible characters (:func:`visible`) and turn the export's
    spellings of 'no value' into NA."""
    text = values.astype("string")
    if text.str.contains(INVISIBLE, regex=True).any():
        text = text.str.replace(INVISIBLE, "", regex=True)
    text = text.str.strip()
    return text.mask(text.isin(NULL_SPELLINGS))


@dataclass(frozen=True)
class Cells:
    """A column of text cells read once for every use, furniture and parsing alike:
    ``visible`` (each cell as the user sees it, trimmed: :func:`visible`), ``clean`` (the
    parsers' text: :func:`clean`), and per cell whether it holds a value (``filled``) or
    spells "no value" (``nulled``: ``-``, ``undefined``; an empty cell is neither)."""

    visible: pd.Series
    clean: pd.Series
    filled: pd.Series
    nulled: pd.Series

    @classmethod
    def of(cls, values: pd.Series) -> Cells:
        text = values.astype("string")
        # the usual column: every cell is already as the user sees it, and trimmed
        usual = not text.str.contains(_NOT_AS_SHOWN, regex=True).any()
        shown = text if usual else visible_series(text).str.strip()
        nulls = shown.isin(NULL_SPELLINGS)
        cleaned = shown.mask(nulls) if usual else clean(text)
        return cls(shown, cleaned, shown.notna() & ~nulls, nulls & (shown != ""))

    def kept(self, rows: np.ndarray) -> Cells:
        """The cells of the ``rows`` kept (a boolean mask), numbered from 0 again."""
        parts = (self.visible, self.clean, self.filled, self.nulled)
        return Cells(*(part[rows].reset_index(drop=True) for part in parts))


# how numbers are written: 1,234.5 (decimal point) or 1.234,5 (decimal comma)
_GROUPED = {".": r"\d{1,3}(?:,\d{3})+", ",": r"\d{1,3}(?:\.\d{3})+"}
_EVIDENCE = {  # cells that can only be read one way
    ",": re.compile(r"^\d+,(?:\d{1,2}|\d{4,})$|^\d{1,3}(?:\.\d{3})+,\d+$|^\d{1,3}(?:\.\d{3}){2,}$"),
    ".": re.compile(r"^\d+\.(?:\d{1,2}|\d{4,})$|^\d{1,3}(?:,\d{3})+\.\d+$|^\d{1,3}(?:,\d{3}){2,}$"),
}
_EXCEL_EXPONENT = r"\d(?:[.,]\d+)?[eE][+-]\d{1,3}"  # 1.5E-05: Excel's way with tiny rates


def decimal_mark(cells, delimiter: str = ",") -> tuple[str, dict[str, str]]:
    """The decimal mark a file's numbers use, from cells that can only be read one way
    (``373,0`` or ``1.234.567``: a comma; ``0.05`` or ``1,234.5``: a point). With no such
    cell, a semicolon-separated file (Excel in a decimal-comma locale) is read with commas.

    Returns the mark and, per mark, the first cell that showed it: both present means the
    file mixes styles and cannot be read safely.

    Examples
    --------
    >>> decimal_mark(["373,0", "12"], ";")[0], decimal_mark(["1,234.5"], ",")[0]
    (',', '.')
    """
    seen: dict[str, str] = {}
    for cell in cells:
        text = str(cell).strip().lstrip("+-").rstrip("%").replace(" ", "").replace("\u00a0", "")
        for mark, pattern in _EVIDENCE.items():
            if mark not in seen and pattern.match(text):
                seen[mark] = str(cell).strip()
        if len(seen) == 2:
            break
    if len(seen) == 1:
        return next(iter(seen)), seen
    return ("," if delimiter == ";" else "."), seen


# beyond 2**53 a number is no longer exact as a float, and no platform reports such a count
LARGEST = 2.0**53


# cells every reading takes alike: ASCII digits (never full-width ones, which the slow path
# reports), at most 15 (below LARGEST), and for a decimal number in a decimal-point file a
# fraction (parse_number's fast path)
_PLAIN = {".": r"[+-]?[0-9]{1,15}", "decimal": r"[+-]?[0-9]{1,15}(?:\.[0-9]+)?"}


def parse_number(
    values: pd.Series,
    unit: str | None = None,
    integer: bool = False,
    decimal: str = ".",
    cleaned: bool = False,
):
    """Read numbers such as ``12,400``, ``1.2K``, ``3.2%``, ``424.0``, ``10.000`` (TikTok).

    ``decimal`` is the file's decimal mark (see :func:`decimal_mark`): with ``","``,
    ``1.234,5`` is 1234.5. A separator that does not group digits in threes (``0,0071`` in a
    decimal-point file) makes the cell unreadable rather than a different number.
    ``unit`` scales into the canonical unit (``percent`` -> fraction, ``hours`` -> seconds).
    ``integer=True`` reads ``10.000`` as ten thousand, as counts never have decimals, and
    marks a count with a fraction as unreadable. ``cleaned``: ``values`` is already
    :func:`clean`'s text (``Cells.clean``), as for every parser here.

    Examples
    --------
    >>> parse_number(pd.Series(["12,400", "1.2K", "-", "3.2%"]))[0].tolist()
    [12400.0, 1200.0, nan, 3.2]
    >>> parse_number(pd.Series(["1.234,5", "373,0"]), decimal=",")[0].tolist()
    [1234.5, 373.0]
    >>> parse_number(pd.Series(["NT$1,234", "$99.5", "12000 TWD"]), "money")[0].tolist()
    [1234.0, 99.5, 12000.0]
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.astype("float64")  # a column the CSV reader already read as numbers
        return numbers * UNITS[unit], _fractional(numbers) if integer else np.zeros(
            len(values), bool
        )
    text = values if cleaned else clean(values)
    if unit == "money":
        text = text.str.replace(_MONEY_MARK, "", regex=True)
    plain = _PLAIN["." if integer or decimal == "," else "decimal"]
    if text.str.fullmatch(plain).fillna(True).all():  # the usual column: no marks to read
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
        return numbers * UNITS[unit], (numbers.isna() & text.notna()).to_numpy(bool)
    text = text.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.rstrip("%")
    group = "," if decimal == "." else "."
    if integer and decimal == ".":
        dotted = text.str.fullmatch(DOT_THOUSANDS.pattern).fillna(False)
        text = text.where(~dotted, text.str.replace(".", "", regex=False))
    suffix = text.str[-1:].str.lower()
    has_suffix = suffix.isin(list(_SUFFIX)).fillna(False)
    mult = suffix.map(_SUFFIX).where(has_suffix, 1.0).astype("float64")
    text = text.where(~has_suffix, text.str[:-1])
    hms = text.str.fullmatch(_HMS.pattern).fillna(False)
    well_formed = text.str.fullmatch(
        rf"[+-]?(?:\d+|{_GROUPED[decimal]})(?:\{decimal}\d+)?|[+-]?\{decimal}\d+|{_EXCEL_EXPONENT}"
    ).fillna(False)
    plain = text.where(well_formed).str.replace(group, "", regex=False)
    if decimal == ",":
        plain = plain.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(plain, errors="coerce").astype("float64") * mult
    if hms.any():
        numbers = numbers.where(~hms, _hms_seconds(text.where(hms)))
    bad = (numbers.isna() & text.notna()).to_numpy(dtype=bool, copy=True)
    bad |= (numbers.abs() > LARGEST).fillna(False).to_numpy(dtype=bool)  # no platform's count
    if integer:
        bad |= _fractional(numbers)
        numbers = numbers.round()
    return numbers * UNITS[unit], bad


def _fractional(numbers: pd.Series) -> np.ndarray:
    """Cells of a count column that hold a fraction (``373.5``), beyond float noise."""
    values = numbers.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        off = np.abs(values - np.round(values)) > 1e-6 * np.maximum(1.0, np.abs(values))
    return np.nan_to_num(off, nan=False).astype(bool)


def _hms_seconds(text: pd.Series) -> pd.Series:
    parts = text.str.extract(_HMS.pattern).astype("float64")
    with_seconds = parts[2].notna()
    h = parts[0].where(with_seconds, 0)
    m = parts[1].where(with_seconds, parts[0])
    s = parts[2].where(with_seconds, parts[1])
    return h * 3600 + m * 60 + s


def parse_id(values: pd.Series, cleaned: bool = False):
    """IDs stay strings; spreadsheet damage (``1.22158E+17``) is flagged, never 'repaired'.

    The leading space YouTube adds to IDs that start with ``-`` is stripped.
    """
    text = (values if cleaned else clean(values)).str.lstrip("'")
    bad = text.str.fullmatch(SCIENTIFIC.pattern).fillna(False)
    return text, bad.to_numpy()


def parse_datetime(
    values: pd.Series, formats: list[str], dayfirst_fallback: bool = False, cleaned: bool = False
):
    """Parse with the column's declared formats, first match wins per cell.

    ``dayfirst_fallback`` accepts ``DD-MM-YYYY`` in an ISO date column (Excel re-save
    damage); the caller warns when it was needed. Returns ``(values, bad, used_fallback)``.
    """
    text = values if cleaned else clean(values)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    for fmt in formats:
        todo = out.isna() & text.notna()
        if not todo.any():
            break
        if fmt == "unix_ms":
            parsed = pd.to_datetime(pd.to_numeric(text[todo], errors="coerce"), unit="ms")
        elif fmt == "iso":
            parsed = pd.to_datetime(text[todo], errors="coerce", format="ISO8601", utc=True)
            parsed = parsed.dt.tz_convert(None)
        else:
            parsed = _strptime(text[todo], fmt)
        out[todo] = parsed.astype("datetime64[us]")
    used_fallback = False
    if dayfirst_fallback:
        todo = out.isna() & text.notna()
        if todo.any():
            parsed = pd.to_datetime(text[todo], errors="coerce", format="%d-%m-%Y")
            used_fallback = bool(parsed.notna().any())
            out[todo] = parsed.astype("datetime64[us]")
    bad = out.isna() & text.notna()
    return out, bad.to_numpy(), used_fallback


def _strptime(text: pd.Series, fmt: str) -> pd.Series:
    """Strict strptime (the whole cell must match), in Arrow's C++ for speed. Arrow rolls a
    day the month does not have into the next month (2026-02-30 -> 2026-03-02); such a
    day lands on 1-3 March or the 1st after a 30-day month, so those cells are read again by
    Python's strptime, which refuses a day out of range: the cell is then unreadable, never
    another day.

    >>> _strptime(pd.Series(["2026-02-30", "2025-02-29", "2026-04-31", "2024-02-29"]),
    ...           "%Y-%m-%d").dt.strftime("%Y-%m-%d").tolist()
    [nan, nan, nan, '2024-02-29']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    parsed = pc.strptime(
        pa.array(text.to_numpy(dtype=object)), format=fmt, unit="us", error_is_null=True
    )
    if pa.types.is_timestamp(parsed.type) and parsed.type.tz is not None:
        parsed = pc.cast(parsed, pa.timestamp("us"))  # UTC wall time
    out = pd.Series(parsed.to_numpy(zero_copy_only=False), index=text.index)
    # where a rolled day lands: 1-3 March (after February), the 1st after a 30-day month
    month, day = out.dt.month, out.dt.day
    early = ((month == 3) & (day <= 3) | month.isin((5, 7, 10, 12)) & (day == 1)).fillna(False)
    early = early.to_numpy().nonzero()[0]
    if len(early) and "%z" not in fmt.lower():  # (a zone is not written back)
        # a day written back as the cell reads it is real: Python checks the others
        seconds = pc.cast(parsed.take(pa.array(early)), pa.timestamp("s"), safe=False)
        again = pc.strftime(seconds, format=fmt).to_pylist()
        cells = text.iloc[early].tolist()
        early = [i for i, a, c in zip(early, again, cells, strict=True) if a != str(c).strip()]
    for i in early:
        if not _a_real_day(str(text.iat[i]), fmt):
            out.iat[i] = pd.NaT
    return out


def _a_real_day(cell: str, fmt: str) -> bool:
    """False where Python's strict strptime says the day is out of range for its month (any
    other disagreement between the two parsers leaves Arrow's reading)."""
    from datetime import datetime

    try:
        datetime.strptime(cell.strip(), fmt)
    except ValueError as err:
        return "out of range" not in str(err)
    return True


_MONTH_WORDS = [
    ("tháng mười một", 11),
    ("tháng mười hai", 12),
    ("tháng mười", 10),
    ("tháng một", 1),
    ("tháng hai", 2),
    ("tháng ba", 3),
    ("tháng tư", 4),
    ("tháng năm", 5),
    ("tháng sáu", 6),
    ("tháng bảy", 7),
    ("tháng tám", 8),
    ("tháng chín", 9),
]
_MONTH_TOKENS = {
    **{
        w: i
        for i, ws in enumerate(
            [
                "january jan enero ene janeiro janvier janv januar jänner gennaio января январь",
                "february feb febrero fevereiro fev février févr februar febbraio февраля февраль",
                "march mar marzo março mars märz marzo марта март",
                "april apr abril avril avr aprile апреля апрель",
                "may mayo maio mai maggio мая май",
                "june jun junio junho juin juni giugno июня июнь",
                "july jul julio julho juillet juil juli luglio июля июль",
                "august aug agosto août aout ago августа август",
                "september sep sept septiembre setiembre setembro septembre settembre set сентября сентябрь",
                "october oct octubre outubro octobre oktober okt ottobre out октября октябрь",
                "november nov noviembre novembro novembre ноября ноябрь",
                "december dec diciembre dic dezembro dez décembre déc dezember dicembre декабря декабрь",
            ],
            start=1,
        )
        for w in ws.split()
    },
}
_CJK_MD = re.compile(r"^(?:(\d{4})年)?\s*(\d{1,2})月\s*(\d{1,2})日?$")
_NUM_MD = re.compile(r"^(\d{1,2})[./-](\d{1,2})$")


def month_day(text: str) -> tuple[int, int] | None:
    """Month and day of a date written without a year, in any of the UI languages seen.

    Examples
    --------
    >>> [month_day(t) for t in ["April 12", "8 de marzo", "18 января", "9月13日", "18 tháng Tám"]]
    [(4, 12), (3, 8), (1, 18), (9, 13), (8, 18)]
    """
    text = " ".join(str(text).strip().lower().replace(",", " ").replace(".", " ").split())
    if m := _CJK_MD.match(text):
        return int(m[2]), int(m[3])
    for words, month in _MONTH_WORDS:
        if words in text:
            day = re.search(r"\d{1,2}", text.replace(words, " "))
            return (month, int(day[0])) if day else None
    tokens = [t for t in text.split() if t not in {"de", "del", "of", "le"}]
    months = [_MONTH_TOKENS[t] for t in tokens if t in _MONTH_TOKENS]
    days = [int(t) for t in tokens if t.isdigit() and len(t) <= 2]
    if len(months) == 1 and len(days) == 1:
        return months[0], days[0]
    return None


class YearUnknown(ValueError):
    """Dates without a year that nothing in the file, its name or the options places."""


def month_days(values: pd.Series) -> tuple[list[tuple[int, int] | None], np.ndarray]:
    """Each cell's (month, day) as written without a year, and the cells that are no day."""
    text = clean(values)
    out = [None if pd.isna(cell) else month_day(cell) for cell in text]
    bad = np.array([md is None and pd.notna(cell) for md, cell in zip(out, text, strict=True)])
    return out, bad


def _day(year: int, md: tuple[int, int]) -> date | None:
    try:
        return date(year, *md)
    except ValueError:  # 29 February in a year without one
        return None


def place_series(
    mds: list[tuple[int, int] | None], end: date | None = None, start: date | None = None
) -> list[date | None]:
    """The dates of a daily series written without a year (TikTok Studio's Overview and
    follower files), placed as one series, never row by row: the rows are consecutive days
    in file order (either way), a year begins again where the month and day fall back, and
    the series is pinned by its first day (``start``, from the export window in the file
    name) or its last (the latest day on or before ``end``, the export day). Raises
    :class:`YearUnknown` without either, or when a day would fall after ``end``.

    Examples
    --------
    >>> place_series([(12, 30), (12, 31), (1, 1), (1, 2)], end=date(2027, 1, 5))
    [datetime.date(2026, 12, 30), datetime.date(2026, 12, 31), datetime.date(2027, 1, 1), datetime.date(2027, 1, 2)]
    >>> place_series([(2, 28), (3, 1)], start=date(2025, 2, 28))
    [datetime.date(2025, 2, 28), datetime.date(2025, 3, 1)]
    """
    rows = [i for i, md in enumerate(mds) if md is not None]
    out: list[date | None] = [None] * len(mds)
    if not rows:
        return out
    doy = [mds[i][0] * 31 + mds[i][1] for i in rows]
    forward = sum(0 < (b - a) % 403 < 200 for a, b in zip(doy, doy[1:], strict=False))
    backward = sum(0 < (a - b) % 403 < 200 for a, b in zip(doy, doy[1:], strict=False))
    chrono = rows if forward >= backward else rows[::-1]
    offset, previous, offsets = 0, None, {}
    for i in chrono:  # years since the series' first day
        if previous is not None and mds[i] <= previous:
            offset += 1
        offsets[i], previous = offset, mds[i]
    first, last = chrono[0], chrono[-1]
    if start is not None:
        if mds[first] != (start.month, start.day):
            raise YearUnknown(
                f"the file name says the data starts on {start}, but its first day is "
                f"{mds[first][1]}/{mds[first][0]} (day/month)"
            )
        base = start.year
    elif end is not None:
        latest = _day(end.year, mds[last])
        year = end.year if latest is not None and latest <= end else end.year - 1
        base = year - offsets[last]
    else:
        raise YearUnknown("nothing says which year these days are in")
    for i in chrono:
        out[i] = _day(base + offsets[i], mds[i])
        if out[i] is None:
            raise YearUnknown(f"{mds[i][1]}/{mds[i][0]} does not exist in {base + offsets[i]}")
    if end is not None and max(d for d in out if d is not None) > end:
        raise YearUnknown(f"the series would end after {end}, the day it was exported")
    return out


def place_before(mds: list[tuple[int, int] | None], end: date) -> list[date | None]:
    """Days without a year that need not be consecutive (a post's day in TikTok's Content
    table, when its video id gives none), each the latest such day on or before ``end``: the
    table covers the weeks before the export, never a year.

    >>> place_before([(12, 30), (1, 3)], date(2027, 1, 5))
    [datetime.date(2026, 12, 30), datetime.date(2027, 1, 3)]
    """
    out = []
    for md in mds:
        day = None if md is None else _day(end.year, md)
        if md is not None and (day is None or day > end):
            day = _day(end.year - 1, md)
        out.append(day)
    return out


def parse_yearless(values: pd.Series, export_date: date):
    """Dates without a year, each the latest such day on or before ``export_date`` (see
    :func:`place_series` for daily series, which are placed as one), or ISO dates as
    written.

    Examples
    --------
    >>> parse_yearless(pd.Series(["30 December"]), date(2027, 1, 5))[0].dt.date.tolist()
    [datetime.date(2026, 12, 30)]
    """
    mds, _ = month_days(values)
    return _with_iso(values, place_before(mds, export_date))


def _with_iso(values: pd.Series, days: list[date | None]):
    """Placed days as a datetime column, ISO-dated cells read as written, and the cells that
    are neither."""
    text = clean(values)
    parsed = pd.Series([pd.Timestamp(d) if d else pd.NaT for d in days], index=text.index)
    parsed = parsed.astype("datetime64[us]")
    iso, _, _ = parse_datetime(text, ["%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
    parsed = parsed.fillna(iso)
    return parsed, (parsed.isna() & text.notna()).to_numpy()


def parse_series(values: pd.Series, end: date | None, start: date | None = None):
    """A daily series' dates (:func:`place_series`), or ISO dates as written."""
    text = clean(values)
    iso, _, _ = parse_datetime(text, ["%Y-%m-%d"])
    if iso.notna().sum() == text.notna().sum():  # written with a year: nothing to place
        return _with_iso(values, [None] * len(values))
    mds, _ = month_days(values)
    return _with_iso(values, place_series(mds, end, start))


def normalize(name: object) -> str:
    """Header text as matched: invisible characters dropped (:func:`visible`), NFKC,
    trimmed, case-folded, inner spaces collapsed.

    >>> normalize("Wieder\u00adgabe\u00adzeit (Stunden)"), normalize("  Post\u00a0ID ")
    ('wiedergabezeit (stunden)', 'post id')
    """
    return _normalized(str(name))


@functools.lru_cache(maxsize=4096)  # every format's match looks at the same header cells
def _normalized(name: str) -> str:
    text = unicodedata.normalize("NFKC", visible(name)).strip().strip('"').strip()
    return " ".join(text.casefold().split())
