"""What every step reads of a brand's month, in one layer below the steps: the posts with
their KPIs (``posts``), the plan reconciled with them (``plan``), the goals and their pacing
(``goals``), comments, crisis episodes and reply times (``listening``), and the advice and
executive summary built from all of them (``summary``). A step's own reader reads what only
that step shows; what two steps show is read here, once. Frames of ids and values; the
pages turn them into what a reader sees."""

from socialkpi import store
from socialkpi.reads.goals import definition_for, goal_status, load_goals_or_none
from socialkpi.reads.listening import crisis, reply_findings, responsiveness
from socialkpi.reads.plan import plan_adherence, plan_month
from socialkpi.reads.posts import (
    CONTENT_KPI,
    HEADLINE,
    platform_breakdown,
    post_findings,
    posts_of,
    recent_posts,
)
from socialkpi.reads.summary import executive_summary, month_advice

__all__ = [
    "CONTENT_KPI",
    "HEADLINE",
    "brands",
    "crisis",
    "definition_for",
    "executive_summary",
    "goal_status",
    "load_goals_or_none",
    "month_advice",
    "plan_adherence",
    "plan_month",
    "platform_breakdown",
    "post_findings",
    "posts_of",
    "recent_posts",
    "reply_findings",
    "responsiveness",
]


def brands(con) -> list[str]:
    """The brands in the store, sorted."""
    return sorted(store.brand_timezones(con))
