"""A brand's LINE Official Account on the pages: the KPI review's LINE scorecard and messages
by send type, the retrospective's broadcasts (opened, clicked, blocks after each), the
audience's friends, the crisis view's blocks after each send, and the money view's messages
against the plan. Every section is empty
(None) for a brand without LINE data or a page whose platforms leave LINE out. LINE cuts its
days at UTC+9, and every section that shows a LINE day or month says so."""

from __future__ import annotations

import pandas as pd

from socialkpi import metrics, presentation
from socialkpi.metrics.periods import parse_period
from socialkpi.presentation import Col, charts, sections
from socialkpi.presentation.page import Page
from socialkpi.reads import line as line_reads

# the LINE KPIs of the scorecard, in reading order
SCORECARD = (
    "line_friends",
    "line_effective_friends",
    "line_targeted_reach",
    "line_friend_adds",
    "line_net_friends",
    "line_new_blocks",
    "line_block_rate",
    "line_period_block_rate",
    "line_messages_sent",
    "line_messages_charged",
    "line_open_rate",
    "line_click_rate",
    "line_click_to_open",
    "line_video_completion",
)


def _month(page: Page) -> line_reads.LineMonth | None:
    if page.platforms and "line" not in page.platforms:
        return None
    found = line_reads.month_line(page.con, page.brand, page.month)
    return found if found.has_data else None


def day_note(page: Page) -> str:
    """The sentence on LINE's days: cut at UTC+9, an hour before midnight in the brand's zone
    when it is Taipei's."""
    offset = pd.Timestamp(f"{page.month}-01", tz=page.timezone).utcoffset()
    hours = 9 - offset.total_seconds() / 3600
    if hours == 0:
        return page.t("line.days_same")
    return page.t(
        "line.days",
        hours=page.number(abs(hours)),
        when=page.t("line.earlier" if hours > 0 else "line.later"),
    )


def review(page: Page, report: pd.DataFrame):
    """The month's LINE KPIs (this month, last month, the change and whether it is beyond
    normal variation) and the messages sent per send type, which the plan counts."""
    m = _month(page)
    if m is None or report.empty:
        return None
    rows = report[(report["platform"] == "line") & report["kpi"].isin(SCORECARD)]
    rows = rows[rows["value"].notna()]
    order = {k: i for i, k in enumerate(SCORECARD)}
    rows = rows.sort_values("kpi", key=lambda k: k.map(order), ignore_index=True)
    d = metrics.dictionary()
    previous = parse_period(page.month).previous().label
    for r in rows.itertuples():
        page.figures.add(r.kpi, ("line",), page.month, r.value, where="line")
        page.figures.add(r.kpi, ("line",), previous, r.previous, where="line")
    frame = rows.assign(name=[sections.kpi_name_cell(d[k], page.lang) for k in rows["kpi"]])
    reasons = pd.DataFrame(
        {
            "previous": ["missing.no_previous"] * len(frame),
            "change": ["missing.no_previous"] * len(frame),
        }
    )
    kpis = page.table(
        frame,
        [
            Col("name", "col.kpi", "html", width="34%"),
            Col("value", "col.value", "value"),
            Col("previous", "col.previous", "value"),
            Col("change", "col.change", "change"),
            Col("assessment", "col.assessment", "assessment"),
        ],
        reasons=reasons,
        notes=[day_note(page), page.t("line.withheld_note")],
    )
    return presentation.join(page.heading("line"), kpis, sends(page, m))


def sends(page: Page, m: line_reads.LineMonth):
    """Messages sent per send type this month, and whether the plan counts them."""
    if m.sends.empty:
        return None
    frame = m.sends.assign(
        counted=[page.t("word.yes" if c else "word.no") for c in m.sends["charged"]]
    )
    return page.table(
        frame,
        [
            Col("send_type", "col.send_type", "send_type"),
            Col("messages", "col.messages", "count"),
            Col("counted", "col.counted"),
        ],
        title=page.t("line.sends_title"),
    )


def broadcasts(page: Page):
    """Each broadcast this month: delivered, opened, clicked, the blocks on its LINE day and
    the day after, and which were a block spike; counts LINE withholds stay blank and say so.
    No advice on send times or content comes from these few sends."""
    m = _month(page)
    if m is None:
        return None
    heading = page.heading("line_broadcasts")
    if m.broadcasts.empty:
        return presentation.join(heading, presentation.paragraph(page.t("line.no_broadcasts")))
    b = m.broadcasts
    frame = b.assign(
        title=[t if isinstance(t, str) and t else page.t("line.untitled") for t in b["title"]],
        flag=[page.t("line.spike") if s else "" for s in b["spike"]],
    )
    table = page.table(
        frame,
        [
            Col("date", "col.line_day", "date"),
            Col("title", "col.message", width="26%"),
            Col("delivered", "col.delivered", "count", "missing.line_sending"),
            Col("open_rate", "col.open_rate", "percent", "missing.line_withheld"),
            Col("click_rate", "col.click_rate", "percent", "missing.line_withheld"),
            Col("completion", "col.video_completion", "percent", "missing.line_no_video"),
            Col("new_blocks", "col.blocks_after", "count"),
            Col("flag", "col.note"),
        ],
        notes=[day_note(page), page.t("line.broadcasts_note", n=page.number(len(b)))],
    )
    spikes = [
        page.t(
            "line.spike_sentence",
            day=presentation.date(r.date, page.lang),
            blocks=page.number(r.new_blocks),
            usual=page.number(round(r.usual)),
            earlier=page.number(r.earlier),
        )
        for r in m.spikes.itertuples()
    ]
    return presentation.join(heading, table, presentation.sentences(spikes) if spikes else None)


def friends(page: Page):
    """The LINE friends' age, device and how long they have been friends, from LINE's latest
    demographics (gender and area are with the other platforms' above)."""
    if page.platforms and "line" not in page.platforms:
        return None
    shares = line_reads.friend_shares(page.con, page.brand, page.month)
    if shares.empty:
        return None
    kinds = {"age": "text", "device_os": "device_os", "friendship_length": "friendship_length"}
    frame = shares.assign(
        group=[page.t(f"dimension.{d}") for d in shares["dimension"]],
        name=[
            charts.segment_name(s, kinds[d], page.lang)
            for s, d in zip(shares["segment"], shares["dimension"], strict=True)
        ],
    )
    day = presentation.date(shares["snapshot_date"].max(), page.lang)
    table = page.table(
        frame,
        [Col("name", "col.segment"), Col("share", "col.share_of_friends", "percent")],
        group="group",
        title=page.t("line.friends_title"),
        notes=[page.t("line.friends_note", day=day)],
    )
    return presentation.join(page.heading("line_friends"), table)


def blocks(page: Page):
    """The crisis view's LINE part: friends who blocked the account after each send this
    month, against the usual after the earlier sends and the limit beyond which it is a
    spike (``metrics.line.blocks_after_sends``)."""
    m = _month(page)
    if m is None or m.blocks.empty:
        return None
    frame = m.blocks.assign(
        flag=[page.t("line.spike") if s else "" for s in m.blocks["spike"]],
        usual=m.blocks["usual"].round(),
        limit=m.blocks["limit"].round(),
    )
    table = page.table(
        frame,
        [
            Col("date", "col.line_day", "date"),
            Col("sent", "col.messages", "count"),
            Col("new_blocks", "col.blocks_after", "count"),
            Col("usual", "col.blocks_usual", "count", "missing.line_few_sends"),
            Col("limit", "col.blocks_limit", "count", "missing.line_few_sends"),
            Col("flag", "col.note"),
        ],
        notes=[day_note(page), page.t("line.blocks_note")],
    )
    return presentation.join(page.heading("line_blocks"), table)


def quota(page: Page, q) -> object:
    """The month's messages the plan counts against its free messages, and what the extra
    messages cost (they are in the month's costs)."""
    if q is None:
        return None
    values = {
        "counted": page.number(q.counted),
        "free": page.number(q.free),
        "share": page.number(q.share, "percent"),
    }
    if not q.extra:
        line = page.t("line.quota_within", **values)
    elif q.price is None:
        line = page.t("line.quota_no_extra", **values)
    else:
        line = page.t(
            "line.quota_extra",
            extra=page.number(q.extra),
            cost=page.number(q.cost, "currency"),
            **values,
        )
    return presentation.join(page.heading("line_quota"), presentation.paragraph(line))
