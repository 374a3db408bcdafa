"""The SOP pages, one module each, one function per section: a section takes a
:class:`~socialkpi.page.Page` and returns what the page shows there (a table, a chart, a few
sentences, or one sentence saying what is missing and how to get it). Notebooks and
dashboards call these; analysis stays in the domain modules, words and formats in
``presentation``, ``charts`` and ``narrative``."""

from socialkpi.pages import audience, competitors, goal_setting, kpi_review, retrospective

__all__ = ["audience", "competitors", "goal_setting", "kpi_review", "retrospective"]
