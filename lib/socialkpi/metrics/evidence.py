"""Evidence for advice: is one group of posts (a content type, a topic, a posting time) really
different from the others?

A comparison sets the median of a per-post KPI in one group against the median of all other
posts. It supports advice only when both sides have at least ``min_posts`` posts (default
:data:`MIN_POSTS`) and a seeded bootstrap interval (:data:`LEVEL`) for the difference of the
medians excludes zero. Anything less is a candidate to test, never advice. Per-post KPIs are
right-skewed, hence medians; the bootstrap resamples posts, so it needs no assumption about
their distribution, and the seed makes every page show the same interval.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from socialkpi.metrics.content import NO_TOPIC

MIN_POSTS = 5
WINDOW_POSTS = 3  # posts a weekday x daypart cell needs before it is named
WINDOW_MONTHS = 6  # the months best windows learn from: the month and the five before
LEVEL = 0.95
RESAMPLES = 2000
SEED = 2026
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# parts of the day a posting time falls in (local hours, end exclusive); night wraps midnight
DAYPARTS = {
    "morning": (6, 11),
    "midday": (11, 14),
    "afternoon": (14, 18),
    "evening": (18, 23),
    "night": (23, 6),
}


@dataclass(frozen=True)
class Comparison:
    """One group against the rest: sizes, medians, the difference and its interval."""

    by: str
    group: object
    metric: str
    n: int
    n_rest: int
    median: float
    median_rest: float
    difference: float
    low: float
    high: float
    min_posts: int
    platform: str | None = None  # the platform whose posts were compared (None: every post)
    members: tuple = ()  # the group's post (or comment) ids

    @property
    def key(self) -> str:
        """The finding's id: ``instagram:daypart:evening`` (``daypart:midday`` over every
        platform)."""
        return ":".join(str(p) for p in (self.platform, self.by, self.group) if p is not None)

    @property
    def enough_posts(self) -> bool:
        """Whether both the group and the rest have the posts advice needs."""
        return self.n >= self.min_posts and self.n_rest >= self.min_posts

    @property
    def supported(self) -> bool:
        """Advice may rest on it: enough posts on both sides, an interval that excludes zero."""
        return self.enough_posts and (self.low > 0 or self.high < 0)


def bootstrap_difference(
    a, b, resamples: int = RESAMPLES, level: float = LEVEL, seed: int | list[int] = SEED
) -> tuple[float, float, float]:
    """The difference of medians ``median(a) - median(b)`` and a percentile bootstrap interval
    for it, resampling each group's values with replacement.

    >>> diff, low, high = bootstrap_difference([5, 6, 7, 8, 9], [1, 2, 3, 4, 5])
    >>> diff, low > 0
    (4.0, True)
    """
    a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
    rng = np.random.default_rng(seed)
    draws_a = resampled_medians(a, resamples, rng)
    draws_b = resampled_medians(b, resamples, rng)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(draws_a - draws_b, [tail, 100 - tail])
    return float(np.median(a) - np.median(b)), float(low), float(high)


# up to this many values a resample is drawn value by value; above, only its middle order
# statistics are drawn (resampled_medians): the same distribution, at a cost that does not
# grow with the number of posts (a brand with a million posts has tens of thousands a month;
# drawing 999 resamples of 2,000 values took 20 ms a group, of 200 values 2 ms)
DIRECT_UP_TO = 200


def resampled_medians(
    values: np.ndarray, resamples: int, rng: np.random.Generator, direct_up_to: int = DIRECT_UP_TO
) -> np.ndarray:
    """The medians of ``resamples`` bootstrap resamples of ``values`` (each as many values,
    drawn with replacement).

    A resample of n values is x_(ceil(n·U_i)) for n uniform U_i (x sorted), so its k-th
    smallest value is x_(ceil(n·U_(k))), where U_(k) ~ Beta(k, n - k + 1) and the next one is
    U_(k) + (1 - U_(k))·Beta(1, n - k). Above ``direct_up_to`` values only those are drawn;
    tests/test_evidence.py checks both ways give one distribution.

    >>> resampled_medians(np.array([1.0, 2.0, 3.0]), 4, np.random.default_rng(0)).shape
    (4,)
    """
    n = len(values)
    if n <= direct_up_to:
        return np.median(values[rng.integers(0, n, (resamples, n))], axis=1)
    x = np.sort(values)
    k = (n + 1) // 2  # the middle position, or the lower of the two middle ones
    lower = rng.beta(k, n - k + 1, resamples)

    def at(u: np.ndarray) -> np.ndarray:
        return x[np.clip(np.ceil(n * u).astype(np.int64), 1, n) - 1]

    if n % 2:
        return at(lower)
    upper = lower + (1 - lower) * rng.beta(1, n - k, resamples)
    return (at(lower) + at(upper)) / 2


def median_interval(
    values, seed: int = 0, level: float = LEVEL, resamples: int = RESAMPLES
) -> tuple[float, float, float]:
    """The median and a percentile-bootstrap interval for it (seeded, so a report reads the
    same every run); NaNs with fewer than three values.

    >>> m, lo, hi = median_interval([1, 2, 3, 4, 100])
    >>> m, lo <= m <= hi
    (3.0, True)
    """
    x = np.asarray(pd.Series(values, dtype="float64").dropna())
    if len(x) < 3:
        return (float(np.median(x)) if len(x) else np.nan), np.nan, np.nan
    medians = resampled_medians(x, resamples, np.random.default_rng(seed))
    tail = (1 - level) / 2  # ends that are resampled medians themselves, a little wider
    lo = np.quantile(medians, tail, method="lower")
    hi = np.quantile(medians, 1 - tail, method="higher")
    return float(np.median(x)), float(lo), float(hi)


def daypart(hours: pd.Series) -> pd.Series:
    """The part of the day each local hour falls in (NA where the hour is unknown)."""
    out = pd.Series(pd.NA, index=hours.index, dtype="string")
    for name, (start, end) in DAYPARTS.items():
        inside = (
            (hours >= start) & (hours < end) if start < end else (hours >= start) | (hours < end)
        )
        out = out.mask(inside.fillna(False).astype(bool), name)
    return out


def compare(
    frame: pd.DataFrame,
    by: str,
    metric: str,
    min_posts: int = MIN_POSTS,
    platform: str | None = None,
    ids: str = "post_id",
) -> list[Comparison]:
    """Every value of ``by`` against all other rows, on ``metric`` (rows missing either are
    left out). Groups too small for an interval still get their sizes and medians.
    ``platform`` names the platform the rows are all from (None: any); each comparison keeps
    its group's ``ids`` (a column of ``frame``, if there is one)."""
    usable = frame.dropna(subset=[by, metric])
    values = usable[metric].astype("float64")
    out = []
    for group in sorted(usable[by].unique(), key=str):
        inside = (usable[by] == group).to_numpy()
        a, b = values[inside].to_numpy(), values[~inside].to_numpy()
        if len(a) == 0 or len(b) == 0:
            continue
        members = tuple(map(str, usable.loc[inside, ids])) if ids in usable else ()
        if len(a) >= 2 and len(b) >= 2:
            where = f"{platform}:" if platform else ""
            seed = [
                SEED,
                zlib.crc32(f"{where}{by}:{group}:{metric}".encode()),
            ]  # same on every page
            diff, low, high = bootstrap_difference(a, b, seed=seed)
        else:
            diff, low, high = float(np.median(a) - np.median(b)), np.nan, np.nan
        out.append(
            Comparison(
                by,
                group,
                metric,
                len(a),
                len(b),
                float(np.median(a)),
                float(np.median(b)),
                diff,
                low,
                high,
                min_posts,
                platform,
                members,
            )
        )
    return out


DIMENSIONS = ("content_type", "topic", "daypart", "weekday")


def findings(
    posts: pd.DataFrame,
    metric: str,
    min_posts: int = MIN_POSTS,
    dimensions: tuple[str, ...] = DIMENSIONS,
) -> list[Comparison]:
    """Within each platform, each content type, topic, part of the day and weekday against the
    platform's other posts (posting times only from posts whose export gave one:
    ``content.with_post_kpis`` leaves the others' hour and weekday empty), the clearest
    differences first. Platforms differ in format, audience and typical rate, so a group is
    never set against another platform's posts: a platform where every post is of the group
    (every TikTok post is a video) says nothing about it. Posts without a hashtag are no topic:
    they count among the rest, never as a group of their own.

    >>> posts = pd.DataFrame({"platform": ["ig"] * 4 + ["tt"] * 2, "post_id": list("abcdef"),
    ...     "content_type": ["reel", "reel", "image", "image", "video", "video"],
    ...     "rate": [0.06, 0.05, 0.03, 0.02, 0.01, 0.01]})
    >>> [(c.platform, c.group, c.n, c.n_rest, c.members) for c in findings(posts, "rate", 2)][:1]
    [('ig', 'image', 2, 2, ('c', 'd'))]
    """
    frame = posts.assign(daypart=daypart(posts["hour"])) if "hour" in posts else posts
    found = [
        c
        for platform, rows in frame.groupby("platform", sort=True)
        for by in dimensions
        if by in rows
        for c in compare(rows, by, metric, min_posts, platform)
    ]
    found = [c for c in found if not (c.by == "topic" and c.group == NO_TOPIC)]  # not a topic
    return sorted(found, key=lambda c: (not c.supported, -abs(c.difference)))


def best_windows(
    posts: pd.DataFrame, kpi: str, min_posts: int = WINDOW_POSTS, level: float = LEVEL
) -> pd.DataFrame:
    """Weekday x daypart cells per platform, each estimated honestly.

    Posts without a publish time are left out. On each platform the KPI is taken on a log
    scale (a post's typical value is a geometric mean: one viral post does not make a window)
    and each cell's mean is shrunk toward the account's by an empirical-Bayes normal model:
    the spread of true cell means (``tau2``) is what the spread of cell means leaves after
    sampling noise, so a cell of three posts moves little from the account's typical post and
    a cell of thirty moves far. Returns ``platform, weekday, daypart, posts, median, lift, low,
    high, named, stands_out``: ``lift`` is the cell's typical post over the account's (1.2 =
    20% above), ``low``/``high`` its ``level`` interval, ``named`` whether the cell has
    ``min_posts`` posts (no cell with fewer is ever named), ``stands_out`` whether a named
    cell's interval lies above 1. Named cells come first, highest lift first, per platform.
    """
    cols = ["platform", "weekday", "daypart", "posts", "median", "lift", "low", "high"]
    timed = posts.dropna(subset=["hour", kpi])
    timed = timed[timed[kpi].astype("float64") >= 0]
    out = [_windows(g, kpi, level) for _, g in timed.groupby("platform", sort=True)]
    out = [o for o in out if not o.empty]
    if not out:
        return pd.DataFrame(columns=[*cols, "named", "stands_out"])
    cells = pd.concat(out, ignore_index=True)[cols]
    cells["named"] = cells["posts"] >= min_posts
    cells["stands_out"] = cells["named"] & (cells["low"] > 1)
    return cells.sort_values(
        ["platform", "named", "lift"],
        ascending=[True, False, False],
        kind="stable",
        ignore_index=True,
    )


def _windows(group: pd.DataFrame, kpi: str, level: float) -> pd.DataFrame:
    value = group[kpi].astype("float64")
    positive = value[value > 0]
    if len(value) < 2 or positive.empty:
        return pd.DataFrame()
    offset = 0.0 if (value > 0).all() else positive.min() / 2  # a zero has no logarithm
    frame = pd.DataFrame(
        {
            "platform": group["platform"],
            "weekday": group["weekday"],
            "daypart": daypart(group["hour"].astype("Int64")),
            "y": np.log(value + offset),
            "value": value,
        }
    )
    mu, n_all = frame["y"].mean(), len(frame)
    cells = frame.groupby(["platform", "weekday", "daypart"], observed=True).agg(
        posts=("y", "size"), mean=("y", "mean"), median=("value", "median")
    )
    cells = cells.reset_index()
    within = frame["y"] - frame.groupby(["weekday", "daypart"])["y"].transform("mean")
    dof = n_all - len(cells)
    sigma2 = float((within**2).sum() / dof) if dof > 0 else float(frame["y"].var())
    if not sigma2 > 0:
        sigma2 = 1e-12
    noise = sigma2 / cells["posts"]
    k = len(cells)
    tau2 = max(float(((cells["mean"] - mu) ** 2 - noise).mean()), 0.0)
    # Morris's (1983) empirical-Bayes interval: the shrinkage factor B is itself estimated, so
    # the variance keeps a term for that; with three cells or fewer nothing is shrunk
    b = ((k - 3) / (k - 1) * noise / (noise + tau2)).clip(upper=1) if k > 3 else noise * 0
    gap = cells["mean"] - mu
    effect = (1 - b) * gap
    extra = 2 / (k - 3) * b**2 * gap**2 if k > 3 else 0
    se = np.sqrt(noise * (1 - (k - 1) / k * b) + extra)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    cells["lift"] = np.exp(effect)
    cells["low"] = np.exp(effect - z * se)
    cells["high"] = np.exp(effect + z * se)
    return cells
