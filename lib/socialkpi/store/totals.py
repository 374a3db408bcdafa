"""The SQL that sums the store per period and platform: posts (latest snapshot of each),
followers, web sessions from social sources, comments and response times (in business hours
when the brand sets them), and competitor snapshots. Each function returns one frame with a
row per (period, platform); ``kpi`` turns those sums into KPIs.
"""

from __future__ import annotations

import pandas as pd

SOCIAL_SOURCES = {
    "facebook": ["facebook", "fb.com", "fb.me"],
    "instagram": ["instagram"],
    "youtube": ["youtube", "youtu.be"],
    "tiktok": ["tiktok"],
    "linkedin": ["linkedin", "lnkd.in"],
    "x": ["t.co", "twitter", "x.com"],
    "threads": ["threads"],
    "line": ["line.me"],
}
POST_SUMS = (
    "reach",
    "impressions",
    "views",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "link_clicks",
    "video_views",
    "watch_time_s",
    "follows",
)


def _filters(brand, platforms) -> tuple[str, list]:
    sql, args = "brand = ?", [brand]
    if platforms:
        sql += f" AND platform IN ({', '.join('?' * len(platforms))})"
        args += list(platforms)
    return sql, args


def _bucket(day_expr: str, grain: str) -> str:
    return f"strftime({day_expr}, '%Y-%m')" if grain == "month" else "'range'"


def _frame(con, sql: str, params: list) -> pd.DataFrame:
    table = con.sql(sql, params=params).to_arrow_table()
    if table.num_rows == 0:  # typeless empty Arrow columns cannot be merged: plain empty frame
        return pd.DataFrame(columns=table.column_names)
    return table.to_pandas()


def _local_day(column: str) -> str:
    return f"CAST(timezone(?, {column}) AS DATE)"


def post_totals(
    con, brand, start, end, timezone, platforms=None, engagement_parts=None, grain="range"
):
    """Posts published in [start, end) (local dates in ``timezone``), latest snapshot of each:
    count, summed metrics, engagements (``engagement_parts``: platform -> columns, key
    ``default``), and how many posts reported impressions and views."""
    parts = engagement_parts or {"default": ["reactions", "comments", "shares", "saves"]}

    def total(cols):  # NULL when the platform reports none of the parts, else the sum
        present = f"coalesce({', '.join(cols)}) IS NULL"
        return f"CASE WHEN {present} THEN NULL ELSE {' + '.join(f'coalesce({c}, 0)' for c in cols)} END"

    cases = " ".join(f"WHEN '{p}' THEN {total(c)}" for p, c in parts.items() if p != "default")
    engagements = (
        f"CASE platform {cases} ELSE {total(parts['default'])} END"
        if cases
        else total(parts["default"])
    )
    where, args = _filters(brand, platforms)
    sums = ", ".join(f"sum({c}) AS {c}" for c in POST_SUMS)
    sql = f"""
        WITH latest AS (
            SELECT *, {_local_day("published_at")} AS day FROM posts WHERE {where}
            QUALIFY row_number() OVER (PARTITION BY platform, post_id ORDER BY snapshot_date DESC) = 1
        )
        SELECT {_bucket("day", grain)} AS period, platform, count(*) AS posts, {sums},
               sum({engagements}) AS engagements,
               sum(CASE WHEN watch_time_s IS NOT NULL THEN video_views END) AS watched_views,
               count(impressions) AS with_impressions, count(views) AS with_views
        FROM latest WHERE day >= ? AND day < ? GROUP BY ALL ORDER BY ALL
    """
    return _frame(con, sql, [timezone, *args, start, end])


def follower_totals(con, brand, start, end, platforms=None, grain="range"):
    """Gains, losses, followers at the end of each period and just before it."""
    where, args = _filters(brand, platforms)
    sql = f"""
        WITH days AS (SELECT * FROM account_daily WHERE {where} AND date < ?),
        periods AS (
            SELECT {_bucket("date", grain)} AS period, platform, min(date) AS first_day,
                   sum(follower_gains) AS follower_gains, sum(follower_losses) AS follower_losses,
                   arg_max(followers, date) FILTER (WHERE followers IS NOT NULL) AS followers_end,
                   arg_min(followers, date) FILTER (WHERE followers IS NOT NULL) AS followers_first
            FROM days WHERE date >= ? GROUP BY ALL
        )
        SELECT p.period, p.platform, p.follower_gains, p.follower_losses, p.followers_end,
               coalesce((SELECT arg_max(d.followers, d.date) FROM days d
                         WHERE d.platform = p.platform AND d.date < p.first_day AND d.followers IS NOT NULL),
                        p.followers_first) AS followers_start
        FROM periods p ORDER BY ALL
    """
    return _frame(con, sql, [*args, end, start])


# the daily account series a platform without a post-level export is reviewed from, and the
# post columns they stand in for (reach is left out: a month's unique people are not the
# sum of its days' unique people)
ACCOUNT_SUMS = {
    "views": "views",
    "impressions": "impressions",
    "likes": "reactions",
    "comments": "comments",
    "shares": "shares",
    "website_clicks": "link_clicks",
}


def account_totals(con, brand, start, end, platforms=None, grain="range"):
    """The daily account series summed per period and platform (``account_<column>``), with
    engagements (the platform's own daily figure, else likes + comments + shares), the days
    reported and the days with impressions: what a platform without a post-level export is
    reviewed from (``kpi.period_totals``). ``account_days`` counts the days that report any
    of them (a day with a follower count alone is not one)."""
    where, args = _filters(brand, platforms)
    sums = ", ".join(f"sum({c}) AS account_{c}" for c in ACCOUNT_SUMS)
    parts = "coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0)"
    engaged = (
        f"coalesce(engagements, CASE WHEN coalesce(likes, comments, shares) IS NOT NULL "
        f"THEN {parts} END)"
    )
    reported = f"coalesce({', '.join([*ACCOUNT_SUMS, 'engagements'])}) IS NOT NULL"
    sql = f"""
        SELECT {_bucket("date", grain)} AS period, platform, {sums},
               sum({engaged}) AS account_engagements,
               count(*) FILTER (WHERE {reported}) AS account_days,
               count(impressions) AS account_with_impressions
        FROM account_daily WHERE {where} AND date >= ? AND date < ? GROUP BY ALL ORDER BY ALL
    """
    return _frame(con, sql, [*args, start, end])


def by_account(sums: pd.DataFrame, with_posts: set[str]) -> pd.Series:
    """Which rows of :func:`account_totals` (merged or not) are a platform reviewed from its
    account series: no post-level export of it (``with_posts``), and days that report one of
    the series. The one rule for the KPIs and the pages."""
    days = pd.to_numeric(sums["account_days"], errors="coerce").fillna(0)
    return ~sums["platform"].isin(with_posts) & (days > 0)


def post_platforms(con, brand) -> set[str]:
    """The platforms the brand has a post-level export of (any month)."""
    rows = con.execute("SELECT DISTINCT platform FROM posts WHERE brand = ?", [brand]).fetchall()
    return {r[0] for r in rows}


def web_totals(con, brand, start, end, grain="range"):
    """GA4 sessions, key events and revenue whose source is a social platform, per platform."""
    cases = " ".join(
        "WHEN " + " OR ".join("lower(source_medium) LIKE ?" for _ in words) + f" THEN '{p}'"
        for p, words in SOCIAL_SOURCES.items()
    )
    likes = [f"%{w}%" for words in SOCIAL_SOURCES.values() for w in words]
    sql = f"""
        SELECT {_bucket("date", grain)} AS period, platform, sum(sessions) AS sessions,
               sum(key_events) AS key_events, sum(revenue) AS revenue
        FROM (SELECT CASE {cases} END AS platform, * FROM web_sessions
              WHERE brand = ? AND date >= ? AND date < ?)
        WHERE platform IS NOT NULL GROUP BY ALL ORDER BY ALL
    """
    out = _frame(con, sql, [*likes, brand, start, end])
    if "revenue" in out and not revenue_tracked(con, brand):
        out["revenue"] = float("nan")  # GA4 writes 0 where no sale is tracked: not reported
    return out


def revenue_tracked(con, brand: str) -> bool:
    """Whether the brand's GA4 exports have ever recorded revenue. A property without
    e-commerce tracking exports ``Total revenue`` as 0 on every row; that is "not reported",
    never NT$0."""
    rows = con.execute(
        "SELECT count(*) FROM web_sessions WHERE brand = ? AND revenue <> 0", [brand]
    ).fetchall()
    return bool(rows[0][0])


def comment_totals(
    con, brand, start, end, timezone, platforms=None, grain="range", business_hours=None
):
    """Customer comments (not the brand's replies) created in [start, end): volume, sentiment
    counts, replies, first-response time quantiles in hours (business hours when the brand's
    ``business_hours`` are given, else clock hours); one row per platform and one pooled row
    (platform ``all``, its quantiles over every comment) per period, in one scan."""
    where, args = _filters(brand, platforms)
    wait = (
        f"({business_hours.sql_seconds('replied_at')} - {business_hours.sql_seconds('created_at')})"
        if business_hours
        else "epoch(replied_at - created_at)"
    )
    sql = f"""
        SELECT period, coalesce(platform, 'all') AS platform,
               count(*) AS mentions,
               count(*) FILTER (WHERE sentiment_label = 'positive') AS positive,
               count(*) FILTER (WHERE sentiment_label = 'negative') AS negative,
               count(*) FILTER (WHERE sentiment_label IS NOT NULL) AS scored,
               count(replied_at) AS responded,
               quantile_cont(wait_h, 0.5) AS response_p50_h,
               quantile_cont(wait_h, 0.9) AS response_p90_h
        FROM (SELECT {_bucket("day", grain)} AS period, platform, sentiment_label, replied_at,
                     {wait} / 3600 AS wait_h
              FROM (SELECT *, {_local_day("created_at")} AS day FROM comments
                    WHERE {where} AND NOT coalesce(is_brand_reply, false))
              WHERE day >= ? AND day < ?)
        GROUP BY GROUPING SETS ((period, platform), (period)) ORDER BY ALL
    """
    return _frame(con, sql, [timezone, *args, start, end])


def competitor_totals(con, brand, start, end, platforms=None, grain="range"):
    """Competitors' public engagements per platform."""
    where, args = _filters(brand, platforms)
    sql = f"""
        SELECT {_bucket("date", grain)} AS period, platform,
               sum(engagements) AS competitor_engagements
        FROM competitors WHERE {where} AND date >= ? AND date < ? GROUP BY ALL ORDER BY ALL
    """
    return _frame(con, sql, [*args, start, end])


def line_totals(con, brand, start, end, platforms=None, grain="range"):
    """A LINE Official Account per period (platform ``line``): friends, blocks and targeted
    reach at the end of the period and just before it (LINE's totals as of a day), messages
    sent (all, and those the plan charges for: ``schema.LINE_CHARGED``), and the period's
    broadcasts: delivered, opened (unique impressions), clicked (unique clicks), played and
    played to the end. Days and sends are LINE's, cut at UTC+9. A rate's two parts only count
    the messages whose counts LINE gives both of (a withheld count leaves its message out)."""
    from socialkpi.store.schema import LINE_CHARGED

    if platforms and "line" not in platforms:
        return pd.DataFrame(columns=["period", "platform"])
    charged = ", ".join(f"'{t}'" for t in LINE_CHARGED)
    sent_day = "CAST(timezone('Etc/GMT-9', sent_at) AS DATE)"  # UTC+9 (the sign is POSIX's)

    def both(a: str, b: str) -> str:
        return f"FILTER (WHERE {a} IS NOT NULL AND {b} IS NOT NULL)"

    sql = f"""
        WITH days AS (
            SELECT * FROM account_daily
            WHERE brand = ? AND platform = 'line' AND date < ? AND friends IS NOT NULL
        ),
        friends AS (
            SELECT {_bucket("date", grain)} AS period, min(date) AS first_day,
                   arg_max(friends, date) AS line_friends_end,
                   arg_max(blocks, date) AS line_blocks_end,
                   arg_max(targeted_reach, date) AS line_targeted_end,
                   arg_min(friends, date) AS first_friends, arg_min(blocks, date) AS first_blocks
            FROM days WHERE date >= ? GROUP BY ALL
        ),
        starts AS (
            SELECT f.*,
                   coalesce((SELECT arg_max(d.friends, d.date) FROM days d
                             WHERE d.date < f.first_day), f.first_friends) AS line_friends_start,
                   coalesce((SELECT arg_max(d.blocks, d.date) FROM days d
                             WHERE d.date < f.first_day), f.first_blocks) AS line_blocks_start
            FROM friends f
        ),
        sent AS (
            SELECT {_bucket("date", grain)} AS period, sum(messages) AS line_messages_sent,
                   coalesce(sum(messages) FILTER (WHERE send_type IN ({charged})), 0)
                       AS line_messages_charged
            FROM line_deliveries WHERE brand = ? AND date >= ? AND date < ? GROUP BY ALL
        ),
        broadcasts AS (
            SELECT {_bucket(sent_day, grain)} AS period, count(*) AS line_broadcasts,
                   sum(delivered) {both("delivered", "unique_impressions")} AS line_delivered_o,
                   sum(unique_impressions) {both("delivered", "unique_impressions")} AS line_opened,
                   sum(delivered) {both("delivered", "unique_clicks")} AS line_delivered_c,
                   sum(unique_clicks) {both("delivered", "unique_clicks")} AS line_clicked,
                   sum(unique_impressions) {both("unique_impressions", "unique_clicks")}
                       AS line_opened_c,
                   sum(unique_clicks) {both("unique_impressions", "unique_clicks")}
                       AS line_clicked_o,
                   sum(unique_media_played) {both("unique_media_played", "unique_media_completed")}
                       AS line_played,
                   sum(unique_media_completed) {both("unique_media_played", "unique_media_completed")}
                       AS line_completed
            FROM line_messages
            WHERE brand = ? AND kind = 'message' AND {sent_day} >= ? AND {sent_day} < ?
            GROUP BY ALL
        )
        SELECT period, 'line' AS platform,
               line_friends_end, line_friends_start, line_blocks_end, line_blocks_start,
               line_targeted_end, line_messages_sent, line_messages_charged, line_broadcasts,
               line_delivered_o, line_opened, line_delivered_c, line_clicked, line_opened_c,
               line_clicked_o, line_played, line_completed
        FROM starts FULL JOIN sent USING (period) FULL JOIN broadcasts USING (period)
        ORDER BY period
    """
    args = [brand, end, start, brand, start, end, brand, start, end]
    return _frame(con, sql, args)
