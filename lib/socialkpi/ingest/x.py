"""X (Twitter) exports: the legacy tweet activity file and the newer content export."""

from __future__ import annotations

import html

import pandas as pd

from socialkpi.ingest._shape import col, has_time, local_to_utc, total

TWITTER_EPOCH_MS = 1288834974657
_CLICKS = ("profile_clicks", "url_clicks", "hashtag_clicks", "detail_expands", "permalink_clicks")
# the legacy export's other clicks and actions, all counted in X's own engagements
_LEGACY_CLICKS = (
    *_CLICKS,
    "media_engagements",
    "app_opens",
    "app_installs",
    "email_tweet",
    "dial_phone",
)


def unescaped(text: pd.Series) -> pd.Series:
    """Post text as written: X's exports keep its HTML escaping (``&amp;``), reports escape once.

    Examples
    --------
    >>> unescaped(pd.Series(["R &amp; D &lt;3", None])).tolist()
    ['R & D <3', <NA>]
    """
    return text.astype("string").map(html.unescape, na_action="ignore")


def snowflake_time(post_id: pd.Series) -> pd.Series:
    """UTC creation time encoded in a Snowflake ID (posts since November 2010), else NaT.

    Examples
    --------
    >>> snowflake_time(pd.Series([str((1700000000000 - TWITTER_EPOCH_MS) << 22)])).iloc[0]
    Timestamp('2023-11-14 22:13:20+0000', tz='UTC')
    """
    digits = post_id.astype("string").str.fullmatch(r"\d{1,20}").fillna(False)
    ms = [
        (int(v) >> 22) + TWITTER_EPOCH_MS if ok and int(v) >= 1 << 40 else None  # older: sequential
        for v, ok in zip(post_id, digits, strict=True)
    ]
    return pd.to_datetime(pd.Series(ms, index=post_id.index, dtype="Float64"), unit="ms", utc=True)


def tweet_activity(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Posts from X's legacy tweet activity export (UTC times, every engagement X counts)."""
    promoted = col(frame, "promoted_impressions").astype("Float64")
    media = col(frame, "media_views").astype("Float64")
    posts = pd.DataFrame(
        {
            "_row": frame["_row"],
            "post_id": frame["post_id"],
            "snapshot_date": pd.Timestamp(ctx.export_date),
            "published_at": frame["time"].dt.tz_localize("UTC"),
            "time_known": has_time(frame, "time"),
            "content_type": pd.Series("text", index=frame.index).where(media.fillna(0) == 0),
            "caption": unescaped(col(frame, "text")),
            "permalink": col(frame, "permalink"),
            "paid": (promoted > 0).fillna(False),
            "impressions": frame["impressions"],
            "reactions": col(frame, "likes"),
            "comments": col(frame, "replies"),
            "shares": col(frame, "retweets"),
            "clicks": total(frame, *_LEGACY_CLICKS),
            "link_clicks": col(frame, "url_clicks"),
            "follows": col(frame, "follows"),
            "engagements_platform": col(frame, "engagements"),
        }
    )
    return {"posts": posts}


def content(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Posts from X's account analytics content export (times decoded from the post ids)."""
    decoded = snowflake_time(frame["post_id"])
    day = local_to_utc(frame["date"], ctx.timezone)
    # trust the id's time when it falls within a day of the listed date, else the date alone
    close = (decoded - day).abs() <= pd.Timedelta(days=2)
    published = decoded.where(close.fillna(False), day)
    posts = pd.DataFrame(
        {
            "_row": frame["_row"],
            "post_id": frame["post_id"],
            "snapshot_date": pd.Timestamp(ctx.export_date),
            "published_at": published,
            "time_known": close.fillna(False),  # the id's time; the listed date alone has none
            "caption": unescaped(col(frame, "text")),
            "permalink": col(frame, "link"),
            "impressions": frame["impressions"],
            "reactions": col(frame, "likes"),
            "comments": col(frame, "replies"),
            "shares": total(frame, "reposts", "shares"),
            "saves": col(frame, "bookmarks"),
            "clicks": total(
                frame, "profile_visits", *_CLICKS[1:]
            ),  # visits: the old profile clicks
            "link_clicks": col(frame, "url_clicks"),
            "follows": col(frame, "follows"),
            "engagements_platform": col(frame, "engagements"),
        }
    )
    return {"posts": posts}


def overview(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """The account's days from X's Overview export: impressions, X's own engagements, likes,
    replies, reposts and shares (as the content export counts them), follows gained and lost,
    profile visits."""
    days = pd.DataFrame(
        {
            "_row": frame["_row"],
            "date": frame["date"],
            "impressions": frame["impressions"],
            "engagements": col(frame, "engagements"),
            "likes": col(frame, "likes"),
            "comments": col(frame, "replies"),
            "shares": total(frame, "reposts", "shares"),
            "follower_gains": col(frame, "new_follows"),
            "follower_losses": frame["unfollows"],
            "profile_visits": col(frame, "profile_visits"),
        }
    )
    return {"account_daily": days}


FINISH = {"x_tweet_activity": tweet_activity, "x_content": content, "x_overview": overview}
