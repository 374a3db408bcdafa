"""Money: what a month cost (ad platforms' spend and the cost ledger), against the budget,
what it bought (results, cost per result with an interval), and what it returned (ROAS as each
ad platform reports it, social ROI from GA4 revenue), each figure naming its source.

The budget is a reviewable YAML file per brand (``data/budgets/<brand>.yaml``)::

    brand: lumi_tea
    currency: TWD
    lines:
      - {category: ads, channel: meta_ads, monthly: 45000}
      - {category: kol, platform: instagram, monthly: 20000, months: [2026-10, 2026-11]}

Other currencies are converted with a rates file (``data/rates.yaml``)::

    rates:
      - {from: USD, to: TWD, rate: 32.5, month: 2026-10, source: "Bank of Taiwan, 2026-10-31"}

Rules, one place each:

- an ad platform's month is summed from one level (the coarsest it has: account, campaign,
  ad set, ad), from rows without a breakdown (else from the segments of one breakdown), from
  daily rows where there are any; a row whose reporting range reaches past the month counts
  the share of its days inside it (and the page says the month was prorated);
- a cost per result rests on a count of results, so it carries an exact Poisson interval;
- moving budget between channels is advised only for the same result type, with enough
  results on both sides and an interval of the rate ratio that excludes 1;
- ROI with no cost is not computable (never infinite).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from socialkpi.config import PLATFORMS
from socialkpi.config.checked import read_checked
from socialkpi.store.schema import AD_CHANNELS, AD_LEVELS, COST_CATEGORIES

LEVEL = 0.95
MIN_RESULTS = 20  # results each side of a budget comparison needs before it is advice
PACE_BAND = 0.10  # projected spend within 10% of the budget is on pace
AD_SUMS = (
    "spend",
    "impressions",
    "clicks",
    "link_clicks",
    "results",
    "conversions",
    "conversion_value",
    "engagements",
    "follows",
    "video_views",
)


class MoneyError(ValueError):
    """A budget or rates file that cannot be used, or an amount that cannot be converted
    (``currency``: the code no rate converts)."""

    def __init__(self, message: str, currency: str | None = None):
        super().__init__(message)
        self.currency = currency


def _one_of(value: str | None, allowed: tuple[str, ...], noun: str) -> str | None:
    """``value`` if it is one of ``allowed`` (or None), else a ValueError naming them."""
    if value is not None and value not in allowed:
        raise ValueError(f"unknown {noun} {value!r}; use {', '.join(allowed)}")
    return value


class BudgetLine(BaseModel):
    """One line of a budget: a category, optionally one ad channel or platform, per month."""

    model_config = ConfigDict(extra="forbid")
    category: str
    channel: str | None = None
    platform: str | None = None
    monthly: float = Field(ge=0)
    months: list[str] = []  # YYYY-MM; empty: every month

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return _one_of(value, COST_CATEGORIES, "category")

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        return _one_of(value, AD_CHANNELS, "ad channel")

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str | None) -> str | None:
        return _one_of(value, PLATFORMS, "platform")

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[str]) -> list[str]:
        for month in value:
            try:
                date.fromisoformat(f"{month}-01")
            except ValueError:
                raise ValueError(f"{month!r} is not a month; write YYYY-MM") from None
        return value

    @model_validator(mode="after")
    def _where(self):
        if self.channel and self.category != "ads":
            raise ValueError("a channel (an ad platform) goes with category ads")
        if self.channel and self.platform:
            raise ValueError("give a channel (ad platform) or a platform, not both")
        return self

    @property
    def line(self) -> str:
        """The line's id: ``ads:meta_ads``, ``kol:instagram``, ``content_production``."""
        return ":".join(p for p in (self.category, self.channel or self.platform) if p)


class LinePlan(BaseModel):
    """A LINE Official Account's plan: the messages it includes each month and the price of
    an extra one (none: the plan sells no extra messages). The monthly fee belongs in the cost
    ledger like any tool's."""

    model_config = ConfigDict(extra="forbid")
    name: str = ""
    free_messages: int = Field(ge=0)
    extra_message_price: float | None = Field(default=None, ge=0)


class BudgetsFile(BaseModel):
    """A brand's budget file."""

    model_config = ConfigDict(extra="forbid")
    brand: str
    currency: str = "TWD"
    lines: list[BudgetLine]
    line_plan: LinePlan | None = None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha() or not value.isupper():
            raise ValueError(f"{value!r} is not an ISO 4217 code such as TWD or USD")
        return value

    @model_validator(mode="after")
    def _once(self):
        seen: dict[tuple[str, str], int] = {}
        for i, line in enumerate(self.lines):
            for month in line.months or ["*"]:
                if (line.line, month) in seen:
                    raise ValueError(
                        f"lines[{i}] budgets {line.line} for {month} again "
                        f"(lines[{seen[line.line, month]}] already does)"
                    )
                seen[line.line, month] = i
        return self


def load_budgets(path: str | Path) -> BudgetsFile:
    """A budget file, checked (every problem by its field path)."""
    return read_checked(path, BudgetsFile, MoneyError, "budget file")


def budget_for(budgets: BudgetsFile | None, month: str) -> pd.DataFrame:
    """The month's budget lines: line, category, channel, platform, budget. A line naming
    ``month`` wins over the every-month line of the same id."""
    cols = ["line", "category", "channel", "platform", "budget"]
    if budgets is None:
        return pd.DataFrame(columns=cols)
    chosen: dict[str, BudgetLine] = {}
    for line in budgets.lines:
        if month in line.months or (not line.months and line.line not in chosen):
            chosen[line.line] = line
    rows = [[b.line, b.category, b.channel, b.platform, float(b.monthly)] for b in chosen.values()]
    return pd.DataFrame(rows, columns=cols)


class Rate(BaseModel):
    """One exchange rate: 1 ``from`` is ``rate`` ``to``, for a month or any month."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: str = Field(alias="from")
    to: str
    rate: float = Field(gt=0)
    month: str | None = None
    source: str = ""

    @field_validator("from_", "to")
    @classmethod
    def _code(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise ValueError(f"{value!r} is not an ISO 4217 code such as TWD or USD")
        return value.upper()


class RatesFile(BaseModel):
    """The exchange rates a brand's money is converted with."""

    model_config = ConfigDict(extra="forbid")
    rates: list[Rate]


def load_rates(path: str | Path) -> RatesFile:
    """A rates file, checked."""
    return read_checked(path, RatesFile, MoneyError, "rates file")


def rate_for(rates: RatesFile | None, source: str, target: str, month: str) -> Rate | None:
    """The rate converting ``source`` into ``target`` in ``month``: the month's own rate, else
    one without a month; None when the file has neither."""
    if source == target:
        return Rate(**{"from": source, "to": target, "rate": 1.0, "source": ""})
    found = [
        r
        for r in (rates.rates if rates else [])
        if r.from_ == source and r.to == target and r.month in (month, None)
    ]
    found.sort(key=lambda r: r.month is None)
    return found[0] if found else None


def convert(
    frame: pd.DataFrame, amounts: list[str], currency: str, rates: RatesFile | None, month: str
) -> tuple[pd.DataFrame, list[Rate]]:
    """``frame``'s ``amounts`` columns in ``currency`` (rows carry theirs in ``currency``;
    blank: already the brand's), and the rates used. A currency without a rate is a
    MoneyError naming it and the file to add it to."""
    out = frame.copy()
    if out.empty:
        return out, []
    given = out["currency"].astype("string").fillna(currency).str.upper()
    used = []
    factors = pd.Series(1.0, index=out.index)
    for code in sorted(set(given)):
        rate = rate_for(rates, code, currency, month)
        if rate is None:
            raise MoneyError(
                f"amounts in {code} for {month}, but no rate converts {code} to {currency}: "
                f"add '- {{from: {code}, to: {currency}, rate: ..., month: {month}, source: ...}}' "
                "to data/rates.yaml",
                code,
            )
        if code != currency:
            used.append(rate)
        factors[given == code] = rate.rate
    for col in amounts:
        out[col] = out[col].astype("float64") * factors
    out["currency"] = currency
    return out, used


def month_bounds(month: str) -> tuple[date, date]:
    """The first day of ``month`` and the first day after it."""
    first = date.fromisoformat(f"{month}-01")
    days = calendar.monthrange(first.year, first.month)[1]
    return first, first + timedelta(days=days)


def ad_rows_for_totals(ads: pd.DataFrame, month: str) -> pd.DataFrame:
    """The ad rows a month's totals are summed from, each with ``share``: the part of its
    reporting range inside the month (1 for a day in it). Per channel: one level (the
    coarsest present), rows without a breakdown (else the segments of one breakdown), and its
    daily rows where it has any (so overlapping files never count a day twice)."""
    first, after = month_bounds(month)
    cols = [*ads.columns, "share"]
    if ads.empty:
        return pd.DataFrame(columns=cols)
    start = pd.to_datetime(ads["date"]).dt.date
    end = pd.to_datetime(ads["date_end"].fillna(ads["date"])).dt.date
    inside = [
        max(0, (min(e, after - timedelta(1)) - max(s, first)).days + 1)
        for s, e in zip(start, end, strict=True)
    ]
    span = [(e - s).days + 1 for s, e in zip(start, end, strict=True)]
    rows = ads.assign(
        share=np.array(inside, float) / np.maximum(np.array(span, float), 1),
        _daily=[s == e for s, e in zip(start, end, strict=True)],
    )
    rows = rows[rows["share"] > 0]
    kept = []
    for _, group in rows.groupby("channel", sort=True):
        level = min(group["level"], key=AD_LEVELS.index)
        group = group[group["level"] == level]
        plain = group[group["breakdown"].fillna("") == ""]
        if plain.empty:
            plain = group[group["breakdown"] == sorted(group["breakdown"].unique())[0]]
        if plain["_daily"].any():
            plain = plain[plain["_daily"]]
        kept.append(plain)
    if not kept:
        return pd.DataFrame(columns=cols)
    return pd.concat(kept, ignore_index=True).drop(columns="_daily")


def ad_totals(rows: pd.DataFrame) -> pd.DataFrame:
    """Per channel: the month's sums of :data:`AD_SUMS` (each row weighted by its share),
    the result type when one type is reported (else "mixed"; conversions where a platform
    reports no results), whether the month was prorated, the attribution setting the
    platform reported and the last day its rows reach."""
    cols = ["channel", *AD_SUMS, "result_type", "prorated", "attribution", "through"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    out = []
    for channel, group in rows.groupby("channel", sort=True):
        row = {"channel": channel}
        for col in AD_SUMS:
            values = group[col].astype("float64") * group["share"] if col in group else None
            row[col] = float(values.sum(min_count=1)) if values is not None else np.nan
        types = sorted(set(group["result_type"].dropna()) - {""}) if "result_type" in group else []
        row["result_type"] = types[0] if len(types) == 1 else ("mixed" if types else None)
        if pd.isna(row["results"]) and pd.notna(row["conversions"]):
            # Google, TikTok and LinkedIn report conversions where Meta reports results
            row["results"], row["result_type"] = row["conversions"], "conversions"
        row["through"] = pd.to_datetime(group["date_end"].fillna(group["date"])).max().date()
        row["prorated"] = bool((group["share"] < 1).any())
        settings = (
            sorted(set(group["attribution"].dropna()) - {""}) if "attribution" in group else []
        )
        row["attribution"] = "; ".join(settings) or None
        out.append(row)
    return pd.DataFrame(out, columns=cols)


def result_totals(rows: pd.DataFrame) -> pd.DataFrame:
    """Per channel and result type: the spend of the rows reporting that type, their results
    and the cost per result with its interval. Results of different types are never added
    (Meta's Results counts purchases on one row and link clicks on the next); a platform
    that reports conversions instead of results counts them as its results.

    >>> rows = pd.DataFrame({"channel": ["meta_ads"] * 3, "share": 1.0, "spend": [100.0, 300.0, 50.0],
    ...     "results": [10.0, 30.0, None], "result_type": ["link_click", "link_click", None],
    ...     "conversions": None})
    >>> result_totals(rows)[["channel", "result_type", "spend", "results", "cpr"]].values.tolist()
    [['meta_ads', 'link_click', 400.0, 40.0, 10.0]]
    """
    cols = ["channel", "result_type", "spend", "results", "cpr", "cpr_low", "cpr_high"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    frame = rows.copy()
    share = frame["share"].astype(float)
    results = pd.to_numeric(frame.get("results"), errors="coerce")
    conversions = pd.to_numeric(frame.get("conversions"), errors="coerce")
    kind = frame.get("result_type", pd.Series(None, index=frame.index)).astype("string")
    from_conversions = results.isna() & conversions.notna()
    frame["results"] = results.where(~from_conversions, conversions) * share
    frame["result_type"] = kind.where(~from_conversions, "conversions")
    frame["spend"] = frame["spend"].astype(float) * share
    frame = frame[
        frame["results"].notna() & frame["result_type"].notna() & (frame["result_type"] != "")
    ]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    out = frame.groupby(["channel", "result_type"], as_index=False)[["spend", "results"]].sum()
    found = [cost_per_result(s, r) for s, r in zip(out["spend"], out["results"], strict=True)]
    out["cpr"] = [f["value"] for f in found]
    out["cpr_low"] = [f["low"] for f in found]
    out["cpr_high"] = [f["high"] for f in found]
    return out[cols]


def poisson_interval(count: float, level: float = LEVEL) -> tuple[float, float]:
    """An exact (Garwood) interval for the mean of a Poisson count.

    >>> low, high = poisson_interval(0)
    >>> low, round(high, 3)
    (0.0, 3.689)
    """
    from scipy.stats import chi2

    tail = (1 - level) / 2
    k = float(count)
    low = 0.0 if k <= 0 else chi2.ppf(tail, 2 * k) / 2
    return float(low), float(chi2.ppf(1 - tail, 2 * k + 2) / 2)


def cost_per_result(spend: float, results: float, level: float = LEVEL) -> dict:
    """Spend per result with an interval from the results' Poisson interval: ``value``,
    ``low``, ``high`` (NaN where not computable: no spend, or no results).

    >>> r = cost_per_result(1000, 50)
    >>> r["value"], round(r["low"], 1), round(r["high"], 1)
    (20.0, 15.2, 26.9)
    """
    if not spend or pd.isna(spend) or pd.isna(results) or results <= 0:
        return {"value": np.nan, "low": np.nan, "high": np.nan}
    low, high = poisson_interval(round(results), level)
    return {"value": spend / results, "low": spend / high, "high": spend / low if low else np.nan}


def rate_ratio(results_a, spend_a, results_b, spend_b, level: float = LEVEL) -> dict:
    """Results per unit of spend on A against B: the ratio and an exact interval
    (conditional on the total, A's share of results is binomial; Clopper-Pearson).

    >>> r = rate_ratio(60, 1000, 30, 1000)
    >>> r["ratio"], r["low"] > 1
    (2.0, True)
    """
    from scipy.stats import beta

    a, b = round(results_a), round(results_b)
    if spend_a <= 0 or spend_b <= 0 or a + b == 0:
        return {"ratio": np.nan, "low": np.nan, "high": np.nan}
    tail, n = (1 - level) / 2, a + b
    p_low = 0.0 if a == 0 else beta.ppf(tail, a, n - a + 1)
    p_high = 1.0 if a == n else beta.ppf(1 - tail, a + 1, n - a)
    scale = spend_b / spend_a

    def odds(p):
        return p / (1 - p) * scale if p < 1 else np.inf

    ratio = (a / spend_a) / (b / spend_b) if b else np.inf
    return {"ratio": float(ratio), "low": float(odds(p_low)), "high": float(odds(p_high))}


@dataclass(frozen=True)
class BudgetMove:
    """Evidence for moving budget from one channel to another (same result type)."""

    better: str
    worse: str
    result_type: str
    results_better: float
    results_worse: float
    ratio: float
    low: float
    high: float

    @property
    def supported(self) -> bool:
        """Enough results on both sides and an interval above 1."""
        enough = min(self.results_better, self.results_worse) >= MIN_RESULTS
        return enough and self.low > 1


def budget_moves(results: pd.DataFrame) -> list[BudgetMove]:
    """Every pair of channels reporting the same result type (:func:`result_totals`), the
    better first, with the rate ratio's interval; :attr:`BudgetMove.supported` says whether
    it is advice."""
    usable = results[(results["spend"] > 0) & results["results"].notna()]
    out = []
    for kind, group in usable.groupby("result_type", sort=True):
        rows = group.to_dict("records")
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if a["channel"] == b["channel"]:
                    continue
                per_a, per_b = a["results"] / a["spend"], b["results"] / b["spend"]
                better, worse = (a, b) if per_a >= per_b else (b, a)
                r = rate_ratio(better["results"], better["spend"], worse["results"], worse["spend"])
                out.append(
                    BudgetMove(
                        better["channel"],
                        worse["channel"],
                        kind,
                        better["results"],
                        worse["results"],
                        r["ratio"],
                        r["low"],
                        r["high"],
                    )
                )
    return out


def pacing(spent: float, budget: float, month: str, as_of: date) -> dict:
    """Spend against a month's budget as of ``as_of`` (the last day with data): days gone and
    left, the month-end projection at the pace so far, and the status (``over``, ``under``,
    ``on-pace``; ``no-budget`` without one). A month that is over is projected as spent.

    >>> p = pacing(4000, 10000, "2026-09", date(2026, 9, 10))
    >>> p["days_gone"], p["days_left"], p["projected"], p["status"]
    (10, 20, 12000.0, 'over')
    """
    first, after = month_bounds(month)
    days = (after - first).days
    gone = min(max((as_of - first).days + 1, 0), days)
    projected = spent if gone >= days else (spent / gone * days if gone else np.nan)
    if not budget or pd.isna(budget):
        status = "no-budget"
    elif pd.isna(projected):
        status = "no-data"
    elif projected > budget * (1 + PACE_BAND):
        status = "over"
    elif projected < budget * (1 - PACE_BAND):
        status = "under"
    else:
        status = "on-pace"
    return {
        "spent": float(spent),
        "budget": float(budget) if budget else np.nan,
        "days_gone": gone,
        "days_left": days - gone,
        "projected": float(projected),
        "status": status,
    }


def roi(revenue: float, cost: float) -> float:
    """(revenue - cost) / cost; NaN (not computable) without revenue or cost.

    >>> roi(15000, 10000), bool(np.isnan(roi(500, 0)))
    (0.5, True)
    """
    if pd.isna(revenue) or pd.isna(cost) or cost <= 0:
        return np.nan
    return (float(revenue) - float(cost)) / float(cost)


def channel_figures(ad_totals: pd.DataFrame) -> pd.DataFrame:
    """Per channel: its sums (:func:`ad_totals`) with cost per result and its interval, CPM,
    CPC (per link click where reported, else per click), CTR and ROAS from conversion value."""
    out = ad_totals.copy()
    if out.empty:
        return out.assign(cpr=[], cpr_low=[], cpr_high=[], cpm=[], cpc=[], ctr=[], roas_total=[])
    intervals = [cost_per_result(s, r) for s, r in zip(out["spend"], out["results"], strict=True)]
    out["cpr"] = [i["value"] for i in intervals]
    out["cpr_low"] = [i["low"] for i in intervals]
    out["cpr_high"] = [i["high"] for i in intervals]
    spend, impressions = out["spend"].astype(float), out["impressions"].astype(float)
    clicks = out["link_clicks"].astype(float).where(out["link_clicks"].notna(), out["clicks"])
    out["cpm"] = (spend / impressions * 1000).where(impressions > 0)
    out["cpc"] = (spend / clicks).where(clicks > 0)
    out["ctr"] = (clicks / impressions).where(impressions > 0)
    value = out["conversion_value"].astype(float)
    out["roas_total"] = (value / spend).where((spend > 0) & value.notna())
    return out


def spend_by_line(budget: pd.DataFrame, ads: pd.DataFrame, costs: pd.DataFrame) -> pd.DataFrame:
    """Spent per budget line (``budget_for``), from the channels' ad totals and the ledger's
    costs; a channel or category with spend but no line gets a line without a budget. A line
    for a whole category (``kol``) covers that category's platforms that have no line of their own."""
    spent: dict[str, float] = {}
    meta: dict[str, tuple] = {}
    for channel, value in ads.groupby("channel")["spend"].sum().items():
        spent[f"ads:{channel}"] = float(value)
        meta[f"ads:{channel}"] = ("ads", channel, None)
    for (category, platform), group in costs.groupby(
        [costs["category"], costs["platform"].fillna("")], dropna=False
    ):
        key = f"{category}:{platform}" if platform else str(category)
        spent[key] = spent.get(key, 0.0) + float(group["amount"].sum())
        meta[key] = (category, None, platform or None)
    rows = []
    budgeted = {r.line: r for r in budget.itertuples()}
    # a budget line for a category without a platform covers that category's platform lines
    for line in sorted(set(spent) | set(budgeted)):
        if line in budgeted:
            b = budgeted[line]
            covered = [
                k
                for k in spent
                if k == line or (":" not in line and k.startswith(line + ":") and k not in budgeted)
            ]
            rows.append(
                [line, b.category, b.channel, b.platform, sum(spent[k] for k in covered), b.budget]
            )
        elif not any(line.startswith(p + ":") for p in budgeted if ":" not in p):
            category, channel, platform = meta[line]
            rows.append([line, category, channel, platform, spent[line], np.nan])
    return pd.DataFrame(
        rows, columns=["line", "category", "channel", "platform", "spent", "budget"]
    )


def _ratio(num, den, scale: float = 1.0) -> float:
    num, den = pd.to_numeric(num, errors="coerce"), pd.to_numeric(den, errors="coerce")
    if pd.isna(num) or pd.isna(den) or den == 0:
        return np.nan
    return float(num) / float(den) * scale


def kpi_values(
    channels: pd.DataFrame, other_costs: float = 0.0, revenue: float = np.nan
) -> pd.DataFrame:
    """The money KPIs (``metrics.yaml``, source ad_results / costs) per channel and for
    ``all``: channel, kpi, value. Ratios are ratios of sums over the channels reporting
    both parts; spend on ``all`` includes the ledger's costs; social ROI exists on ``all``.
    Cost per result needs one result type (``result_type``): a channel reporting several,
    or channels reporting different ones, have none.

    >>> ch = pd.DataFrame({"channel": ["meta_ads", "google_ads"], "spend": [1000.0, 3000.0],
    ...     "impressions": [50000, 100000], "link_clicks": [500, None], "clicks": [900, 1500],
    ...     "results": [40, 60], "engagements": [2000, None], "follows": [50, None],
    ...     "conversion_value": [None, 9000.0], "result_type": ["conversions", "conversions"]})
    >>> v = kpi_values(ch, other_costs=1000.0, revenue=7500.0).set_index(["channel", "kpi"])
    >>> [float(v.loc[k, "value"]) for k in [("all", "cost_per_result"), ("google_ads", "cpc")]]
    [40.0, 2.0]
    >>> [float(v.loc[("all", k), "value"]) for k in ("spend", "social_roi")]
    [5000.0, 0.5]
    """
    rows = []
    frame = channels.copy()
    for c in (
        "spend",
        "impressions",
        "link_clicks",
        "clicks",
        "results",
        "engagements",
        "follows",
        "conversion_value",
    ):
        if c not in frame:
            frame[c] = np.nan
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    frame["clicks_used"] = frame["link_clicks"].where(frame["link_clicks"].notna(), frame["clicks"])

    def both(num: str, den: str, scale: float = 1.0) -> float:
        ok = frame[num].notna() & frame[den].notna()
        return _ratio(frame.loc[ok, num].sum(), frame.loc[ok, den].sum(), scale)

    parts = {
        "cpm": ("spend", "impressions", 1000.0),
        "cpc": ("spend", "clicks_used", 1.0),
        "paid_ctr": ("clicks_used", "impressions", 1.0),
        "cost_per_result": ("spend", "results", 1.0),
        "cost_per_engagement": ("spend", "engagements", 1.0),
        "cost_per_follower": ("spend", "follows", 1.0),
        "roas": ("conversion_value", "spend", 1.0),
    }
    kinds = frame["result_type"] if "result_type" in frame else pd.Series(None, index=frame.index)
    one_kind = kinds.notna() & (kinds != "mixed")
    frame["results"] = frame["results"].where(one_kind)  # results of two types never add up
    for r in frame.itertuples(index=False):
        rows.append((r.channel, "spend", float(r.spend) if pd.notna(r.spend) else np.nan))
        for kpi_id, (num, den, scale) in parts.items():
            rows.append((r.channel, kpi_id, _ratio(getattr(r, num), getattr(r, den), scale)))
    if kinds[one_kind].nunique() > 1:
        frame["results"] = np.nan
    ads = frame["spend"].sum(min_count=1)
    total = (0.0 if pd.isna(ads) else float(ads)) + float(other_costs or 0.0)
    rows.append(("all", "spend", total if (pd.notna(ads) or other_costs) else np.nan))
    for kpi_id, (num, den, scale) in parts.items():
        rows.append(("all", kpi_id, both(num, den, scale)))
    rows.append(("all", "social_roi", roi(revenue, total)))
    return pd.DataFrame(rows, columns=["channel", "kpi", "value"])
