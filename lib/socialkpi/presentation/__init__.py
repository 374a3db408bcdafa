"""The presentation layer: every table, value and word a reader sees goes through here.

Analysis modules return frames of ids and values; this module turns them into what a
stakeholder reads, in one language per page:

- :func:`number` formats a value by its unit from ``metrics.yaml`` (counts with separators,
  percents, hours, money in the brand's currency) with Babel's locale data, the same way in
  tables, sentences and dashboard cards;
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
from socialkpi.words.i18n import t

FONT = "'Noto Sans CJK TC', 'Noto Sans TC', 'PingFang TC', 'Microsoft JhengHei', sans-serif"
DASH = "—"
# data values shown through a catalogue group (ids -> words); anything else shows as written
WORD_KINDS = {
    "platform",
    "weekday",
    "content_type",
    "status",
    "action_status",
    "plan_status",
    "level",
    "check",
    "objective",
    "horizon",
    "assessment",
    "gender",
    "dimension",
    "clock",
    "verdict",
    "follow_up",
    "daypart",
    "seniority",
    "job_function",
}


NUMERIC_KINDS = {
    "value",
    "change",
    "count",
    "number",
    "percent",
    "hours",
    "seconds",
    "currency",
    "share",
    "signed_count",
    "change_pp",
    "ratio",
}


def missing(value: object) -> bool:
    """Whether a value is missing (None, NaN, NA)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(
    value: object,
    unit: str = "count",
    lang: str = "en",
    currency: str | None = None,
    signed: bool = False,
) -> str:
    """A KPI value as people read it, by its unit: ``12,400`` · ``7.35%`` · ``4.2 小時`` ·
    ``NT$1,234``. ``signed`` writes a change: ``+1,200``, and for a percent ``+0.85 個百分點``.

    >>> number(12400.0), number(0.07354, "percent", "zh-TW"), number(4.25, "hours", "zh-TW")
    ('12,400', '7.35%', '4.3 小時')
    >>> number(1234.5, "currency", "en", "TWD"), number(0.0085, "percent", "en", signed=True)
    ('NT$1,235', '+0.85 pp')
    >>> number(0.3984, "relative", "en"), number(-0.1384, "relative", "en", signed=True)
    ('40%', '-14%')
    """
    from babel.numbers import format_currency, format_decimal

    if missing(value):
        return DASH
    value = float(value)
    locale = i18n.babel_locale(lang)
    sign = "+" if signed and value > 0 else ""

    def decimal(v: float, places: int) -> str:
        return format_decimal(
            _half_up(v, places), "#,##0" + ("." + "0" * places if places else ""), locale=locale
        )

    if unit == "percent":
        if signed:
            return f"{sign}{decimal(value * 100, 2)} {t('unit.pp', lang)}"
        return decimal(value * 100, 2) + "%"
    if unit in ("hours", "seconds"):
        return f"{sign}{decimal(value, 1)} {t(f'unit.{unit}', lang)}"
    if unit == "currency" and currency:
        text = format_currency(
            _half_up(abs(value), 0),
            currency.upper(),
            format="¤#,##0",
            locale="en",
            currency_digits=False,
        )
        return ("-" if value < 0 else sign) + text  # NT$ / US$ as Taiwan writes them, any page
    if unit == "share":
        return decimal(value * 100, 1) + "%"
    if unit == "relative":  # a relative difference in whole percent: 40%, +40%, -14%
        return ("-" if value < 0 else sign) + decimal(abs(value) * 100, 0) + "%"
    if float(value).is_integer() or abs(value) >= 100:
        return sign + decimal(value, 0)
    return sign + format_decimal(_half_up(value, 2), "#,##0.##", locale=locale)


def span(
    low: object,
    high: object,
    unit: str = "count",
    lang: str = "en",
    currency: str | None = None,
    signed: bool = False,
) -> str:
    """An interval with its unit written once: ``+0.25 至 +3.64 個百分點`` / ``+0.25 to +3.64
    pp`` (a table cell stays narrow enough to print).

    >>> span(0.0025, 0.0364, "percent", "zh-TW", signed=True)
    '+0.25 至 +3.64 個百分點'
    >>> span(450, 812)
    '450 to 812'
    """
    a, b = (number(v, unit, lang, currency, signed) for v in (low, high))
    unit_a, unit_b = a.rpartition(" ")[2], b.rpartition(" ")[2]
    if " " in a and unit_a == unit_b and not any(ch.isdigit() for ch in unit_a):
        a = a.rpartition(" ")[0]
    return t("word.interval", lang, low=a, high=b)


def _half_up(value: float, places: int):
    """Round as people do (4.25 -> 4.3), not to even as Babel would (4.2)."""
    from decimal import ROUND_HALF_UP, Decimal

    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def date(value: object, lang: str = "en", kind: str = "day") -> str:
    """A date in the page's locale: ``2026年10月5日`` / ``Oct 5, 2026``; ``kind="month"`` gives
    ``2026年10月`` / ``Oct 2026``, ``kind="short"`` ``10月5日`` / ``Oct 5``."""
    from babel.dates import format_date, format_skeleton

    if missing(value):
        return DASH
    day = pd.Timestamp(str(value) + ("-01" if len(str(value)) == 7 else "")).date()
    locale = i18n.babel_locale(lang)
    if kind == "month":
        return format_skeleton("yMMM", day, locale=locale)
    if kind == "short":
        return format_skeleton("MMMd", day, locale=locale)
    return format_date(day, "medium", locale=locale)


def datetime_local(value: object, timezone: str, lang: str = "en") -> str:
    """A moment in the brand's zone: ``2026年9月14日 11:00`` / ``Sep 14, 2026, 11:00``."""
    if missing(value):
        return DASH
    local = pd.Timestamp(value).tz_convert(timezone)
    return f"{date(local.date(), lang)} {local:%H:%M}"


def stamp(value: object, timezone: str, lang: str = "en") -> str:
    """When something was made, in the brand's zone and named: ``2026-12-03 21:09 台北標準時間``
    / ``2026-12-03 21:09 Taiwan Standard Time``."""
    from babel.dates import format_datetime, get_timezone

    moment = pd.Timestamp(value).tz_convert("UTC").to_pydatetime()
    return format_datetime(
        moment,
        "yyyy-MM-dd HH:mm zzzz",
        tzinfo=get_timezone(timezone),
        locale=i18n.babel_locale(lang),
    )


def freshness(days: dict[str, str], lang: str = "en") -> str:
    """The newest day of data per platform: ``Facebook 2026年10月31日、X 2026年10月30日``."""
    return t("word.and", lang).join(
        f"{text(p, 'platform', lang)} {date(d, lang)}" for p, d in sorted(days.items())
    )


def text(value: object, kind: str = "text", lang: str = "en") -> str:
    """A data value as a word: ids through the catalogue (``tiktok`` -> ``TikTok``,
    ``Monday`` -> ``星期一``), countries and languages through Babel, the rest as written."""
    if missing(value):
        return DASH
    if kind in WORD_KINDS:
        return i18n.word(kind, value, lang)
    if kind == "country":
        return i18n.territory(value, lang)
    if kind == "city":
        return i18n.city(value, lang)
    if kind == "language":
        return i18n.language(value, lang)
    if kind == "hour":
        return t("unit.hour_of_day", lang, hour=int(value))
    if kind == "topic":
        from socialkpi.metrics.content import NO_TOPIC

        return t("word.no_topic", lang) if value == NO_TOPIC else str(value)
    if kind == "bool":
        return t("word.yes" if bool(value) else "word.no", lang)
    return str(value)


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
        }
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
        table_border_top_color="#2b6cb0",
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
    span = high - low or 1.0
    step = (width - 4) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> str:
        return f"{2 + i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"

    line = " ".join(xy(i, v) for i, v in points)
    last_x, last_y = xy(*points[-1]).split(",")
    return (
        f'<svg class="skpi-spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-hidden="true"><polyline fill="none" stroke="#2b6cb0" stroke-width="1.5" '
        f'points="{line}"/><circle cx="{last_x}" cy="{last_y}" r="2" fill="#2b6cb0"/></svg>'
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
