"""The presentation layer: every table, value and word a reader sees goes through here.

Analysis modules return frames of ids and values; this module turns them into what a
stakeholder reads, in one language per page:

- values are formatted by ``words.formats`` (:func:`number` by unit, :func:`date`,
  :func:`text`), re-exported here;
- :func:`table` renders a frame with ``great_tables``: headers from the message catalogue, no
  index column, display names for platforms, weekdays, content types and statuses, "—" for a
  missing value with a footnote saying why, every cell escaped;
- :func:`sparkline`, :func:`chips` and :func:`empty` draw the small things around them.

The HTML is the same in JupyterLab, Voila and the nbconvert report, and asks nothing of the
network.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from IPython.display import HTML

from socialkpi.words import i18n
from socialkpi.words.formats import (  # noqa: F401 (the pages reach the value formats here too)
    DASH,
    NUMERIC_KINDS,
    WORD_KINDS,
    date,
    datetime_local,
    freshness,
    missing,
    number,
    span,
    stamp,
    text,
)
from socialkpi.words.i18n import t

FONT = "'Noto Sans CJK TC', 'Noto Sans TC', 'PingFang TC', 'Microsoft JhengHei', sans-serif"


@dataclass(frozen=True)
class Col:
    """One column of a reader's table: the frame's column, its header's catalogue key and how
    its values are shown. ``kind`` is a unit (``count``, ``percent``, ``hours``, ``currency``,
    ``share``), ``value`` (the unit is the row's ``unit`` column), ``change`` (a signed change
    in the row's unit), a word group (see :data:`WORD_KINDS`), ``country``, ``language``,
    ``hour``, ``bool``, ``date``, ``month``, ``html`` (already escaped markup) or ``text``.
    ``missing`` is the catalogue key of the footnote for empty cells."""

    key: str
    label: str
    kind: str = "text"
    missing: str = "missing.no_data"
    width: str | None = None  # e.g. "22%"; the rest share what is left


def table(
    frame: pd.DataFrame,
    cols: Sequence[Col],
    lang: str = "en",
    title: str = "",
    subtitle: str = "",
    notes: Sequence[str] = (),
    currency: str | None = None,
    reasons: pd.DataFrame | None = None,
    group: str | None = None,
) -> HTML:
    """A reader's table (see the module docstring); ``reasons`` (same shape as ``frame``) can
    name a missing cell's footnote key row by row; rows with the same ``group`` value (a column
    of ``frame``, shown as written) sit under one heading row."""
    return HTML(table_html(frame, cols, lang, title, subtitle, notes, currency, reasons, group))


def table_html(
    frame: pd.DataFrame,
    cols: Sequence[Col],
    lang: str = "en",
    title: str = "",
    subtitle: str = "",
    notes: Sequence[str] = (),
    currency: str | None = None,
    reasons: pd.DataFrame | None = None,
    group: str | None = None,
) -> str:
    """A frame as an HTML table: columns named in the page's language, values formatted, text escaped."""
    from great_tables import GT, loc

    frame = frame.reset_index(drop=True)
    names = {f"c{n}": c for n, c in enumerate(cols)}  # element ids: plain, whatever the header
    shown = pd.DataFrame(
        {
            name: [_cell(frame, i, c, lang, currency) for i in range(len(frame))]
            for name, c in names.items()
        },
        dtype=object,  # great_tables sets each cell: Arrow strings would be copied each time
    )
    raw = [name for name, c in names.items() if c.kind in ("html", "sparkline")]
    escaped = [name for name in names if name not in raw]
    numbers = [name for name, c in names.items() if c.kind in NUMERIC_KINDS]
    if group is not None:
        shown["_group"] = frame[group].astype(str).to_numpy()
    gt = GT(
        shown,
        locale=i18n.babel_locale(lang),
        auto_align=False,
        groupname_col="_group" if group is not None else None,
    )
    gt = gt.cols_align("left", columns=[n for n in names if n not in numbers])
    if numbers:
        gt = gt.cols_align("right", columns=numbers)
    if escaped:
        gt = gt.fmt(columns=escaped, fns=html.escape)  # our words, escaped; data never raw
    if raw:
        gt = gt.fmt(columns=raw, fns=str)
    gt = gt.cols_label(**{name: t(c.label, lang) for name, c in names.items()})
    widths = {name: c.width for name, c in names.items() if c.width}
    if widths:
        gt = gt.cols_width(widths)
    for name, c in names.items():
        by_reason: dict[str, list[int]] = {}
        for i in (i for i in range(len(frame)) if shown.at[i, name] == DASH):
            reason = c.missing
            if reasons is not None and c.key in reasons and isinstance(reasons.at[i, c.key], str):
                reason = reasons.at[i, c.key]
            by_reason.setdefault(reason, []).append(i)
        for reason, rows in by_reason.items():
            gt = gt.tab_footnote(t(reason, lang), locations=loc.body(columns=name, rows=rows))
    if title:
        gt = gt.tab_header(title=title, subtitle=subtitle or None)
    for note in notes:
        gt = gt.tab_source_note(note)
    gt = gt.opt_table_font(font=FONT).tab_options(
        table_width="100%",
        table_font_size="14px",
        heading_align="left",
        heading_title_font_size="16px",
        heading_subtitle_font_size="12px",
        column_labels_background_color="#edf2f7",
        column_labels_font_weight="bold",
        table_border_top_color="var(--skpi-accent, #2b6cb0)",
        source_notes_font_size="12px",
        data_row_padding="4px",
    )
    return gt.opt_footnote_marks("numbers").as_raw_html()


def _cell(frame: pd.DataFrame, i: int, col: Col, lang: str, currency: str | None) -> str:
    value = frame.at[i, col.key] if col.key in frame else None
    if col.kind in ("html", "sparkline"):
        return value if isinstance(value, str) and value else DASH
    if col.kind in ("value", "change"):
        unit = frame.at[i, "unit"]
        return number(value, unit, lang, currency, signed=col.kind == "change")
    if col.kind in ("signed_count", "change_pp"):  # +1,200 / +1.25 個百分點
        return number(
            value, "count" if col.kind == "signed_count" else "percent", lang, signed=True
        )
    if col.kind in ("count", "number", "percent", "hours", "seconds", "currency", "share"):
        return number(value, col.kind if col.kind != "number" else "count", lang, currency)
    if col.kind == "ratio":  # 2.3x the median
        return DASH if missing(value) else f"{number(value, 'count', lang)}×"
    if col.kind in ("date", "month"):
        return date(value, lang, col.kind)
    return text(value, col.kind, lang)


def link(url: object, label: str) -> str:
    """An escaped hyperlink to a post that opens without giving the site our page; anything but
    an http(s) address (e.g. ``javascript:``) is shown as plain text."""
    if not isinstance(url, str) or not re.match(r"https?://[^\s\"'<>]+$", url):
        return html.escape("" if missing(url) else str(url))
    return (
        f'<a href="{html.escape(url, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">{html.escape(label)}</a>'
    )


def sparkline(values: Sequence[float], width: int = 96, height: int = 22) -> str:
    """A tiny inline SVG line of a series (a KPI's last 13 months); gaps stay gaps. Empty
    string when fewer than two values are known."""
    points = [(i, float(v)) for i, v in enumerate(values) if not missing(v)]
    if len(points) < 2:
        return ""
    low, high = min(v for _, v in points), max(v for _, v in points)
    spread = high - low or 1.0
    step = (width - 4) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> str:
        return f"{2 + i * step:.1f},{height - 2 - (v - low) / spread * (height - 4):.1f}"

    line = " ".join(xy(i, v) for i, v in points)
    last_x, last_y = xy(*points[-1]).split(",")
    return (
        f'<svg class="skpi-spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-hidden="true"><polyline fill="none" style="stroke:var(--skpi-accent,#2b6cb0)" stroke-width="1.5" '
        f'points="{line}"/><circle cx="{last_x}" cy="{last_y}" r="2" style="fill:var(--skpi-accent,#2b6cb0)"/></svg>'
    )


STATUS_COLORS = {
    "on-track": "#276749",
    "at-risk": "#b7791f",
    "off-track": "#c53030",
    "no-data": "#718096",
}


def chip(status: str, label: str) -> str:
    """A coloured status chip (escaped)."""
    color = STATUS_COLORS.get(status, "#4a5568")
    return (
        f'<span class="skpi-chip" style="display:inline-block;padding:1px 8px;border-radius:10px;'
        f'font-size:12px;color:#fff;background:{color}">{html.escape(label)}</span>'
    )


def chips(statuses: Sequence[tuple[str, str]], lang: str) -> str:
    """Goal status chips, one goal a line: ``[(status id, goal name), ...]`` ->
    ``name [進度正常]``."""
    return "".join(
        f'<div class="skpi-goal">{chip(status, i18n.word("status", status, lang))} {html.escape(name)}</div>'
        for status, name in statuses
    )


def empty(what: str, how: str, lang: str) -> HTML:
    """An empty section in one sentence: what is missing (a catalogue key) and how to get it."""
    return empty_text(t(what, lang), t(how, lang) if how else "")


def empty_text(what: str, how: str = "") -> HTML:
    """:func:`empty` with the sentences already in the page's language."""
    return HTML(
        f'<p class="skpi-empty">{html.escape(what)} {html.escape(how)}</p>'.replace(" </p>", "</p>")
    )


def sentences(lines: Sequence[str]) -> HTML:
    """Sentences as a list (escaped)."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines if line)
    return HTML(f'<ul class="skpi-sentences">{items}</ul>')


def strong(line: str) -> HTML:
    """One line in bold."""
    return HTML(f"<p><strong>{html.escape(line)}</strong></p>")


def join(*parts: HTML | None) -> HTML:
    """Several pieces of HTML shown as one (``None`` parts left out)."""
    return HTML("".join(p.data for p in parts if p is not None))


def heading(key: str, lang: str, level: int = 2) -> HTML:
    """A section heading from the catalogue, as HTML."""
    return HTML(f"<h{level}>{html.escape(t(key, lang))}</h{level}>")


def paragraph(line: str) -> HTML:
    """One escaped paragraph."""
    return HTML(f"<p>{html.escape(line)}</p>")


def change_is_zero(value: float) -> bool:
    """Whether a change is zero (not missing), so pages say 'unchanged'."""
    return not missing(value) and math.isclose(float(value), 0.0, abs_tol=1e-12)
