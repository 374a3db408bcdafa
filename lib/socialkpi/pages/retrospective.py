"""The retrospective page (SOP step: hold a retrospective): goal gaps, why the numbers moved,
what worked and what did not, crisis episodes, and the action items carried and proposed."""

from __future__ import annotations

import pandas as pd

from socialkpi import metrics, narrative, presentation, retro, review
from socialkpi.page import Page
from socialkpi.pages import _shared
from socialkpi.presentation import Col


def status(page: Page) -> pd.DataFrame:
    return _shared.goal_status(page)


def gaps(page: Page, status_: pd.DataFrame):
    """Each goal's latest value, target and the gap to it, with its status."""
    return _shared.goals_table(page, status_, gap=True)


def drivers(page: Page, status_: pd.DataFrame):
    """For each goal KPI that counts post outcomes: how much of its change came from post
    volume, content mix, reach per post and rate (the parts add up to the change)."""
    effects = (
        retro.goal_drivers(page.con, page.brand, page.month, status_) if len(status_) else status_
    )
    if effects.empty:
        return presentation.paragraph(page.t("empty.drivers"))
    d = metrics.dictionary()
    lines = []
    for r in effects.itertuples():
        unit = d[r.measure].unit

        def signed(value: float, unit: str = unit) -> str:
            return page.number(value, unit, signed=True)

        lines.append(
            page.t(
                "sentence.driver",
                name=d[r.measure].name[page.lang],
                total=signed(r.total),
                volume=signed(r.volume),
                mix=signed(r.mix),
                reach=signed(r.per_post),
                rate=signed(r.rate),
            )
        )
    return presentation.sentences(lines)


def worked(page: Page):
    """The best and worst content type, topic and posting hour, each with its median
    engagement rate and the number of posts behind it."""
    good, bad = retro.worked(page.con, page.brand, page.month)
    if good.empty:
        return presentation.paragraph(page.t("empty.worked"))
    return presentation.join(
        presentation.strong(page.t("sentence.worked")),
        presentation.sentences(evidence(page, good)),
        presentation.strong(page.t("sentence.did_not_work")),
        presentation.sentences(evidence(page, bad)),
    )


def evidence(page: Page, groups: pd.DataFrame) -> list[str]:
    """``kind "label": median X over N posts`` for each group of :func:`retro.worked`."""
    kinds = {"content_type": "content_type", "topic": "topic", "hour": "hour"}
    return [
        page.t(
            "sentence.evidence",
            kind=page.t(f"col.{r.by}"),
            label=presentation.text(r.label, kinds[r.by], page.lang),
            value=page.number(r.median, "percent"),
            n=r.posts,
        )
        for r in groups.itertuples()
    ]


def crisis(page: Page):
    episodes, daily = review.crisis(page.con, page.brand, page.month, page.platforms)
    from socialkpi.pages import kpi_review

    return presentation.join(
        kpi_review.crisis_summary(page, episodes, daily),
        _shared.episodes_table(page, episodes) if len(episodes) else None,
    )


def carried(page: Page, log):
    """Action items from earlier months that are still open."""
    items = retro.carried(log, page.month)
    if items.empty:
        return presentation.paragraph(page.t("sentence.no_actions_carried"))
    return _actions_table(page, items)


def proposed(page: Page, status_: pd.DataFrame) -> list[dict]:
    """New action items for goals at risk or off track, worded in the page's language: a
    responsiveness goal gets more reply staff at peak hours, the others the month's best
    working content (with its evidence)."""
    good, _ = retro.worked(page.con, page.brand, page.month)
    best = evidence(page, good.head(1))
    items = []
    for r in retro.lagging(status_).itertuples():
        objective = metrics.dictionary()[r.kpi].objective
        hint = (
            page.t("sentence.action_staff")
            if objective == "responsiveness"
            else (best[0] if best else "")
        )
        text = page.t(
            "sentence.action_improve", name=narrative.kpi_name(r.kpi, page.lang), hint=hint
        )
        items.append(retro.action_item(page.month, r.goal, r.owner, text.rstrip("：: ")))
    return items


def record(page: Page, log, items: list[dict]):
    """Append the proposed items to the action log and show them (or say there are none)."""
    added = retro.record(log, items)
    if not items:
        return presentation.paragraph(page.t("sentence.no_actions_new"))
    return presentation.join(
        _actions_table(page, pd.DataFrame(items)),
        presentation.paragraph(page.t("sentence.actions_added", count=added)),
    )


def _actions_table(page: Page, items: pd.DataFrame):
    cols = [
        Col("text", "col.action"),
        Col("owner", "col.owner"),
        Col("due", "col.due", "date"),
        Col("status", "col.status", "action_status"),
    ]
    return page.table(items, cols)
