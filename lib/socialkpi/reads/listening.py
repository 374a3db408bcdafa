"""The month's comments as the pages read them: crisis episodes and daily comment counts,
first-response times per platform (in business hours when the brand sets them) and which
parts of the day are answered faster (``metrics.listening``'s rules). Frames of ids and
values."""

from __future__ import annotations

import math
from datetime import timedelta

import pandas as pd

from socialkpi import store
from socialkpi.config.hours import parse_business_hours
from socialkpi.metrics import evidence, listening
from socialkpi.metrics.evidence import MIN_POSTS
from socialkpi.metrics.periods import DEFAULT_TIMEZONE, parse_period
from socialkpi.store.cache import cached


@cached(8)
def crisis(con, brand: str, month: str, platforms=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """This month's crisis episodes, and customer comments per local day of the month (every
    day, 0 where there were none) with how many were negative. With ``platforms``, only
    comments on those platforms (and their campaign days) count."""
    p = parse_period(month)
    zone = store.brand_timezone(con, brand)
    comments = store.read(con, "comments", brand=brand)
    plan = store.read(con, "content_plan", brand=brand)
    if platforms:
        comments = comments[comments["platform"].isin(platforms)]
        plan = plan[plan["platform"].isin(platforms)]
    if comments.empty:
        return pd.DataFrame(), pd.DataFrame()
    spikes = listening.detect_spikes(
        listening.hourly(comments), campaign_days=listening.campaign_days(plan), timezone=zone
    )
    eps = listening.episodes(comments, spikes)
    if len(eps):
        local = eps["start"].dt.tz_convert(zone)
        eps = eps[(local.dt.date >= p.start) & (local.dt.date < p.end)].reset_index(drop=True)
    customer = listening.customer_comments(comments)
    local_day = pd.to_datetime(customer["created_at"]).dt.tz_convert(zone).dt.date
    inside = customer[(local_day >= p.start) & (local_day < p.end)]
    days = pd.Series([p.start + timedelta(days=i) for i in range(p.days)], name="day")
    counted = (
        pd.DataFrame(
            {
                "day": local_day[inside.index],
                "negative": (inside["sentiment_label"] == "negative").to_numpy(),
            }
        )
        .groupby("day")
        .agg(comments=("negative", "size"), negative=("negative", "sum"))
    )
    daily = counted.reindex(days, fill_value=0).rename_axis("day").reset_index()
    return eps, daily


def responsiveness(con, brand: str, month: str, goals_file=None, platforms=None) -> pd.DataFrame:
    """First-response times this month per platform (business hours when the brand set
    them, ``clock`` says which), with a response-time goal's target beside the median."""
    p = parse_period(month)
    comments, zone, hours = _comments_and_clock(con, brand, platforms)
    if comments.empty:
        return pd.DataFrame()
    local = pd.to_datetime(comments["created_at"]).dt.tz_convert(zone).dt.date
    month_comments = comments[(local >= p.start) & (local < p.end)]
    if month_comments.empty:
        return pd.DataFrame()
    table = listening.responsiveness(month_comments, hours)
    targets = [
        g.target.value
        for g in (goals_file.goals if goals_file else [])
        if g.kpi == "response_time_median" and g.target.value is not None
    ]
    table["median_target_h"] = targets[0] if targets else math.nan
    table["clock"] = "business" if hours else "clock"
    return table


def _comments_and_clock(con, brand: str, platforms=None):
    """The brand's comments (on ``platforms``, if given), its time zone and its business hours
    (None: the clock runs all day)."""
    settings = store.brand_settings(con, brand)
    zone = settings["timezone"] or DEFAULT_TIMEZONE
    comments = store.read(con, "comments", brand=brand)
    if platforms:
        comments = comments[comments["platform"].isin(platforms)]
    return comments, zone, parse_business_hours(settings["business_hours"], zone)


@cached(8)
def reply_findings(con, brand: str, month: str, platforms=None, min_posts: int = MIN_POSTS):
    """First-response times of the month's customer comments, each part of the day against the
    rest (``evidence.compare``; lower is better); comments never answered are left out."""
    p = parse_period(month)
    comments, zone, hours = _comments_and_clock(con, brand, platforms)
    if comments.empty:
        return []
    times = listening.response_times(comments, hours)
    local = pd.to_datetime(times["created_at"], utc=True).dt.tz_convert(zone)
    inside = ((local.dt.date >= p.start) & (local.dt.date < p.end)).to_numpy()
    frame = pd.DataFrame(
        {
            "daypart": evidence.daypart(local[inside].dt.hour).to_numpy(),
            "response_time_median": times.loc[inside, "response_h"].to_numpy(),
        }
    )
    return evidence.compare(frame, "daypart", "response_time_median", min_posts)
