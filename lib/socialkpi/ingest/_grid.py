"""Read a file's bytes into blocks of cells: CSV text, or each sheet of a workbook.

A CSV may hold several tables stacked with blank lines between them (GA4 downloads, Meta's
Audience.csv) and lines of its own before them (``sep=,``, GA4's ``#`` preamble, Meta's
metric-name line). Each table becomes a :class:`Block`; which rows are the header is decided
later, by matching header maps.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import date, datetime

from socialkpi.ingest._decode import DecodeError, decode
from socialkpi.ingest._errors import ExportError

EXCEL_SUFFIXES = (".xls", ".xlsx", ".xlsm", ".xlsb", ".ods")
_XLS_MAGIC = (b"\xd0\xcf\x11\xe0", b"PK\x03\x04")


@dataclass
class Block:
    """One table's rows, as text cells, with the line/row number of its first row."""

    rows: list[list[str]]
    first_line: int
    sheet: str | None = None
    comments: list[str] = field(default_factory=list)


def read_blocks(path: str, data: bytes) -> tuple[list[Block], str]:
    """Return the file's blocks and how it was decoded (``xlsx``, ``utf-8-sig``, ``cp950``...)."""
    lower = path.lower()
    if lower.endswith(EXCEL_SUFFIXES) or (data[:4] in _XLS_MAGIC and not lower.endswith(".csv")):
        return _sheets(path, data), "xlsx" if data[:4] == b"PK\x03\x04" else "xls"
    try:
        text, encoding = decode(data)
    except DecodeError as err:
        raise ExportError(path, f"cannot read the text: it {err}") from err
    return split_blocks(text), encoding


def split_blocks(text: str) -> list[Block]:
    """Split CSV text into blank-line separated blocks, skipping ``sep=`` and ``#`` lines."""
    lines = text.splitlines(keepends=True)
    start, delimiter = 0, None
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter, start = lines[0].strip()[4], 1
    body = "".join(lines[start:])
    if delimiter is None:
        delimiter = _sniff_delimiter(lines[start:])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    blocks: list[Block] = []
    current: Block | None = None
    comments: list[str] = []
    line = start + 1
    try:
        for row in reader:
            first = line
            line = start + reader.line_num + 1
            if row and row[0].lstrip().startswith("#") and (current is None or not current.rows):
                comments.append(",".join(row).lstrip("# ").strip())
                continue
            if not row or (row[0].lstrip().startswith("#")):
                if current is not None and current.rows:
                    blocks.append(current)
                current = None
                if row:
                    comments = [",".join(row).lstrip("# ").strip()]
                continue
            if current is None:
                current = Block([], first, comments=comments)
                comments = []
            current.rows.append(row)
    except csv.Error as err:
        raise ExportError("", f"line {line}: broken CSV quoting ({err})") from err
    if current is not None and current.rows:
        blocks.append(current)
    return blocks


def _sniff_delimiter(lines: list[str]) -> str:
    for raw in lines[:20]:
        stripped = raw.strip()
        if stripped and not stripped.startswith("#"):
            counts = {d: _count_outside_quotes(stripped, d) for d in ",;\t"}
            best = max(counts, key=counts.get)
            return best if counts[best] else ","
    return ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _sheets(path: str, data: bytes) -> list[Block]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as err:  # calamine raises several types for damaged workbooks
        raise ExportError(
            path,
            f"cannot open the workbook ({err})",
            "download it again, or open it and save as .xlsx",
        ) from err
    blocks = []
    for name in book.sheet_names:
        rows = [[_cell_text(v) for v in r] for r in book.get_sheet_by_name(name).to_python()]
        while rows and not any(rows[-1]):
            rows.pop()
        if rows:
            blocks.append(Block(rows, 1, sheet=name))
    return blocks


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
