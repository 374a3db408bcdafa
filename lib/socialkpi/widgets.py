"""Live controls for JupyterLab and Voila: widgets from here, wired to charts that update in
place (``alt.JupyterChart``) without re-running the notebook."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as w

from socialkpi import metrics, review


def live_trend(con, brand: str, month: str, lang: str = "en", months: list[str] | None = None,
               platforms: list[str] | None = None, kpis: list[str] | None = None,
               brands: list[str] | None = None) -> w.VBox:  # fmt: skip
    """Brand, month, platform and KPI dropdowns above a 13-month trend chart that follows them."""
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
    pick_brand = w.Dropdown(
        options=brands or [brand], value=brand, description="品牌" if lang == "zh-TW" else "Brand"
    )
    chart = alt.JupyterChart(review.trend_chart(con, brand, month, kpis[0], lang))

    def update(_change=None) -> None:
        chosen = [pick_platform.value] if pick_platform.value else None
        chart.chart = review.trend_chart(
            con, pick_brand.value, pick_month.value, pick_kpi.value, lang, chosen
        )

    for control in (pick_brand, pick_kpi, pick_platform, pick_month):
        control.observe(update, names="value")
    return w.VBox([w.HBox([pick_brand, pick_kpi, pick_platform, pick_month]), chart])


def goal_editor(goals_file, path, lang: str = "en", on_saved=None) -> w.VBox:
    """Edit each goal's target and save the file (validated, previous version kept as .bak).
    ``on_saved()`` runs after a successful save (a dashboard refreshes its goal cards)."""
    from socialkpi import goals as goals_module

    rows, fields = [], []
    for g in goals_file.goals:
        relative = g.target.relative is not None
        box = w.FloatText(value=g.target.relative if relative else g.target.value,
                          description=g.id, style={"description_width": "160px"})  # fmt: skip
        unit = w.Label({("en", True): "(+0.10 = 10% above baseline)", ("en", False): "(KPI value)",
                        ("zh-TW", True): "（+0.10 = 比基準值高 10%）", ("zh-TW", False): "（指標數值）"}[lang, relative])  # fmt: skip
        rows.append(w.HBox([box, unit]))
        fields.append((g.id, relative, box))
    save = w.Button(
        description="儲存目標" if lang == "zh-TW" else "Save goals", button_style="primary"
    )
    message = w.HTML()
    message.add_class("skpi-goal-message")

    def on_save(_button=None) -> None:
        data = goals_file.model_dump(mode="json", exclude_none=True)
        for goal, (_goal_id, relative, box) in zip(data["goals"], fields, strict=True):
            goal["target"] = {"relative" if relative else "value": box.value}
        try:
            backup = goals_module.save_goals(path, data)
        except goals_module.GoalsError as err:
            text = ("未儲存，請修正：" if lang == "zh-TW" else "Not saved, please fix: ") + str(err)
            message.value = f"<p class='skpi-error'>{html.escape(text)}</p>"
            return
        text = (f"已儲存 {path}" + (f"（前一版：{backup.name}）" if backup else "") if lang == "zh-TW"
                else f"Saved {path}" + (f" (previous version: {backup.name})" if backup else ""))  # fmt: skip
        message.value = f"<p class='skpi-ok'>{html.escape(text)}</p>"
        if on_saved:
            on_saved()

    save.on_click(on_save)
    box = w.VBox([*rows, save, message])
    box.save = on_save  # for scripted use and tests
    return box
