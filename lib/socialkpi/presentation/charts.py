"""Altair chart builders. They return charts and never display or save; one registered theme
styles them all (CJK-capable fonts, print-friendly). Every KPI chart names its definition.

Words on a chart come from the catalogue and the presentation layer: titles, axis titles,
month labels (``2026年10月`` / ``Oct 2026``), platforms, weekdays, countries. Charts take the
page's width: live charts fill their container (Voila, JupyterLab); static SVG (reports) is
drawn wide and scaled to the page by the report's stylesheet.

Rendering offline: :func:`setup` picks the ``svg`` renderer for static output (Papermill,
HTML reports: no JavaScript, no network) or Altair's offline JupyterChart for live controls
in JupyterLab and Voila.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from socialkpi import metrics, presentation
from socialkpi.words.i18n import t

FONT = "Noto Sans CJK TC, Noto Sans TC, PingFang TC, Microsoft JhengHei, Heiti TC, sans-serif"
PALETTE = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#718096", "#d69e2e", "#319795"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WIDTH = 960  # static charts: drawn this wide, scaled to the page
_live = {"on": False}
_look = {"accent": PALETTE[0]}  # the first series' colour: the brand's (``use_accent``)
# labels known to be short (months, hours, weekdays): not checked against a label limit
SHORT = {"labelLimit": 0}
# live charts: SVG, and no action menu (its words are English and its editor link leaves the
# machine)
EMBED = {"renderer": "svg", "actions": False}


@alt.theme.register("socialkpi", enable=True)
def theme() -> alt.theme.ThemeConfig:
    """The Altair theme every chart uses: CJK-capable fonts, quiet axes, print-friendly colours."""
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 260},
            "title": {
                "fontSize": 15,
                "anchor": "start",
                "subtitleColor": "#4a5568",
                "subtitleFontSize": 11,
                "offset": 10,
            },
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e2e8f0"},
            # numbers and dates are never too long for an axis: no label limit to check each
            # label against (vl-convert measures every label for it, about 2 ms a label)
            "axisQuantitative": SHORT,
            "axisTemporal": SHORT,
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "top"},
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "range": {"category": palette()},
            "mark": {"color": palette()[0]},
            "background": "white",
        }
    }


def palette() -> list[str]:
    """The series colours: the brand's colour first (socialkpi's blue by default)."""
    accent = _look["accent"]
    return [accent] + [c for c in PALETTE[1:] if c != accent]


def use_accent(colour: str) -> None:
    """Draw the next charts with ``colour`` as the first series' colour (a brand's look)."""
    _look["accent"] = colour


def setup(interactive: bool) -> None:
    """Static SVG charts (headless runs, reports) or live offline charts (Lab, Voila)."""
    _live["on"] = interactive
    if interactive:
        alt.JupyterChart.enable_offline()
    _ = alt.renderers.enable("svg")


def _sized(chart: alt.Chart, height: int = 260) -> alt.Chart:
    """The page's width: the container when live, :data:`WIDTH` when drawn for a report."""
    return chart.properties(width="container" if _live["on"] else WIDTH, height=height)


def _title(kpi_id: str, lang: str, extra: str = "", note: str = "") -> alt.TitleParams:
    m = metrics.dictionary()[kpi_id]
    subtitle = [t("chart.definition", lang, text=m.definition[lang]), *([note] if note else [])]
    return alt.TitleParams(m.name[lang] + extra, subtitle=subtitle if note else subtitle[0])


def _axis_format(kpi_id: str) -> str:
    unit = metrics.dictionary()[kpi_id].unit
    return ".1%" if unit == "percent" else ",.0f" if unit in ("count", "currency") else ",.1f"


def _months(series: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """``period`` (YYYY-MM) as the page's month labels, in time order."""
    periods = sorted(series["period"].astype(str).unique())
    labels = {p: presentation.date(p, lang, "month") for p in periods}
    return series.assign(month=series["period"].astype(str).map(labels)), [
        labels[p] for p in periods
    ]


def trend(
    series: pd.DataFrame,
    kpi_id: str,
    lang: str = "en",
    color: str | None = None,
    color_kind: str = "platform",
    note: str = "",
) -> alt.Chart:
    """A KPI by month: ``series`` has ``period`` (YYYY-MM) and ``value``, and ``color`` (e.g.
    platform ids, shown by their names) if given; ``note`` is a second line under the
    definition (why the line is shorter than asked, say)."""
    data, order = _months(series, lang)
    fmt = _axis_format(kpi_id)
    enc = {
        "x": alt.X("month:O", title=None, sort=order, axis=alt.Axis(labelAngle=0, **SHORT)),
        "y": alt.Y("value:Q", title=None, axis=alt.Axis(format=fmt)),
        "tooltip": [
            alt.Tooltip("month:O", title=t("chart.month", lang)),
            alt.Tooltip("value:Q", format=fmt, title=metrics.dictionary()[kpi_id].name[lang]),
        ],
    }
    if color:
        data = data.assign(
            **{color: data[color].map(lambda v: presentation.text(v, color_kind, lang))}
        )
        enc["color"] = alt.Color(f"{color}:N", title=None)
        enc["tooltip"].insert(0, alt.Tooltip(f"{color}:N", title=t(f"col.{color_kind}", lang)))
    chart = alt.Chart(data, title=_title(kpi_id, lang, note=note)).mark_line(point=True)
    return _sized(chart.encode(**enc))


def history(
    series: pd.DataFrame, kpi_id: str | None, name: str, unit: str, lang: str = "en"
) -> alt.Chart:
    """One line per account by month (``period``, ``value``, ``account`` as readers see it),
    titled ``name`` (with the KPI's definition when ``kpi_id`` is one)."""
    data, order = _months(series, lang)
    fmt = ".1%" if unit in ("percent", "share") else ",.0f" if unit == "count" else ",.1f"
    title = _title(kpi_id, lang) if kpi_id else alt.TitleParams(name)
    chart = (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=None, sort=order, axis=alt.Axis(labelAngle=0, **SHORT)),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format=fmt)),
            color=alt.Color("account:N", title=None),
            tooltip=[
                alt.Tooltip("account:N", title=t("col.account", lang)),
                alt.Tooltip("month:O", title=t("chart.month", lang)),
                alt.Tooltip("value:Q", format=fmt, title=name),
            ],
        )
    )
    return _sized(chart)


def daily(series: pd.DataFrame, kpi_id: str, lang: str = "en") -> alt.Chart:
    """A KPI by day: ``series`` has ``day`` (a date, every day of the period: the caller fills
    days without data with 0 for counts and leaves them empty for rates, so the line breaks
    there) and ``value``."""
    fmt = _axis_format(kpi_id)
    data = series.assign(day=pd.to_datetime(series["day"]))
    chart = (
        alt.Chart(data, title=_title(kpi_id, lang))
        .mark_line(point=True, invalid="break-paths-show-domains")
        .encode(
            x=alt.X("day:T", title=None, axis=alt.Axis(format="%m/%d", labelAngle=0)),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format=fmt)),
            tooltip=[
                alt.Tooltip("day:T", format="%Y-%m-%d", title=t("chart.day", lang)),
                alt.Tooltip("value:Q", format=fmt, title=metrics.dictionary()[kpi_id].name[lang]),
            ],
        )
    )
    return _sized(chart, 220)


def bars(
    frame: pd.DataFrame,
    category: str,
    kpi_id: str,
    lang: str = "en",
    value: str = "value",
    kind: str = "platform",
) -> alt.Chart:
    """Horizontal bars of a KPI by a category (platform ids, content types ... shown by name)."""
    fmt = _axis_format(kpi_id)
    data = frame.assign(label=frame[category].map(lambda v: presentation.text(v, kind, lang)))
    chart = (
        alt.Chart(data, title=_title(kpi_id, lang))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X(f"{value}:Q", title=None, axis=alt.Axis(format=fmt)),
            tooltip=[
                alt.Tooltip("label:N", title=t(f"col.{kind}", lang)),
                alt.Tooltip(
                    f"{value}:Q", format=fmt, title=metrics.dictionary()[kpi_id].name[lang]
                ),
            ],
        )
    )
    return _sized(chart, max(60, 28 * len(data)))


def heatmap(
    frame: pd.DataFrame, value: str, title: str, subtitle: str | list[str] = "", lang: str = "en"
) -> alt.Chart:
    """Weekday x hour heat map (``frame`` has ``weekday`` names, ``hour`` and ``value``)."""
    days = [presentation.text(d, "weekday", lang) for d in WEEKDAYS]
    data = frame.assign(day=frame["weekday"].map(lambda d: presentation.text(d, "weekday", lang)))
    chart = (
        alt.Chart(data, title=alt.TitleParams(title, subtitle=subtitle))
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title=t("col.hour", lang), axis=alt.Axis(labelAngle=0, **SHORT)),
            y=alt.Y("day:N", sort=days, title=None, axis=alt.Axis(**SHORT)),
            color=alt.Color(
                f"{value}:Q",
                title=None,
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(format=".0%", orient="right"),
            ),
            tooltip=[
                alt.Tooltip("day:N", title=t("col.weekday", lang)),
                alt.Tooltip("hour:O", title=t("col.hour", lang)),
                alt.Tooltip(f"{value}:Q", format=".1%", title=t("col.share", lang)),
            ],
        )
    )
    return _sized(chart, 200)


def shares(frame: pd.DataFrame, kind: str, title: str, lang: str = "en") -> alt.Chart:
    """An audience dimension's shares, one panel per platform, so that no bar adds up the
    platforms' audiences (``frame`` has ``platform``, ``segment`` and ``share``; ``kind`` says
    how to name a segment: ``country``, ``language``, ``gender`` or ``text``)."""
    data = frame.assign(
        label=frame["segment"].map(lambda v: segment_name(v, kind, lang)),
        panel=frame["platform"].map(lambda v: presentation.text(v, "platform", lang)),
    )
    panels = data["panel"].nunique()
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X("share:Q", title=None, axis=alt.Axis(format=".0%")),
            tooltip=[
                alt.Tooltip("panel:N", title=t("col.platform", lang)),
                alt.Tooltip("label:N", title=t("col.segment", lang)),
                alt.Tooltip("share:Q", format=".1%", title=t("col.share", lang)),
            ],
        )
        .properties(
            width=max(220, (WIDTH - 40 * panels) // max(panels, 1)),
            height=max(60, 22 * data.groupby("panel")["label"].nunique().max()),
        )
    )
    panels = chart.facet(column=alt.Column("panel:N", title=None))
    return panels.resolve_scale(y="independent").properties(title=alt.TitleParams(title))


def segment_name(value: object, kind: str, lang: str) -> str:
    """An audience segment's name (``25-34|female`` -> ``25-34 女性``, ``TW`` -> ``台灣``)."""
    if kind == "age_gender" and isinstance(value, str) and "|" in value:
        age, gender = value.split("|", 1)
        return f"{age} {presentation.text(gender, 'gender', lang)}"
    return presentation.text(value, kind, lang)


def grouped(frame: pd.DataFrame, title: str, unit: str, lang: str = "en") -> alt.Chart:
    """Horizontal bars of ``value`` per ``label``, one bar per ``series`` side by side, in
    the order the frame gives (``unit``: ``share`` or ``count``)."""
    fmt = ".0%" if unit == "share" else "d"
    labels = list(dict.fromkeys(frame["label"]))
    series = list(dict.fromkeys(frame["series"]))
    chart = (
        alt.Chart(frame, title=alt.TitleParams(title))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=labels, title=None),
            yOffset=alt.YOffset("series:N", sort=series),
            x=alt.X("value:Q", title=None, axis=alt.Axis(format=fmt)),
            color=alt.Color(
                "series:N",
                sort=series,
                title=None,
                scale=alt.Scale(range=palette()[: len(series)]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", format=".1%" if unit == "share" else "d", title=" "),
            ],
        )
    )
    # a fixed width, live too: a bar drawn into a container not laid out yet stays 0 wide
    return chart.properties(width=WIDTH, height=max(80, 16 * len(series) * len(labels) + 20))


def effects(frame: pd.DataFrame, title: str, verdicts: list[str], colours: list[str]) -> alt.Chart:
    """Each test's relative ``effect`` as a dot with its interval (``low``, ``high``) as a
    line, one row per ``test``, coloured by ``verdict``, with a rule at no difference."""
    tests = list(dict.fromkeys(frame["test"]))
    base = alt.Chart(frame, title=alt.TitleParams(title))
    y = alt.Y("test:N", sort=tests, title=None, axis=alt.Axis(labelLimit=420))
    colour = alt.Color(
        "verdict:N",
        title=None,
        scale=alt.Scale(domain=verdicts, range=colours),
        legend=alt.Legend(orient="top"),
    )
    line = base.mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("low:Q", title=None, axis=alt.Axis(format="+.0%")), x2="high:Q", color=colour
    )
    tip = [
        alt.Tooltip("test:N", title=" "),
        alt.Tooltip("effect:Q", format="+.0%", title=" "),
        alt.Tooltip("low:Q", format="+.0%", title=" "),
        alt.Tooltip("high:Q", format="+.0%", title=" "),
    ]
    dots = base.mark_point(filled=True, size=90).encode(
        y=y, x="effect:Q", color=colour, tooltip=tip
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#1a202c").encode(x="x:Q")
    height = max(80, 40 * len(tests) + 20)
    return (line + dots + zero).properties(width=WIDTH, height=height)
