"""Is a change real? Uncertainty statements for period-over-period comparisons.

Rates of events over exposures get an interval for the difference (Newcombe's method from
Wilson intervals when the rate is a proportion, a Poisson rate ratio otherwise). Counts and
other values are compared with their own history: a change larger than twice the standard
deviation of past period-to-period changes is "beyond normal variation".
"""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054

# the labels a change can get (ids; the catalogue's "assessment" group holds their words)
ASSESSMENTS = ("up_beyond", "down_beyond", "within", "no_data", "short_history", "not_comparable")


def wilson(successes: float, trials: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion.

    Examples
    --------
    >>> [round(v, 4) for v in wilson(5, 10)]
    [0.2366, 0.7634]
    """
    if trials <= 0:
        return (math.nan, math.nan)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return (centre - half, centre + half)


def rate_change(x1: float, n1: float, x0: float, n0: float) -> dict:
    """Compare rate x1/n1 (now) with x0/n0 (before): difference, its 95% interval, a label key.

    Proportions (0 <= x <= n) use Newcombe's hybrid score interval; rates that can exceed 1
    (shares per post) use the Poisson rate ratio on the log scale; net scores in -1..1 (net
    sentiment) a normal interval with the binomial variance (1 - r^2) / n.
    """
    if min(n1, n0) <= 0 or any(map(math.isnan, (x1, n1, x0, n0))):
        return {"diff": math.nan, "low": math.nan, "high": math.nan, "label": "no_data"}
    p1, p0 = x1 / n1, x0 / n0
    diff = p1 - p0
    if min(x1, x0) < 0:
        # a net score in -1..1 (net sentiment = 2p - 1 for the positive share p): var (1 - r^2) / n
        half = Z95 * math.sqrt(max(0.0, 1 - p1 * p1) / n1 + max(0.0, 1 - p0 * p0) / n0)
        low, high = diff - half, diff + half
    elif x1 <= n1 and x0 <= n0:
        l1, u1 = wilson(x1, n1)
        l0, u0 = wilson(x0, n0)
        low = diff - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
        high = diff + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    elif x1 > 0 and x0 > 0:
        se = math.sqrt(1 / x1 + 1 / x0)
        ratio = p1 / p0
        low = p0 * (ratio * math.exp(-Z95 * se) - 1)
        high = p0 * (ratio * math.exp(Z95 * se) - 1)
    else:
        return {"diff": diff, "low": math.nan, "high": math.nan, "label": "no_data"}
    label = "within"
    if low > 0:
        label = "up_beyond"
    elif high < 0:
        label = "down_beyond"
    return {"diff": diff, "low": low, "high": high, "label": label}


def value_change(current: float, previous: float, history: list[float]) -> dict:
    """Compare a value's change with the spread of past period-to-period changes.

    ``history`` is the series before ``previous`` and ``current`` (oldest first, including
    ``previous`` as its last element or not: only its consecutive differences are used).

    Examples
    --------
    >>> value_change(130, 100, [100, 104, 98, 103, 100])["label"]
    'up_beyond'
    """
    if math.isnan(current) or math.isnan(previous):
        return {"diff": math.nan, "low": math.nan, "high": math.nan, "label": "no_data"}
    diff = current - previous
    steps = np.diff(np.asarray([h for h in history if not math.isnan(h)], dtype=float))
    if len(steps) < 3:
        return {"diff": diff, "low": math.nan, "high": math.nan, "label": "short_history"}
    spread = 2 * float(np.std(steps, ddof=1))
    mean_step = float(np.mean(steps))
    low, high = mean_step - spread, mean_step + spread
    label = "within"
    if diff > high:
        label = "up_beyond"
    elif diff < low:
        label = "down_beyond"
    return {"diff": diff, "low": low, "high": high, "label": label}
