"""What a dashboard shows: the view a viewer asked for (brand, month, platform, KPI, language,
all in the query string so a link can be shared), and each SOP dashboard's panel for it
(KPI cards, a titled table, notes) and its 13-month trend. Functions of the store and the
view; the widgets live in ``controls``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

import altair as alt
import pandas as pd

from socialkpi import metrics, presentation, reads, store
from socialkpi.config import brands
from socialkpi.metrics import kpi
from socialkpi.metrics.periods import parse_period
from socialkpi.presentation import line as line_page
from socialkpi.presentation import sections as _shared
from socialkpi.presentation.page import Page, open_page
from socialkpi.steps import WITH_PAGES
from socialkpi.steps.audience import page as audience_page
from socialkpi.steps.calendar import page as calendar_page
from socialkpi.steps.calendar import reader as calendar_reader
from socialkpi.steps.competitors import page as competitors_page
from socialkpi.steps.crisis import page as crisis_page
from socialkpi.steps.experiments import page as experiments_page
from socialkpi.steps.goal_setting import page as goal_setting
from socialkpi.steps.kpi_review import page as kpi_review
from socialkpi.steps.money import page as money_page
from socialkpi.steps.retrospective import page as retrospective
from socialkpi.store.cache import cached
from socialkpi.words import narrative
from socialkpi.words.i18n import LANGS, t

KINDS = tuple(s.dashboard for s in WITH_PAGES)  # one dashboard per step with a page
KPIS = {s.id: list(s.dashboard_kpis) for s in WITH_PAGES}  # the KPI control's choices
HISTORY = {  # competitor measure -> (column of Benchmark.history, unit)
    "share_of_voice": ("share_of_engagement", "share"),
    "share_of_posts": ("share_of_posts", "share"),
    "followers": ("followers", "count"),
    "posts_per_week": ("posts_per_week", "number"),
}
CARDS = {s.id: list(s.cards) for s in WITH_PAGES if s.cards}


@dataclass(frozen=True)
class View:
    """What the viewer selected. ``platform == ""`` means all platforms."""

    brand: str
    month: str
    platform: str = ""
    kpi: str = "engagement_rate"
    lang: str = "zh-TW"
    competitor: str = ""  # the competitor dashboard's picker; "" means every competitor


@dataclass
class Panel:
    """One dashboard's content for a view (all but the chart): cards, a titled table, notes."""

    title: str
    cards: list[dict] = field(default_factory=list)  # kpi, name, value, note
    table_title: str = ""
    table_html: str = ""
    notes: list[str] = field(default_factory=list)
    history: pd.DataFrame | None = None  # the competitor dashboard's months, for its chart
    # the calendar dashboard's month, for its chart
    calendar: calendar_reader.Calendar | None = None
    tests: list | None = None  # the experiments dashboard's results, for its chart


def view_from_query(query: str | None, choices: dict[str, list[str]], default: View) -> View:
    """The view a query string asks for; values not among ``choices`` keep the default.

    >>> v = view_from_query("brand=b&month=2026-09&lang=en&kpi=<x>", {"brand": ["a", "b"],
    ...     "month": ["2026-10", "2026-09"], "lang": ["zh-TW", "en"], "kpi": ["reach"]}, View("a", "2026-10"))
    >>> (v.brand, v.month, v.lang, v.kpi)
    ('b', '2026-09', 'en', 'engagement_rate')
    """
    asked = {k: v[-1] for k, v in parse_qs((query or "").lstrip("?")).items()}
    chosen = {
        k: asked[k]
        for k in ("brand", "month", "platform", "kpi", "lang", "competitor")
        if k in asked and asked[k] in choices.get(k, [])
    }
    return replace(default, **chosen)


def query_of(view: View) -> str:
    """The query string that reopens ``view`` (the inverse of :func:`view_from_query`)."""
    return urlencode({k: v for k, v in vars(view).items() if v})


def cards_html(cards: list[dict]) -> str:
    """KPI cards as HTML, every text escaped."""
    items = "".join(
        f'<div class="skpi-card" data-kpi="{html.escape(c["kpi"])}"><div class="skpi-card-name">'
        f'{html.escape(c["name"])}</div><div class="skpi-card-value">{html.escape(c["value"])}</div>'
        f'<div class="skpi-card-note">{html.escape(c.get("note", ""))}</div></div>'
        for c in cards
    )
    return f'<div class="skpi-cards">{items}</div>'


def platforms_of(view: View) -> list[str] | None:
    """The view's platform as a list, or None for all platforms."""
    return [view.platform] if view.platform else None


def page_for(con, view: View, ctx: dict) -> Page:
    """The report page behind a panel (``ctx["goals_dir"]``: where the goals files are)."""
    return open_page(
        con,
        view.brand,
        view.month,
        view.lang,
        platforms_of(view),
        brands.file_for(ctx["goals_dir"], view.brand),
        interactive=True,
    )


def kpi_cards(page: Page, ids: list[str]) -> list[dict]:
    """Cards for the view's month and platform: value, change vs last month, assessment."""
    report = kpi.kpi_report(
        page.con, page.brand, page.month, page.platforms, ids, timezone=page.timezone
    )
    if report.empty:
        return []
    rows = report[report["platform"] == "all"].set_index("kpi")
    cards = []
    for kpi_id in ids:
        if kpi_id not in rows.index:
            continue
        r = rows.loc[kpi_id]
        change = (
            ""
            if presentation.missing(r["change"])
            else (
                f"{page.number(r['change'], r['unit'], signed=True)} {page.t('dashboard.vs_previous')} · "
            )
        )
        only = page.scope_note(r["platforms"], r["definition"])  # "Facebook only"
        cards.append(
            {
                "kpi": kpi_id,
                "name": narrative.kpi_name(r["definition"], page.lang),
                "value": page.number(r["value"], r["unit"]),
                "note": (f"{only} · " if only else "")
                + change
                + presentation.text(r["assessment"], "assessment", page.lang),
            }
        )
    return cards


def monthly(con, view: View):
    """13 months of every KPI's totals for the view's brand, month and platform."""
    first = parse_period(view.month).shift(-12).label
    return kpi.monthly_totals(con, view.brand, first, view.month, platforms_of(view))


def trend(con, view: View, monthly) -> alt.Chart:
    """The view's KPI over the months of ``monthly`` (or a title saying why it cannot be drawn)."""
    page = open_page(con, view.brand, view.month, view.lang, platforms_of(view))
    drawn = _shared.trend(page, view.kpi, monthly)
    if isinstance(drawn, alt.TopLevelMixin):
        return drawn
    # a series too short to draw says so where the chart would be
    sentence = html.unescape(drawn.data.removeprefix("<p>").removesuffix("</p>"))
    return (
        alt.Chart(pd.DataFrame({"x": []})).mark_point().properties(title=alt.TitleParams(sentence))
    )


def _html(part) -> str:
    return "" if part is None else getattr(part, "data", "") or ""


def kpi_review_panel(con, view: View, ctx: dict) -> Panel:
    """The KPI review dashboard's panel for the chosen brand, month, platforms and language."""
    page = page_for(con, view, ctx)
    posts = kpi_review.posts(page)
    report = kpi_review.report(page)
    notes = [_html(kpi_review.summary(page, report)), _html(line_page.review(page, report))]
    return Panel(
        t("page.kpi_review.title", view.lang),
        kpi_cards(page, CARDS["kpi_review"]),
        t("section.top_posts", view.lang),
        _html(kpi_review.top_posts(page, posts)),
        notes,
    )


def audience_panel(con, view: View, ctx: dict) -> Panel:
    """The audience dashboard's panel for the chosen brand, month, platforms and language."""
    page = page_for(con, view, ctx)
    notes = [_html(audience_page.personas(page))]
    return Panel(
        t("page.audience.title", view.lang),
        kpi_cards(page, CARDS["audience"]),
        t("section.demographic_change", view.lang),
        _html(audience_page.demographic_change(page)),
        notes,
    )


def _goal_cards(page: Page) -> list[dict]:
    status = _shared.goal_status(page)
    return [
        {
            "kpi": r.kpi,
            "name": narrative.goal_label(r.kpi, r.platforms, page.lang),
            "value": page.number(r.latest, r.unit),
            "note": f"{page.t('dashboard.target')} {page.number(r.target, r.unit)} · "
            f"{presentation.text(r.status, 'status', page.lang)}",
        }
        for r in status.itertuples()
    ]


def goal_setting_panel(con, view: View, ctx: dict) -> Panel:
    """The goal-setting dashboard's panel for the chosen brand, month and language."""
    page = page_for(con, view, ctx)
    notes = [] if page.goals else [_html(presentation.paragraph(page.t("dashboard.no_goals")))]
    return Panel(
        t("page.goal_setting.title", view.lang),
        _goal_cards(page),
        t("section.candidates", view.lang),
        _html(goal_setting.candidates(page)),
        notes,
    )


def retrospective_panel(con, view: View, ctx: dict) -> Panel:
    """The retrospective dashboard's panel for the chosen brand, month and language."""
    page = page_for(con, view, ctx)
    episodes, daily = reads.crisis(con, view.brand, view.month, platforms_of(view))
    cards = _goal_cards(page)
    cards.append(
        {
            "kpi": "crisis_episodes",
            "name": page.t("dashboard.episodes"),
            "value": page.number(len(episodes)),
            "note": "",
        }
    )
    notes = [
        _html(retrospective.summary(page, retrospective.executive_summary(page))),
        _html(crisis_page.summary(page, episodes, daily)),
        _html(line_page.broadcasts(page)),
    ]
    return Panel(
        t("page.retrospective.title", view.lang),
        cards,
        t("section.evidence", view.lang),
        _html(retrospective.comparisons(page)),
        notes,
    )


def competitors_panel(con, view: View, ctx: dict) -> Panel:
    """The competitor dashboard's panel: the brand's share of voice, rank and cadence (and the
    picked competitor's), the sentences on where it leads and trails, and the landscape table
    (narrowed to the picked competitor)."""
    page = page_for(con, view, ctx)
    bm = competitors_page.benchmark(page)
    if bm.empty:
        empty = _html(page.empty("competitors.empty", "competitors.empty_how"))
        return Panel(t("page.competitors.title", view.lang), notes=[empty])
    notes = [_html(competitors_page.summary(page, bm))]  # about every competitor, as on the page
    if view.competitor:
        keep = bm.table["is_brand"] | (bm.table["account"] == view.competitor)
        picked = bm.history["account"].isin([view.brand, view.competitor])
        bm = replace(bm, table=bm.table[keep], history=bm.history[picked])
    everything = bm.table[bm.table["platform"] == "all"].set_index("account")
    who = competitors_page.names(page)
    cards = [
        {
            "kpi": f"{measure}:{account}",
            "name": f"{who.get(account, account)} · {measure_name(measure, view.lang)}",
            "value": page.number(everything.at[account, column], unit),
            "note": "",
        }
        for account in [view.brand, view.competitor]
        if account in everything.index
        for measure, (column, unit) in list(HISTORY.items())[:2]
    ]
    median = everything["median"].get(view.brand)
    cards.append(
        {
            "kpi": "median_per_post",
            "name": t("col.median_per_post", view.lang),
            "value": page.number(median),
            "note": t("col.interval", view.lang)
            + " "
            + _shared.interval(
                page, everything["low"].get(view.brand), everything["high"].get(view.brand)
            ),
        }
    )
    return Panel(
        t("page.competitors.title", view.lang),
        cards,
        t("section.landscape", view.lang),
        _html(competitors_page.landscape(page, bm)),
        notes,
        bm.history,
    )


def calendar_panel(con, view: View, ctx: dict) -> Panel:
    """The content-calendar dashboard's panel: the month's plan counts as cards, the sentences
    of the page, and the month as a calendar grid (planned, published, missed marked)."""
    page = page_for(con, view, ctx)
    cal = calendar_page.content_calendar(page)
    title = t("page.calendar.title", view.lang)
    if cal.empty:
        return Panel(title, notes=[_html(page.empty("empty.plan", "empty.plan_how"))])
    c = cal.counts().iloc[0]
    cards = [
        {"kpi": k, "name": page.t(f"col.{k}"), "value": page.number(c[k], unit), "note": ""}
        for k, unit in (
            ("planned", "count"),
            ("on_time", "count"),
            ("late", "count"),
            ("missed", "count"),
            ("unplanned", "count"),
            ("adherence", "percent"),
        )
    ]
    grid = calendar_page.month_grid(page, view.month, calendar_page.month_entries(page, cal))
    return Panel(
        title,
        cards,
        t("section.calendar_month", view.lang),
        _html(grid),
        [_html(calendar_page.summary(page, cal))],
        calendar=cal,
    )


def calendar_chart(con, view: View, panel: Panel) -> alt.Chart:
    """The month's pillar mix, or its weeks (planned against published)."""
    if panel.calendar is None:
        return alt.Chart(pd.DataFrame({"x": []})).mark_point()
    page = open_page(con, view.brand, view.month, view.lang, platforms_of(view))
    if view.kpi == "cadence" or not panel.calendar.pillars:
        return calendar_page.cadence_chart(page, panel.calendar)
    return calendar_page.mix_chart(page, panel.calendar)


def experiments_panel(con, view: View, ctx: dict) -> Panel:
    """The experiments dashboard's panel: tests, finished, with a difference and running as
    cards, the page's sentence and one card per test with its verdict."""
    page = page_for(con, view, ctx)
    found = experiments_page.results(page)
    title = t("page.experiments.title", view.lang)
    if not found:
        return Panel(title, notes=[_html(experiments_page.summary(page, found))])
    done = [r for r in found if r.finished]
    counts = {
        "tests": len(found),
        "finished": len(done),
        "differences": sum(r.analysis.verdict == "difference" for r in done),
        "running": len(found) - len(done),
    }
    cards = [
        {"kpi": k, "name": page.t(f"col.{k}"), "value": page.number(n, "count"), "note": ""}
        for k, n in counts.items()
    ]
    return Panel(
        title,
        cards,
        t("section.experiments_month", view.lang),
        _html(experiments_page.cards(page, found)),
        [_html(experiments_page.summary(page, found))],
        tests=found,
    )


def experiments_chart(con, view: View, panel: Panel) -> alt.Chart:
    """Each finished test's effect with its interval."""
    page = open_page(con, view.brand, view.month, view.lang, platforms_of(view))
    chart = experiments_page.effects_chart(page, panel.tests or [])
    return chart if chart is not None else alt.Chart(pd.DataFrame({"x": []})).mark_point()


def money_panel(con, view: View, ctx: dict) -> Panel:
    """The budget and return dashboard's panel: the month's total cost, ad spend, other costs,
    budget and social ROI as cards, the budget lines as the table, the page's sentences."""
    page = page_for(con, view, ctx)
    found = money_page.month(page)
    title = t("page.money.title", view.lang)
    notes = [_html(money_page.summary(page, found))]
    if not found.has_data:
        return Panel(title, notes=notes)
    budget = found.lines["budget"].sum(min_count=1)
    figures = [
        ("total_cost", found.total, "currency"),
        ("ads_cost", found.ads_spend, "currency"),
        ("other_cost", found.other_costs, "currency"),
        ("budget_total", budget, "currency"),
        ("social_roi", found.roi, "percent"),
    ]
    cards = [
        {"kpi": k, "name": page.t(f"money.{k}"), "value": page.number(v, unit), "note": ""}
        for k, v, unit in figures
    ]
    notes += [_html(money_page.moves(page, found)), _html(money_page.returns(page, found))]
    return Panel(
        title,
        cards,
        t("section.money_budget", view.lang),
        _html(money_page.budget(page, found)) + _html(money_page.channels(page, found)),
        notes,
    )


def money_chart(con, view: View, panel: Panel) -> alt.Chart:
    """The chosen money KPI over the 13 months to the view's month (all ad platforms)."""
    from socialkpi.presentation import charts
    from socialkpi.reads.money import money_series

    months = [parse_period(view.month).shift(-i).label for i in range(12, -1, -1)]
    kpi_id = view.kpi if view.kpi in KPIS["money"] else KPIS["money"][0]
    series = money_series(con, view.brand, months, kpi_id).dropna()
    if series.empty:
        return alt.Chart(pd.DataFrame({"x": []})).mark_point()
    frame = pd.DataFrame({"period": series.index, "value": series.to_numpy()})
    return charts.trend(frame, kpi_id, view.lang)


def measure_name(measure: str, lang: str, chosen: str | None = None) -> str:
    """The KPI control's label: a KPI's name, or a competitor or calendar measure's name."""
    own = set(HISTORY) | set(KPIS["calendar"]) | set(KPIS["experiments"])  # not KPIs
    if measure in own and measure not in metrics.dictionary():
        return t(f"col.{measure}", lang)
    return narrative.kpi_name(measure, lang, chosen)


def competitor_chart(con, view: View, panel: Panel) -> alt.Chart:
    """The picked measure per account over the benchmark's 13 months."""
    column, unit = HISTORY.get(view.kpi, HISTORY["share_of_voice"])
    if panel.history is None or panel.history.empty:
        return alt.Chart(pd.DataFrame({"x": []})).mark_point()
    page = open_page(con, view.brand, view.month, view.lang, platforms_of(view))
    kpi_id = view.kpi if view.kpi in metrics.dictionary() else None
    name = measure_name(view.kpi, view.lang)
    return competitors_page.history_chart(page, panel.history, column, name, unit, kpi_id)


PANELS = {
    "goal_setting": goal_setting_panel,
    "audience": audience_panel,
    "kpi_review": kpi_review_panel,
    "retrospective": retrospective_panel,
    "competitors": competitors_panel,
    "calendar": calendar_panel,
    "experiments": experiments_panel,
    "money": money_panel,
}


def brand_platforms(con, brand: str) -> list[str]:
    """The platforms a brand has data on (the platform control offers only these)."""
    return sorted(store.freshness(con, brand))


def chart_for(kind: str, con, view: View, panel: Panel, months=None) -> alt.Chart:
    """The chart dashboard ``kind`` shows for a view: the competitor history, the calendar's,
    the tests' effects, or the KPI's 13-month trend (``months``: :func:`monthly`, if known)."""
    if kind == "competitors":
        return competitor_chart(con, view, panel)
    if kind == "calendar":
        return calendar_chart(con, view, panel)
    if kind == "experiments":
        return experiments_chart(con, view, panel)
    if kind == "money":
        return money_chart(con, view, panel)
    return trend(con, view, months if months is not None else monthly(con, view))


@cached(4)
def choices(con, only: set[str] | None = None) -> dict[str, list[str]]:
    """Brands, months (newest first), platforms and languages the store offers; with
    ``only``, those of these brands alone (a client's viewer learns nothing of the others)."""
    known = [b for b in reads.brands(con) if brands.is_valid(b) and (only is None or b in only)]
    where = "WHERE brand IN (SELECT unnest(?))"
    months = con.execute(
        f"""SELECT DISTINCT strftime(date, '%Y-%m') AS m FROM account_daily {where}
           UNION SELECT DISTINCT strftime(published_at, '%Y-%m') FROM posts {where}
           ORDER BY 1 DESC""",
        [known, known],
    ).fetchall()
    platforms = con.execute(
        f"SELECT DISTINCT platform FROM account_daily {where} "
        f"UNION SELECT DISTINCT platform FROM posts {where} ORDER BY 1",
        [known, known],
    ).fetchall()
    return {
        "brand": known,
        "competitor": sorted({c for b in known for c in store.competitors(con, b)}),
        "month": [m for (m,) in months],
        "platform": [p for (p,) in platforms],
        "lang": list(LANGS),
    }
