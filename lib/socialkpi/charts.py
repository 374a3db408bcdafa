"""Altair chart builders. They return charts and never display or save; one registered theme
styles them all (CJK-capable fonts, print-friendly). Every chart names its KPI definition.

Rendering offline: :func:`setup` picks the ``svg`` renderer for static output (Papermill,
HTML reports: no JavaScript, no network) or Altair's offline JupyterChart for live controls
in JupyterLab and Voila.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from socialkpi import metrics

FONT = "Noto Sans CJK TC, Noto Sans TC, PingFang TC, Microsoft JhengHei, Heiti TC, sans-serif"
PALETTE = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#718096", "#d69e2e", "#319795"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@alt.theme.register("socialkpi", enable=True)
def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 520, "continuousHeight": 240},
            "title": {
                "fontSize": 15,
                "anchor": "start",
                "subtitleColor": "#4a5568",
                "subtitleFontSize": 11,
            },
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e2e8f0"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12},
            "range": {"category": PALETTE},
            "background": "white",
        }
    }


def setup(interactive: bool) -> None:
    """Static SVG charts (headless runs, reports) or live offline charts (Lab, Voila)."""
    if interactive:
        alt.JupyterChart.enable_offline()
    _ = alt.renderers.enable("svg")


def _title(kpi_id: str, lang: str, extra: str = "") -> alt.TitleParams:
    m = metrics.dictionary()[kpi_id]
    label = "定義" if lang == "zh-TW" else "Definition"
    return alt.TitleParams(m.name[lang] + extra, subtitle=f"{label}: {m.definition[lang]}")


def _axis_format(kpi_id: str) -> str:
    unit = metrics.dictionary()[kpi_id].unit
    return ".1%" if unit == "percent" else ",.0f" if unit in ("count", "currency") else ",.1f"


def trend(
    series: pd.DataFrame, kpi_id: str, lang: str = "en", color: str | None = None
) -> alt.Chart:
    """A KPI over periods: ``series`` has ``period`` and ``value`` (and ``color`` if given)."""
    enc = {
        "x": alt.X("period:O", title=None, axis=alt.Axis(labelAngle=-45)),
        "y": alt.Y("value:Q", title=None, axis=alt.Axis(format=_axis_format(kpi_id))),
        "tooltip": ["period:O", alt.Tooltip("value:Q", format=_axis_format(kpi_id))],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=None)
    return alt.Chart(series, title=_title(kpi_id, lang)).mark_line(point=True).encode(**enc)


def bars(frame: pd.DataFrame, category: str, kpi_id: str, lang: str = "en", value: str = "value",
         label: str | None = None) -> alt.Chart:  # fmt: skip
    """Horizontal bars of a KPI by a category (platform, content type, topic ...)."""
    return (
        alt.Chart(frame, title=_title(kpi_id, lang))
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=label),
            x=alt.X(f"{value}:Q", title=None, axis=alt.Axis(format=_axis_format(kpi_id))),
            tooltip=[f"{category}:N", alt.Tooltip(f"{value}:Q", format=_axis_format(kpi_id))],
        )
    )


def heatmap(frame: pd.DataFrame, value: str, title: str, subtitle: str = "") -> alt.Chart:
    """Weekday x hour heat map (``frame`` has ``weekday``, ``hour`` and ``value``)."""
    return (
        alt.Chart(frame, title=alt.TitleParams(title, subtitle=subtitle))
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title=None),
            y=alt.Y("weekday:N", sort=WEEKDAYS, title=None),
            color=alt.Color(f"{value}:Q", title=None, scale=alt.Scale(scheme="blues")),
            tooltip=["weekday:N", "hour:O", alt.Tooltip(f"{value}:Q", format=",.2f")],
        )
    )


def shares(frame: pd.DataFrame, segment: str, title: str, subtitle: str = "") -> alt.Chart:
    """Shares of an audience dimension (``frame`` has the segment and ``share``)."""
    return (
        alt.Chart(frame, title=alt.TitleParams(title, subtitle=subtitle))
        .mark_bar()
        .encode(
            y=alt.Y(f"{segment}:N", sort="-x", title=None),
            x=alt.X("share:Q", title=None, axis=alt.Axis(format=".0%")),
            tooltip=[f"{segment}:N", alt.Tooltip("share:Q", format=".1%")],
        )
    )
