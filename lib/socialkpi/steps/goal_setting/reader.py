"""What the goal-setting step reads from the store: SMART findings, target candidates from the
brand's history, and the SOP's objective families (goal status is ``reads.goals``). Frames of
ids and values."""

from __future__ import annotations

import math

import pandas as pd

from socialkpi import metrics
from socialkpi.metrics import goals, kpi
from socialkpi.metrics.periods import parse_period
from socialkpi.reads.goals import definition_for
from socialkpi.steps.goal_setting import analysis as targets
from socialkpi.store.cache import cached

CANDIDATES = [
    "engagement_rate",
    "net_follower_growth",
    "reach",
    "link_clicks",
    "key_events",
    "response_time_median",
]


@cached(8)
def candidates(con, brand: str, month: str, ids: list[str] | None = None, months: int = 3):
    """Goal-setting candidates: per KPI its objective, baseline (median of the last three
    months) and conservative / expected / stretch targets for the next ``months`` months, with
    the percentile of past changes each needs."""
    first = parse_period(month).shift(-23).label
    rows = []
    for kpi_id in ids or CANDIDATES:
        real = definition_for(con, brand, month, kpi_id)
        m = metrics.dictionary()[real]
        history = kpi.monthly_series(con, brand, real, first, month)
        base = float(history.dropna().tail(3).median()) if history.notna().any() else math.nan
        row = {
            "kpi": real,
            "objective": m.objective,
            "baseline": base,
            "unit": m.unit,
            "better": m.better,
        }
        for name, value in targets.suggest_targets(
            history, base, months, m.better, m.whole
        ).items():
            row[name] = value
            row[f"{name}_percentile"] = targets.required_growth_percentile(
                history, base, value, months, m.better
            )
        rows.append(row)
    return pd.DataFrame(rows)


def smart_findings(con, brand: str, month: str, goals_file) -> list[targets.Finding]:
    """Every goal's SMART findings (``targets.smart_checks``)."""
    if goals_file is None:
        return []
    first = parse_period(month).shift(-23).label
    out = []
    for g in goals_file.goals:
        real = definition_for(con, brand, month, g.kpi, g.platforms or None)
        history = kpi.monthly_series(con, brand, real, first, month, g.platforms or None)
        base = g.baseline if g.baseline is not None else goals.baseline_from(history, g.start)
        out += targets.smart_checks(g, history, base, real)
    return out


def objectives() -> pd.DataFrame:
    """The SOP's objective families and the KPI ids that measure each."""
    d = metrics.dictionary_frame("en")
    return d.groupby("objective", sort=False)["id"].agg(list).rename("kpis").reset_index()
