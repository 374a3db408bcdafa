"""LinkedIn Page analytics workbooks: content, followers, visitors, competitors."""

from __future__ import annotations

import re

import pandas as pd

from socialkpi.ingest._shape import col, content_type, has_time, local_to_utc, net_split, total
from socialkpi.ingest._values import normalize

_ACTIVITY = re.compile(r"urn:li:(?:activity|share|ugcPost):(\d+)|activity[-:](\d+)")


def metrics(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Daily impressions, reach and engagements from the content workbook's Metrics sheet."""
    counted = ["impressions", "reach", "clicks", "reactions", "comments", "reposts"]
    present = [c for c in counted if c in frame]
    negative = frame[present].lt(0).fillna(False)
    if negative.any().any():
        ctx.warn(
            f"{int(negative.to_numpy().sum())} negative daily values (a known LinkedIn glitch) "
            "were stored as empty"
        )
        frame = frame.copy()
        frame[present] = frame[present].mask(negative)
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "date": frame["date"],
            "impressions": frame["impressions"],
            "reach": col(frame, "reach"),
            # LinkedIn's engagement rate counts clicks too (the daily sheet has no follows)
            "engagements": total(frame, "clicks", "reactions", "comments", "reposts"),
        }
    )
    return {"account_daily": out}


def posts(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Posts from the content workbook's All posts sheet, with LinkedIn's own engagements."""
    found = frame["link"].astype("string").str.extract(_ACTIVITY)
    post_id = found[0].fillna(found[1]).fillna(frame["link"])
    kind = content_type(col(frame, "kind").fillna("text"), ctx, "Content Type")
    post_type = col(frame, "post_type").astype("string").str.casefold()
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "post_id": post_id,
            "snapshot_date": pd.Timestamp(ctx.export_date),
            "published_at": local_to_utc(frame["created"], ctx.timezone),
            "time_known": has_time(frame, "created"),
            "content_type": kind,
            "caption": col(frame, "title"),
            "permalink": frame["link"],
            "paid": post_type.isin(["sponsored", "贊助"]).where(post_type.notna()),
            "impressions": frame["impressions"],
            "views": col(frame, "views"),
            "clicks": col(frame, "clicks"),
            "reactions": col(frame, "likes"),
            "comments": col(frame, "comments"),
            "shares": col(frame, "reposts"),
            "follows": col(frame, "follows"),
        }
    )
    out["engagements_platform"] = _engagements_from_rate(frame, out)
    return {"posts": out}


def _engagements_from_rate(frame: pd.DataFrame, posts: pd.DataFrame) -> pd.Series:
    """LinkedIn's own engagements, known only through its ``Engagement rate`` x impressions.

    Where the rate agrees, at the precision the export wrote it, with LinkedIn's definition
    counted here (clicks + reactions + comments + reposts + follows), that count; elsewhere
    the rate's estimate, so the import's parity check names the post. The rate is a fraction
    in some files and a percentage in others: the reading closer to the count wins.
    """
    rate = col(frame, "engagement_rate").astype("Float64")
    counted = posts[["clicks", "reactions", "comments", "shares", "follows"]].astype("Float64")
    counted = counted.sum(axis=1, min_count=1)
    impressions = posts["impressions"].astype("Float64")
    if rate.isna().all():
        return pd.Series(pd.NA, index=posts.index, dtype="Int64")
    readings = [rate, rate / 100]
    gaps = [(r * impressions - counted).abs().sum() for r in readings]
    percent = int(gaps[1] < gaps[0])
    estimate = readings[percent] * impressions
    # the rate as written (0.06, or 6.13 %) pins engagements down to half its last digit
    slack = pd.Series(
        [0.5 * 10.0 ** -(_decimals(r) + 2 * percent) if pd.notna(r) else 0.0 for r in rate],
        index=posts.index,
    )
    agrees = ((estimate - counted).abs() <= (slack * impressions).clip(lower=1)).fillna(False)
    return counted.where(agrees, estimate.round()).round().astype("Int64")


def _decimals(value: float) -> int:
    """Decimal places a rate was written with (0.06 -> 2), at most 6."""
    text = f"{value:.6f}".rstrip("0")
    return min(len(text.split(".")[1]), 6)


def followers(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """New followers per day from the followers workbook: the day's net change, split into
    gains and losses as the other net-only exports are (a day of -1 lost a follower)."""
    gains, losses = net_split(frame["new_total"])
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "date": frame["date"],
            "follower_gains": gains,
            "follower_losses": losses,
        }
    )
    return {"account_daily": out}


def demographics(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Follower demographics (location, job function, seniority, industry, size) as shares."""
    header = normalize(match.headers[match.fields["segment"]])
    dimension = match.format.extra["dimensions"].get(header, header.replace(" ", "_"))
    counts = frame["value"].astype("Float64")
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "snapshot_date": pd.Timestamp(ctx.export_date),
            "dimension": dimension,
            "segment": frame["segment"],
            "count": counts,
            "share": counts / counts.sum() if counts.sum() else pd.NA,
        }
    )
    return {"audience": out}


def visitors(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Page views per day from the visitors workbook."""
    out = pd.DataFrame(
        {"_row": frame["_row"], "date": frame["date"], "profile_visits": frame["page_views"]}
    )
    return {"account_daily": out}


def competitors(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Competitors' followers, posts and engagements from the competitor workbook."""
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "competitor": frame["page"],
            "date": pd.Timestamp(ctx.export_date),
            "followers": col(frame, "followers"),
            "posts": col(frame, "posts"),
            "engagements": col(frame, "engagements"),
        }
    )
    return {"competitors": out}


FINISH = {
    "linkedin_metrics": metrics,
    "linkedin_posts": posts,
    "linkedin_followers": followers,
    "linkedin_demographics": demographics,
    "linkedin_visitors": visitors,
    "linkedin_competitors": competitors,
}
