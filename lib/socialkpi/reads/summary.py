"""The month's advice and executive summary (``metrics.summary.summarize``) from what the
store holds: KPIs, goals, the posts and their drivers, crisis episodes, reply times and data
freshness, over the platforms the scorecard shows."""

from __future__ import annotations

import pandas as pd

from socialkpi import store
from socialkpi.metrics import advice, drivers, evidence, kpi, summary
from socialkpi.metrics.evidence import MIN_POSTS
from socialkpi.metrics.periods import parse_period
from socialkpi.reads.goals import goal_status
from socialkpi.reads.line import spike_risks
from socialkpi.reads.listening import crisis, reply_findings
from socialkpi.reads.money import brief as money_brief
from socialkpi.reads.posts import CONTENT_KPI, post_findings, posts_of, recent_posts
from socialkpi.store.cache import cached


@cached(8)
def month_advice(
    con, brand: str, month: str, platforms=None, min_posts: int = MIN_POSTS, windows=None
) -> tuple[advice.Advice, list, pd.DataFrame]:
    """The month's advice (``advice.propose``: its actions and the findings withheld), every
    post finding it weighed and the month's posts. ``windows``: the best windows of the last
    months (``evidence.best_windows`` of :func:`recent_posts`), if the caller has them."""
    zone = store.brand_timezone(con, brand)
    now = posts_of(con, brand, month, platforms, zone)
    found = post_findings(con, brand, month, platforms, min_posts)
    if windows is None:
        windows = evidence.best_windows(
            recent_posts(con, brand, month, platforms, zone), CONTENT_KPI
        )
    replies = reply_findings(con, brand, month, platforms, min_posts)
    return advice.propose(found, replies, windows), found, now


@cached(8)
def executive_summary(
    con,
    brand: str,
    month: str,
    platforms=None,
    goals_file=None,
    min_posts: int = MIN_POSTS,
) -> summary.Summary:
    """The month's executive summary (``summary.summarize``) from what the store holds, over
    the same platforms as the scorecard (whose KPI report, a cached read, it shares). Every
    page asks with the same arguments, so a brand's summary is made once."""
    zone = store.brand_timezone(con, brand)
    p = parse_period(month)
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
        money=money_brief(con, brand, month, platforms),
        line_spikes=tuple(spike_risks(con, brand, month))
        if not platforms or "line" in platforms
        else (),
    )
