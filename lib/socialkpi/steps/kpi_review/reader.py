"""What the monthly KPI review reads from the store: the month's posts with per-post KPIs, one
KPI per platform, content-plan adherence and the executive summary. Frames of ids and values;
``pages`` and ``presentation`` turn them into what a reader sees."""

from __future__ import annotations

import pandas as pd

from socialkpi import metrics, store
from socialkpi.config import brands
from socialkpi.metrics import advice, content, drivers, evidence, kpi, summary
from socialkpi.metrics.evidence import MIN_POSTS
from socialkpi.metrics.periods import parse_period
from socialkpi.steps.calendar import analysis as calendar
from socialkpi.steps.crisis.reader import crisis, reply_findings
from socialkpi.steps.goal_setting.reader import goal_status

HEADLINE = metrics.HEADLINE
CONTENT_KPI = "engagement_rate_exposure"  # per-post comparisons: the rate every platform has
HISTORY_MONTHS = evidence.WINDOW_MONTHS


def platform_breakdown(report: pd.DataFrame, kpi_id: str) -> pd.DataFrame:
    """One KPI's value per platform from a KPI report."""
    rows = report[(report["kpi"] == kpi_id) & (report["platform"] != "all")]
    return rows[["platform", "value"]].dropna().reset_index(drop=True)


def posts_of(
    con, brand: str, month: str, platforms=None, timezone: str | None = None
) -> pd.DataFrame:
    """The month's posts with per-post KPIs (``content.with_post_kpis``)."""
    timezone = timezone or store.brand_timezone(con, brand)
    _, _, exposure = kpi.period_totals(con, brand, [parse_period(month)], timezone, platforms)
    posts = kpi.period_posts(con, brand, month, timezone, platforms)
    return content.with_post_kpis(posts, exposure, timezone)


def plan_adherence(con, brand: str, month: str, platforms=None) -> pd.DataFrame:
    """Per platform, the month's plan reconciled with the posts the exports hold
    (``calendar.reconcile``: on time, late, missed, cancelled; matched and unplanned posts) and
    adherence (on time ÷ planned items not cancelled). Marking an item "published" in the
    plan does not count: a post has to be found."""
    items, found = plan_month(con, brand, month, platforms)
    return calendar.counts(items, found, by="platform")


def plan_month(con, brand: str, month: str, platforms=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The month's plan items and posts (with per-post KPIs and the local ``day``) after
    ``calendar.reconcile``, each with its content ``pillar`` id (plan items by their topic's
    name, posts by ``calendar.assign_pillars``; the topic as written where the brand names no
    pillars)."""
    p = parse_period(month)
    zone = store.brand_timezone(con, brand)
    plan = store.read(con, "content_plan", brand=brand, start=p.start, end=p.end)
    if platforms:
        plan = plan[plan["platform"].isin(platforms)]
    posts = posts_of(con, brand, month, platforms, zone)
    days = posts["published_at"].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
    return calendar.reconcile(
        plan.assign(pillar=planned_pillars(con, brand, plan)),
        posts.assign(day=days, pillar=post_pillars(con, brand, posts)),
    )


def planned_pillars(con, brand: str, plan: pd.DataFrame) -> pd.Series:
    """Plan items' pillar ids by their topic (the topic itself where the brand names none)."""
    pillars = store.pillars(con, brand)
    if not pillars:
        return plan["topic"].astype("string")
    return pd.Series(
        brands.match_names(plan["topic"].tolist(), pillars), index=plan.index, dtype="string"
    )


def post_pillars(con, brand: str, posts: pd.DataFrame) -> pd.Series:
    """Posts' pillar ids (``calendar.assign_pillars``: custom labels, hashtags, keywords)."""
    pillars = store.pillars(con, brand)
    if not pillars:
        return pd.Series(pd.NA, index=posts.index, dtype="string")
    return calendar.assign_pillars(posts["caption"], pillars, posts.get("labels"))


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


def month_advice(
    con, brand: str, month: str, platforms=None, min_posts: int = MIN_POSTS, windows=None
) -> tuple[advice.Advice, list, pd.DataFrame]:
    """The month's advice (``advice.propose``: its actions and the findings withheld), every
    post finding it weighed and the month's posts. ``windows``: the best windows of the last
    months (``evidence.best_windows`` of :func:`recent_posts`), if the caller has them."""
    zone = store.brand_timezone(con, brand)
    now = posts_of(con, brand, month, platforms, zone)
    found = evidence.findings(now, CONTENT_KPI, min_posts) if len(now) else []
    if windows is None:
        windows = evidence.best_windows(
            recent_posts(con, brand, month, platforms, zone), CONTENT_KPI
        )
    replies = reply_findings(con, brand, month, platforms, min_posts)
    return advice.propose(found, replies, windows), found, now


def executive_summary(
    con,
    brand: str,
    month: str,
    platforms=None,
    goals_file=None,
    min_posts: int = MIN_POSTS,
    report: pd.DataFrame | None = None,
) -> summary.Summary:
    """The month's executive summary (``summary.summarize``) from what the store holds, over
    the same platforms as the scorecard (``report``, if the caller has it)."""
    zone = store.brand_timezone(con, brand)
    p = parse_period(month)
    if report is None:
        report = kpi.kpi_report(con, brand, month, platforms, timezone=zone)
    found, content_found, now = month_advice(con, brand, month, platforms, min_posts)
    before = posts_of(con, brand, p.previous().label, platforms, zone)
    decompositions = {
        k: drivers.decompose(before, now, column)
        for k, column in summary.DECOMPOSED.items()
        if len(now) and len(before) and now[column].notna().any()
    }
    episodes, _ = crisis(con, brand, month, platforms)
    fresh = store.freshness(con, brand)
    recent = store.platforms_with_data(con, brand, p.shift(-3).start, p.start)
    if platforms:
        fresh = {k: v for k, v in fresh.items() if k in platforms}
        recent &= set(platforms)
    return summary.summarize(
        report,
        goal_status(con, brand, month, goals_file),
        decompositions,
        found,
        content_found,
        now,
        episodes,
        fresh,
        recent,
        month,
        tuple(sorted(platforms or store.platforms_with_data(con, brand, p.start, p.end))),
        min_posts,
        brand=brand,
        requested_rate=kpi.brand_engagement_rate(con, brand),
    )
