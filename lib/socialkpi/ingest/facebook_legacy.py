"""The legacy Facebook Insights post-level export (two header rows, repeated names)."""

from __future__ import annotations

import pandas as pd

from socialkpi.ingest._shape import col, content_type, has_time, local_to_utc, total


def legacy_posts(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Posts from the legacy Facebook Insights post export (two header rows)."""
    paid_reach = col(frame, "paid_reach").astype("Float64")
    posts = pd.DataFrame(
        {
            "_row": frame["_row"],
            "post_id": frame["post_id"],
            "snapshot_date": pd.Timestamp(ctx.export_date),
            "published_at": local_to_utc(frame["posted"], ctx.timezone),
            "time_known": has_time(frame, "posted"),
            "content_type": content_type(frame["type"], ctx, "Type"),
            "caption": col(frame, "message"),
            "permalink": col(frame, "permalink").str.removesuffix(":0"),
            "paid": (paid_reach > 0).where(paid_reach.notna()),
            "impressions": col(frame, "impressions"),
            "reach": frame["reach"],
            "reactions": col(frame, "likes"),
            "comments": col(frame, "comments"),
            "shares": col(frame, "shares"),
            "clicks": col(frame, "consumptions"),
            "link_clicks": col(frame, "link_clicks"),
            "video_views": total(frame, "organic_video_views", "paid_video_views"),
        }
    )
    return {"posts": posts}


FINISH = {"facebook_legacy_posts": legacy_posts}
