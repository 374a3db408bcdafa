"""Parts several pages use: a KPI's 13-month trend (or a sentence when it is too short to
draw), goal status, the executive summary, an interval as words."""

from __future__ import annotations

import html

import pandas as pd

from socialkpi import metrics, presentation, reads
from socialkpi.metrics import kpi
from socialkpi.metrics.periods import parse_period
from socialkpi.presentation import Col, charts
from socialkpi.presentation.page import Page
from socialkpi.words import narrative

MIN_POINTS = 3  # a line through fewer points says less than a sentence


def monthly(page: Page, months: int = 13):
    """Every KPI's monthly totals for the page's last ``months`` months."""
    first = parse_period(page.month).shift(-(months - 1)).label
    return kpi.monthly_totals(
        page.con, page.brand, first, page.month, page.platforms, page.timezone
    )


def trend(page: Page, kpi_id: str, months=None):
    """A KPI's monthly line, or one sentence with its values when fewer than three months are
    known (an almost empty chart says less than that). ``months``: :func:`monthly`'s totals,
    if the caller has them."""
    months = months or monthly(page)
    series = kpi.series_of(months, kpi_id)
    real = months[3] if kpi_id == "engagement_rate" else kpi_id  # the definition with data
    known = series.dropna()
    unit = metrics.dictionary()[real].unit
    if len(known) < MIN_POINTS:
        values = page.t("word.and").join(
            f"{presentation.date(p, page.lang, 'month')} {page.number(v, unit)}"
            for p, v in known.items()
        )
        sentence = page.t(
            "sentence.short_series",
            name=narrative.kpi_name(real, page.lang),
            count=len(known),
            values=values or page.t("word.none"),
        )
        return presentation.paragraph(sentence)
    frame = series.rename("value").rename_axis("period").reset_index()
    why = ""
    if len(known) < len(series):  # the section promises 13 months: say why it has fewer
        first = presentation.date(known.index[0], page.lang, "month")
        why = page.t("sentence.partial_series", count=len(known), months=len(series), first=first)
    return charts.trend(frame, real, page.lang, note=why)


def goal_status(page: Page) -> pd.DataFrame:
    """The brand's goals and their pacing this month."""
    return reads.goal_status(page.con, page.brand, page.month, page.goals)


def goals_table(page: Page, status: pd.DataFrame | None = None, gap: bool = False):
    """The goals with their baseline, target, latest and projected values and a status chip;
    with ``gap``, the distance to the target instead of the projection."""
    status = goal_status(page) if status is None else status
    if status.empty:
        return page.empty("empty.goals", "empty.goals_how")
    ahead = status["latest"] - status["target"]
    frame = status.assign(
        name=[
            narrative.goal_label(k, p, page.lang)
            for k, p in zip(status["kpi"], status["platforms"], strict=True)
        ],
        chip=[
            presentation.chip(s, presentation.text(s, "status", page.lang))
            for s in status["status"]
        ],
        # one sign for every goal: positive is ahead of the target, whichever way is better
        gap=ahead.where(status["better"] == "up", -ahead),
    )
    for g in status.itertuples():
        page.figures.add(g.kpi, g.covered, page.month, g.latest, where="goals")
    cols = [
        Col("name", "col.goal"),
        Col("owner", "col.owner"),
        Col("baseline", "col.baseline", "value"),
        Col("latest", "col.latest", "value"),
        Col("target", "col.target", "value"),
        Col("gap", "col.gap", "change") if gap else Col("projected", "col.projected", "value"),
        Col("chip", "col.status", "html"),
    ]
    return page.table(frame, cols, notes=[page.t("note.gap")] if gap else [])


def untimed_note(page: Page, counts: dict[str, int] | pd.DataFrame) -> str | None:
    """How many posts had no publish time in their export (a date alone) and were left out of
    weekday and hour findings, and from which platforms (``counts``: per platform, or the posts
    themselves); None when every post had one."""
    from socialkpi.metrics import content

    counts = content.untimed(counts) if isinstance(counts, pd.DataFrame) else counts
    if not counts:
        return None
    platforms = page.t("word.and").join(
        presentation.text(p, "platform", page.lang) for p in sorted(counts)
    )
    return page.t("note.untimed", count=sum(counts.values()), platforms=platforms)


def accounted_note(page: Page, posts: pd.DataFrame, kpi_id: str) -> list[str]:
    """One note when some of the month's posts have no value of a per-post KPI: how many of
    the posts published the table counts, and which platforms' posts it leaves out (their
    exports lack a part of the KPI); none when every post is counted."""
    from socialkpi.metrics import content

    lacking = content.without(posts, kpi_id)
    if not lacking:
        return []
    rest = page.t("word.and").join(
        page.t("note.platform_posts", platform=presentation.text(p, "platform", page.lang), posts=n)
        for p, n in sorted(lacking.items())
    )
    return [
        page.t(
            "note.accounted",
            total=len(posts),
            counted=len(posts) - sum(lacking.values()),
            kpi=metrics.dictionary()[kpi_id].name[page.lang],
            rest=rest,
        )
    ]


def executive_summary(page: Page):
    """The month's executive summary (``reads.executive_summary``) for the page's platforms."""
    return reads.executive_summary(page.con, page.brand, page.month, page.platforms, page.goals)


_BOX = "background:#f7fafc;border-left:4px solid var(--skpi-accent,#2b6cb0);padding:12px 18px;margin:8px 0 16px"
_MUTED = "color:#4a5568;font-size:13px"


def summary(page: Page, s) -> presentation.HTML:
    """The summary as a reader sees it: the headline, the scope, what moved and why, the risks,
    the recommended actions with their evidence, goal, owner and follow-up, and what to test."""
    import html

    said = narrative.say(s, page.lang, page.currency, page.timezone)
    page.figures.extend(s.figures)

    def items(lines, tag="ul"):
        return f"<{tag}>{''.join(f'<li>{html.escape(x)}</li>' for x in lines)}</{tag}>"

    def part(key: str) -> str:
        return f'<h3 style="margin:14px 0 4px;font-size:15px">{html.escape(page.t(key))}</h3>'

    actions = "".join(
        f"<li><strong>{html.escape(a.text)}</strong>"
        + "".join(
            f'<br><span style="{_MUTED}">{html.escape(x)}</span>'
            for x in (a.evidence, a.serves, a.follow_up)
        )
        + "</li>"
        for a in said.actions
    )
    body = [
        f'<p style="font-size:17px;margin:0 0 4px"><strong>{html.escape(said.headline)}</strong></p>',
        f'<p style="{_MUTED};margin:0">{html.escape(said.scope)}</p>',
        part("summary.movers"),
        items(said.movers),
        part("summary.risks"),
        items(said.risks),
        part("summary.actions"),
        f"<ol>{actions}</ol>" if actions else f"<p>{html.escape(said.no_actions)}</p>",
    ]
    if said.candidates:
        body += [
            part("summary.candidates"),
            f"<p>{html.escape(page.t('summary.candidates_intro'))}</p>",
            items(said.candidates),
        ]
    said_above = {page.account_note(), *page.redefinition_notes()}  # the page's intro has them
    body += [f'<p style="{_MUTED}">{html.escape(n)}</p>' for n in said.notes if n not in said_above]
    return presentation.HTML(f'<div class="skpi-summary" style="{_BOX}">{"".join(body)}</div>')


def kpi_name_cell(metric, lang: str, only: str = "") -> str:
    """A scorecard's KPI cell (escaped markup): the name, the scope note where a total covers
    fewer platforms than the page ("Facebook only"), and the definition under it."""
    scope = (
        f'<br><span class="skpi-scope" style="color:var(--skpi-accent,#2b6cb0);font-size:12px">{html.escape(only)}</span>'
        if only
        else ""
    )
    return (
        f'{html.escape(metric.name[lang])}{scope}<br><span class="skpi-definition" '
        f'style="color:#718096;font-size:12px">{html.escape(metric.definition[lang])}</span>'
    )


def definition_note(page: Page, kpi_id: str) -> str:
    """A KPI's name and definition from the metric dictionary, as a table note."""
    from socialkpi import metrics

    m = metrics.dictionary()[kpi_id]
    return page.t("word.definition_of", name=m.name[page.lang], definition=m.definition[page.lang])


def interval(page: Page, low, high, unit: str = "count") -> str:
    """An interval as the page writes it ("450 to 812"); None (a missing cell, with its
    footnote) when there is none, e.g. for a group too small to have one."""
    if presentation.missing(low) or presentation.missing(high):
        return None
    return page.t("word.interval", low=page.number(low, unit), high=page.number(high, unit))
