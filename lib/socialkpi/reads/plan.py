"""The month's content plan reconciled with the posts the exports hold (``metrics.plan``):
items and posts with their content pillars, and adherence per platform."""

from __future__ import annotations

import pandas as pd

from socialkpi import store
from socialkpi.config import brands
from socialkpi.metrics import plan as plans
from socialkpi.metrics.periods import parse_period
from socialkpi.reads import line as line_reads
from socialkpi.reads.posts import posts_of


def plan_adherence(con, brand: str, month: str, platforms=None) -> pd.DataFrame:
    """Per platform, the month's plan reconciled with the posts the exports hold
    (``plans.reconcile``: on time, late, missed, cancelled; matched and unplanned posts) and
    adherence (on time ÷ planned items not cancelled). Marking an item "published" in the
    plan does not count: a post has to be found."""
    items, found = plan_month(con, brand, month, platforms)
    return plans.counts(items, found, by="platform")


def plan_month(con, brand: str, month: str, platforms=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The month's plan items and posts (with per-post KPIs and the local ``day``; a LINE
    Official Account's sends as posts of platform ``line``: ``line.sends_as_posts``) after
    ``plans.reconcile``, each with its content ``pillar`` id (plan items by their topic's
    name, posts by ``plans.assign_pillars``; the topic as written where the brand names no
    pillars)."""
    p = parse_period(month)
    zone = store.brand_timezone(con, brand)
    plan = store.read(con, "content_plan", brand=brand, start=p.start, end=p.end)
    if platforms:
        plan = plan[plan["platform"].isin(platforms)]
    posts = posts_of(con, brand, month, platforms, zone)
    days = posts["published_at"].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
    posts = posts.assign(day=days, pillar=post_pillars(con, brand, posts))
    if not platforms or "line" in platforms:  # a LINE item is matched to the day's send
        sends = line_reads.sends_as_posts(con, brand, month)
        if len(sends):
            posts = pd.concat([posts, sends.assign(pillar=pd.NA)], ignore_index=True)
    return plans.reconcile(plan.assign(pillar=planned_pillars(con, brand, plan)), posts)


def planned_pillars(con, brand: str, plan: pd.DataFrame) -> pd.Series:
    """Plan items' pillar ids by their topic (the topic itself where the brand names none)."""
    pillars = store.pillars(con, brand)
    if not pillars:
        return plan["topic"].astype("string")
    return pd.Series(
        brands.match_names(plan["topic"].tolist(), pillars), index=plan.index, dtype="string"
    )


def post_pillars(con, brand: str, posts: pd.DataFrame) -> pd.Series:
    """Posts' pillar ids (``plans.assign_pillars``: custom labels, hashtags, keywords)."""
    pillars = store.pillars(con, brand)
    if not pillars:
        return pd.Series(pd.NA, index=posts.index, dtype="string")
    return plans.assign_pillars(posts["caption"], pillars, posts.get("labels"))
