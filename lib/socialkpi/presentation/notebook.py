"""What every SOP notebook does first: find (or build) the store, pick the brand and month,
set up charts and open the :class:`~socialkpi.presentation.page.Page` its sections read. Keeps the
notebooks to parameters and calls."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from IPython.display import HTML

from socialkpi import presentation, store
from socialkpi.config import (
    REPO,  # noqa: E402,F401 (notebooks and outputs read it here)
    brands,
    environment,
)
from socialkpi.presentation import charts
from socialkpi.presentation.page import Page, open_page

GOALS_DIR = REPO / "data" / "goals"


def locate(path: str) -> Path:
    """A path as given, or relative to the project root (notebooks run from notebooks/)."""
    p = Path(path)
    if p.exists() or p.is_absolute():
        return p
    for base in (Path.cwd(), *Path.cwd().parents, REPO):
        candidate = (base / path).resolve()
        if candidate.exists():
            return candidate
    return (
        (REPO / Path(path.replace("../", "", 1))).resolve()
        if path.startswith("../")
        else REPO / path
    )


def store_path(db: str | None = None) -> Path:
    """The store a page or dashboard reads: ``db`` if given, else ``$SOCIALKPI_DB``, else the
    project's ``data/socialkpi.duckdb``."""
    return locate(db or environment().db or str(store.DEFAULT_DB))


def goals_dir(goals: str | None = None) -> Path:
    """Where brands' goals files are: ``goals`` if given, else ``$SOCIALKPI_GOALS``, else the
    project's ``data/goals``."""
    return Path(goals or environment().goals or GOALS_DIR)


def open_store(db: str, interactive: bool = False):
    """Open the store's serving copy read-only (so an import can run while notebooks and
    dashboards stay open); the default store is built from the bundled sample the first time,
    so a fresh clone's notebooks run with no arguments."""
    path = locate(db)
    if not path.exists() and path.resolve() == (REPO / store.DEFAULT_DB).resolve():
        from socialkpi.ingest import import_paths

        con = store.open_store(path)
        import_paths(con, [REPO / "data" / "sample"])
        con.close()
    if not path.exists():
        raise FileNotFoundError(
            f"no store at {path}: run `make import`, or pass db=... as a parameter"
        )
    charts.setup(interactive)
    return store.open_serving(path)


def setup(
    brand: str,
    month: str,
    db: str,
    goals: str = "",
    lang: str = "zh-TW",
    platforms: list | None = None,
    interactive: bool = False,
) -> Page:
    """The page a notebook shows: ``brand`` "" is the store's only brand (or its first, and
    the page names the others), ``month`` "" the latest month with complete data; ``goals``
    "" is ``data/goals/<brand>.yaml``. Headless runs send warnings to ``$SOCIALKPI_LOG``
    (the report's run.log), never to the page."""
    from socialkpi.words import i18n

    if not interactive:
        _warnings_to_log()
    con = open_store(db, interactive)
    known = sorted(store.brand_timezones(con))
    notes = []
    if not brand:
        if not known:
            raise FileNotFoundError(
                f"the store {locate(db)} has no brand yet: import exports first"
            )
        brand = known[0]
        if len(known) > 1:
            names = [store.brand_name(con, b, lang) for b in known[1:]]
            notes.append(
                i18n.t(
                    "report.other_brands",
                    lang,
                    brand=store.brand_name(con, brand, lang),
                    others=i18n.t("word.and", lang).join(names),
                )
            )
    brands.check(brand)
    if not month:
        month = store.latest_complete_month(con)
        notes.append(
            i18n.t("report.latest_month", lang, month=presentation.date(month, lang, "month"))
        )
    path = locate(goals) if goals else brands.file_for(GOALS_DIR, brand)
    return open_page(con, brand, month, lang, platforms, path, interactive, notes)


# the pages whose figures include post KPIs (views, engagements): they say which level
KPI_PAGES = ("goal_setting", "kpi_review", "retrospective")


def intro(page: Page, kind: str) -> HTML:
    """The page's opening lines: what it is for, and any note about the defaults chosen."""
    lines = [page.t(f"page.{kind}.intro"), *page.notes]
    if kind in KPI_PAGES:
        lines += [n for n in [page.account_note(), *page.redefinition_notes()] if n]
    return HTML("".join(f'<p class="skpi-intro">{html.escape(line)}</p>' for line in lines))


def figures(page: Page) -> HTML:
    """The KPI figures the page showed, each with its scope, hidden in the page (the bundle's
    consistency check, ``scope.check_month``, reads them): a notebook's last cell."""
    return HTML(page.figures.html(page.brand))


def actions_dir() -> Path:
    """Where brands' action logs live: ``$SOCIALKPI_ACTIONS``, else ``data/actions`` (tests and
    the sample bundle point it elsewhere, so no run leaves state for the next)."""
    return Path(environment().actions or REPO / "data" / "actions")


def actions_log(brand: str, actions: str = "", folder: Path | None = None) -> Path:
    """The brand's action log: ``actions`` if given, else ``<folder>/<brand>.yaml`` (default
    folder: :func:`actions_dir`)."""
    return locate(actions) if actions else brands.file_for(folder or actions_dir(), brand)


def _warnings_to_log() -> None:
    """Python warnings go to ``$SOCIALKPI_LOG`` (if set), never into a report page."""
    # off then on: if something restored warnings.showwarning since an earlier call (as
    # warnings.catch_warnings does on exit), a bare captureWarnings(True) would do nothing
    logging.captureWarnings(False)
    logging.captureWarnings(True)
    logger = logging.getLogger("py.warnings")
    logger.propagate = False
    path = environment().log
    if path and not any(isinstance(h, logging.FileHandler) for h in logger.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s WARNING %(message)s"))
        logger.addHandler(handler)
    elif not logger.handlers:
        logger.addHandler(logging.NullHandler())
