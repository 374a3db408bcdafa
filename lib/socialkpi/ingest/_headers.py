"""Header maps: which header names (in every UI language) mean which canonical field.

Maps are data: one YAML file per export format in ``ingest/maps/``. Users add aliases
(a new UI language, a renamed column) in their own YAML file, without touching code::

    meta_facebook_posts:          # format name, as in ingest/maps/<name>.yaml
      reach: ["Alcance", "リーチ"]  # field: extra header names
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from socialkpi.config import own_yaml
from socialkpi.ingest import _values
from socialkpi.ingest._errors import ExportError, cell, shown
from socialkpi.ingest._values import normalize

# a header that carries its currency ("Amount spent (TWD)", "花費金額 (TWD)"): a map names it
# with "{currency}" in place of the code ("Amount spent ({currency})")
CURRENCY_IN_HEADER = re.compile(r"\(([a-z]{3})\)$")
HAS_TIME = "__has_time"  # beside each date column of a typed frame: did the cell give a time?
EXPECTED = {
    "id": "an ID kept as text",
    "text": "text",
    "count": "a count (a whole number such as 1200 or 1,200)",
    "signed": "a whole number (may be negative)",
    "number": "a number",
    "share": "a number (share or percentage)",
    "datetime": "a date and time",
    "date": "a date",
    "yearless": "a day such as 'April 12' or '9月13日'",
}


@dataclass(frozen=True)
class Column:
    """One field of an export format: its header names in every UI language, type and unit."""

    field: str
    names: tuple[str, ...]
    type: str = "text"
    unit: str | None = None
    required: bool = False  # the column must be in the file and filled in every row...
    blank: bool = False  # ...unless a blank cell means something (GA4's total line, "undefined")
    formats: tuple[str, ...] = ()


@dataclass
class Format:
    """One export format: its header map, platform and target table."""

    name: str
    title: str
    platform: str | None
    table: str
    columns: dict[str, Column]
    extra: dict = field(default_factory=dict)

    def lookup(self) -> dict[str, str]:
        """Normalized header name -> field, for every name of every field."""
        out = {}
        for col in self.columns.values():
            for name in col.names:
                out.setdefault(normalize(name), col.field)
        return out

    @property
    def required(self) -> list[str]:
        """The fields a file must have to be this format."""
        return [c.field for c in self.columns.values() if c.required]

    def label(self, fld: str) -> str:
        """The header name a message shows for ``field``: its first name."""
        return self.columns[fld].names[0]


def load_format(name: str, text: str) -> Format:
    """Read one export format from its header map (``ingest/maps/<name>.yaml``)."""
    spec = own_yaml(text)
    columns = {}
    for fld, col in spec.pop("columns").items():
        columns[fld] = Column(
            field=fld,
            names=tuple(str(n) for n in col["names"]),
            type=col.get("type", "text"),
            unit=col.get("unit"),
            required=bool(col.get("required", False)),
            blank=bool(col.get("blank", False)),
            formats=tuple(col.get("formats", ())),
        )
    return Format(
        name=name,
        title=spec.pop("title"),
        platform=spec.pop("platform", None),
        table=spec.pop("table"),
        columns=columns,
        extra=spec,
    )


@functools.cache
def _builtin() -> dict[str, Format]:
    maps = resources.files("socialkpi.ingest") / "maps"
    return {
        p.name[:-5]: load_format(p.name[:-5], p.read_text("utf-8"))
        for p in sorted(maps.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".yaml") and not p.name.startswith("_")  # _furniture.yaml: words
    }


def builtin_formats() -> dict[str, Format]:
    """Every header map shipped in ``ingest/maps`` (parsed once per process)."""
    return dict(_builtin())


def add_aliases(formats: dict[str, Format], path: str | Path) -> dict[str, Format]:
    """Return formats with a user's additions (see the module docstring): per format, extra
    header names of a field (a list), or a field's names and date ``formats`` (a mapping);
    a daily series' metric names (``metrics: {name: [platform, column]}``, Meta's page
    series). Total and footer words go under ``furniture:`` (:func:`furniture_aliases`)::

        youtube_table:
          published: {names: ["Data de publicação"], formats: ["%d/%m/%Y"]}
        meta_page_daily:
          metrics: {"Facebook 關注次數": [facebook, follower_gains]}
        furniture:
          total: ["Totaal"]
    """
    extra = _read_aliases(path)
    out = dict(formats)
    for fmt_name, fields in extra.items():
        if fmt_name == "furniture":
            continue
        if fmt_name not in out:
            raise ExportError(
                str(path),
                f"unknown format {fmt_name!r}",
                "use one of: " + ", ".join(sorted(formats)) + ", or furniture",
            )
        fmt = out[fmt_name]
        cols, more = dict(fmt.columns), dict(fmt.extra)
        if not isinstance(fields or {}, dict):
            raise ExportError(
                str(path),
                f"{fmt_name}: expected its fields, each with header names, found {fields!r}",
                f'write e.g. {fmt_name}:\n  {next(iter(cols))}: ["a header name"]',
            )
        for fld, given in (fields or {}).items():
            if fld == "metrics" and "metrics" in fmt.extra:
                more["metrics"] = {**fmt.extra["metrics"], **_metrics(path, fmt_name, given)}
                continue
            if fld not in cols:
                raise ExportError(
                    str(path),
                    f"format {fmt_name!r} has no field {fld!r}",
                    "use one of: "
                    + ", ".join(cols)
                    + (", metrics" if "metrics" in fmt.extra else ""),
                )
            names, dates = _names_and_formats(path, fmt_name, fld, given)
            old = cols[fld]
            if dates and old.type not in ("date", "datetime"):
                raise ExportError(
                    str(path),
                    f"{fmt_name}.{fld} holds no dates, so it takes no date formats",
                    "give formats only to a date column (e.g. published, date)",
                )
            cols[fld] = Column(
                **{**old.__dict__, "names": old.names + names, "formats": old.formats + dates}
            )
        out[fmt_name] = Format(fmt.name, fmt.title, fmt.platform, fmt.table, cols, more)
    return out


def _read_aliases(path) -> dict:
    from socialkpi.config.settings import SettingsError, read_yaml

    try:
        extra = read_yaml(path, "alias file") or {}
    except SettingsError as err:
        raise ExportError(err.path, err.problems, err.fix) from err
    if not isinstance(extra, dict):
        raise ExportError(
            str(path), "an alias file is a mapping of formats", "see README: New header names"
        )
    return extra


def _names_and_formats(path, fmt_name: str, fld: str, given) -> tuple[tuple, tuple]:
    if isinstance(given, str):
        given = [given]
    if isinstance(given, list):
        return tuple(map(str, given)), ()
    if isinstance(given, dict) and set(given) <= {"names", "formats"}:
        names, dates = given.get("names", []), given.get("formats", [])
        names = [names] if isinstance(names, str) else names
        dates = [dates] if isinstance(dates, str) else dates
        for fmt in dates:
            if "%" not in str(fmt) and fmt not in ("iso", "unix_ms"):
                raise ExportError(
                    str(path),
                    f"{fmt_name}.{fld}: {fmt!r} is not a date format",
                    'write it with strftime codes, e.g. "%d/%m/%Y %H:%M"',
                )
        return tuple(map(str, names)), tuple(map(str, dates))
    raise ExportError(
        str(path),
        f"{fmt_name}.{fld}: expected a list of header names, or names: and formats:",
        'write e.g. published: ["Data de publicação"] or published: {names: [...], formats: ["%d/%m/%Y"]}',
    )


def _metrics(path, fmt_name: str, given) -> dict:
    from socialkpi.store.schema import PLATFORMS, TABLES

    if not isinstance(given, dict):
        raise ExportError(
            str(path),
            f"{fmt_name}.metrics: expected a mapping of metric names, found {given!r}",
            'write e.g. metrics: {"Facebook follows": [facebook, follower_gains]}',
        )
    out = {}
    columns = set(TABLES["account_daily"].columns)
    for name, target in given.items():
        ok = (
            isinstance(target, list)
            and len(target) == 2
            and (target[0] is None or target[0] in PLATFORMS)
            and isinstance(target[1], str)
            and target[1] in columns
        )
        if not ok:
            raise ExportError(
                str(path),
                f"{fmt_name}.metrics.{name}: expected [platform, column], found {target!r}",
                f"platform one of {', '.join(PLATFORMS)} (or null); column one of "
                + ", ".join(sorted(c for c in columns if c not in ("brand", "platform", "date"))),
            )
        out[str(name)] = target
    return out


def furniture_aliases(paths) -> dict[str, frozenset[str]]:
    """The built-in total and footer words plus those alias files add under ``furniture:``."""
    from socialkpi.ingest._furniture import builtin_words

    words = {k: set(v) for k, v in builtin_words().items()}
    example = 'write e.g. furniture: {total: ["Totaal"], footer: ["Top 500 resultaten"]}'
    for path in paths:
        given = _read_aliases(path).get("furniture") or {}
        if not isinstance(given, dict):
            raise ExportError(
                str(path), f"furniture: expected total: and footer: lists, found {given!r}", example
            )
        for kind, names in given.items():
            if kind not in words:
                raise ExportError(
                    str(path),
                    f"furniture.{kind}: expected total or footer, found {kind!r}",
                    example,
                )
            names = [names] if isinstance(names, str) else names
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ExportError(
                    str(path),
                    f"furniture.{kind}: expected a list of words, found {names!r}",
                    example,
                )
            words[kind] |= {normalize(n) for n in names}
    return {k: frozenset(v) for k, v in words.items()}


@dataclass
class Match:
    """Where a format's header sits in a block and which column holds which field."""

    format: Format
    header_row: int
    fields: dict[str, int]  # field -> column index
    headers: list[str]

    @property
    def missing(self) -> list[str]:
        """The required fields the file's header lacks."""
        return [f for f in self.format.required if f not in self.fields]

    @property
    def score(self) -> tuple[float, int]:
        """How well the header fits: the share of required fields found, then fields found."""
        req = self.format.required
        return ((len(req) - len(self.missing)) / max(len(req), 1), len(self.fields))


def match_header(rows: list[list[str]], fmt: Format, search: int = 8) -> Match:
    """Find the row (within the first ``search``) that best matches ``fmt``'s header."""
    lookup = fmt.lookup()
    best = Match(fmt, 0, {}, [])
    for i, row in enumerate(rows[:search]):
        fields: dict[str, int] = {}
        for j, name in enumerate(row):
            fld = lookup.get(normalize(name))
            if fld is None:  # a currency written into the header: "Amount spent (TWD)"
                fld = lookup.get(CURRENCY_IN_HEADER.sub("({currency})", normalize(name)))
            if fld is not None and fld not in fields:
                fields[fld] = j
        candidate = Match(fmt, i, fields, [str(c) for c in row])
        if candidate.score > best.score:
            best = candidate
    return best


@dataclass
class Context:
    """What a format's reader knows besides the cells."""

    path: str
    brand: str
    timezone: str
    export_date: date
    preamble: list[list[str]] = field(default_factory=list)
    sheet: str | None = None
    comments: list[str] = field(default_factory=list)
    scorer: str = "lexicon"
    decimal: str = "."
    warnings: list[str] = field(default_factory=list)
    # how sure the export day is: from the options or the file name (True), else today; the
    # first day of the export window where the file name gives it (TikTok's Overview)
    export_known: bool = True
    window_start: date | None = None
    format_extra: dict = field(default_factory=dict)  # the format being read: its extras
    unplaced: dict = field(default_factory=dict)  # yearless days left to the format's reader
    # platform furniture (ingest._furniture): the words that mark it, what was skipped, and
    # each format's total rows, kept aside
    furniture_words: dict = field(default_factory=lambda: _furniture_words())
    skipped: Counter = field(default_factory=Counter)
    totals: dict = field(default_factory=dict)
    engagements_off: dict = field(default_factory=dict)  # posts whose own total differs

    def warn(self, text: str) -> None:
        """Note something the user should know about this file (shown after the import)."""
        if text not in self.warnings:
            self.warnings.append(text)

    def keep_totals(self, name: str, found: pd.DataFrame) -> None:
        """Keep a format's total rows aside (a format may check its rows against them)."""
        earlier = self.totals.get(name)
        self.totals[name] = (
            found if earlier is None else pd.concat([earlier, found], ignore_index=True)
        )

    def for_window(self) -> Context:
        """A copy for one window of a large table, typed on a thread of its own: the file's
        facts shared, its notes (warnings, skipped rows, total rows, the engagements tally)
        its own, for :meth:`absorb` to add back in the windows' order."""
        return replace(
            self, warnings=[], skipped=Counter(), totals={}, engagements_off={}, unplaced={}
        )

    def absorb(self, window: Context) -> None:
        """Add a window's notes (:meth:`for_window`) to the file's, as if read here."""
        for text in window.warnings:
            self.warn(text)
        self.skipped.update(window.skipped)
        for name, found in window.totals.items():
            self.keep_totals(name, found)
        tally, more = self.engagements_off, window.engagements_off
        for key in ("off", "known"):
            if key in more:
                tally[key] = tally.get(key, 0) + more[key]
        if "example" in more:
            tally.setdefault("example", more["example"])


def _furniture_words() -> dict:
    from socialkpi.ingest._furniture import builtin_words

    return dict(builtin_words())


def typed_frame(block, match: Match, ctx: Context, window=None) -> pd.DataFrame:
    """Cells under the matched header, parsed by each column's declared type and unit.

    Adds ``_row``: the line (CSV) or row (sheet) number a user sees in a spreadsheet.
    ``window`` (``Block.windows``: raw cells, their lines, whether it is the table's last
    window) types part of a large table; without it, the whole table.
    Every cell that cannot be read is reported at once, with its row and header. Platform
    furniture (``_furniture``: footer notes, placeholder rows) is dropped and counted in
    ``ctx.skipped``; total rows are kept aside in ``ctx.totals``.
    """
    from socialkpi.ingest import _furniture

    skip = 2 if match.format.extra.get("description_row") else 1
    numeric = {"count", "signed", "number", "share"}
    wanted = {j: match.format.columns[f].type in numeric for f, j in match.fields.items()}
    raw, lines, last = window or (*block.body(match.header_row + skip, wanted), True)
    ctx.format_extra, ctx.unplaced = match.format.extra, {}
    cells = _furniture.text_cells(raw, match)
    kinds = _furniture.classify(raw, match, ctx.furniture_words, cells, last)
    dropped = (kinds == "footer") | (kinds == "placeholder")
    ctx.skipped.update(kinds[kinds != ""].tolist())
    skipped_lines = set(lines[dropped.to_numpy()].tolist())
    if dropped.any():
        kept = ~dropped.to_numpy()
        raw, lines, kinds = raw[kept].reset_index(drop=True), lines[kept], kinds[kept]
        cells = {j: c.kept(kept) for j, c in cells.items()}
    columns = {"_row": pd.Series(lines, index=raw.index)}
    aside = (kinds == "total").to_numpy()  # a total row's key is a word, not a key: no problem
    key = _furniture.total_key(match)
    problems = block.misshapen(
        match.header_row + skip, len(match.headers), list(wanted), skipped_lines
    )
    for fld, j in match.fields.items():
        col = match.format.columns[fld]
        source = raw[j]
        values, bad = _parse(source, col, ctx, cells.get(j))
        columns[fld] = values
        if col.type in ("datetime", "date", "yearless"):  # a date alone is no time of day
            text = cells[j].clean if j in cells else _values.clean(source)
            columns[f"{fld}{HAS_TIME}"] = text.str.contains(_values.TIME_OF_DAY).fillna(False)
        header = match.headers[j]
        bad = np.asarray(bad, dtype=bool) & ~(aside if fld == key else False)
        for i in bad.nonzero()[0][:10]:
            problems.append(
                f"{cell(int(lines[i]), header)}: expected {EXPECTED[col.type]}, "
                f"found {shown(source.iat[i])}"
            )
            if col.type == "id" and _values.SCIENTIFIC.match(str(source.iat[i]).strip()):
                problems[-1] += " (an ID turned into scientific notation by a spreadsheet)"
        if col.required and not col.blank:
            empty = (pd.isna(values) & ~bad).to_numpy() if len(values) else bad
            if fld in ctx.unplaced:  # days left for the format's reader to place: not empty
                empty = empty & np.array([md is None for md in ctx.unplaced[fld]], dtype=bool)
            empty = empty & ~aside
            for i in empty.nonzero()[0][:10]:
                problems.append(
                    f"{cell(int(lines[i]), header)}: empty, but every row needs a value here"
                )
    if block.unterminated and not problems:
        ctx.warn(
            f"the file ends without a line break: check that its last row (row {block.last_line}) "
            "is complete, as a download that was cut short ends like this"
        )
    if problems:
        fix = "re-download the export, or fix these cells and save the file again as CSV UTF-8"
        if any("cut short" in p or "columns" in p for p in problems):
            fix = "the file is damaged or was cut short: download the export again"
        if any("scientific notation" in p for p in problems):
            fix = (
                "the IDs were damaged when the file was saved from Excel and cannot be recovered; "
                "import the original download, or format the ID column as Text before saving"
            )
        raise ExportError(ctx.path, problems, fix)
    frame = pd.DataFrame(columns, index=raw.index)
    totals = aside
    if totals.any():
        ctx.keep_totals(match.format.name, frame[totals].reset_index(drop=True))
    return frame[~totals].reset_index(drop=True)


def _yearless(source: pd.Series, col: Column, ctx: Context):
    """Days written without a year, placed by the evidence the file carries: a daily series
    as one series pinned by the export window in the file name or the export day
    (``_values.place_series``); other days before the export day. Without an export day from
    the options or the file name, a format whose rows date themselves (TikTok's video ids)
    leaves the days to its reader (``ctx.unplaced``); any other stops the import."""
    daily = ctx.format_extra.get("daily", False)
    if not ctx.export_known and ctx.window_start is None:
        if ctx.format_extra.get("dated_by"):
            mds, bad = _values.month_days(source)
            ctx.unplaced[col.field] = mds
            return pd.Series(pd.NaT, index=source.index, dtype="datetime64[us]"), bad
        raise ExportError(
            ctx.path,
            f'column "{col.names[0]}" gives days without a year, and neither the file name nor '
            "the options say when the file was exported, so the year cannot be known",
            "pass --export-date YYYY-MM-DD (the day you downloaded the file), or import the "
            "file as the platform named it (TikTok: Overview_<first day>_<...>.zip)",
        )
    try:
        if daily:
            return _values.parse_series(source, ctx.export_date, ctx.window_start)
        return _values.parse_yearless(source, ctx.export_date)
    except _values.YearUnknown as err:
        raise ExportError(
            ctx.path,
            f'column "{col.names[0]}": {err}',
            "check --export-date (the day you downloaded the file), or download the export again",
        ) from err


def _parse(source: pd.Series, col: Column, ctx: Context, cells: _values.Cells | None = None):
    """A column's cells typed by its declared type: ``(values, bad)``. ``cells``: the text
    cells already read (``Cells``), parsed from their clean text; without them, ``source``."""
    kind = col.type
    text, cleaned = (cells.clean, True) if cells is not None else (source, False)
    if kind == "id":
        return _values.parse_id(text, cleaned)
    if kind in ("count", "signed", "number", "share"):
        integer = kind in ("count", "signed")
        return _values.parse_number(text, col.unit, integer, ctx.decimal, cleaned)
    if kind in ("datetime", "date"):
        formats = list(col.formats) or ["iso"]
        values, bad, fallback = _values.parse_datetime(
            text, formats, dayfirst_fallback=kind == "date", cleaned=cleaned
        )
        if fallback:
            ctx.warn(
                f'column "{col.names[0]}": dates written DD-MM-YYYY (the file was re-saved by a '
                "spreadsheet) were read as day-month-year"
            )
        return values, bad
    if kind == "yearless":
        return _yearless(source, col, ctx)
    text = text if cleaned else _values.clean(source)
    return text, np.zeros(len(source), dtype=bool)
