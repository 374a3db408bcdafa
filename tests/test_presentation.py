"""The presentation layer: one formatter for every number, catalogue headers, display names,
"—" with the reason a value is missing, escaping. Expected strings written by hand."""

import math

import pandas as pd
import pytest

from socialkpi import presentation as p
from socialkpi.presentation import Col


@pytest.mark.parametrize(
    ("value", "unit", "lang", "signed", "expected"),
    [
        (12400.0, "count", "en", False, "12,400"),
        (0.07354, "percent", "zh-TW", False, "7.35%"),
        (0.0085, "percent", "en", True, "+0.85 pp"),
        (-0.0085, "percent", "zh-TW", True, "-0.85 個百分點"),
        (4.25, "hours", "zh-TW", False, "4.3 小時"),
        (4.25, "hours", "en", False, "4.3 h"),
        (1234.5, "currency", "zh-TW", False, "NT$1,235"),
        (-23148.0, "currency", "en", True, "-NT$23,148"),
        (1200.0, "count", "en", True, "+1,200"),
        (2.5, "count", "en", False, "2.5"),
        (0.632, "share", "en", False, "63.2%"),
        (math.nan, "count", "en", False, "—"),
        (None, "percent", "zh-TW", False, "—"),
    ],
)
def test_number(value, unit, lang, signed, expected):
    assert p.number(value, unit, lang, "TWD", signed) == expected


def test_dates_in_the_pages_locale():
    assert p.date("2026-10-05", "zh-TW") == "2026年10月5日"
    assert p.date("2026-10", "en", "month") == "Oct 2026"
    assert p.date(None, "en") == "—"
    assert p.datetime_local(pd.Timestamp("2026-09-14 03:00", tz="UTC"), "Asia/Taipei", "zh-TW") == (
        "2026年9月14日 11:00"
    )


@pytest.mark.parametrize(
    ("value", "kind", "lang", "expected"),
    [
        ("tiktok", "platform", "zh-TW", "TikTok"),
        ("web", "platform", "zh-TW", "網站"),
        ("Monday", "weekday", "zh-TW", "星期一"),
        ("reel", "content_type", "en", "Reel"),
        ("at-risk", "status", "zh-TW", "有風險"),
        ("HK", "country", "zh-TW", "香港"),
        ("JP", "country", "en", "Japan"),
        ("(none)", "topic", "en", "no hashtag"),
        ("新品上市", "topic", "en", "新品上市"),
        (21, "hour", "zh-TW", "21 點"),
        (True, "bool", "en", "yes"),
        ("Amy", "text", "zh-TW", "Amy"),
    ],
)
def test_data_values_as_words(value, kind, lang, expected):
    assert p.text(value, kind, lang) == expected


def test_a_table_has_catalogue_headers_no_index_and_escaped_cells():
    frame = pd.DataFrame(
        {
            "platform": ["facebook", "x"],
            "caption": ["<img src=x onerror=1>", "ok"],
            "reach": [1200.0, math.nan],
        }
    )
    cols = [
        Col("platform", "col.platform", "platform"),
        Col("caption", "col.caption"),
        Col("reach", "col.followers", "count", "missing.not_reported"),
    ]
    html = p.table_html(frame, cols, "zh-TW")
    assert ">平台<" in html and ">貼文內容<" in html and ">粉絲數<" in html
    assert "&lt;img src=x onerror=1&gt;" in html and "<img src" not in html
    assert ">Facebook<" in html and ">X<" in html and ">facebook<" not in html
    assert ">1,200<" in html and "—<span" in html  # the missing value, marked...
    assert "此平台的匯出檔不提供這項數據" in html  # ...and its footnote says why
    assert "<th>0</th>" not in html and ">0<" not in html  # no index column


def test_missing_reasons_can_differ_row_by_row():
    frame = pd.DataFrame({"followers": [math.nan, math.nan]})
    reasons = pd.DataFrame({"followers": ["missing.not_reported", None]})
    html = p.table_html(frame, [Col("followers", "col.followers", "count")], "en", reasons=reasons)
    assert "export does not report it" in html and "no data in this period" in html


def test_rows_grouped_under_their_heading():
    frame = pd.DataFrame(
        {"goal": ["A", "A", "B"], "check": ["measurable", "relevant", "measurable"]}
    )
    html = p.table_html(frame, [Col("check", "col.check", "check")], "en", group="goal")
    assert html.count('class="gt_group_heading"') == 2 and ">Measurable<" in html


def test_sparklines_keep_gaps_and_need_two_points():
    svg = p.sparkline([1.0, None, 3.0], width=10, height=10)
    assert 'points="2.0,8.0 8.0,2.0"' in svg  # first and last point, the gap skipped
    assert p.sparkline([1.0, None]) == ""


def test_chips_and_links_escape():
    assert "&lt;b&gt;" in p.chips([("on-track", "<b>")], "en") and ">on track<" in p.chips(
        [("on-track", "g")], "en"
    )
    assert p.link("javascript:alert(1)", "open") == "javascript:alert(1)"
    assert p.link("https://a.b/c?x=1&y=2", "<o>") == (
        '<a href="https://a.b/c?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">&lt;o&gt;</a>'
    )
