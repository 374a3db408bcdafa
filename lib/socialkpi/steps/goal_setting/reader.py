"""What the goal-setting step reads from the store: the goals file, each goal's pacing and
status, SMART findings, target candidates from the brand's history, and the SOP's objective
families. Frames of ids and values."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from socialkpi import metrics
from socialkpi.metrics import kpi
from socialkpi.metrics.periods import parse_period
from socialkpi.steps.goal_setting import analysis as goals

CANDIDATES = [
    "engagement_rate",
    "net_follower_growth",
    "reach",
    "link_clicks",
    "key_events",
    "response_time_median",
]


def load_goals_or_none(path: str | Path) -> goals.GoalsFile | None:
    """The goals file at ``path``, or None when there is none."""
    return goals.load_goals(path) if path and Path(path).exists() else None


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
        for name, value in goals.suggest_targets(history, base, months, m.better, m.whole).items():
            row[name] = value
            row[f"{name}_percentile"] = goals.required_growth_percentile(
                history, base, value, months, m.better
            )
        rows.append(row)
    return pd.DataFrame(rows)


def smart_findings(con, brand: str, month: str, goals_file) -> list[goals.Finding]:
    """Every goal's SMART findings (``goals.smart_checks``)."""
    if goals_file is None:
        return []
    first = parse_period(month).shift(-23).label
    out = []
    for g in goals_file.goals:
        real = definition_for(con, brand, month, g.kpi, g.platforms or None)
        history = kpi.monthly_series(con, brand, real, first, month, g.platforms or None)
        base = g.baseline if g.baseline is not None else goals.baseline_from(history, g.start)
        out += goals.smart_checks(g, history, base, real)
    return out


def definition_for(con, brand: str, month: str, kpi_id: str, platforms=None) -> str:
    """``engagement_rate`` as the definition the page uses (see ``kpi.engagement_rate_for``)."""
    if kpi_id != "engagement_rate":
        return kpi_id
    return kpi.engagement_rate_for(con, brand, month, platforms)


def objectives() -> pd.DataFrame:
    """The SOP's objective families and the KPI ids that measure each."""
    d = metrics.dictionary_frame("en")
    return d.groupby("objective", sort=False)["id"].agg(list).rename("kpis").reset_index()
