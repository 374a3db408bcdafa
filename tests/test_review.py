"""Sections of the KPI review, on tiny hand-made frames."""

from socialkpi import content, review
from tests.test_content import _posts


def test_top_posts_are_dated_by_the_brands_day():
    """Post c went out at 2026-10-06 16:00 UTC, which is 00:00 on 10-07 in Taipei."""
    p = content.with_post_kpis(_posts(), {"facebook": "views", "tiktok": "views"}, "Asia/Taipei")
    table = review.top_posts_table(p, "engagements", "en", n=4).set_index("caption")
    assert table.loc["#ASMR tea", "published_at"] == "2026-10-07"
    assert table.loc["Cloud tips", "published_at"] == "2026-10-06"  # 09:00 in Taipei
    elsewhere = content.with_post_kpis(_posts(), {}, "America/Los_Angeles")
    table = review.top_posts_table(elsewhere, "engagements", "en", n=4).set_index("caption")
    assert table.loc["#ASMR tea", "published_at"] == "2026-10-06"  # 09:00 in Los Angeles
    assert table.loc["Cloud tips", "published_at"] == "2026-10-05"  # 18:00 the day before
