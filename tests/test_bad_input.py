"""One test per damaged or unusual file in tests/fixtures/bad: the exact outcome, either the
error a user sees (file, row/column, what was expected, the fix) or the repaired values."""

import csv
import io
from datetime import date

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.ingest import Options, import_paths
from tests.conftest import FIXTURES


def _failed(load, name, *fragments):
    result = load(f"bad/{name}")
    assert result.status == "failed", result
    assert str(FIXTURES / "bad" / name) in result.error
    for fragment in fragments:
        assert fragment in result.error, result.error
    return result


def _posts(con):
    return store.read(con, "posts")


def _daily(con):
    return store.read(con, "account_daily").set_index("date")


def _nothing_stored(con):
    for table in ("posts", "account_daily", "audience", "comments", "web_sessions", "competitors"):
        assert store.read(con, table).empty
    assert con.execute("SELECT count(*) FROM imports").fetchall() == [(0,)]


def test_unknown_format(load, con):
    _failed(
        load,
        "unknown_format.csv",
        "not a known export format",
        '"Favourite colour"',
        "canonical CSV",
    )
    _nothing_stored(con)


def test_missing_required_column(load, con):
    _failed(
        load,
        "missing_required_column.csv",
        "closest known format: Meta Business Suite Facebook post export (meta_facebook_posts)",
        'missing required columns: "Publish time"',
        "--aliases FILE",
    )
    _nothing_stored(con)


def test_scientific_notation_ids(load, con):
    _failed(
        load,
        "scientific_notation_ids.csv",
        "row 2, column \"Post ID\": expected an ID kept as text, found '6.1571E+13'",
        "scientific notation",
        "format the ID column as Text",
    )
    _nothing_stored(con)


def test_excel_ddmmyyyy_dates_youtube_totals(load, con):
    result = load("bad/excel_ddmmyyyy_dates_youtube_totals.csv")
    assert result.status == "imported"
    assert any("DD-MM-YYYY" in w for w in result.warnings)
    daily = _daily(con)
    assert daily.loc["2025-06-13", "views"] == 40
    assert daily.loc["2025-06-14", "views"] == 55


def test_cp950_zh_tw_headers(load, con):
    result = load("bad/cp950_zh_tw_headers.csv")
    assert result.encoding == "cp950"
    assert "read as cp950 (not UTF-8)" in result.warnings
    post = _posts(con).iloc[0]
    assert post.caption == "珍珠奶茶買一送一"
    assert (post.reach, post.reactions, post.content_type) == (4200, 100, "image")


def test_gb18030_zh_headers(load, con):
    result = load("bad/gb18030_zh_headers.csv")
    assert result.encoding == "gb18030"
    assert _posts(con).iloc[0].caption == "新品上市欢迎购买"


def test_windows1252_caption(load, con):
    result = load("bad/windows1252_caption.csv")
    assert result.encoding == "cp1252"
    assert _posts(con).iloc[0].caption == "Café crème – très bon"


def test_utf16le_without_bom_page_daily(load, con):
    result = load("bad/facebook_utf16le_no_bom_page_daily.csv")
    assert result.encoding == "utf-16-le"
    assert _daily(con).loc["2025-08-01", "views"] == 1500


def test_thousands_separators(load, con):
    post = (load("bad/thousands_separators.csv"), _posts(con).iloc[0])[1]
    assert (post.views, post.reach) == (1234567, 12400)


def test_tiktok_viewers_undefined_is_unknown_not_zero(load, con):
    """A day written "undefined" in every column carries no data: it is a placeholder row,
    skipped and counted, never a day of 0 viewers."""
    result = load("bad/tiktok_viewers_undefined.csv", platform="tiktok")
    daily = _daily(con)
    assert "2026-10-30" not in daily.index
    assert daily.loc["2026-10-31", "reach"] == 700
    assert "1 placeholder row skipped (rows that are not data)" in result.warnings


def test_x_promoted_columns_dash(load, con):
    load("bad/x_promoted_columns_dash.csv")
    post = _posts(con).iloc[0]
    assert post.paid is False or post.paid == False  # noqa: E712 - pandas boolean scalar
    assert (post.impressions, post.reactions, post.shares) == (100, 3, 1)


def test_negative_count_in_post(load, con):
    _failed(
        load,
        "negative_count_in_post.csv",
        'row 2, column "Reach": expected a whole number >= 0',
        "'-5'",
    )
    _nothing_stored(con)


def test_linkedin_negative_daily_values(load, con):
    result = load("bad/linkedin_negative_daily_values.xlsx")
    assert (
        "1 negative daily values (a known LinkedIn glitch) were stored as empty" in result.warnings
    )
    daily = _daily(con)
    # day 1: reactions -3 dropped, so engagements = comments 2 + reposts 1
    assert daily.loc["2025-10-01", "engagements"] == 3
    assert daily.loc["2025-10-02", "engagements"] == 11


def test_semicolon_delimiter(load, con):
    load("bad/semicolon_delimiter.csv")
    post = _posts(con).iloc[0]
    assert (post.post_id, post.reach, post.clicks) == ("6157100000001_1001", 900, 50)


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_a_title_line_does_not_decide_the_delimiter(load, con, tmp_path, delimiter):
    """A tab- or semicolon-separated Meta export under a title line, with a column missing:
    read with its own delimiter, the error names the format it is closest to."""
    rows = list(
        csv.reader(io.StringIO((FIXTURES / "good/meta_facebook_posts.csv").read_text("utf-8-sig")))
    )
    drop = rows[0].index("Post type")
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([r[:drop] + r[drop + 1 :] for r in rows])
    path = tmp_path / "posts.csv"
    path.write_text("Lumi Tea, posts export\n" + out.getvalue(), "utf-8")
    result = load(str(path))
    assert result.status == "failed"
    assert "closest known format: Meta Business Suite Facebook post export" in result.error
    assert 'missing required columns: "Post type"' in result.error


def test_empty_file(load, con):
    _failed(load, "empty_file.csv", "the file is empty")


def test_header_only(load, con):
    result = load("bad/header_only.csv")
    assert result.status == "imported"
    assert result.rows == {"posts": 0}
    assert "the file has a header but no data rows" in result.warnings


def test_bad_number_cell(load, con):
    _failed(
        load,
        "bad_number_cell.csv",
        "row 3, column \"Reach\": expected a count (a whole number such as 1200 or 1,200), found 'lots'",
    )
    _nothing_stored(con)


def test_bad_date_cell(load, con):
    _failed(
        load,
        "bad_date_cell.csv",
        "row 2, column \"Publish time\": expected a date and time, found 'yesterday'",
    )


def test_duplicate_post_rows(load, con):
    _failed(
        load,
        "duplicate_post_rows.csv",
        "row 2, column",
        "row 3, column",
        "this key appears on another row too",
    )
    _nothing_stored(con)


def test_truncated_archive(load, con):
    _failed(load, "truncated_archive.zip", "is not a readable ZIP archive", "download it again")


def test_binary_garbage(load, con):
    _failed(
        load,
        "binary_garbage.csv",
        "is not text in UTF-8, UTF-16, CP950/Big5, GB18030 or Windows-1252",
    )


def test_ga4_month_without_date_column(load, con):
    _failed(
        load,
        "ga4_month_without_date_column.csv",
        "covers 20261001..20261031 without a Date column",
        '"Date" as a secondary dimension',
    )
    _nothing_stored(con)


def test_ga4_conversions_old_name_and_total_row(load, con):
    result = load("bad/ga4_conversions_old_name.csv")
    assert result.rows == {"web_sessions": 1}  # the grand-total row (empty dimension) is dropped
    row = store.read(con, "web_sessions").iloc[0]
    assert (row.date, row.source_medium, row.sessions, row.key_events) == (
        pd.Timestamp("2023-03-01"),
        "m.facebook.com / referral",
        50,
        3,
    )


def test_tiktok_file_renamed_on_phone(load, con):
    result = load("bad/tiktok_ファイル.csv")
    assert result.formats == ["tiktok_overview"]
    assert _daily(con).loc["2026-09-13", "views"] == 300


def test_tiktok_yearless_dates_across_new_year(con):
    (result,) = import_paths(
        con, [FIXTURES / "bad/tiktok_overview_new_year.csv"], Options("acme", date(2027, 1, 5))
    )
    assert result.status == "imported"
    assert list(_daily(con).index) == [pd.Timestamp("2026-12-30"), pd.Timestamp("2027-01-02")]


def test_tiktok_dot_thousands(load, con):
    load("bad/tiktok_content_dot_thousands.csv")
    post = _posts(con).iloc[0]
    assert (post.post_id, post.views, post.reactions) == ("7691729799374438409", 10000, 1500)
    # the id's upper 32 bits: 2026-10-01 16:00 UTC (Oct 2, 00:00 in Taipei, as "Post time" says)
    assert post.published_at == pd.Timestamp("2026-10-01 16:00", tz="UTC") and post.time_known


def test_tiktok_k_suffix_and_dashes(load, con):
    load("bad/tiktok_overview_k_suffix.csv")
    day = _daily(con).loc["2026-10-03"]
    assert day.views == 1200
    assert day.engagements == 15  # likes only: comments "-" and shares "–" are unknown


def test_page_daily_unknown_metric(load, con):
    _failed(
        load,
        "page_daily_unknown_metric.csv",
        "line 2: unknown metric 'Facebook warp speed'",
        "facebook follows",
    )


def test_meta_header_case_drift(load, con):
    result = load("bad/meta_header_case_drift.csv")
    assert result.status == "imported"
    assert not any(
        "differ" in w for w in result.warnings
    )  # 36 == 30 + 4 + 2 in the lower-case column
    assert _posts(con).iloc[0].reactions == 30


def test_youtube_total_row_mismatch(load, con):
    result = load("bad/youtube_total_row_mismatch.csv")
    (warning,) = [w for w in result.warnings if "Total row" in w]
    assert "views 999 in the Total row, 500 in the video rows" in warning
    assert list(_posts(con).post_id) == ["abcDEF12345"]


def test_damaged_workbook(load, con):
    _failed(
        load, "damaged_workbook.xlsx", "cannot read the workbook, it is damaged", "save it as .xlsx"
    )


def test_unknown_post_type(load, con):
    result = load("bad/unknown_post_type.csv")
    assert any("unknown post types ['Hologram']" in w for w in result.warnings)
    assert pd.isna(_posts(con).iloc[0].content_type)


def test_gender_without_platform(load, con):
    _failed(
        load, "gender_without_platform.csv", "same columns on several platforms", "--platform NAME"
    )
    assert load("bad/gender_without_platform.csv", platform="facebook").status == "imported"


def test_comments_missing_text_column(load, con):
    _failed(
        load,
        "comments_missing_text_column.csv",
        "(canonical_comments)",
        'missing required columns: "text"',
    )


def _competitors_listed(con):
    """Brand acme watches 茶之森 and Rival (as its brands.yaml would say)."""
    import json

    from socialkpi.config import brands

    listed = brands.roster({"forest_tea": "茶之森", "rival": "Rival"})
    store.set_brand(con, "acme", "Asia/Taipei", competitors=json.dumps(listed))


def test_canonical_unknown_platform(load, con):
    _competitors_listed(con)
    _failed(
        load,
        "canonical_unknown_platform.csv",
        'row 2, column "platform": expected one of facebook',
        "'myspace'",
    )


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        (
            "competitor_posts_captured_before_published.csv",
            ['row 3, column "captured_at": captured before the post was published', "time zone"],
        ),
        (
            "competitor_posts_negative_count.csv",
            ["row 2, column \"comments\": expected a whole number >= 0, found '-8'"],
        ),
        (
            "competitor_posts_unknown_competitor.csv",
            [
                "row 3, column \"competitor\": expected a competitor of acme, found '茶の森'",
                "not among acme's competitors (forest_tea, rival)",
                "brands.yaml",
            ],
        ),
    ],
)
def test_bad_competitor_posts_name_the_cell_and_import_nothing(load, con, name, fragments):
    _competitors_listed(con)
    result = load(f"bad/{name}")
    assert result.status == "failed"
    for fragment in fragments:
        assert fragment in result.error, result.error
    assert store.read(con, "competitor_posts").empty
    assert con.execute("SELECT count(*) FROM imports").fetchone() == (0,)


def test_id_with_apostrophe_prefix(load, con):
    load("bad/id_with_apostrophe_prefix.csv")
    assert _posts(con).iloc[0].post_id == "6157100000001_1001"


def test_x_content_japanese_headers(load, con):
    load("bad/x_content_japanese_headers.csv")
    post = _posts(con).iloc[0]
    assert (post.impressions, post.reactions, post.comments, post.shares, post.saves) == (
        1000,
        20,
        3,
        4,
        1,
    )


def test_every_bad_fixture_has_a_test():
    names = {p.name for p in (FIXTURES / "bad").iterdir()}
    source = (FIXTURES.parent / "test_bad_input.py").read_text("utf-8")
    untested = sorted(n for n in names if n not in source)
    assert len(names) >= 30
    assert untested == []


@pytest.mark.parametrize("name", ["bad_number_cell.csv", "duplicate_post_rows.csv"])
def test_failed_file_leaves_earlier_data_alone(load, con, name):
    load("good/meta_facebook_posts.csv")
    before = _posts(con)
    load(f"bad/{name}")
    pd.testing.assert_frame_equal(_posts(con), before)


@pytest.mark.parametrize(
    "name",
    ["youtube_table_decimal_comma_semicolon.csv", "youtube_table_grouped_decimal_point.csv"],
)
def test_both_number_styles_read_the_same(load, con, name):
    """1.234,5 (a semicolon file from a decimal-comma locale) and 1,234.5 are one number."""
    result = load(f"bad/{name}")
    assert result.status == "imported", result.error
    comma = name.startswith("youtube_table_decimal_comma")
    assert any("decimal mark" in w for w in result.warnings) == comma
    posts = _posts(con).set_index("post_id")
    tea = posts.loc["-i5vAKwX_bY"]
    assert (tea.views, tea.impressions) == (12000, 1012000)
    assert tea.watch_time_s == 1234.5 * 3600
    intro = posts.loc["abcDEF12345"]
    assert (intro.views, intro.watch_time_s) == (1500, 12.25 * 3600)


def test_decimal_commas_are_not_thousands(load, con):
    """The reproduction: X's float counts re-saved with decimal commas stay 1000, not 10000."""
    result = load("bad/x_fractional_count_decimal_comma.csv")
    assert result.status == "failed"
    assert 'row 3, column "likes": expected a count' in result.error and "'37,5'" in result.error
    _nothing_stored(con)


def test_mixed_decimal_marks_are_refused_with_rows(load, con):
    _failed(
        load,
        "mixed_decimal_marks.csv",
        "numbers are written in two styles",
        "row 2: '12,5'",
        "row 3: '8.25'",
    )
    _nothing_stored(con)


def test_a_file_cut_in_the_middle_of_a_row_is_refused(load, con):
    """The reproduction: the cut row was stored with time and impressions NULL."""
    _failed(
        load,
        "x_tweet_activity_cut_mid_row.csv",
        "row 3 has 6 of the header's 18 columns: the file ends in the middle of this row",
        "download the export again",
    )
    _nothing_stored(con)


def test_a_required_value_that_is_empty_is_refused(load, con):
    _failed(load, "required_value_empty.csv", 'row 3, column "Content": empty, but every row needs')
    _nothing_stored(con)


def test_an_unquoted_delimiter_that_shifts_columns_is_refused(load, con):
    _failed(
        load,
        "unquoted_delimiter_in_title.csv",
        "row 3 has 9 columns but the header has 8: a value probably holds an unquoted delimiter",
    )
    _nothing_stored(con)


def test_a_last_line_without_a_line_break_is_reported(load, con):
    """Cut after the last column ("8000" became "80"): nothing to refuse, but it is said."""
    result = load("bad/youtube_table_no_final_newline.csv")
    assert result.status == "imported"
    assert any("ends without a line break" in w and "(row 4)" in w for w in result.warnings)


def test_a_quoted_last_line_without_a_line_break_is_normal(load, con):
    """TikTok Studio's files end without a line break, every field quoted: nothing to say."""
    result = load("good/tiktok_overview_spanish.csv", platform="tiktok")
    assert result.status == "imported"
    assert not any("line break" in w for w in result.warnings)


def test_a_damaged_zip_inside_a_zip_is_reported(con, tmp_path):
    """A user zips a TikTok download together with a copy that broke on the way."""
    import zipfile

    good = (FIXTURES / "good" / "tiktok_studio_2026-10-31.zip").read_bytes()
    outer = tmp_path / "exports_2026-10-31.zip"
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("tiktok/studio.zip", good)
        z.writestr("tiktok/broken.zip", good[: len(good) // 2])
    results = import_paths(con, [outer], Options(brand="acme"))
    failed = [r for r in results if r.status == "failed"]
    assert [r.path for r in failed] == [f"{outer}!tiktok/broken.zip"]
    assert "is not a readable ZIP archive" in failed[0].error
    inner = [r for r in results if r.status == "imported"]
    assert inner and all(r.path.startswith(f"{outer}!tiktok/studio.zip!") for r in inner)


def test_a_blank_line_inside_a_table_is_refused(load, con):
    """Rows below a blank line are no new table: skipping them would lose them silently."""
    _failed(
        load,
        "blank_line_inside_table.csv",
        "line 3 is blank inside the table that starts on line 1",
        "delete the blank line",
    )
    _nothing_stored(con)


def test_a_row_starting_with_a_hash_is_data_not_a_comment(load, con):
    result = load("good/comments_id_starting_with_hash.csv")
    assert result.status == "imported", result.error
    assert sorted(store.read(con, "comments")["comment_id"]) == ["#c1", "c2"]


def test_a_plan_time_that_is_not_a_time_of_day(load, con):
    _failed(
        load,
        "content_plan_bad_time.csv",
        "row 3, column \"時間\": expected a time of day like 09:30, found '25:00'",
        "row 4, column \"時間\": expected a time of day like 09:30, found '下午三點'",
        "write the time as HH:MM",
    )
    assert store.read(con, "content_plan").empty
    _nothing_stored(con)
