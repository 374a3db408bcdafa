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

import numpy as np
import pandas as pd

from socialkpi.content import NO_TOPIC

MIN_POSTS = 5
LEVEL = 0.95
RESAMPLES = 2000
SEED = 2026
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
    draws_a = np.median(a[rng.integers(0, len(a), (resamples, len(a)))], axis=1)
    draws_b = np.median(b[rng.integers(0, len(b), (resamples, len(b)))], axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(draws_a - draws_b, [tail, 100 - tail])
    return float(np.median(a) - np.median(b)), float(low), float(high)


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
    frame: pd.DataFrame, by: str, metric: str, min_posts: int = MIN_POSTS
) -> list[Comparison]:
    """Every value of ``by`` against all other rows, on ``metric`` (rows missing either are
    left out). Groups too small for an interval still get their sizes and medians."""
    usable = frame.dropna(subset=[by, metric])
    values = usable[metric].astype("float64")
    out = []
    for group in sorted(usable[by].unique(), key=str):
        inside = (usable[by] == group).to_numpy()
        a, b = values[inside].to_numpy(), values[~inside].to_numpy()
        if len(a) == 0 or len(b) == 0:
            continue
        if len(a) >= 2 and len(b) >= 2:
            seed = [SEED, zlib.crc32(f"{by}:{group}:{metric}".encode())]  # the same on every page
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
            )
        )
    return out


def findings(
    posts: pd.DataFrame,
    metric: str,
    min_posts: int = MIN_POSTS,
    dimensions: tuple[str, ...] = ("content_type", "topic", "daypart", "weekday"),
) -> list[Comparison]:
    """Each content type, topic, part of the day and weekday against the other posts (posting
    times only from posts whose export gave one: ``content.with_post_kpis`` leaves the others'
    hour and weekday empty), the clearest differences first. Posts without a hashtag are no
    topic: they count among the rest, never as a group of their own."""
    frame = posts.assign(daypart=daypart(posts["hour"])) if "hour" in posts else posts
    found = [c for by in dimensions if by in frame for c in compare(frame, by, metric, min_posts)]
    found = [c for c in found if not (c.by == "topic" and c.group == NO_TOPIC)]  # not a topic
    return sorted(found, key=lambda c: (not c.supported, -abs(c.difference)))
