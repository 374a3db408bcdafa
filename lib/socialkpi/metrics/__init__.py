"""The metric dictionary and the arithmetic that turns period totals into KPI values.

Every KPI is declared once in ``metrics.yaml`` (names and one-line definitions in en and
zh-TW, formula, components, aggregation, unit, better direction, objective family). Values
come from *totals*: one row per platform of summed components (see ``socialkpi.kpi``), plus
an ``all`` row. Rates are ratios of sums, so a cross-platform rate weighs platforms by
their denominators.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from importlib import resources

import numpy as np
import pandas as pd

from socialkpi import config
from socialkpi.config import own_yaml

OBJECTIVES = ("awareness", "engagement", "traffic", "conversion", "reputation", "responsiveness")
# the KPIs a monthly review leads with ("engagement_rate": the brand's chosen definition)
HEADLINE = [
    "engagement_rate",
    "followers",
    "net_follower_growth",
    "reach",
    "views",
    "engagements",
    "posts_published",
    "link_clicks",
    "social_sessions",
    "key_events",
    "revenue",
    "mention_volume",
    "negative_share",
    "response_time_median",
]


# the tables of money KPIs: metrics.money computes them, never the organic period totals
MONEY_SOURCES = ("ad_results", "costs")


@dataclass(frozen=True)
class Metric:
    """One KPI of the metric dictionary (``metrics.yaml``)."""

    id: str
    name: dict[str, str]
    definition: dict[str, str]
    formula: str
    numerator: str
    denominator: str | None
    aggregation: str
    unit: str
    better: str
    objective: str
    source: str
    variants: tuple[str, ...] = ()

    @property
    def is_rate(self) -> bool:
        """Whether the KPI is a ratio of sums (rates, shares)."""
        return self.aggregation == "ratio"

    @property
    def whole(self) -> bool:
        """Whether the KPI counts whole things (posts, clicks, followers), so its values and
        targets are whole numbers; a count per post (shares per post) is not."""
        return self.unit == "count" and self.aggregation in ("sum", "last")

    def label(self, lang: str = "en") -> str:
        """The KPI's name in ``lang``."""
        return self.name[lang]


@functools.cache
def _spec() -> dict:
    text = (resources.files("socialkpi") / "metrics.yaml").read_text("utf-8")
    return own_yaml(text)


@functools.cache
def dictionary() -> dict[str, Metric]:
    """Every KPI by id, in the order declared.

    Examples
    --------
    >>> dictionary()["engagement_rate_reach"].name["zh-TW"]
    '互動率（依觸及）'
    """
    out = {}
    for item in _spec()["metrics"]:
        item = dict(item)
        item.setdefault("denominator", None)
        item["variants"] = tuple(item.get("variants", ()))
        out[item["id"]] = Metric(**item)
    return out


def engagement_parts() -> dict[str, list[str]]:
    """Which post columns count as engagements, per platform (``default`` for the rest)."""
    return dict(_spec()["engagement_parts"])


def post_engagements(posts: pd.DataFrame) -> pd.Series:
    """Each post's engagements by its platform's parts; NA where it has none of them.

    Examples
    --------
    >>> posts = pd.DataFrame({"platform": ["facebook", "x"], "reactions": [3, 1],
    ...     "comments": [1, 0], "shares": [1, 0], "saves": [9, 2], "clicks": [9, 5]})
    >>> post_engagements(posts).tolist()  # facebook: 3 + 1 + 1; x: 1 + 0 + 0 + 2 + 5
    [5, 8]
    """
    parts = engagement_parts()
    out = pd.Series(pd.NA, index=posts.index, dtype="Int64")
    for platform, rows in posts.groupby("platform").groups.items():
        cols = [c for c in parts.get(platform, parts["default"]) if c in posts]
        counted = posts.loc[rows, cols].astype("Float64").sum(axis=1, min_count=1)
        out.loc[rows] = counted.round().astype("Int64")
    return out


@dataclass(frozen=True)
class DefinitionChange:
    """A platform's documented change to a component (``metrics.yaml``,
    ``definition_changes``): from ``since`` it no longer reports ``component`` as before, and
    ``replaced_by`` stands in for it."""

    platform: str
    component: str
    since: date
    replaced_by: str | None
    source: str

    def splits(self, first: date, end: date) -> bool:
        """Whether ``[first, end)`` holds days on both sides of the change."""
        return first < self.since < end


@functools.cache
def definition_changes() -> tuple[DefinitionChange, ...]:
    """Every documented change, oldest first."""
    items = [DefinitionChange(**item) for item in _spec().get("definition_changes", [])]
    return tuple(sorted(items, key=lambda c: c.since))


# the components a KPI's parts stand for (a follower count, whichever way it is summed)
_FOLLOWER_PARTS = {"followers_end", "followers_start", "net_followers", "post_followers"}


def components(metric: Metric, basis: str | None = None) -> set[str]:
    """The platform components a KPI is made of, ``exposure`` resolved to ``basis``.

    >>> sorted(components(dictionary()["engagement_rate_exposure"], "impressions"))
    ['engagements', 'impressions']
    """
    parts = {metric.numerator, metric.denominator} - {None}
    out = {"followers" if p in _FOLLOWER_PARTS else p for p in parts}
    if "exposure" in out:
        out = (out - {"exposure"}) | ({basis} if basis else {"impressions", "views"})
    return out


def changes_between(platform: str, parts: set[str], first: date, end: date) -> list:
    """The documented changes to ``parts`` on ``platform`` inside ``[first, end)``.

    >>> [c.since.isoformat() for c in changes_between("instagram", {"impressions"},
    ...     date(2025, 3, 1), date(2025, 5, 1))]
    ['2025-04-21']
    >>> changes_between("instagram", {"views"}, date(2025, 3, 1), date(2025, 5, 1))
    []
    """
    return [
        c
        for c in definition_changes()
        if c.platform == platform and c.component in parts and c.splits(first, end)
    ]


def changes_near(platforms, period) -> list[DefinitionChange]:
    """The documented changes on ``platforms`` that fall inside a report's comparisons of
    ``period`` (a ``periods.Period``): from the same period last year to its end. Pages and
    the summary name them."""
    first = min(period.last_year().start, period.shift(-12).start)
    return [
        c
        for c in definition_changes()
        if c.platform in set(platforms) and first < c.since < period.end
    ]


def engagement_rate_ids() -> list[str]:
    """The engagement-rate definitions a brand can choose between."""
    return list(config.engagement_rate_ids())


def dictionary_frame(lang: str = "en") -> pd.DataFrame:
    """The dictionary as a table in one language (for the CLI and report footnotes)."""
    rows = [
        {
            "id": m.id,
            "name": m.name[lang],
            "definition": m.definition[lang],
            "formula": m.formula,
            "aggregation": m.aggregation,
            "unit": m.unit,
            "better": m.better,
            "objective": m.objective,
            "source": m.source,
        }
        for m in dictionary().values()
    ]
    return pd.DataFrame(rows)


def with_derived(totals: pd.DataFrame) -> pd.DataFrame:
    """Add the components computed from others (net followers, exposure, voice ...).

    Does not mutate ``totals``; expects the columns produced by ``kpi.period_totals``.
    """
    t = totals.copy()
    for col in (
        "followers_end",
        "followers_start",
        "follower_gains",
        "follower_losses",
        "posts",
        "engagements",
        "competitor_engagements",
        "positive",
        "negative",
        "scored",
    ):
        if col not in t:
            t[col] = np.nan
    t = t.astype(
        {
            c: "float64"
            for c in t.columns
            if c not in ("period", "platform", "exposure_basis", "level")
        }
    )
    by_count = t["followers_end"] - t["followers_start"]
    by_flow = t["follower_gains"].fillna(0) - t["follower_losses"].fillna(0)
    flows_known = t["follower_gains"].notna() | t["follower_losses"].notna()
    t["net_followers"] = by_count.where(by_count.notna(), by_flow.where(flows_known))
    t["post_followers"] = t["posts"] * t["followers_end"]
    t["voice"] = t["engagements"] + t["competitor_engagements"]
    t["voice_own"] = t["engagements"].where(t["competitor_engagements"].notna())
    t["net_positive"] = t["positive"] - t["negative"]
    t["polar"] = t["positive"] + t["negative"]
    # a LINE Official Account: LINE's friend count never falls (it counts adds ever), so the
    # friends who can be reached are the friends less those blocking
    if "line_friends_end" in t:
        t["line_effective_end"] = t["line_friends_end"] - t["line_blocks_end"]
        t["line_effective_start"] = t["line_friends_start"] - t["line_blocks_start"]
        t["line_friend_adds"] = t["line_friends_end"] - t["line_friends_start"]
        t["line_net_friends"] = t["line_effective_end"] - t["line_effective_start"]
        t["line_new_blocks"] = t["line_blocks_end"] - t["line_blocks_start"]
    return t


def value(totals_row: pd.Series, metric: Metric) -> float:
    """One KPI value from one row of derived totals; NaN when a part is missing or the
    denominator is zero (never a silent 0 or inf)."""
    num = totals_row.get(metric.numerator, np.nan)
    if metric.denominator is None:
        return float(num) if pd.notna(num) else np.nan
    den = totals_row.get(metric.denominator, np.nan)
    if pd.isna(num) or pd.isna(den) or den == 0:
        return np.nan
    return float(num) / float(den)


def kpi_values(derived: pd.DataFrame, ids: list[str] | None = None) -> pd.DataFrame:
    """Long table of KPI values from derived totals (see :func:`with_derived`):
    [period,] platform, kpi, value, numerator, denominator.

    Examples
    --------
    >>> totals = with_derived(pd.DataFrame({"platform": ["x"], "engagements": [5], "reach": [100]}))
    >>> kpi_values(totals, ["engagement_rate_reach"]).value.tolist()
    [0.05]
    """
    metrics = dictionary()
    ids = ids or [m for m, d in metrics.items() if d.source not in MONEY_SOURCES]
    unknown = [i for i in ids if i not in metrics]
    if unknown:
        raise KeyError(f"unknown KPI ids {unknown}; known: {', '.join(metrics)}")
    rows = []
    for _, row in derived.iterrows():
        for kpi_id in ids:
            m = metrics[kpi_id]
            rows.append(
                {
                    **({"period": row["period"]} if "period" in row else {}),
                    "platform": row["platform"],
                    "kpi": kpi_id,
                    "value": value(row, m),
                    "numerator": row.get(m.numerator, np.nan),
                    "denominator": row.get(m.denominator, np.nan) if m.denominator else np.nan,
                }
            )
    columns = ["period"] if "period" in derived else []
    return pd.DataFrame(
        rows, columns=[*columns, "platform", "kpi", "value", "numerator", "denominator"]
    )


def add_totals(values: pd.DataFrame, pooled: pd.DataFrame | None = None) -> pd.DataFrame:
    """Append a cross-platform ``all`` row per (period, kpi) to per-platform KPI values.

    Counts add up. Rates are ratios of sums over the platforms that report *both* parts, so a
    platform without reach does not inflate engagements-by-reach. Quantiles (response times)
    cannot be added: they come from ``pooled`` (one row per period computed on all comments).

    Examples
    --------
    >>> v = pd.DataFrame({"platform": ["a", "b", "c"], "kpi": "engagement_rate_reach",
    ...                   "value": [0.1, 0.3, np.nan], "numerator": [10, 30, 99],
    ...                   "denominator": [100, 100, np.nan]})
    >>> total = add_totals(v).iloc[-1]
    >>> (total.platform, float(total.value), float(total.numerator))
    ('all', 0.2, 40.0)
    """
    if values.empty:
        return values.reset_index(drop=True)
    metrics = dictionary()
    keys = ["period", "kpi"] if "period" in values else ["kpi"]
    numerator = pd.to_numeric(values["numerator"], errors="coerce").astype("float64")
    denominator = pd.to_numeric(values.get("denominator", np.nan), errors="coerce")
    denominator = pd.Series(denominator, index=values.index, dtype="float64")
    both = numerator.notna() & denominator.notna()
    parts = pd.DataFrame(
        {
            **{k: values[k] for k in keys},
            "all": numerator,
            "num": numerator.where(both),
            "den": denominator.where(both),
        }
    )
    summed = parts.groupby(keys, sort=False).sum(min_count=1).reset_index()
    kind = summed["kpi"].map(lambda k: _total_kind(metrics[k]))
    quantile = kind == "quantile"
    pooled_value = _pooled_values(summed[quantile], pooled, metrics) if quantile.any() else []
    summed.loc[quantile, ["all", "num"]] = np.array([pooled_value, pooled_value]).T
    rate = summed["num"] / summed["den"].where(summed["den"] != 0)
    counts = kind == "count"
    rows = summed[keys].assign(platform="all")
    rows["value"] = np.where(counts | quantile, summed["all"], rate)
    rows["numerator"] = np.where(counts | quantile, summed["all"], summed["num"])
    rows["denominator"] = np.where(kind == "rate", summed["den"], np.nan)
    return pd.concat([values, rows], ignore_index=True)


def _total_kind(metric) -> str:
    """How a KPI's cross-platform total is made: ``quantile`` (from pooled comments),
    ``count`` (a sum) or ``rate`` (a ratio of sums)."""
    if metric.aggregation == "quantile":
        return "quantile"
    return "count" if metric.denominator is None else "rate"


def _pooled_values(rows: pd.DataFrame, pooled: pd.DataFrame | None, metrics) -> list[float]:
    """Each quantile KPI's total from ``pooled`` (its period's first row; NaN without one)."""
    if pooled is None or pooled.empty:
        return [np.nan] * len(rows)
    by_period = "period" in rows
    if by_period and "period" not in pooled:
        raise KeyError("the pooled quantiles have no period column, and the values have periods")
    first = pooled.drop_duplicates("period").set_index("period") if by_period else pooled[:1]
    out = []
    for row in rows.itertuples(index=False):
        column = metrics[row.kpi].numerator
        if column not in first:
            out.append(np.nan)
        else:
            found = first[column].get(row.period, np.nan) if by_period else first[column].iloc[0]
            out.append(float(found))
    return out
