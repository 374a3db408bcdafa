"""The report bundle's index pages, read in 30 seconds: one card per brand with its name, goal
status chips, three headline KPIs with the change since last month and a 13-month sparkline,
the executive summary's headline, risks and recommended actions, and links to the brand's pages
(failed pages marked).

Two kinds: the month's index (an agency's view: every brand's card, each in the brand's colour
and with its logo) and each brand's own index in its folder (only that brand, in its look:
what a client is sent)."""

from __future__ import annotations

import html
from pathlib import Path

from socialkpi import presentation
from socialkpi.config.brands import file_for
from socialkpi.files import write_atomically
from socialkpi.metrics import kpi
from socialkpi.metrics.goals import GoalsError
from socialkpi.presentation import sections as _shared
from socialkpi.presentation.look import look_for
from socialkpi.presentation.page import open_page
from socialkpi.words import narrative
from socialkpi.words.i18n import t

HEADLINE = ["engagement_rate", "followers", "reach"]


def card(
    con,
    brand: str,
    month: str,
    lang: str,
    status: dict[str, dict],
    goals_dir: Path,
    pages: dict[str, str],
    pdf: str = "",
    prefix: str | None = None,
    body: str | None = None,
) -> str:
    """One brand's card (HTML, every text escaped). ``pages`` maps a notebook's file name to its
    title; ``status`` is the brand folder's outcome per notebook; ``pdf`` the brand's combined
    PDF beside its pages, if there is one; ``prefix`` the links' folder (default the brand's,
    as seen from the month's folder; "" from inside it). ``body``: the card's figures made
    already (:func:`card_body`, by the kernel that made the brand's pages)."""
    if body is None:
        body = card_body(con, brand, month, lang, file_for(goals_dir, brand))
    look = look_for(con, brand)
    links = "".join(_links(brand if prefix is None else prefix, status, pages, lang, pdf))
    colours = f" style='{look.css_vars('').strip('{}')}'" if look.branded else ""
    return (
        f"<section class='card'{colours}>{body}"
        f"<h3>{html.escape(t('report.pages', lang))}</h3><ul class='pages'>{links}</ul></section>"
    )


def card_body(con, brand: str, month: str, lang: str, goals: Path) -> str:
    """A card's logo and name, goal chips, headline KPIs, the executive summary in brief and
    the figures it shows (hidden, for the bundle's consistency check). A broken goals file or
    a store that lacks something shows as a line on the card; the other brands' cards still
    render."""
    problems = []
    try:
        page = open_page(con, brand, month, lang, goals_path=goals)
    except GoalsError as err:  # the goal-setting page says what is wrong; the card names it
        page = open_page(con, brand, month, lang)
        problems.append(err)
    parts = [f"{page.look.logo_html('logo')}<h2>{html.escape(page.name)}</h2>"]
    try:
        parts += [_goal_chips(page) if not problems else "", _kpis(page), _summary(page)]
        parts.append(page.figures.html(brand))
    except Exception as err:
        problems.append(err)
    return "".join(parts + [_problem(err) for err in problems])


def body_file(lang: str) -> str:
    """The file in a brand's folder with the card body its pages' kernel made in ``lang`` (the
    index takes it and removes it)."""
    return f".card-{lang}.part"


def save_card_body(db: str, brand: str, month: str, lang: str, goals: str, folder: str) -> None:
    """Run by a brand's kernel after its pages (whose reads it still holds): the brand's card
    body, into ``folder`` beside the pages."""
    from socialkpi import store

    con = store.open_serving(db)
    try:
        body = card_body(con, brand, month, lang, Path(goals))
    finally:
        con.close()
    write_atomically(Path(folder) / body_file(lang), body)


def _problem(err: Exception) -> str:
    return f"<p class='failed'>{html.escape(type(err).__name__)}: {html.escape(str(err)[:200])}</p>"


def _links(
    folder: str, status: dict[str, dict], pages: dict[str, str], lang: str, pdf: str = ""
) -> list[str]:
    where = f"{html.escape(folder)}/" if folder else ""
    links = []
    if pdf:  # the whole month in one printable file, first
        href = f"{where}{html.escape(pdf)}"
        links.append(f"<li><a href='{href}'>{html.escape(t('report.pdf', lang))}</a></li>")
    for name, title in pages.items():
        if name not in status:
            continue
        failed = f"({t('report.failed_short', lang)})"
        mark = (
            ""
            if status[name].get("ok", True)
            else f" <span class='failed'>{html.escape(failed)}</span>"
        )
        href = f"{where}{html.escape(name)}.html"
        links.append(f"<li><a href='{href}'>{html.escape(title)}</a>{mark}</li>")
    return links


def _goal_chips(page) -> str:
    status = _shared.goal_status(page)
    if status.empty:
        return f"<p class='goals'>{html.escape(page.t('report.no_goals_short'))}</p>"
    labels = [
        narrative.goal_label(k, p, page.lang)
        for k, p in zip(status["kpi"], status["platforms"], strict=True)
    ]
    chips = presentation.chips(list(zip(status["status"], labels, strict=True)), page.lang)
    return f"<div class='goals'><h3>{html.escape(page.t('report.goals'))}</h3>{chips}</div>"


def _summary(page) -> str:
    """The executive summary's headline, its risks and its recommended actions, in brief."""
    s = _shared.executive_summary(page)
    said = narrative.say(s, page.lang, page.currency, page.timezone)
    page.figures.extend(s.figures)
    parts = [f"<p class='headline'>{html.escape(said.headline)}</p>"]
    for key, lines in (
        ("summary.risks", said.risks if s.risks else []),
        ("summary.actions", [a.text for a in said.actions]),
    ):
        if lines:
            items = "".join(f"<li>{html.escape(x)}</li>" for x in lines)
            parts.append(f"<h3>{html.escape(page.t(key))}</h3><ul class='brief'>{items}</ul>")
    return "".join(parts)


def _kpis(page) -> str:
    report = kpi.kpi_report(page.con, page.brand, page.month, ids=HEADLINE, timezone=page.timezone)
    months = _shared.monthly(page)
    rows = report[report["platform"] == "all"].set_index("kpi")
    cells = []
    for kpi_id in HEADLINE:
        if kpi_id not in rows.index:
            continue
        r = rows.loc[kpi_id]
        change = page.number(r["change"], r["unit"], signed=True)
        page.figures.add(r["definition"], r["platforms"], page.month, r["value"], where="card")
        if r["platforms"] == r["previous_platforms"]:
            page.figures.add(
                r["definition"], r["platforms"], page.month, r["change"], "change", where="card"
            )
        only = page.scope_note(r["platforms"], r["definition"])
        only = f"<div class='scope'>{html.escape(only)}</div>" if only else ""
        cells.append(
            f"<div class='kpi'><div class='name'>{html.escape(narrative.kpi_name(r['definition'], page.lang))}</div>{only}"
            f"<div class='value'>{html.escape(page.number(r['value'], r['unit']))}</div>"
            f"<div class='change'>{html.escape(page.t('report.vs_previous', change=change))}</div>"
            f"{presentation.sparkline(kpi.series_of(months, kpi_id).tolist(), 140, 28)}</div>"
        )
    return f"<div class='kpis'>{''.join(cells)}</div>"


STYLE = """
:root{--skpi-accent:#2b6cb0;--skpi-primary:#1a365d;
      --skpi-font:'Noto Sans CJK TC','PingFang TC','Microsoft JhengHei',sans-serif}
body{font-family:var(--skpi-font);margin:24px auto;
     max-width:1200px;color:#1a202c;background:#f7fafc}
h1{color:var(--skpi-primary);margin-bottom:4px} p.intro{color:#4a5568;margin-top:0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:20px}
.card{background:#fff;border-top:4px solid var(--skpi-accent);border-radius:6px;padding:16px 20px;
      box-shadow:0 1px 3px rgba(0,0,0,.08);font-family:var(--skpi-font)}
.cards>.card:only-child{grid-column:1/-1}
.card img.logo{float:right;max-height:36px;max-width:140px;margin-left:12px}
.card h2{margin:0 0 8px;font-size:20px;color:var(--skpi-primary)} .card h3{font-size:14px;color:#4a5568;margin:14px 0 4px}
.goals .skpi-goal{margin:4px 0;font-size:14px} .kpis{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;margin-top:8px}
.kpi .name{font-size:13px;color:#4a5568} .kpi .value{font-size:24px;font-weight:600}
.kpi .change{font-size:12px;color:#4a5568} .kpi .scope{font-size:12px;color:var(--skpi-accent)}
ul.pages{margin:0;padding-left:18px;columns:2} .failed{color:#c53030}
p.headline{font-weight:600;margin:12px 0 4px} ul.brief{margin:0;padding-left:18px;font-size:14px}
@media print{body{background:#fff}.card{break-inside:avoid;box-shadow:none}}
"""


def page_html(month: str, lang: str, cards: list[str], look=None, brand_name: str = "") -> str:
    """An index page around its brand cards, self-contained: the month's (every brand), or
    with ``brand_name`` one brand's own, in its ``look`` (a ``presentation.look.Look``)."""
    title = t("page.index.title", lang)
    heading = f"{html.escape(title)} · {html.escape(presentation.date(month, lang, 'month'))}"
    if brand_name:
        heading = f"{html.escape(brand_name)} · {heading}"
    intro = t("page.index.brand_intro" if brand_name else "page.index.intro", lang)
    lines = [intro]
    if look is not None and look.sender_name(lang):
        lines.append(t("report.prepared_by", lang, sender=look.sender_name(lang)))
    colours = f"<style>{look.css_vars()}</style>" if look is not None and look.branded else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<meta name='viewport' content='width=device-width'><title>{heading}</title>"
        f"<style>{STYLE}</style>{colours}</head><body><h1>{heading}</h1>"
        + "".join(f"<p class='intro'>{html.escape(line)}</p>" for line in lines)
        + f"<div class='cards'>{''.join(cards)}</div></body></html>"
    )
