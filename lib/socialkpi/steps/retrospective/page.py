"""The retrospective page (SOP step: hold a retrospective): the executive summary, goal gaps,
why the numbers moved, the month's evidence, and the action items carried (with their
follow-up measured) and proposed. The notebook adds the finished tests (experiments) and the
crisis overview."""

from __future__ import annotations

import pandas as pd

from socialkpi import metrics, presentation, reads
from socialkpi.presentation import Col
from socialkpi.presentation import sections as _shared
from socialkpi.presentation.page import Page
from socialkpi.steps.retrospective import analysis as retro
from socialkpi.steps.retrospective import reader
from socialkpi.words import narrative


def status(page: Page) -> pd.DataFrame:
    """The brand's goals and their pacing this month."""
    return _shared.goal_status(page)


def executive_summary(page: Page):
    """The month's summary (``summary.Summary``) over every platform."""
    return _shared.executive_summary(page)


def summary(page: Page, s):
    """The executive summary box at the top of the retrospective."""
    return _shared.summary(page, s)


def gaps(page: Page, status_: pd.DataFrame):
    """Each goal's latest value, target and the gap to it, with its status."""
    return _shared.goals_table(page, status_, gap=True)


def drivers(page: Page, status_: pd.DataFrame):
    """For each goal KPI that counts post outcomes: how much of its change came from post
    volume, content mix, impressions per post, rate and posts without impressions data, over
    every platform (the parts add up to the scorecard's change)."""
    effects = (
        reader.goal_drivers(page.con, page.brand, page.month, status_) if len(status_) else status_
    )
    if effects.empty:
        return presentation.paragraph(page.t("empty.drivers"))
    d = metrics.dictionary()
    month = presentation.date(page.month, page.lang, "month")
    lines = []
    for r in effects.itertuples():
        unit = d[r.measure].unit
        scope = (  # every post of the platforms that report the measure
            page.t(
                "sentence.driver_scope_some",
                month=month,
                platforms=narrative.platform_names(r.platforms, page.lang),
            )
            if page.scope_note(r.platforms, r.measure)
            else page.t("sentence.driver_scope", month=month)
        )
        if r.same_platforms:
            page.figures.add(r.measure, r.platforms, page.month, r.total, "change", where="drivers")

        def signed(value: float, unit: str = unit) -> str:
            return page.number(value, unit, signed=True)

        lines.append(
            page.t(
                "sentence.driver",
                scope=scope,
                name=d[r.measure].name[page.lang],
                total=signed(r.total),
                volume=signed(r.volume),
                mix=signed(r.mix),
                per_post=signed(r.per_post),
                rate=signed(r.rate),
                unmeasured=signed(r.unmeasured),
            )
        )
    return presentation.sentences(lines)


def comparisons(page: Page):
    """The month's evidence: content types, topics, parts of the day and weekdays against the
    other posts, with posts per group, the difference of the median engagement rates, its 95%
    interval and whether it is enough for advice."""
    posts = reads.posts_of(page.con, page.brand, page.month, page.platforms, page.timezone)
    found = retro.comparisons(reads.post_findings(page.con, page.brand, page.month, page.platforms))
    if not found:
        return page.empty("empty.posts", "empty.posts_how")
    frame = pd.DataFrame(
        [
            {
                "platform": c.platform,
                "by": page.t(f"col.{c.by}"),
                "group": narrative.group_label(c, page.lang),
                "n": c.n,
                "median": c.median,
                "n_rest": c.n_rest,
                "median_rest": c.median_rest,
                "difference": c.difference,
                "interval": presentation.span(c.low, c.high, "percent", page.lang, signed=True),
                "verdict": "supported"
                if c.supported
                else "few"
                if not c.enough_posts
                else "unclear",
            }
            for c in found
        ]
    )
    cols = [
        Col("platform", "col.platform", "platform"),
        Col("by", "col.dimension"),
        Col("group", "col.group"),
        Col("n", "col.posts", "count"),
        Col("median", "col.median", "percent"),
        Col("n_rest", "col.posts_rest", "count"),
        Col("median_rest", "col.median_rest", "percent"),
        Col("difference", "col.difference", "change_pp"),
        Col("interval", "col.interval"),
        Col("verdict", "col.verdict", "verdict"),
    ]
    notes = [page.t("note.evidence", min_posts=found[0].min_posts)]
    if untimed := _shared.untimed_note(page, posts):
        notes.append(untimed)
    return page.table(frame, cols, notes=notes)


def carried(page: Page, log):
    """Action items from earlier months that are still open, each with its follow-up measured
    this month: the KPI's value against the item's baseline and target."""
    items = retro.carried(log, page.month)
    if items.empty:
        return presentation.paragraph(page.t("sentence.no_actions_carried"))
    measured = reader.follow_up(page.con, page.brand, page.month, items)
    frame = _with_measure(page, measured)
    cols = [
        Col("text", "col.action"),
        Col("owner", "col.owner"),
        Col("due", "col.due", "date"),
        Col("status", "col.status", "action_status"),
        Col("measure", "col.kpi", missing="missing.no_follow_up"),
        Col("baseline", "col.baseline", "value", "missing.no_follow_up"),
        Col("target", "col.target", "value", "missing.no_follow_up"),
        Col("now", "col.latest", "value", "missing.no_data"),
        Col("effect", "col.change", "change", "missing.no_data"),
        Col("result", "col.result", "follow_up"),
    ]
    return page.table(frame, cols)


def proposed(page: Page, s) -> list[dict]:
    """The summary's recommended actions as new action items (one per finding), worded in the
    page's language, each with its goal, owner and follow-up."""
    said = narrative.say(s, page.lang, page.currency, page.timezone)
    return retro.action_items(s, [a.text for a in said.actions])


def record(page: Page, log, items: list[dict]):
    """Append the proposed items to the action log and show them (or say there are none)."""
    added = retro.record(log, items)
    if not items:
        return presentation.paragraph(page.t("sentence.no_actions_new"))
    frame = _with_measure(page, pd.DataFrame(items))
    cols = [
        Col("text", "col.action"),
        Col("owner", "col.owner", missing="missing.no_owner"),
        Col("due", "col.due", "date"),
        Col("measure", "col.kpi"),
        Col("baseline", "col.baseline", "value"),
        Col("target", "col.target", "value"),
    ]
    return presentation.join(
        page.table(frame, cols),
        presentation.paragraph(page.t("sentence.actions_added", count=added)),
    )


def _with_measure(page: Page, items: pd.DataFrame) -> pd.DataFrame:
    """Action items with their follow-up KPI's name (with the platforms it is measured on) and
    unit; items logged without a follow-up KPI have neither."""
    d = metrics.dictionary()
    stats = items["statistic"] if "statistic" in items else pd.Series(None, index=items.index)
    return items.assign(
        unit=[d[k].unit if k in d else "count" for k in items["kpi"]],
        measure=[
            narrative.measure_label(k, p if isinstance(p, list) else [], st, page.lang)
            if k in d
            else None
            for k, p, st in zip(items["kpi"], items["platforms"], stats, strict=True)
        ],
    )
