"""Small shared steps that turn a typed export frame into canonical rows."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from socialkpi.store.schema import PLATFORMS

# the words people and file names use for a platform
PLATFORM_WORDS = {
    **{p: p for p in PLATFORMS},
    "fb": "facebook",
    "臉書": "facebook",
    "ig": "instagram",
    "yt": "youtube",
    "twitter": "x",
    "tweet": "x",
    "推特": "x",
    "抖音": "tiktok",
    "ga4": "web",
    "analytics": "web",
}


def platform(values: pd.Series) -> pd.Series:
    """Platform words (``FB``, ``臉書``, ``Twitter``) as platform ids; unknown words as written
    (the store's rules then name them).

    >>> platform(pd.Series(["FB", " 臉書", "Threads", "Myspace"])).tolist()
    ['facebook', 'facebook', 'threads', 'myspace']
    """
    words = values.astype("string").str.strip().str.casefold()
    return words.map(lambda w: PLATFORM_WORDS.get(w, w) if isinstance(w, str) else w).astype(
        "string"
    )


CONTENT_TYPES = {
    # Meta, TikTok, LinkedIn, legacy Insights, and the zh-TW UI
    "photos": "image",
    "photo": "image",
    "image": "image",
    "ig image": "image",
    "相片": "image",
    "圖片": "image",
    "videos": "video",
    "video": "video",
    "ig video": "video",
    "shared video": "video",
    "影片": "video",
    "reels": "reel",
    "reel": "reel",
    "ig reel": "reel",
    "連續短片": "reel",
    "links": "link",
    "link": "link",
    "article": "link",
    "連結": "link",
    "status": "text",
    "text": "text",
    "文字": "text",
    "狀態": "text",
    "poll": "text",
    "carousel": "carousel",
    "ig carousel": "carousel",
    "album": "carousel",
    "document": "carousel",
    "輪播": "carousel",
    "stories": "story",
    "story": "story",
    "ig story": "story",
    "限時動態": "story",
    "live": "live",
    "直播": "live",
    "event": "text",
    "offer": "link",
    "note": "text",
    # other UI languages, from real exports and importers (docs/sources/meta.md 1.2-1.5)
    "图片": "image",
    "视频": "video",
    "instagram画像": "image",
    "instagramカルーセル": "carousel",
    "igリール動画": "reel",
    "instagramストーリーズ": "story",
    "fotos": "image",
    "vídeos": "video",
    "reel do instagram": "reel",
    "carrossel do instagram": "carousel",
    "imagem do instagram": "image",
    "story do instagram": "story",
    "historia de instagram": "story",
    "ảnh": "image",
    "thước phim": "reel",
    "liên kết": "link",
}


def content_type(values: pd.Series, ctx, column: str) -> pd.Series:
    """Map the platform's post-type words to canonical content types; unknown -> NA + warning."""
    words = pd.Categorical(values)  # few distinct words, many rows: map the words once
    lookup = {w: CONTENT_TYPES.get(str(w).strip().casefold()) for w in words.categories}
    unknown = sorted(str(w) for w, kind in lookup.items() if kind is None)
    kinds = np.array([lookup[w] for w in words.categories] + [None], dtype=object)
    mapped = pd.Series(kinds[words.codes], index=values.index, dtype="string")  # code -1: NA
    if unknown:
        ctx.warn(
            f'column "{column}": unknown post types {unknown} stored without a content type '
            "(tell us, so the next release maps them)"
        )
    return mapped.astype("string")


def local_to_utc(stamps: pd.Series, timezone: str) -> pd.Series:
    """Wall-clock times in the brand's zone (as exports write them) -> UTC."""
    stamps = pd.to_datetime(stamps)
    return stamps.dt.tz_localize(
        timezone, ambiguous="NaT", nonexistent="shift_forward"
    ).dt.tz_convert("UTC")


def total(frame: pd.DataFrame, *columns: str) -> pd.Series:
    """Row sums of the columns present; NA where none of them has a value."""
    present = [c for c in columns if c in frame]
    if not present:
        return pd.Series(pd.NA, index=frame.index, dtype="Float64")
    values = frame[present].astype("Float64")
    return values.sum(axis=1, min_count=1)


def col(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column if the export had it, else all-NA."""
    return frame[name] if name in frame else pd.Series(pd.NA, index=frame.index, dtype="object")


def net_split(net: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A net daily change as (gains, losses) where only the net is known (YouTube, TikTok)."""
    net = pd.to_numeric(net).astype("Float64")
    return net.clip(lower=0), (-net).clip(lower=0)


def shares_from(values: pd.Series, unit: str | None, ctx, column: str) -> pd.Series:
    """Distribution values -> fractions. ``unit='auto'`` decides per column: the same header
    (``Gender,Distribution``) holds percents in Meta files and fractions in TikTok's."""
    values = pd.to_numeric(values).astype("float64")
    if unit == "auto":
        total_ = values.sum()
        unit = "percent" if total_ > 1.5 else "fraction"
        if unit == "percent":
            ctx.warn(f'column "{column}": values sum to {total_:.4g}, read as percentages')
    return values / 100 if unit == "percent" else values


def has_time(frame: pd.DataFrame, column: str) -> pd.Series:
    """Whether each row's ``column`` gave a time of day, not a date alone (from the typed
    frame's ``<column>__has_time``); a date alone says nothing of the hour a post went out."""
    from socialkpi.ingest._headers import HAS_TIME

    flag = frame.get(f"{column}{HAS_TIME}")
    return pd.Series(False, index=frame.index) if flag is None else flag.astype(bool)


# the hosts a platform's own links point to (permalinks, post links), for telling which
# platform a file is about when its headers do not say
_HOSTS = {
    "facebook": ("facebook.com", "fb.com", "fb.watch"),
    "instagram": ("instagram.com",),
    "tiktok": ("tiktok.com",),
    "youtube": ("youtube.com", "youtu.be"),
    "linkedin": ("linkedin.com",),
    "x": ("x.com", "twitter.com"),
    "threads": ("threads.net", "threads.com"),
}
_LINK = re.compile(r"https?://([\w.-]+)", re.I)


# the fields of a post export that hold the post's own link (its permalink)
LINK_FIELDS = ("permalink", "link")


def platform_of_links(rows: list[list[str]], column: int | None = None) -> str | None:
    """The platform a table's links point to, or None: a file's own evidence of where it
    comes from, whatever its headers are called. With ``column`` (the post's own link),
    only that column counts; else every cell does (captions may link anywhere), and one
    platform must have at least twice the links of any other.

    >>> platform_of_links([["1", "https://www.instagram.com/p/A1/"], ["2", "https://instagram.com/reel/B"]])
    'instagram'
    >>> platform_of_links([["see https://youtu.be/x", "https://facebook.com/1_2"]]) is None
    True
    >>> platform_of_links([["see https://youtu.be/x", "https://facebook.com/1_2"]], column=1)
    'facebook'
    """
    from collections import Counter

    cells = (
        (row[column] for row in rows[:200] if column < len(row))
        if column is not None
        else (cell for row in rows[:200] for cell in row)
    )
    firsts = (_LINK.search(str(cell)) for cell in cells)  # one per cell
    found = Counter(p for m in firsts if m and (p := _platform_of_host(m.group(1).lower())))
    ranked = found.most_common(2)
    if not ranked:
        return None
    if column is None and len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def _platform_of_host(host: str) -> str | None:
    for platform, names in _HOSTS.items():
        if any(host == n or host.endswith("." + n) for n in names):
            return platform
    return None
