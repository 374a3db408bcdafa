"""Damaged copies of the sample exports (Hypothesis, a bounded number of seeded examples).

Every damaged file must be either refused with a clear error (and nothing stored) or read
into rows that can be trusted. What "trusted" means depends on the damage:

- one byte replaced in a data line: the same number of rows, all but at most one identical
  to the clean file's (the damaged line may carry a different value: a digit turned into
  another digit cannot be detected);
- the file cut anywhere after its header: every row but the last identical to the clean
  file's, and a last row that differs only if a warning said the file may be cut short;
- re-saved with semicolons and decimal commas, with tabs, with CRLF line ends, or in another
  encoding: exactly the clean file's rows.
"""

import csv
import io
import os
import re
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialkpi import store
from socialkpi.ingest import ExportError, Options, builtin_formats, import_paths, parse_file
from socialkpi.ingest._decode import decode
from tests.conftest import FIXTURES

SAMPLE = FIXTURES.parent.parent / "data" / "sample"
EXPORT_DAY = date(2026, 10, 31)
# CI runs a fixed, seeded set; SOCIALKPI_FUZZ_EXAMPLES=2000 explores more, at random
EXPLORE = int(os.environ.get("SOCIALKPI_FUZZ_EXAMPLES", 0))
FUZZ = settings(
    max_examples=EXPLORE or 25,
    deadline=None,
    derandomize=not EXPLORE,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _tiktok_content() -> tuple[str, bytes]:
    with zipfile.ZipFile(SAMPLE / "lumi_tea" / "tiktok" / "TikTok_Studio_2026-10-31.zip") as z:
        name = next(n for n in z.namelist() if n.endswith("Content.csv"))
        return f"tiktok/{name}", z.read(name)


def _comments_head(lines: int = 40) -> tuple[str, bytes]:
    text = (SAMPLE / "lumi_tea" / "comments.csv").read_text("utf-8-sig")
    return "comments.csv", "".join(text.splitlines(keepends=True)[:lines]).encode("utf-8-sig")


def _sample(rel: str) -> tuple[str, bytes]:
    return rel, (SAMPLE / rel).read_bytes()


# name, bytes, and how many lines up to and including the header (damage goes after them)
FILES = {
    "meta_posts": (*_sample("lumi_tea/facebook/Oct-01-2026_Oct-31-2026_10398293087250.csv"), 1),
    "x_content": (
        *_sample("northwind_cloud/x/account_analytics_content_2026-09-01_2026-09-30.csv"),
        1,
    ),
    "ga4": (
        *_sample("lumi_tea/web/Traffic_acquisition_Session_source_medium_20261001-20261031.csv"),
        8,
    ),
    "page_daily": (*_sample("lumi_tea/facebook/page_daily/Views_2024-11-01_2026-10-31.csv"), 3),
    "tiktok_content": (*_tiktok_content(), 1),
    "comments": (*_comments_head(), 1),
    "linkedin_workbook": (
        *_sample("northwind_cloud/linkedin/northwind-cloud_content_1793494800000.xlsx"),
        None,
    ),
}
FORMATS = builtin_formats()


def _parse(name: str, data: bytes) -> tuple[dict[str, pd.DataFrame], list[str]]:
    frames, ctx, _, _ = parse_file(
        name, data, "lumi_tea", {}, Options(export_date=EXPORT_DAY), FORMATS, None, name
    )
    return frames, ctx.warnings


# columns computed from other rows (a comment's first reply is a later row of the file): a
# cut or damaged reply changes them in another row, which is the file's content, not a misread
DERIVED = ["source_file", "replied_at"]


def _rows(frames: dict[str, pd.DataFrame]) -> list[tuple]:
    """Every row of every table, as comparable tuples (NA as None), in file order."""
    out = []
    for table, frame in sorted(frames.items()):
        frame = frame.drop(columns=DERIVED, errors="ignore").astype(object)
        for row in frame.where(frame.notna(), None).itertuples(index=False):
            out.append((table, *row))
    return out


CLEAN = {key: _rows(_parse(name, data)[0]) for key, (name, data, _) in FILES.items()}


def _outcome(name: str, data: bytes):
    """(rows, warnings), or None if the file was refused with an ExportError."""
    try:
        frames, warnings = _parse(name, data)
    except ExportError:
        return None
    return _rows(frames), warnings


def _data_start(key: str) -> int:
    """The offset of the first byte after the header line."""
    _, data, header_lines = FILES[key]
    if header_lines is None:  # a workbook: every byte is fair game
        return 0
    text, encoding = decode(data)
    head = "".join(text.splitlines(keepends=True)[:header_lines])
    bom = {"utf-8-sig": 3, "utf-16": 2}.get(encoding, 0)
    return bom + len(head.encode("utf-16-le" if encoding == "utf-16" else "utf-8"))


@pytest.mark.parametrize("key", sorted(FILES))
@FUZZ
@given(data=st.data())
def test_one_damaged_byte_changes_at_most_its_row(key, data):
    name, clean, _ = FILES[key]
    at = data.draw(st.integers(_data_start(key), len(clean) - 1), label="offset")
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != clean[at]), label="byte")
    outcome = _outcome(name, clean[:at] + bytes([byte]) + clean[at + 1 :])
    if outcome is None:
        return  # refused: see test_a_refused_file_changes_nothing
    rows, _ = outcome
    assert len(rows) == len(CLEAN[key])
    changed = [r for r in rows if r not in CLEAN[key]]
    assert len(changed) <= 1, changed


@pytest.mark.parametrize("key", sorted(FILES))
@FUZZ
@given(data=st.data())
def test_a_cut_file_keeps_whole_rows_or_says_so(key, data):
    name, clean, _ = FILES[key]
    at = data.draw(st.integers(_data_start(key), len(clean) - 1), label="cut at")
    outcome = _outcome(name, clean[:at])
    if outcome is None:
        return
    rows, warnings = outcome
    whole = max(len(rows) - 1, 0)
    assert rows[:whole] == CLEAN[key][:whole]
    if rows and rows[-1] != CLEAN[key][len(rows) - 1]:
        assert any("ends without a line break" in w for w in warnings), rows[-1]


NUMBER = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+")
SWAP = str.maketrans(",.", ".,")


def _resave(data: bytes, delimiter: str, decimal_comma: bool) -> bytes:
    """The file as a spreadsheet in another locale would save it."""
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        if decimal_comma:  # 14,811.5 -> 14.811,5
            row = [c.translate(SWAP) if NUMBER.fullmatch(c) else c for c in row]
        writer.writerow(row)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


REENCODED = ["utf-8-sig", "utf-16", "cp950", "gb18030"]


@pytest.mark.parametrize("key", ["meta_posts", "x_content", "tiktok_content", "comments"])
@pytest.mark.parametrize("change", ["semicolon_decimal_comma", "tab", "crlf", *REENCODED])
def test_a_resaved_file_reads_the_same(key, change):
    name, clean, _ = FILES[key]
    text = clean.decode("utf-8-sig")
    if change == "semicolon_decimal_comma":
        damaged = _resave(clean, ";", decimal_comma=True)
    elif change == "tab":
        damaged = _resave(clean, "\t", decimal_comma=False)
    elif change == "crlf":
        damaged = clean.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    else:
        try:
            damaged = text.encode(change)
        except UnicodeEncodeError:
            pytest.skip(f"the sample's text has characters {change} cannot hold")
    rows, _ = _outcome(name, damaged) or (None, None)
    assert rows == CLEAN[key]


def _impressions_digits(key: str) -> list[tuple[int, int]]:
    """(byte offset, data row) of every digit in the Impressions column of an X content file."""
    _, data, header_lines = FILES[key]
    lines = data.decode("utf-8").splitlines(keepends=True)
    column = lines[0].split(",").index("Impressions")
    out, offset = [], len("".join(lines[:header_lines]).encode())
    for row, line in enumerate(lines[header_lines:], start=header_lines + 1):
        cells = next(csv.reader([line]))
        before = line.index(f",{cells[column]},", len(",".join(cells[:column])) - 1) + 1
        start = offset + len(line[:before].encode())
        out += [(start + i, row) for i in range(len(cells[column]))]
        offset += len(line.encode())
    return out


DIGITS = _impressions_digits("x_content")


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(digit=st.sampled_from(DIGITS))
def test_a_refused_file_changes_nothing(tmp_path_factory, digit):
    """Through the real store: a digit of an impressions count turned into a letter refuses
    the file, names the row, and leaves every table as it was."""
    at, row = digit
    folder = tmp_path_factory.mktemp("fuzz")
    con = store.open_store(folder / "s.duckdb")
    name, clean, _ = FILES["x_content"]
    earlier = (
        SAMPLE / "northwind_cloud" / "x" / "account_analytics_content_2026-08-01_2026-08-31.csv"
    )
    import_paths(con, [earlier], Options(brand="northwind_cloud"))
    before = {t: store.read(con, t) for t in ("posts", "account_daily")}
    damaged = folder / Path(name).name
    damaged.write_bytes(clean[:at] + b"x" + clean[at + 1 :])
    (result,) = import_paths(con, [damaged], Options(brand="northwind_cloud"))
    assert result.status == "failed"
    assert f'row {row}, column "Impressions": expected a count' in result.error
    for table, frame in before.items():
        pd.testing.assert_frame_equal(store.read(con, table), frame)
    assert con.execute("SELECT count(*) FROM imports").fetchall() == [(1,)]
    con.close()
