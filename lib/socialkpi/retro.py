"""The monthly retrospective: goal gaps, drivers of each goal KPI's change, what worked and
what did not, and the action log carried from month to month."""

from __future__ import annotations

from datetime import date

import pandas as pd

from socialkpi import actions, content, drivers, metrics, review
from socialkpi.i18n import t, word
from socialkpi.periods import parse_period
from socialkpi.report_text import fmt


def gaps(status: pd.DataFrame) -> pd.DataFrame:
    """Actual vs target per goal with the gap (target - latest, signed by better direction)."""
    if status.empty:
        return status
    out = status[["goal", "name", "owner", "latest", "target", "status", "unit"]].copy()
    out["gap"] = out["target"] - out["latest"]
    for col in ("latest", "target", "gap"):
        out[col] = [fmt(v, u) for v, u in zip(out[col], out["unit"], strict=True)]
    return out.drop(columns="unit")


def goal_drivers(con, brand: str, month: str, status: pd.DataFrame, lang: str = "en") -> list[str]:
    """A driver sentence for each goal whose KPI is a post count (engagements, reach ...)."""
    now = review.posts_of(con, brand, month)
    before = review.posts_of(con, brand, parse_period(month).previous().label)
    numerators = {"engagement_rate_reach": "engagements", "engagement_rate_exposure": "engagements",
                  "engagements": "engagements", "reach": "reach", "link_clicks": "link_clicks"}  # fmt: skip
    out = []
    for kpi_id in dict.fromkeys(status.get("kpi", pd.Series(dtype=str))):
        if kpi_id not in numerators or now.empty or before.empty:
            continue
        d = drivers.decompose(before, now, numerators[kpi_id], "reach").set_index("effect")["value"]
        name = (
            metrics.dictionary()[numerators[kpi_id]].name[lang]
            if numerators[kpi_id] in metrics.dictionary()
            else kpi_id
        )
        out.append(t("driver_sentence", lang, name=name, **{k: f"{d[k]:+,.0f}" for k in ("total", "volume", "mix")},
                     reach=f"{d['reach_per_post']:+,.0f}", rate=f"{d['rate']:+,.0f}"))  # fmt: skip
    return out


def worked(
    con,
    brand: str,
    month: str,
    lang: str = "en",
    kpi_id: str = "engagement_rate_exposure",
    min_posts: int = 3,
):
    """Best and worst content type, topic and posting hour by median per-post KPI, with the
    number of posts behind each (groups under ``min_posts`` are not judged)."""
    posts = review.posts_of(con, brand, month)
    good, bad = [], []
    if posts.empty or kpi_id not in posts:
        return good, bad
    for by in ("content_type", "topic", "hour"):
        perf = content.performance(posts.dropna(subset=[by]), kpi_id, [by])
        perf = perf[perf["posts"] >= min_posts]
        if len(perf) < 2:
            continue
        ranked = perf.sort_values("median")
        for frame, target in ((ranked.iloc[-1], good), (ranked.iloc[0], bad)):
            label = int(frame[by]) if by == "hour" else frame[by]
            target.append(t("evidence", lang, kind=word(by, lang), label=label,
                            value=fmt(frame["median"], "percent"), n=int(frame["posts"])))  # fmt: skip
    return good, bad


def proposed_actions(
    month: str, status: pd.DataFrame, good: list[str], lang: str = "en"
) -> list[dict]:
    """New action items for goals at risk or off track, owned by the goal's owner, due at the
    end of next month. Ids are stable, so re-running the month proposes the same items."""
    due = parse_period(month).shift(1).end
    items = []
    lagging = (
        status[status["status"].isin([word(s, lang) for s in ("at-risk", "off-track")])]
        if len(status)
        else status
    )
    for r in lagging.itertuples():
        objective = metrics.dictionary()[r.kpi].objective
        if objective == "responsiveness":
            hint = "安排尖峰時段的回覆人力" if lang == "zh-TW" else "staff replies at peak hours"
        else:
            hint = good[0] if good else ""
        text = (
            f"改善「{r.name}」：{hint}" if lang == "zh-TW" else f"Improve {r.name}: {hint}"
        ).rstrip("：: ")
        items.append({"id": f"{month}-{r.goal}", "month": month, "text": text, "owner": r.owner,
                      "due": (due - pd.Timedelta(days=1)).isoformat() if hasattr(due, "isoformat") else str(due),
                      "status": "open"})  # fmt: skip
    return items


def carried(log_path, month: str) -> pd.DataFrame:
    """Last months' action items that are still open, with their latest status."""
    current = actions.current(actions.load(log_path), before_month=month)
    return current[current["status"].isin(["open", "in_progress"])] if len(current) else current


def record(log_path, items: list[dict]) -> int:
    return actions.append(log_path, items)


def today() -> date:
    return date.today()


def table(items: list[dict]) -> pd.DataFrame:
    """Action items as a table (also when there are none)."""
    return pd.DataFrame(items, columns=list(actions.FIELDS))
