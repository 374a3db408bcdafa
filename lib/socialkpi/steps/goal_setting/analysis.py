"""Setting goals: SMART checks of a goal against the brand's history, and targets suggested
from it (conservative, expected, stretch) with how unusual each would be. The goals file
itself and each goal's pacing are ``metrics.goals``."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from socialkpi import metrics
from socialkpi.metrics.goals import Goal, growth_rates, target_value, whole_number

# --- numbers -----------------------------------------------------------------------------


def suggest_targets(
    history: pd.Series, baseline: float, months: int, better: str = "up", whole: bool = False
) -> dict[str, float]:
    """Conservative, expected and stretch targets: the baseline grown by the 25/50/75%
    quantiles of past growth over spans as long as the goal (``months``); whole numbers for a
    KPI that counts whole things (:func:`whole_number`). A suggestion that does not beat the
    baseline (past spans that mostly fell) is no growth target: the page says "hold".

    Examples
    --------
    >>> s = pd.Series([100.0, 110.0, 121.0, 133.1], index=["a", "b", "c", "d"])
    >>> {k: round(v, 1) for k, v in suggest_targets(s, 100.0, 2).items()}
    {'conservative': 121.0, 'expected': 121.0, 'stretch': 121.0}
    """
    g = growth_rates(history, months)
    if len(g) == 0 or math.isnan(baseline):
        return {"conservative": math.nan, "expected": math.nan, "stretch": math.nan}
    q25, q50, q75 = np.quantile(g, [0.25, 0.5, 0.75])
    low, high = (q25, q75) if better == "up" else (q75, q25)
    pairs = (("conservative", low), ("expected", q50), ("stretch", high))
    out = {name: float(baseline * (1 + q)) for name, q in pairs}
    return {k: whole_number(v, better) for k, v in out.items()} if whole else out


@dataclass(frozen=True)
class Finding:
    """One SMART finding: its message is the catalogue key ``smart.<message>`` filled with
    ``values`` (ids and numbers; the presentation layer turns them into words)."""

    goal: str
    check: str  # measurable | achievable | relevant | time_bound | specific
    level: str  # ok | warn | error
    message: str
    values: dict


def smart_checks(
    goal: Goal, history: pd.Series, baseline: float, brand_rate: str | None = None
) -> list[Finding]:
    """SMART findings for one goal, given its KPI's monthly history and baseline."""
    kpi_id = brand_rate if goal.kpi == "engagement_rate" and brand_rate else goal.kpi
    metric = metrics.dictionary()[kpi_id]
    out = []

    def add(check, level, message, **values):
        out.append(Finding(goal.id, check, level, message, {"kpi": kpi_id, **values}))

    if history.dropna().empty or math.isnan(baseline):
        add("measurable", "error", "measurable_no")
    else:
        add("measurable", "ok", "measurable_ok", months=int(history.notna().sum()))
    if metric.objective == goal.objective:
        add("relevant", "ok", "relevant_ok")
    else:
        add("relevant", "warn", "relevant_no", measures=metric.objective, objective=goal.objective)
    horizon = goal.horizon or goal.horizon_from_length
    if goal.horizon and goal.horizon != goal.horizon_from_length:
        add(
            "time_bound",
            "warn",
            "horizon_no",
            months=goal.months,
            length=goal.horizon_from_length,
            horizon=goal.horizon,
        )
    else:
        add("time_bound", "ok", "horizon_ok", start=goal.start, end=goal.end, horizon=horizon)
    if not math.isnan(baseline):
        target = target_value(goal, baseline, metric.whole, metric.better)
        beats = target > baseline if metric.better == "up" else target < baseline
        if not beats:
            add("achievable", "warn", "not_better", target=target, baseline=baseline)
        pct = required_growth_percentile(history, baseline, target, goal.months, metric.better)
        if not math.isnan(pct):
            need = target / baseline - 1 if baseline else math.nan
            add(
                "achievable",
                "ok" if pct <= 90 else "warn",
                "needs" if pct <= 90 else "needs_stretch",
                need=need,
                months=goal.months,
                percentile=round(pct),
            )
    return out


def required_growth_percentile(
    history: pd.Series, baseline: float, target: float, months: int, better: str = "up"
) -> float:
    """How hard the change the target needs is, as a percentile of past changes over spans
    of the same length (0-100): 50 is an ordinary span, 95 a span seen once in twenty. For a
    KPI where lower is better, a larger fall is the harder one.

    Examples
    --------
    >>> history = pd.Series([100.0, 105.0, 110.0, 100.0, 120.0])  # 1-month changes +5%, +4.8%, -9.1%, +20%
    >>> required_growth_percentile(history, 100.0, 106.0, 1)
    75.0
    """
    g = growth_rates(history, months)
    if len(g) == 0 or baseline == 0 or math.isnan(baseline):
        return math.nan
    needed = target / baseline - 1
    easier = g <= needed if better == "up" else g >= needed
    return float(easier.mean() * 100)
