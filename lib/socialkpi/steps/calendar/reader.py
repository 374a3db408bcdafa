"""SOP step 內容規劃: the month's content plan against what went out, the pillar mix, the best
windows and next month's draft, read from the store (``reads``) and put through
``calendar``'s and ``evidence``'s rules. One :class:`Calendar` serves the page, the
dashboard and ``socialkpi plan``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from socialkpi import store
from socialkpi.metrics import advice, content, evidence
from socialkpi.metrics import plan as plans
from socialkpi.reads import line as line_reads
from socialkpi.reads.plan import plan_month, planned_pillars
from socialkpi.reads.posts import CONTENT_KPI, HISTORY_MONTHS, recent_posts
from socialkpi.reads.summary import month_advice
from socialkpi.steps.calendar import analysis as calendar
from socialkpi.store.cache import cached

__all__ = ["HISTORY_MONTHS", "Calendar", "content_calendar"]


@dataclass(frozen=True)
class Calendar:
    """A month's calendar; frames keep ids (platforms, pillar ids of ``brands.yaml``)."""

    brand: str
    month: str
    platforms: list[str] | None
    pillars: dict[str, dict]
    items: pd.DataFrame  # plans.reconcile's plan items, with pillar
    posts: pd.DataFrame  # the month's posts with per-post KPIs, day, pillar and planned_id
    windows: pd.DataFrame  # evidence.best_windows over HISTORY_MONTHS
    untimed: dict[str, int]  # per platform, posts of those months whose export gave no time
    slots: pd.DataFrame  # calendar.slots for the next month
    upcoming: pd.DataFrame  # items already planned for the next month (not cancelled)
    draft: pd.DataFrame  # calendar.draft for the next month
    actions: list = ()  # the month's actions (advice.Proposal) the draft and windows honour
    country: str | None = None  # brands.yaml's country: its holidays are the calendar's

    @property
    def next_month(self) -> str:
        """The month the draft is for."""
        return str(pd.Period(self.month, "M") + 1)

    @property
    def empty(self) -> bool:
        """No plan item and no post in the month."""
        return self.items.empty and self.posts.empty

    def counts(self, by: str | None = None) -> pd.DataFrame:
        """``plans.counts`` overall or per ``platform`` / ``owner``."""
        return plans.counts(self.items, self.posts, by)

    @property
    def content_posts(self) -> pd.DataFrame:
        """The month's posts without a LINE Official Account's sends (they are matched to the
        plan, but carry no pillar and none of the per-post KPIs)."""
        return self.posts[~line_reads.is_send(self.posts)]

    def mix(self) -> pd.DataFrame:
        """``calendar.pillar_mix`` of the month (its posts, not its LINE sends)."""
        return calendar.pillar_mix(self.items, self.content_posts, self.pillars)

    def performance(self) -> pd.DataFrame:
        """``calendar.pillar_performance`` of the month's posts on :data:`CONTENT_KPI`."""
        return calendar.pillar_performance(self.content_posts, CONTENT_KPI, self.pillars)

    def cadence(self) -> pd.DataFrame:
        """``calendar.cadence`` of the month."""
        return calendar.cadence(self.items, self.posts, self.month)


@cached(8)
def content_calendar(con, brand: str, month: str, platforms: list[str] | None = None) -> Calendar:
    """The calendar of ``brand`` for ``month`` (YYYY-MM) and the draft of the month after.
    The draft and the best windows honour the month's actions (``reads.month_advice``): a
    window an action says to avoid is neither proposed nor listed."""
    items, posts = plan_month(con, brand, month, platforms)
    zone = store.brand_timezone(con, brand)
    history = recent_posts(con, brand, month, platforms, zone)
    plan = store.read(con, "content_plan", brand=brand)
    if platforms:
        plan = plan[plan["platform"].isin(platforms)]
    plan = plan.assign(planned_for=pd.to_datetime(plan["planned_for"]))
    nxt = pd.Period(month, "M") + 1
    upcoming = plan[(plan["planned_for"].dt.to_period("M") == nxt) & plan["status"].ne("cancelled")]
    upcoming = upcoming.assign(pillar=planned_pillars(con, brand, upcoming))
    pillars = store.pillars(con, brand)
    windows = evidence.best_windows(history, CONTENT_KPI)
    found, _, _ = month_advice(con, brand, month, platforms, windows=windows)
    steer = advice.steer(found.actions)
    windows = calendar.without(windows, steer)
    slots = calendar.slots(plan, history, str(nxt))
    return Calendar(
        brand=brand,
        month=month,
        platforms=platforms,
        pillars=pillars,
        items=items,
        posts=posts,
        windows=windows,
        untimed=content.untimed(history),
        slots=slots,
        upcoming=upcoming.reset_index(drop=True),
        draft=calendar.draft(str(nxt), slots, pillars, windows, upcoming, steer),
        country=store.brand_settings(con, brand)["country"],
        actions=found.actions,
    )
