"""What the KPI review reads, and its sections, on tiny hand-made frames."""

from socialkpi import content
from socialkpi.page import Page
from socialkpi.pages import kpi_review
from tests.test_content import _posts


def test_top_posts_are_dated_by_the_brands_day():
    """Post c went out at 2026-10-06 16:00 UTC, which is 00:00 on 10-07 in Taipei; post b at
    01:00 UTC, 09:00 the same day in Taipei but 18:00 the day before in Los Angeles."""
    taipei = content.with_post_kpis(
        _posts(), {"facebook": "views", "tiktok": "views"}, "Asia/Taipei"
    )
    page = kpi_review.top_posts(Page(None, "acme", "2026-10", "en"), taipei, n=4).data
    assert ">Oct 7, 2026</td>" in page.split("#ASMR tea")[0].split("<tr>")[-1]
    assert "Oct 6, 2026" in page.split("Cloud tips")[0].split("<tr>")[-1]
    la = content.with_post_kpis(_posts(), {}, "America/Los_Angeles")
    page = kpi_review.top_posts(Page(None, "acme", "2026-10", "en"), la, n=4).data
    assert "Oct 5, 2026" in page.split("Cloud tips")[0].split("<tr>")[-1]


def test_top_posts_speak_the_pages_language_and_escape_captions():
    posts = content.with_post_kpis(
        _posts().assign(caption=["<b>x</b>", "a", "b", "c"]), {}, "Asia/Taipei"
    )
    posts["permalink"] = ["https://x.com/a/status/1?a=1&b=2", "javascript:alert(1)", None, None]
    page = kpi_review.top_posts(Page(None, "acme", "2026-10", "zh-TW"), posts, n=4).data
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x" not in page
    assert (
        '<a href="https://x.com/a/status/1?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">開啟</a>'
        in page
    )
    assert "javascript:alert(1)" in page and 'href="javascript' not in page
    for word in ("貼文內容", "貼文連結", "連續短片", "圖片", "Facebook", "LinkedIn", "TikTok"):
        assert word in page
    assert ">reel<" not in page and ">facebook<" not in page
