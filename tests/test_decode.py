"""Encodings exports come in: BOMs, UTF-16 without one, Big5 against GB18030, and bytes that
are text in none of them."""

import pytest

from socialkpi.ingest._decode import DecodeError, decode


def test_byte_order_marks_win():
    assert decode("\ufeff日期,觸及".encode()) == ("日期,觸及", "utf-8-sig")
    text, name = decode("日期\t觸及".encode("utf-16"))  # LinkedIn/Excel "Unicode text"
    assert (text, name) == ("日期\t觸及", "utf-16")


def test_utf16_without_a_bom_is_recognised_by_its_zero_bytes():
    assert decode("Date,Reach\n1,2".encode("utf-16-le")) == ("Date,Reach\n1,2", "utf-16-le")


def test_traditional_chinese_excel_csv_reads_as_cp950_not_gb18030():
    data = "貼文,觸及人數,留言\n新品上市,1200,35".encode("cp950")
    assert decode(data) == ("貼文,觸及人數,留言\n新品上市,1200,35", "cp950")


def test_simplified_chinese_reads_as_gb18030():
    text, name = decode("发布时间,浏览量,评论数\n新品上市,1200,35".encode("gb18030"))
    assert name == "gb18030" and text.startswith("发布时间")


def test_damaged_utf8_is_named_not_guessed():
    data = ("日期,觸及\n" * 50).encode() + b"\xff\xfe\xfa" + "尾".encode()
    with pytest.raises(DecodeError, match="UTF-8"):
        decode(data)
