"""Advice that holds together: from the month's evidence to at most three actions that agree
with each other, with the months before and with next month's draft.

1. **Findings compare posts within a platform** (``evidence.findings``): a group is set only
   against its own platform's other posts, so an action names its platform.
2. **An action rests on a supported finding** (enough posts in both groups, an interval that
   excludes zero), one per finding, the largest relative differences first.
3. **Actions do not contradict each other.** Two actions on one platform that push the same
   posts opposite ways (more of one group, less of another, the groups sharing at least
   :data:`OVERLAP` of the smaller one's posts) contradict: the first stays, the other is
   withheld.
4. **Actions do not contradict the last months.** An action to post less in a time window
   that stood out in the best windows of the last six months (its interval above the
   account's typical post), or more in one that fell behind (its interval below), is
   withheld: the month's evidence and the longer record disagree, so it is worth a test,
   not advice.
5. **Each action has its own follow-up**: the typical post (median per-post rate) of its
   platform next month, from this month's level to the level of the better side of its
   finding (:func:`follow_up`); a reply action, the median first-response time from this
   month's to the faster side's.
6. **Next month's draft honours the actions** (:func:`steer`): no slot in a window, on a
   weekday or of a format an action says to avoid; the platform's slots in the window, on the
   weekday or of the format an action says to use more; :func:`draft_conflicts` checks a
   draft against the actions.

Pure functions of comparisons and frames; the words are ``narrative``'s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from socialkpi.metrics.evidence import Comparison

MAX_ACTIONS = 3
OVERLAP = 0.5  # share of the smaller group's posts two opposite actions may share
TIME_DIMENSIONS = ("daypart", "weekday")


@dataclass(frozen=True)
class Proposal:
    """A supported finding turned into advice: ``kind`` is ``more``, ``less`` (posts) or
    ``staff`` (replies)."""

    kind: str
    evidence: Comparison

    @property
    def finding(self) -> str:
        """The finding's id (one action per finding)."""
        return self.evidence.key


@dataclass(frozen=True)
class Withheld:
    """A finding that would have been advice, and why it is not: ``contradicts`` (another
    action, named by ``other``) or ``windows`` (the best windows of the last months)."""

    evidence: Comparison
    reason: str
    other: str = ""


@dataclass(frozen=True)
class Advice:
    """The month's actions (at most :data:`MAX_ACTIONS`) and the findings withheld."""

    actions: list[Proposal] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)


def propose(
    content: list[Comparison],
    responses: list[Comparison] = (),
    windows: pd.DataFrame | None = None,
    limit: int = MAX_ACTIONS,
) -> Advice:
    """The month's actions from supported content findings (``more`` or ``less`` of a group)
    and reply findings (``staff`` where replies are slower), the largest relative
    differences first, each checked against the actions before it and against ``windows``
    (``evidence.best_windows`` of the last months).

    >>> from socialkpi.metrics.evidence import Comparison
    >>> def c(group, diff, members, by="content_type"):
    ...     return Comparison(by, group, "rate", 6, 6, 0.05 + diff, 0.05, diff, diff / 2, diff * 2,
    ...                       5, "instagram", members)
    >>> reels, evening = c("reel", 0.02, ("a", "b", "c")), c("evening", -0.01, ("a", "b", "d"), "daypart")
    >>> advice = propose([reels, evening])
    >>> [p.finding for p in advice.actions], [(w.evidence.key, w.reason) for w in advice.withheld]
    (['instagram:content_type:reel'], [('instagram:daypart:evening', 'contradicts')])
    """
    found = [Proposal("more" if c.difference > 0 else "less", c) for c in content if c.supported]
    found += [Proposal("staff", c) for c in responses if c.supported and c.difference > 0]
    found.sort(key=lambda p: -abs(p.evidence.difference / (p.evidence.median_rest or 1)))
    actions: list[Proposal] = []
    withheld: list[Withheld] = []
    seen: set[str] = set()
    for p in found:
        if p.finding in seen or len(actions) == limit:
            continue
        seen.add(p.finding)
        other = next((a for a in actions if contradicts(a, p)), None)
        if other is not None:
            withheld.append(Withheld(p.evidence, "contradicts", other.finding))
        elif windows is not None and against_windows(p, windows):
            withheld.append(Withheld(p.evidence, "windows"))
        else:
            actions.append(p)
    return Advice(actions, withheld)


def contradicts(a: Proposal, b: Proposal) -> bool:
    """Whether two actions push the same posts opposite ways: one platform, ``more`` against
    ``less``, and groups that share at least :data:`OVERLAP` of the smaller one's posts (or
    the same group of one dimension, which cannot be both more and less).

    >>> from socialkpi.metrics.evidence import Comparison
    >>> def p(kind, group, members):
    ...     c = Comparison("content_type", group, "rate", 5, 5, 1, 1, 0, 0, 0, 5, "x", members)
    ...     return Proposal(kind, c)
    >>> contradicts(p("more", "reel", ("a", "b")), p("less", "video", ("b", "c"))), contradicts(
    ...     p("more", "reel", ("a", "b")), p("less", "video", ("c", "d")))
    (True, False)
    """
    if {a.kind, b.kind} != {"more", "less"} or a.evidence.platform != b.evidence.platform:
        return False
    one, two = set(a.evidence.members), set(b.evidence.members)
    if not one or not two:
        return a.evidence.by == b.evidence.by and a.evidence.group == b.evidence.group
    return len(one & two) >= OVERLAP * min(len(one), len(two))


def against_windows(p: Proposal, windows: pd.DataFrame) -> bool:
    """Whether the best windows of the last months contradict a time action: it says to post
    less in a window that stood out there (a named cell's interval above 1), or more in one
    that fell behind (a named cell's interval below 1)."""
    c = p.evidence
    if c.by not in TIME_DIMENSIONS or p.kind not in ("more", "less") or windows.empty:
        return False
    cells = windows[(windows["platform"] == c.platform) & (windows[c.by] == c.group)]
    cells = cells[cells["named"]]
    if p.kind == "less":
        return bool((cells["low"] > 1).any())
    return bool(len(cells)) and bool((cells["high"] < 1).all())


def follow_up(p: Proposal, posts: pd.DataFrame, responses_now: float = math.nan) -> dict:
    """What to measure at the end of next month to see the action's own effect.

    Posts: ``statistic`` ``post_median``, the median per-post value of the finding's metric
    over the platform's posts (``baseline``: this month's, from ``posts``), to reach the
    better side's median this month (``target``: the group's for ``more``, the other posts'
    for ``less``). Replies: the median first-response time over the month's comments
    (``responses_now``) to the faster side's median.

    >>> from socialkpi.metrics.evidence import Comparison
    >>> c = Comparison("daypart", "evening", "rate", 2, 2, 0.06, 0.02, 0.04, 0.01, 0.05, 2, "ig", ("a", "b"))
    >>> posts = pd.DataFrame({"platform": ["ig"] * 4 + ["fb"], "rate": [0.06, 0.06, 0.02, 0.02, 0.9]})
    >>> f = follow_up(Proposal("more", c), posts)
    >>> (f["statistic"], f["platforms"], f["baseline"], f["target"])
    ('post_median', ['ig'], 0.04, 0.06)
    """
    c = p.evidence
    if p.kind == "staff":
        return {
            "kpi": c.metric,
            "statistic": "value",
            "platforms": [c.platform] if c.platform else [],
            "baseline": float(responses_now),
            "target": float(c.median_rest),
            "better": "down",
        }
    mine = posts[posts["platform"] == c.platform] if c.platform else posts
    values = mine[c.metric].astype("float64").dropna() if c.metric in mine else pd.Series()
    return {
        "kpi": c.metric,
        "statistic": "post_median",
        "platforms": [c.platform] if c.platform else [],
        "baseline": float(values.median()) if len(values) else math.nan,
        "target": float(c.median if p.kind == "more" else c.median_rest),
        "better": "up",
    }


@dataclass(frozen=True)
class Steer:
    """What next month's draft takes from the actions, per platform: windows (``daypart``),
    weekdays and formats (``content_type``) and topics to ``avoid`` and to ``prefer``, each a
    set of ``(platform, dimension, value)``."""

    avoid: frozenset = frozenset()
    prefer: frozenset = frozenset()

    def avoided(self, platform: str, dimension: str) -> set:
        """The values of ``dimension`` the draft avoids on ``platform``."""
        return {v for p, d, v in self.avoid if p == platform and d == dimension}

    def preferred(self, platform: str, dimension: str) -> list:
        """The values of ``dimension`` the draft uses more on ``platform`` (sorted)."""
        return sorted(str(v) for p, d, v in self.prefer if p == platform and d == dimension)


def steer(actions: list[Proposal]) -> Steer:
    """The draft's constraints from the month's post actions (replies steer nothing)."""
    avoid, prefer = set(), set()
    for p in actions:
        if p.kind not in ("more", "less") or p.evidence.platform is None:
            continue
        item = (p.evidence.platform, p.evidence.by, p.evidence.group)
        (prefer if p.kind == "more" else avoid).add(item)
    return Steer(frozenset(avoid), frozenset(prefer))


def draft_conflicts(actions: list[Proposal], draft: pd.DataFrame) -> list[str]:
    """The actions a draft does not honour (their finding ids): a slot in a window, on a
    weekday, of a format or a topic an action says to avoid, or no slot in the one it says
    to use more on a platform the draft has slots for. ``draft`` has ``platform`` and, where
    set, ``planned_for``, ``daypart``, ``content_type`` and ``topic``.

    >>> from socialkpi.metrics.evidence import Comparison
    >>> c = Comparison("daypart", "midday", "rate", 5, 5, 1, 2, -1, -2, -0.5, 5, "instagram", ())
    >>> draft = pd.DataFrame({"platform": ["instagram"], "planned_for": pd.to_datetime(["2026-11-02"]),
    ...     "daypart": ["midday"], "content_type": [None], "topic": [None]})
    >>> draft_conflicts([Proposal("less", c)], draft)
    ['instagram:daypart:midday']
    """
    out = []
    for p in actions:
        c = p.evidence
        if p.kind not in ("more", "less") or c.platform is None:
            continue
        slots = draft[draft["platform"] == c.platform]
        if slots.empty:
            continue
        if c.by == "weekday":
            values = slots["planned_for"].dt.day_name()
        else:
            values = slots[c.by] if c.by in slots else pd.Series(pd.NA, index=slots.index)
        hits = int((values == c.group).fillna(False).sum())
        if (p.kind == "less" and hits) or (p.kind == "more" and not hits):
            out.append(c.key)
    return out
