"""Crisis alerts on the pages (SOP step: watch for crises): the month's comment spikes as
episodes, the daily comments and their negative share, and how fast the brand answered. The
KPI review and retrospective notebooks show these sections; ``socialkpi alerts`` raises the
same episodes as they happen."""

from __future__ import annotations

import pandas as pd

from socialkpi import presentation, reads
from socialkpi.presentation import Col, charts
from socialkpi.presentation.page import Page


def month(page: Page):
    """This month's crisis episodes and the daily comment counts (see ``reads.crisis``)."""
    return reads.crisis(page.con, page.brand, page.month, page.platforms)


def summary(page: Page, episodes: pd.DataFrame, daily: pd.DataFrame):
    """One sentence: the month's crisis episodes, or that there was none."""
    if daily.empty:
        return page.empty("empty.comments", "empty.comments_how")
    if episodes.empty:
        return presentation.paragraph(page.t("sentence.no_spike"))
    big = episodes.sort_values("volume").iloc[-1]
    return presentation.paragraph(
        page.t(
            "sentence.spike",
            count=len(episodes),
            start=presentation.datetime_local(big["start"], page.timezone, page.lang),
            volume=page.number(big["volume"]),
            negative=page.number(big["negative_share"], "percent"),
        )
    )


def comments_chart(page: Page, daily: pd.DataFrame):
    """Customer comments per day (every day of the month, 0 where there were none)."""
    if daily.empty:
        return None
    return charts.daily(daily.assign(value=daily["comments"]), "mention_volume", page.lang)


def negative_chart(page: Page, daily: pd.DataFrame):
    """The negative share of comments per day (no value on a day without comments)."""
    if daily.empty:
        return None
    share = (daily["negative"] / daily["comments"]).where(daily["comments"] > 0)
    return charts.daily(daily.assign(value=share), "negative_share", page.lang)


def responsiveness(page: Page):
    """First-response times per platform this month, against a response-time goal."""
    table = reads.responsiveness(page.con, page.brand, page.month, page.goals, page.platforms)
    if table.empty:
        return page.empty("empty.comments", "empty.comments_how")
    cols = [
        Col("platform", "col.platform", "platform"),
        Col("comments", "col.comments", "count"),
        Col("response_rate", "col.response_rate", "percent"),
        Col("median_h", "col.median_h", "hours", "missing.no_reply"),
        Col("p90_h", "col.p90_h", "hours", "missing.no_reply"),
        Col("within_1h", "col.within_1h", "percent"),
        Col("within_24h", "col.within_24h", "percent"),
        Col("median_target_h", "col.median_target", "hours", "missing.no_goal"),
        Col("clock", "col.clock", "clock"),
    ]
    return page.table(table, cols)


def episodes(page: Page, episodes: pd.DataFrame):
    """Crisis episodes: when, how big, how negative, how fast the brand answered."""
    if episodes.empty:
        return presentation.paragraph(page.t("empty.episodes"))
    frame = episodes.assign(
        start=[presentation.datetime_local(v, page.timezone, page.lang) for v in episodes["start"]],
        end=[presentation.datetime_local(v, page.timezone, page.lang) for v in episodes["end"]],
        terms=[page.t("word.and").join(t) for t in episodes["top_terms"]],
    )
    cols = [
        Col("start", "col.start"),
        Col("end", "col.end"),
        Col("volume", "col.volume", "count"),
        Col("negative_share", "col.negative_share", "percent"),
        Col("first_response_h", "col.first_response", "hours", "missing.no_reply"),
        Col("median_response_h", "col.median_response", "hours", "missing.no_reply"),
        Col("terms", "col.top_terms"),
    ]
    return page.table(frame, cols)


def overview(page: Page):
    """The month's crisis episodes in one sentence and a table (the retrospective's view)."""
    found, daily = month(page)
    return presentation.join(
        summary(page, found, daily), episodes(page, found) if len(found) else None
    )
