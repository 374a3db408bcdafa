"""The SOP steps, one package each, and :data:`STEPS`, the one list of them.

A step's package holds what only that step knows, in modules named for what they hold:

- ``analysis``: pure functions on frames of ids and values (no store, no words, no HTML);
- ``reader``: what the step's page reads from the store, as frames (where it reads any);
- ``page``: the page's sections, one function each, taking a ``presentation.page.Page``.

The runner, the bundle, the index page, the dashboards, the command line and the tests read
:data:`STEPS`; adding a step is one folder here and one entry below (``docs/architecture.md``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One SOP step: ``id`` names its package, its dashboard and its catalogue section
    (``page.<id>.title``); ``number`` orders the bundle and prefixes its notebook."""

    id: str
    number: str
    notebook: str | None  # notebooks/<notebook>.ipynb, the bundle page (None: no page)
    dashboard_kpis: tuple[str, ...] = ()  # the dashboard's KPI control, first = default
    cards: tuple[str, ...] = ()  # KPI cards above the dashboard's chart

    @property
    def dashboard(self) -> str | None:
        """``notebooks/dashboards/<dashboard>.ipynb``, for a step with a page."""
        return self.id if self.notebook else None

    @property
    def title_key(self) -> str:
        """The catalogue key of the step's title."""
        return f"page.{self.id}.title"


STEPS: tuple[Step, ...] = (
    Step(
        "goal_setting",
        "01",
        "01_goal_setting",
        dashboard_kpis=(
            "engagement_rate",
            "net_follower_growth",
            "reach",
            "link_clicks",
            "key_events",
            "response_time_median",
        ),
    ),
    Step(
        "audience",
        "02",
        "02_audience_analysis",
        dashboard_kpis=("followers", "net_follower_growth", "reach", "impressions", "video_views"),
        cards=("followers", "net_follower_growth", "reach"),
    ),
    Step(
        "kpi_review",
        "03",
        "03_kpi_review",
        dashboard_kpis=(
            "engagement_rate",
            "followers",
            "reach",
            "engagements",
            "link_clicks",
            "social_sessions",
            "key_events",
            "negative_share",
            "mention_volume",
        ),
        cards=(
            "engagement_rate",
            "followers",
            "reach",
            "engagements",
            "link_clicks",
            "negative_share",
        ),
    ),
    Step(
        "retrospective",
        "04",
        "04_retrospective",
        dashboard_kpis=(
            "engagement_rate",
            "engagements",
            "reach",
            "net_follower_growth",
            "key_events",
            "negative_share",
        ),
    ),
    # the competitor dashboard charts the benchmark's monthly history, not KPI totals
    Step(
        "competitors",
        "05",
        "05_competitors",
        dashboard_kpis=("share_of_voice", "share_of_posts", "followers", "posts_per_week"),
    ),
    # the calendar dashboard charts the month's pillar mix or its weeks
    Step("calendar", "06", "06_content_calendar", dashboard_kpis=("pillar_mix", "cadence")),
    # the experiments dashboard charts each test's effect and interval
    Step("experiments", "07", "07_experiments", dashboard_kpis=("effect",)),
    # the budget and return dashboard charts a money KPI over 13 months (all ad platforms)
    Step(
        "money",
        "08",
        "08_budget_and_return",
        dashboard_kpis=("spend", "cost_per_result", "cpm", "cpc", "roas", "social_roi"),
    ),
    # crisis alerts: the command line (socialkpi alerts) and sections of the KPI review and
    # retrospective pages; no page of their own
    Step("crisis", "09", None),
)

WITH_PAGES: tuple[Step, ...] = tuple(s for s in STEPS if s.notebook)


def step(step_id: str) -> Step:
    """The step called ``step_id``."""
    found = [s for s in STEPS if s.id == step_id]
    if not found:
        raise KeyError(f"unknown SOP step {step_id!r}; known: {', '.join(s.id for s in STEPS)}")
    return found[0]
