"""socialkpi's cost ledger CSV (and the sheet teams keep in zh-TW) -> costs."""

from __future__ import annotations

import calendar
import hashlib
import re

import pandas as pd

from socialkpi.ingest._errors import shown
from socialkpi.ingest._shape import col, platform
from socialkpi.store.schema import COST_CATEGORIES

# the category words a team's sheet uses, besides socialkpi's own ids
CATEGORY_WORDS = {
    **{c: c for c in COST_CATEGORIES},
    "廣告": "ads",
    "廣告投放": "ads",
    "內容製作": "content_production",
    "製作": "content_production",
    "kol": "kol",
    "網紅": "kol",
    "kol/網紅": "kol",
    "網紅合作": "kol",
    "人事": "staff",
    "人力": "staff",
    "工具": "tools",
    "軟體": "tools",
    "活動": "events",
    "其他": "other",
}
_ALL = {"", "all", "全部", "所有平台"}
_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})(?:[-/]|年)(\d{1,2})月?$")


def _day_or_month(text: str) -> tuple[pd.Timestamp | None, bool]:
    """``2026-10-15`` / ``2026/10/15`` -> that day; ``2026-10`` / ``2026年10月`` -> the
    month's first day and True (a whole month); anything else (or a day that does not
    exist) -> None."""
    text = text.strip()
    if m := _DAY.match(text):
        year, month, day = map(int, m.groups())
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            return pd.Timestamp(year, month, day), False
        return None, False
    if m := _MONTH.match(text):
        year, month = map(int, m.groups())
        return (pd.Timestamp(year, month, 1), True) if 1 <= month <= 12 else (None, True)
    return None, False


def costs(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Cost lines: a day or a month, a platform or all, a category, an amount (or hours x
    rate) and its currency. Rows for another brand, unknown categories, impossible days and
    lines without an amount stop the import, naming each cell."""
    from socialkpi.ingest.canonical import _refuse

    read = frame["date"].astype("string").fillna("").map(_day_or_month)
    days = pd.Series([d for d, _ in read], index=frame.index, dtype="object")
    whole = pd.Series([w for _, w in read], index=frame.index, dtype="boolean")
    if days.isna().any():
        _refuse(
            frame,
            days.isna(),
            "date",
            ctx,
            match,
            lambda i: (
                f"expected a day (2026-10-15) or a month (2026-10) that exists, found {shown(frame.loc[i, 'date'])}"
            ),
            "write the day as YYYY-MM-DD, or the month as YYYY-MM for a monthly cost",
        )
    if "brand" in frame:
        other = col(frame, "brand").astype("string").str.strip()
        bad = other.notna() & (other != "") & (other != ctx.brand)
        if bad.any():
            _refuse(
                frame,
                bad,
                "brand",
                ctx,
                match,
                lambda i: (
                    f"this file is imported for brand {ctx.brand}, the row says {shown(frame.loc[i, 'brand'])}"
                ),
                "keep one file per brand (data/<brand>/costs.csv), or import it with --brand",
            )
    words = frame["category"].astype("string").str.strip().str.casefold()
    category = words.map(lambda w: CATEGORY_WORDS.get(w) if isinstance(w, str) else None)
    if category.isna().any():
        _refuse(
            frame,
            category.isna(),
            "category",
            ctx,
            match,
            lambda i: f"unknown category {shown(frame.loc[i, 'category'])}",
            "use one of "
            + ", ".join(COST_CATEGORIES)
            + " (or 廣告投放, 內容製作, 網紅, 人事, 工具, 活動, 其他)",
        )
    hours, rate = col(frame, "hours").astype("Float64"), col(frame, "rate").astype("Float64")
    amount = col(frame, "amount").astype("Float64").fillna(hours * rate)
    if amount.isna().any():
        _refuse(
            frame,
            amount.isna(),
            "category",
            ctx,
            match,
            lambda i: "a cost line without an amount (nor hours and a rate)",
            "fill in amount, or hours and rate for staff time",
        )
    where = platform(col(frame, "platform").astype("string").fillna(""))
    where = where.where(~where.isin(_ALL), pd.NA)
    currency = col(frame, "currency").astype("string").str.strip().str.upper()
    note = col(frame, "note").astype("string")
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "date": pd.to_datetime(days),
            "whole_month": whole,
            "platform": where,
            "category": category.astype("string"),
            "amount": amount,
            "currency": currency.where(currency != "", pd.NA),
            "hours": hours,
            "rate": rate,
            "note": note,
        }
    )
    out["cost_id"] = _cost_ids(frame, out)
    return {"costs": out}


def _cost_ids(frame: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """The file's ids, or one made from day, platform, category and note (and which of the
    same four it is), so an edited amount updates the same line on the next import."""
    given = col(frame, "cost_id").astype("string")
    key = (
        out["date"].dt.strftime("%Y-%m-%d").astype("string")
        + "|"
        + out["whole_month"].astype("string")
        + "|"
        + out["platform"].fillna("all")
        + "|"
        + out["category"]
        + "|"
        + out["note"].fillna("").str.strip()
    )
    nth = key.groupby(key).cumcount().astype("string")
    made = (key + "|" + nth).map(lambda k: "cost-" + hashlib.sha256(k.encode()).hexdigest()[:12])
    return given.fillna(made.astype("string"))


FINISH = {"canonical_costs": costs}
