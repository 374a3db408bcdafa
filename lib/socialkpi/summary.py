"""The executive summary: from the month's numbers to what a manager decides.

:func:`summarize` is a pure function of what the month's pages already compute: the KPI
report, the goals' status, the driver decomposition of post counts, the evidence comparisons
of posts (``evidence``), crisis episodes and how fresh each platform's data is. It returns a
:class:`Summary` of ids and values; ``narrative`` says it in either language, so both are
built from the same structure.

- **Headline**: how the goals stand.
- **Movers**: up to three KPIs whose change is beyond normal variation, each with its main
  driver and its scope (platforms, period). Numbers are the KPI report's, so they equal the
  scorecard's.
- **Risks**: crisis episodes this month, goals off track, platforms whose data stops before the
  month's end or is missing this month.
- **Actions**: up to three recommendations, one per finding, each resting on evidence that
  passes the rules of ``evidence`` (enough posts in each group, an interval that excludes
  zero), with the goal it serves, its owner and a measurable follow-up. Findings that do not
  pass are **candidates** to test, never advice.
- **Unavailable**: headline KPIs with no data in these exports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from socialkpi import kpi, metrics
from socialkpi.evidence import MIN_POSTS, Comparison
from socialkpi.periods import parse_period

HEADLINE = metrics.HEADLINE
# post counts whose change the driver decomposition explains (KPI -> post column)
DECOMPOSED = {"engagements": "engagements", "reach": "reach", "link_clicks": "link_clicks"}
MAX_MOVERS = MAX_ACTIONS = MAX_CANDIDATES = 3
STALE_DAYS = 2  # newest data this many days before the month's end or more: incomplete month
CONTENT_OBJECTIVES = ("engagement", "awareness", "traffic")  # goals content findings serve


@dataclass(frozen=True)
class Mover:
    """A KPI that moved: its change, whether beyond normal variation, and what drove it."""

    kpi: str
    scope: tuple[str, ...]  # platforms; empty: every platform the brand has
    period: str
    value: float
    previous: float
    change: float
    unit: str
    driver: dict  # kind: effect | platform | ratio (see _driver)


@dataclass(frozen=True)
class Risk:
    """Something a manager should know: a crisis, a goal off track, stale or missing data."""

    kind: str  # crisis | off_track | stale | missing
    values: dict


@dataclass(frozen=True)
class Action:
    """A recommended action: the finding behind it, its evidence, the goal it serves, its follow-up."""

    finding: str  # "content_type:reel": one action per finding, whatever goals it serves
    kind: str  # more | less (posts) | staff (replies)
    evidence: Comparison
    goal: dict | None  # the goal's row of the status frame, if one is served
    owner: str | None
    follow_up: dict  # kpi, baseline, target, due


@dataclass(frozen=True)
class Summary:
    """A month's executive summary as data: headline counts, movers, risks, actions."""

    brand: str
    month: str
    scope: tuple[str, ...]
    goals: list[dict]
    movers: list[Mover]
    risks: list[Risk]
    actions: list[Action]
    candidates: list[Comparison]
    unavailable: list[str]
    engagement_rate: str
    engagement_rate_requested: str
    min_posts: int = MIN_POSTS
    comparable: bool = True  # some headline KPI has a value for the previous month

    @property
    def goal_counts(self) -> dict[str, int]:
        """Goals per status (on track, at risk, off track)."""
        counts = dict.fromkeys(("on-track", "at-risk", "off-track", "no-data"), 0)
        for g in self.goals:
            counts[g["status"]] = counts.get(g["status"], 0) + 1
        return counts


def summarize(
    report: pd.DataFrame,
    status: pd.DataFrame,
    decompositions: dict[str, pd.DataFrame],
    content: list[Comparison],
    responses: list[Comparison],
    episodes: pd.DataFrame,
    freshness: dict[str, str],
    recent: set[str],
    month: str,
    scope: tuple[str, ...] = (),
    min_posts: int = MIN_POSTS,
    *,
    brand: str = "",
    requested_rate: str = "",
) -> Summary:
    """The month's executive summary (see the module docstring). ``decompositions`` maps a
    KPI of :data:`DECOMPOSED` to ``drivers.decompose`` of its post column; ``content``
    compares posts on a per-post rate, ``responses`` comments' reply times (lower is
    better); ``freshness`` is each platform's newest day of data and ``recent`` the platforms
    that had data in the months before; ``requested_rate`` is the engagement-rate definition
    the brand chose, when the report had to use another (see ``kpi.engagement_rate_for``)."""
    goals = status.to_dict("records") if len(status) else []
    return Summary(
        brand=brand,
        month=month,
        scope=tuple(scope),
        goals=goals,
        movers=movers(report, decompositions, month, scope, [g["kpi"] for g in goals]),
        risks=risks(goals, episodes, freshness, recent, month),
        actions=actions(content, responses, goals, month),
        candidates=candidates(content, min_posts),
        unavailable=[k for k in HEADLINE if k in kpi.unavailable(report)],
        comparable=_comparable(report),
        engagement_rate=kpi.rate_definition(report) or "",
        engagement_rate_requested=requested_rate or kpi.rate_definition(report) or "",
        min_posts=min_posts,
    )


def _comparable(report: pd.DataFrame) -> bool:
    if report.empty:
        return False
    rows = report[(report["platform"] == "all") & report["kpi"].isin(HEADLINE)]
    return bool((rows["value"].notna() & rows["previous"].notna()).any())


def movers(
    report: pd.DataFrame,
    decompositions: dict[str, pd.DataFrame],
    month: str,
    scope: tuple[str, ...] = (),
    first: list[str] = (),
) -> list[Mover]:
    """Up to three headline KPIs whose change is beyond normal variation, each with its main
    driver: the KPIs of ``first`` (the goals'), then the brand's engagement rate, then the
    largest relative changes."""
    if report.empty:
        return []
    rows = report[(report["platform"] == "all") & report["kpi"].isin(HEADLINE)]
    rows = rows[rows["assessment"].isin(["up_beyond", "down_beyond"])]
    rows = rows[rows["value"].notna() & rows["previous"].notna()]
    size = (rows["change"] / rows["previous"].abs().where(rows["previous"] != 0)).abs()
    real = rows["definition"]
    alias = rows["kpi"] == "engagement_rate"
    rank = [0 if k in first else 0.5 if a else 1 for k, a in zip(real, alias, strict=True)]
    ranked = rows.assign(rank=rank, size=-size.fillna(rows["change"].abs())).sort_values(
        ["rank", "size"], kind="stable"
    )
    out = []
    for r in ranked.head(MAX_MOVERS).itertuples():
        real = r.definition
        out.append(
            Mover(
                real,
                tuple(scope),
                month,
                r.value,
                r.previous,
                r.change,
                r.unit,
                _driver(report, r, real, decompositions),
            )
        )
    return out


def _driver(report: pd.DataFrame, row, kpi_id: str, decompositions: dict) -> dict:
    """What moved a KPI most: the largest effect of the decomposition (post counts), the
    numerator against the denominator (rates), or the platform whose change was largest in the
    same direction (everything else)."""
    sign = 1 if row.change > 0 else -1
    if kpi_id in decompositions:
        effects = decompositions[kpi_id].set_index("effect")["value"].drop("total")
        effects = effects[effects.abs() > 0]
        same = effects[effects * sign > 0]
        if len(same) or len(effects):
            pick = (same if len(same) else effects).abs().idxmax()
            return {"kind": "effect", "effect": pick, "value": float(effects[pick])}
    metric = metrics.dictionary()[kpi_id]
    if metric.denominator and not any(
        math.isnan(v)
        for v in (row.numerator, row.denominator, row.previous_numerator, row.previous_denominator)
    ):
        return {
            "kind": "ratio",
            "numerator": metric.numerator,
            "denominator": metric.denominator,
            "numerator_change": _relative(row.numerator, row.previous_numerator),
            "denominator_change": _relative(row.denominator, row.previous_denominator),
        }
    per = report[(report["kpi"] == row.kpi) & (report["platform"] != "all")]
    per = per[per["change"].notna()]
    if len(per):
        same = per[per["change"] * sign > 0]
        pick = (same if len(same) else per).loc[lambda f: f["change"].abs().idxmax()]
        return {"kind": "platform", "platform": pick["platform"], "value": float(pick["change"])}
    return {"kind": "none"}


def _relative(now: float, before: float) -> float:
    return (now - before) / before if before else math.nan


def risks(
    goals: list[dict],
    episodes: pd.DataFrame,
    freshness: dict[str, str],
    recent: set[str],
    month: str,
) -> list[Risk]:
    """Crisis episodes this month, goals off track, and platforms whose data stops before the
    month's end (stale) or that had data before but none this month (missing)."""
    out = [Risk("crisis", dict(e)) for e in (episodes.to_dict("records") if len(episodes) else [])]
    out += [Risk("off_track", g) for g in goals if g["status"] == "off-track"]
    period = parse_period(month)
    last = period.end - timedelta(days=1)
    for platform, day in sorted(freshness.items()):
        newest = date.fromisoformat(str(day)[:10])
        if period.start <= newest <= last - timedelta(days=STALE_DAYS):
            out.append(Risk("stale", {"platform": platform, "day": newest}))
    seen = {p for p, day in freshness.items() if date.fromisoformat(str(day)[:10]) >= period.start}
    out += [Risk("missing", {"platform": p}) for p in sorted(recent - seen)]
    return out


def actions(
    content: list[Comparison], responses: list[Comparison], goals: list[dict], month: str
) -> list[Action]:
    """Up to three recommendations, one per supported finding, the largest differences first:
    post more (or less) of what differs in engagement rate, and staff replies where they are
    slowest. Each names the goal it serves (a lagging one first), its owner and a follow-up."""
    found = [("more" if c.difference > 0 else "less", c) for c in content if c.supported]
    found += [("staff", c) for c in responses if c.supported and c.difference > 0]  # slower
    found.sort(key=lambda kc: -abs(kc[1].difference / (kc[1].median_rest or 1)))
    out, seen = [], set()
    for kind, c in found:
        key = f"{c.by}:{c.group}"
        if key in seen:
            continue
        seen.add(key)
        objectives = ("responsiveness",) if kind == "staff" else CONTENT_OBJECTIVES
        goal = _goal_for(goals, objectives)
        out.append(
            Action(
                key,
                kind,
                c,
                goal,
                goal["owner"] if goal else None,
                _follow_up(goal, c, kind, month),
            )
        )
        if len(out) == MAX_ACTIONS:
            break
    return out


def _goal_for(goals: list[dict], objectives: tuple[str, ...]) -> dict | None:
    """The goal a finding serves: one whose KPI belongs to ``objectives``, lagging ones first."""
    order = {"off-track": 0, "at-risk": 1, "no-data": 2, "on-track": 3}
    fitting = [g for g in goals if metrics.dictionary()[g["kpi"]].objective in objectives]
    return min(fitting, key=lambda g: order.get(g["status"], 4), default=None)


def _follow_up(goal: dict | None, c: Comparison, kind: str, month: str) -> dict:
    """What to measure at the end of next month: the goal's KPI on its path to the target (the
    latest value plus the gap spread over the months left), or, with no goal, the finding's
    own measure moving from its worse side to its better one."""
    due = parse_period(month).shift(1).end - timedelta(days=1)
    if goal is not None and not math.isnan(goal["latest"]) and not math.isnan(goal["target"]):
        months_left = max(1, (goal["end"].year - due.year) * 12 + goal["end"].month - due.month + 1)
        step = (goal["target"] - goal["latest"]) / months_left
        return {
            "kpi": goal["kpi"],
            "baseline": goal["latest"],
            "target": goal["latest"] + step,
            "due": due,
        }
    better, worse = (c.median, c.median_rest) if kind == "more" else (c.median_rest, c.median)
    return {"kpi": c.metric, "baseline": worse, "target": better, "due": due}


def candidates(content: list[Comparison], min_posts: int = MIN_POSTS) -> list[Comparison]:
    """Differences worth testing but not advising: the largest ones that miss the evidence
    rules (too few posts on a side, or an interval that includes zero)."""
    weak = [c for c in content if not c.supported and c.n >= 2 and c.n_rest >= 2]
    weak.sort(key=lambda c: -abs(c.difference / (c.median_rest or 1)))
    return weak[:MAX_CANDIDATES]
