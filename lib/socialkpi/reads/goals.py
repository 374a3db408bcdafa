"""A brand's goals as the pages read them: the goals file (or none) and each goal's pacing
and status against the store's monthly KPIs (``metrics.goals``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from socialkpi import metrics
from socialkpi.metrics import goals, kpi
from socialkpi.metrics.periods import parse_period
from socialkpi.store.cache import cached


def load_goals_or_none(path: str | Path) -> goals.GoalsFile | None:
    """The goals file at ``path``, or None when there is none."""
    return goals.load_goals(path) if path and Path(path).exists() else None


@cached(16)
def goal_status(con, brand: str, month: str, goals_file: goals.GoalsFile | None) -> pd.DataFrame:
    """Per goal: KPI, platforms, priority, owner, baseline, target, latest, projected value and
    status (``on-track`` | ``at-risk`` | ``off-track`` | ``no-data``)."""
    if goals_file is None:
        return pd.DataFrame()
    rows = []
    first = parse_period(month).shift(-24).label
    for g in goals_file.goals:
        kpi_id = definition_for(con, brand, month, g.kpi, g.platforms or None)
        metric = metrics.dictionary()[kpi_id]
        monthly = kpi.monthly_totals(con, brand, first, month, g.platforms or None)
        if metric.source in metrics.MONEY_SOURCES:  # a cost goal: paced like any goal
            from socialkpi.reads.money import money_series

            history = money_series(con, brand, _months(first, month), kpi_id)
        else:
            history = kpi.series_of(monthly, kpi_id)
        base = g.baseline if g.baseline is not None else goals.baseline_from(history, g.start)
        paced = goals.pace(g, history, base, month, metric.better, metric.whole)
        rows.append(
            {
                "goal": g.id,
                "kpi": kpi_id,
                "platforms": list(g.platforms),
                "priority": g.priority,
                "owner": g.owner,
                "end": g.end,
                "baseline": base,
                "target": paced["target"],
                "latest": paced["latest"],
                "projected": paced["projected"],
                "status": paced["status"],
                "unit": metric.unit,
                "better": metric.better,
                "covered": kpi.covered_of(monthly, kpi_id, month),
            }
        )
    return pd.DataFrame(rows)


def _months(first: str, last: str) -> list[str]:
    out = [parse_period(first)]
    while out[-1].label < last:
        out.append(out[-1].shift(1))
    return [p.label for p in out]


def definition_for(con, brand: str, month: str, kpi_id: str, platforms=None) -> str:
    """``engagement_rate`` as the definition the page uses (see ``kpi.engagement_rate_for``)."""
    if kpi_id != "engagement_rate":
        return kpi_id
    return kpi.engagement_rate_for(con, brand, month, platforms)
