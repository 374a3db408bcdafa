"""Platform parity: socialkpi's per-platform numbers equal the platform's own, worked out by
hand from fixtures shaped like the real exports (headers from formats.md)."""

import openpyxl
import pandas as pd
import pytest

from socialkpi import metrics, store
from socialkpi.metrics import content, kpi
from socialkpi.metrics.periods import parse_period
from socialkpi.presentation.page import Page
from socialkpi.steps.kpi_review import page as kpi_review


def _posts(con) -> pd.DataFrame:
    posts = store.read(con, "posts").sort_values("post_id").reset_index(drop=True)
    posts["counted"] = metrics.post_engagements(posts)
    return posts


def test_x_engagements_count_every_component_x_counts(load, con):
    """Tweet 1: likes 30 + retweets 5 + replies 3 + profile 4 + URL 12 + hashtag 2 + detail 7
    + permalink 1 + app opens 1 + follows 2 + email 1 + media engagements 9 = 77 (X: 77, rate
    0.0385 on 2,000 impressions). Tweet 2: 3 + 1 + detail 2 + media 4 = 10 (X: 10, 0.02)."""
    result = load("good/tweet_activity_metrics_acme_20190301_20190331_en.csv")
    assert not [w for w in result.warnings if "differ" in w]
    posts = _posts(con)
    assert posts["counted"].tolist() == [77, 10]
    assert posts["engagements_platform"].tolist() == [77, 10]
    rate = posts["counted"] / posts["impressions"]
    assert rate.tolist() == [pytest.approx(0.0385), pytest.approx(0.02)]
    totals, _, _ = kpi.period_totals(con, "acme", [parse_period("2019-03")], "Asia/Taipei")
    assert totals.set_index("platform").loc["x", "engagements"] == 87


def test_x_text_is_unescaped_once_and_escaped_once_on_output(load, con):
    load("good/tweet_activity_metrics_acme_20190301_20190331_en.csv")
    caption = _posts(con)["caption"].iloc[1]
    assert caption == "R&D update <3\nmore soon"  # the export wrote R&amp;D update &lt;3
    posts = content.with_post_kpis(store.read(con, "posts"), {}, "Asia/Taipei")
    page = kpi_review.top_posts(Page(None, "acme", "2019-03", "en"), posts, n=2).data
    assert "R&amp;D update &lt;3" in page and "&amp;amp;" not in page


def test_meta_engagements_are_reactions_comments_and_shares(load, con):
    """Row 1: 300 + 40 + 12 = 352, Meta's 'Reactions, Comments and Shares' column."""
    result = load("good/meta_facebook_posts.csv")
    assert not [w for w in result.warnings if "differ" in w]
    posts = _posts(con)
    first = posts.set_index("post_id").loc["6157100000001_1001"]
    assert (first.counted, first.engagements_platform) == (352, 352)
    assert (posts["counted"] == posts["engagements_platform"]).all()


def test_linkedin_engagements_match_its_engagement_rate(load, con):
    """Cloud tips: clicks 25 + likes 18 + comments 2 + reposts 1 + follows 3 = 49 on 800
    impressions = 0.06125, which LinkedIn writes as 0.06: the same at its precision."""
    load("good/linkedin_content_1761955200000.xlsx", export_date=None)
    posts = _posts(con).set_index("post_id")
    tips = posts.loc["7100000000000000001"]
    assert (tips.counted, tips.engagements_platform) == (49, 49)


def test_linkedin_rate_as_a_percentage_and_a_real_difference(load, con, tmp_path):
    """The same workbook with rates in percent (6.125) reads the same; a rate that cannot be
    LinkedIn's definition (10% of 800 = 80, counted 49) is named with its row."""
    book = openpyxl.load_workbook(_fixture("linkedin_content_1761955200000.xlsx"))
    sheet = book["All posts"]
    header = [c.value for c in sheet[2]]
    rate = header.index("Engagement rate") + 1
    sheet.cell(3, rate).value = 10.0  # percent: 80 engagements on 800 impressions
    for row in range(4, sheet.max_row + 1):
        if sheet.cell(row, rate).value is not None:
            sheet.cell(row, rate).value = round(sheet.cell(row, rate).value * 100, 4)
    path = tmp_path / "linkedin_content_1761955200000.xlsx"
    book.save(path)
    result = load(str(path), export_date=None)
    (warning,) = [w for w in result.warnings if "differ" in w]
    assert "1 of" in warning and "80 in the export, 49 counted" in warning
    assert "row 3" in warning


def test_youtube_table_rows_add_up_to_its_total_row(load, con):
    """Total row: 1,500 views = 1,000 + 500; 12.5 h = 8.25 + 4.25; 3 subscribers = 5 - 2;
    20,000 impressions = 12,000 + 8,000."""
    result = load("good/youtube_table_data.csv")
    assert not [w for w in result.warnings if "Total row" in w]
    posts = store.read(con, "posts")
    assert posts["views"].sum() == 1500 and posts["impressions"].sum() == 20000
    assert posts["watch_time_s"].sum() == pytest.approx(12.5 * 3600)


def test_tiktok_overview_engagements_are_likes_comments_and_shares(load, con):
    result = load("good/tiktok_overview_spanish.csv")
    assert result.status == "imported"
    daily = store.read(con, "account_daily").sort_values("date")
    frame = pd.read_csv(_fixture("tiktok_overview_spanish.csv"), encoding="utf-8-sig")
    by_hand = (frame["Me gusta"] + frame["Comentarios"] + frame["Compartidos"]).tolist()
    assert daily["engagements"].tolist() == by_hand


def _fixture(name):
    from tests.conftest import FIXTURES

    return FIXTURES / "good" / name
