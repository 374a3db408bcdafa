"""Read a file's bytes into blocks of cells: CSV text, or each sheet of a workbook.

A CSV may hold several tables stacked with blank lines between them (GA4 downloads, Meta's
Audience.csv) and lines of its own before them (``sep=,``, GA4's ``#`` preamble, Meta's
metric-name line). Each table becomes a :class:`Block`; which rows are the header is decided
later, by matching header maps.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from socialkpi.config.limits import Limits, limits
from socialkpi.ingest._decode import DecodeError, decode
from socialkpi.ingest._errors import ExportError
from socialkpi.ingest._values import DOT_THOUSANDS, NULL_SPELLINGS, decimal_mark

EXCEL_SUFFIXES = (".xls", ".xlsx", ".xlsm", ".xlsb", ".ods")
_XLS_MAGIC = (b"\xd0\xcf\x11\xe0", b"PK\x03\x04")
# above this size a single-table CSV is read by Arrow's parser; smaller files (and any file
# with stacked tables) go through Python's csv module, which is exact and fast enough there
FAST_PATH_CHARS = 300_000
_HEAD_LINES = 40


@dataclass
class Block:
    """One table's rows, as text cells, with the line/row number of its first row.

    For a large single-table CSV, ``rows`` holds only the first lines (enough to find the
    header) and ``text`` the whole table, read column-wise by :meth:`body`.
    """

    rows: list[list[str]]
    first_line: int
    sheet: str | None = None
    comments: list[str] = field(default_factory=list)
    text: str | None = None
    delimiter: str = ","
    decimal: str = "."  # the decimal mark of the block's numbers (see _values.decimal_mark)
    unterminated: bool = False  # the file's last line ends without a line break or a quote
    ends_file: bool = True  # False for a piece of a table that more pieces follow

    @property
    def last_line(self) -> int:
        """The row number a spreadsheet shows for the block's last row."""
        if self.text is not None:  # the line breaks before the trailing ones (no copy)
            text, end = self.text, len(self.text)
            while end and text[end - 1] in "\r\n":
                end -= 1
            return self.first_line + text.count("\n", 0, end)
        return self.first_line + len(self.rows) - 1

    def body(self, start: int, columns: dict[int, bool]) -> tuple[pd.DataFrame, np.ndarray]:
        """Rows from index ``start`` on, as one column per wanted index, and their line numbers.

        ``columns`` maps a column index to whether it may arrive as numbers (else text).
        Rows with no value in any wanted column are dropped.
        """
        if self.text is not None:
            fast = _arrow_body(self, start, columns)
            if fast is not None:
                return fast
            self.rows = [r for b in split_blocks(self.text) for r in b.rows]
            self.text = None
        body = self.rows[start:]
        lines = np.arange(len(body)) + self.first_line + start
        grid = {j: [r[j] if j < len(r) else "" for r in body] for j in columns}
        raw = pd.DataFrame(grid, columns=list(columns), dtype="string")
        keep = [any(str(c).strip() for c in r) for r in body]
        keep = np.array(keep, dtype=bool) if body else np.zeros(0, dtype=bool)
        return raw[keep].reset_index(drop=True), lines[keep]

    def pieces(self, start: int, size: int | None):
        """The block cut into blocks of about ``size`` characters of its text, each with the
        header's lines and whether it is the last: ``(block, last)``. A piece ends at a line
        break outside quotes, so no record is cut and each piece reads as its own small
        table, line numbers and all (its :meth:`body` is read later, on any thread)."""
        if not size or self.text is None or len(self.text) <= size:
            yield self, True
            return
        text, pos = self.text, 0
        for _ in range(start):  # the header's lines (a header never spans lines)
            pos = text.index("\n", pos) + 1
        head, line = text[:pos], self.first_line + start
        quotes = text.count('"', 0, pos)
        while pos < len(text):
            end, quotes = _record_end(text, pos, pos + size, quotes)
            chunk = text[pos:end]
            piece = Block(self.rows, line - start, text=head + chunk, delimiter=self.delimiter)
            piece.decimal = self.decimal
            piece.ends_file = end >= len(text)
            piece.unterminated = self.unterminated and piece.ends_file
            yield piece, end >= len(text)
            line += chunk.count("\n")
            pos = end

    def misshapen(
        self, start: int, width: int, wanted: list[int], skip: set[int] = frozenset()
    ) -> list[str]:
        """Rows from index ``start`` on that do not fit a header of ``width`` cells: a row
        missing a ``wanted`` column (the last row: the file was cut short there), or with
        values past the header (a delimiter inside an unquoted value shifts every column).
        Rows on the lines in ``skip`` (a footer note is one cell wide) are not looked at."""
        if self.text is not None:  # read by Arrow, which refuses rows of another width
            return []
        need = max(wanted, default=-1) + 1
        body = self.rows[start:]
        problems = []
        for i, row in enumerate(body):
            line = self.first_line + start + i
            if line in skip:
                continue
            if len(row) < need and any(c.strip() for c in row):
                cut = i == len(body) - 1 and self.ends_file
                problems.append(
                    f"row {line} has {len(row)} of the header's {width} columns"
                    + (
                        ": the file ends in the middle of this row (it was cut short)"
                        if cut
                        else ""
                    )
                )
            elif len(row) > width and any(c.strip() for c in row[width:]):
                problems.append(
                    f"row {line} has {len(row)} columns but the header has {width}: a value "
                    "probably holds an unquoted delimiter, which shifts every column after it"
                )
        return problems


def _record_end(text: str, pos: int, at: int, quotes: int) -> tuple[int, int]:
    r"""Where a window that starts at ``pos`` ends: just after the first line break at or
    beyond ``at`` that lies outside quotes (an even count of quote characters before it:
    a doubled quote inside a value counts two), and the count of quotes before that end.

    >>> _record_end('a,b\n"x\ny",2\nc,3\n', 0, 4, 0)
    (12, 2)
    """
    end = at
    while True:
        nl = text.find("\n", end)
        if nl == -1:
            return len(text), quotes + text.count('"', pos)
        quotes_then = quotes + text.count('"', pos, nl)
        if quotes_then % 2 == 0:
            return nl + 1, quotes_then
        end = nl + 1


def _arrow_body(block: Block, start: int, columns: dict[int, bool]):
    read = _arrow_table(block, start, columns)
    if read is None:
        return None
    table, columns = read
    return _arrow_frame(table, columns, block.first_line + start, whole=True)


def _arrow_table(block: Block, start: int, columns: dict[int, bool]):
    """The block's rows from ``start`` on, read by Arrow, and the columns as read (all text
    where a cell writes thousands with dots); None where the exact reader must take over."""
    import pyarrow as pa
    import pyarrow.csv as pv

    names = {j: f"f{j}" for j in columns}
    if any(DOT_THOUSANDS.match(c.strip()) for r in block.rows[1:] for c in r):
        columns = dict.fromkeys(columns, False)  # 10.000 means ten thousand: parse as text
    encoded = block.text.encode("utf-8")
    try:
        table = pv.read_csv(
            pa.BufferReader(encoded),
            read_options=pv.ReadOptions(skip_rows=start, autogenerate_column_names=True),
            parse_options=pv.ParseOptions(delimiter=block.delimiter, newlines_in_values=True),
            convert_options=pv.ConvertOptions(
                include_columns=list(names.values()),
                include_missing_columns=True,
                column_types={
                    names[j]: pa.string() for j, numeric in columns.items() if not numeric
                },
                null_values=NULL_SPELLINGS,
                decimal_point=block.decimal,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # ragged rows or the like: the exact Python reader takes over
    del encoded
    physical = block.text.count("\n") + (not block.text.endswith("\n")) - start
    if table.num_rows != physical:
        return None  # a cell spans lines: row numbers would drift, so read exactly instead
    return table, columns


def _arrow_frame(table, columns: dict[int, bool], first_line: int, whole: bool = False):
    """An Arrow table (or a slice of one) as the frame ``Block.body`` gives, and its lines."""
    rows = table.num_rows
    # a whole table's buffers are freed as its columns convert (a slice shares its parent's)
    raw = table.to_pandas(self_destruct=whole, split_blocks=whole)
    raw.columns = list(columns)
    for j, numeric in columns.items():
        if not numeric or str(raw[j].dtype) in ("null", "object") and raw[j].isna().all():
            raw[j] = raw[j].astype("string") if not numeric else raw[j].astype("float64")
    keep = raw.notna().any(axis=1).to_numpy()
    lines = np.arange(rows) + first_line
    return raw[keep].reset_index(drop=True), lines[keep]


def read_blocks(path: str, data: bytes) -> tuple[list[Block], str]:
    """Return the file's blocks and how it was decoded (``xlsx``, ``utf-8-sig``, ``cp950``...)."""
    lower = path.lower()
    if lower.endswith(EXCEL_SUFFIXES) or (data[:4] in _XLS_MAGIC and not lower.endswith(".csv")):
        return _sheets(path, data), "xlsx" if data[:4] == b"PK\x03\x04" else "xls"
    try:
        text, encoding = decode(data)
    except DecodeError as err:
        raise ExportError(path, f"cannot read the text: it {err}") from err
    blocks = None
    if len(text) > FAST_PATH_CHARS:
        block = _single_table(text)
        blocks = [block] if block is not None else None
    blocks = blocks or split_blocks(text)
    for block in blocks:
        block.decimal = _decimal(path, block)
    if blocks and text and text[-1] not in '\r\n"':
        blocks[-1].unterminated = True  # no line break and no closing quote: maybe cut short
    return blocks, encoding


def _decimal(path: str, block: Block) -> str:
    """The block's decimal mark; a block that writes numbers both ways is refused."""
    mark, seen = decimal_mark((c for r in block.rows[1:] for c in r), block.delimiter)
    if len(seen) < 2:
        return mark
    where = {}
    for i, row in enumerate(block.rows):
        for cell in row:
            for m, example in seen.items():
                if cell.strip() == example and m not in where:
                    where[m] = f"row {block.first_line + i}: {example!r}"
    raise ExportError(
        path,
        "numbers are written in two styles: decimal comma at "
        f"{where.get(',', seen[','])} and decimal point at {where.get('.', seen['.'])}",
        "export the file again, or save it from one spreadsheet locale",
    )


def _single_table(text: str) -> Block | None:
    """A large CSV holding one table: its head parsed for header matching, its text kept."""
    offset = 0
    first = text[: text.find("\n") + 1]
    delimiter = None
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        delimiter, offset, text = first.strip()[4], 1, text[len(first) :]
    head = text[:65536]
    if not text or text[0] in "\r\n#":
        return None
    for blank in ("\n\n", "\n\r\n"):
        at = text.find(blank)
        if at != -1 and text[at:].strip():
            return None  # a blank line before the end: stacked tables, read exactly
    head = "".join(itertools.islice(io.StringIO(head), _HEAD_LINES))
    blocks = split_blocks(head, complete=False)
    if len(blocks) != 1 or blocks[0].first_line != 1:
        return None
    block = blocks[0]
    block.first_line += offset
    block.text = text
    block.delimiter = delimiter or _sniff_delimiter(head.splitlines()[:20])
    return block


def split_blocks(text: str, complete: bool = True) -> list[Block]:
    """Split CSV text into blank-line separated blocks, skipping ``sep=`` and ``#`` lines."""
    lines = text.splitlines(keepends=True)
    start, delimiter = 0, None
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter, start = lines[0].strip()[4], 1
    body = "".join(lines[start:])
    if delimiter is None:
        delimiter = _sniff_delimiter(lines[start:])

    cell_kb = limits().cell_kb
    csv.field_size_limit(cell_kb * 1024)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    blocks: list[Block] = []
    current: Block | None = None
    comments: list[str] = []
    line, first = start + 1, 0
    try:
        for row in reader:
            first = line
            line = start + reader.line_num + 1
            if row and row[0].lstrip().startswith("#") and (current is None or not current.rows):
                comments.append(",".join(row).lstrip("# ").strip())
                continue
            # "#" lines are a block's preamble (GA4); inside a table, a row of the header's
            # width whose first cell starts with "#" (a hashtag, a topic) is data
            if not row or (row[0].lstrip().startswith("#") and len(row) < len(current.rows[0])):
                if current is not None and current.rows:
                    blocks.append(current)
                current = None
                if row:
                    comments = [",".join(row).lstrip("# ").strip()]
                continue
            if current is None:
                current = Block([], first, comments=comments, delimiter=delimiter)
                comments = []
            current.rows.append(row)
    except csv.Error as err:
        if "field larger than field limit" in str(err):
            variable = Limits.variable("cell_kb")
            raise ExportError(
                "",
                f"line {line}: a cell longer than {cell_kb:,} KB, the limit ({variable}); a "
                "quote that never closes makes the rest of the file one cell",
                "check the quotes near that line, or download the export again; if the cell "
                f"is genuine, raise the limit: {variable}={cell_kb * 64}",
            ) from err
        raise ExportError("", f"line {line}: broken CSV quoting ({err})") from err
    if complete:  # a file's head may stop inside a quoted cell
        _check_last_quote(lines, first, delimiter)
    if current is not None and current.rows:
        blocks.append(current)
    return blocks


def _check_last_quote(lines: list[str], first: int, delimiter: str) -> None:
    """Refuse a quote that never closes: it makes the rest of the file one cell of the last
    row (the forgiving reader accepts that), so the last row is read again strictly. A last
    row on one line is a file cut short, which the row-width check names."""
    if not first or len(lines) - first < 1:
        return
    try:
        for _ in csv.reader(
            io.StringIO("".join(lines[first - 1 :]), newline=""), strict=True, delimiter=delimiter
        ):
            pass
    except csv.Error as err:
        if "unexpected end of data" in str(err):
            raise ExportError(
                "",
                f"line {first}: broken CSV quoting (a quote opens a cell and never closes, "
                "so the rest of the file would be one cell)",
                "check the quotes on that line, or download the export again",
            ) from err


def _sniff_delimiter(lines: list[str]) -> str:
    r"""The delimiter that splits the first 20 lines most consistently: the most lines x
    fields among lines cut into the same number of fields, so neither a title line such as
    ``Lumi Tea, posts export`` above a tab-separated table nor a comma inside some values
    decides; ``,`` when none splits.

    Examples
    --------
    >>> _sniff_delimiter(["Lumi Tea, posts export", "Date\tViews", "1/2\t3", "1/3\t4"])
    '\t'
    >>> _sniff_delimiter(["Date;Views;Rate", "01.02.2026;3;0,5", "02.02.2026;4;1,25"])
    ';'
    """
    sample = [ln.strip() for ln in lines[:20] if ln.strip() and not ln.strip().startswith("#")]
    best, best_key = ",", (0, 0)
    for delimiter in ",;\t":
        counts = Counter(c for c in (_count_outside_quotes(ln, delimiter) for ln in sample) if c)
        if counts:
            fields, lines_with = counts.most_common(1)[0]
            if (lines_with * fields, lines_with) > best_key:
                best, best_key = delimiter, (lines_with * fields, lines_with)
    return best


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

    _check_workbook(path, data)
    blocks = []
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in book.sheet_names:
            rows = [[_cell_text(v) for v in r] for r in book.get_sheet_by_name(name).to_python()]
            while rows and not any(rows[-1]):
                rows.pop()
            if rows:
                blocks.append(Block(rows, 1, sheet=name))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as err:  # calamine raises several types (a Rust panic is no Exception)
        raise ExportError(
            path,
            f"cannot read the workbook, it is damaged ({type(err).__name__}: {err})",
            "download it again, or open it and save it as .xlsx",
        ) from err
    return blocks


def _check_workbook(path: str, data: bytes) -> None:
    """Refuse an .xlsx whose parts (sheets, shared strings) unpack beyond the workbook limit
    before any is unpacked: a few megabytes can hold gigabytes of shared strings."""
    import zipfile

    from socialkpi.ingest import _limits

    if data[:4] != b"PK\x03\x04":
        return  # an .xls: its size is its size
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return  # calamine names the damage
    total = sum(p.file_size for p in parts)
    if total > limits().workbook_mb * 2**20:
        largest = max(parts, key=lambda p: p.file_size)
        problem, fix = _limits.exceeded("the workbook unpacks to", total, "workbook_mb", 2**20)
        raise ExportError(
            path,
            f"{problem}; its largest part is {largest.filename} ({largest.file_size // 2**20:,} MB)",
            fix,
        )


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
