"""The executive summary: from the month's numbers to what a manager decides.

:func:`summarize` is a pure function of what the month's pages already compute: the KPI
report, the goals' status, the driver decomposition of post counts, the month's advice
(``advice``), crisis episodes and how fresh each platform's data is. It returns a
:class:`Summary` of ids and values; ``narrative`` says it in either language, so both are
built from the same structure, and :meth:`Summary.figures` lists every KPI figure it shows
with its scope (``scope``), for the bundle's consistency check.

- **Headline**: how the goals stand.
- **Movers**: up to three KPIs whose change is beyond normal variation, each with its main
  driver and its scope: the platforms its total covers (a KPI only some platforms report
  covers only those) and the period. Numbers are the KPI report's, so they equal the
  scorecard's. A driver measured on fewer platforms than the KPI (a rate's parts, which only
  the platforms reporting both have) names them.
- **Risks**: crisis episodes this month, goals off track, platforms whose data stops before the
  month's end or is missing this month, and **data gaps**: a KPI that falls to nothing on a
  platform that reported it last month and still has data this month (its export lacks the
  column, or reports it as zero on every post). A KPI with a gap, or one that fell while a
  platform's data stops early, is a risk, never a mover explained by content mix.
- **Actions**: up to three recommendations (``advice.propose``): within-platform findings
  that pass the rules of ``evidence``, checked against each other and against the best
  windows of the last months, each with the goal it serves, its owner and its own follow-up
  (``advice.follow_up``). Findings that do not pass are **candidates** to test, never advice.
- **Unavailable**: headline KPIs with no data in these exports.
- **Money** (where costs were imported): the headline adds what the month cost and the main
  return; a budget line off its pace is a risk; a budget move between ad platforms is an
  action only with its evidence (results on both sides, an interval that excludes no
  difference: ``money.BudgetMove.supported``).
- **LINE**: a send of the brand's LINE Official Account followed by a spike in blocks
  (``metrics.line.blocks_after_sends``) is a risk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from socialkpi import metrics
from socialkpi.metrics import advice, kpi
from socialkpi.metrics.evidence import MIN_POSTS, Comparison
from socialkpi.metrics.periods import parse_period
from socialkpi.metrics.scope import REPORTED_BY_PLATFORM, Ledger

HEADLINE = metrics.HEADLINE
# post counts whose change the driver decomposition explains (KPI -> post column)
DECOMPOSED = {"engagements": "engagements", "reach": "reach", "link_clicks": "link_clicks"}
MAX_MOVERS = MAX_CANDIDATES = 3
MAX_ACTIONS = advice.MAX_ACTIONS
STALE_DAYS = 2  # newest data this many days before the month's end or more: incomplete month
# the goals a post finding serves (its measure is an engagement rate: engagement goals first)
CONTENT_OBJECTIVES = ("engagement", "awareness", "traffic")


@dataclass(frozen=True)
class Mover:
    """A KPI that moved: its change, whether beyond normal variation, what drove it, and its
    scope: ``scope`` the platforms its value covers (``previous_scope``: its previous value's),
    ``period`` the month."""

    kpi: str
    scope: tuple[str, ...]
    period: str
    value: float
    previous: float
    change: float
    unit: str
    driver: dict  # kind: effect | platform | ratio (see _driver)
    previous_scope: tuple[str, ...] = ()


@dataclass(frozen=True)
class Risk:
    """Something a manager should know: a crisis, a goal off track, stale or missing data, or
    a data gap (``gap``: KPIs a platform stopped reporting)."""

    kind: str  # crisis | off_track | stale | missing | gap
    values: dict


@dataclass(frozen=True)
class Action:
    """A recommended action: the finding behind it, its evidence, the goal it serves, its
    own follow-up (``advice.follow_up``)."""

    finding: str  # "instagram:content_type:reel": one action per finding
    kind: str  # more | less (posts) | staff (replies)
    evidence: Comparison
    goal: dict | None  # the goal's row of the status frame, if one is served
    owner: str | None
    follow_up: dict  # kpi, statistic, platforms, baseline, target, better, due


@dataclass(frozen=True)
class Candidate:
    """A difference worth testing, not advising, and why: ``few`` (posts), ``interval`` (it
    includes zero), ``contradicts`` (another action, ``other``) or ``windows`` (the last
    months' best windows disagree)."""

    evidence: Comparison
    reason: str
    other: str = ""


@dataclass(frozen=True)
class MoneyBrief:
    """The month's money as the summary says it (``reads.money``): what it cost against the
    budget, the main return, the budget lines off pace and the budget moves with the evidence
    for advice (``money.BudgetMove.supported``)."""

    total: float
    budget: float  # NaN without a budget file
    ads: float
    other: float
    roi: float  # NaN: not computable (no revenue tracked, or no cost)
    revenue: float
    currency: str
    pace: tuple = ()  # dicts: line, category, channel, platform, spent, budget, projected, status, days_left
    moves: tuple = ()  # money.BudgetMove with supported evidence


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
    candidates: list[Candidate]
    unavailable: list[str]
    engagement_rate: str
    engagement_rate_requested: str
    min_posts: int = MIN_POSTS
    comparable: bool = True  # some headline KPI has a value for the previous month
    account_level: tuple[str, ...] = ()  # platforms read from daily account series
    redefined: tuple = ()  # documented definition changes near the month (metrics.changes_near)
    money: MoneyBrief | None = None  # the month's cost and return, where costs were imported
    figures: Ledger = field(default_factory=Ledger)

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
    found: advice.Advice,
    content: list[Comparison],
    posts: pd.DataFrame,
    episodes: pd.DataFrame,
    freshness: dict[str, str],
    recent: set[str],
    month: str,
    scope: tuple[str, ...] = (),
    min_posts: int = MIN_POSTS,
    *,
    brand: str = "",
    requested_rate: str = "",
    money: MoneyBrief | None = None,
    line_spikes: tuple = (),
) -> Summary:
    """The month's executive summary (see the module docstring). ``decompositions`` maps a
    KPI of :data:`DECOMPOSED` to ``drivers.decompose`` of its post column; ``found`` is the
    month's ``advice.propose``, ``content`` every post finding it came from and ``posts`` the
    month's posts (for the follow-ups); ``freshness`` is each platform's newest day of data
    and ``recent`` the platforms that had data in the months before; ``requested_rate`` is the
    engagement-rate definition the brand chose, when the report had to use another (see
    ``kpi.engagement_rate_for``)."""
    goals = status.to_dict("records") if len(status) else []
    stale = _stale(freshness, month)
    gaps = data_gaps(report, stale)
    moved = movers(report, decompositions, month, [g["kpi"] for g in goals], gaps, stale)
    responses = _value(report, "response_time_median")
    chosen = actions(found, goals, month, posts, responses)
    out = Summary(
        brand=brand,
        month=month,
        scope=tuple(scope),
        goals=goals,
        movers=moved,
        risks=risks(goals, episodes, freshness, recent, month, gaps, report)
        + [Risk("pace", line) for line in (money.pace if money else ())]
        + [Risk("line_blocks", spike) for spike in line_spikes],
        actions=chosen,
        candidates=candidates(content, found.withheld, min_posts),
        unavailable=[k for k in HEADLINE if k in kpi.unavailable(report)],
        comparable=_comparable(report),
        account_level=kpi.account_levels(report),
        redefined=tuple(metrics.changes_near(scope, parse_period(month))),
        engagement_rate=kpi.rate_definition(report) or "",
        engagement_rate_requested=requested_rate or kpi.rate_definition(report) or "",
        min_posts=min_posts,
        money=money,
    )
    _record(out)
    return out


def _value(report: pd.DataFrame, kpi_id: str) -> float:
    rows = (
        report[(report["kpi"] == kpi_id) & (report["platform"] == "all")] if len(report) else report
    )
    return float(rows["value"].iloc[0]) if len(rows) else math.nan


def _comparable(report: pd.DataFrame) -> bool:
    if report.empty:
        return False
    rows = report[(report["platform"] == "all") & report["kpi"].isin(HEADLINE)]
    return bool((rows["value"].notna() & rows["previous"].notna()).any())


def _stale(freshness: dict[str, str], month: str) -> set[str]:
    """Platforms whose newest data is inside the month but :data:`STALE_DAYS` or more before
    its end."""
    period = parse_period(month)
    last = period.end - timedelta(days=1)
    out = set()
    for platform, day in freshness.items():
        newest = date.fromisoformat(str(day)[:10])
        if period.start <= newest <= last - timedelta(days=STALE_DAYS):
            out.add(platform)
    return out


def data_gaps(report: pd.DataFrame, stale: set[str] = frozenset()) -> list[dict]:
    """Headline KPIs a platform reported last month and reports nothing of (no value, or
    exactly zero) this month, although it has data this month: ``kpi, platform, previous``.
    The platform's export lacks the column, or gives it as zero on every post; either way the
    fall is the file's, not the audience's. Only KPIs a platform reports or not are looked at
    (``scope.REPORTED_BY_PLATFORM``: GA4 sessions and comments are counted, a platform without
    any had none), and stale platforms are left to their own risk.

    >>> report = pd.DataFrame({"kpi": ["link_clicks", "link_clicks", "reach"],
    ...     "platform": ["facebook", "all", "facebook"], "value": [0.0, 0.0, 900.0],
    ...     "previous": [1667.0, 1667.0, 1000.0]})
    >>> data_gaps(report)
    [{'kpi': 'link_clicks', 'platform': 'facebook', 'previous': 1667.0}]
    """
    if report.empty:
        return []
    d = metrics.dictionary()
    rows = report[(report["platform"] != "all") & report["kpi"].isin(HEADLINE)]
    out = []
    for r in rows.itertuples():
        real = getattr(r, "definition", r.kpi) if r.kpi == "engagement_rate" else r.kpi
        if r.kpi == "engagement_rate" or d[real].source not in REPORTED_BY_PLATFORM:
            continue
        now_nothing = pd.isna(r.value) or r.value == 0
        if now_nothing and pd.notna(r.previous) and r.previous > 0 and r.platform not in stale:
            out.append({"kpi": r.kpi, "platform": r.platform, "previous": float(r.previous)})
    return out


def movers(
    report: pd.DataFrame,
    decompositions: dict[str, pd.DataFrame],
    month: str,
    first: list[str] = (),
    gaps: list[dict] = (),
    stale: set[str] = frozenset(),
) -> list[Mover]:
    """Up to three headline KPIs whose change is beyond normal variation, each with its main
    driver: the KPIs of ``first`` (the goals'), then the brand's engagement rate, then the
    largest relative changes. A KPI with a data gap (``gaps``), or one that fell while a
    platform it covers has stale data, is no mover (the risks name it)."""
    if report.empty:
        return []
    rows = report[(report["platform"] == "all") & report["kpi"].isin(HEADLINE)]
    rows = rows[rows["assessment"].isin(["up_beyond", "down_beyond"])]
    rows = rows[rows["value"].notna() & rows["previous"].notna()]
    gapped = {g["kpi"] for g in gaps}
    keep = [
        r.kpi not in gapped
        and r.definition not in gapped
        and not (r.change < 0 and stale & set(_platforms(r, "platforms")))
        for r in rows.itertuples()
    ]
    rows = rows[pd.Series(keep, index=rows.index, dtype=bool)]
    size = (rows["change"] / rows["previous"].abs().where(rows["previous"] != 0)).abs()
    real = rows["definition"]
    alias = rows["kpi"] == "engagement_rate"
    rank = [0 if k in first else 0.5 if a else 1 for k, a in zip(real, alias, strict=True)]
    ranked = rows.assign(rank=rank, size=-size.fillna(rows["change"].abs())).sort_values(
        ["rank", "size"], kind="stable"
    )
    out = []
    for r in ranked.head(MAX_MOVERS).itertuples():
        out.append(
            Mover(
                r.definition,
                _platforms(r, "platforms"),
                month,
                r.value,
                r.previous,
                r.change,
                r.unit,
                _driver(report, r, r.definition, decompositions),
                _platforms(r, "previous_platforms"),
            )
        )
    return out


def _platforms(row, column: str) -> tuple[str, ...]:
    value = getattr(row, column, ())
    return tuple(value) if isinstance(value, tuple | list) else ()


def _driver(report: pd.DataFrame, row, kpi_id: str, decompositions: dict) -> dict:
    """What moved a KPI most: the largest effect of the decomposition (post counts), the
    numerator against the denominator over the platforms that report both (rates), or the
    platform whose change was largest in the same direction (everything else)."""
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
        covered = _platforms(row, "platforms")
        return {
            "kind": "ratio",
            "numerator": metric.numerator,
            "denominator": metric.denominator,
            "numerator_change": _relative(row.numerator, row.previous_numerator),
            "denominator_change": _relative(row.denominator, row.previous_denominator),
            # the parts cover only the platforms that report both (e.g. reach): named if fewer
            "platforms": covered,
            "same_platforms": covered == _platforms(row, "previous_platforms"),
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
    gaps: list[dict] = (),
    report: pd.DataFrame | None = None,
) -> list[Risk]:
    """Crisis episodes this month, goals off track, data gaps (one risk per platform, with
    the KPIs it stopped reporting), platforms whose data stops before the month's end (stale,
    with the headline KPIs that fell there) or that had data before but none this month
    (missing)."""
    out = [Risk("crisis", dict(e)) for e in (episodes.to_dict("records") if len(episodes) else [])]
    out += [Risk("off_track", g) for g in goals if g["status"] == "off-track"]
    by_platform: dict[str, list[dict]] = {}
    for g in gaps:
        by_platform.setdefault(g["platform"], []).append(g)
    out += [
        Risk(
            "gap",
            {
                "platform": p,
                "kpis": [g["kpi"] for g in found],
                "previous": [g["previous"] for g in found],
            },
        )
        for p, found in sorted(by_platform.items())
    ]
    stale = _stale(freshness, month)
    for platform in sorted(stale):
        day = date.fromisoformat(str(freshness[platform])[:10])
        out.append(
            Risk("stale", {"platform": platform, "day": day, "kpis": _fell_on(report, platform)})
        )
    period = parse_period(month)
    seen = {p for p, day in freshness.items() if date.fromisoformat(str(day)[:10]) >= period.start}
    out += [Risk("missing", {"platform": p}) for p in sorted(recent - seen)]
    return out


def _fell_on(report: pd.DataFrame | None, platform: str) -> list[str]:
    """Headline KPIs whose total covers ``platform`` and fell beyond normal variation."""
    if report is None or report.empty:
        return []
    rows = report[(report["platform"] == "all") & report["kpi"].isin(HEADLINE)]
    rows = rows[rows["assessment"] == "down_beyond"]
    return [r.kpi for r in rows.itertuples() if platform in _platforms(r, "platforms")]


def actions(
    found: advice.Advice,
    goals: list[dict],
    month: str,
    posts: pd.DataFrame,
    responses_now: float = math.nan,
) -> list[Action]:
    """The month's actions (``advice.propose``), each with the goal it serves (one covering
    its platform, engagement goals first, a lagging one first), its owner and its own
    follow-up due at the end of next month."""
    due = parse_period(month).shift(1).end - timedelta(days=1)
    out = []
    for p in found.actions:
        c = p.evidence
        objectives = ("responsiveness",) if p.kind == "staff" else CONTENT_OBJECTIVES
        goal = _goal_for(goals, objectives, c.platform)
        follow = {**advice.follow_up(p, posts, responses_now), "due": due}
        out.append(Action(p.finding, p.kind, c, goal, goal["owner"] if goal else None, follow))
    return out


def _goal_for(goals: list[dict], objectives: tuple[str, ...], platform: str | None) -> dict | None:
    """The goal a finding serves: one whose KPI belongs to ``objectives`` and whose platforms
    include the finding's (or that covers every platform); the earlier objective first, then
    lagging goals first."""
    order = {"off-track": 0, "at-risk": 1, "no-data": 2, "on-track": 3}
    d = metrics.dictionary()
    fitting = [
        g
        for g in goals
        if d[g["kpi"]].objective in objectives
        and (platform is None or not g["platforms"] or platform in g["platforms"])
    ]
    return min(
        fitting,
        key=lambda g: (objectives.index(d[g["kpi"]].objective), order.get(g["status"], 4)),
        default=None,
    )


def candidates(
    content: list[Comparison],
    withheld: list[advice.Withheld] = (),
    min_posts: int = MIN_POSTS,
) -> list[Candidate]:
    """Differences worth testing but not advising: findings withheld from the actions first
    (they had the evidence, but another action or the last months disagree), then the
    largest that miss the evidence rules (too few posts on a side, or an interval that
    includes zero)."""
    out = [Candidate(w.evidence, w.reason, w.other) for w in withheld]
    weak = [c for c in content if not c.supported and c.n >= 2 and c.n_rest >= 2]
    weak.sort(key=lambda c: -abs(c.difference / (c.median_rest or 1)))
    out += [Candidate(c, "interval" if c.enough_posts else "few") for c in weak]
    return out[:MAX_CANDIDATES]


def _record(s: Summary) -> None:
    """Every KPI figure the summary shows, with its scope (:attr:`Summary.figures`)."""
    previous = parse_period(s.month).previous().label
    for m in s.movers:
        s.figures.add(m.kpi, m.scope, m.period, m.value, where="summary")
        s.figures.add(m.kpi, m.previous_scope or m.scope, previous, m.previous, where="summary")
        if m.unit == "percent":
            s.figures.add(m.kpi, m.scope, m.period, m.change, "change", where="summary")
        elif m.previous:
            s.figures.add(
                m.kpi, m.scope, m.period, m.change / m.previous, "relative_change", where="summary"
            )
        d = m.driver
        if d["kind"] == "ratio" and d["same_platforms"]:
            for part in ("numerator", "denominator"):
                if d[part] in metrics.dictionary():
                    s.figures.add(
                        d[part],
                        d["platforms"],
                        m.period,
                        d[f"{part}_change"],
                        "relative_change",
                        where="summary",
                    )
    if s.money is not None:
        s.figures.add("spend", (), s.month, s.money.total, where="summary")
        s.figures.add("social_roi", (), s.month, s.money.roi, where="summary")
    for g in s.goals:
        kpi_id, platforms = g["kpi"], g.get("covered") or ()
        if platforms:
            s.figures.add(kpi_id, platforms, s.month, g["latest"], where="goals")
