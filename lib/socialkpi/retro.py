"""The monthly retrospective: the drivers of each goal KPI's change, what worked and what did
not, and the action log carried from month to month. Frames of ids and values; the
retrospective page puts them in words."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from socialkpi import actions, content, drivers, review
from socialkpi.periods import parse_period

NUMERATORS = {
    "engagement_rate_reach": "engagements",
    "engagement_rate_exposure": "engagements",
    "engagements": "engagements",
    "reach": "reach",
    "link_clicks": "link_clicks",
}
LAGGING = ("at-risk", "off-track")


def goal_drivers(con, brand: str, month: str, status: pd.DataFrame) -> pd.DataFrame:
    """For each goal KPI that is a post count (or a rate of one), the change of that count
    from last month, over every post, split into post volume, content mix, exposure per post,
    rate and unmeasured-post effects (``drivers.decompose``; they add up to ``total``, the
    scorecard's change). Empty when last month had no posts."""
    now = review.posts_of(con, brand, month)
    before = review.posts_of(con, brand, parse_period(month).previous().label)
    rows = []
    for kpi_id in dict.fromkeys(status.get("kpi", pd.Series(dtype=str))):
        if kpi_id not in NUMERATORS or now.empty or before.empty:
            continue
        effects = drivers.decompose(before, now, NUMERATORS[kpi_id])
        rows.append(
            {
                "kpi": kpi_id,
                "measure": NUMERATORS[kpi_id],
                **effects.set_index("effect")["value"].to_dict(),
            }
        )
    return pd.DataFrame(rows).drop_duplicates("measure") if rows else pd.DataFrame()


def worked(
    con, brand: str, month: str, kpi_id: str = "engagement_rate_exposure", min_posts: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best and the worst content type, topic and posting hour by median per-post KPI,
    with the number of posts behind each (groups under ``min_posts`` are not judged):
    ``(best, worst)`` frames of ``by``, ``label``, ``median``, ``posts``."""
    posts = review.posts_of(con, brand, month)
    good, bad = [], []
    if posts.empty or kpi_id not in posts:
        return pd.DataFrame(good), pd.DataFrame(bad)
    for by in ("content_type", "topic", "hour"):
        perf = content.performance(posts.dropna(subset=[by]), kpi_id, [by])
        perf = perf[perf["posts"] >= min_posts]
        if len(perf) < 2:
            continue
        ranked = perf.sort_values("median")
        for row, target in ((ranked.iloc[-1], good), (ranked.iloc[0], bad)):
            label = int(row[by]) if by == "hour" else row[by]
            target.append(
                {"by": by, "label": label, "median": row["median"], "posts": int(row["posts"])}
            )
    return pd.DataFrame(good), pd.DataFrame(bad)


def lagging(status: pd.DataFrame) -> pd.DataFrame:
    """Goals at risk or off track."""
    return status[status["status"].isin(LAGGING)] if len(status) else status


def action_item(month: str, goal: str, owner: str, text: str) -> dict:
    """A new action item for a goal, owned by the goal's owner, due at the end of next month.
    Its id is stable, so re-running the month proposes the same item."""
    due = parse_period(month).shift(1).end - timedelta(days=1)
    return {
        "id": f"{month}-{goal}",
        "month": month,
        "text": text,
        "owner": owner,
        "due": due.isoformat(),
        "status": "open",
    }


def carried(log_path, month: str) -> pd.DataFrame:
    """Last months' action items that are still open, with their latest status."""
    current = actions.current(actions.load(log_path), before_month=month)
    return current[current["status"].isin(["open", "in_progress"])] if len(current) else current


def record(log_path, items: list[dict]) -> int:
    return actions.append(log_path, items)
