"""Post-level analysis: per-post KPIs, top and bottom posts, distributions, performance by
content type, topic, weekday and hour (the best posting windows are ``evidence.best_windows``).

All functions take a frame of posts (latest snapshot per post, as ``kpi.period_posts``
returns) and return new frames; nothing is mutated.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from socialkpi import metrics
from socialkpi.metrics.periods import DEFAULT_TIMEZONE

# the per-post KPI that posts are compared by: the engagement rate every platform has
CONTENT_KPI = "engagement_rate_exposure"

PER_POST = {
    "engagements": ("engagements", None),
    "reach": ("reach", None),
    "exposure": ("exposure", None),
    "engagement_rate_reach": ("engagements", "reach"),
    "engagement_rate_exposure": ("engagements", "exposure"),
    "ctr": ("link_clicks", "exposure"),
    "virality_rate": ("shares", "exposure"),
}
# exports whose posts carry a date without a time (stores imported before ``time_known``)
DATE_ONLY = ("tiktok", "youtube", "linkedin")
_HASHTAG = re.compile(r"#([^\s#.,!?；，。！？]+)")


def with_post_kpis(
    posts: pd.DataFrame, exposure: dict[str, str] | None = None, timezone: str = DEFAULT_TIMEZONE
):
    """Add per-post engagements, exposure, rates, topic and local time, weekday and hour.

    ``exposure`` maps platform -> ``impressions`` or ``views`` (see ``kpi.choose_exposure``).
    """
    out = posts.copy()
    parts = metrics.engagement_parts()
    cols = {c for p in parts.values() for c in p}
    values = out.reindex(columns=sorted(cols)).astype("Float64")
    engagements = pd.Series(np.nan, index=out.index, dtype="Float64")
    for platform in out["platform"].unique():
        rows = out["platform"] == platform
        chosen = parts.get(platform, parts["default"])
        engagements[rows] = values.loc[rows, chosen].sum(axis=1, min_count=1)
    out["engagements"] = engagements
    chosen = exposure or {}
    basis = out["platform"].map(lambda p: chosen.get(p, "impressions"))
    out["exposure"] = out["views"].where(basis == "views", out["impressions"]).astype("Float64")
    for kpi_id, (num, den) in PER_POST.items():
        if den is not None:
            d = out[den].astype("Float64")
            out[kpi_id] = (out[num].astype("Float64") / d.where(d > 0)).astype("float64")
    local = pd.to_datetime(out["published_at"]).dt.tz_convert(timezone)
    out["published_local"] = local  # the brand's wall clock: what its people call the day
    timed = time_known(out, local)
    out["weekday"] = local.dt.day_name().where(timed)  # a date alone: weekday and hour unknown
    out["hour"] = local.dt.hour.astype("Int64").where(timed)
    out["topic"] = topic_of(out["caption"])
    return out


NO_TOPIC = "(none)"  # a post without a hashtag (the catalogue's word.no_topic names it)


def topic_of(captions: pd.Series) -> pd.Series:
    """A post's topic: its first hashtag (``#新品上市`` -> ``新品上市``), else :data:`NO_TOPIC`.
    Hashtags differing only in case (or full- and half-width forms) are one topic, shown in
    its most common spelling (ties: the first alphabetically).

    Examples
    --------
    >>> topic_of(pd.Series(["#RStats tips", "#rstats", "new #rstats", "no tag"])).tolist()
    ['rstats', 'rstats', 'rstats', '(none)']
    """
    first = captions.astype("string").str.extract(_HASHTAG, expand=False)
    key = first.map(lambda tag: unicodedata.normalize("NFKC", tag).casefold(), na_action="ignore")
    counts = pd.DataFrame({"key": key, "tag": first}).dropna().value_counts().reset_index()
    counts = counts.sort_values(["key", "count", "tag"], ascending=[True, False, True])
    spelling = counts.drop_duplicates("key").set_index("key")["tag"]
    return key.map(spelling).astype("string").fillna(NO_TOPIC)


def time_known(posts: pd.DataFrame, local: pd.Series | None = None) -> pd.Series:
    """Whether each post's export gave its publish time, not only its date: the ``time_known``
    the importer stored, or, for posts imported before it, not a date-only platform's local
    midnight."""
    if local is None:
        local = pd.to_datetime(posts["published_at"]).dt.tz_convert("UTC")
    guess = ~(posts["platform"].isin(DATE_ONLY) & (local == local.dt.normalize()))
    stored = posts["time_known"] if "time_known" in posts else pd.Series(pd.NA, index=posts.index)
    return stored.astype("boolean").fillna(guess).astype(bool)


def without(posts: pd.DataFrame, kpi: str) -> dict[str, int]:
    """Posts per platform that have no value of a per-post ``kpi`` (their export lacks a part
    of it, e.g. impressions), for a table to say how many it leaves out and why."""
    if posts.empty or kpi not in posts:
        return {}
    return posts[posts[kpi].isna()].groupby("platform").size().to_dict()


def untimed(posts: pd.DataFrame) -> dict[str, int]:
    """Posts without a known publish time (see :func:`with_post_kpis`) per platform."""
    if posts.empty or "hour" not in posts:
        return {}
    return posts[posts["hour"].isna()].groupby("platform").size().to_dict()


def distribution(posts: pd.DataFrame, kpi: str) -> dict[str, float]:
    """Count, mean and quantiles of a per-post KPI: per-post metrics are right-skewed, so the
    median sits beside the mean."""
    v = posts[kpi].astype("float64").dropna()
    if v.empty:
        return {
            "posts": 0,
            "mean": np.nan,
            "median": np.nan,
            "p25": np.nan,
            "p75": np.nan,
            "p90": np.nan,
        }
    q = v.quantile([0.25, 0.5, 0.75, 0.9])
    return {
        "posts": len(v),
        "mean": float(v.mean()),
        "median": float(q[0.5]),
        "p25": float(q[0.25]),
        "p75": float(q[0.75]),
        "p90": float(q[0.9]),
    }


def top_posts(posts: pd.DataFrame, kpi: str, n: int = 5, bottom: bool = False) -> pd.DataFrame:
    """The ``n`` best (or worst) posts by a per-post KPI, with how they compare to the median."""
    ranked = posts.dropna(subset=[kpi]).sort_values(kpi, ascending=bottom, kind="stable").head(n)
    median = posts[kpi].astype("float64").median()
    cols = [
        "platform",
        "post_id",
        "published_at",
        "published_local",
        "content_type",
        "topic",
        "caption",
        "permalink",
        kpi,
    ]
    out = ranked[[c for c in cols if c in ranked]].copy()
    out["vs_median"] = out[kpi].astype("float64") / median if median else np.nan
    return out.reset_index(drop=True)


def performance(posts: pd.DataFrame, kpi: str, by: list[str]) -> pd.DataFrame:
    """Posts, median and mean of a per-post KPI for each combination of ``by`` columns
    (any of content_type, topic, weekday, hour, platform), most posts first. Posts without a
    value of ``by`` (an export that gives no content type, no time) are a group of their own
    (NA), never dropped: the groups add up to every post with the KPI.

    >>> posts = pd.DataFrame({"content_type": ["video", None, "video"], "rate": [0.1, 0.2, 0.3]})
    >>> performance(posts, "rate", ["content_type"])["posts"].tolist()
    [2, 1]
    """
    grouped = posts.dropna(subset=[kpi]).groupby(by, observed=True, dropna=False)[kpi]
    out = grouped.agg(posts="count", median="median", mean="mean").reset_index()
    return out.sort_values(["posts", "median"], ascending=False, kind="stable", ignore_index=True)
