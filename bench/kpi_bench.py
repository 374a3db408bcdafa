"""Monthly KPI table for a brand with 1,000,000 posts and 10,000,000 comments, against an
equivalent hand-written DuckDB SQL query over the same months. Target: within 2x.

    python bench/kpi_bench.py [--posts 1000000] [--comments 10000000]

Appends one JSON object per run to bench/results/kpi_bench.jsonl.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _results import record

from socialkpi import store
from socialkpi.metrics import kpi

PLATFORMS = "['facebook', 'instagram', 'youtube', 'tiktok']"
SPAN_S = 25 * 30 * 86400  # posts and comments spread over about 25 months before 2026-11


def fill(con, posts: int, comments: int) -> None:
    store.set_brand(con, "bench", "Asia/Taipei", engagement_rate="engagement_rate_reach")
    con.execute(f"""
        INSERT INTO posts (brand, platform, post_id, snapshot_date, published_at, content_type,
                           reach, views, reactions, comments, shares, saves, clicks, link_clicks)
        SELECT 'bench', {PLATFORMS}[1 + i % 4], 'p' || i, DATE '2026-11-01',
               TIMESTAMPTZ '2024-10-01 00:00:00+00' + to_seconds(CAST(i * {SPAN_S} // {posts} AS BIGINT)),
               'image', 100 + hash(i) % 5000, 150 + hash(i + 1) % 7000, hash(i + 2) % 300,
               hash(i + 3) % 30, hash(i + 4) % 20, hash(i + 5) % 25, hash(i + 6) % 90, hash(i + 7) % 10
        FROM range({posts}) t(i)
    """)
    con.execute(f"""
        INSERT INTO comments (brand, platform, comment_id, post_id, created_at, is_brand_reply,
                              replied_at, sentiment_label)
        SELECT 'bench', {PLATFORMS}[1 + i % 4], 'c' || i, 'p' || (i % {posts}), created, false,
               CASE WHEN hash(i) % 10 < 7 THEN created + to_minutes(CAST(hash(i + 1) % 900 AS BIGINT)) END,
               ['positive', 'neutral', 'negative'][CAST(1 + hash(i + 2) % 3 AS BIGINT)]
        FROM (SELECT i, TIMESTAMPTZ '2024-10-01 00:00:00+00'
                        + to_seconds(CAST(i * {SPAN_S} // {comments} AS BIGINT)) AS created
              FROM range({comments}) t(i))
    """)
    con.execute(f"""
        INSERT INTO account_daily (brand, platform, date, followers, follower_gains, follower_losses)
        SELECT 'bench', p, d::DATE, 10000 + n * 20, 25, 5
        FROM unnest({PLATFORMS}) u(p),
             (SELECT d, row_number() OVER (ORDER BY d) AS n
              FROM range(DATE '2024-10-01', DATE '2026-11-01', INTERVAL 1 DAY) r(d))
    """)
    con.execute("""
        INSERT INTO web_sessions (brand, date, source_medium, sessions, key_events, revenue)
        SELECT 'bench', d::DATE, s, 100, 3, 900.0
        FROM range(DATE '2024-10-01', DATE '2026-11-01', INTERVAL 1 DAY) r(d),
             unnest(['m.facebook.com / referral', 'l.instagram.com / referral', 'google / organic']) u(s)
    """)


HAND_SQL = """
WITH latest AS (
    SELECT platform, strftime(CAST(timezone('Asia/Taipei', published_at) AS DATE), '%Y-%m') AS month,
           reach, views, reactions, comments, shares, saves, clicks, link_clicks
    FROM posts WHERE brand = 'bench'
    QUALIFY row_number() OVER (PARTITION BY platform, post_id ORDER BY snapshot_date DESC) = 1
), p AS (
    SELECT month, platform, count(*) AS posts, sum(reach) AS reach, sum(views) AS views,
           sum(reactions + comments + shares + saves) AS engagements, sum(link_clicks) AS link_clicks
    FROM latest WHERE month BETWEEN '2025-09' AND '2026-10' GROUP BY ALL
), c AS (
    SELECT strftime(CAST(timezone('Asia/Taipei', created_at) AS DATE), '%Y-%m') AS month,
           coalesce(platform, 'all') AS platform, count(*) AS mentions, count(replied_at) AS responded,
           count(*) FILTER (WHERE sentiment_label = 'negative') AS negative,
           quantile_cont(epoch(replied_at - created_at) / 3600, 0.5) AS p50,
           quantile_cont(epoch(replied_at - created_at) / 3600, 0.9) AS p90
    FROM comments WHERE brand = 'bench' AND NOT is_brand_reply
      AND CAST(timezone('Asia/Taipei', created_at) AS DATE) BETWEEN DATE '2025-09-01' AND DATE '2026-10-31'
    GROUP BY GROUPING SETS ((month, platform), (month))
), f AS (
    SELECT strftime(date, '%Y-%m') AS month, platform, arg_max(followers, date) AS followers,
           sum(follower_gains) AS gains
    FROM account_daily WHERE brand = 'bench' AND date BETWEEN DATE '2025-09-01' AND DATE '2026-10-31'
    GROUP BY ALL
)
SELECT * FROM c LEFT JOIN p USING (month, platform) LEFT JOIN f USING (month, platform)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=10_000_000)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "kpi_bench.jsonl"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        con = store.open_store(Path(tmp) / "bench.duckdb")
        fill(con, args.posts, args.comments)
        con.execute("CHECKPOINT")
        kpi.kpi_report(con, "bench", "2026-10")  # warm caches (and imports) once
        start = time.perf_counter()
        report = kpi.kpi_report(con, "bench", "2026-10")
        ours = time.perf_counter() - start
        start = time.perf_counter()
        hand = con.sql(HAND_SQL).to_arrow_table().to_pandas()
        sql_s = time.perf_counter() - start
        con.close()
    record(
        args.out,
        {
            "posts": args.posts,
            "comments": args.comments,
            "socialkpi_kpi_report_s": round(ours, 3),
            "hand_sql_s": round(sql_s, 3),
            "ratio": round(ours / sql_s, 2),
            "target_ratio": 2.0,
            "kpi_rows": len(report),
            "sql_rows": len(hand),
        },
    )


if __name__ == "__main__":
    main()
