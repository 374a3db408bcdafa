"""The four SOP dashboards for Voila: controls on top (brand, month, platform, KPI, language),
KPI cards, a live chart and a table below, all updated in place when a control changes.

A dashboard notebook is two lines: ``dashboard.show("kpi_review", get_query_string())``. The
query string (``?brand=...&month=2026-09&platform=x&kpi=reach&lang=en``) preselects the view,
so a link can be shared. Data comes from the store's serving copy (see ``store``), so an
import can run while dashboards are open; a reload picks up the new data.

Errors in a control's update are logged with their traceback (``$SOCIALKPI_LOG``, default
``dashboard.log`` beside the store) and shown to the viewer as one line without it.
"""

from __future__ import annotations

import base64
import html
import logging
import os
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import altair as alt
import ipywidgets as w
import pandas as pd

from socialkpi import brands, bundle, charts, kpi, narrative, notebook, presentation, review, store
from socialkpi.files import write_atomically
from socialkpi.i18n import t
from socialkpi.notebook import GOALS_DIR, REPO
from socialkpi.page import Page, open_page
from socialkpi.pages import _shared, goal_setting, kpi_review, retrospective
from socialkpi.pages import audience as audience_page
from socialkpi.periods import parse_period

KINDS = ("goal_setting", "audience", "kpi_review", "retrospective")
KPIS = {  # the KPI control's choices, first = default
    "goal_setting": [
        "engagement_rate",
        "net_follower_growth",
        "reach",
        "link_clicks",
        "key_events",
        "response_time_median",
    ],
    "audience": ["followers", "net_follower_growth", "reach", "impressions", "video_views"],
    "kpi_review": [
        "engagement_rate",
        "followers",
        "reach",
        "engagements",
        "link_clicks",
        "social_sessions",
        "key_events",
        "negative_share",
        "mention_volume",
    ],
    "retrospective": [
        "engagement_rate",
        "engagements",
        "reach",
        "net_follower_growth",
        "key_events",
        "negative_share",
    ],
}
CARDS = {
    "audience": ["followers", "net_follower_growth", "reach"],
    "kpi_review": [
        "engagement_rate",
        "followers",
        "reach",
        "engagements",
        "link_clicks",
        "negative_share",
    ],
}
log = logging.getLogger("socialkpi.dashboard")


@dataclass(frozen=True)
class View:
    """What the viewer selected. ``platform == ""`` means all platforms."""

    brand: str
    month: str
    platform: str = ""
    kpi: str = "engagement_rate"
    lang: str = "zh-TW"


@dataclass
class Panel:
    """One dashboard's content for a view (all but the chart): cards, a titled table, notes."""

    title: str
    cards: list[dict] = field(default_factory=list)  # kpi, name, value, note
    table_title: str = ""
    table_html: str = ""
    notes: list[str] = field(default_factory=list)


def view_from_query(query: str | None, choices: dict[str, list[str]], default: View) -> View:
    """The view a query string asks for; values not among ``choices`` keep the default.

    >>> v = view_from_query("brand=b&month=2026-09&lang=en&kpi=<x>", {"brand": ["a", "b"],
    ...     "month": ["2026-10", "2026-09"], "lang": ["zh-TW", "en"], "kpi": ["reach"]}, View("a", "2026-10"))
    >>> (v.brand, v.month, v.lang, v.kpi)
    ('b', '2026-09', 'en', 'engagement_rate')
    """
    asked = {k: v[-1] for k, v in parse_qs((query or "").lstrip("?")).items()}
    chosen = {
        k: asked[k]
        for k in ("brand", "month", "platform", "kpi", "lang")
        if k in asked and asked[k] in choices.get(k, [])
    }
    return replace(default, **chosen)


def query_of(view: View) -> str:
    """The query string that reopens ``view`` (the inverse of :func:`view_from_query`)."""
    return urlencode({k: v for k, v in vars(view).items() if v})


def cards_html(cards: list[dict]) -> str:
    """KPI cards as HTML, every text escaped."""
    items = "".join(
        f'<div class="skpi-card" data-kpi="{html.escape(c["kpi"])}"><div class="skpi-card-name">'
        f'{html.escape(c["name"])}</div><div class="skpi-card-value">{html.escape(c["value"])}</div>'
        f'<div class="skpi-card-note">{html.escape(c.get("note", ""))}</div></div>'
        for c in cards
    )
    return f'<div class="skpi-cards">{items}</div>'


def _platforms(view: View) -> list[str] | None:
    return [view.platform] if view.platform else None


def _page(con, view: View, ctx: dict) -> Page:
    return open_page(
        con,
        view.brand,
        view.month,
        view.lang,
        _platforms(view),
        brands.file_for(ctx["goals_dir"], view.brand),
        interactive=True,
    )


def kpi_cards(page: Page, ids: list[str]) -> list[dict]:
    """Cards for the view's month and platform: value, change vs last month, assessment."""
    report = kpi.kpi_report(
        page.con, page.brand, page.month, page.platforms, ids, timezone=page.timezone
    )
    if report.empty:
        return []
    rows = report[report["platform"] == "all"].set_index("kpi")
    cards = []
    for kpi_id in ids:
        if kpi_id not in rows.index:
            continue
        r = rows.loc[kpi_id]
        change = (
            ""
            if presentation.missing(r["change"])
            else (
                f"{page.number(r['change'], r['unit'], signed=True)} {page.t('dashboard.vs_previous')} · "
            )
        )
        cards.append(
            {
                "kpi": kpi_id,
                "name": narrative.kpi_name(r["definition"], page.lang),
                "value": page.number(r["value"], r["unit"]),
                "note": change + presentation.text(r["assessment"], "assessment", page.lang),
            }
        )
    return cards


def _monthly(con, view: View):
    """13 months of every KPI's totals for the view's brand, month and platform."""
    first = parse_period(view.month).shift(-12).label
    return kpi.monthly_totals(con, view.brand, first, view.month, _platforms(view))


def _trend(con, view: View, monthly) -> alt.Chart:
    page = open_page(con, view.brand, view.month, view.lang, _platforms(view))
    drawn = _shared.trend(page, view.kpi, monthly)
    if isinstance(drawn, alt.TopLevelMixin):
        return drawn
    # a series too short to draw says so where the chart would be
    sentence = html.unescape(drawn.data.removeprefix("<p>").removesuffix("</p>"))
    return (
        alt.Chart(pd.DataFrame({"x": []})).mark_point().properties(title=alt.TitleParams(sentence))
    )


def _html(part) -> str:
    return "" if part is None else getattr(part, "data", "") or ""


def kpi_review_panel(con, view: View, ctx: dict) -> Panel:
    """The KPI review dashboard's panel for the chosen brand, month, platforms and language."""
    page = _page(con, view, ctx)
    posts = kpi_review.posts(page)
    notes = [_html(kpi_review.summary(page, kpi_review.report(page)))]
    return Panel(
        t("page.kpi_review.title", view.lang),
        kpi_cards(page, CARDS["kpi_review"]),
        t("section.top_posts", view.lang),
        _html(kpi_review.top_posts(page, posts)),
        notes,
    )


def audience_panel(con, view: View, ctx: dict) -> Panel:
    """The audience dashboard's panel for the chosen brand, month, platforms and language."""
    page = _page(con, view, ctx)
    notes = [_html(audience_page.personas(page))]
    return Panel(
        t("page.audience.title", view.lang),
        kpi_cards(page, CARDS["audience"]),
        t("section.demographic_change", view.lang),
        _html(audience_page.demographic_change(page)),
        notes,
    )


def _goal_cards(page: Page) -> list[dict]:
    status = _shared.goal_status(page)
    return [
        {
            "kpi": r.kpi,
            "name": narrative.goal_label(r.kpi, r.platforms, page.lang),
            "value": page.number(r.latest, r.unit),
            "note": f"{page.t('dashboard.target')} {page.number(r.target, r.unit)} · "
            f"{presentation.text(r.status, 'status', page.lang)}",
        }
        for r in status.itertuples()
    ]


def goal_setting_panel(con, view: View, ctx: dict) -> Panel:
    """The goal-setting dashboard's panel for the chosen brand, month and language."""
    page = _page(con, view, ctx)
    notes = [] if page.goals else [_html(presentation.paragraph(page.t("dashboard.no_goals")))]
    return Panel(
        t("page.goal_setting.title", view.lang),
        _goal_cards(page),
        t("section.candidates", view.lang),
        _html(goal_setting.candidates(page)),
        notes,
    )


def retrospective_panel(con, view: View, ctx: dict) -> Panel:
    """The retrospective dashboard's panel for the chosen brand, month and language."""
    page = _page(con, view, ctx)
    episodes, daily = review.crisis(con, view.brand, view.month, _platforms(view))
    cards = _goal_cards(page)
    cards.append(
        {
            "kpi": "crisis_episodes",
            "name": page.t("dashboard.episodes"),
            "value": page.number(len(episodes)),
            "note": "",
        }
    )
    notes = [
        _html(retrospective.summary(page, retrospective.executive_summary(page))),
        _html(kpi_review.crisis_summary(page, episodes, daily)),
    ]
    return Panel(
        t("page.retrospective.title", view.lang),
        cards,
        t("section.evidence", view.lang),
        _html(retrospective.comparisons(page)),
        notes,
    )


PANELS = {
    "goal_setting": goal_setting_panel,
    "audience": audience_panel,
    "kpi_review": kpi_review_panel,
    "retrospective": retrospective_panel,
}


def choices(con) -> dict[str, list[str]]:
    """Brands, months (newest first), platforms and languages the store offers."""
    months = con.execute(
        "SELECT DISTINCT strftime(date, '%Y-%m') AS m FROM account_daily ORDER BY m DESC"
    ).fetchall()
    platforms = con.execute(
        "SELECT DISTINCT platform FROM account_daily UNION SELECT DISTINCT platform FROM posts ORDER BY 1"
    ).fetchall()
    return {
        "brand": [b for b in review.brands(con) if brands.is_valid(b)],
        "month": [m for (m,) in months],
        "platform": [p for (p,) in platforms],
        "lang": ["zh-TW", "en"],
    }


def brand_style() -> str:
    """The header's logo: ``$SOCIALKPI_LOGO`` (a local SVG/PNG, inlined) if set."""
    logo = os.environ.get("SOCIALKPI_LOGO")
    if not logo or not Path(logo).is_file():
        return ""
    kind = "svg+xml" if logo.endswith(".svg") else "png"
    data = base64.b64encode(Path(logo).read_bytes()).decode()
    return f'<img class="skpi-logo" alt="" src="data:image/{kind};base64,{data}">'


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
                options=[(t("lang.name", lang), lang) for lang in ("zh-TW", "en")], value=view.lang
            ),
        }
        for name, control in self.controls.items():
            control.add_class(f"skpi-{name}")
        self.header, self.cards, self.table, self.message = (w.HTML() for _ in range(4))
        self.header.add_class("skpi-dash-header")
        self.chart = alt.JupyterChart(
            alt.Chart(pd.DataFrame()).mark_point(), embed_options=charts.EMBED
        )
        self.editor = w.VBox()
        self._busy = False
        self._panels: dict[tuple, Panel] = {}  # the KPI control only redraws the chart
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
        self.view = View(**{k: c.value for k, c in self.controls.items()})
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
            self.controls["platform"].options = [(t("platform.all", lang), "")] + [
                (presentation.text(p, "platform", lang), p) for p in self.options["platform"]
            ]
            self.controls["platform"].value = self.view.platform
            chosen = kpi.engagement_rate_for(
                self.con, self.view.brand, self.view.month, _platforms(self.view)
            )
            self.controls["kpi"].options = [
                (narrative.kpi_name(k, lang, chosen), k) for k in self.options["kpi"]
            ]
            self.controls["kpi"].value = self.view.kpi
        finally:
            self._busy = False

    def update(self) -> None:
        """Recompute the panel for the current view and put it in place."""
        self._label_controls()
        v = self.view
        key = (v.brand, v.month, v.platform, v.lang)
        try:
            if key not in self._panels:
                self._panels = {key: PANELS[self.kind](self.con, v, self.ctx)}
            if self._monthly_key != key[:3]:
                self._monthly, self._monthly_key = _monthly(self.con, v), key[:3]
            panel = self._panels[key]
            self.chart.chart = _trend(self.con, v, self._monthly)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("dashboard=%s view=%s ref=%s failed", self.kind, self.view, ref)
            self.message.value = (
                f'<p class="skpi-error">{html.escape(t("dashboard.error", v.lang, ref=ref))}</p>'
            )
            return
        self.message.value = ""
        fresh = presentation.freshness(self.freshness.get(v.brand, {}), v.lang)
        self.header.value = (
            f"{brand_style()}<h1>{html.escape(panel.title)}</h1><p class='skpi-meta'>"
            f"{html.escape(store.brand_name(self.con, v.brand, v.lang))} · {html.escape(presentation.date(v.month, v.lang, 'month'))} · "
            f"{html.escape(t('dashboard.updated', v.lang))} {html.escape(fresh)} · "
            f"<a href='?{html.escape(query_of(v))}'>{html.escape(t('dashboard.share', v.lang))}</a></p>"
        )
        self.cards.value = cards_html(panel.cards)
        title = f"<h3>{html.escape(panel.table_title)}</h3>" if panel.table_html else ""
        self.table.value = "".join(panel.notes) + title + panel.table_html
        if self.kind == "goal_setting" and self._editor_for != (v.brand, v.lang):
            self._editor()

    def _editor(self) -> None:
        from socialkpi import widgets

        page = _page(self.con, self.view, self.ctx)
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
        self._panels = {}
        self.update()


def _setup_log(db: Path) -> None:
    """Log to ``$SOCIALKPI_LOG`` (else beside the store, else the temp folder), never to the
    kernel's stderr, which Voila would show the viewer."""
    import tempfile

    log.propagate = False
    if not any(isinstance(h, logging.FileHandler) for h in log.handlers):
        path = Path(os.environ.get("SOCIALKPI_LOG") or db.with_name("dashboard.log"))
        if not path.parent.is_dir():
            path = Path(tempfile.gettempdir()) / "socialkpi-dashboard.log"
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def _setup(kind: str, db: str | None, goals_dir: str | None):

    if kind not in KINDS:
        raise ValueError(f"unknown dashboard {kind!r}; use one of {', '.join(KINDS)}")
    path = notebook.locate(db or os.environ.get("SOCIALKPI_DB") or str(store.DEFAULT_DB))
    _setup_log(Path(path))
    con = notebook.open_store(str(path), interactive=True)
    options = {**choices(con), "kpi": KPIS[kind]}
    if not options["brand"] or not options["month"]:
        raise RuntimeError(f"the store {path} has no data yet: run `make import` first")
    latest = bundle.latest_complete_month(con)
    month = latest if latest in options["month"] else options["month"][0]
    default = View(options["brand"][0], month, "", KPIS[kind][0], "zh-TW")
    ctx = {"goals_dir": goals_dir or os.environ.get("SOCIALKPI_GOALS") or GOALS_DIR}
    return con, options, default, ctx


def show(kind: str, query: str | None = None, db: str | None = None, goals_dir: str | None = None):
    """The dashboard ``kind`` for the view the query string asks for (else the latest month of
    the first brand). ``db`` and ``goals_dir`` default to ``$SOCIALKPI_DB`` / ``$SOCIALKPI_GOALS``
    and then to the project's ``data/``."""
    _setup_log(notebook.locate(db or os.environ.get("SOCIALKPI_DB") or str(store.DEFAULT_DB)))
    try:
        con, options, default, ctx = _setup(kind, db, goals_dir)
        return Dashboard(kind, con, view_from_query(query, options, default), options, ctx)
    except Exception as err:  # e.g. no store yet: say what to do, keep the traceback in the log
        ref = uuid.uuid4().hex[:8]
        log.exception("dashboard=%s ref=%s could not start", kind, ref)
        lang = view_from_query(query, {"lang": ["zh-TW", "en"]}, View("", "")).lang
        hints = {FileNotFoundError: "dashboard.no_store", store.StoreBusy: "dashboard.busy"}
        key = next((k for cls, k in hints.items() if isinstance(err, cls)), "dashboard.see_log")
        text = t("dashboard.cannot_open", lang, ref=ref, hint=t(key, lang))
        return w.HTML(f"<p class='skpi-error'>{html.escape(text)}</p>")


def warm_up(kind: str, db: str | None = None, goals_dir: str | None = None) -> None:
    """In a kernel Voila preheats (before any viewer asks), compute the default view once and
    throw it away: the first real view then finds every import, cache and query plan warm.
    Elsewhere (JupyterLab, nbval) it does nothing."""
    if os.environ.get("VOILA_PREHEAT") != "True":
        return
    try:
        con, _, view, ctx = _setup(kind, db, goals_dir)
        PANELS[kind](con, view, ctx)
        _trend(con, view, _monthly(con, view)).to_dict()
        con.close()
    except Exception:  # the real view will show and log any problem
        log.exception("dashboard=%s warm-up failed", kind)


def voila_command(
    port: int = 8866,
    ip: str = "127.0.0.1",
    pool_size: int = 1,
    idle_timeout: int = 300,
    token: bool = False,
) -> list[str]:
    """The Voila server for the dashboards folder: branded offline template, sources stripped,
    tracebacks kept from viewers, preheated kernels, idle kernels culled. With ``token``,
    viewers must give the token in the server's ``$JUPYTER_TOKEN`` (login form or a
    ``?token=`` link); it stays out of the command line."""
    import sys

    return [
        sys.executable,
        "-m",
        "voila",
        str(REPO / "notebooks" / "dashboards"),
        "--no-browser",
        "--template=socialkpi",
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--classic_tree=True",
        f"--preheat_kernel={pool_size > 0}",
        f"--pool_size={max(pool_size, 0)}",
        f"--MappingKernelManager.cull_idle_timeout={idle_timeout}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        *(["--token"] if token else []),
    ]


def voila_env(
    db: str | Path, goals_dir: str | Path | None = None, log_file: str | Path | None = None
) -> dict:
    """The server's environment (its kernels inherit it): our templates on the Jupyter path,
    the store, goals folder and log file for :func:`show`, and an IPython profile without
    history (kernels started side by side share one history database, and its "session not
    unique" errors land in a page)."""
    db = Path(db).resolve()
    jupyter_path = os.pathsep.join(
        filter(None, [str(voila_templates()), os.environ.get("JUPYTER_PATH")])
    )
    return {
        **os.environ,
        "JUPYTER_PATH": jupyter_path,
        "SOCIALKPI_DB": str(db),
        "SOCIALKPI_GOALS": str(Path(goals_dir or GOALS_DIR).resolve()),
        "SOCIALKPI_LOG": str(Path(log_file or db.with_name("dashboard.log")).resolve()),
        "IPYTHONDIR": str(kernel_profile()),
    }


def voila_templates() -> Path:
    """A Jupyter path holding our Voila template, with the landing page's words written from
    the message catalogue (``words.j2``: Jinja cannot read the catalogue itself)."""
    import json
    import shutil
    import tempfile

    from socialkpi.i18n import LANGS

    root = Path(tempfile.gettempdir()) / f"socialkpi-voila-{os.getuid()}"
    target = root / "voila" / "templates" / "socialkpi"
    shutil.copytree(
        REPO / "templates" / "voila" / "templates" / "socialkpi", target, dirs_exist_ok=True
    )
    words = {
        lang: {
            "title": t("dashboard.landing", lang),
            "lang_name": t("lang.name", lang),
            "noscript": t("dashboard.noscript", lang),
            "names": {f"{kind}.ipynb": t(f"page.{kind}.title", lang) for kind in KINDS},
        }
        for lang in LANGS
    }
    write_atomically(
        target / "words.j2", "{% set words = " + json.dumps(words, ensure_ascii=False) + " %}\n"
    )
    return root


def kernel_profile() -> Path:
    """A private IPython directory whose kernels keep no history."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"socialkpi-ipython-{os.getuid()}"
    config = folder / "profile_default" / "ipython_kernel_config.py"
    config.parent.mkdir(parents=True, exist_ok=True)
    text = "c.HistoryManager.enabled = False\n"
    if not config.exists() or config.read_text("utf-8") != text:
        write_atomically(config, text)
    return folder
