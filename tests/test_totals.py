"""The SQL sums per period and platform, on tiny tables worked out by hand."""

from datetime import date

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.store import totals

UTC = "UTC"


def _ts(text):
    return pd.Timestamp(text, tz="UTC")


@pytest.fixture
def con(tmp_path):
    con = store.open_store(tmp_path / "t.duckdb")
    store.set_brand(con, "b", "Asia/Taipei")
    yield con
    con.close()


def test_posts_latest_snapshot_local_day_month_buckets_and_null_engagements(con):
    posts = pd.DataFrame(
        [
            # p1: two snapshots, the later wins (reactions 9, not 1)
            ("facebook", "p1", "2026-10-02", _ts("2026-10-01 01:00"), 1, 0, 0),
            ("facebook", "p1", "2026-10-20", _ts("2026-10-01 01:00"), 9, 1, 0),
            # p2: 2026-10-31 17:00 UTC is 2026-11-01 01:00 in Taipei: November
            ("facebook", "p2", "2026-11-05", _ts("2026-10-31 17:00"), 4, 0, 1),
            # p3: a platform that reports none of the engagement parts: NULL, not 0
            ("youtube", "p3", "2026-10-20", _ts("2026-10-10 01:00"), None, None, None),
        ],
        columns=[
            "platform",
            "post_id",
            "snapshot_date",
            "published_at",
            "reactions",
            "comments",
            "shares",
        ],
    ).assign(brand="b")
    store.upsert(con, "posts", posts)
    parts = {"default": ["reactions", "comments", "shares"]}
    out = totals.post_totals(
        con, "b", date(2026, 10, 1), date(2026, 12, 1), "Asia/Taipei", None, parts, "month"
    ).set_index(["period", "platform"])
    assert out.loc[("2026-10", "facebook"), "posts"] == 1
    assert out.loc[("2026-10", "facebook"), "engagements"] == 10  # 9 + 1 + 0
    assert out.loc[("2026-11", "facebook"), "engagements"] == 5  # 4 + 0 + 1
    assert pd.isna(out.loc[("2026-10", "youtube"), "engagements"])
    # the same post in UTC falls in October
    utc = totals.post_totals(con, "b", date(2026, 10, 1), date(2026, 11, 1), UTC, None, parts)
    assert utc.set_index("platform").loc["facebook", "posts"] == 2


def test_followers_start_is_the_last_count_before_the_period(con):
    daily = pd.DataFrame(
        [
            ("x", "2026-09-20", 500, None, None),
            ("x", "2026-10-05", 520, 30, 10),
            ("x", "2026-10-25", 540, 25, 5),
            ("x", "2026-11-02", 999, 1, 0),  # after the period: left out
        ],
        columns=["platform", "date", "followers", "follower_gains", "follower_losses"],
    ).assign(brand="b")
    store.upsert(con, "account_daily", daily)
    row = totals.follower_totals(con, "b", date(2026, 10, 1), date(2026, 11, 1)).iloc[0]
    assert (row["followers_start"], row["followers_end"]) == (500, 540)
    assert (row["follower_gains"], row["follower_losses"]) == (55, 15)


def test_web_sessions_only_from_social_sources_named_by_platform(con):
    web = pd.DataFrame(
        [
            ("2026-10-02", "t.co / referral", 10, 1, 100.0),
            ("2026-10-03", "l.instagram.com / referral", 20, 2, 0.0),
            ("2026-10-03", "google / organic", 999, 99, 9999.0),
        ],
        columns=["date", "source_medium", "sessions", "key_events", "revenue"],
    ).assign(brand="b")
    store.upsert(con, "web_sessions", web)
    out = totals.web_totals(con, "b", date(2026, 10, 1), date(2026, 11, 1)).set_index("platform")
    assert sorted(out.index) == ["instagram", "x"]
    assert (out.loc["x", "sessions"], out.loc["x", "revenue"]) == (10, 100.0)


def test_comments_leave_out_brand_replies_and_pool_quantiles_over_every_comment(con):
    rows = [
        ("facebook", "c1", _ts("2026-10-02 01:00"), _ts("2026-10-02 02:00"), False, "negative"),
        ("facebook", "c2", _ts("2026-10-02 01:00"), _ts("2026-10-02 04:00"), False, "positive"),
        ("x", "c3", _ts("2026-10-03 01:00"), _ts("2026-10-03 06:00"), False, None),
        ("x", "r1", _ts("2026-10-03 02:00"), None, True, None),  # the brand's own reply
    ]
    comments = pd.DataFrame(
        rows,
        columns=[
            "platform",
            "comment_id",
            "created_at",
            "replied_at",
            "is_brand_reply",
            "sentiment_label",
        ],
    ).assign(brand="b")
    store.upsert(con, "comments", comments)
    out = totals.comment_totals(con, "b", date(2026, 10, 1), date(2026, 11, 1), UTC)
    out = out.set_index("platform")
    assert out.loc["all", "mentions"] == 3 and out.loc["x", "mentions"] == 1
    assert (out.loc["facebook", "negative"], out.loc["facebook", "scored"]) == (1, 2)
    assert out.loc["facebook", "response_p50_h"] == pytest.approx(2.0)  # median of 1 h and 3 h
    assert out.loc["all", "response_p50_h"] == pytest.approx(3.0)  # median of 1, 3 and 5 h


def test_competitor_engagements_per_platform(con):
    snap = pd.DataFrame(
        [
            ("rival", "facebook", "2026-10-31", 1000, 10, 300),
            ("rival", "facebook", "2026-09-30", 990, 8, 250),
            ("other", "facebook", "2026-10-31", 500, 5, 50),
        ],
        columns=["competitor", "platform", "date", "followers", "posts", "engagements"],
    ).assign(brand="b")
    store.upsert(con, "competitors", snap)
    out = totals.competitor_totals(con, "b", date(2026, 10, 1), date(2026, 11, 1))
    assert out.set_index("platform").loc["facebook", "competitor_engagements"] == 350


def test_revenue_that_was_never_tracked_is_not_reported(con):
    """A GA4 property without e-commerce writes 0 revenue on every row: that is "not
    reported", never NT$0; a brand that ever had revenue keeps its 0 days as 0."""
    rows = [
        ("2026-10-02", "t.co / referral", 10, 1, 0.0),
        ("2026-09-02", "t.co / referral", 5, 0, 0.0),
    ]
    web = pd.DataFrame(rows, columns=["date", "source_medium", "sessions", "key_events", "revenue"])
    store.upsert(con, "web_sessions", web.assign(brand="saas"))
    out = totals.web_totals(con, "saas", date(2026, 10, 1), date(2026, 11, 1)).set_index("platform")
    assert out.loc["x", "sessions"] == 10 and pd.isna(out.loc["x", "revenue"])
    store.upsert(con, "web_sessions", web.assign(brand="shop", revenue=[0.0, 250.0]))
    shop = totals.web_totals(con, "shop", date(2026, 10, 1), date(2026, 11, 1)).set_index(
        "platform"
    )
    assert shop.loc["x", "revenue"] == 0.0
