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
``hypothesis`` and a variant's ``name`` may be one text or one per language
(``{zh-TW: ..., en: ...}``).

Sizes are planned on the log scale of the per-post metric (per-post KPIs are right-skewed,
and a relative effect is a shift there): with ``sigma`` the standard deviation of log values
in the brand's history, a test of two variants with ``n`` posts each detects a relative
effect ``exp((z(1-alpha/2) + z(power)) * sigma * sqrt(2/n)) - 1``.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from scipy import stats

from socialkpi.config import CONTENT_TYPES
from socialkpi.config.checked import known_platforms, read_checked, repeated
from socialkpi.metrics.content import PER_POST
from socialkpi.metrics.evidence import daypart

ALPHA = 0.05
POWER = 0.80
EFFECT = 0.20  # the relative difference a plan is sized for, unless told
MIN_POSTS = 10
LEVEL = 0.95  # of a two-variant interval; with m contrasts, 1 - (1 - LEVEL) / m
RESAMPLES = 999  # bootstrap resamples and permutations
SEED = 2026  # the same posts give the same interval and p-value on every page
COVARIATES = ("weekday", "daypart", "content_type")  # adjusted for where they vary
POSTS_PER_TERM = 4  # a covariate joins the regression only while posts >= 4 x its columns
VERDICTS = ("difference", "no_detectable_difference", "inconclusive")


class ExperimentError(ValueError):
    """An experiment file or a match of posts to variants that cannot be used, named."""


class Selector(BaseModel):
    """Which posts a variant holds; every key given must hold. ``name`` is what pages call
    the variant (one text, or one per language); its key otherwise."""

    model_config = ConfigDict(extra="forbid")
    name: str | dict[str, str] | None = None
    hashtag: str | None = None
    label: str | None = None
    content_type: str | None = None
    post_ids: list[str] | None = None
    caption_regex: str | None = None

    @model_validator(mode="after")
    def _some(self):
        if not any(v is not None for k, v in self.model_dump().items() if k != "name"):
            raise ValueError(
                "name the posts: hashtag, label, content_type, post_ids or caption_regex"
            )
        if self.content_type is not None and self.content_type not in CONTENT_TYPES:
            raise ValueError(
                f"unknown content_type {self.content_type!r}; use {', '.join(CONTENT_TYPES)}"
            )
        if self.caption_regex is not None:
            problem = pattern_problem(self.caption_regex)
            if problem:
                raise ValueError(problem)
        return self


class Experiment(BaseModel):
    """One test: its hypothesis, per-post metric, platforms, period and variants."""

    model_config = ConfigDict(extra="forbid")
    id: str
    hypothesis: str | dict[str, str]  # one text, or one per language (zh-TW, en)
    metric: str
    platforms: list[str] = Field(default_factory=list)
    start: date
    end: date
    variants: dict[str, Selector]
    min_posts: int = Field(default=MIN_POSTS, ge=2)

    @field_validator("id")
    @classmethod
    def _safe_id(cls, test_id: str) -> str:
        from socialkpi.config import brands

        try:  # the brand-name rule: an id also names anchors, files and links
            return brands.check(test_id)
        except brands.BrandNameError as err:
            raise ValueError(str(err).replace("brand name", "experiment id")) from None

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
        keep &= contains_pattern(captions, selector.caption_regex)
    return keep.astype(bool)


def pattern_problem(pattern: str) -> str:
    """Why ``caption_regex`` cannot be used, or "". Patterns run on RE2 (linear time in the
    caption's length, whatever the pattern), which has no lookaround and no back-references:
    a pattern that needs them is refused with RE2's reason, never run for minutes.

    >>> pattern_problem("新品|#tea"), pattern_problem("(a+)+$")
    ('', '')
    >>> pattern_problem("(?=x)a")
    'caption_regex cannot be used: invalid perl operator: (?= (patterns run in linear time, without lookaround or back-references; write it without them)'
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.match_substring_regex(pa.array([""], pa.string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
        reason = str(err).removeprefix("Invalid regular expression: ")
        return (
            f"caption_regex cannot be used: {reason} (patterns run in linear time, without "
            "lookaround or back-references; write it without them)"
        )
    return ""


def contains_pattern(texts: pd.Series, pattern: str) -> pd.Series:
    """Which texts contain ``pattern`` (RE2, linear time: :func:`pattern_problem`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.match_substring_regex(pa.array(texts.astype("string"), pa.string()), pattern)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=texts.index).fillna(False)


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


def slots(start: date, end: date, pace: dict[str, float], time: str = "20:00") -> pd.DataFrame:
    """Posting slots for a test: per platform, ``pace`` posts a week spread evenly over
    ``start``..``end`` (at least one), each at ``time`` (HH:MM). Returns ``platform, day,
    planned_time, daypart``.

    >>> slots(date(2026, 11, 2), date(2026, 11, 15), {"instagram": 2})["day"].dt.day.tolist()
    [2, 5, 9, 12]
    """
    days = (end - start).days + 1
    hour = pd.Series([int(time[:2])], dtype="Int64")
    part = daypart(hour).iloc[0]
    rows = []
    for platform, per_week in sorted(pace.items()):
        n = max(1, round(per_week * days / 7))
        for i in range(n):
            day = pd.Timestamp(start) + pd.Timedelta(days=i * days // n)
            rows.append({"platform": platform, "day": day, "planned_time": time, "daypart": part})
    return pd.DataFrame(rows, columns=["platform", "day", "planned_time", "daypart"])


def schedule(slots: pd.DataFrame, variants: list[str], seed: int = 0) -> pd.Series:
    """A variant for each posting slot (``slots`` has ``day`` and ``daypart``), randomised so
    that time cannot bias the test: slots are grouped by weekday and daypart, and within each
    group the variants take turns in an order drawn afresh for every round (a blocked
    switchback), so every group holds each variant equally often, give or take one; a group's
    last, partial round goes to the variants behind overall, so the whole test is balanced
    too, give or take one. Seeded:
    the same slots and seed give the same schedule.

    >>> slots = pd.DataFrame({"day": pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16",
    ...     "2026-11-23"]), "daypart": ["evening"] * 4})
    >>> sorted(schedule(slots, ["A", "B"], seed=1).value_counts().tolist())
    [2, 2]
    """
    rng = np.random.default_rng(seed)
    out = pd.Series(pd.NA, index=slots.index, dtype="string")
    totals = dict.fromkeys(variants, 0)
    ordered = slots.assign(weekday=pd.to_datetime(slots["day"]).dt.day_of_week)
    ordered = ordered.sort_values(["day"], kind="stable")
    for _, group in ordered.groupby(["weekday", "daypart"], sort=True, dropna=False):
        rounds, rest = divmod(len(group), len(variants))
        turns = [v for _ in range(rounds) for v in rng.permutation(variants)]
        # the last, partial round goes to the variants behind overall (ties drawn at random)
        behind = sorted(variants, key=lambda v: (totals[v], rng.random()))[:rest]
        turns += list(rng.permutation(behind)) if rest else []
        for v in turns:
            totals[v] += 1
        out[group.index] = turns
    return out


# --- what a test shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class Contrast:
    """Two variants compared: ``better`` has the higher estimated rate."""

    better: str
    worse: str
    effect: float  # better over worse, relative: 0.3 = 30% higher (the regression's estimate)
    low: float  # the bootstrap interval of ``effect``
    high: float
    p_value: float  # the permutation test's, adjusted for the number of contrasts (Holm)
    p_model: float  # the regression's own (Wald), for reference


@dataclass(frozen=True)
class Analysis:
    """An experiment's result. ``verdict`` is one of :data:`VERDICTS`; an inconclusive one
    says why in ``reason`` (``running``: the test has not ended by ``as_of``; ``too_few``: a
    variant has fewer than ``min_posts`` posts)."""

    experiment: str
    metric: str
    verdict: str
    posts: dict[str, int]
    min_posts: int
    reason: str | None = None
    winner: str | None = None
    contrasts: list[Contrast] = field(default_factory=list)
    mde: float | None = None  # the smallest difference the posts could detect (80% power)
    covariates: list[str] = field(default_factory=list)
    level: float = LEVEL
    correction: str | None = None  # "holm" with more than two variants

    @property
    def headline(self) -> Contrast | None:
        """The comparison a reader is told first: the winner against its closest rival, else
        the clearest difference, else the best two variants."""
        if not self.contrasts:
            return None
        if self.winner is not None:
            own = [c for c in self.contrasts if c.better == self.winner]
            return min(own, key=lambda c: c.effect)
        found = [c for c in self.contrasts if c.p_value < ALPHA]
        return min(found or self.contrasts, key=lambda c: (c.p_value, -c.effect))

    def as_json(self) -> dict:
        """The result as JSON-ready values (``socialkpi experiment analyze --format json``)."""
        top = self.headline
        return {
            "id": self.experiment,
            "metric": self.metric,
            "verdict": self.verdict,
            "reason": self.reason,
            "winner": self.winner,
            "effect": top.effect if top else None,
            "interval": [top.low, top.high] if top else None,
            "level": self.level,
            "p_value": top.p_value if top else None,
            "posts": self.posts,
            "min_posts": self.min_posts,
            "mde": self.mde,
            "covariates": self.covariates,
            "correction": self.correction,
            "contrasts": [c.__dict__ for c in self.contrasts],
        }


def analyze(
    posts: pd.DataFrame,
    experiment: Experiment,
    as_of: date,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Analysis:
    """Analyse an experiment on its posts (per-post KPIs with ``day`` and ``hour``), as the
    data stands on ``as_of``.

    Post by post, never summed: the metric's numerator is modelled by a negative-binomial
    regression with the log of its denominator as offset (rates; counts have none), a term
    for the variant and terms for weekday, daypart and content type where they vary and do
    not duplicate the variant. Its variant coefficient is the effect. A seeded permutation
    test of that coefficient (variant labels shuffled over the posts) gives the p-value the
    verdict rests on, and a seeded bootstrap over posts (resampled within each variant)
    gives its interval (percentiles); both refit the regression with the dispersion held at the full fit.
    With more than two variants every pair is compared, p-values are adjusted by Holm's
    method and intervals widened to ``1 - 0.05 / pairs``.
    """
    num, den = PER_POST[experiment.metric]
    frame = posts.assign(variant=assign(posts, experiment)).dropna(subset=["variant"])
    usable = frame[num].notna() & (frame[den].astype("float64") > 0 if den else True)
    frame = frame[usable].reset_index(drop=True)
    names = list(experiment.variants)
    counts = {v: int(frame["variant"].eq(v).sum()) for v in names}
    base = {"experiment": experiment.id, "metric": experiment.metric, "posts": counts}
    base["min_posts"] = experiment.min_posts
    if as_of < experiment.end:
        return Analysis(**base, verdict="inconclusive", reason="running")
    if min(counts.values()) < experiment.min_posts:
        return Analysis(**base, verdict="inconclusive", reason="too_few")
    pairs = list(combinations(names, 2))
    level = 1 - (1 - LEVEL) / len(pairs)
    rng = np.random.default_rng(seed)
    fits = [_contrast(frame, num, den, pair, level, resamples, rng) for pair in pairs]
    adjusted = _holm([f[0].p_value for f in fits])
    contrasts = [
        Contrast(**(f[0].__dict__ | {"p_value": p})) for f, p in zip(fits, adjusted, strict=True)
    ]
    found = [c for c in contrasts if c.p_value < ALPHA]
    winner = next((v for v in names if sum(c.better == v for c in found) == len(names) - 1), None)
    spread = _within_spread(frame[experiment.metric], frame["variant"])
    fewest = min(counts.values())
    return Analysis(
        **base,
        verdict="difference" if found else "no_detectable_difference",
        winner=winner,
        contrasts=contrasts,
        mde=None if math.isnan(spread) else detectable_effect(spread, fewest, ALPHA / len(pairs)),
        covariates=sorted({c for f in fits for c in f[1]}, key=COVARIATES.index),
        level=level,
        correction="holm" if len(pairs) > 1 else None,
    )


def _within_spread(values: pd.Series, groups: pd.Series) -> float:
    """The standard deviation of log values about their group's mean (zeros left out)."""
    logs = np.log(values.astype("float64").where(values > 0))
    residual = (logs - logs.groupby(groups).transform("mean")).dropna()
    dof = len(residual) - groups[logs.notna()].nunique()
    return float(np.sqrt((residual**2).sum() / dof)) if dof >= 2 else float("nan")


def _holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjustment: the k-th smallest of m p-values times m - k + 1, kept
    monotone and at most 1.

    >>> _holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    out, running = [0.0] * m, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        out[i] = round(running, 12)
    return out


def design(frame: pd.DataFrame, columns=COVARIATES) -> tuple[np.ndarray, list[str]]:
    """The regression's columns for posts with a ``variant`` of two values: intercept, the
    second variant, then dummies of each covariate that varies, kept only where it adds
    information (a covariate the variant determines, such as content type in a reels-versus-
    carousels test, would make the model unidentifiable) and while every column has
    :data:`POSTS_PER_TERM` posts to estimate it from. Returns the matrix and the covariates
    kept."""
    parts = {
        "weekday": frame.get("weekday"),
        "daypart": daypart(frame["hour"].astype("Int64")) if "hour" in frame else None,
        "content_type": frame.get("content_type"),
    }
    second = sorted(frame["variant"].unique())[-1]
    x = np.column_stack([np.ones(len(frame)), frame["variant"].eq(second).to_numpy(float)])
    kept = []
    for name in columns:
        values = parts.get(name)
        if values is None or values.isna().any() or values.nunique() < 2:
            continue
        dummies = pd.get_dummies(values.astype(str), drop_first=True, dtype=float).to_numpy()
        candidate = np.column_stack([x, dummies])
        if candidate.shape[1] > len(frame) // POSTS_PER_TERM:
            continue
        if np.linalg.matrix_rank(candidate) == candidate.shape[1]:
            x, kept = candidate, [*kept, name]
    return x, kept


def _contrast(frame, num, den, pair, level, resamples, rng) -> tuple[Contrast, list[str]]:
    """One pair's regression, permutation test and bootstrap interval (p unadjusted)."""
    first, second = pair
    sub = frame[frame["variant"].isin(pair)].reset_index(drop=True)
    sub = sub.assign(variant=sub["variant"].map({first: "0", second: "1"}))
    x, kept = design(sub)
    y = sub[num].to_numpy(float)
    offset = np.log(sub[den].to_numpy(float)) if den else np.zeros(len(sub))
    beta, alpha, p_model = _fit(y, x, offset)

    null = np.r_[beta[0], 0.0, beta[2:]]  # shuffled labels: the variant's effect near zero

    def shuffled(a, b, axis=-1):
        return _variant_coefficients(y, x, offset, alpha, null, a, b)

    def resampled(a, b, axis=-1):
        return _variant_coefficients(y, x, offset, alpha, beta, a, b)

    rows = (np.flatnonzero(sub["variant"].eq("0")), np.flatnonzero(sub["variant"].eq("1")))
    test = stats.permutation_test(rows, shuffled, vectorized=True, n_resamples=resamples, rng=rng)
    boot = stats.bootstrap(
        rows,
        resampled,
        vectorized=True,
        n_resamples=resamples,
        confidence_level=level,
        method="percentile",
        rng=rng,
    )
    low, high = (float(v) for v in np.expm1(boot.confidence_interval))
    effect = math.expm1(beta[1])
    if effect >= 0:
        found = Contrast(second, first, effect, low, high, float(test.pvalue), p_model)
    else:  # told the other way round: the better over the worse
        flip = [1 / (1 + v) - 1 for v in (effect, high, low)]
        found = Contrast(first, second, *flip, float(test.pvalue), p_model)
    return found, kept


def _fit(y: np.ndarray, x: np.ndarray, offset: np.ndarray) -> tuple[np.ndarray, float, float]:
    """The negative-binomial (NB2) regression by maximum likelihood: coefficients, the
    dispersion and the variant coefficient's Wald p-value."""
    import statsmodels.api as sm

    model = sm.NegativeBinomial(y, x, offset=offset)
    for method in ("bfgs", "nm"):  # Newton's steps can leave the likelihood's domain
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a dispersion near zero warns: Poisson's limit
            fit = model.fit(method=method, maxiter=5000, disp=0)
        params = np.asarray(fit.params)
        if fit.mle_retvals["converged"] and np.isfinite(params).all():
            break
    else:
        raise ExperimentError("the regression did not converge on these posts")
    return params[:-1], max(float(params[-1]), 1e-8), float(np.asarray(fit.pvalues)[1])


def _variant_coefficients(y, x, offset, alpha, start, first, second, steps=50) -> np.ndarray:
    """The variant coefficient refitted on many row sets at once: ``first`` and ``second``
    (arrays of row numbers, one set per leading index) are taken as the two variants.
    Newton's method for the NB2 model with the dispersion fixed at ``alpha``, started from
    ``start`` with steps of at most 1 on the log scale; a covariate level a set lacks gets a zero
    coefficient. A row's weight depends only on the row and the variant it is taken as, so
    each set is a count per row and variant, and every step is two matrix products."""
    single = np.ndim(first) == 1
    first, second = np.atleast_2d(first), np.atleast_2d(second)
    n, p = x.shape
    sides = []
    for g, rows in enumerate((first, second)):
        xg = x.copy()
        xg[:, 1] = g
        counts = np.stack([np.bincount(r.astype(int), minlength=n) for r in rows])
        outer = (xg[:, :, None] * xg[:, None, :]).reshape(n, p * p)
        sides.append((xg, counts.astype(float), outer))
    beta = np.broadcast_to(start, (len(first), p)).copy()
    ridge = 1e-9 * np.eye(p)
    active = np.arange(len(first))  # the sets still moving; each step refits only those
    for _ in range(steps):
        b = beta[active]
        lhs, rhs = ridge, 0.0
        for xg, counts, outer in sides:
            eta = np.clip(b @ xg.T, -50, 50)
            mu = np.exp(eta + offset)
            c, spread = counts[active], 1 + alpha * mu
            w = c * mu * (1 + alpha * y) / spread**2  # the observed information, per row
            lhs = lhs + (w @ outer).reshape(-1, p, p)
            rhs = rhs + (w * eta + c * (y - mu) / spread) @ xg
        step = np.linalg.solve(lhs, rhs[..., None])[..., 0] - b
        longest = np.abs(step).max(axis=1, keepdims=True)
        new = b + step / np.maximum(longest, 1.0)  # at most 1 on the log scale per step
        beta[active] = new
        active = active[np.abs(new[:, 1] - b[:, 1]) >= 1e-6]
        if not len(active):
            break
    return beta[0, 1] if single else beta[:, 1]
