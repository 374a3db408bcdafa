"""Sentences generated from the numbers, in the report language."""

from __future__ import annotations

import math

import pandas as pd

from socialkpi import metrics
from socialkpi.i18n import t, word
from socialkpi.report_text import fmt


def _change(value: float, unit: str, lang: str) -> str:
    if unit == "percent":
        return f"{abs(value) * 100:.2f} " + ("個百分點" if lang == "zh-TW" else "pp")
    return fmt(abs(value), unit)


def kpi_sentence(row: pd.Series, lang: str = "en", period: str = "") -> str:
    """One sentence for one KPI row of ``kpi.kpi_report``: value, change vs the previous
    period, direction, and whether it is beyond normal variation."""
    d = metrics.dictionary()
    metric = d.get(row["kpi"]) or d[row.get("chosen", "engagement_rate_reach")]
    name = metric.name[lang]
    value = fmt(row["value"], row["unit"])
    prev_label = t("previous_month", lang)
    if math.isnan(row["previous"]) or math.isnan(row["value"]):
        return t(
            "kpi_sentence_new", lang, name=name, value=value, period=period, prev_label=prev_label
        )
    delta = row["value"] - row["previous"]
    direction = t("up" if delta > 0 else "down" if delta < 0 else "flat", lang)
    return t(
        "kpi_sentence", lang, name=name, value=value, period=period, direction=direction,
        change=_change(delta, row["unit"], lang), previous=fmt(row["previous"], row["unit"]),
        prev_label=prev_label, assessment=row["assessment"],
    )  # fmt: skip


def goal_sentence(goal_id: str, kpi_id: str, paced: dict, unit: str, lang: str = "en") -> str:
    name = metrics.dictionary()[kpi_id].name[lang]
    return t(
        "goal_sentence", lang, goal=goal_id, name=name, latest=fmt(paced["latest"], unit),
        target=fmt(paced["target"], unit), status=word(paced["status"], lang),
    )  # fmt: skip
