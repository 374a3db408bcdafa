"""YouTube Studio exports: Table data (per video), Totals (channel per day), Chart data."""

from __future__ import annotations

import pandas as pd

from socialkpi.config import places
from socialkpi.ingest._shape import col, has_time, local_to_utc, net_split

# summable columns of Table data, checked against its Total row (name shown, scale shown)
_SUMMED = {
    "views": ("views", 1),
    "watch_time_s": ("watch time (hours)", 3600),
    "subscribers": ("subscribers", 1),
    "impressions": ("impressions", 1),
    "likes": ("likes", 1),
    "comments": ("comments", 1),
    "shares": ("shares", 1),
}


def _check_totals(total_row: pd.Series, videos: pd.DataFrame, ctx, rows: str = "video") -> None:
    """Warn where YouTube's own Total row differs from the sum of the (video) rows."""
    off = []
    for column, (label, scale) in _SUMMED.items():
        if column not in videos or pd.isna(total_row.get(column)):
            continue
        expected, got = float(total_row[column]) / scale, float(videos[column].sum()) / scale
        if abs(expected - got) > max(0.01, 0.001 * abs(expected)):
            off.append(f"{label} {expected:g} in the Total row, {got:g} in the {rows} rows")
    if off:
        ctx.warn(
            f"YouTube's Total row differs from the sum of the {rows} rows ("
            + "; ".join(off)
            + f"): reports show the {rows} rows' sums ({rows}s left out of the export, or a "
            "damaged file?)"
        )


def table_data(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Videos from YouTube Studio's Table data, checked against its Total row."""
    videos, totals = frame, ctx.totals.get(match.format.name)  # the Total row, kept aside
    if totals is not None and len(totals):
        _check_totals(totals.iloc[0], videos, ctx)
    net = col(videos, "subscribers")
    if (pd.to_numeric(net) < 0).any():
        lost = int((pd.to_numeric(net) < 0).sum())
        ctx.warn(
            f"{lost} {'video' if lost == 1 else 'videos'} lost more subscribers than "
            f"{'it' if lost == 1 else 'they'} brought; their follows are stored as 0 (YouTube "
            "reports only the net change)"
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
    """The channel's daily totals from YouTube Studio's Totals."""
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
    """Chart data holds only the charted videos: nothing is stored, and the import says so."""
    ctx.warn(
        "Chart data.csv holds only the videos selected in the chart, so it was not stored; "
        "Table data.csv and Totals.csv from the same download carry the complete numbers"
    )
    return {}


def territory_code(place: str) -> str:
    """A country as YouTube may write it: an ISO code (``tw`` -> ``TW``) or an English name
    (``Taiwan`` -> ``TW``); any other name is kept as written.

    >>> territory_code("tw"), territory_code("Taiwan"), territory_code("Việt Nam")
    ('TW', 'TW', 'Việt Nam')
    """
    text = str(place).strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    return places.territory_code(text) or text


def geography(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """The viewers' countries from YouTube Studio's Table data by Geography: each country's
    share of the views in the exported period (audience, dimension ``country``), checked
    against the Total row."""
    views = frame["views"].astype("Float64")
    total_row = ctx.totals.get(match.format.name)
    if total_row is not None and len(total_row):
        _check_totals(total_row.iloc[0], frame, ctx, "country")
    whole = views.sum()
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "snapshot_date": pd.Timestamp(ctx.export_date),
            "dimension": "country",
            "segment": frame["geography"].map(territory_code).astype("string"),
            "share": views / whole if whole else pd.NA,
            "count": frame["views"],
        }
    )
    return {"audience": out}


FINISH = {
    "youtube_geography": geography,
    "youtube_table": table_data,
    "youtube_totals": totals,
    "youtube_chart": chart_data,
}
