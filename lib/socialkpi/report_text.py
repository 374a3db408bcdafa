"""Plain-text and JSON renderings of the metric dictionary and KPI reports (CLI, logs)."""

from __future__ import annotations

import math

import pandas as pd

from socialkpi import metrics
from socialkpi.i18n import t, word
from socialkpi.narrative import kpi_name
from socialkpi.presentation import number


def dictionary_text(lang: str = "en") -> str:
    frame = metrics.dictionary_frame(lang)[["id", "name", "definition", "objective"]]
    frame["objective"] = frame["objective"].map(lambda o: word("objective", o, lang))
    frame.columns = [t(f"cli.{c}", lang) for c in frame.columns]
    with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 80):
        return frame.to_string(index=False)


def _rows(report: pd.DataFrame, platform: str) -> pd.DataFrame:
    return report[report["platform"] == platform]


def kpi_text(report: pd.DataFrame, platform: str = "all", lang: str = "en") -> str:
    lines = []
    chosen = report.attrs["engagement_rate"]
    for r in _rows(report, platform).itertuples():
        name = kpi_name(r.kpi, lang, chosen) + (" *" if r.kpi == "engagement_rate" else "")
        if isinstance(r.exposure_basis, str) and r.exposure_basis:
            name += f" ({t('cli.basis', lang, basis=r.exposure_basis)})"
        lines.append(
            {
                t("col.kpi", lang): name,
                t("col.value", lang): number(r.value, r.unit, lang),
                t("col.previous", lang): number(r.previous, r.unit, lang),
                t("col.change", lang): number(r.change, r.unit, lang, signed=True),
                t("col.assessment", lang): word("assessment", r.assessment, lang),
                t("col.last_year", lang): number(r.last_year, r.unit, lang),
                t("cli.trailing", lang): number(r.trailing_median, r.unit, lang),
            }
        )
    title = f"{report.attrs.get('brand')} · {report.attrs.get('period')} · {platform}"
    with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 60):
        table = pd.DataFrame(lines).to_string(index=False)
    return f"{title}\n{table}\n{t('cli.chosen_note', lang)}"


def kpi_json(report: pd.DataFrame, platform: str = "all", lang: str = "en") -> dict:
    """KPI id -> value, comparisons and the definition used."""
    names = metrics.dictionary()
    chosen = report.attrs["engagement_rate"]

    def num(v):
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

    out = {}
    for r in _rows(report, platform).itertuples():
        m = names.get(r.kpi) or names[chosen]
        out[r.kpi] = {
            "name": m.name[lang],
            "definition": m.definition[lang],
            "platform": platform,
            "period": report.attrs.get("period"),
            "unit": r.unit,
            "value": num(r.value),
            "previous": num(r.previous),
            "change": num(r.change),
            "change_interval": [num(r.change_low), num(r.change_high)],
            "assessment": r.assessment,
            "assessment_text": word("assessment", r.assessment, lang),
            "last_year": num(r.last_year),
            "trailing_median": num(r.trailing_median),
            "exposure_basis": r.exposure_basis if isinstance(r.exposure_basis, str) else None,
        }
    return out
