"""Organic A/B tests (SOP step 內容測試): the experiment file, which posts belong to which
variant, and how many posts a test needs.

Experiments live in a reviewable YAML file per brand (``data/experiments/<brand>.yaml``)::

    brand: lumi_tea
    experiments:
      - id: reel-vs-carousel
        hypothesis: Reels get a higher engagement rate than carousels for new-product posts
        metric: engagement_rate_exposure      # a per-post KPI
        platforms: [instagram]
        start: 2026-09-01
        end: 2026-10-31
        variants:                              # two or more; a post matches at most one
          A: {hashtag: "#試A"}
          B: {hashtag: "#試B"}
        min_posts: 10                          # per variant, for a verdict

A variant's selector names posts by ``hashtag``, ``label`` (Meta's custom labels),
``content_type``, ``post_ids`` or ``caption_regex``; several keys in one selector must all hold.

Sizes are planned on the log scale of the per-post metric (per-post KPIs are right-skewed,
and a relative effect is a shift there): with ``sigma`` the standard deviation of log values
in the brand's history, a test of two variants with ``n`` posts each detects a relative
effect ``exp((z(1-alpha/2) + z(power)) * sigma * sqrt(2/n)) - 1``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from socialkpi.content import PER_POST
from socialkpi.goals import known_platforms, read_checked, repeated
from socialkpi.schema import CONTENT_TYPES

ALPHA = 0.05
POWER = 0.80
EFFECT = 0.20  # the relative difference a plan is sized for, unless told
MIN_POSTS = 10


class ExperimentError(ValueError):
    """An experiment file or a match of posts to variants that cannot be used, named."""


class Selector(BaseModel):
    """Which posts a variant holds; every key given must hold."""

    model_config = ConfigDict(extra="forbid")
    hashtag: str | None = None
    label: str | None = None
    content_type: str | None = None
    post_ids: list[str] | None = None
    caption_regex: str | None = None

    @model_validator(mode="after")
    def _some(self):
        if not any(v is not None for v in self.model_dump().values()):
            raise ValueError(
                "name the posts: hashtag, label, content_type, post_ids or caption_regex"
            )
        if self.content_type is not None and self.content_type not in CONTENT_TYPES:
            raise ValueError(
                f"unknown content_type {self.content_type!r}; use {', '.join(CONTENT_TYPES)}"
            )
        if self.caption_regex is not None:
            try:
                re.compile(self.caption_regex)
            except re.error as err:
                raise ValueError(f"caption_regex is not a regular expression: {err}") from None
        return self


class Experiment(BaseModel):
    """One test: its hypothesis, per-post metric, platforms, period and variants."""

    model_config = ConfigDict(extra="forbid")
    id: str
    hypothesis: str
    metric: str
    platforms: list[str] = Field(default_factory=list)
    start: date
    end: date
    variants: dict[str, Selector]
    min_posts: int = Field(default=MIN_POSTS, ge=2)

    @field_validator("metric")
    @classmethod
    def _per_post(cls, metric: str) -> str:
        if metric not in PER_POST:
            raise ValueError(f"{metric!r} is not a per-post KPI; use one of {', '.join(PER_POST)}")
        return metric

    @field_validator("platforms")
    @classmethod
    def _known_platforms(cls, platforms: list[str]) -> list[str]:
        return known_platforms(platforms)

    @field_validator("variants")
    @classmethod
    def _two_or_more(cls, variants: dict) -> dict:
        if len(variants) < 2:
            raise ValueError(f"a test needs two or more variants, found {len(variants)}")
        return variants

    @model_validator(mode="after")
    def _period(self):
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class ExperimentsFile(BaseModel):
    """A brand's experiment file, checked on load."""

    model_config = ConfigDict(extra="forbid")
    brand: str
    experiments: list[Experiment]

    @model_validator(mode="after")
    def _unique(self):
        dupes = repeated([e.id for e in self.experiments])
        if dupes:
            raise ValueError(f"experiment ids must be unique: {dupes}")
        return self


def load_experiments(path: str | Path) -> ExperimentsFile:
    """Read and validate an experiment file; every problem is reported with its field path."""
    return read_checked(path, ExperimentsFile, ExperimentError, "experiment file")


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def matches(posts: pd.DataFrame, selector: Selector) -> pd.Series:
    """Which posts (``post_id, caption, content_type`` and ``labels`` where known) the
    selector names. Hashtags and labels compare without case or full-width forms.

    >>> posts = pd.DataFrame({"post_id": ["1", "2", "3"], "content_type": ["reel", "reel", "image"],
    ...     "caption": ["新品 #試A", "#試a 二", "#試B"], "labels": [None, "Test", None]})
    >>> matches(posts, Selector(hashtag="#試Ａ")).tolist()
    [True, True, False]
    >>> matches(posts, Selector(hashtag="試A", label="test")).tolist()
    [False, True, False]
    """
    keep = pd.Series(True, index=posts.index)
    captions = posts.get("caption", pd.Series("", index=posts.index)).fillna("").astype(str)
    if selector.hashtag is not None:
        tag = _key(selector.hashtag.lstrip("#＃"))
        tags = captions.map(lambda c: {_key(t) for t in re.findall(r"[#＃]([^\s#＃]+)", c)})
        keep &= tags.map(lambda found: tag in found)
    if selector.label is not None:
        labels = posts.get("labels", pd.Series(None, index=posts.index))
        wanted = _key(selector.label)
        keep &= labels.map(
            lambda text: (
                isinstance(text, str) and wanted in {_key(w) for w in re.split(r"[,，、;]", text)}
            )
        )
    if selector.content_type is not None:
        keep &= posts["content_type"].eq(selector.content_type).fillna(False)
    if selector.post_ids is not None:
        keep &= posts["post_id"].astype(str).isin(selector.post_ids)
    if selector.caption_regex is not None:
        keep &= captions.str.contains(selector.caption_regex, regex=True)
    return keep.astype(bool)


def assign(posts: pd.DataFrame, experiment: Experiment) -> pd.Series:
    """Each post's variant (NA: in none). Posts outside the experiment's platforms or period
    (``day``, the local publish day) are in none. A post two variants name is an error naming
    it: the test would count it twice."""
    inside = pd.Series(True, index=posts.index)
    if experiment.platforms:
        inside &= posts["platform"].isin(experiment.platforms)
    if "day" in posts:
        day = pd.to_datetime(posts["day"])
        inside &= day.between(pd.Timestamp(experiment.start), pd.Timestamp(experiment.end))
    hits = pd.DataFrame(
        {name: matches(posts, s) & inside for name, s in experiment.variants.items()}
    )
    twice = hits.sum(axis=1) > 1
    if twice.any():
        named = [
            f"{posts.at[i, 'post_id']} ({', '.join(hits.columns[hits.loc[i]])})"
            for i in posts.index[twice]
        ]
        raise ExperimentError(
            f"experiment {experiment.id}: posts in two variants: {'; '.join(named)}; "
            "make the variants' selectors exclusive"
        )
    out = pd.Series(pd.NA, index=posts.index, dtype="string")
    for name in hits.columns:
        out[hits[name]] = name
    return out


# --- how many posts ---------------------------------------------------------------------------


def log_spread(values) -> float:
    """The standard deviation of log per-post values (zeros and gaps left out); NaN with
    fewer than three."""
    v = pd.Series(values, dtype="float64")
    v = np.log(v[v > 0])
    return float(v.std(ddof=1)) if len(v) >= 3 else float("nan")


def _z(alpha: float, power: float) -> float:
    normal = NormalDist()
    return normal.inv_cdf(1 - alpha / 2) + normal.inv_cdf(power)


def posts_needed(sigma: float, effect: float = EFFECT, alpha=ALPHA, power=POWER) -> int:
    """Posts per variant to detect a relative ``effect`` (0.2 = 20%) between two variants.

    >>> posts_needed(0.5, 0.2)  # 2 · (1.96 + 0.84)² · 0.25 / ln(1.2)² = 118.06
    119
    """
    if not effect > 0 or not sigma > 0:
        raise ValueError("effect and spread must be above zero")
    return math.ceil(2 * (_z(alpha, power) * sigma / math.log1p(effect)) ** 2)


def detectable_effect(sigma: float, posts: int, alpha=ALPHA, power=POWER) -> float:
    """The smallest relative effect ``posts`` per variant detect (the inverse of
    :func:`posts_needed`).

    >>> round(detectable_effect(0.5, 40), 3)  # exp(2.8016 · 0.5 · √(2/40)) - 1
    0.368
    """
    if posts < 2:
        return float("nan")
    return math.expm1(_z(alpha, power) * sigma * math.sqrt(2 / posts))


def plan(
    history: pd.DataFrame, metric: str, effect: float = EFFECT, sizes=(10, 20, 40, 80)
) -> dict:
    """A test's plan from the brand's history of one platform (a frame with the per-post
    ``metric``): the spread, the posts per variant the ``effect`` needs, and the effect each of
    ``sizes`` posts per variant can detect."""
    sigma = log_spread(history[metric])
    enough = not math.isnan(sigma)
    return {
        "metric": metric,
        "history_posts": int(history[metric].astype("float64").gt(0).sum()),
        "spread": sigma,
        "effect": effect,
        "posts_needed": posts_needed(sigma, effect) if enough else None,
        "detectable": {n: detectable_effect(sigma, n) if enough else None for n in sizes},
    }


# --- when each variant goes out ---------------------------------------------------------------


def schedule(slots: pd.DataFrame, variants: list[str], seed: int = 0) -> pd.Series:
    """A variant for each posting slot (``slots`` has ``day`` and ``daypart``), randomised so
    that time cannot bias the test: slots are grouped by weekday and daypart, and within each
    group the variants take turns in an order drawn afresh for every round (a blocked
    switchback), so every group holds each variant equally often, give or take one. Seeded:
    the same slots and seed give the same schedule.

    >>> slots = pd.DataFrame({"day": pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16",
    ...     "2026-11-23"]), "daypart": ["evening"] * 4})
    >>> sorted(schedule(slots, ["A", "B"], seed=1).value_counts().tolist())
    [2, 2]
    """
    rng = np.random.default_rng(seed)
    out = pd.Series(pd.NA, index=slots.index, dtype="string")
    ordered = slots.assign(weekday=pd.to_datetime(slots["day"]).dt.day_of_week)
    ordered = ordered.sort_values(["day"], kind="stable")
    for _, group in ordered.groupby(["weekday", "daypart"], sort=True, dropna=False):
        turns: list[str] = []
        while len(turns) < len(group):
            turns += list(rng.permutation(variants))
        out[group.index] = turns[: len(group)]
    return out
