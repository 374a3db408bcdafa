"""Landing files (``connectors.landing``): one API response as received, in an envelope that
says what it answered. Read into canonical frames like any export, through the same checks,
ledger and transaction (``_pipeline``), so a pulled day imports, re-imports and is removed
like a file.

Threads (developers.facebook.com/docs/threads/insights):

- posts: ``id``, ``media_type`` (TEXT_POST, IMAGE, VIDEO, CAROUSEL_ALBUM, AUDIO,
  REPOST_FACADE: a repost of someone else's post, not the brand's), ``text``, ``permalink``,
  ``timestamp`` (``2023-10-17T05:42:03+0000``); a post's lifetime insights (views, likes,
  replies, reposts, quotes, shares: ``values[0].value``) are a snapshot as of the pull day;
- profile views: a daily series whose ``end_time`` closes the day (a value ending after the
  pull is a day not over yet: left out and said, never stored as a number);
- followers_count and follower_demographics: current values only, stored as the pull day's
  snapshot (``total_value.value``; ``total_value.breakdowns[].results[].dimension_values``).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pandas as pd

from socialkpi.ingest import line
from socialkpi.ingest._errors import ExportError

MARK = b'"socialkpi_landing"'
CONTENT_TYPES = {
    "TEXT_POST": "text",
    "IMAGE": "image",
    "VIDEO": "video",
    "CAROUSEL_ALBUM": "carousel",
    "AUDIO": "video",
}
# Threads' post metrics -> posts columns (likes are reactions, replies comments)
POST_METRICS = {
    "views": "views",
    "likes": "reactions",
    "replies": "comments",
    "reposts": "reposts",
    "quotes": "quotes",
    "shares": "shares",
}


def is_landing(data: bytes) -> bool:
    """Whether the bytes are a landing file (a JSON envelope socialkpi wrote)."""
    head = data[:400].lstrip()
    return head.startswith(b"{") and (MARK in data[:4000] or MARK in data[-4000:])


def _stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")


def frames(display: str, data: bytes, ctx) -> tuple[dict[str, pd.DataFrame], str]:
    """The canonical frames of one landing file and its format's name."""
    try:
        item = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise ExportError(
            display, f"is not a readable landing file ({err})", "pull again"
        ) from None
    platform, kind = item.get("platform"), item.get("kind")
    reader = READERS.get((platform, kind))
    if reader is None:
        raise ExportError(
            display,
            f"a landing file of an unknown kind ({platform!r}, {kind!r})",
            "pull again with this version of socialkpi",
        )
    pulled = datetime.fromisoformat(item["pulled_at"])
    ctx.export_date = pulled.date()
    calls = item.get("calls") or [{"request": item.get("request"), "response": item["response"]}]
    parts: dict[str, list[pd.DataFrame]] = {}
    for n, call in enumerate(calls, 1):  # a file of version 1 holds one call
        ctx.format_extra = {"request": call.get("request") or {}, **call.get("context", {})}
        for table, frame in reader(call["response"], pulled, ctx).items():
            parts.setdefault(table, []).append(frame.assign(_row=n))  # the call, as its row
    out = {t: pd.concat(p, ignore_index=True) for t, p in parts.items()}
    for frame in out.values():
        frame["platform"] = platform
    return out, f"landing_{platform}_{kind}"


def _post_rows(
    rows: list[dict], pulled: datetime, stamp: str, caption: str, link: str, **more
) -> dict[str, pd.DataFrame]:
    """Posts of a list response: id, the pull day as the snapshot, the time in ``stamp``, the
    text in ``caption``, the link in ``link``, and ``more`` columns (lists, one per row)."""
    if not rows:
        return {}
    frame = pd.DataFrame(
        {
            "post_id": [str(p["id"]) for p in rows],
            "snapshot_date": pd.Timestamp(pulled.date()),
            "published_at": [pd.Timestamp(_stamp(p[stamp])).tz_convert("UTC") for p in rows],
            "time_known": True,
            "caption": [p.get(caption) for p in rows],
            "permalink": [p.get(link) for p in rows],
            **more,
        }
    )
    return {"posts": frame}


def _posts(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    rows = [p for p in response.get("data", []) if p.get("media_type") != "REPOST_FACADE"]
    types = [CONTENT_TYPES.get(p.get("media_type"), "text") for p in rows]
    return _post_rows(rows, pulled, "timestamp", "text", "permalink", content_type=types)


def _post_insights(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    return _lifetime(response, pulled, POST_METRICS)  # a repost of another's post: no data


def _complete_days(values: list[dict], pulled: datetime) -> tuple[list, int]:
    """A daily series' ``(day, value)`` pairs whose day was over when pulled (a value's
    ``end_time`` closes its day), and how many were not."""
    done = [v for v in values if _stamp(v["end_time"]) <= pulled]
    days = [
        (pd.Timestamp((_stamp(v["end_time"]) - timedelta(days=1)).date()), v.get("value"))
        for v in done
    ]
    return days, len(values) - len(done)


def _follower_snapshot(value, pulled: datetime) -> dict[str, pd.DataFrame]:
    """A current-value-only follower count, stored as the pull day's snapshot."""
    if value is None:
        return {}
    row = {"date": pd.Timestamp(pulled.date()), "followers": int(value)}
    return {"account_daily": pd.DataFrame([row])}


def _profile_views(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    rows, partial = [], 0
    for metric in response.get("data", []):
        days, late = _complete_days(metric.get("values", []), pulled)
        partial += late
        rows += [{"date": day, "profile_visits": value} for day, value in days]
    if partial:
        ctx.warn(
            f"{partial} day(s) of profile views not over when pulled: not stored (pull again "
            "tomorrow for the complete day)"
        )
    return {"account_daily": pd.DataFrame(rows)} if rows else {}


def _followers(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    found = [m for m in response.get("data", []) if m.get("name") == "followers_count"]
    value = (found[0].get("total_value") or {}).get("value") if found else None
    return _follower_snapshot(value, pulled)


def _demographics(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    rows = []
    for metric in response.get("data", []):
        for breakdown in (metric.get("total_value") or {}).get("breakdowns", []):
            dimension = breakdown.get("dimension_keys", ["?"])[0]
            results = breakdown.get("results", [])
            total = sum(r.get("value", 0) for r in results) or None
            for r in results:
                segment = r.get("dimension_values", ["?"])[0]
                if dimension == "gender":
                    segment = {"F": "female", "M": "male", "U": "unknown"}.get(segment, segment)
                rows.append(
                    {
                        "snapshot_date": pd.Timestamp(pulled.date()),
                        "dimension": dimension,
                        "segment": segment,
                        "count": r.get("value"),
                        "share": r.get("value", 0) / total if total else None,
                    }
                )
    return {"audience": pd.DataFrame(rows)} if rows else {}


def _ig_media(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    rows = [m for m in response.get("data", []) if m.get("media_product_type") != "STORY"]
    kinds = {"IMAGE": "image", "VIDEO": "video", "CAROUSEL_ALBUM": "carousel"}
    types = [
        "reel"
        if m.get("media_product_type") == "REELS"
        else kinds.get(m.get("media_type"), "image")
        for m in rows
    ]
    return _post_rows(rows, pulled, "timestamp", "caption", "permalink", content_type=types)


# Instagram's media metrics -> posts columns
IG_METRICS = {
    "views": "views",
    "reach": "reach",
    "likes": "reactions",
    "comments": "comments",
    "shares": "shares",
    "saved": "saves",
    "total_interactions": "engagements_platform",
}


def _ig_insights(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    return _lifetime(response, pulled, IG_METRICS)


def _lifetime(response: dict, pulled: datetime, names: dict) -> dict[str, pd.DataFrame]:
    """One post's lifetime metrics (``values[0].value``), as the pull day's snapshot."""
    values, post = {}, None
    for metric in response.get("data", []):
        post = str(metric.get("id", "")).split("/insights/")[0] or post
        column = names.get(metric.get("name"))
        value = metric["values"][0].get("value") if metric.get("values") else None
        if isinstance(value, dict):  # reactions by type: their sum
            value = sum(v for v in value.values() if isinstance(v, (int, float)))
        if column and value is not None:
            values[column] = value
    if post is None or not values:
        return {}
    row = {"post_id": post, "snapshot_date": pd.Timestamp(pulled.date()), **values}
    return {"posts": pd.DataFrame([row])}


def _ig_followers(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    return _follower_snapshot(response.get("followers_count"), pulled)


def _fb_posts(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    rows = response.get("data", [])
    shares = [(p.get("shares") or {}).get("count", 0) for p in rows]
    comments = [((p.get("comments") or {}).get("summary") or {}).get("total_count") for p in rows]
    return _post_rows(
        rows, pulled, "created_time", "message", "permalink_url", shares=shares, comments=comments
    )


# Facebook's post metrics -> posts columns: views replace impressions (2025-11-15); the unique
# viewers are the post's reach
FB_METRICS = {
    "post_media_view": "views",
    "post_total_media_view_unique": "reach",
    "post_reactions_by_type_total": "reactions",
    "post_clicks": "clicks",
}


def _fb_insights(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    return _lifetime(response, pulled, FB_METRICS)


FB_DAILY = {
    "page_media_view": "views",
    "page_post_engagements": "engagements",
    "page_daily_follows_unique": "follower_gains",
}


def _fb_daily(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    days: dict = {}
    partial = 0
    for metric in response.get("data", []):
        column = FB_DAILY.get(metric.get("name"))
        if column is None:
            continue
        complete, late = _complete_days(metric.get("values", []), pulled)
        partial += late
        for day, value in complete:
            days.setdefault(day, {"date": day})[column] = value
    if partial:
        ctx.warn(f"{partial} value(s) of days not over when pulled: not stored")
    return {"account_daily": pd.DataFrame(list(days.values()))} if days else {}


READERS = {
    **line.READERS,
    ("threads", "posts"): _posts,
    ("threads", "post_insights"): _post_insights,
    ("threads", "profile_views"): _profile_views,
    ("threads", "followers"): _followers,
    ("threads", "demographics"): _demographics,
    ("instagram", "media"): _ig_media,
    ("instagram", "media_insights"): _ig_insights,
    ("instagram", "followers"): _ig_followers,
    ("instagram", "demographics"): _demographics,
    ("facebook", "posts"): _fb_posts,
    ("facebook", "post_insights"): _fb_insights,
    ("facebook", "page_daily"): _fb_daily,
}
