"""Live controls for JupyterLab and Voila: widgets from here, wired to charts that update in
place (``alt.JupyterChart``) without re-running the notebook."""

from __future__ import annotations

import altair as alt
import ipywidgets as w

from socialkpi import metrics, review


def live_trend(con, brand: str, month: str, lang: str = "en", months: list[str] | None = None,
               platforms: list[str] | None = None, kpis: list[str] | None = None) -> w.VBox:  # fmt: skip
    """Month, platform and KPI dropdowns above a 13-month trend chart that follows them."""
    d = metrics.dictionary()
    kpis = kpis or review.HEADLINE
    names = [
        (
            d[k].name[lang]
            if k in d
            else d[review.kpi.brand_engagement_rate(con, brand)].name[lang],
            k,
        )
        for k in kpis
    ]
    label_all = "全部平台" if lang == "zh-TW" else "all platforms"
    pick_kpi = w.Dropdown(options=names, value=kpis[0], description="KPI")
    pick_platform = w.Dropdown(options=[(label_all, "")] + [(p, p) for p in (platforms or [])],
                               value="", description="平台" if lang == "zh-TW" else "Platform")  # fmt: skip
    pick_month = w.Dropdown(
        options=months or [month], value=month, description="月份" if lang == "zh-TW" else "Month"
    )
    chart = alt.JupyterChart(review.trend_chart(con, brand, month, kpis[0], lang))

    def update(_change=None) -> None:
        chosen = [pick_platform.value] if pick_platform.value else None
        chart.chart = review.trend_chart(con, brand, pick_month.value, pick_kpi.value, lang, chosen)

    for control in (pick_kpi, pick_platform, pick_month):
        control.observe(update, names="value")
    return w.VBox([w.HBox([pick_kpi, pick_platform, pick_month]), chart])
