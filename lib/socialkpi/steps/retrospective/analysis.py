"""The monthly retrospective: the drivers of each goal KPI's change, the month's evidence
comparisons, and the action log carried from month to month with each item's follow-up
measured. Frames of ids and values; the retrospective page puts them in words."""

from __future__ import annotations

import math

import pandas as pd

from socialkpi import metrics
from socialkpi.metrics import drivers, evidence, kpi, summary
from socialkpi.metrics.periods import parse_period
from socialkpi.steps import readers as review
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


def goal_drivers(con, brand: str, month: str, status: pd.DataFrame) -> pd.DataFrame:
    """For each goal KPI that is a post count (or a rate of one), the change of that count
    from last month, over every post on every platform, split into post volume, content mix,
    exposure per post, rate and unmeasured-post effects (``drivers.decompose``; they add up
    to ``total``, the scorecard's change for all platforms). Empty when last month had no
    posts."""
    now = review.posts_of(con, brand, month)
    before = review.posts_of(con, brand, parse_period(month).previous().label)
    rows = []
    for kpi_id in dict.fromkeys(status.get("kpi", pd.Series(dtype=str))):
        if kpi_id not in NUMERATORS or now.empty or before.empty:
            continue
        measure = NUMERATORS[kpi_id]
        effects = drivers.decompose(before, now, measure)
        covered = tuple(sorted(set(now.loc[now[measure].notna(), "platform"])))
        rows.append(
            {
                "kpi": kpi_id,
                "measure": measure,
                "platforms": covered,
                "same_platforms": covered
                == tuple(sorted(set(before.loc[before[measure].notna(), "platform"]))),
                **effects.set_index("effect")["value"].to_dict(),
            }
        )
    return pd.DataFrame(rows).drop_duplicates("measure") if rows else pd.DataFrame()


def comparisons(posts: pd.DataFrame, min_posts: int = evidence.MIN_POSTS) -> list:
    """The month's clearest evidence comparisons (``evidence.findings``, within each platform,
    on the per-post engagement rate every platform has): those that support advice first."""
    if posts.empty:
        return []
    return evidence.findings(posts, review.CONTENT_KPI, min_posts)[:SHOWN_COMPARISONS]


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


def follow_up(con, brand: str, month: str, items: pd.DataFrame) -> pd.DataFrame:
    """Each item's follow-up measured in ``month``: its measure (``now``: the KPI over the
    item's platforms, or, for ``statistic: post_median``, the median per-post value over the
    posts of its platforms), the change from the item's baseline (``effect``) and ``result``:
    ``met`` when the value reached the target in the KPI's better direction, ``missed`` when it
    did not by the due date, ``pending`` before then, ``unmeasured`` for items without a
    follow-up or a value."""
    rows = []
    for item in items.to_dict("records"):
        kpi_id = item.get("kpi")
        now = math.nan
        if isinstance(kpi_id, str) and kpi_id in metrics.dictionary():
            p = item.get("platforms")
            platforms = p if isinstance(p, list) and p else None  # old items have none
            if item.get("statistic") == "post_median":
                posts = review.posts_of(con, brand, month, platforms)
                values = posts[kpi_id].astype("float64").dropna() if kpi_id in posts else []
                now = float(values.median()) if len(values) else math.nan
            else:
                series = kpi.monthly_series(con, brand, kpi_id, month, month, platforms)
                now = float(series.iloc[-1]) if len(series) else math.nan
        rows.append(
            {
                **item,
                "now": now,
                "effect": now - _float(item.get("baseline")),
                "result": _result(item, now, month),
            }
        )
    return pd.DataFrame(rows)


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _result(item: dict, now: float, month: str) -> str:
    target = _float(item.get("target"))
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
