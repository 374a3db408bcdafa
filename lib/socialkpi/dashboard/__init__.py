"""The SOP dashboards for Voila (one per step with a page): controls on top (brand, month, platform, KPI, language),
KPI cards, a live chart and a table below, all updated in place when a control changes.

A dashboard notebook is two lines: ``dashboard.show("kpi_review", get_query_string())``. The
query string (``?brand=...&month=2026-09&platform=x&kpi=reach&lang=en``) preselects the view,
so a link can be shared. Data comes from the store's serving copy (see ``store``), so an
import can run while dashboards are open; a reload picks up the new data.

- ``views``: what a view is and what each dashboard shows for it;
- ``controls``: the widgets, updated in place, and :func:`show` / :func:`warm_up`;
- ``server``: the Voila command line, its environment and template.
"""

from socialkpi.dashboard.controls import Dashboard, brand_style, show, warm_up
from socialkpi.dashboard.server import kernel_profile, voila_command, voila_env, voila_templates
from socialkpi.dashboard.views import (
    CARDS,
    KINDS,
    KPIS,
    PANELS,
    Panel,
    View,
    cards_html,
    choices,
    kpi_cards,
    query_of,
    view_from_query,
)

__all__ = [
    "CARDS",
    "KINDS",
    "KPIS",
    "PANELS",
    "Dashboard",
    "Panel",
    "View",
    "brand_style",
    "cards_html",
    "choices",
    "kernel_profile",
    "kpi_cards",
    "query_of",
    "show",
    "view_from_query",
    "voila_command",
    "voila_env",
    "voila_templates",
    "warm_up",
]
