"""The dashboard as widgets: the controls (brand, month, platform, KPI, language) above the
header, KPI cards, live chart and table, updated in place when a control changes; and
:func:`show`, which opens the store and builds one for a query string.

Errors in a control's update are logged with their traceback (``$SOCIALKPI_LOG``, default
``dashboard.log`` beside the store) and shown to the viewer as one line without it.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import logging
import os
import uuid
from collections import OrderedDict
from pathlib import Path

import altair as alt
import ipywidgets as w
import pandas as pd

from socialkpi import presentation, store
from socialkpi.config import environment
from socialkpi.dashboard import access
from socialkpi.dashboard.views import (
    KINDS,
    KPIS,
    PANELS,
    Panel,
    View,
    brand_platforms,
    cards_html,
    chart_for,
    choices,
    measure_name,
    monthly,
    page_for,
    platforms_of,
    query_of,
    view_from_query,
)
from socialkpi.metrics import kpi
from socialkpi.presentation import charts, notebook
from socialkpi.presentation.look import Look, look_for
from socialkpi.store import cache
from socialkpi.words.i18n import LANGS, t

log = logging.getLogger("socialkpi.dashboard")

KEPT_VIEWS = 8  # views a dashboard keeps to show again at once (one viewer's kernel)

# the panels a preheated kernel's warm-up computed, for the first dashboard that shows them
_WARMED: dict[tuple, Panel] = {}


def _view_key(v: View) -> tuple:
    """What a panel depends on of a view (not the KPI: it picks the chart's series)."""
    return (v.brand, v.month, v.platform, v.lang, v.competitor)


def _warmed_key(kind: str, con, key: tuple, ctx: dict) -> tuple:
    """Who may take a warmed panel: the same dashboard, view, store state and context."""
    return (kind, key, cache.store_key(con), repr(sorted(ctx.items())))


def brand_style(look: Look | None = None) -> str:
    """The header's look: the brand's colours and font (``brands.yaml``'s ``branding``) for
    the dashboard, and its logo, else ``$SOCIALKPI_LOGO`` (a local SVG/PNG, inlined) if set."""
    look = look or Look()
    css = f"<style>{look.css_vars('.skpi-dashboard')}</style>" if look.branded else ""
    if look.logo:
        return css + look.logo_html()
    logo = environment().logo
    if not logo or not Path(logo).is_file():
        return css
    kind = "svg+xml" if logo.endswith(".svg") else "png"
    data = base64.b64encode(Path(logo).read_bytes()).decode()
    return css + f'<img class="skpi-logo" alt="" src="data:image/{kind};base64,{data}">'


class Dashboard(w.VBox):
    """One SOP dashboard: controls, header, cards, live chart, table; updates in place."""

    def __init__(self, kind: str, con, view: View, options: dict[str, list[str]], ctx: dict):
        self.kind, self.con, self.view, self.options, self.ctx = kind, con, view, options, ctx
        self.freshness = {b: store.freshness(con, b) for b in options["brand"]}
        self.controls = {
            "brand": w.Dropdown(options=options["brand"], value=view.brand),
            "month": w.Dropdown(options=options["month"], value=view.month),
            "platform": w.Dropdown(
                value=view.platform, options=[("", "")] + [(p, p) for p in options["platform"]]
            ),
            "kpi": w.Dropdown(options=[(k, k) for k in options["kpi"]], value=view.kpi),
            "lang": w.Dropdown(
                options=[(t("lang.name", lang), lang) for lang in LANGS], value=view.lang
            ),
        }
        if kind == "competitors":  # whom to set beside the brand
            self.controls["competitor"] = w.Dropdown(options=[("", "")], value="")
        for name, control in self.controls.items():
            control.add_class(f"skpi-{name}")
        self.header, self.cards, self.table, self.message = (w.HTML() for _ in range(4))
        self.header.add_class("skpi-dash-header")
        self.message.add_class("skpi-message")
        self.chart = alt.JupyterChart(
            alt.Chart(pd.DataFrame()).mark_point(), embed_options=charts.EMBED
        )
        self.editor = w.VBox()
        for part in (self.cards, self.chart, self.table, self.editor):
            part.add_class("skpi-view")  # what belongs to one view: hidden while it changes
        self._busy = False
        # the last views shown, newest last: the KPI control only redraws the chart, and going
        # back to a brand, month or language seen before shows it again without recomputing
        self._panels: OrderedDict[tuple, Panel] = OrderedDict()
        self._editor_for: tuple | None = None
        self._monthly_key: tuple | None = None
        self.update()
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        parts = [
            self.header,
            w.HBox(list(self.controls.values())),
            self.message,
            self.cards,
            self.chart,
            self.table,
        ]
        super().__init__(parts + ([self.editor] if kind == "goal_setting" else []))
        self.add_class("skpi-dashboard")

    def _changed(self, _change=None) -> None:
        if self._busy:
            return
        asked = View(**{k: c.value for k, c in self.controls.items()})
        if asked.brand not in self.options["brand"]:  # never a brand this viewer was not offered
            self._busy = True
            self.controls["brand"].value = self.view.brand
            self._busy = False
            return
        self.view = asked
        self.update()

    def _label_controls(self) -> None:
        """Control labels, months, platforms and KPI names in the view's language (without
        firing updates)."""
        lang = self.view.lang
        self._busy = True
        try:
            for name, control in self.controls.items():
                control.description = t(f"dashboard.{name}", lang)
            self.controls["brand"].options = [
                (store.brand_name(self.con, b, lang), b) for b in self.options["brand"]
            ]
            self.controls["brand"].value = self.view.brand
            self.controls["month"].options = [
                (presentation.date(m, lang, "month"), m) for m in self.options["month"]
            ]
            self.controls["month"].value = self.view.month
            offered = brand_platforms(self.con, self.view.brand)  # only the brand's own
            if self.view.platform not in offered:
                self.view = View(**{**vars(self.view), "platform": ""})
            self.controls["platform"].options = [(t("platform.all", lang), "")] + [
                (presentation.text(p, "platform", lang), p) for p in offered
            ]
            self.controls["platform"].value = self.view.platform
            chosen = kpi.engagement_rate_for(
                self.con, self.view.brand, self.view.month, platforms_of(self.view)
            )
            self.controls["kpi"].options = [
                (measure_name(k, lang, chosen), k) for k in self.options["kpi"]
            ]
            self.controls["kpi"].value = self.view.kpi
            if "competitor" in self.controls:
                rivals = store.competitor_names(self.con, self.view.brand, lang)
                if self.view.competitor not in rivals:  # another brand's competitor
                    self.view = View(**{**vars(self.view), "competitor": ""})
                self.controls["competitor"].options = [
                    (t("dashboard.all_competitors", lang), "")
                ] + [(name, cid) for cid, name in rivals.items()]
                self.controls["competitor"].value = self.view.competitor
        finally:
            self._busy = False

    def _busy_view(self, on: bool) -> None:
        """While a view is computed, the numbers on screen are hidden behind a progress line
        naming the brand and month asked for; the header keeps naming the numbers' brand."""
        v = self.view
        if on:
            self.add_class("skpi-updating")
            what = f"{store.brand_name(self.con, v.brand, v.lang)} · {presentation.date(v.month, v.lang, 'month')}"
            self.message.value = (
                f'<p class="skpi-progress" role="status">'
                f"{html.escape(t('dashboard.updating', v.lang, view=what))}</p>"
            )
        else:
            self.remove_class("skpi-updating")

    def update(self) -> None:
        """Recompute the panel for the current view and put it in place."""
        self._label_controls()
        v = self.view
        key = _view_key(v)
        if self.header.value:  # a view is on screen: never show it as the one asked for
            self._busy_view(True)
        try:
            look = look_for(self.con, v.brand)
            charts.use_accent(look.accent)
            panel = self._panel(key)
            months = None
            if self.kind not in ("competitors", "calendar", "experiments"):
                if self._monthly_key != key[:3]:
                    self._monthly, self._monthly_key = monthly(self.con, v), key[:3]
                months = self._monthly
            self.chart.chart = chart_for(self.kind, self.con, v, panel, months)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("dashboard=%s view=%s ref=%s failed", self.kind, self.view, ref)
            self.message.value = (
                f'<p class="skpi-error">{html.escape(t("dashboard.error", v.lang, ref=ref))}</p>'
            )
            return
        fresh = presentation.freshness(self.freshness.get(v.brand, {}), v.lang)
        sender = look.sender_name(v.lang)
        by = f" · {html.escape(t('report.prepared_by', v.lang, sender=sender))}" if sender else ""
        self.header.value = (
            f"{brand_style(look)}<h1>{html.escape(panel.title)}</h1><p class='skpi-meta'>"
            f"<span class='skpi-view-of' data-brand='{html.escape(v.brand, quote=True)}'>"
            f"{html.escape(store.brand_name(self.con, v.brand, v.lang))} · {html.escape(presentation.date(v.month, v.lang, 'month'))}</span> · "
            f"{html.escape(t('dashboard.updated', v.lang))} {html.escape(fresh)} · "
            f"<a href='?{html.escape(query_of(v))}'>{html.escape(t('dashboard.share', v.lang))}</a>{by}</p>"
        )
        self.cards.value = cards_html(panel.cards)
        title = f"<h3>{html.escape(panel.table_title)}</h3>" if panel.table_html else ""
        self.table.value = "".join(panel.notes) + title + panel.table_html
        editable = self.kind == "goal_setting" and self.ctx.get("edit_goals", True)
        if editable and self._editor_for != (v.brand, v.lang):
            self._editor()
        self.message.value = ""
        self._busy_view(False)

    def _panel(self, key: tuple) -> Panel:
        """The panel of the current view, from the last :data:`KEPT_VIEWS` ones if it is there."""
        if key in self._panels:
            self._panels.move_to_end(key)
        else:
            warmed = _WARMED.pop(_warmed_key(self.kind, self.con, key, self.ctx), None)
            self._panels[key] = warmed or PANELS[self.kind](self.con, self.view, self.ctx)
            while len(self._panels) > KEPT_VIEWS:
                self._panels.popitem(last=False)
        return self._panels[key]

    def _editor(self) -> None:
        from socialkpi.presentation import widgets

        page = page_for(self.con, self.view, self.ctx)
        title = w.HTML(f"<h3>{html.escape(t('dashboard.editor', self.view.lang))}</h3>")
        body = (
            widgets.goal_editor(
                page.goals, page.goals_path, self.view.lang, on_saved=self._goals_saved
            )
            if page.goals
            else w.HTML(html.escape(t("dashboard.no_goals", self.view.lang)))
        )
        self.editor.children = [title, body]
        self._editor_for = (self.view.brand, self.view.lang)

    def _goals_saved(self) -> None:
        self._panels.clear()
        self.update()


def _setup_log(db: Path) -> None:
    """Log to ``$SOCIALKPI_LOG`` (else beside the store, else the temp folder), never to the
    kernel's stderr, which Voila would show the viewer."""
    import tempfile

    log.propagate = False
    if not any(isinstance(h, logging.FileHandler) for h in log.handlers):
        path = Path(environment().log or db.with_name("dashboard.log"))
        if not path.parent.is_dir():
            path = Path(tempfile.gettempdir()) / "socialkpi-dashboard.log"
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def _setup(kind: str, db: str | None, goals_dir: str | None, brands: set[str] | None = None):
    """The store, the choices (only ``brands``, when given), the default view and context."""
    if kind not in KINDS:
        raise ValueError(f"unknown dashboard {kind!r}; use one of {', '.join(KINDS)}")
    path = notebook.store_path(db)
    _setup_log(Path(path))
    con = notebook.open_store(str(path), interactive=True)
    options = {**choices(con, brands), "kpi": KPIS[kind]}
    if brands is not None and not options["brand"]:
        raise access.NoAccess("none of the viewer's brands is in the store")
    if not options["brand"] or not options["month"]:
        raise RuntimeError(f"the store {path} has no data yet: run `make import` first")
    latest = store.latest_complete_month(con)
    month = latest if latest in options["month"] else options["month"][0]
    default = View(options["brand"][0], month, "", KPIS[kind][0], "zh-TW")
    # a client sees its brands' goals; only the agency (every brand) edits them
    ctx = {"goals_dir": notebook.goals_dir(goals_dir), "edit_goals": brands is None}
    return con, options, default, ctx


def show(kind: str, query: str | None = None, db: str | None = None, goals_dir: str | None = None):
    """The dashboard ``kind`` for the view the query string asks for (else the latest month of
    the first brand). ``db`` and ``goals_dir`` default to ``$SOCIALKPI_DB`` / ``$SOCIALKPI_GOALS``
    and then to the project's ``data/``."""
    _setup_log(notebook.store_path(db))
    try:
        con, options, default, ctx = _setup(kind, db, goals_dir, access.viewer_brands())
        return Dashboard(kind, con, view_from_query(query, options, default), options, ctx)
    except Exception as err:  # e.g. no store yet: say what to do, keep the traceback in the log
        ref = uuid.uuid4().hex[:8]
        log.exception("dashboard=%s ref=%s could not start", kind, ref)
        lang = view_from_query(query, {"lang": list(LANGS)}, View("", "")).lang
        hints = {
            FileNotFoundError: "dashboard.no_store",
            store.StoreBusy: "dashboard.busy",
            access.NoAccess: "dashboard.no_access",
        }
        key = next((k for cls, k in hints.items() if isinstance(err, cls)), "dashboard.see_log")
        text = t("dashboard.cannot_open", lang, ref=ref, hint=t(key, lang))
        return w.HTML(f"<p class='skpi-error'>{html.escape(text)}</p>")


def warm_up(kind: str, db: str | None = None, goals_dir: str | None = None) -> None:
    """In a kernel Voila preheats (before any viewer asks), compute the default view in each
    language: the first real view then finds every import, cache and query plan warm, and the
    first viewer of the default view gets it as computed. The first kernel that warms
    dashboard ``kind`` for the store's current state also computes every other brand's view
    (in one language: reads have none), whose reads every later kernel finds on disk
    (``store.cache``, shared reads): a viewer's first look at another brand then costs no
    queries. Elsewhere (JupyterLab, nbval) it does nothing."""
    if os.environ.get("VOILA_PREHEAT") != "True":
        return
    try:
        con, options, view, ctx = _setup(kind, db, goals_dir)
        others = [b for b in options["brand"] if b != view.brand]
        if others and cache.first_to_ask(con, f"warm-up {kind}"):
            for brand in others:
                v = dataclasses.replace(view, brand=brand)
                chart_for(kind, con, v, PANELS[kind](con, v, ctx))
        for lang in LANGS:  # the default view last: the freshest in memory
            v = dataclasses.replace(view, lang=lang)
            panel = PANELS[kind](con, v, ctx)
            chart_for(kind, con, v, panel).to_dict()
            _WARMED[_warmed_key(kind, con, _view_key(v), ctx)] = panel
        con.close()
    except Exception:  # the real view will show and log any problem
        log.exception("dashboard=%s warm-up failed", kind)
