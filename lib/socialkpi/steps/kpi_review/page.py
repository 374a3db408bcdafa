"""The KPI review page (SOP step: review KPIs monthly): the executive summary, scorecard,
goal progress, trends and content performance. The notebook adds the calendar's plan section
and the crisis step's sections."""

from __future__ import annotations

import pandas as pd

from socialkpi import metrics, presentation, reads
from socialkpi.metrics import kpi
from socialkpi.metrics.periods import parse_period
from socialkpi.metrics.summary import data_gaps
from socialkpi.presentation import Col, charts
from socialkpi.presentation import sections as _shared
from socialkpi.presentation.page import Page
from socialkpi.words import narrative

CONTENT_KPI = reads.CONTENT_KPI


def report(page: Page) -> pd.DataFrame:
    """The month's KPI report (``kpi.kpi_report``) for the page's platforms."""
    return kpi.kpi_report(page.con, page.brand, page.month, page.platforms, timezone=page.timezone)


def posts(page: Page) -> pd.DataFrame:
    """The month's posts with their per-post KPIs."""
    return reads.posts_of(page.con, page.brand, page.month, page.platforms, page.timezone)


def _headline(report_: pd.DataFrame) -> pd.DataFrame:
    rows = report_[(report_["platform"] == "all") & report_["kpi"].isin(reads.HEADLINE)]
    return rows.reset_index(drop=True)


def summary(page: Page, report_: pd.DataFrame):
    """The executive summary: how the goals stand, what moved and why, the risks, the
    recommended actions with their evidence, and what to test (``summary``)."""
    if report_.empty:
        return page.empty("empty.kpis", "empty.kpis_how")
    return _shared.summary(page, _shared.executive_summary(page))


def scorecard(page: Page, report_: pd.DataFrame):
    """The headline KPIs for all platforms: this month, last month and the change, the same
    month last year, whether the change is real, and the last 13 months as a sparkline. Each
    KPI's definition sits under its name, and a KPI only some of the page's platforms report
    names them ("Facebook only")."""
    if report_.empty:
        return page.empty("empty.kpis", "empty.kpis_how")
    rows = _headline(report_)
    absent = [k for k in kpi.unavailable(report_) if k in reads.HEADLINE]
    rows = rows[~rows["kpi"].isin(absent)].reset_index(drop=True)
    months = _shared.monthly(page)
    d = metrics.dictionary()
    previous = parse_period(page.month).previous().label
    for r in rows.itertuples():
        page.figures.add(r.definition, r.platforms, page.month, r.value, where="scorecard")
        page.figures.add(
            r.definition, r.previous_platforms, previous, r.previous, where="scorecard"
        )
        if r.platforms == r.previous_platforms:
            page.figures.add(
                r.definition, r.platforms, page.month, r.change, "change", where="scorecard"
            )
    gapped = {g["kpi"] for g in data_gaps(report_)}  # the risks name them
    frame = rows.assign(
        name=[
            _shared.kpi_name_cell(d[k], page.lang, page.scope_note(p, k))
            for k, p in zip(rows["definition"], rows["platforms"], strict=True)
        ],
        spark=[presentation.sparkline(kpi.series_of(months, k).tolist()) for k in rows["kpi"]],
        assessment=[
            "data_gap" if k in gapped else a
            for k, a in zip(rows["kpi"], rows["assessment"], strict=True)
        ],
    )
    reasons = pd.DataFrame(
        {
            "previous": ["missing.no_previous"] * len(frame),
            "change": ["missing.no_previous"] * len(frame),
        }
    )
    cols = [
        Col("name", "col.kpi", "html", width="24%"),
        Col("value", "col.value", "value"),
        Col("previous", "col.previous", "value"),
        Col("change", "col.change", "change"),
        Col("last_year", "col.last_year", "value"),
        Col("assessment", "col.assessment", "assessment"),
        Col("spark", "col.trend", "sparkline"),
    ]
    notes = (
        [narrative.unavailable(absent, page.lang, kpi.rate_definition(report_))] if absent else []
    )
    return page.table(frame, cols, reasons=reasons, notes=notes)


def goals(page: Page):
    """Each goal's progress: latest value against the target, the projection and its status."""
    return _shared.goals_table(page)


def trend(page: Page, kpi_id: str = "engagement_rate"):
    """A KPI over 13 months, the brand's engagement rate unless ``kpi_id`` names another
    (live controls when interactive, starting from it)."""
    known = ["engagement_rate", *metrics.dictionary()]
    if kpi_id not in known:
        raise ValueError(f"trend_kpi {kpi_id!r} is not a KPI id; `socialkpi metrics` lists them")
    if page.interactive:
        from socialkpi.presentation import widgets

        return widgets.live_trend(page, list(dict.fromkeys([kpi_id, *reads.HEADLINE])))
    return _shared.trend(page, kpi_id)


def platform_heading(page: Page, report_: pd.DataFrame):
    """The heading over :func:`platform_engagements`, when there is more than one platform to
    set side by side (else nothing to show)."""
    breakdown = reads.platform_breakdown(report_, "engagements") if len(report_) else report_
    return page.heading("platform_split", 3) if len(breakdown) > 1 else presentation.HTML("")


def platform_engagements(page: Page, report_: pd.DataFrame):
    """This month's engagements by platform (nothing for a single platform: the scorecard
    has its total)."""
    breakdown = reads.platform_breakdown(report_, "engagements") if len(report_) else report_
    if breakdown.empty:
        return page.empty("empty.kpis", "empty.kpis_how")
    if len(breakdown) < 2:
        return None
    for r in breakdown.itertuples():
        page.figures.add("engagements", [r.platform], page.month, r.value, where="by platform")
    return charts.bars(breakdown, "platform", "engagements", page.lang)


MISSING_GROUP = {
    "content_type": "missing.no_content_type",
    "hour": "missing.untimed",
    "topic": "missing.no_data",
}


def content_by(page: Page, posts_: pd.DataFrame, by: str, kpi_id: str = CONTENT_KPI):
    """Posts and the median and mean of a per-post KPI (``kpi_id``) per content type, topic
    or hour. Every post is accounted for: posts whose export gives no content type or time
    are a row of their own, and a note says how many posts have no value of the KPI and on
    which platforms."""
    from socialkpi.metrics import content

    if kpi_id not in content.PER_POST or content.PER_POST[kpi_id][1] is None:
        rates = ", ".join(k for k, (_, den) in content.PER_POST.items() if den)
        raise ValueError(f"content_kpi {kpi_id!r} is not a per-post rate; use one of {rates}")
    if posts_.empty:
        return page.empty("empty.posts", "empty.posts_how")
    perf = content.performance(posts_, kpi_id, [by])
    kind = {"content_type": "content_type", "hour": "hour", "topic": "topic"}[by]
    cols = [
        Col(by, f"col.{by}", kind, MISSING_GROUP[by]),
        Col("posts", "col.posts", "count"),
        Col("median", "col.median", "percent"),
        Col("mean", "col.mean", "percent"),
    ]
    notes = [_shared.definition_note(page, kpi_id), *_shared.accounted_note(page, posts_, kpi_id)]
    if by == "hour" and (untimed := _shared.untimed_note(page, posts_)):
        notes.append(untimed)
    return page.table(perf, cols, notes=notes)


def top_posts(page: Page, posts_: pd.DataFrame, bottom: bool = False, n: int = 5):
    """The month's posts with the most (or fewest) engagements, linked to the posts."""
    from socialkpi.metrics import content

    if posts_.empty:
        return page.empty("empty.posts", "empty.posts_how")
    table = content.top_posts(posts_, "engagements", n, bottom)
    frame = table.assign(
        published_at=table["published_local"].dt.date,
        caption=table["caption"].fillna("").str.slice(0, 80),
        post=[
            presentation.link(u, page.t("word.open_post"))
            for u in table.get("permalink", [None] * len(table))
        ],
    )
    cols = [
        Col("platform", "col.platform", "platform"),
        Col("published_at", "col.published_at", "date"),
        Col("content_type", "col.content_type", "content_type"),
        Col("topic", "col.topic", "topic"),
        Col("caption", "col.caption"),
        Col("engagements", "col.engagements", "count"),
        Col("vs_median", "col.vs_median", "ratio"),
        Col("post", "col.post", "html"),
    ]
    return page.table(frame, cols)
