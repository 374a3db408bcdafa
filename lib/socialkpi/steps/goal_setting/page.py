"""The goal-setting page (SOP step: set 1-3 KPI goals): current goals and their progress, SMART
checks, candidate KPIs with targets suggested from history, and the objective families."""

from __future__ import annotations

import math

import pandas as pd

from socialkpi import metrics, presentation
from socialkpi.presentation import Col
from socialkpi.presentation import sections as _shared
from socialkpi.presentation.page import Page
from socialkpi.steps.goal_setting import reader
from socialkpi.words import narrative


def current_goals(page: Page):
    """The brand's goals with their progress (or how to add a goals file)."""
    return _shared.goals_table(page)


def smart(page: Page):
    """Every SMART finding per goal: which check, whether it passes, and why."""
    findings = reader.smart_findings(page.con, page.brand, page.month, page.goals)
    if not findings:
        return page.empty("empty.smart", "empty.goals_how")
    platforms = {g.id: g.platforms for g in page.goals.goals}
    labels = {
        f.goal: narrative.goal_label(f.values["kpi"], platforms[f.goal], page.lang)
        for f in findings
    }
    frame = pd.DataFrame(
        {
            "goal": [labels[f.goal] for f in findings],
            "check": [f.check for f in findings],
            "level": [f.level for f in findings],
            "finding": [narrative.smart_message(f, page.lang, page.currency) for f in findings],
        }
    )
    cols = [
        Col("check", "col.check", "check"),
        Col("level", "col.level", "level"),
        Col("finding", "col.finding"),
    ]
    return page.table(frame, cols, group="goal")


def candidates(page: Page, months: int = 3):
    """Candidate KPIs: the baseline (median of the last three months) and conservative,
    expected and stretch targets for the next ``months`` months, each with the percentile of
    past changes it needs (P50 is an ordinary quarter, P90 one in ten)."""
    frame = reader.candidates(page.con, page.brand, page.month, months=months)
    frame["name"] = [narrative.kpi_name(k, page.lang) for k in frame["kpi"]]
    held = False
    for level in ("conservative", "expected", "stretch"):
        cells = []
        for r in frame.itertuples():
            value, base = getattr(r, level), r.baseline
            beats = value > base if r.better == "up" else value < base
            if presentation.missing(value) or presentation.missing(base) or beats:
                cells.append(
                    _with_percentile(page, value, r.unit, getattr(r, f"{level}_percentile"))
                )
            else:  # past spans mostly fell: no growth target, hold the baseline
                held = True
                cells.append(page.t("word.hold", value=page.number(base, r.unit)))
        frame[level] = cells
    cols = [
        Col("name", "col.kpi"),
        Col("objective", "col.objective", "objective"),
        Col("baseline", "col.baseline", "value"),
        Col("conservative", "col.conservative"),
        Col("expected", "col.expected"),
        Col("stretch", "col.stretch"),
    ]
    notes = [page.t("note.candidates", months=months)]
    if held:
        notes.append(page.t("note.hold", months=months))
    return page.table(frame, cols, notes=notes)


def _with_percentile(page: Page, value: float, unit: str, percentile: float) -> str | None:
    if presentation.missing(value):
        return None
    shown = page.number(value, unit)
    if math.isnan(percentile):
        return shown
    return page.t("word.with_percentile", value=shown, percentile=f"{percentile:.0f}")


def objectives(page: Page):
    """The SOP's objective families and the KPIs that measure each."""
    frame = reader.objectives()
    frame["kpis"] = [
        page.t("word.and").join(metrics.dictionary()[k].name[page.lang] for k in ids)
        for ids in frame["kpis"]
    ]
    return page.table(
        frame, [Col("objective", "col.objective", "objective"), Col("kpis", "col.kpis")]
    )


def editor(page: Page):
    """Target editors (JupyterLab, Voila): validated, the previous file kept as ``.bak``."""
    if not page.interactive or page.goals is None:
        return None
    from socialkpi.presentation import widgets

    return widgets.goal_editor(page.goals, page.goals_path, page.lang)
