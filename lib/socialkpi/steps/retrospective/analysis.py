"""The monthly retrospective's rules: the month's evidence comparisons, the action items the
summary proposes, the action log carried from month to month and each item's follow-up
result. Frames of ids and values; ``reader`` measures, the page puts them in words."""

from __future__ import annotations

import math

import pandas as pd

from socialkpi import metrics
from socialkpi.metrics import evidence, summary
from socialkpi.steps.retrospective import actions

NUMERATORS = {
    "engagement_rate_reach": "engagements",
    "engagement_rate_exposure": "engagements",
    "engagement_rate_followers": "engagements",
    "engagements": "engagements",
    "reach": "reach",
    "link_clicks": "link_clicks",
}
SHOWN_COMPARISONS = 8


def comparisons(found: list[evidence.Comparison]) -> list[evidence.Comparison]:
    """The month's clearest evidence comparisons of ``found`` (``reads.post_findings``: within
    each platform, on the per-post engagement rate every platform has, those that support
    advice first)."""
    return found[:SHOWN_COMPARISONS]


def action_items(s: summary.Summary, texts: list[str]) -> list[dict]:
    """The summary's actions as action-log items, one per finding (``texts``: each action's
    words in the page's language). An item's id is the month and the finding, so re-running
    the month proposes the same items; its follow-up is the summary's."""
    items = []
    for a, text in zip(s.actions, texts, strict=True):
        f = a.follow_up
        items.append(
            {
                "id": f"{s.month}-{a.finding}",
                "month": s.month,
                "text": text,
                "owner": a.owner or "",
                "due": f["due"].isoformat(),
                "status": "open",
                "goal": a.goal["goal"] if a.goal else "",
                "kpi": f["kpi"],
                "statistic": f["statistic"],
                "platforms": list(f["platforms"]),
                "baseline": float(f["baseline"]),
                "target": float(f["target"]),
            }
        )
    return items


def carried(log_path, month: str) -> pd.DataFrame:
    """Last months' action items that are still open, with their latest status."""
    current = actions.current(actions.load(log_path), before_month=month)
    return current[current["status"].isin(["open", "in_progress"])] if len(current) else current


def as_float(value) -> float:
    """A value from the action log as a number; NaN where it is not one."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def follow_up_result(item: dict, now: float, month: str) -> str:
    """An action's follow-up: ``met`` (its KPI reached the target, either way the KPI is
    better), ``missed`` (not reached by its due month), ``pending`` or ``unmeasured``."""
    target = as_float(item.get("target"))
    if math.isnan(now) or math.isnan(target) or item.get("kpi") not in metrics.dictionary():
        return "unmeasured"
    better = metrics.dictionary()[item["kpi"]].better
    if (now >= target) if better == "up" else (now <= target):
        return "met"
    due = str(item.get("due") or "")[:7]
    return "missed" if due and due <= month else "pending"


def record(log_path, items: list[dict]) -> int:
    """Append proposed action items to the log (nothing twice); return how many were added."""
    return actions.append(log_path, items)
