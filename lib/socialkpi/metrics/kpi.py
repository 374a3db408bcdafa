"""The KPI engine: any KPI for a brand, platforms and period, with comparisons.

Sums are computed inside DuckDB (``store.*_totals``) per platform; everything after that is
pure arithmetic on small frames (``metrics``, ``change``). Cross-platform totals add counts
and take rates as ratios of sums.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from socialkpi import metrics, store
from socialkpi.config.hours import parse_business_hours
from socialkpi.metrics import change
from socialkpi.metrics.periods import Period, parse_period
from socialkpi.store import totals
from socialkpi.store.cache import cached

DEFAULT_ENGAGEMENT_RATE = "engagement_rate_reach"


def choose_exposure(posts: pd.DataFrame) -> dict[str, str]:
    """Per platform, the exposure column a series uses: ``impressions`` while every post has
    them, else ``views`` (Meta replaced impressions with views in 2025). Never mixed. A
    platform reviewed from its daily account series (``level`` ``account``) uses impressions
    while every day has them."""
    choice = {}
    for row in posts.itertuples():
        if getattr(row, "level", None) == "account":
            every_day = row.account_days > 0 and row.account_with_impressions == row.account_days
            choice[row.platform] = "impressions" if every_day else "views"
            continue
        full_impressions = row.posts > 0 and row.with_impressions == row.posts
        choice[row.platform] = "impressions" if full_impressions or not row.with_views else "views"
    return choice


@cached(16)
def period_totals(
    con, brand: str, periods: list[Period], timezone: str, platforms=None, exposure=None
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Derived totals per (period label, platform); pooled comment quantiles per period;
    and the exposure column chosen per platform.

    ``exposure`` fixes each platform's exposure column; by default it is chosen from the
    last period given (the one being reported), so earlier periods use the same column.
    """
    if all(p.kind == "month" for p in periods):  # one read, by month
        frames = [_sums(con, brand, *_month_span(periods), timezone, platforms, "month")]
    else:  # a read per period
        frames = [_sums(con, brand, p.start, p.end, timezone, platforms, "range") for p in periods]
        for (merged, pooled), p in zip(frames, periods, strict=True):
            merged["period"], pooled["period"] = p.label, p.label
    merged = pd.concat([m for m, _ in frames], ignore_index=True)
    pooled = pd.concat([p for _, p in frames], ignore_index=True)
    if platforms:
        merged = merged[merged["platform"].isin(platforms)]
    merged = account_level(merged, totals.post_platforms(con, brand))
    current = merged[merged["period"] == periods[-1].label]
    exposure = exposure or choose_exposure(current[current["level"].notna()])
    derived = metrics.with_derived(_with_exposure(merged, exposure))
    labels = [p.label for p in periods]

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame[frame["period"].isin(labels)]
        return frame.sort_values(["period", "platform"], ignore_index=True)

    return keep(derived), keep(pooled), exposure


# months summed in one read at least: the pages' spans ending on the same month (two years
# for the goals, a year of history, the month alone) then share it; each month's sums are
# its own whatever the span
SHARED_MONTHS = 25


def _month_span(periods: list[Period]) -> tuple:
    """The days to sum months over: the periods', reaching :data:`SHARED_MONTHS` back."""
    end = max(p.end for p in periods)
    back = (pd.Timestamp(end) - pd.DateOffset(months=SHARED_MONTHS)).date()
    return min(back, *(p.start for p in periods)), end


@cached(16)
def _sums(
    con, brand: str, start, end, timezone: str, platforms, grain: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The store's sums per period (``grain``) and platform, merged, and the pooled comment
    quantiles (platform ``all``) for [start, end)."""
    hours = parse_business_hours(store.brand_settings(con, brand)["business_hours"], timezone)
    parts = metrics.engagement_parts()
    comments = totals.comment_totals(
        con, brand, start, end, timezone, platforms, grain, business_hours=hours
    )
    merged = _merge(
        [
            totals.post_totals(con, brand, start, end, timezone, platforms, parts, grain),
            totals.account_totals(con, brand, start, end, platforms, grain),
            totals.follower_totals(con, brand, start, end, platforms, grain),
            totals.web_totals(con, brand, start, end, grain),
            totals.competitor_totals(con, brand, start, end, platforms, grain),
            totals.line_totals(con, brand, start, end, platforms, grain),
            comments[comments["platform"] != "all"],
        ]
    )
    return merged, comments[comments["platform"] == "all"].copy()


def account_level(merged: pd.DataFrame, with_posts: set[str]) -> pd.DataFrame:
    """A platform the brand has no post-level export of (TikTok Overview or YouTube Totals
    alone) is reviewed from its daily account series: views, impressions, likes, comments,
    shares, link clicks and engagements are the month's daily totals (what happened in the
    month, on any post) where a post export gives the lifetime figures of the month's posts.
    ``level`` says which a row used: ``posts``, ``account`` or None (neither).

    >>> t = pd.DataFrame({"platform": ["facebook", "tiktok"], "posts": [2.0, None],
    ...     "views": [50.0, None], "account_views": [None, 900.0], "account_days": [None, 31.0]})
    >>> out = account_level(t, {"facebook"})
    >>> out["views"].tolist(), out["level"].tolist()
    ([50.0, 900.0], ['posts', 'account'])
    """
    out = merged.copy()
    for col in ["posts", "engagements", "account_days", "account_engagements"] + [
        c for pair in totals.ACCOUNT_SUMS.items() for c in (f"account_{pair[0]}", pair[1])
    ]:
        if col not in out:
            out[col] = np.nan
    account = totals.by_account(out, with_posts)
    for col, post_col in totals.ACCOUNT_SUMS.items():
        out[post_col] = out[post_col].astype("float64")
        out.loc[account, post_col] = out.loc[account, f"account_{col}"].astype("float64")
    out["engagements"] = out["engagements"].astype("float64")
    out.loc[account, "engagements"] = out.loc[account, "account_engagements"].astype("float64")
    out["level"] = np.where(account, "account", np.where(out["posts"].notna(), "posts", None))
    return out


def _merge(tables: list[pd.DataFrame]) -> pd.DataFrame:
    merged = None
    for t in tables:
        merged = t if merged is None else merged.merge(t, on=["period", "platform"], how="outer")
    return merged


def _with_exposure(frame: pd.DataFrame, exposure: dict[str, str]) -> pd.DataFrame:
    out = frame.copy()
    basis = out["platform"].map(lambda p: exposure.get(p, "impressions"))
    out["exposure"] = np.where(basis == "views", out["views"], out["impressions"])
    out["exposure_basis"] = basis
    return out


@cached(16)
def kpi_report(
    con,
    brand: str,
    period: str | Period,
    platforms: list[str] | None = None,
    ids: list[str] | None = None,
    timezone: str | None = None,
    engagement_rate: str | None = None,
) -> pd.DataFrame:
    """KPI values for a period with previous-period, same-period-last-year and trailing
    12-period median comparisons, each change labelled against normal variation.

    One row per (kpi, platform); ``platform == "all"`` is the cross-platform total.
    ``engagement_rate`` (the brand's chosen definition, or one with data: see
    :func:`engagement_rate_for`) is reported as ``engagement_rate``; every row's ``definition``
    names the metric its number follows (the chosen one on those rows, ``kpi`` elsewhere), so
    the choice is made here once and travels with the numbers.
    ``assessment`` is an id of ``change.ASSESSMENTS`` (the catalogue has its words).
    ``account_level`` names the platforms whose part of a value comes from their daily account
    series, not from posts (:func:`account_level`): pages say so.
    """
    period = parse_period(period) if isinstance(period, str) else period
    timezone = timezone or store.brand_timezone(con, brand)
    requested = engagement_rate or brand_engagement_rate(con, brand)
    alias = ids is not None and "engagement_rate" in ids
    asked = ids
    if ids is not None:  # every definition, in case the brand's has no data here
        bases = metrics.engagement_rate_ids() if alias else []
        ids = list(dict.fromkeys([*(i for i in ids if i != "engagement_rate"), *bases]))
    history = [period.shift(-i) for i in range(12, 0, -1)]
    wanted = sorted({*history, period.last_year(), period}, key=lambda p: p.start)
    totals, pooled, _ = period_totals(con, brand, wanted, timezone, platforms)
    values = metrics.add_totals(metrics.kpi_values(totals, ids), pooled)
    engagement_rate = _rate_with_data(values, requested, period.label)
    if asked is not None:
        keep = {i for i in asked if i != "engagement_rate"} | (
            {engagement_rate} if alias else set()
        )
        values = values[values["kpi"].isin(keep)]
    bases = totals.groupby("period")["exposure_basis"].agg(
        lambda b: "+".join(sorted(set(b.dropna())))
    )
    basis = totals.set_index(["period", "platform"])["exposure_basis"].to_dict()
    values["exposure_basis"] = [
        bases.get(p) if pl == "all" else basis.get((p, pl))
        for p, pl in zip(values["period"], values["platform"], strict=True)
    ]
    rows = []
    by_key = {k: g.set_index("period") for k, g in values.groupby(["kpi", "platform"])}
    dictionary = metrics.dictionary()
    covers = _covered(values)
    now = totals[totals["period"] == period.label]
    by_account = set(now.loc[now["level"] == "account", "platform"])
    for (kpi_id, platform), series in by_key.items():
        if period.label not in series.index:
            continue
        now = series.loc[period.label]
        metric = dictionary[kpi_id]
        broken = {
            p.label: found
            for p in wanted[:-1]
            if (found := _redefined(metric, platform, p, period, covers, basis))
        }
        row = _compare(metric, platform, now, series, period, history, broken)
        for col, label in (
            ("platforms", period.label),
            ("previous_platforms", period.previous().label),
        ):
            found = covers.get((label, kpi_id), ())
            row[col] = found if platform == "all" else tuple(p for p in found if p == platform)
        from_posts = "posts" in dictionary[kpi_id].source
        row["account_level"] = tuple(p for p in row["platforms"] if from_posts and p in by_account)
        rows.append(row)
    report = pd.DataFrame(rows)
    if not report.empty:
        report["definition"] = report["kpi"]
    if not report.empty and (ids is None or alias):
        chosen = report[report["kpi"] == engagement_rate].assign(kpi="engagement_rate")
        report = pd.concat([chosen, report], ignore_index=True)
        order = {k: i for i, k in enumerate(["engagement_rate", *dictionary])}
        report = report.sort_values(
            "kpi", key=lambda k: k.map(order), kind="stable", ignore_index=True
        )
    return report


def _covered(values: pd.DataFrame) -> dict[tuple[str, str], tuple[str, ...]]:
    """Per (period, KPI), the platforms whose own value the cross-platform total is made of
    (``scope.covered``)."""
    per = values[(values["platform"] != "all") & values["value"].notna()]
    return {
        key: tuple(sorted(g["platform"])) for key, g in per.groupby(["period", "kpi"], sort=False)
    }


def account_levels(report: pd.DataFrame) -> tuple[str, ...]:
    """The platforms a :func:`kpi_report`'s values read from daily account series."""
    if report.empty or "account_level" not in report:
        return ()
    return tuple(sorted({p for found in report["account_level"] for p in found}))


def unavailable(report: pd.DataFrame) -> list[str]:
    """The KPIs of a :func:`kpi_report` with no value for all platforms together."""
    if report.empty:
        return []
    now = report[report["platform"] == "all"]
    return sorted(now.loc[now["value"].isna(), "kpi"])


def rate_definition(report: pd.DataFrame) -> str | None:
    """The definition behind a :func:`kpi_report`'s ``engagement_rate`` rows (None if it has
    none)."""
    rows = report[report["kpi"] == "engagement_rate"] if len(report) else report
    return rows["definition"].iloc[0] if len(rows) else None


def _rate_with_data(values: pd.DataFrame, requested: str, label: str) -> str:
    """The brand's engagement-rate definition, or, when it has no value for the period on these
    platforms (X and LinkedIn report no reach), the first definition that has one."""
    now = values[(values["period"] == label) & (values["platform"] == "all")]
    known = set(now.loc[now["value"].notna(), "kpi"])
    if requested in known:
        return requested
    return next((r for r in metrics.engagement_rate_ids() if r in known), requested)


def _redefined(metric, platform, other: Period, period: Period, covers, basis) -> list:
    """The documented definition changes (``metrics.definition_changes``) that make a KPI's
    value for ``other`` not comparable with ``period``'s: a change to one of its components,
    on a platform either value covers, on a day between the two."""
    first, end = min(other.start, period.start), max(other.end, period.end)
    found = []
    for label in (other.label, period.label):
        on = covers.get((label, metric.id), ()) if platform == "all" else (platform,)
        for pl in on:
            parts = metrics.components(metric, basis.get((period.label, pl)))
            found += metrics.changes_between(pl, parts, first, end)
    return list(dict.fromkeys(found))


def _compare(metric, platform, now, series, period, history, broken=None) -> dict:
    """A KPI's value with its comparisons; a period in ``broken`` (label -> the definition
    changes between it and ``period``) is not compared with."""
    broken = broken or {}
    columns = {
        c: dict(zip(series.index, series[c].tolist(), strict=True))
        for c in ("value", "numerator", "denominator")
    }

    def get(p: Period, col: str = "value") -> float:
        if p.label in broken or p.label not in columns[col]:
            return math.nan
        return float(columns[col][p.label])

    prev = period.previous()
    if metric.is_rate and metric.unit == "percent":
        result = change.rate_change(
            get(period, "numerator"),
            get(period, "denominator"),
            get(prev, "numerator"),
            get(prev, "denominator"),
        )
    else:
        result = change.value_change(get(period), get(prev), [get(p) for p in history])
    trailing = [get(p) for p in history]
    trailing = [v for v in trailing if not math.isnan(v)]
    return {
        "kpi": metric.id,
        "platform": platform,
        "value": float(now["value"]),
        "exposure_basis": now["exposure_basis"] if metric.denominator == "exposure" else None,
        "previous": get(prev),
        "change": result["diff"],
        "change_low": result["low"],
        "change_high": result["high"],
        "assessment": result["label"],
        "numerator": get(period, "numerator"),
        "denominator": get(period, "denominator"),
        "previous_numerator": get(prev, "numerator"),
        "previous_denominator": get(prev, "denominator"),
        "last_year": get(period.last_year()),
        "trailing_median": float(np.median(trailing)) if trailing else math.nan,
        "unit": metric.unit,
        # the definition changes that stopped a comparison (``metrics.DefinitionChange``)
        "redefined": tuple(dict.fromkeys(c for found in broken.values() for c in found)),
    } | ({"assessment": "not_comparable", "change": math.nan} if prev.label in broken else {})


def brand_engagement_rate(con, brand: str) -> str:
    """The engagement-rate definition the brand chose (locked for all comparisons)."""
    rows = con.execute("SELECT engagement_rate FROM brands WHERE brand = ?", [brand]).fetchall()
    chosen = rows[0][0] if rows and rows[0][0] else DEFAULT_ENGAGEMENT_RATE
    if chosen not in metrics.engagement_rate_ids():
        raise ValueError(
            f"brand {brand!r}: engagement_rate {chosen!r} is not one of {metrics.engagement_rate_ids()}"
        )
    return chosen


def period_posts(
    con, brand: str, period: str | Period, timezone: str | None = None, platforms=None
):
    """Posts published in the period (local dates in the brand's zone), latest snapshot each."""
    period = parse_period(period) if isinstance(period, str) else period
    timezone = timezone or store.brand_timezone(con, brand)
    start = pd.Timestamp(period.start).tz_localize(timezone).tz_convert("UTC")
    end = pd.Timestamp(period.end).tz_localize(timezone).tz_convert("UTC")
    posts = store.read(con, "posts", brand=brand, start=start, end=end, latest=True)
    return posts[posts["platform"].isin(platforms)] if platforms else posts


@cached(16)
def monthly_totals(
    con, brand: str, first: str, last: str, platforms=None, timezone: str | None = None
):
    """Every KPI's monthly totals from ``first`` to ``last`` in one pass over the store, for
    :func:`series_of` to pick KPIs from (a dashboard keeps it while only the KPI changes)."""
    timezone = timezone or store.brand_timezone(con, brand)
    start, end = parse_period(first), parse_period(last)
    months = [start]
    while months[-1].label < end.label:
        months.append(months[-1].shift(1))
    totals, pooled, _ = period_totals(con, brand, months, timezone, platforms)
    rates = metrics.add_totals(metrics.kpi_values(totals, metrics.engagement_rate_ids()), pooled)
    chosen = _rate_with_data(rates, brand_engagement_rate(con, brand), end.label)
    return totals, pooled, [m.label for m in months], chosen


def engagement_rate_for(con, brand: str, month: str, platforms=None, timezone=None) -> str:
    """The engagement-rate definition a page about ``month`` on ``platforms`` uses: the brand's,
    or one with data there (see :func:`kpi_report`)."""
    return monthly_totals(con, brand, month, month, platforms, timezone)[3]


def series_of(monthly, kpi_id: str) -> pd.Series:
    """One KPI's monthly values (all platforms together) from :func:`monthly_totals`."""
    totals, pooled, labels, chosen = monthly
    kpi_id = chosen if kpi_id == "engagement_rate" else kpi_id
    values = metrics.add_totals(metrics.kpi_values(totals, [kpi_id]), pooled)
    series = values[values["platform"] == "all"].set_index("period")["value"]
    return series.reindex(labels).astype("float64")


def covered_of(monthly, kpi_id: str, label: str) -> tuple[str, ...]:
    """The platforms a KPI's total for month ``label`` covers (those with a value of their
    own), from :func:`monthly_totals`."""
    totals, pooled, _, chosen = monthly
    kpi_id = chosen if kpi_id == "engagement_rate" else kpi_id
    values = metrics.kpi_values(totals[totals["period"] == label], [kpi_id])
    return _covered(values).get((label, kpi_id), ())


def monthly_series(
    con, brand: str, kpi_id: str, first: str, last: str, platforms=None, timezone: str | None = None
) -> pd.Series:
    """A KPI's monthly values from month ``first`` to ``last`` (labels ``YYYY-MM``), for the
    given platforms together (ratio of sums across them)."""
    return series_of(monthly_totals(con, brand, first, last, platforms, timezone), kpi_id)


def rate_variants(
    con, brand: str, period: str | Period, kpi_id: str, platforms=None, timezone=None
):
    """A per-post rate three ways, per platform and for all: ratio of sums (the default),
    mean of per-post ratios and median per-post ratio, with the number of posts behind them.
    Per-post rates are right-skewed, so the three differ and the choice must be named."""
    from socialkpi.metrics import content

    metric = metrics.dictionary()[kpi_id]
    if not metric.variants:
        raise ValueError(
            f"{kpi_id} has no per-post variants (only {', '.join(_with_variants())} do)"
        )
    period = parse_period(period) if isinstance(period, str) else period
    timezone = timezone or store.brand_timezone(con, brand)
    posts = period_posts(con, brand, period, timezone, platforms)
    totals, _, exposure = period_totals(con, brand, [period], timezone, platforms)
    per_post = content.with_post_kpis(posts, exposure, timezone)
    num, den = content.PER_POST[kpi_id]
    rows = []
    for platform, group in [*per_post.groupby("platform"), ("all", per_post)]:
        usable = group[group[den].astype("float64") > 0]
        n, d = usable[num].astype("float64"), usable[den].astype("float64")
        rates = n / d
        rows.append(
            {
                "platform": platform,
                "posts": int(rates.notna().sum()),
                "ratio_of_sums": float(n.sum() / d.sum()) if len(usable) and d.sum() else math.nan,
                "mean_of_ratios": float(rates.mean()) if rates.notna().any() else math.nan,
                "median": float(rates.median()) if rates.notna().any() else math.nan,
            }
        )
    return pd.DataFrame(rows)


def _with_variants() -> list[str]:
    return [m.id for m in metrics.dictionary().values() if m.variants]
