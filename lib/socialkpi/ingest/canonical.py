"""socialkpi's own CSV formats for data no platform exports: comments, content plan,
competitors' snapshots and their posts. Headers are the canonical field names (zh-TW aliases
accepted)."""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from socialkpi import files
from socialkpi.ingest._errors import ExportError, cell, shown
from socialkpi.ingest._shape import col, content_type, local_to_utc, platform

_TRUE = {"true", "1", "yes", "y", "是", "brand"}


def author_hash(brand: str, author: pd.Series) -> pd.Series:
    """A stable pseudonym for a commenter: raw names are never stored."""
    return author.map(
        lambda a: (
            None if pd.isna(a) else hashlib.sha256(f"{brand}\x00{a}".encode()).hexdigest()[:16]
        )
    ).astype("string")


def comments(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Canonical comments from socialkpi's comments CSV, scored for sentiment and linked to replies."""
    hashed = col(frame, "author_hash").astype("string")
    if "author" in frame:
        hashed = hashed.fillna(author_hash(ctx.brand, frame["author"]))
    is_reply = col(frame, "is_brand_reply").astype("string").str.strip().str.casefold().isin(_TRUE)
    created = pd.to_datetime(frame["created_at"]).dt.tz_localize("UTC")
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "comment_id": frame["comment_id"],
            "post_id": col(frame, "post_id"),
            "created_at": created,
            "author_hash": hashed,
            "text": frame["text"],
            "is_brand_reply": is_reply.fillna(False),
            "parent_id": col(frame, "parent_id"),
        }
    )
    out["sentiment"], out["sentiment_label"] = _sentiment(frame, ctx)
    if "platform" in frame and frame["platform"].notna().any():
        out["platform"] = frame["platform"].str.strip().str.casefold()
    # a customer comment's replied_at is the brand's first reply to it in this file
    replies = out[out["is_brand_reply"] & out["parent_id"].notna()]
    first = replies.groupby("parent_id")["created_at"].min().to_dict()
    replied = pd.to_datetime(out["comment_id"].map(lambda c: first.get(c, pd.NaT)), utc=True)
    out["replied_at"] = replied.where(~out["is_brand_reply"])
    return {"comments": out}


_LABELS = {
    "positive": "positive",
    "pos": "positive",
    "正面": "positive",
    "正向": "positive",
    "neutral": "neutral",
    "neu": "neutral",
    "中性": "neutral",
    "中立": "neutral",
    "negative": "negative",
    "neg": "negative",
    "負面": "negative",
    "負向": "negative",
}


def _sentiment(frame: pd.DataFrame, ctx) -> tuple[pd.Series, pd.Series]:
    """Labels a listening tool already gave win; the rest are scored here."""
    from socialkpi.metrics.sentiment import get_scorer

    given = col(frame, "sentiment_label").astype("string").str.strip().str.casefold().map(_LABELS)
    unknown = col(frame, "sentiment_label").notna() & given.isna()
    if unknown.any():
        bad = sorted(set(frame.loc[unknown, "sentiment_label"].astype(str)))
        ctx.warn(f"unknown sentiment labels {bad} were replaced by socialkpi's own scores")
    score = col(frame, "sentiment").astype("Float64")
    todo = given.isna()
    if todo.any():
        scored = get_scorer(ctx.scorer).score(frame.loc[todo, "text"].fillna("").tolist())
        score = score.copy()
        given = given.astype("object")
        score.loc[todo] = [s for s, _ in scored]
        given.loc[todo] = [label for _, label in scored]
    return score.clip(-1, 1), given.astype("string")


_STATUS = {  # the words a team's spreadsheet uses
    "構想": "idea",
    "點子": "idea",
    "規劃中": "planned",
    "已規劃": "planned",
    "製作中": "in_progress",
    "進行中": "in_progress",
    "已排程": "scheduled",
    "排程": "scheduled",
    "已發布": "published",
    "已發佈": "published",
    "已上線": "published",
    "取消": "cancelled",
    "已取消": "cancelled",
}


def _planned_ids(frame: pd.DataFrame) -> pd.Series:
    """The file's ids, or for rows without one an id made from day, platform and topic (and
    which of the same three it is), so importing the edited sheet again updates the same items."""
    given = col(frame, "planned_id").astype("string")
    key = (
        frame["planned_for"].astype("string")
        + "|"
        + platform(frame["platform"])
        + "|"
        + frame["topic"].astype("string").str.strip()
    )
    nth = key.groupby(key).cumcount().astype("string")
    made = (key + "|" + nth).map(lambda k: "plan-" + hashlib.sha256(k.encode()).hexdigest()[:12])
    return given.fillna(made.astype("string"))


def content_plan(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """The content plan from socialkpi's content-plan CSV or a team's spreadsheet layout. A
    text cell socialkpi made inert for spreadsheets (``'=...``) reads as it was written."""
    frame = frame.copy()
    for name in ("topic", "note", "owner", "campaign"):
        if name in frame:
            frame[name] = frame[name].map(files.uninert, na_action="ignore")
    status = col(frame, "status").astype("string").str.strip()
    status = status.map(lambda s: _STATUS.get(s, s) if isinstance(s, str) else s)
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "planned_id": _planned_ids(frame),
            "planned_for": frame["planned_for"],
            "platform": platform(frame["platform"]),
            "content_type": content_type(col(frame, "content_type"), ctx, "content_type")
            if "content_type" in frame
            else pd.NA,
            "topic": frame["topic"],
            "status": status.astype("string").str.casefold().fillna("planned"),
            "owner": col(frame, "owner").astype("string"),
            "post_url": col(frame, "post_url").astype("string"),
            "planned_time": _clock(frame, ctx, match),
            "note": col(frame, "note").astype("string"),
        }
    )
    return {"content_plan": out}


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?")


def _clock(frame: pd.DataFrame, ctx, match) -> pd.Series:
    """Planned times of day as ``HH:MM`` (``9:30``, ``09:30`` and ``09:30:00`` are read)."""
    text = col(frame, "planned_time").astype("string").str.strip().replace("", pd.NA)
    parts = text.str.fullmatch(_CLOCK.pattern).fillna(True)
    found = text.str.extract(_CLOCK.pattern)
    hour, minute = found[0].astype("Int64"), found[1].astype("Int64")
    bad = ~parts | (hour > 23).fillna(False) | (minute > 59).fillna(False)
    if bad.any():
        _refuse(
            frame,
            bad,
            "planned_time",
            ctx,
            match,
            lambda i: (
                f"expected a time of day like 09:30, found {shown(frame.loc[i, 'planned_time'])}"
            ),
            "write the time as HH:MM (24-hour, the brand's time zone) or leave it empty",
        )
    return (hour.astype("string").str.zfill(2) + ":" + minute.astype("string").str.zfill(2)).astype(
        "string"
    )


def competitors(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Competitors' public numbers from socialkpi's competitors CSV."""
    out = frame[["_row", "competitor", "date"]].copy()
    out["platform"] = frame["platform"].str.strip().str.casefold()
    for name in ("followers", "posts", "engagements"):
        out[name] = col(frame, name)
    return {"competitors": out}


def competitor_posts(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Competitors' public posts, one row per post and capture, from socialkpi's CSV. A post
    cannot be captured before it was published: such rows are an error."""
    published = _stamps(frame, "published_at", ctx, match)
    captured = _stamps(frame, "captured_at", ctx, match)
    early = (captured < published).fillna(False)
    if early.any():
        _refuse(
            frame,
            early,
            "captured_at",
            ctx,
            match,
            lambda i: (
                "captured before the post was published "
                f"({shown(frame.loc[i, 'captured_at'])} < {shown(frame.loc[i, 'published_at'])})"
            ),
            "captured_at is when the counts were read: check both times (and their time zone)",
        )
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "competitor": frame["competitor"],
            "platform": frame["platform"].str.strip().str.casefold(),
            "post_url": frame["post_url"],
            "published_at": published,
            "captured_at": captured,
            "content_type": content_type(col(frame, "content_type"), ctx, "content_type")
            if "content_type" in frame
            else pd.NA,
        }
    )
    for name in ("reactions", "comments", "shares", "views"):
        out[name] = col(frame, name)
    return {"competitor_posts": out}


_STAMP = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


def _stamps(frame: pd.DataFrame, name: str, ctx, match) -> pd.Series:
    """``2026-10-03 12:30`` (the brand's time zone), ``2026/10/03``, or ISO 8601 with an
    offset (``2026-10-03T04:30:00Z``) -> UTC; anything else is an error naming the cells."""
    text = frame[name].astype("string").str.strip().str.replace("/", "-", regex=False)
    ok = text.str.fullmatch(_STAMP.pattern).fillna(False)
    offset = ok & text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).fillna(False)
    out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us, UTC]")
    if offset.any():  # a day or month that does not exist (2026-02-30, month 13) is NaT
        out[offset] = pd.to_datetime(text[offset], format="ISO8601", utc=True, errors="coerce")
    naive = ok & ~offset
    if naive.any():
        local = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
        out[naive] = local_to_utc(local, ctx.timezone)
    unread = ~ok | out.isna()
    if unread.any():
        _refuse(
            frame,
            unread,
            name,
            ctx,
            match,
            lambda i: (
                "expected a time like 2026-10-03 12:30 or 2026-10-03T04:30:00Z (a day that "
                f"exists), found {shown(frame.loc[i, name])}"
            ),
            "write times as YYYY-MM-DD HH:MM (the brand's time zone) or ISO 8601 with an offset",
        )
    return out


FINISH = {
    "canonical_comments": comments,
    "canonical_content_plan": content_plan,
    "canonical_competitors": competitors,
    "canonical_competitor_posts": competitor_posts,
}


def _refuse(frame: pd.DataFrame, bad: pd.Series, field: str, ctx, match, problem, fix: str):
    """Stop the import naming every ``bad`` row's cell in ``field``'s column, what is wrong
    there (``problem(index)``) and the fix."""
    header = match.headers[match.fields[field]]
    raise ExportError(
        ctx.path,
        [f"{cell(int(r), header)}: {problem(i)}" for i, r in frame.loc[bad, "_row"].items()],
        fix,
    )
