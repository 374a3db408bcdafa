"""socialkpi's own CSV formats for data no platform exports: comments, content plan,
competitors. Headers are the canonical field names (zh-TW aliases accepted)."""

from __future__ import annotations

import hashlib

import pandas as pd

from socialkpi.ingest._shape import col, content_type

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
    from socialkpi.sentiment import get_scorer

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


def content_plan(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """The content plan from socialkpi's content-plan CSV."""
    out = pd.DataFrame(
        {
            "_row": frame["_row"],
            "planned_id": frame["planned_id"],
            "planned_for": frame["planned_for"],
            "platform": frame["platform"].str.strip().str.casefold(),
            "content_type": content_type(col(frame, "content_type"), ctx, "content_type")
            if "content_type" in frame
            else pd.NA,
            "topic": frame["topic"],
            "status": col(frame, "status")
            .astype("string")
            .str.strip()
            .str.casefold()
            .fillna("planned"),
        }
    )
    return {"content_plan": out}


def competitors(frame: pd.DataFrame, ctx, match) -> dict[str, pd.DataFrame]:
    """Competitors' public numbers from socialkpi's competitors CSV."""
    out = frame[["_row", "competitor", "date"]].copy()
    out["platform"] = frame["platform"].str.strip().str.casefold()
    for name in ("followers", "posts", "engagements"):
        out[name] = col(frame, name)
    return {"competitors": out}


FINISH = {
    "canonical_comments": comments,
    "canonical_content_plan": content_plan,
    "canonical_competitors": competitors,
}
