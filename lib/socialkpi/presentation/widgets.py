"""Live controls for JupyterLab and Voila: widgets from here, wired to charts that update in
place (``alt.JupyterChart``) without re-running the notebook. Labels come from the catalogue."""

from __future__ import annotations

import html
from dataclasses import replace

import altair as alt
import ipywidgets as w

from socialkpi import presentation, reads, store
from socialkpi.metrics import kpi
from socialkpi.presentation import charts
from socialkpi.words import narrative
from socialkpi.words.i18n import t


def live_trend(page, kpis: list[str] | None = None) -> w.VBox:
    """Brand, month, platform and KPI dropdowns above a 13-month trend chart that follows them."""
    from socialkpi.presentation import sections as _shared

    kpis = kpis or reads.HEADLINE
    chosen = kpi.engagement_rate_for(page.con, page.brand, page.month, page.platforms)
    lang = page.lang
    platforms = sorted(
        {
            p
            for (p,) in page.con.execute(
                "SELECT DISTINCT platform FROM account_daily WHERE brand = ?", [page.brand]
            ).fetchall()
        }
    )
    brands = reads.brands(page.con)
    pick_kpi = w.Dropdown(
        options=[(narrative.kpi_name(k, lang, chosen), k) for k in kpis],
        value=kpis[0],
        description=t("dashboard.kpi", lang),
    )
    pick_platform = w.Dropdown(
        options=[(t("platform.all", lang), "")]
        + [(presentation.text(p, "platform", lang), p) for p in platforms],
        value="",
        description=t("dashboard.platform", lang),
    )
    pick_brand = w.Dropdown(
        options=[(store.brand_name(page.con, b, lang), b) for b in brands],
        value=page.brand,
        description=t("dashboard.brand", lang),
    )
    chart = alt.JupyterChart(_shared.trend(page, kpis[0]), embed_options=charts.EMBED)

    def update(_change=None) -> None:
        view = replace(
            page,
            brand=pick_brand.value,
            platforms=[pick_platform.value] if pick_platform.value else None,
        )
        drawn = _shared.trend(view, pick_kpi.value)
        if isinstance(drawn, alt.TopLevelMixin):
            chart.chart = drawn

    for control in (pick_brand, pick_kpi, pick_platform):
        control.observe(update, names="value")
    return w.VBox([w.HBox([pick_brand, pick_kpi, pick_platform]), chart])


def goal_editor(goals_file, path, lang: str = "en", on_saved=None) -> w.VBox:
    """Edit each goal's target and save the file (validated, previous version kept as .bak).
    ``on_saved()`` runs after a successful save (a dashboard refreshes its goal cards)."""
    from socialkpi.metrics import goals as goals_module

    rows, fields = [], []
    for g in goals_file.goals:
        relative = g.target.relative is not None
        box = w.FloatText(
            value=g.target.relative if relative else g.target.value,
            description=narrative.goal_label(g.kpi, g.platforms, lang),
            style={"description_width": "260px"},
            layout=w.Layout(width="420px"),
        )
        hint = w.Label(t("editor.relative_hint" if relative else "editor.value_hint", lang))
        rows.append(w.HBox([box, hint]))
        fields.append((g.id, relative, box))
    save = w.Button(description=t("editor.save", lang), button_style="primary")
    message = w.HTML()
    message.add_class("skpi-goal-message")

    def on_save(_button=None) -> None:
        data = goals_file.model_dump(mode="json", exclude_none=True)
        for goal, (_goal_id, relative, box) in zip(data["goals"], fields, strict=True):
            goal["target"] = {"relative" if relative else "value": box.value}
        try:
            backup = goals_module.save_goals(path, data)
        except goals_module.GoalsError as err:
            text = t("editor.not_saved", lang, error=str(err))
            message.value = f"<p class='skpi-error'>{html.escape(text)}</p>"
            return
        text = (
            t("editor.saved_backup", lang, path=path, backup=backup.name)
            if backup
            else t("editor.saved", lang, path=path)
        )
        message.value = f"<p class='skpi-ok'>{html.escape(text)}</p>"
        if on_saved:
            on_saved()

    save.on_click(on_save)
    box = w.VBox([*rows, save, message])
    box.save = on_save  # for scripted use and tests
    return box
