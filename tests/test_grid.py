"""Bytes into blocks of cells: stacked tables, preamble comments, hashtags in data, the
delimiter, and where each block starts."""

import pytest

from socialkpi.ingest._errors import ExportError
from socialkpi.ingest._grid import read_blocks, split_blocks


def test_blank_lines_split_stacked_tables_and_hash_lines_are_their_preamble():
    text = "# Start date: 20261001\nDate,Users\n2026-10-01,5\n\n# Totals\nUsers\n5\n"
    first, second = split_blocks(text)
    assert first.rows == [["Date", "Users"], ["2026-10-01", "5"]]
    assert (first.first_line, first.comments) == (2, ["Start date: 20261001"])
    assert (second.rows, second.first_line, second.comments) == ([["Users"], ["5"]], 6, ["Totals"])


def test_a_hashtag_row_of_the_headers_width_is_data():
    (block,) = split_blocks("Topic,Posts\n#新品,3\n#RStats,2\n")
    assert [r[0] for r in block.rows] == ["Topic", "#新品", "#RStats"]


def test_sep_line_and_sniffed_delimiters():
    (block,) = split_blocks("sep=;\nDate;Views\n1.10.2026;3\n")
    assert (block.delimiter, block.rows[1], block.first_line) == (";", ["1.10.2026", "3"], 2)
    (tabbed,) = split_blocks("Date\tViews, total\n2026-10-01\t3\n2026-10-02\t4\n")
    assert tabbed.delimiter == "\t" and tabbed.rows[0] == ["Date", "Views, total"]


def test_decimal_comma_and_a_file_cut_short():
    blocks, encoding = read_blocks("x.csv", b"Date;Rate\n01.10.2026;0,5\n02.10.2026;1,25")
    assert encoding == "utf-8" and blocks[0].decimal == "," and blocks[0].unterminated


def test_broken_quoting_names_the_line():
    with pytest.raises(ExportError, match="line 3: broken CSV quoting"):
        split_blocks('a,b\n1,2\n"3,4\n' + "x" * 200_000)
