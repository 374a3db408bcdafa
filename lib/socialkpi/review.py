"""Sections of the monthly KPI review and goal setting, ready for a notebook to show.

Each function reads what it needs through ``kpi``/``store`` and returns a frame, a chart or
text; notebooks only wire them together.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pandas as pd

from socialkpi import charts, content, goals, kpi, listening, metrics, narrative, store
from socialkpi.i18n import t, word
from socialkpi.periods import parse_period
from socialkpi.report_text import fmt

HEADLINE = ["engagement_rate", "followers", "net_follower_growth", "reach", "engagements",
            "posts_published", "link_clicks", "social_sessions", "key_events", "revenue",
            "mention_volume", "negative_share", "response_time_median"]  # fmt: skip


def load_goals_or_none(path: str | Path) -> goals.GoalsFile | None:
    return goals.load_goals(path) if path and Path(path).exists() else None


def goal_status(
    con, brand: str, month: str, goals_file: goals.GoalsFile | None, lang: str = "en"
) -> pd.DataFrame:
    """Per goal: KPI, baseline, target, latest, projected, status and a sentence."""
    if goals_file is None:
        return pd.DataFrame()
    rows = []
    first = parse_period(month).shift(-24).label
    chosen = kpi.brand_engagement_rate(con, brand)
    for g in goals_file.goals:
        kpi_id = chosen if g.kpi == "engagement_rate" else g.kpi
        metric = metrics.dictionary()[kpi_id]
        history = kpi.monthly_series(con, brand, kpi_id, first, month, g.platforms or None)
        base = g.baseline if g.baseline is not None else goals.baseline_from(history, g.start)
        paced = goals.pace(g, history, base, month, metric.better)
        rows.append({
            "goal": g.id, "kpi": kpi_id, "name": metric.name[lang], "priority": g.priority,
            "owner": g.owner, "baseline": base, "target": paced["target"], "latest": paced["latest"],
            "projected": paced["projected"], "status": word(paced["status"], lang), "unit": metric.unit,
            "sentence": narrative.goal_sentence(g.id, kpi_id, paced, metric.unit, lang),
        })  # fmt: skip
    return pd.DataFrame(rows)


def scorecards(
    report: pd.DataFrame, lang: str = "en", ids: list[str] | None = None
) -> pd.DataFrame:
    """The headline KPIs for all platforms, formatted: value, previous, last year, assessment."""
    ids = ids or HEADLINE
    rows = report[(report["platform"] == "all") & report["kpi"].isin(ids)]
    d = metrics.dictionary()
    out = []
    for r in rows.itertuples():
        m = d.get(r.kpi) or d[report.attrs["engagement_rate"]]
        out.append({
            t("value", lang).capitalize() if lang == "en" else "指標": m.name[lang],
            "value": fmt(r.value, r.unit), "prev": fmt(r.previous, r.unit),
            "last_year": fmt(r.last_year, r.unit), "assessment": r.assessment,
            "definition": m.definition[lang],
        })  # fmt: skip
    frame = pd.DataFrame(out)
    labels = {"en": ["KPI", "value", "previous month", "same month last year", "assessment", "definition"],
              "zh-TW": ["指標", "本月", "上月", "去年同月", "判讀", "定義"]}[lang]  # fmt: skip
    frame.columns = labels[: len(frame.columns)] if len(frame.columns) else frame.columns
    return frame


def sentences(report: pd.DataFrame, lang: str = "en", ids: list[str] | None = None) -> list[str]:
    ids = ids or HEADLINE
    rows = report[(report["platform"] == "all") & report["kpi"].isin(ids)].copy()
    rows["chosen"] = report.attrs.get("engagement_rate")
    return [
        narrative.kpi_sentence(r, lang, report.attrs.get("period", "")) for _, r in rows.iterrows()
    ]


def trend(
    con, brand: str, month: str, kpi_id: str, platforms=None, months: int = 13
) -> pd.DataFrame:
    first = parse_period(month).shift(-(months - 1)).label
    series = kpi.monthly_series(con, brand, kpi_id, first, month, platforms)
    return series.rename("value").rename_axis("period").reset_index()


def trend_chart(con, brand: str, month: str, kpi_id: str, lang: str = "en", platforms=None):
    if kpi_id == "engagement_rate":
        kpi_id = kpi.brand_engagement_rate(con, brand)
    return charts.trend(trend(con, brand, month, kpi_id, platforms), kpi_id, lang)


def platform_breakdown(report: pd.DataFrame, kpi_id: str) -> pd.DataFrame:
    rows = report[(report["kpi"] == kpi_id) & (report["platform"] != "all")]
    return rows[["platform", "value"]].dropna().reset_index(drop=True)


def posts_of(
    con, brand: str, month: str, platforms=None, timezone: str | None = None
) -> pd.DataFrame:
    timezone = timezone or store.brand_timezones(con).get(brand, "Asia/Taipei")
    totals, _, exposure = kpi.period_totals(con, brand, [parse_period(month)], timezone, platforms)
    posts = kpi.period_posts(con, brand, month, timezone, platforms)
    return content.with_post_kpis(posts, exposure, timezone)


def top_posts_table(
    posts: pd.DataFrame, kpi_id: str, lang: str = "en", n: int = 5, bottom: bool = False
):
    """Top (or bottom) posts of :func:`posts_of`, values formatted, dated by the brand's day."""
    table = content.top_posts(posts, kpi_id, n, bottom)
    if table.empty:
        return table
    unit = metrics.dictionary()[kpi_id].unit if kpi_id in metrics.dictionary() else "count"
    table["caption"] = table["caption"].fillna("").str.slice(0, 80)  # pandas escapes it in HTML
    table[kpi_id] = table[kpi_id].map(lambda v: fmt(v, unit))
    table["vs_median"] = table["vs_median"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f}×")
    table["published_at"] = table["published_local"].dt.strftime("%Y-%m-%d")  # local day
    return table[
        ["platform", "published_at", "content_type", "topic", "caption", kpi_id, "vs_median"]
        + (["permalink"] if "permalink" in table else [])
    ]


def link(url, text: str) -> str:
    """An escaped hyperlink to a post that opens without giving the site our page; anything but
    an http(s) address (e.g. ``javascript:``) is shown as plain text."""
    if not isinstance(url, str) or not re.match(r"https?://[^\s\"'<>]+$", url):
        return html.escape("" if url is None or url is pd.NA else str(url))
    return (f'<a href="{html.escape(url, quote=True)}" target="_blank" '
            f'rel="noopener noreferrer">{html.escape(text)}</a>')  # fmt: skip


def posts_html(table: pd.DataFrame, lang: str = "en"):
    """A posts table as HTML: every cell escaped, the permalink column as links to the posts."""
    from IPython.display import HTML

    frame = localized(table.drop(columns=["permalink"], errors="ignore"), lang)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    head += f"<th>{html.escape(t('post', lang))}</th>" if "permalink" in table else ""
    rows = []
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row)
        if "permalink" in table:
            cells += f"<td>{link(table['permalink'].iloc[i], t('open_post', lang))}</td>"
        rows.append(f"<tr>{cells}</tr>")
    return HTML(f'<table class="dataframe posts"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")  # fmt: skip


def plan_adherence(con, brand: str, month: str, platforms=None) -> pd.DataFrame:
    """Planned vs published posts per platform for the month."""
    p = parse_period(month)
    plan = store.read(con, "content_plan", brand=brand, start=p.start, end=p.end)
    if platforms:
        plan = plan[plan["platform"].isin(platforms)]
    posts = kpi.period_posts(con, brand, month, platforms=platforms)
    planned = plan.groupby("platform").size().rename("planned")
    done = plan[plan["status"] == "published"].groupby("platform").size().rename("marked_published")
    published = posts.groupby("platform").size().rename("published")
    out = pd.concat([planned, done, published], axis=1).fillna(0).astype(int)
    out["adherence"] = (out["marked_published"] / out["planned"]).where(out["planned"] > 0)
    return out.reset_index().rename(columns={"index": "platform"})


def crisis(con, brand: str, month: str, lang: str = "en", platforms=None):
    """This month's crisis episodes and a sentence about them; daily volume for a chart.
    With ``platforms``, only comments on those platforms (and their campaign days) count."""
    p = parse_period(month)
    zone = store.brand_timezones(con).get(brand, "Asia/Taipei")
    comments = store.read(con, "comments", brand=brand)
    plan = store.read(con, "content_plan", brand=brand)
    if platforms:
        comments = comments[comments["platform"].isin(platforms)]
        plan = plan[plan["platform"].isin(platforms)]
    if comments.empty:
        return (
            pd.DataFrame(),
            t("no_data", lang, what=t("crisis", lang), period=month),
            pd.DataFrame(),
        )
    spikes = listening.detect_spikes(
        listening.hourly(comments), campaign_days=listening.campaign_days(plan), timezone=zone
    )
    eps = listening.episodes(comments, spikes)
    if len(eps):
        local = eps["start"].dt.tz_convert(zone)
        eps = eps[(local.dt.date >= p.start) & (local.dt.date < p.end)]
    if len(eps):
        big = eps.sort_values("volume").iloc[-1]
        sentence = t("spike_sentence", lang, count=len(eps), start=f"{big['start'].tz_convert(zone):%Y-%m-%d %H:%M}",
                     volume=big["volume"], negative=f"{big['negative_share']:.0%}")  # fmt: skip
    else:
        sentence = t("no_spike", lang)
    customer = listening.customer_comments(comments)
    local_day = pd.to_datetime(customer["created_at"]).dt.tz_convert(zone).dt.date
    inside = customer[(local_day >= p.start) & (local_day < p.end)]
    days = pd.to_datetime(inside["created_at"]).dt.tz_convert(zone).dt.strftime("%Y-%m-%d")
    daily = pd.DataFrame(
        {"period": days, "negative": (inside["sentiment_label"] == "negative").to_numpy()}
    )
    daily = (
        daily.groupby("period")
        .agg(value=("negative", "size"), negative=("negative", "sum"))
        .reset_index()
    )
    return eps, sentence, daily


def candidates(
    con, brand: str, month: str, lang: str = "en", ids: list[str] | None = None, months: int = 3
):
    """Goal-setting candidates: baseline and conservative / expected / stretch targets for
    the next ``months`` months, with the growth percentile each needs."""
    ids = ids or ["engagement_rate", "net_follower_growth", "reach", "link_clicks", "key_events",
                  "response_time_median"]  # fmt: skip
    first = parse_period(month).shift(-23).label
    rows = []
    for kpi_id in ids:
        real = kpi.brand_engagement_rate(con, brand) if kpi_id == "engagement_rate" else kpi_id
        m = metrics.dictionary()[real]
        history = kpi.monthly_series(con, brand, real, first, month)
        base = float(history.dropna().tail(3).median()) if history.notna().any() else math.nan
        sugg = goals.suggest_targets(history, base, months, m.better)
        row = {"kpi": m.name[lang], "objective": metrics.OBJECTIVE_NAMES[lang][m.objective],
               "baseline": fmt(base, m.unit)}  # fmt: skip
        for name, value in sugg.items():
            pct = goals.required_growth_percentile(history, base, value, months, m.better)
            row[name] = (
                f"{fmt(value, m.unit)} (P{pct:.0f})" if not math.isnan(pct) else fmt(value, m.unit)
            )
        rows.append(row)
    return pd.DataFrame(rows)


def smart_findings(con, brand: str, month: str, goals_file, lang: str = "en") -> pd.DataFrame:
    if goals_file is None:
        return pd.DataFrame()
    first = parse_period(month).shift(-23).label
    chosen = kpi.brand_engagement_rate(con, brand)
    rows = []
    for g in goals_file.goals:
        real = chosen if g.kpi == "engagement_rate" else g.kpi
        history = kpi.monthly_series(con, brand, real, first, month, g.platforms or None)
        base = g.baseline if g.baseline is not None else goals.baseline_from(history, g.start)
        for f in goals.smart_checks(g, history, base, chosen):
            rows.append(
                {"goal": g.id, "check": f.check, "level": f.level, "finding": f.message[lang]}
            )
    return pd.DataFrame(rows)


def brands(con) -> list[str]:
    return sorted(store.brand_timezones(con))


def responsiveness(con, brand: str, month: str, goals_file=None, platforms=None) -> pd.DataFrame:
    """First-response times this month per platform (business hours when the brand set
    them), with the target of a response-time goal beside the median."""
    p = parse_period(month)
    settings = store.brand_settings(con, brand)
    zone = settings["timezone"] or "Asia/Taipei"
    comments = store.read(con, "comments", brand=brand)
    if platforms:
        comments = comments[comments["platform"].isin(platforms)]
    if comments.empty:
        return pd.DataFrame()
    local = pd.to_datetime(comments["created_at"]).dt.tz_convert(zone).dt.date
    month_comments = comments[(local >= p.start) & (local < p.end)]
    hours = listening.parse_business_hours(settings["business_hours"], zone)
    table = listening.responsiveness(month_comments, hours)
    targets = [g.target.value for g in (goals_file.goals if goals_file else [])
               if g.kpi == "response_time_median" and g.target.value is not None]  # fmt: skip
    table["median_target_h"] = targets[0] if targets else float("nan")
    table["hours"] = "business" if hours else "clock"
    return table


def objectives(lang: str = "en") -> pd.DataFrame:
    """The SOP's objective families and the KPIs that measure each."""
    d = metrics.dictionary_frame(lang)
    grouped = d.groupby("objective", sort=False)["name"].agg(
        lambda names: "、".join(names) if lang == "zh-TW" else ", ".join(names)
    )
    out = grouped.reset_index()
    out["objective"] = out["objective"].map(metrics.OBJECTIVE_NAMES[lang])
    out.columns = ["目標類型", "指標"] if lang == "zh-TW" else ["objective", "KPIs"]
    return out


HEADERS = {
    "zh-TW": {"platform": "平台", "published_at": "發布日期", "content_type": "內容類型", "topic": "主題",
              "caption": "貼文內容", "vs_median": "相對中位數", "posts": "貼文數", "median": "中位數",
              "mean": "平均", "planned": "規劃", "marked_published": "已標記發布", "published": "實際發布",
              "adherence": "執行率", "engagements": "互動次數", "hour": "時段", "weekday": "星期"},
}  # fmt: skip


def localized(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Column headers in the report language."""
    return frame.rename(columns=HEADERS.get(lang, {}))


def performance_table(posts: pd.DataFrame, kpi_id: str, by: str, lang: str = "en") -> pd.DataFrame:
    """Median and mean of a per-post KPI by one dimension, formatted with its unit."""
    perf = content.performance(posts, kpi_id, [by])
    unit = metrics.dictionary()[kpi_id].unit
    for col in ("median", "mean"):
        perf[col] = perf[col].map(lambda v: fmt(v, unit))
    return localized(perf, lang)


def best_windows_table(
    posts: pd.DataFrame, kpi_id: str, lang: str = "en", min_posts: int = 3
) -> pd.DataFrame:
    """Best weekday x hour posting windows with how many posts support each (formatted)."""
    usable = posts.dropna(subset=["hour", kpi_id])
    if usable.empty:
        return pd.DataFrame()
    windows = content.best_windows(
        usable.assign(hour=usable["hour"].astype(int)), kpi_id, min_posts
    )
    unit = metrics.dictionary()[kpi_id].unit
    for col in ("median", "mean"):
        windows[col] = windows[col].map(lambda v: fmt(v, unit))
    return localized(windows, lang)


def negative_share_daily(daily: pd.DataFrame) -> pd.DataFrame:
    """Daily negative share of customer comments (for the crisis chart)."""
    if daily.empty:
        return daily
    return pd.DataFrame({"period": daily["period"], "value": daily["negative"] / daily["value"]})
