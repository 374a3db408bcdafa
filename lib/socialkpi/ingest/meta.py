"""Meta Business Suite exports: Facebook and Instagram posts, page daily series, audience."""

from __future__ import annotations

import pandas as pd

from socialkpi.ingest._errors import ExportError
from socialkpi.ingest._shape import col, content_type, has_time, local_to_utc, shares_from
from socialkpi.ingest._values import normalize


def facebook_posts(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Posts from a Meta Business Suite Facebook post export."""
    title, desc = col(frame, "title").fillna(""), col(frame, "description").fillna("")
    # which of Title/Description holds the caption depends on the post type: take the longer
    caption = title.where(title.str.len() >= desc.str.len(), desc).replace("", pd.NA)
    posts = _posts(frame, ctx, match, caption)
    posts["reactions"] = col(frame, "reactions")
    posts["clicks"] = col(frame, "clicks")
    posts["link_clicks"] = col(frame, "link_clicks")
    posts["engagements_platform"] = col(frame, "interactions")
    posts["paid"] = (col(frame, "reach_boosted").astype("Float64") > 0).where(
        col(frame, "reach_boosted").notna()
    )
    return {"posts": posts}


def instagram_posts(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Posts from a Meta Business Suite Instagram post export."""
    posts = _posts(frame, ctx, match, col(frame, "description"))
    posts["reactions"] = col(frame, "likes")
    posts["saves"] = col(frame, "saves")
    posts["follows"] = col(frame, "follows")
    return {"posts": posts}


def _posts(frame, ctx, match, caption) -> pd.DataFrame:
    kind = content_type(frame["post_type"], ctx, match.format.label("post_type"))
    video = kind.isin(["video", "reel"]).fillna(False)
    return pd.DataFrame(
        {
            "_row": frame["_row"],
            "post_id": frame["post_id"],
            "snapshot_date": pd.Timestamp(ctx.export_date),
            "published_at": local_to_utc(frame["published_at"], ctx.timezone),
            "time_known": has_time(frame, "published_at"),
            "content_type": kind,
            "caption": caption,
            "labels": col(frame, "labels").astype("string").str.strip().replace("", pd.NA),
            "permalink": col(frame, "permalink"),
            "impressions": col(frame, "impressions"),
            "views": col(frame, "views"),
            "reach": col(frame, "reach"),
            "comments": col(frame, "comments"),
            "shares": col(frame, "shares"),
            "video_views": col(frame, "views").where(video),
            "watch_time_s": col(frame, "seconds_viewed"),
        }
    )


def page_daily(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """One daily page series (follows, views, viewers, interactions) from Meta's Insights export."""
    metrics = {normalize(k): v for k, v in match.format.extra["metrics"].items()}
    names = [c for row in ctx.preamble for c in row if str(c).strip()]
    if not names:
        raise ExportError(
            ctx.path,
            'no metric name above the "Date","Primary" header',
            "export the chart again from Meta Business Suite without editing it",
        )
    key = normalize(names[-1])
    if key not in metrics:
        raise ExportError(
            ctx.path,
            f"line 2: unknown metric {names[-1]!r}",
            "socialkpi reads these page metrics: "
            + ", ".join(sorted(match.format.extra["metrics"])),
        )
    platform, column = metrics[key]
    out = pd.DataFrame({"_row": frame["_row"], "date": frame["date"].dt.normalize()})
    out[column] = frame["value"]
    if platform:
        out["platform"] = platform
    return {"account_daily": out}


def age_gender(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Follower shares by age and gender (and the cities and countries stacked below them)."""
    long = frame.melt(id_vars=["_row", "age"], value_vars=["women", "men"], var_name="gender")
    long["gender"] = long["gender"].map({"women": "female", "men": "male"})
    out = pd.DataFrame(
        {
            "_row": long["_row"],
            "snapshot_date": pd.Timestamp(ctx.export_date),
            "dimension": "age_gender",
            "segment": long["age"].astype(str) + "|" + long["gender"],
            "share": long["value"],
        }
    )
    return {"audience": out}


def distribution(dimension: str, field: str):
    """A finisher for two-column share tables (gender, country, city)."""

    def finish(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
        segment = frame[field].astype("string").str.strip()
        if dimension == "gender":
            segment = segment.str.casefold().replace(
                {
                    "女性": "female",
                    "男性": "male",
                    "女": "female",
                    "男": "male",
                    "women": "female",
                    "men": "male",
                }
            )
        out = pd.DataFrame(
            {
                "_row": frame["_row"],
                "snapshot_date": pd.Timestamp(ctx.export_date),
                "dimension": dimension,
                "segment": segment,
                "share": shares_from(
                    frame["distribution"], "auto", ctx, match.format.label("distribution")
                ),
            }
        )
        return {"audience": out}

    return finish


def viewers(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Daily viewers (reach) from Meta's viewers series."""
    out = pd.DataFrame(
        {"_row": frame["_row"], "date": frame["date"], "reach": frame["total_viewers"]}
    )
    return {"account_daily": out}


FINISH = {
    "meta_facebook_posts": facebook_posts,
    "meta_instagram_posts": instagram_posts,
    "meta_page_daily": page_daily,
    "meta_audience_age_gender": age_gender,
    "audience_gender": distribution("gender", "gender"),
    "audience_territories": distribution("country", "country"),
    "audience_cities": distribution("city", "city"),
    "daily_viewers": viewers,
}
