"""The content plan beside the posts: each plan item reconciled with the post that published
it, adherence counts, posts' content pillars, and the plan's file layout and item ids.

Pure functions on two frames:

- ``plan``: ``planned_id, planned_for`` (a local day), ``platform`` (may be empty: any
  platform), ``pillar`` (may be empty), ``status`` and, where the team keeps them, ``owner``
  and ``post_url``;
- ``posts``: ``post_id, platform, day`` (the local publish day), ``permalink`` and ``pillar``
  (may be empty).

The reconciliation rule, stated once here and on the page:

1. a cancelled item is never matched;
2. an item with a post link is matched to the post with that link;
3. any other item is matched to a post on its platform (any platform if it names none), of its
   pillar where both have one, published from :data:`EARLY` days before to :data:`LATE` days
   after the planned day; closest first, then the earlier planned day, then ids, so ties
   always resolve the same way; each item takes at most one post and each post one item;
4. a matched item is ``on_time`` when published on or before its day, else ``late`` (by
   ``days_late``); an unmatched one is ``missed``; a post no item took is ``unplanned``.

So the counts add up: planned = on time + late + missed + cancelled, and published = matched +
unplanned.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pandas as pd

from socialkpi.config import brands

EARLY = 2

LATE = 7

OUTCOMES = ("on_time", "late", "missed", "cancelled")


def _link(url: object) -> str | None:
    """A post link compared without scheme, ``www.``, query or trailing slash."""
    if not isinstance(url, str) or not url.strip():
        return None
    text = url.strip().split("?")[0].split("#")[0].rstrip("/").casefold()
    return text.split("://", 1)[-1].removeprefix("www.")


def reconcile(
    plan: pd.DataFrame, posts: pd.DataFrame, early: int = EARLY, late: int = LATE
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Match plan items to posts (see the module's rule). Returns ``plan`` with ``outcome``,
    ``post_id`` and ``days_late``, and ``posts`` with ``planned_id`` (NA: unplanned).

    >>> plan = pd.DataFrame({"planned_id": ["a", "b"], "planned_for": pd.to_datetime(["2026-10-05", "2026-10-09"]),
    ...     "platform": ["x", "x"], "pillar": [None, None], "status": ["planned", "planned"]})
    >>> posts = pd.DataFrame({"post_id": ["p"], "platform": ["x"], "day": pd.to_datetime(["2026-10-06"]),
    ...     "permalink": [None], "pillar": [None]})
    >>> items, _ = reconcile(plan, posts)
    >>> items[["planned_id", "outcome", "days_late"]].values.tolist()
    [['a', 'late', 1], ['b', 'missed', <NA>]]
    """
    items = plan.reset_index(drop=True).copy()
    out_posts = posts.reset_index(drop=True).copy()
    items["post_id"] = pd.Series(pd.NA, index=items.index, dtype="string")
    out_posts["planned_id"] = pd.Series(pd.NA, index=out_posts.index, dtype="string")
    cancelled = items["status"].astype("string").str.casefold().eq("cancelled").fillna(False)
    taken_items, taken_posts = set(), set()

    def take(i: int, j: int) -> None:
        taken_items.add(i)
        taken_posts.add(j)
        items.at[i, "post_id"] = out_posts.at[j, "post_id"]
        out_posts.at[j, "planned_id"] = items.at[i, "planned_id"]

    links = {}
    for j, url in out_posts.get("permalink", pd.Series(index=out_posts.index)).items():
        if _link(url) is not None:
            links.setdefault(_link(url), j)
    for i, url in items.get("post_url", pd.Series(index=items.index)).items():
        j = links.get(_link(url))
        if not cancelled[i] and j is not None and j not in taken_posts:
            take(i, j)
    open_items = [i for i in items.index if not cancelled[i] and i not in taken_items]
    open_posts = [j for j in out_posts.index if j not in taken_posts]
    for i, j in _pairs(items.loc[open_items], out_posts.loc[open_posts], early, late):
        if i not in taken_items and j not in taken_posts:
            take(i, j)
    days = pd.Series(pd.NA, index=items.index, dtype="Int64")
    for i in taken_items:
        j = out_posts.index[out_posts["post_id"] == items.at[i, "post_id"]][0]
        days[i] = (out_posts.at[j, "day"] - items.at[i, "planned_for"]).days
    items["days_late"] = days.where(days > 0, other=pd.NA).where(days.notna())
    items["days_late"] = items["days_late"].astype("Int64")
    items["outcome"] = [
        "cancelled" if cancelled[i]
        else "missed" if i not in taken_items
        else "late" if days[i] > 0
        else "on_time"
        for i in items.index
    ]  # fmt: skip
    return items, out_posts


def _pairs(items: pd.DataFrame, posts: pd.DataFrame, early: int, late: int) -> list[tuple]:
    """The ``(item, post)`` index pairs rule 3 allows, best first: the post on the item's
    platform (any, if it names none), of its pillar where both have one, within the days;
    closest, then the earlier planned day, then the ids."""
    if items.empty or posts.empty:
        return []
    left = pd.DataFrame(
        {
            "i": items.index,
            "planned_for": items["planned_for"].to_numpy(),
            "planned_id": items["planned_id"].astype(str).to_numpy(),
            "want_platform": [
                v if isinstance(v, str) else None for v in _column(items, "platform")
            ],
            "want_pillar": _folded(_column(items, "pillar")),
        }
    )
    right = pd.DataFrame(
        {
            "j": posts.index,
            "day": posts["day"].to_numpy(),
            "post_id": posts["post_id"].astype(str).to_numpy(),
            "platform": _column(posts, "platform").to_numpy(),
            "pillar": _folded(_column(posts, "pillar")),
        }
    )
    both = left.merge(right, how="cross")
    gap = (both["day"] - both["planned_for"]).dt.days
    platform_ok = both["want_platform"].isna() | (both["want_platform"] == both["platform"])
    pillar_ok = both["want_pillar"].isna() | both["pillar"].isna()
    pillar_ok |= both["want_pillar"] == both["pillar"]
    fits = both[(platform_ok & pillar_ok & gap.between(-early, late)).fillna(False)]
    order = ["gap", "planned_for", "planned_id", "post_id", "i", "j"]
    fits = fits.assign(gap=gap[fits.index].abs()).sort_values(order, kind="mergesort")
    return list(zip(fits["i"].tolist(), fits["j"].tolist(), strict=True))


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)


def _folded(values: pd.Series) -> list[str | None]:
    """Pillars compared without case; anything not text (empty) as None."""
    return [v.casefold() if isinstance(v, str) else None for v in values]


def counts(items: pd.DataFrame, posts: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """planned, on_time, late, missed, cancelled, published, matched, unplanned and the
    adherence rate (on time ÷ planned items not cancelled), overall or per ``by`` (a column
    both frames share, e.g. ``platform``; plan items without one count under "")."""

    def one(i: pd.DataFrame, p: pd.DataFrame) -> dict:
        row = {o: int((i["outcome"] == o).sum()) for o in OUTCOMES}
        row["planned"] = len(i)
        row["published"] = len(p)
        row["matched"] = int(p["planned_id"].notna().sum())
        row["unplanned"] = row["published"] - row["matched"]
        due = row["planned"] - row["cancelled"]
        row["adherence"] = row["on_time"] / due if due else float("nan")
        return row

    if by is None:
        return pd.DataFrame([one(items, posts)])
    keys = sorted(set(items[by].fillna("")) | set(posts[by].fillna("")))
    rows = [
        {by: k, **one(items[items[by].fillna("") == k], posts[posts[by].fillna("") == k])}
        for k in keys
    ]
    return pd.DataFrame(rows)


def _tags(caption: object) -> tuple[set[str], str]:
    text = " ".join(unicodedata.normalize("NFKC", str(caption)).casefold().split())
    return set(re.findall(r"#(\w+)", text)), text


def assign_pillars(
    captions: pd.Series, pillars: dict[str, dict], labels: pd.Series | None = None
) -> pd.Series:
    """Each post's content pillar (``brands.pillars``): the pillar its Meta custom label names
    (by id, name or alias: the team said so), else the first pillar, in the order
    ``brands.yaml`` lists them, whose hashtag the caption carries, else the first whose keyword
    it contains; NA where none does.

    >>> pillars = {"tips": {"name": "Tips", "aliases": [], "hashtags": ["teatips"], "keywords": []},
    ...            "promo": {"name": "Promo", "aliases": [], "hashtags": ["sale"], "keywords": ["折扣"]}}
    >>> assign_pillars(pd.Series(["#Sale today #TeaTips", "週末折扣", "hello", None]), pillars).tolist()
    ['tips', 'promo', <NA>, <NA>]
    >>> assign_pillars(pd.Series(["#TeaTips"]), pillars, pd.Series(["Promo, Q4"])).tolist()
    ['promo']
    """
    labelled = _labelled(labels, pillars, captions.index)
    out = []
    for i, caption in captions.items():
        if isinstance(labelled[i], str):
            out.append(labelled[i])
            continue
        if caption is None or (not isinstance(caption, str) and pd.isna(caption)):
            out.append(pd.NA)
            continue
        tags, text = _tags(caption)
        by_tag = next((p for p, e in pillars.items() if tags & set(e["hashtags"])), None)
        by_word = next(
            (p for p, e in pillars.items() if any(w in text for w in e["keywords"])), None
        )
        out.append(by_tag or by_word or pd.NA)
    return pd.Series(out, index=captions.index, dtype="string")


def _labelled(labels: pd.Series | None, pillars: dict[str, dict], index) -> pd.Series:
    """The first pillar each post's custom labels (comma-separated) name, else NA."""
    out = pd.Series(pd.NA, index=index, dtype="object")
    if labels is None:
        return out
    for i, text in labels.items():
        if isinstance(text, str) and text.strip():
            named = brands.match_names([w.strip() for w in re.split(r"[,，、;]", text)], pillars)
            out[i] = next((p for p in named if isinstance(p, str)), pd.NA)
    return out


PLAN_LAYOUT = (
    "id",
    "date",
    "time",
    "platform",
    "pillar",
    "format",
    "status",
    "owner",
    "post_link",
    "note",
)


def plan_id(brand: str, *key) -> str:
    """A plan item's id in the files socialkpi writes, made from the plan's own keys (day,
    platform, pillar id, test and variant), never from words in one language: the en and
    zh-TW files of one draft import as the same items.

    >>> a = plan_id("lumi", "draft", "2026-11-03", "instagram", "tips", 0)
    >>> a.startswith("draft-"), a == plan_id("lumi", "draft", "2026-11-03", "instagram", "tips", 0)
    (True, True)
    >>> a == plan_id("lumi", "draft", "2026-11-03", "instagram", "tips", 1)
    False
    """
    digest = hashlib.sha256("|".join([brand, *map(str, key)]).encode()).hexdigest()[:12]
    return f"{key[0]}-{digest}"
