"""The month's posts as every step reads them: each post with its per-post KPIs, one KPI per
platform, and the months before (what best windows learn from)."""

from __future__ import annotations

import pandas as pd

from socialkpi import metrics, store
from socialkpi.metrics import content, evidence, kpi
from socialkpi.metrics.periods import parse_period
from socialkpi.store.cache import cached

HEADLINE = metrics.HEADLINE

CONTENT_KPI = content.CONTENT_KPI

HISTORY_MONTHS = evidence.WINDOW_MONTHS


def platform_breakdown(report: pd.DataFrame, kpi_id: str) -> pd.DataFrame:
    """One KPI's value per platform from a KPI report."""
    rows = report[(report["kpi"] == kpi_id) & (report["platform"] != "all")]
    return rows[["platform", "value"]].dropna().reset_index(drop=True)


@cached(8)
def posts_of(
    con, brand: str, month: str, platforms=None, timezone: str | None = None
) -> pd.DataFrame:
    """The month's posts with per-post KPIs (``content.with_post_kpis``)."""
    timezone = timezone or store.brand_timezone(con, brand)
    _, _, exposure = kpi.period_totals(con, brand, [parse_period(month)], timezone, platforms)
    posts = kpi.period_posts(con, brand, month, timezone, platforms)
    return content.with_post_kpis(posts, exposure, timezone)


@cached(8)
def post_findings(
    con, brand: str, month: str, platforms=None, min_posts: int = evidence.MIN_POSTS
) -> list[evidence.Comparison]:
    """Every evidence comparison of the month's posts (``evidence.findings`` on the per-post
    engagement rate, within each platform): what the advice weighs and the retrospective
    shows, computed once for both."""
    now = posts_of(con, brand, month, platforms, store.brand_timezone(con, brand))
    return evidence.findings(now, CONTENT_KPI, min_posts) if len(now) else []


def recent_posts(con, brand: str, month: str, platforms=None, zone: str | None = None):
    """The posts of the month and the :data:`HISTORY_MONTHS` - 1 before it, with per-post KPIs
    and the local ``day`` (what best windows learn from)."""
    zone = zone or store.brand_timezone(con, brand)
    first = pd.Period(month, "M") - (HISTORY_MONTHS - 1)
    last = parse_period(month).end - pd.Timedelta(days=1)
    history = posts_of(con, brand, f"{first.start_time:%Y-%m-%d}..{last:%Y-%m-%d}", platforms, zone)
    return history.assign(
        day=history["published_at"].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
    )
