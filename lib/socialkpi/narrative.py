"""Sentences generated from the numbers, in the page's language (words from the catalogue,
numbers from the presentation layer)."""

from __future__ import annotations

import math

import pandas as pd

from socialkpi import metrics
from socialkpi.i18n import t, word
from socialkpi.presentation import date, number


def kpi_name(kpi_id: str, lang: str, chosen: str | None = None) -> str:
    """A KPI's display name; ``engagement_rate`` is the brand's ``chosen`` definition."""
    d = metrics.dictionary()
    return (d.get(kpi_id) or d[chosen or "engagement_rate_reach"]).name[lang]


def kpi_sentence(row: pd.Series, lang: str = "en", currency: str | None = None) -> str:
    """One sentence for one KPI row of ``kpi.kpi_report``: value, change vs the previous
    period, direction, and whether it is beyond normal variation."""
    name = kpi_name(row["kpi"], lang, row.get("chosen"))
    unit = row["unit"]
    value = number(row["value"], unit, lang, currency)
    if math.isnan(row["previous"]) or math.isnan(row["value"]):
        return t("sentence.kpi_new", lang, name=name, value=value)
    delta = row["value"] - row["previous"]
    if delta == 0:
        return t(
            "sentence.kpi_flat",
            lang,
            name=name,
            value=value,
            assessment=word("assessment", row["assessment"], lang),
        )
    direction = t(f"sentence.{'up' if delta > 0 else 'down'}", lang)
    change = number(abs(delta), unit, lang, currency, signed=unit == "percent").lstrip("+")
    return t(
        "sentence.kpi",
        lang,
        name=name,
        value=value,
        direction=direction,
        change=change,
        previous=number(row["previous"], unit, lang, currency),
        assessment=word("assessment", row["assessment"], lang),
    )


def goal_label(kpi_id: str, platforms: list[str], lang: str = "en") -> str:
    """What a reader calls a goal: its KPI, and the platforms it is limited to
    (``Instagram 互動率（依觸及）``)."""
    from socialkpi.presentation import text

    names = t("word.and", lang).join(text(p, "platform", lang) for p in platforms or [])
    return f"{names} {kpi_name(kpi_id, lang)}" if names else kpi_name(kpi_id, lang)


def smart_message(finding, lang: str = "en", currency: str | None = None) -> str:
    """A SMART finding (``goals.Finding``) in words: ids become names, numbers are formatted
    by the KPI's unit."""
    values = dict(finding.values)
    unit = metrics.dictionary()[values["kpi"]].unit
    shown = {"kpi": kpi_name(values["kpi"], lang)}
    for key, value in values.items():
        if key in ("measures", "objective"):
            shown[key] = word("objective", value, lang)
        elif key in ("horizon", "length"):
            shown[key] = word("horizon", value, lang)
        elif key in ("target", "baseline"):
            shown[key] = number(value, unit, lang, currency)
        elif key == "need":
            shown[key] = f"{value:+.1%}"
        elif key in ("start", "end"):
            shown[key] = date(value, lang)
        elif key != "kpi":
            shown[key] = value
    return t(f"smart.{finding.message}", lang, **shown)
