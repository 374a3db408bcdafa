"""What the monthly pages and dashboards read from the store: goals and their pacing, the
month's posts, content plan adherence, crisis episodes and daily comment counts, response
times, target candidates. Frames of ids and values; ``pages`` and ``presentation`` turn them
into what a reader sees."""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path

import pandas as pd

from socialkpi import content, drivers, evidence, goals, kpi, listening, metrics, store, summary
from socialkpi.evidence import MIN_POSTS
from socialkpi.periods import DEFAULT_TIMEZONE, parse_period

HEADLINE = metrics.HEADLINE
CONTENT_KPI = "engagement_rate_exposure"  # per-post comparisons: the rate every platform has
CANDIDATES = [
    "engagement_rate",
    "net_follower_growth",
    "reach",
    "link_clicks",
    "key_events",
    "response_time_median",
]


def load_goals_or_none(path: str | Path) -> goals.GoalsFile | None:
    """The goals file at ``path``, or None when there is none."""
    return goals.load_goals(path) if path and Path(path).exists() else None


def goal_status(con, brand: str, month: str, goals_file: goals.GoalsFile | None) -> pd.DataFrame:
    """Per goal: KPI, platforms, priority, owner, baseline, target, latest, projected value and
    status (``on-track`` | ``at-risk`` | ``off-track`` | ``no-data``)."""
    if goals_file is None:
        return pd.DataFrame()
    rows = []
    first = parse_period(month).shift(-24).label
    for g in goals_file.goals:
        kpi_id = _real(con, brand, month, g.kpi, g.platforms or None)
        metric = metrics.dictionary()[kpi_id]
        history = kpi.monthly_series(con, brand, kpi_id, first, month, g.platforms or None)
        base = g.baseline if g.baseline is not None else goals.baseline_from(history, g.start)
        paced = goals.pace(g, history, base, month, metric.better)
        rows.append(
            {
                "goal": g.id,
                "kpi": kpi_id,
                "platforms": list(g.platforms),
                "priority": g.priority,
                "owner": g.owner,
                "end": g.end,
                "baseline": base,
                "target": paced["target"],
                "latest": paced["latest"],
                "projected": paced["projected"],
                "status": paced["status"],
                "unit": metric.unit,
            }
        )
    return pd.DataFrame(rows)


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
    """Per platform: posts planned for the month, marked published in the plan, published
    (from the exports), published without a plan, and adherence (marked published ÷ planned)."""
    p = parse_period(month)
    plan = store.read(con, "content_plan", brand=brand, start=p.start, end=p.end)
    if platforms:
        plan = plan[plan["platform"].isin(platforms)]
    posts = kpi.period_posts(con, brand, month, platforms=platforms)
    planned = plan.groupby("platform").size().rename("planned")
    done = plan[plan["status"] == "published"].groupby("platform").size().rename("marked_published")
    published = posts.groupby("platform").size().rename("published")
    out = pd.concat([planned, done, published], axis=1).fillna(0).astype(int)
    out["unplanned"] = (out["published"] - out["marked_published"]).clip(lower=0)
    out["adherence"] = (out["marked_published"] / out["planned"]).where(out["planned"] > 0)
    return out.rename_axis("platform").reset_index()


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


def candidates(con, brand: str, month: str, ids: list[str] | None = None, months: int = 3):
    """Goal-setting candidates: per KPI its objective, baseline (median of the last three
    months) and conservative / expected / stretch targets for the next ``months`` months, with
    the percentile of past changes each needs."""
    first = parse_period(month).shift(-23).label
    rows = []
    for kpi_id in ids or CANDIDATES:
        real = _real(con, brand, month, kpi_id)
        m = metrics.dictionary()[real]
        history = kpi.monthly_series(con, brand, real, first, month)
        base = float(history.dropna().tail(3).median()) if history.notna().any() else math.nan
        row = {"kpi": real, "objective": m.objective, "baseline": base, "unit": m.unit}
        for name, value in goals.suggest_targets(history, base, months, m.better).items():
            row[name] = value
            row[f"{name}_percentile"] = goals.required_growth_percentile(
                history, base, value, months, m.better
            )
        rows.append(row)
    return pd.DataFrame(rows)


def smart_findings(con, brand: str, month: str, goals_file) -> list[goals.Finding]:
    """Every goal's SMART findings (``goals.smart_checks``)."""
    if goals_file is None:
        return []
    first = parse_period(month).shift(-23).label
    out = []
    for g in goals_file.goals:
        real = _real(con, brand, month, g.kpi, g.platforms or None)
        history = kpi.monthly_series(con, brand, real, first, month, g.platforms or None)
        base = g.baseline if g.baseline is not None else goals.baseline_from(history, g.start)
        out += goals.smart_checks(g, history, base, real)
    return out


def _real(con, brand: str, month: str, kpi_id: str, platforms=None) -> str:
    """``engagement_rate`` as the definition the page uses (see ``kpi.engagement_rate_for``)."""
    if kpi_id != "engagement_rate":
        return kpi_id
    return kpi.engagement_rate_for(con, brand, month, platforms)


def brands(con) -> list[str]:
    """The brands in the store, sorted."""
    return sorted(store.brand_timezones(con))


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
    return comments, zone, listening.parse_business_hours(settings["business_hours"], zone)


def objectives() -> pd.DataFrame:
    """The SOP's objective families and the KPI ids that measure each."""
    d = metrics.dictionary_frame("en")
    return d.groupby("objective", sort=False)["id"].agg(list).rename("kpis").reset_index()


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
    now = posts_of(con, brand, month, platforms, zone)
    before = posts_of(con, brand, p.previous().label, platforms, zone)
    decompositions = {
        k: drivers.decompose(before, now, column)
        for k, column in summary.DECOMPOSED.items()
        if len(now) and len(before) and now[column].notna().any()
    }
    content_found = evidence.findings(now, CONTENT_KPI, min_posts) if len(now) else []
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
        content_found,
        reply_findings(con, brand, month, platforms, min_posts),
        episodes,
        fresh,
        recent,
        month,
        tuple(platforms or sorted(set(report.get("platform", [])) - {"all"})),
        min_posts,
        brand=brand,
        requested_rate=kpi.brand_engagement_rate(con, brand),
    )
