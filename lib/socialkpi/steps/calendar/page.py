"""The content-calendar page (SOP step 內容規劃): the month on a calendar (planned, published,
missed), plan against actual per platform and owner, the pillar mix against its targets with
each pillar's typical post, posts per week, the best posting windows and next month's draft
(with Taiwan's holidays and shopping days, as CSV and .ics to download). :func:`plan` is also
the KPI review's plan section."""

from __future__ import annotations

import base64
import hashlib
import html

import pandas as pd
from IPython.display import HTML

from socialkpi import files, presentation, reads, store
from socialkpi.config import brands
from socialkpi.metrics import evidence
from socialkpi.metrics import plan as plans
from socialkpi.metrics.plan import PLAN_LAYOUT, plan_id
from socialkpi.presentation import Col, charts
from socialkpi.presentation import sections as _shared
from socialkpi.presentation.page import Page
from socialkpi.steps.calendar import analysis as calendar
from socialkpi.steps.calendar import reader
from socialkpi.words import narrative
from socialkpi.words.i18n import t

CONTENT_KPI = reads.CONTENT_KPI
OFF_TARGET = 0.05  # a pillar's share this far from its target is named in the summary
# how each kind of calendar entry is marked: symbol and colour
MARKS = {
    "on_time": ("✓", "#276749"),
    "late": ("↻", "#b7791f"),
    "missed": ("✗", "#c53030"),
    "cancelled": ("–", "#718096"),
    "unplanned": ("＋", "#2b6cb0"),
    "upcoming": ("○", "#4a5568"),
    "draft": ("◇", "#6b46c1"),
}


def content_calendar(page: Page) -> reader.Calendar:
    """The month's calendar and next month's draft for the page's brand and platforms."""
    return reader.content_calendar(page.con, page.brand, page.month, page.platforms)


def pillar_name(page: Page, cal: reader.Calendar, pillar: object) -> str:
    """A pillar as readers know it: its name in ``brands.yaml``, the topic as written where
    the brand names no pillars, or "no pillar"."""
    return _pillar_label(cal, pillar, page.lang, page.t("calendar.no_pillar"))


def _pillar_label(cal: reader.Calendar, pillar: object, lang: str, none: str) -> str:
    if not isinstance(pillar, str) or not pillar:
        return none
    entry = cal.pillars.get(pillar)
    return brands.display_name(entry["name"], lang, pillar) if entry else pillar


def summary(page: Page, cal: reader.Calendar):
    """The sentences of :func:`summary_lines`, or what is missing and how to get it."""
    if cal.empty:
        return page.empty("empty.plan", "empty.plan_how")
    return presentation.sentences(summary_lines(page, cal))


COUNTED = ("planned", "on_time", "late", "missed", "cancelled", "unplanned", "published")


def summary_lines(page: Page, cal: reader.Calendar) -> list[str]:
    """Plan against actual, the pillar furthest from its target, the window that stands out
    (or that none does) and the size of next month's draft."""
    c = cal.counts().iloc[0]
    n = {k: page.number(int(c[k]), "count") for k in COUNTED}  # 27,111 as the cards write it
    if c["planned"]:
        lines = [page.t("calendar.summary", **n, adherence=page.number(c["adherence"], "percent"))]
    else:
        lines = [page.t("calendar.summary_no_plan", published=n["published"])]
    lines.append(_mix_line(page, cal))
    lines.append(_window_line(page, cal))
    lines.append(_draft_line(page, cal))
    return [line for line in lines if line]


def _mix_line(page: Page, cal: reader.Calendar) -> str:
    if not cal.pillars:
        return page.t("calendar.no_pillars")
    mix = cal.mix()
    mix = mix[mix["target"].notna() & (mix["published"].sum() > 0)]
    if mix.empty:
        return ""
    gap = (mix["published_share"] - mix["target"]).abs()
    worst = mix.loc[gap.idxmax()]
    if gap.max() < OFF_TARGET:
        return page.t("calendar.mix_on", points=round(OFF_TARGET * 100))
    return page.t(
        "calendar.mix_off",
        pillar=pillar_name(page, cal, worst["pillar"]),
        published=page.number(worst["published_share"], "share"),
        target=page.number(worst["target"], "share"),
    )


def _window_line(page: Page, cal: reader.Calendar) -> str:
    best = cal.windows[cal.windows["stands_out"]]
    if cal.windows.empty:
        return page.t("calendar.no_timed_posts", months=reader.HISTORY_MONTHS)
    if best.empty:
        return page.t("calendar.no_window", months=reader.HISTORY_MONTHS)
    top = best.sort_values("lift", ascending=False).iloc[0]
    return page.t(
        "calendar.window_stands_out",
        platform=presentation.text(top["platform"], "platform", page.lang),
        weekday=presentation.text(top["weekday"], "weekday", page.lang),
        daypart=presentation.text(top["daypart"], "daypart", page.lang),
        lift=page.number(top["lift"], "ratio"),
        low=page.number(top["low"], "ratio"),
        high=page.number(top["high"], "ratio"),
        posts=int(top["posts"]),
    )


def _draft_line(page: Page, cal: reader.Calendar) -> str:
    dates = calendar.notable_dates(cal.next_month, page.lang, cal.country)
    named = page.t("word.list_sep").join(
        f"{presentation.date(d, page.lang)} {n}"
        for d, n in zip(dates["day"], dates["name"], strict=True)
    )
    return page.t(
        "calendar.draft_summary",
        month=presentation.date(pd.Period(cal.next_month, "M").start_time, page.lang, "month"),
        count=page.number(len(cal.draft), "count"),
        existing=page.number(len(cal.upcoming), "count"),
        dates=named or page.t("calendar.no_dates"),
    )


# --- the month on a calendar ----------------------------------------------------------------


def month_entries(page: Page, cal: reader.Calendar) -> pd.DataFrame:
    """What the month's grid shows per day: ``day, kind, text`` (kind: an outcome of
    :func:`plans.reconcile` or ``unplanned``)."""
    rows, label = [], _labeller(page, cal)
    for r in cal.items.itertuples():
        late = f" +{int(r.days_late)}" if r.outcome == "late" else ""
        rows.append((r.planned_for, r.outcome, label(r.platform, r.pillar) + late))
    unplanned = cal.posts[cal.posts["planned_id"].isna()]
    for day, platform, pillar in zip(
        unplanned["day"], unplanned["platform"], unplanned["pillar"], strict=True
    ):
        rows.append((day, "unplanned", label(platform, pillar)))
    return pd.DataFrame(rows, columns=["day", "kind", "text"])


def draft_entries(page: Page, cal: reader.Calendar) -> pd.DataFrame:
    """Next month's grid: items already planned and the draft's new posts."""
    label = _labeller(page, cal)
    rows = [
        (r.planned_for, "upcoming", label(r.platform, r.pillar)) for r in cal.upcoming.itertuples()
    ]
    for r in cal.draft.itertuples():
        time = f"{r.planned_time} " if isinstance(r.planned_time, str) else ""
        rows.append((r.planned_for, "draft", time + label(r.platform, r.pillar)))
    return pd.DataFrame(rows, columns=["day", "kind", "text"])


def _labeller(page: Page, cal: reader.Calendar):
    """:func:`_label`, worked out once per platform and pillar (a large brand's month has tens
    of thousands of entries and a handful of labels)."""
    known: dict = {}

    def label(platform: object, pillar: object) -> str:
        key = (
            platform if isinstance(platform, str) else None,
            pillar if isinstance(pillar, str) else None,
        )
        if key not in known:
            known[key] = _label(page, cal, platform, pillar)
        return known[key]

    return label


def _label(page: Page, cal: reader.Calendar, platform: object, pillar: object) -> str:
    where = (
        presentation.text(platform, "platform", page.lang)
        if isinstance(platform, str) and platform
        else page.t("calendar.any_platform")
    )
    return f"{where} · {pillar_name(page, cal, pillar)}"


# lines a day of the grid holds: a day with more entries lists alike ones once with their
# count, and counts what is left in one more line
DAY_LINES = 8


def month_grid(page: Page, month: str, entries: pd.DataFrame) -> HTML:
    """A month as a calendar, Monday first: each day's entries marked by kind (legend below),
    on at most :data:`DAY_LINES` lines, holidays and shopping days named in the day's corner."""
    p = pd.Period(month, "M")
    first = p.start_time
    country = store.brand_settings(page.con, page.brand)["country"]
    dates = calendar.notable_dates(month, page.lang, country).groupby("day")["name"].agg(list)
    by_day = entries.groupby(entries["day"].dt.normalize()) if len(entries) else {}
    head = "".join(
        f"<th style='text-align:center'>{html.escape(presentation.text(d, 'weekday', page.lang))}</th>"
        for d in evidence.WEEKDAYS
    )
    cells = ["<td class='skpi-cal-off'></td>"] * first.weekday()
    for day in pd.date_range(first, p.end_time.normalize(), freq="D"):
        lines = []
        if len(entries) and day in by_day.groups:
            listed = by_day.get_group(day).sort_values(["kind", "text"]).assign(n=1)
            if len(listed) > DAY_LINES:  # a crowded day: alike entries on one line, counted
                listed = listed.groupby(["kind", "text"], as_index=False, sort=True)["n"].sum()
            for r in listed.head(DAY_LINES).itertuples():
                symbol, colour = MARKS[r.kind]
                times = f" ×{page.number(r.n, 'count')}" if r.n > 1 else ""
                lines.append(
                    f"<div class='skpi-cal-{r.kind}' style='color:{colour}'>"
                    f"{symbol} {html.escape(r.text + times)}</div>"
                )
            rest = int(listed["n"].iloc[DAY_LINES:].sum())
            if rest:  # more kinds of entries than lines: the cards count them all
                more = page.t("calendar.more", n=page.number(rest, "count"))
                lines.append(f"<div class='skpi-cal-more'>{html.escape(more)}</div>")
        names = "".join(
            f"<span class='skpi-cal-date'>{html.escape(n)}</span>" for n in dates.get(day, [])
        )
        marked = " skpi-cal-holiday" if names else ""
        cells.append(
            f"<td class='skpi-cal-day{marked}' style='text-align:left'>"
            f"<div class='skpi-cal-num'>{day.day}{names}</div>" + "".join(lines) + "</td>"
        )
    cells += ["<td class='skpi-cal-off'></td>"] * (-len(cells) % 7)
    rows = "".join(f"<tr>{''.join(cells[i : i + 7])}</tr>" for i in range(0, len(cells), 7))
    kinds = list(dict.fromkeys(entries["kind"])) if len(entries) else []
    legend = " ".join(
        f"<span style='color:{MARKS[k][1]}'>{MARKS[k][0]} {html.escape(page.t(f'calendar_mark.{k}'))}</span>"
        for k in MARKS
        if k in kinds
    )
    return HTML(
        f"<style>{_GRID_CSS}</style><table class='skpi-cal'><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table><p class='skpi-cal-legend'>{legend}</p>"
    )


_GRID_CSS = """
.skpi-cal{border-collapse:collapse;width:100%;table-layout:fixed;font-size:12px;margin:.5em 0}
.skpi-cal th{background:#edf2f7;padding:4px;border:1px solid #e2e8f0;font-weight:600;
  text-align:center}
.skpi-cal td{border:1px solid #e2e8f0;vertical-align:top;padding:3px 4px;height:72px;
  overflow-wrap:anywhere;text-align:left;background:#fff}
.skpi-cal td div{line-height:1.35}
.skpi-cal td.skpi-cal-off{background:#f7fafc}
.skpi-cal td.skpi-cal-holiday{background:#fff5f5}
.skpi-cal-num{font-weight:600;color:#2d3748;margin-bottom:2px}
.skpi-cal-date{font-weight:400;color:#c53030;margin-left:4px}
.skpi-cal-cancelled{text-decoration:line-through}
.skpi-cal-more{color:#4a5568;font-style:italic}
.skpi-cal-legend{font-size:12px}
.skpi-cal-legend span{margin-right:1em}
"""


# --- tables ---------------------------------------------------------------------------------


def adherence(page: Page, counts: pd.DataFrame, by: str = "platform", notes=()):
    """Plan against actual per ``by`` (platform or owner), with ``notes`` and the matching
    rule under it."""
    if counts.empty or not counts["planned"].sum():
        return page.empty("empty.plan", "empty.plan_how")
    first = (
        Col("platform", "col.platform", "platform")
        if by == "platform"
        else Col("owner", "col.owner", missing="missing.no_plan_owner")
    )
    cols = [
        first,
        Col("planned", "col.planned", "count"),
        Col("on_time", "col.on_time", "count"),
        Col("late", "col.late", "count"),
        Col("missed", "col.missed", "count"),
        Col("cancelled", "col.cancelled", "count"),
        *(
            [Col("published", "col.published", "count"), Col("unplanned", "col.unplanned", "count")]
            if by == "platform"
            else []  # posts have no owner
        ),
        Col("adherence", "col.adherence", "percent", "missing.all_cancelled"),
    ]
    shown = counts.assign(**{by: counts[by].replace("", pd.NA)})
    rule = page.t("note.plan_rule", early=plans.EARLY, late=plans.LATE)
    return page.table(shown, cols, notes=[*notes, rule])


def by_owner(page: Page, cal: reader.Calendar):
    """Plan against actual per owner, where the plan names owners (posts nobody planned have
    no owner, so the owner table counts plan items only)."""
    if "owner" not in cal.items or cal.items["owner"].isna().all():
        return presentation.paragraph(page.t("calendar.no_owners"))
    counts = plans.counts(cal.items, cal.posts.assign(owner=pd.NA), by="owner")
    return adherence(page, counts[counts["planned"] > 0], "owner")


def pillars(page: Page, cal: reader.Calendar):
    """Per pillar: target share, planned and published shares, and the typical post's
    engagement rate with its interval and the posts behind it."""
    if not cal.pillars:
        return page.empty("calendar.no_pillars", "calendar.no_pillars_how")
    mix = cal.mix().merge(cal.performance(), on="pillar", how="left", suffixes=("", "_kpi"))
    frame = mix.assign(
        name=[pillar_name(page, cal, p) for p in mix["pillar"]],
        interval=[
            _shared.interval(page, lo, hi, "percent")
            for lo, hi in zip(mix["low"], mix["high"], strict=True)
        ],
    )
    cols = [
        Col("name", "col.pillar", width="18%"),
        Col("target", "col.target_share", "share", "missing.no_target"),
        Col("planned_share", "col.planned_share", "share", "missing.no_plan"),
        Col("published", "col.posts", "count"),  # the base of the published share
        Col("published_share", "col.published_share", "share", "missing.no_posts"),
        Col("median", "col.median_rate", "percent", "missing.no_posts"),
        Col("interval", "col.interval", missing="missing.under_three"),
    ]
    notes = [
        _shared.definition_note(page, CONTENT_KPI),
        *_shared.accounted_note(page, cal.content_posts, CONTENT_KPI),
    ]
    return page.table(frame, cols, notes=notes)


def mix_chart(page: Page, cal: reader.Calendar):
    """Each pillar's target, planned and published share side by side (nothing where the
    brand names no pillars: :func:`pillars` says so)."""
    if not cal.pillars:
        return HTML("")
    mix = cal.mix()
    series = {
        "target": page.t("col.target_share"),
        "planned_share": page.t("col.planned_share"),
        "published_share": page.t("col.published_share"),
    }
    frame = pd.DataFrame(
        [
            {"label": pillar_name(page, cal, r["pillar"]), "series": name, "value": r[col]}
            for _, r in mix.iterrows()
            for col, name in series.items()
        ]
    ).dropna(subset=["value"])
    return charts.grouped(frame, page.t("col.pillar_mix"), "share", page.lang)


def cadence_chart(page: Page, cal: reader.Calendar):
    """Items planned and posts published per week of the month."""
    weekly = cal.cadence().groupby(["week", "days"], as_index=False)[["planned", "published"]].sum()
    frame = pd.DataFrame(
        [
            {
                "label": presentation.date(r.week, page.lang, "short"),
                "series": page.t(f"col.{col}"),
                "value": getattr(r, col),
            }
            for r in weekly.itertuples()
            for col in ("planned", "published")
        ]
    )
    return charts.grouped(frame, page.t("section.cadence"), "count", page.lang)


def cadence(page: Page, cal: reader.Calendar):
    """Posts per week per platform against the plan: a row per week ("published / planned"
    per platform) and the month's weekly averages."""
    weekly = cal.cadence()
    if weekly.empty:
        return page.empty("empty.plan", "empty.plan_how")
    platforms = list(dict.fromkeys(weekly["platform"]))
    rows = []
    for (first, days), g in weekly.groupby(["week", "days"], sort=True):
        last = first + pd.Timedelta(days=days - 1)
        row = {
            "week": page.t(
                "word.interval",
                low=presentation.date(first, page.lang, "short"),
                high=presentation.date(last, page.lang, "short"),
            )
        }
        row |= {r.platform: f"{r.published} / {r.planned}" for r in g.itertuples()}
        rows.append(row)
    totals = weekly.groupby("platform")[["published", "planned", "days"]].sum()
    average = {"week": page.t("col.per_week")}
    for p, r in totals.iterrows():
        average[p] = (
            f"{page.number(r['published'] * 7 / r['days'], 'number')} / {page.number(r['planned'] * 7 / r['days'], 'number')}"
        )
    rows.append(average)
    cols = [
        Col("week", "col.week", width="24%"),
        *[Col(p, f"platform.{p}" if p else "calendar.any_platform") for p in platforms],
    ]
    return page.table(pd.DataFrame(rows), cols, notes=[page.t("calendar.cadence_note")])


def windows(page: Page, cal: reader.Calendar, per_platform: int = 3):
    """Each platform's best named windows (at most ``per_platform``), with the typical post
    against the account's, its interval and the posts behind it; the method under the table."""
    named = cal.windows[cal.windows["named"]]
    if named.empty:
        return page.empty("empty.windows", "calendar.windows_how")
    top = named.groupby("platform", sort=True).head(per_platform)
    frame = top.assign(
        interval=[
            _shared.interval(page, lo, hi, "ratio")
            for lo, hi in zip(top["low"], top["high"], strict=True)
        ]
    )
    cols = [
        Col("platform", "col.platform", "platform"),
        Col("weekday", "col.weekday", "weekday"),
        Col("daypart", "col.daypart", "daypart"),
        Col("posts", "col.posts", "count"),
        Col("lift", "col.lift", "ratio"),
        Col("interval", "col.interval"),
        Col("stands_out", "col.stands_out", "bool"),
    ]
    notes = [
        page.t(
            "calendar.window_rule",
            months=reader.HISTORY_MONTHS,
            posts=evidence.WINDOW_POSTS,
        ),
        _shared.definition_note(page, CONTENT_KPI),
    ]
    untimed = _shared.untimed_note(page, cal.untimed)
    avoided = [
        narrative.finding_label(p.finding, page.lang)
        for p in cal.actions
        if p.kind == "less" and p.evidence.by in ("daypart", "weekday")
    ]
    if avoided:
        notes.append(
            page.t("calendar.windows_avoided", windows=page.t("word.list_sep").join(avoided))
        )
    return page.table(frame, cols, notes=[*notes, *([untimed] if untimed else [])])


def draft(page: Page, cal: reader.Calendar):
    """Next month's draft as a table (day, time, platform, pillar, the window's evidence),
    the rule it follows, and links to download it as CSV and .ics."""
    if cal.draft.empty:
        return presentation.paragraph(page.t("calendar.no_draft"))
    frame = cal.draft.assign(
        pillar_name=[pillar_name(page, cal, p) for p in cal.draft["pillar"]],
        format=[
            page.t(f"content_type.{c}") if isinstance(c, str) else ""
            for c in cal.draft["content_type"]
        ],
        evidence=[_evidence(page, r) for r in cal.draft.itertuples()],
    )
    cols = [
        Col("planned_for", "col.date", "date", width="13%"),
        Col("planned_time", "col.time", missing="missing.no_window", width="8%"),
        Col("platform", "col.platform", "platform", width="11%"),
        Col("pillar_name", "col.pillar", width="13%"),
        Col("format", "col.format", width="9%"),
        Col("evidence", "col.window_evidence", missing="missing.no_window"),
    ]
    timed = set(cal.windows["platform"])
    why = [
        "missing.no_window" if p in timed else "missing.untimed_platform" for p in frame["platform"]
    ]
    reasons = pd.DataFrame({"planned_time": why, "evidence": why})
    notes = [page.t("calendar.draft_rule", posts=evidence.WINDOW_POSTS)]
    if cal.actions:
        followed = page.t("word.list_sep").join(
            narrative.finding_label(p.finding, page.lang) for p in cal.actions if p.kind != "staff"
        )
        notes.append(page.t("calendar.draft_follows", actions=followed))
    return page.table(frame, cols, notes=notes, reasons=reasons)


def _evidence(page: Page, r) -> str | None:
    action = (
        page.t(
            "calendar.by_action",
            action=page.t("word.list_sep").join(
                narrative.finding_label(f, page.lang) for f in str(r.action).split(", ")
            ),
        )
        if isinstance(r.action, str)
        else None
    )
    window = _window_evidence(page, r)
    return (
        page.t("word.two_sentences", first=action, second=window)
        if action and window
        else (action or window)
    )


def _window_evidence(page: Page, r) -> str | None:
    if not isinstance(r.daypart, str) or presentation.missing(r.lift):
        return None
    return page.t(
        "calendar.evidence",
        weekday=presentation.text(r.planned_for.day_name(), "weekday", page.lang),
        daypart=presentation.text(r.daypart, "daypart", page.lang),
        lift=page.number(r.lift, "ratio"),
        low=page.number(r.low, "ratio"),
        high=page.number(r.high, "ratio"),
        posts=int(r.window_posts),
    )


def downloads(page: Page, cal: reader.Calendar):
    """Links that save the draft as CSV (the plan's own layout: it imports back) and as an
    iCalendar file, carried inside the page so the report stays one self-contained file."""
    if cal.draft.empty:
        return HTML("")
    files = draft_files(cal, page.lang, page.name, page.timezone)
    links = []
    for name, data in files.items():
        kind = "text/csv" if name.endswith(".csv") else "text/calendar"
        key = "calendar.download_csv" if name.endswith(".csv") else "calendar.download_ics"
        href = f"data:{kind};charset=utf-8;base64,{base64.b64encode(data).decode()}"
        links.append(
            f"<a class='skpi-download' download='{html.escape(name)}' href='{href}'>"
            f"{html.escape(page.t(key))}</a>"
        )
    return HTML(f"<p>{' · '.join(links)}</p>")


# --- the draft as files ---------------------------------------------------------------------


def draft_files(
    cal: reader.Calendar,
    lang: str,
    brand_name: str,
    timezone: str,
    stamp: pd.Timestamp | None = None,
) -> dict[str, bytes]:
    """The draft as ``<brand>-<month>-draft.csv`` (the plan's layout in ``lang``; UTF-8 with a
    BOM so Excel reads it) and ``.ics`` (posts at their times, or all day where no window
    supports a time; holidays and shopping days as free all-day events)."""
    dates = calendar.notable_dates(cal.next_month, lang, cal.country)
    on_day = dates.groupby("day")["name"].agg(lambda n: t("word.list_sep", lang).join(n))
    rows = []
    seen: dict[tuple, int] = {}
    for r in cal.draft.itertuples():
        key = (
            f"{r.planned_for:%Y-%m-%d}",
            r.platform,
            r.pillar if isinstance(r.pillar, str) else "",
        )
        seen[key] = seen.get(key, -1) + 1
        rows.append(
            [
                plan_id(cal.brand, "draft", *key, seen[key]),
                f"{r.planned_for:%Y-%m-%d}",
                r.planned_time if isinstance(r.planned_time, str) else "",
                t(f"platform.{r.platform}", lang),
                _pillar_label(cal, r.pillar, lang, t("calendar.open_topic", lang)),
                t(f"content_type.{r.content_type}", lang)
                if isinstance(r.content_type, str)
                else "",
                t("calendar.status_idea", lang),
                "",
                "",
                t("word.list_sep", lang).join(
                    x
                    for x in (
                        on_day.get(r.planned_for, ""),
                        f"#{r.topic}" if isinstance(r.topic, str) else "",
                    )
                    if x
                ),
            ]
        )
    header = [t(f"plan_layout.{c}", lang) for c in PLAN_LAYOUT]
    table = pd.DataFrame(rows, columns=header)
    csv = files.csv_bytes(table)
    events = []
    for i, (row, r) in enumerate(zip(rows, cal.draft.itertuples(), strict=True)):
        summary = f"{row[3]} · {row[4]}"
        event = {"uid": _uid(cal.brand, [i, *row]), "summary": summary, "description": row[9]}
        if isinstance(r.planned_time, str):
            local = pd.Timestamp(f"{r.planned_for:%Y-%m-%d} {r.planned_time}").tz_localize(timezone)
            event["start"] = local.tz_convert("UTC")
        else:
            event["day"] = r.planned_for
        events.append(event)
    for d, kind, name in dates.itertuples(index=False):
        events.append(
            {
                "uid": _uid(cal.brand, [f"{d:%Y%m%d}", kind, name]),
                "summary": name,
                "day": d,
                "free": True,
            }
        )
    month = presentation.date(cal.next_month, lang, "month")
    title = t("calendar.ics_name", lang, brand=brand_name, month=month)
    stamp = stamp if stamp is not None else pd.Timestamp.now(tz="UTC")
    ics = calendar.to_ics(events, title, stamp).encode()
    base = f"{cal.brand}-{cal.next_month}-draft"
    return {f"{base}.csv": csv, f"{base}.ics": ics}


def _uid(brand: str, parts: list) -> str:
    digest = hashlib.sha256("|".join([brand, *map(str, parts)]).encode()).hexdigest()[:20]
    return f"{digest}@socialkpi"


def plan(page: Page):
    """The plan reconciled with the month's posts per platform (the content-calendar page's
    table, with the month's totals in a sentence above the rule; the KPI review shows this
    section)."""
    counts = reads.plan_adherence(page.con, page.brand, page.month, page.platforms)
    if counts.empty or not counts["planned"].sum():
        return page.empty("empty.plan", "empty.plan_how")
    summary = page.t(
        "sentence.plan_summary",
        planned=int(counts["planned"].sum()),
        published=int(counts["published"].sum()),
        unplanned=int(counts["unplanned"].sum()),
    )
    return adherence(page, counts, notes=[summary])
