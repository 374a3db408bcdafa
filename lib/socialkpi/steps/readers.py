"""What the pages and dashboards read from the store, by SOP step: ``goal_setting`` (goals,
pacing, SMART findings, target candidates), ``monthly`` (the month's posts, plan adherence,
the executive summary), ``community`` (crisis episodes, response times) ``benchmark``
(the brand beside its competitors) and ``planning`` (the content calendar and next month's draft) and ``testing``
(the brand's A/B tests). Frames of ids and
values; ``pages`` and ``presentation`` turn them into what a reader sees."""

from socialkpi import store
from socialkpi.steps.calendar.reader import Calendar, content_calendar
from socialkpi.steps.competitors.reader import Benchmark, benchmark
from socialkpi.steps.crisis.reader import crisis, reply_findings, responsiveness
from socialkpi.steps.experiments.reader import month_results
from socialkpi.steps.goal_setting.reader import (
    CANDIDATES,
    candidates,
    definition_for,
    goal_status,
    load_goals_or_none,
    objectives,
    smart_findings,
)
from socialkpi.steps.kpi_review.reader import (
    CONTENT_KPI,
    HEADLINE,
    executive_summary,
    plan_adherence,
    plan_month,
    platform_breakdown,
    posts_of,
)

__all__ = [
    "Benchmark",
    "Calendar",
    "content_calendar",
    "benchmark",
    "CANDIDATES",
    "CONTENT_KPI",
    "HEADLINE",
    "brands",
    "candidates",
    "crisis",
    "definition_for",
    "executive_summary",
    "goal_status",
    "load_goals_or_none",
    "month_results",
    "objectives",
    "plan_adherence",
    "plan_month",
    "platform_breakdown",
    "posts_of",
    "reply_findings",
    "responsiveness",
    "smart_findings",
]


def brands(con) -> list[str]:
    """The brands in the store, sorted."""
    return sorted(store.brand_timezones(con))
