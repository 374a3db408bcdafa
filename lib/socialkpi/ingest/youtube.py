"""YouTube Studio exports: Table data (per video), Totals (channel per day), Chart data."""

from __future__ import annotations

import pandas as pd

from socialkpi.ingest._headers import normalize
from socialkpi.ingest._shape import col, has_time, local_to_utc, net_split

_TOTAL = {"total", "總計", "合計", "总计", "gesamt"}


def table_data(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    is_total = frame["content"].map(lambda v: normalize(v) in _TOTAL if pd.notna(v) else False)
    totals, videos = frame[is_total.astype(bool)], frame[~is_total.astype(bool)]
    if len(totals) and totals["views"].notna().all():
        expected, got = totals["views"].iloc[0], videos["views"].sum()
        if abs(expected - got) > max(1, 0.001 * expected):
            ctx.warn(f"Total row says {expected:.0f} views, the video rows add up to {got:.0f}")
    net = col(videos, "subscribers")
    if (pd.to_numeric(net) < 0).any():
        ctx.warn(
            f"{int((pd.to_numeric(net) < 0).sum())} videos lost more subscribers than they brought; "
            "their follows are stored as 0 (YouTube reports only the net change)"
        )
    posts = pd.DataFrame(
        {
            "_row": videos["_row"],
            "post_id": videos["content"],
            "snapshot_date": pd.Timestamp(ctx.export_date),
            "published_at": local_to_utc(col(videos, "published"), ctx.timezone),
            "time_known": has_time(videos, "published"),
            "content_type": "video",
            "caption": col(videos, "title"),
            "permalink": "https://www.youtube.com/watch?v=" + videos["content"],
            "impressions": col(videos, "impressions"),
            "views": videos["views"],
            "video_views": videos["views"],
            "watch_time_s": col(videos, "watch_time_s"),
            "reactions": col(videos, "likes"),
            "comments": col(videos, "comments"),
            "shares": col(videos, "shares"),
            "follows": pd.to_numeric(net).clip(lower=0),
        }
    )
    return {"posts": posts}


def totals(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    gains, losses = net_split(col(frame, "subscribers"))
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "date": frame["date"],
            "views": col(frame, "views"),
            "impressions": col(frame, "impressions"),
            "follower_gains": gains,
            "follower_losses": losses,
        }
    )
    return {"account_daily": out}


def chart_data(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    ctx.warn(
        "Chart data.csv holds only the videos selected in the chart, so it was not stored; "
        "Table data.csv and Totals.csv from the same download carry the complete numbers"
    )
    return {}


FINISH = {
    "youtube_table": table_data,
    "youtube_totals": totals,
    "youtube_chart": chart_data,
}
