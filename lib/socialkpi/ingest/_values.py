"""Parse the text cells of exports into typed values, column by column.

Each parser takes a column of strings and returns ``(values, bad)``: the parsed column and
a boolean mask of cells that could not be read (reported by the caller with row numbers).
Units are properties of the column (declared in the header map), never guessed per cell.
"""

from __future__ import annotations

import re
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
}


NULL_SPELLINGS = sorted({v for n in NULLS for v in (n, n.upper(), n.title())})


# characters that take no space and that exports leave in cells and headers: the soft hyphen
# (YouTube's German export breaks every header word with one), zero-width space, word joiner,
# byte-order mark, direction marks and bidi controls. Joiners (U+200C, U+200D) are kept: emoji
# and scripts need them in captions.
INVISIBLE = "[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
_INVISIBLE = re.compile(INVISIBLE)


def visible(text: object) -> str:
    """A cell or header as the user sees it: without invisible characters, with every kind
    of space (no-break, narrow, figure) a plain one.

    >>> visible("Ge\u00adsamt\u00a0Views\ufeff")
    'Gesamt Views'
    """
    return re.sub(r"[\u00a0\u2007\u202f]", " ", _INVISIBLE.sub("", str(text)))


def clean(values: pd.Series) -> pd.Series:
    """Trim cells, drop invisible characters (:func:`visible`) and turn the export's
    spellings of 'no value' into NA."""
    text = values.astype("string")
    if text.str.contains(INVISIBLE, regex=True).any():
        text = text.str.replace(INVISIBLE, "", regex=True)
    text = text.str.strip()
    return text.mask(text.isin(NULL_SPELLINGS))


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


def parse_number(
    values: pd.Series, unit: str | None = None, integer: bool = False, decimal: str = "."
):
    """Read numbers such as ``12,400``, ``1.2K``, ``3.2%``, ``424.0``, ``10.000`` (TikTok).

    ``decimal`` is the file's decimal mark (see :func:`decimal_mark`): with ``","``,
    ``1.234,5`` is 1234.5. A separator that does not group digits in threes (``0,0071`` in a
    decimal-point file) makes the cell unreadable rather than a different number.
    ``unit`` scales into the canonical unit (``percent`` -> fraction, ``hours`` -> seconds).
    ``integer=True`` reads ``10.000`` as ten thousand, as counts never have decimals, and
    marks a count with a fraction as unreadable.

    Examples
    --------
    >>> parse_number(pd.Series(["12,400", "1.2K", "-", "3.2%"]))[0].tolist()
    [12400.0, 1200.0, nan, 3.2]
    >>> parse_number(pd.Series(["1.234,5", "373,0"]), decimal=",")[0].tolist()
    [1234.5, 373.0]
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.astype("float64")  # a column the CSV reader already read as numbers
        return numbers * UNITS[unit], _fractional(numbers) if integer else np.zeros(
            len(values), bool
        )
    text = clean(values)
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


def parse_id(values: pd.Series):
    """IDs stay strings; spreadsheet damage (``1.22158E+17``) is flagged, never 'repaired'.

    The leading space YouTube adds to IDs that start with ``-`` is stripped.
    """
    text = clean(values).str.lstrip("'")
    bad = text.str.fullmatch(SCIENTIFIC.pattern).fillna(False)
    return text, bad.to_numpy()


def parse_datetime(values: pd.Series, formats: list[str], dayfirst_fallback: bool = False):
    """Parse with the column's declared formats, first match wins per cell.

    ``dayfirst_fallback`` accepts ``DD-MM-YYYY`` in an ISO date column (Excel re-save
    damage); the caller warns when it was needed. Returns ``(values, bad, used_fallback)``.
    """
    text = clean(values)
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
    """Strict strptime (the whole cell must match), in Arrow's C++ for speed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parsed = pc.strptime(
        pa.array(text.to_numpy(dtype=object)), format=fmt, unit="us", error_is_null=True
    )
    if pa.types.is_timestamp(parsed.type) and parsed.type.tz is not None:
        parsed = pc.cast(parsed, pa.timestamp("us"))  # UTC wall time
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=text.index)


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


def parse_yearless(values: pd.Series, export_date: date):
    """Dates without a year (TikTok Studio): the year is the export's, or the one before it
    when that would put the date after the export day.

    Examples
    --------
    >>> parse_yearless(pd.Series(["30 December"]), date(2027, 1, 5))[0].dt.date.tolist()
    [datetime.date(2026, 12, 30)]
    """
    text = clean(values)
    out = []
    for cell in text:
        md = None if pd.isna(cell) else month_day(cell)
        if md is None:
            out.append(pd.NaT)
            continue
        try:
            day = date(export_date.year, *md)
            if day > export_date:
                day = date(export_date.year - 1, *md)
        except ValueError:
            out.append(pd.NaT)
            continue
        out.append(pd.Timestamp(day))
    parsed = pd.Series(out, index=text.index, dtype="datetime64[us]")
    iso, _, _ = parse_datetime(text, ["%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
    parsed = parsed.fillna(iso)
    return parsed, (parsed.isna() & text.notna()).to_numpy()
