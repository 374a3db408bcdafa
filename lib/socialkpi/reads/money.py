"""A brand's month of money as the pages, the executive summary and the command line read it:
ad spend per channel and the cost ledger (converted into the brand's currency), against the
budget, with results, cost per result, ROAS as each platform reports it, social ROI from GA4,
and boosted against organic posts (``metrics.money`` holds every rule)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from socialkpi import store
from socialkpi.metrics import evidence, money
from socialkpi.reads import line as line_reads
from socialkpi.reads.posts import posts_of
from socialkpi.store import totals
from socialkpi.store.cache import cached

# the per-post KPIs boosted and organic posts are compared on
BOOSTED_KPIS = ("reach", "engagements")


@dataclass
class MonthMoney:
    """What a month cost, against what was budgeted, and what it returned."""

    month: str
    currency: str
    as_of: date | None  # the last day with spend data (pacing is measured to it)
    lines: pd.DataFrame  # line, category, channel, platform, spent, budget, projected, status ...
    channels: pd.DataFrame  # per ad channel: spend, impressions, clicks, CPM, CPC, CTR, ROAS
    results: pd.DataFrame  # per ad channel and result type: spend, results, cost per result
    ads_spend: float
    other_costs: float
    revenue: float  # GA4 revenue of sessions from social sources (NaN: not tracked)
    roi: float
    rates: list = field(default_factory=list)  # money.Rate used to convert
    moves: list = field(default_factory=list)  # money.BudgetMove, every comparable pair
    boosted: list = field(default_factory=list)  # evidence.Comparison, boosted vs the rest
    boosted_counts: dict = field(default_factory=dict)  # platform -> (boosted, organic) posts
    prorated: tuple = ()  # channels whose month was prorated from longer ranges
    has_data: bool = False
    budgeted: bool = False  # the brand has a budget file
    missing_rate: str | None = None  # a currency no rate converts (nothing else is said)
    line_quota: object = None  # metrics.line.Quota: LINE messages against the plan, where set

    @property
    def total(self) -> float:
        """Everything the month cost: ad spend and the ledger."""
        return self.ads_spend + self.other_costs


def load_or_none(path: str | Path | None, loader):
    """A budget or rates file at ``path``, or None when there is none."""
    return loader(path) if path and Path(path).exists() else None


def _ad_rows(con, brand: str, first: date, after: date) -> pd.DataFrame:
    sql = """SELECT * FROM ad_results WHERE brand = ? AND date < ?
             AND coalesce(date_end, date) >= ? ORDER BY ALL"""
    table = con.sql(sql, params=[brand, after, first]).to_arrow_table()
    return table.to_pandas() if table.num_rows else pd.DataFrame(columns=table.column_names)


def _cost_rows(con, brand: str, first: date, after: date) -> pd.DataFrame:
    sql = "SELECT * FROM costs WHERE brand = ? AND date >= ? AND date < ? ORDER BY ALL"
    table = con.sql(sql, params=[brand, first, after]).to_arrow_table()
    return table.to_pandas() if table.num_rows else pd.DataFrame(columns=table.column_names)


def _social_revenue(con, brand: str, first: date, after: date) -> float:
    web = totals.web_totals(con, brand, first, after)
    if web.empty or "revenue" not in web:
        return np.nan
    return float(pd.to_numeric(web["revenue"]).sum(min_count=1))


@cached(8)
def month_money(
    con,
    brand: str,
    month: str,
    budgets: money.BudgetsFile | None = None,
    rates: money.RatesFile | None = None,
    platforms=None,
) -> MonthMoney:
    """The brand's month of money (see :class:`MonthMoney`)."""
    settings = store.brand_settings(con, brand)
    currency = (budgets.currency if budgets else None) or settings["currency"] or "TWD"
    first, after = money.month_bounds(month)
    try:
        kept, channel_totals, costs, used = _month_sums(con, brand, month, currency, rates, budgets)
    except money.MoneyError as err:
        empty = pd.DataFrame()
        return MonthMoney(
            month,
            currency,
            None,
            empty,
            empty,
            empty,
            0.0,
            0.0,
            np.nan,
            np.nan,
            missing_rate=err.currency or "?",
        )
    budget = money.budget_for(budgets, month)
    lines = money.spend_by_line(budget, channel_totals, costs)
    as_of = _data_through(kept, after)
    through = dict(zip("ads:" + channel_totals["channel"], channel_totals["through"], strict=True))
    paced = [
        money.pacing(s, b, month, min(through.get(line, as_of), after - timedelta(days=1)))
        if as_of
        else {}
        for line, s, b in zip(lines["line"], lines["spent"], lines["budget"], strict=True)
    ]
    for key in ("projected", "status", "days_left", "days_gone"):
        lines[key] = [p.get(key, np.nan) for p in paced]
    channels = money.channel_figures(channel_totals)
    results = money.result_totals(kept)
    revenue = _social_revenue(con, brand, first, after)
    ads_spend = float(channels["spend"].sum()) if len(channels) else 0.0
    other = float(costs["amount"].sum()) if len(costs) else 0.0
    boosted, counts = _boosted(con, brand, month, platforms, settings)
    rates_used = list({(r.from_, r.to, r.month): r for r in used}.values())
    return MonthMoney(
        month=month,
        currency=currency,
        as_of=as_of,
        lines=lines,
        channels=channels,
        ads_spend=ads_spend,
        other_costs=other,
        revenue=revenue,
        roi=money.roi(revenue, ads_spend + other),
        rates=rates_used,
        results=results,
        moves=money.budget_moves(results),
        boosted=boosted,
        boosted_counts=counts,
        prorated=tuple(channel_totals.loc[channel_totals["prorated"].astype(bool), "channel"]),
        has_data=bool(len(kept) or len(costs)),
        budgeted=budgets is not None,
        line_quota=line_reads.quota(
            line_reads.month_line(con, brand, month), budgets.line_plan if budgets else None
        ),
    )


def _month_sums(con, brand: str, month: str, currency: str, rates, budgets=None):
    """The ad rows a month is summed from, the channels' totals, the costs (all in
    ``currency``: the ledger's, and a LINE Official Account's extra messages where the budget
    file gives its plan) and the rates used."""
    first, after = money.month_bounds(month)
    kept = money.ad_rows_for_totals(_ad_rows(con, brand, first, after), month)
    amounts = [c for c in ("spend", "conversion_value") if c in kept]
    kept, used_ads = money.convert(kept, amounts, currency, rates, month)
    costs, used_costs = money.convert(
        _cost_rows(con, brand, first, after), ["amount"], currency, rates, month
    )
    if budgets is not None and budgets.line_plan is not None:
        extra = line_reads.extra_cost_row(
            line_reads.month_line(con, brand, month), budgets.line_plan, currency
        )
        costs = pd.concat([costs, extra], ignore_index=True) if len(extra) else costs
    return kept, money.ad_totals(kept), costs, [*used_ads, *used_costs]


def paths(brand: str, budgets: str | Path = "", rates: str | Path = "") -> tuple[Path, Path]:
    """The budget and rates files a brand's money reads: those given, else
    ``data/budgets/<brand>.yaml`` and ``data/rates.yaml``."""
    from socialkpi.config import BUDGETS_DIR, RATES_FILE, brands

    return Path(budgets or brands.file_for(BUDGETS_DIR, brand)), Path(rates or RATES_FILE)


def defaults(brand: str, budgets: str | Path = "", rates: str | Path = "") -> tuple:
    """The brand's budget file and the rates file (:func:`paths`), None where there is none."""
    budget_path, rates_path = paths(brand, budgets, rates)
    return load_or_none(budget_path, money.load_budgets), load_or_none(rates_path, money.load_rates)


def brief(con, brand: str, month: str, platforms=None):
    """The month's money as the executive summary says it (``summary.MoneyBrief``), from the
    brand's budget and the rates files; None when the month has no costs (or one cannot be
    converted: the budget page says which)."""
    from socialkpi.metrics.summary import MoneyBrief

    plan, rates = defaults(brand)
    m = month_money(con, brand, month, plan, rates, platforms)
    if not m.has_data or m.missing_rate:
        return None
    off = m.lines[m.lines["status"].isin(["over", "under"])] if len(m.lines) else m.lines
    return MoneyBrief(
        total=m.total,
        budget=float(m.lines["budget"].sum(min_count=1)) if len(m.lines) else np.nan,
        ads=m.ads_spend,
        other=m.other_costs,
        roi=m.roi,
        revenue=m.revenue,
        currency=m.currency,
        pace=tuple(off.to_dict("records")),
        moves=tuple(x for x in m.moves if x.supported),
    )


def money_series(
    con, brand: str, months: list[str], kpi_id: str, rates: money.RatesFile | None = None
) -> pd.Series:
    """A money KPI's monthly values (all channels together), for pacing a cost goal like any
    goal and the dashboard's chart; a month without ad data or costs, or with an amount no
    rate converts, is left out. ``rates`` default: ``data/rates.yaml``."""
    plan, default_rates = defaults(brand)
    return _money_series(
        con, brand, months, kpi_id, plan, rates if rates is not None else default_rates
    )


@cached(8)
def _money_series(con, brand: str, months: list[str], kpi_id: str, plan, rates) -> pd.Series:
    """:func:`money_series` with the budget and rates files read (kept by their content: an
    edited file is a new key)."""
    currency = (
        (plan.currency if plan else None) or store.brand_settings(con, brand)["currency"] or "TWD"
    )
    values = {}
    for month in months:
        try:
            kept, channel_totals, costs, _ = _month_sums(con, brand, month, currency, rates, plan)
        except money.MoneyError:  # a currency without a rate: that month has no value
            continue
        if kept.empty and costs.empty:
            continue
        other = float(costs["amount"].sum()) if len(costs) else 0.0
        first, after = money.month_bounds(month)
        table = money.kpi_values(
            money.channel_figures(channel_totals), other, _social_revenue(con, brand, first, after)
        )
        hit = table[(table["channel"] == "all") & (table["kpi"] == kpi_id)]
        if len(hit) and pd.notna(hit["value"].iloc[0]):
            values[month] = float(hit["value"].iloc[0])
    return pd.Series(values, dtype="float64")


def _data_through(ads: pd.DataFrame, after: date) -> date | None:
    """The last day of the month the ad data reaches (the ledger's lines are often dated at
    the start of a month, so they say nothing about how far the month has run)."""
    if ads.empty:
        return None
    last = pd.to_datetime(ads["date_end"].fillna(ads["date"])).max().date()
    return min(last, after - timedelta(days=1))


def _boosted(con, brand: str, month: str, platforms, settings) -> tuple[list, dict]:
    """Boosted posts against organic ones, per platform whose export says which is which."""
    zone = settings["timezone"] or store.brand_timezone(con, brand)
    posts = posts_of(con, brand, month, platforms, zone)
    if posts.empty or "paid" not in posts or posts["paid"].isna().all():
        return [], {}
    out, counts = [], {}
    for platform, group in posts[posts["paid"].notna()].groupby("platform", sort=True):
        paid = group["paid"].astype(bool)
        if not paid.any():
            continue
        counts[platform] = (int(paid.sum()), int((~paid).sum()))
        frame = group.assign(boosted=np.where(paid, "boosted", "organic"))
        for kpi_id in BOOSTED_KPIS:
            if kpi_id in frame:
                found = evidence.compare(frame, "boosted", kpi_id, platform=platform)
                out += [c for c in found if c.group == "boosted"]
    return out, counts
