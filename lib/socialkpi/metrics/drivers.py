"""Why did a KPI change? Split the change in a post KPI between two periods into post
volume, content mix, audience per post and rate effects that add up exactly to the change.

With N posts, a share s_t of them of content type t, denominator per post R_t (reach, or
exposure: impressions or views) and rate r_t (numerator per unit of the denominator), the
total is  E = N * sum_t s_t * R_t * r_t.  Each factor's effect is its Shapley value: the
average, over every order of switching the four factors from the old period to the new one,
of the change that switching it causes. Posts without a positive denominator have no rate;
the change in their numerator is the ``unmeasured`` effect, so that the effects sum to the
change over all posts (the scorecard's scope), up to floating-point rounding.
"""

from __future__ import annotations

import itertools
import math

import pandas as pd

FACTORS = ("volume", "mix", "per_post", "rate")
UNKNOWN = "(unknown)"


def _factors(posts: pd.DataFrame, numerator: str, denominator: str, by: str) -> dict:
    usable = posts[posts[denominator].astype("float64") > 0]
    # posts without a type (X's exports give none) are a group of their own, never dropped
    groups = usable.groupby(usable[by].astype(object).fillna(UNKNOWN), observed=True)
    n = len(usable)
    counts = groups.size()
    den = groups[denominator].sum().astype("float64")
    num = groups[numerator].sum().astype("float64")
    return {
        "volume": float(n),
        "mix": (counts / n).to_dict() if n else {},
        "per_post": (den / counts).to_dict(),
        "rate": (num / den).to_dict(),
    }


def _total(f: dict, types: list) -> float:
    return f["volume"] * sum(
        f["mix"].get(t, 0.0) * f["per_post"].get(t, 0.0) * f["rate"].get(t, 0.0) for t in types
    )


def decompose(
    before: pd.DataFrame,
    after: pd.DataFrame,
    numerator: str = "engagements",
    denominator: str = "exposure",
    by: str = "content_type",
) -> pd.DataFrame:
    """Effects of volume, mix, ``denominator`` per post, rate and unmeasured posts on the
    change of ``numerator`` over all posts.

    A content type present in one period only takes its per-post values from the other, so
    its appearance counts as mix.

    Examples
    --------
    >>> old = pd.DataFrame({"content_type": ["image"], "engagements": [10], "exposure": [100]})
    >>> new = pd.DataFrame({"content_type": ["image"] * 2, "engagements": [10, 10], "exposure": [100, 100]})
    >>> decompose(old, new).set_index("effect")["value"].round(9).to_dict()
    {'volume': 10.0, 'mix': 0.0, 'per_post': 0.0, 'rate': 0.0, 'unmeasured': 0.0, 'total': 10.0}
    """
    f0 = _factors(before, numerator, denominator, by)
    f1 = _factors(after, numerator, denominator, by)
    types = sorted(set(f0["mix"]) | set(f1["mix"]), key=str)
    for key in ("per_post", "rate"):  # types missing in one period borrow the other's values
        for t in types:
            f0[key].setdefault(t, f1[key].get(t, 0.0))
            f1[key].setdefault(t, f0[key].get(t, 0.0))
    k = len(FACTORS)
    effects = dict.fromkeys(FACTORS, 0.0)
    for i, factor in enumerate(FACTORS):
        others = [j for j in range(k) if j != i]
        for size in range(k):
            weight = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            for subset in itertools.combinations(others, size):
                mixed = {FACTORS[j]: (f1 if j in subset else f0)[FACTORS[j]] for j in range(k)}
                with_i = {**mixed, factor: f1[factor]}
                effects[factor] += weight * (_total(with_i, types) - _total(mixed, types))
    effects["unmeasured"] = _unmeasured(after, numerator, denominator) - _unmeasured(
        before, numerator, denominator
    )
    total = _total(f1, types) - _total(f0, types) + effects["unmeasured"]
    rows = [*effects.items(), ("total", total)]
    return pd.DataFrame(rows, columns=["effect", "value"])


def _unmeasured(posts: pd.DataFrame, numerator: str, denominator: str) -> float:
    """The numerator of posts without a positive denominator (no rate can be taken of them)."""
    lacking = ~(posts[denominator].astype("float64") > 0)
    return float(posts.loc[lacking, numerator].astype("float64").sum())
