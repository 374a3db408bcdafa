"""TikTok Studio "Download data" files (ZIP of CSVs or one workbook)."""

from __future__ import annotations

import re

import pandas as pd

from socialkpi.ingest._shape import col, has_time, local_to_utc, net_split, total

_VIDEO_ID = re.compile(r"/video/(\d+)")


def overview(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Daily video views, profile views and engagements from TikTok's Overview."""
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "date": frame["date"],
            "views": frame["video_views"],
            "profile_visits": col(frame, "profile_views"),
            "engagements": total(frame, "likes", "comments", "shares"),
        }
    )
    return {"account_daily": out}


def content(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Videos from TikTok's Content table (dates without a year rebuilt from the export date)."""
    snapshot = frame["time"].dropna().max() if "time" in frame else pd.NaT
    snapshot = pd.Timestamp(ctx.export_date) if pd.isna(snapshot) else snapshot
    found = frame["link"].astype("string").str.extract(_VIDEO_ID)[0]
    posts = pd.DataFrame(
        {
            "_row": frame["_row"],
            "post_id": found.fillna(frame["link"]),
            "snapshot_date": snapshot,
            "published_at": local_to_utc(frame["post_time"], ctx.timezone),
            "time_known": has_time(frame, "post_time"),
            "content_type": "video",
            "caption": col(frame, "title"),
            "permalink": frame["link"],
            "views": frame["views"],
            "video_views": frame["views"],
            "reactions": col(frame, "likes"),
            "comments": col(frame, "comments"),
            "shares": col(frame, "shares"),
            "saves": col(frame, "saves"),
            "watch_time_s": col(frame, "watch_time_s"),
        }
    )
    return {"posts": posts}


def follower_history(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Followers per day and the daily net change from TikTok's FollowerHistory."""
    gains, losses = net_split(col(frame, "difference"))
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "date": frame["date"],
            "followers": frame["followers"],
            "follower_gains": gains,
            "follower_losses": losses,
        }
    )
    return {"account_daily": out}


def follower_activity(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """When followers are active, by hour, from TikTok's FollowerActivity."""
    by_hour = frame.groupby(frame["hour"].astype(int))["active"].mean()
    out = pd.DataFrame(
        {
            "_row": frame.groupby(frame["hour"].astype(int))["_row"].min().to_numpy(),
            "snapshot_date": pd.Timestamp(ctx.export_date),
            "dimension": "hour_active",
            "segment": [f"{h:02d}" for h in by_hour.index],
            "count": by_hour.round().to_numpy(),
            "share": (by_hour / by_hour.sum()).to_numpy() if by_hour.sum() else pd.NA,
        }
    )
    return {"audience": out}


FINISH = {
    "tiktok_overview": overview,
    "tiktok_content": content,
    "tiktok_follower_history": follower_history,
    "tiktok_follower_activity": follower_activity,
}
