"""Why did a KPI change? Split the change in a post KPI between two periods into post
volume, content mix, reach per post and rate effects that add up exactly to the change.

With N posts, a share s_t of them of content type t, reach per post R_t and rate r_t
(numerator per unit of reach), the total is  E = N * sum_t s_t * R_t * r_t.  Each factor's
effect is its Shapley value: the average, over every order of switching the four factors
from the old period to the new one, of the change that switching it causes. The effects
sum to E_new - E_old by construction (up to floating-point rounding), whatever the order.
"""

from __future__ import annotations

import itertools
import math

import pandas as pd

FACTORS = ("volume", "mix", "reach_per_post", "rate")


def _factors(posts: pd.DataFrame, numerator: str, denominator: str, by: str) -> dict:
    usable = posts[posts[denominator].astype("float64") > 0]
    groups = usable.groupby(by, observed=True)
    n = len(usable)
    counts = groups.size()
    den = groups[denominator].sum().astype("float64")
    num = groups[numerator].sum().astype("float64")
    return {
        "volume": float(n),
        "mix": (counts / n).to_dict() if n else {},
        "reach_per_post": (den / counts).to_dict(),
        "rate": (num / den).to_dict(),
    }


def _total(f: dict, types: list) -> float:
    return f["volume"] * sum(
        f["mix"].get(t, 0.0) * f["reach_per_post"].get(t, 0.0) * f["rate"].get(t, 0.0)
        for t in types
    )


def decompose(
    before: pd.DataFrame, after: pd.DataFrame, numerator: str = "engagements",
    denominator: str = "reach", by: str = "content_type",
) -> pd.DataFrame:  # fmt: skip
    """Effects of volume, mix, reach per post and rate on the change of ``numerator``.

    Posts without a positive ``denominator`` are left out (their rate is undefined). A
    content type present in one period only takes its per-post values from the other, so
    its appearance counts as mix.

    Examples
    --------
    >>> old = pd.DataFrame({"content_type": ["image"], "engagements": [10], "reach": [100]})
    >>> new = pd.DataFrame({"content_type": ["image"] * 2, "engagements": [10, 10], "reach": [100, 100]})
    >>> decompose(old, new).set_index("effect")["value"].round(9).to_dict()
    {'volume': 10.0, 'mix': 0.0, 'reach_per_post': 0.0, 'rate': 0.0, 'total': 10.0}
    """
    f0 = _factors(before, numerator, denominator, by)
    f1 = _factors(after, numerator, denominator, by)
    types = sorted(set(f0["mix"]) | set(f1["mix"]), key=str)
    for key in ("reach_per_post", "rate"):  # types missing in one period borrow the other's values
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
    total = _total(f1, types) - _total(f0, types)
    rows = [*effects.items(), ("total", total)]
    return pd.DataFrame(rows, columns=["effect", "value"])
