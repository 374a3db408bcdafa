"""TikTok Studio "Download data" files (ZIP of CSVs or one workbook)."""

from __future__ import annotations

import re

import pandas as pd

from socialkpi.ingest._errors import ExportError
from socialkpi.ingest._shape import col, has_time, local_to_utc, net_split, total
from socialkpi.ingest._values import place_before

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
            "likes": col(frame, "likes"),
            "comments": col(frame, "comments"),
            "shares": col(frame, "shares"),
        }
    )
    return {"account_daily": out}


def video_time(ids: pd.Series) -> pd.Series:
    """When each video went out (UTC), from its id: the upper 32 bits of a TikTok video id
    are the Unix time of posting. NaT where the id is no video id.

    >>> video_time(pd.Series(["7527623000473079054", "abc"])).tolist()
    [Timestamp('2025-07-16 10:21:48+0000', tz='UTC'), NaT]
    """
    digits = ids.astype("string").str.fullmatch(r"\d{18,20}").fillna(False)
    seconds = [int(v) >> 32 if ok else None for v, ok in zip(ids, digits, strict=True)]
    stamps = pd.to_datetime(
        pd.Series(seconds, index=ids.index, dtype="Float64"), unit="s", utc=True
    )
    plausible = (stamps >= pd.Timestamp("2016-09-01", tz="UTC")) & (  # TikTok's launch
        stamps <= pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=1)
    )
    return stamps.where(plausible.fillna(False))


def content(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Videos from TikTok's Content table. The publish time comes from each video's id
    (exact, to the second); the "Post time" without a year is only a check. The snapshot day
    ("Time", also without a year) is the export day, or the first such day on or after the
    newest video."""
    found = frame["link"].astype("string").str.extract(_VIDEO_ID)[0]
    decoded = video_time(found)
    local_days = decoded.dt.tz_convert(ctx.timezone).dt.tz_localize(None).dt.normalize()
    snapshot = _snapshot(frame, ctx, local_days)
    post_time = frame["post_time"]
    if "post_time" in ctx.unplaced:  # no export day known: place by the snapshot day
        post_time = pd.Series(
            [
                pd.Timestamp(d) if d else pd.NaT
                for d in place_before(ctx.unplaced["post_time"], snapshot.date())
            ],
            index=frame.index,
        )
    missing = decoded.isna() & post_time.isna()
    if missing.any():
        row = int(frame.loc[missing, "_row"].iloc[0])
        raise ExportError(
            ctx.path,
            f"row {row}: the video has no id in its link and its post time has no year",
            "pass --export-date YYYY-MM-DD (the day you downloaded the file)",
        )
    listed = post_time.dt.normalize()
    off = decoded.notna() & listed.notna() & ((local_days - listed).abs() > pd.Timedelta(days=1))
    if off.any():
        ctx.warn(
            f"{int(off.sum())} videos' post time differs by more than a day from the time in "
            "their id; the id's time is stored"
        )
    published = decoded.where(decoded.notna(), local_to_utc(post_time, ctx.timezone))
    posts = pd.DataFrame(
        {
            "_row": frame["_row"],
            "post_id": found.fillna(frame["link"]),
            "snapshot_date": snapshot,
            "published_at": published,
            "time_known": decoded.notna() | has_time(frame, "post_time"),
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


def _snapshot(frame: pd.DataFrame, ctx, days: pd.Series) -> pd.Timestamp:
    """The day the table's totals were counted: its "Time" (the export day), placed by the
    export day known, else as the first such day on or after the newest video."""
    if "time" in ctx.unplaced:
        mds = [md for md in ctx.unplaced["time"] if md]
        newest = days.max()
        if not mds or pd.isna(newest):
            return pd.Timestamp(ctx.export_date)
        month, day = mds[0]
        for year in (newest.year, newest.year + 1):
            try:
                candidate = pd.Timestamp(year, month, day)
            except ValueError:
                continue
            if candidate >= newest:
                return candidate
        return newest
    found = frame["time"].dropna().max() if "time" in frame else pd.NaT
    return pd.Timestamp(ctx.export_date) if pd.isna(found) else found


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
