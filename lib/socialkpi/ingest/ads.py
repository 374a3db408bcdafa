"""Ad platforms' report exports (Meta Ads Manager, Google Ads, TikTok Ads Manager, LinkedIn
Campaign Manager) -> ad_results: one row per account, campaign, ad set or ad, per day or
reporting range, per breakdown segment.

What the formats share is done here once, from each map's extras:

- ``channel``: the ad platform;
- the platform's own total rows (``total_prefixes``: a text cell that starts with
  ``Total:``, ``總計：``, ``Total of``) are kept aside, never stored as campaigns, and the
  import summary sets the file's own total spend beside the sum of the rows it stored;
- the level is the finest whose name or id the file has (ad, ad set, campaign, else account);
- dates come from a day column, from the reporting start and end columns, or from the
  reporting range the file writes above its header (Google Ads, LinkedIn);
- the currency comes from a currency column, or from the spend header (``Amount spent (TWD)``);
- breakdown columns (age, gender, placement ...) make a row one segment of its entity.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from socialkpi.ingest._errors import ExportError
from socialkpi.ingest._shape import col
from socialkpi.ingest._values import normalize

LEVELS = (("ad", "ad_id"), ("ad_set", "ad_set_id"), ("campaign", "campaign_id"))
# a map's breakdown fields, in the order a segment names them
BREAKDOWNS = ("age", "gender", "country", "region", "publisher_platform", "placement", "device")
SUMS = (
    "spend",
    "impressions",
    "reach",
    "clicks",
    "link_clicks",
    "results",
    "conversions",
    "conversion_value",
    "roas",
    "engagements",
    "follows",
    "video_views",
)
# days in the words ad platforms write above a table: "July 8, 2025", "1 October 2024",
# "2025年7月8日" (Google Ads' date line, LinkedIn's "Report Start: ..." line)
_DAYS = (
    (re.compile(r"([A-Z][a-z]+)\.? (\d{1,2}), (\d{4})"), ("%B %d %Y", "%b %d %Y"), (0, 1, 2)),
    (re.compile(r"(\d{1,2}) ([A-Z][a-z]+)\.? (\d{4})"), ("%B %d %Y", "%b %d %Y"), (1, 0, 2)),
    (re.compile(r"(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日"), ("%Y %m %d",), (0, 1, 2)),
)
_CURRENCY = re.compile(r"\(([A-Za-z]{3})\)\s*$")


def preamble_days(lines: list[list[str]]) -> list[date]:
    """The days written in the lines above a table, in order.

    >>> preamble_days([["Campaign report"], ["July 8, 2025 - July 31, 2025"]])
    [datetime.date(2025, 7, 8), datetime.date(2025, 7, 31)]
    >>> preamble_days([["1 October 2024 - 30 April 2025"]])
    [datetime.date(2024, 10, 1), datetime.date(2025, 4, 30)]
    """
    text = " ".join(str(c) for row in lines for c in row if str(c).strip())
    found = []
    for pattern, formats, order in _DAYS:
        for m in pattern.finditer(text):
            parts = [m.group(i + 1) for i in order]
            for fmt in formats:
                try:
                    found.append((m.start(), datetime.strptime(" ".join(parts), fmt).date()))
                    break
                except ValueError:
                    continue
    return [d for _, d in sorted(found)]


def _total_rows(frame: pd.DataFrame, match) -> pd.Series:
    """Rows the platform wrote as totals: a text cell starting with one of the map's
    ``total_prefixes`` (in any column: Google writes the label where the row's first text
    column is)."""
    prefixes = tuple(normalize(p) for p in match.format.extra.get("total_prefixes", []))
    out = pd.Series(False, index=frame.index)
    if match.format.extra.get("unnamed_total"):  # Meta: a first row without any name
        named = [
            f
            for f in ("campaign", "campaign_id", "ad_set", "ad_set_id", "ad", "ad_id")
            if f in frame
        ]
        if named:
            nameless = frame[named].isna().all(axis=1)
            if not nameless.all():
                out |= nameless
    if not prefixes:
        return out
    for fld, column in match.format.columns.items():
        if column.type == "text" and fld in frame:
            text = frame[fld].astype("string").fillna("").map(normalize)
            out |= text.str.startswith(prefixes).fillna(False)
    return out


def _names(frame: pd.DataFrame, match) -> pd.DataFrame:
    """campaign / ad_set / ad names and ids, after a format's renames (``levels`` in its map,
    applied when the file has the ``when`` field: LinkedIn's old Campaign Group is a
    campaign, its Campaign an ad set)."""
    renames = dict(match.format.extra.get("levels", {}))
    when = renames.pop("when", None)
    if when is None or when not in frame or frame[when].isna().all():
        renames = {}
    out = pd.DataFrame(index=frame.index)
    for target in ("campaign", "campaign_id", "ad_set", "ad_set_id", "ad", "ad_id"):
        source = renames.get(target, target)
        present = source in frame and frame[source].notna().any()
        out[target] = frame[source].astype("string").str.strip() if present else pd.NA
    return out


def _level(names: pd.DataFrame) -> str:
    for level, ids in LEVELS:
        if names[level].notna().any() or names[ids].notna().any():
            return level
    return "account"


def _entity(names: pd.DataFrame, level: str) -> pd.Series:
    """A row's entity: its id at its level, else the path of names (``Campaign / Ad set``),
    numbered where the same path repeats for the same day and segment."""
    if level == "account":
        return pd.Series("account", index=names.index, dtype="string")
    ids = names[f"{level}_id"]
    upto = {"campaign": ["campaign"], "ad_set": ["campaign", "ad_set"]}.get(
        level, ["campaign", "ad_set", "ad"]
    )
    path = names[upto].fillna("").astype("string").agg(" / ".join, axis=1)
    return ids.fillna(path).astype("string")


def _dates(frame: pd.DataFrame, ctx, match) -> tuple[pd.Series, pd.Series]:
    """Each row's first and last day."""
    if "day" in frame and frame["day"].notna().any():
        day = pd.to_datetime(frame["day"]).dt.normalize()
        return day, day
    if "date_start" in frame and frame["date_start"].notna().any():
        start = pd.to_datetime(frame["date_start"]).dt.normalize()
        end = pd.to_datetime(col(frame, "date_end")).dt.normalize()
        return start, end.fillna(start)
    days = preamble_days(ctx.preamble)
    if len(days) >= 2:
        return (
            pd.Series(pd.Timestamp(days[0]), index=frame.index),
            pd.Series(pd.Timestamp(days[1]), index=frame.index),
        )
    raise ExportError(
        ctx.path,
        f"this {match.format.title} has no reporting dates (no day column, and no date range "
        "above the table"
        + (
            f": it says {' '.join(str(c) for r in ctx.preamble for c in r if str(c).strip())!r}"
            if ctx.preamble
            else ""
        )
        + ")",
        "download the report for a date range (e.g. last month) or add the Day breakdown; "
        "'All time' cannot be placed in a month",
    )


def _currency(frame: pd.DataFrame, match) -> pd.Series:
    given = col(frame, "currency").astype("string").str.strip().str.upper()
    header = match.headers[match.fields["spend"]]
    found = _CURRENCY.search(str(header))
    return given.fillna(found.group(1).upper() if found else pd.NA)


def _breakdown(frame: pd.DataFrame) -> tuple[str, pd.Series]:
    present = [b for b in BREAKDOWNS if b in frame and frame[b].notna().any()]
    if not present:
        return "", pd.Series("", index=frame.index, dtype="string")
    cells = frame[present].astype("string").fillna("").apply(lambda c: c.str.strip())
    return ",".join(present), cells.agg("|".join, axis=1).astype("string")


def _attribution(frame: pd.DataFrame, fmt) -> pd.Series:
    """The attribution setting: a known one as its id (``attribution_ids`` in the map), another
    as written; ``-`` (nothing delivered) as none."""
    known = {normalize(k): v for k, v in fmt.extra.get("attribution_ids", {}).items()}
    text = col(frame, "attribution").astype("object")
    ids = [
        known.get(normalize(v), v.strip())
        if isinstance(v, str) and v.strip() not in ("", "-")
        else None
        for v in text
    ]
    return pd.Series(ids, index=frame.index, dtype="object").astype("string")


def _number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("Float64")


def results(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Ad results from an ad platform's report (see the module docstring)."""
    fmt = match.format
    totals = _total_rows(frame, match)
    kept_aside = ctx.totals.get(fmt.name)
    rows, total_rows = frame[~totals], frame[totals]
    if kept_aside is not None and len(kept_aside):
        total_rows = pd.concat([kept_aside, total_rows], ignore_index=True)
    names = _names(rows, match)
    level = _level(names)
    start, end = _dates(rows, ctx, match)
    breakdown, segment = _breakdown(rows)
    out = pd.DataFrame(
        {
            "_row": rows["_row"],
            "channel": fmt.extra["channel"],
            "level": level,
            "entity": _entity(names, level),
            "date": start,
            "date_end": end,
            "breakdown": breakdown,
            "segment": segment,
            "campaign": names["campaign"],
            "ad_set": names["ad_set"],
            "ad": names["ad"],
            "currency": _currency(rows, match),
            "result_type": col(rows, "result_type").astype("string").str.strip(),
            "attribution": _attribution(rows, fmt),
            "post_id": col(rows, "post_id").astype("string").str.strip(),
        }
    )
    for name in SUMS:
        out[name] = _number(col(rows, name))
    late = out["date_end"] < out["date"]
    if late.any():
        from socialkpi.ingest.canonical import _refuse

        _refuse(
            rows,
            late,
            "date_end" if "date_end" in match.fields else "date_start",
            ctx,
            match,
            lambda i: "the reporting range ends before it starts",
            "download the report again; a range's end cannot come before its start",
        )
    key = ["entity", "date", "date_end", "segment"]
    nth = out.groupby(key, dropna=False).cumcount()
    if (nth > 0).any():  # two entities with the same names and no ids: told apart by order
        out["entity"] = out["entity"].where(
            nth == 0, out["entity"] + " #" + (nth + 1).astype("string")
        )
    _say_totals(out, total_rows, ctx, fmt)
    return {"ad_results": out}


def _say_totals(out: pd.DataFrame, total_rows: pd.DataFrame, ctx, fmt) -> None:
    """The import summary's line: the file's own total spend beside the stored rows' sum."""
    stored = float(out["spend"].sum())
    if total_rows.empty or "spend" not in total_rows:
        ctx.warn(
            f"{fmt.title}: spend in the rows imported {stored:,.2f} (the file has no total row)"
        )
        return
    prefixes = tuple(normalize(p) for p in fmt.extra.get("total_prefixes", []))
    labels = []
    for _, row in total_rows.iterrows():
        said = [
            str(row[f]).strip()
            for f, c in fmt.columns.items()
            if c.type == "text" and f in row and isinstance(row[f], str)
        ]
        label = next(
            (t for t in said if prefixes and normalize(t).startswith(prefixes)), "total row"
        )
        if pd.notna(row["spend"]):
            labels.append((label, float(row["spend"])))
    if not labels:
        return
    first = labels[0]
    account = next((lb for lb in labels if "account" in lb[0].casefold() or "帳戶" in lb[0]), first)
    said = f"{fmt.title}: spend in the rows imported {stored:,.2f}; the file's own {first[0]!r} {first[1]:,.2f}"
    if account is not first:
        said += f", {account[0]!r} {account[1]:,.2f}"
    off = [lb for lb in {first, account} if abs(lb[1] - stored) > max(0.01, 0.0005 * abs(lb[1]))]
    if off:
        said += (
            " (they differ: a platform's total also counts rows the report does not list, such "
            "as removed campaigns or rows outside a filter; reports use the rows imported)"
        )
    ctx.warn(said)


FINISH = {
    "meta_ads_report": results,
    "google_ads_report": results,
    "tiktok_ads_report": results,
    "linkedin_ads_report": results,
}
