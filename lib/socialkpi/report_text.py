"""Plain-text and JSON renderings of the metric dictionary and KPI reports (CLI, logs)."""

from __future__ import annotations

import math

import pandas as pd

from socialkpi import metrics

HEADERS = {
    "en": {"kpi": "KPI", "value": "value", "previous": "previous", "change": "change",
           "assessment": "assessment", "last_year": "last year", "trailing": "12-mo median",
           "id": "id", "name": "name", "definition": "definition", "objective": "objective",
           "basis": "exposure = {basis}"},
    "zh-TW": {"kpi": "指標", "value": "本期", "previous": "上期", "change": "變化",
              "assessment": "判讀", "last_year": "去年同期", "trailing": "近 12 期中位數",
              "id": "代碼", "name": "名稱", "definition": "定義", "objective": "目標類型",
              "basis": "曝光 = {basis}"},
}  # fmt: skip


def fmt(value: float, unit: str) -> str:
    """A KPI value for people: 12,400 / 3.21% / 4.2 h / 18.5 s / NT$1,234."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "percent":
        return f"{value * 100:.2f}%"
    if unit == "hours":
        return f"{value:.1f} h"
    if unit == "seconds":
        return f"{value:.1f} s"
    if unit == "currency":
        return f"{value:,.0f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def dictionary_text(lang: str = "en") -> str:
    frame = metrics.dictionary_frame(lang)[["id", "name", "definition", "objective"]]
    frame["objective"] = frame["objective"].map(lambda o: metrics.OBJECTIVE_NAMES[lang][o])
    frame.columns = [HEADERS[lang][c] for c in frame.columns]
    with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 80):
        return frame.to_string(index=False)


def _rows(report: pd.DataFrame, platform: str) -> pd.DataFrame:
    return report[report["platform"] == platform]


def kpi_text(report: pd.DataFrame, platform: str = "all", lang: str = "en") -> str:
    h = HEADERS[lang]
    names = metrics.dictionary()
    lines = []
    for r in _rows(report, platform).itertuples():
        m = names.get(r.kpi) or names[report.attrs["engagement_rate"]]
        name = m.name[lang] + (" *" if r.kpi == "engagement_rate" else "")
        if isinstance(r.exposure_basis, str) and r.exposure_basis:
            name += f" ({h['basis'].format(basis=r.exposure_basis)})"
        change = (
            fmt(r.change, r.unit)
            if r.unit != "percent"
            else ("–" if math.isnan(r.change) else f"{r.change * 100:+.2f} pp")
        )
        lines.append({h["kpi"]: name, h["value"]: fmt(r.value, r.unit), h["previous"]: fmt(r.previous, r.unit),
                      h["change"]: change, h["assessment"]: r.assessment,
                      h["last_year"]: fmt(r.last_year, r.unit), h["trailing"]: fmt(r.trailing_median, r.unit)})  # fmt: skip
    title = f"{report.attrs.get('brand')} · {report.attrs.get('period')} · {platform}"
    note = {"en": "* the brand's engagement-rate definition", "zh-TW": "* 品牌選定的互動率定義"}[
        lang
    ]
    with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 60):
        return title + "\n" + pd.DataFrame(lines).to_string(index=False) + "\n" + note


def kpi_json(report: pd.DataFrame, platform: str = "all", lang: str = "en") -> dict:
    """KPI id -> value, comparisons and the definition used."""
    names = metrics.dictionary()
    out = {}
    for r in _rows(report, platform).itertuples():
        m = names.get(r.kpi) or names[report.attrs["engagement_rate"]]

        def num(v):
            return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

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
            "last_year": num(r.last_year),
            "trailing_median": num(r.trailing_median),
            "exposure_basis": r.exposure_basis if isinstance(r.exposure_basis, str) else None,
        }
    return out
