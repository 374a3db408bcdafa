"""The budget and return page (SOP: KPI setting's conversion and ROI, operations planning's
budget split, weighing what each platform returns): what the month cost against the budget,
what the ads bought, boosted against organic posts, and the return with its attribution."""

from __future__ import annotations

import pandas as pd

from socialkpi import presentation
from socialkpi.metrics import money
from socialkpi.presentation import Col, charts
from socialkpi.presentation.page import Page
from socialkpi.reads import money as money_reads
from socialkpi.words import i18n


def month(page: Page, budgets: str = "", rates: str = "") -> money_reads.MonthMoney:
    """The page's month of money; ``budgets`` "" is ``data/budgets/<brand>.yaml`` and
    ``rates`` "" is ``data/rates.yaml`` (either may be missing)."""
    plan, table = money_reads.defaults(page.brand, budgets, rates)
    found = money_reads.month_money(page.con, page.brand, page.month, plan, table, page.platforms)
    _record(page, found)
    return found


def _record(page: Page, m: money_reads.MonthMoney) -> None:
    """Every money figure the page shows, for the bundle's consistency check."""
    values = money.kpi_values(m.channels, m.other_costs, m.revenue)
    for row in values[values["channel"] == "all"].itertuples():
        page.figures.add(row.kpi, (), page.month, row.value, where="money")


def _line_name(page: Page, row) -> str:
    category = presentation.text(row.category, "cost_category", page.lang)
    if isinstance(row.channel, str):
        return presentation.text(row.channel, "channel", page.lang)
    if isinstance(row.platform, str):
        return f"{category} · {presentation.text(row.platform, 'platform', page.lang)}"
    return category


def summary(page: Page, m: money_reads.MonthMoney):
    """The month's spend in one sentence (against the budget where there is one), how far the
    data runs, the lines off pace, and the conversions the figures went through."""
    if m.missing_rate:
        return presentation.paragraph(
            page.t("money.no_rate", currency=m.missing_rate, month=page.month)
        )
    if not m.has_data:
        return page.empty("money.empty", "money.empty_how")
    when = presentation.date(page.month, page.lang, "month")
    budget = float(m.lines["budget"].sum(min_count=1)) if len(m.lines) else float("nan")
    values = {
        "month": when,
        "total": page.number(m.total, "currency"),
        "ads": page.number(m.ads_spend, "currency"),
        "other": page.number(m.other_costs, "currency"),
    }
    if pd.notna(budget) and budget > 0:
        head = page.t(
            "money.headline_budget",
            budget=page.number(budget, "currency"),
            share=page.number(m.total / budget, "share"),
            **values,
        )
    else:
        head = page.t("money.headline", **values)
    lines = [head]
    if m.as_of is not None:
        lines.append(page.t("money.through", day=presentation.date(m.as_of, page.lang)))
    for row in m.lines.itertuples():
        if row.status in ("over", "under"):
            done = "_done" if row.days_left == 0 else ""  # the month is over: what it spent
            lines.append(
                page.t(
                    f"money.{row.status}{done}",
                    line=_line_name(page, row),
                    projected=page.number(row.projected, "currency"),
                    budget=page.number(row.budget, "currency"),
                    days=page.number(row.days_left),
                )
            )
    if m.prorated:
        names = page.t("word.and").join(
            presentation.text(c, "channel", page.lang) for c in m.prorated
        )
        lines.append(page.t("money.prorated", channels=names))
    for rate in m.rates:
        key = "money.rate" if rate.source else "money.rate_plain"
        lines.append(
            page.t(
                key,
                source=rate.from_,
                target=rate.to,
                rate=page.number(rate.rate, "number"),
                note=rate.source,
            )
        )
    if not m.budgeted:
        lines.append(page.t("money.no_budget"))
    return presentation.sentences(lines)


def budget(page: Page, m: money_reads.MonthMoney):
    """Spent, projected and budgeted per budget line, with the pace and the days left."""
    if not m.has_data:
        return None
    frame = m.lines.assign(name=[_line_name(page, r) for r in m.lines.itertuples()])
    cols = [
        Col("name", "money.col_line"),
        Col("spent", "money.col_spent", "currency"),
        Col("budget", "money.col_budget", "currency", "missing.no_budget"),
        Col("projected", "money.col_projected", "currency"),
        Col("status", "money.col_pace", "pace"),
        Col("days_left", "money.col_days_left", "count"),
    ]
    return page.table(frame, cols)


def budget_chart(page: Page, m: money_reads.MonthMoney):
    """Spent, projected and budget per line as side-by-side bars."""
    if not m.has_data or m.lines.empty:
        return None
    rows = []
    for r in m.lines.itertuples():
        name = _line_name(page, r)
        for series, value in (("spent", r.spent), ("projected", r.projected), ("budget", r.budget)):
            if pd.notna(value):
                rows.append(
                    {
                        "label": name,
                        "series": page.t(f"money.series_{series}"),
                        "value": round(float(value)),
                    }
                )
    return charts.grouped(pd.DataFrame(rows), page.t("money.chart_budget"), "count", page.lang)


def _attribution_words(page: Page, value: object) -> str:
    """An attribution setting in the page's language (a known one), else as the export wrote it."""
    if not isinstance(value, str) or not value:
        return page.t("money.roas_default")
    return "; ".join(
        presentation.text(v.strip(), "attribution", page.lang) for v in value.split(";")
    )


def _result_word(page: Page, value: object) -> str:
    if not isinstance(value, str) or not value:
        return presentation.DASH
    return presentation.text(value.split(":")[-1].replace(".", "_"), "result_type", page.lang)


def channels(page: Page, m: money_reads.MonthMoney):
    """Per ad platform: spend, impressions, CPM, CPC, paid CTR and ROAS as the platform
    reports it, with its attribution setting; then per platform and result type the results
    and the cost per result with its interval (results of two types never add up)."""
    if m.channels.empty:
        return None
    delivery = m.channels.assign(
        attribution=[_attribution_words(page, v) for v in m.channels["attribution"]],
        roas=m.channels["roas_total"],
    )
    cols = [
        Col("channel", "money.col_channel", "channel"),
        Col("spend", "money.col_spend", "currency"),
        Col("impressions", "money.col_impressions", "count"),
        Col("cpm", "money.col_cpm", "currency"),
        Col("cpc", "money.col_cpc", "currency"),
        Col("ctr", "money.col_ctr", "percent"),
        Col("roas", "money.col_roas", "ratio", "missing.no_conversion_value"),
        Col("attribution", "money.col_attribution"),
    ]
    parts = [page.table(delivery, cols)]
    if len(m.results):
        found = m.results.assign(kind=[_result_word(page, v) for v in m.results["result_type"]])
        result_cols = [
            Col("channel", "money.col_channel", "channel"),
            Col("kind", "money.col_result_type"),
            Col("spend", "money.col_spend", "currency"),
            Col("results", "money.col_results", "number"),
            Col("cpr", "money.col_cpr", "currency", "missing.no_results"),
            Col("cpr_low", "money.col_cpr_low", "currency", "missing.no_results"),
            Col("cpr_high", "money.col_cpr_high", "currency", "missing.no_results"),
        ]
        parts += [page.table(found, result_cols), presentation.paragraph(page.t("money.cpr_note"))]
    return presentation.join(*parts)


def moves(page: Page, m: money_reads.MonthMoney):
    """Budget between platforms: advised only for the same result type, with enough results
    on both sides and an interval of the ratio above 1; otherwise said to be no advice."""
    if m.channels.empty:
        return None
    if not m.moves:
        return presentation.paragraph(page.t("money.no_move"))
    lines = []
    for move in m.moves:
        key = "money.move" if move.supported else "money.move_candidate"
        lines.append(
            page.t(
                key,
                better=presentation.text(move.better, "channel", page.lang),
                worse=presentation.text(move.worse, "channel", page.lang),
                kind=_result_word(page, move.result_type),
                currency=m.currency,
                ratio=page.number(move.ratio, "number"),
                low=page.number(move.low, "number"),
                high=page.number(move.high, "number"),
                results_better=page.number(move.results_better),
                results_worse=page.number(move.results_worse),
            )
        )
    return presentation.sentences(lines)


def boosted(page: Page, m: money_reads.MonthMoney):
    """Boosted posts against organic posts of the same platform, per post, with the interval
    and the evidence rule of every content comparison."""
    if not m.boosted:
        return presentation.paragraph(page.t("money.no_boosted"))
    rows = []
    for c in m.boosted:
        verdict = "supported" if c.supported else ("not_supported" if c.enough_posts else "too_few")
        rows.append(
            {
                "platform": c.platform,
                "kpi": i18n.word("component", c.metric, page.lang),
                "n": c.n,
                "n_rest": c.n_rest,
                "median": c.median,
                "median_rest": c.median_rest,
                "low": c.low,
                "high": c.high,
                "verdict": page.t(f"money.{verdict}"),
            }
        )
    cols = [
        Col("platform", "money.col_platform", "platform"),
        Col("kpi", "money.col_kpi"),
        Col("n", "money.col_boosted", "count"),
        Col("n_rest", "money.col_organic", "count"),
        Col("median", "money.col_median_boosted", "count"),
        Col("median_rest", "money.col_median_organic", "count"),
        Col("low", "money.col_low", "count"),
        Col("high", "money.col_high", "count"),
        Col("verdict", "money.col_verdict"),
    ]
    return presentation.join(
        page.table(pd.DataFrame(rows), cols),
        presentation.paragraph(page.t("money.boosted_note")),
    )


def returns(page: Page, m: money_reads.MonthMoney):
    """Social ROI from GA4 revenue against all costs, with its attribution caveat, and the
    ad platforms' own ROAS caveat."""
    if not m.has_data:
        return None
    if pd.isna(m.revenue):
        lines = [page.t("money.roi_no_revenue")]
    elif not m.total:
        lines = [page.t("money.roi_no_cost")]
    else:
        lines = [
            page.t(
                "money.roi",
                roi=page.number(m.roi, "percent"),
                revenue=page.number(m.revenue, "currency"),
                cost=page.number(m.total, "currency"),
            )
        ]
    settings = sorted(
        {
            _attribution_words(page, a)
            for a in m.channels.get("attribution", pd.Series(dtype=object)).dropna()
        }
    )
    lines.append(
        page.t(
            "money.roas_note",
            attribution=page.t("word.and").join(settings) or page.t("money.roas_default"),
        )
    )
    return presentation.sentences(lines)
