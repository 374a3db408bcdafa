"""The competitor benchmark (SOP step 競品參考): the brand beside the competitors it watches,
on the platforms where it watches them, with a sense of how much a difference could be noise.

Pure functions on two frames, built from the store by ``reader.benchmark``:

- ``snapshots``: ``account, platform, date, followers, posts, engagements``: followers on
  ``date``; posts and public engagements since the previous snapshot (a competitor snapshot
  CSV, LinkedIn's competitor workbook, the brand's own daily followers);
- ``posts``: ``account, platform, post_url, published_at, captured_at, content_type,
  reactions, comments, shares, views``: one row per post as the public saw it at
  ``captured_at`` (a competitor posts CSV, the brand's own latest export).

The rules, each in one place here:

- Engagements are what anyone can count: reactions + comments + shares, on each platform only
  the comment and share counts the competitors' posts show (Instagram shows no share count,
  so the brand's own shares are left out there too). A post whose like count is hidden has
  no engagements.
- Per-post figures use posts at least ``min_age_days`` old when counted, because public counts
  keep growing; :func:`eligible` says how many were left out and why.
- A month's posts and engagements come from the account's snapshots where it has some, else
  from its recorded posts (all of them, as counted).
- The median's interval is a seeded percentile bootstrap; a difference is named only when two
  intervals do not overlap (:func:`compare`).
- A breakout is a post with at least :data:`BREAKOUT_FACTOR` times the median engagements of
  the same account's previous :data:`BREAKOUT_WINDOW` posts on that platform (at least
  :data:`BREAKOUT_HISTORY` of them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialkpi.metrics.evidence import median_interval

PARTS = ("reactions", "comments", "shares")
MIN_AGE_DAYS = 7
BREAKOUT_FACTOR = 3.0
BREAKOUT_WINDOW = 10
BREAKOUT_HISTORY = 5
KEY = ["account", "platform"]


def public_parts(posts: pd.DataFrame, brand: str) -> dict[str, list[str]]:
    """Per platform, the engagement parts to count: reactions, and comments and shares where
    the competitors' recorded posts show them (all three where no competitor post is recorded).

    >>> p = pd.DataFrame({"account": ["b", "r"], "platform": ["instagram"] * 2,
    ...                   "reactions": [5, 9], "comments": [1, 2], "shares": [3, None]})
    >>> public_parts(p, "b")
    {'instagram': ['reactions', 'comments']}
    """
    out = {}
    for platform, group in posts.groupby("platform", sort=True):
        rivals = group[group["account"] != brand]
        shown = [p for p in PARTS[1:] if p in rivals and rivals[p].notna().any()]
        out[platform] = ["reactions", *shown] if len(rivals) else list(PARTS)
    return out


def engagements(posts: pd.DataFrame, brand: str) -> pd.Series:
    """Each post's public engagements (see the module's rules); NA where the likes are hidden.

    >>> p = pd.DataFrame({"account": ["b", "r", "r"], "platform": ["instagram"] * 3,
    ...                   "reactions": [5, 9, None], "comments": [1, 2, 4], "shares": [3, None, None]})
    >>> engagements(p, "b").tolist()
    [6.0, 11.0, nan]
    """
    parts = public_parts(posts, brand)
    out = pd.Series(np.nan, index=posts.index, dtype="float64")
    for platform, used in parts.items():
        rows = posts["platform"] == platform
        values = posts.loc[rows, list(used)].astype("float64")
        total = values.drop(columns="reactions", errors="ignore").fillna(0).sum(axis=1)
        if "reactions" in used:
            total = total + values["reactions"]  # hidden likes: no total
        out[rows] = total
    return out


def eligible(
    posts: pd.DataFrame, brand: str, min_age_days: int = MIN_AGE_DAYS
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The posts per-post figures may use, with ``engagements`` added, and how many were
    left out: ``young`` (counted less than ``min_age_days`` after publishing) and ``hidden``
    (like count hidden).

    >>> p = pd.DataFrame({"account": ["r"] * 3, "platform": ["x"] * 3, "reactions": [1, None, 3],
    ...     "comments": [0, 0, 0], "shares": [0, 0, 0],
    ...     "published_at": pd.to_datetime(["2026-10-01", "2026-10-01", "2026-10-28"]),
    ...     "captured_at": pd.to_datetime(["2026-11-01"] * 3)})
    >>> kept, left = eligible(p, "b")
    >>> len(kept), left
    (1, {'young': 1, 'hidden': 1})
    """
    with_eng = posts.assign(engagements=engagements(posts, brand))
    age = with_eng["captured_at"] - with_eng["published_at"]
    young = (age < pd.Timedelta(days=min_age_days)).to_numpy()
    hidden = with_eng["engagements"].isna().to_numpy() & ~young
    kept = with_eng[~young & ~hidden].reset_index(drop=True)
    return kept, {"young": int(young.sum()), "hidden": int(hidden.sum())}


def followers_at(snapshots: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """Each post's account followers on its publish day, interpolated linearly between the
    account's snapshots on that platform; ``followers_how`` says ``exact``, ``interpolated``
    or ``nearest`` (before the first or after the last snapshot), or NA without snapshots.

    >>> s = pd.DataFrame({"account": ["r", "r"], "platform": ["x", "x"],
    ...     "date": pd.to_datetime(["2026-10-01", "2026-10-11"]), "followers": [100, 200]})
    >>> p = pd.DataFrame({"account": ["r"] * 3, "platform": ["x"] * 3,
    ...     "published_at": pd.to_datetime(["2026-10-06", "2026-10-11", "2026-10-20"])})
    >>> out = followers_at(s, p)
    >>> out["followers"].tolist(), out["followers_how"].tolist()
    ([150.0, 200.0, 200.0], ['interpolated', 'exact', 'nearest'])
    """
    out = posts.copy()
    out["followers"] = np.nan
    out["followers_how"] = pd.Series(pd.NA, index=out.index, dtype="string")
    known = snapshots.dropna(subset=["followers"])
    day = _naive_day(out["published_at"])
    for (account, platform), rows in out.groupby(KEY, sort=False).groups.items():
        snap = known[(known["account"] == account) & (known["platform"] == platform)]
        if snap.empty:
            continue
        snap = snap.groupby(_naive_day(snap["date"]))["followers"].last().sort_index()
        x = snap.index.to_numpy(dtype="datetime64[ns]").astype("int64")
        at = day[rows].to_numpy(dtype="datetime64[ns]").astype("int64")
        out.loc[rows, "followers"] = np.interp(at, x, snap.to_numpy(dtype="float64"))
        how = np.where(np.isin(at, x), "exact", "interpolated")
        how = np.where((at < x[0]) | (at > x[-1]), "nearest", how)
        out.loc[rows, "followers_how"] = how
    return out


def _naive_day(stamps: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(stamps)
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_localize(None)
    return stamps.dt.normalize()


def monthly(
    snapshots: pd.DataFrame, posts: pd.DataFrame, brand: str, timezone: str = "UTC"
) -> pd.DataFrame:
    """Per account, platform and month: followers at the month's last snapshot, posts and
    engagements (``source``: ``snapshots`` or ``posts``, see the module's rules).

    Posts are placed in months by ``timezone``; snapshot dates are already local days.
    """
    snap = snapshots.assign(month=pd.to_datetime(snapshots["date"]).dt.strftime("%Y-%m"))
    snap = snap.sort_values("date")
    followers = snap.dropna(subset=["followers"]).groupby([*KEY, "month"])["followers"].last()
    counted = snap.groupby([*KEY, "month"])[["posts", "engagements"]].sum(min_count=1)
    local = pd.to_datetime(posts["published_at"], utc=True).dt.tz_convert(timezone)
    recorded = (
        posts.assign(month=local.dt.strftime("%Y-%m"), engagements=engagements(posts, brand))
        .groupby([*KEY, "month"])
        .agg(posts=("post_url", "size"), engagements=("engagements", lambda v: v.sum(min_count=1)))
    )
    out = pd.concat(
        [followers, counted.add_prefix("snap_"), recorded.add_prefix("rec_")], axis=1
    ).reset_index()
    from_snap = out["snap_posts"].notna()
    out["posts"] = out["snap_posts"].where(from_snap, out["rec_posts"])
    out["engagements"] = out["snap_engagements"].where(from_snap, out["rec_engagements"])
    out["source"] = np.where(
        from_snap, "snapshots", np.where(out["rec_posts"].notna(), "posts", "")
    )
    out["is_brand"] = out["account"] == brand
    cols = [*KEY, "month", "is_brand", "followers", "posts", "engagements", "source"]
    return out[cols].sort_values([*KEY, "month"]).reset_index(drop=True)


def share_of_voice(months: pd.DataFrame) -> pd.DataFrame:
    """Per month and account, over the platforms given: share of posts and of engagements
    (each month's shares add up to 1 among the accounts with numbers that month).

    >>> m = pd.DataFrame({"account": ["b", "r", "r"], "platform": ["x", "x", "fb"],
    ...     "month": ["2026-10"] * 3, "posts": [2, 3, 5], "engagements": [10, 30, 60]})
    >>> share_of_voice(m)[["account", "share_of_posts", "share_of_engagement"]].values.tolist()
    [['b', 0.2, 0.1], ['r', 0.8, 0.9]]
    """
    per = months.groupby(["month", "account"], sort=True)[["posts", "engagements"]].sum(min_count=1)
    totals = per.groupby(level="month").transform("sum")
    out = pd.DataFrame(
        {
            "share_of_posts": per["posts"] / totals["posts"],
            "share_of_engagement": per["engagements"] / totals["engagements"],
        }
    )
    return out.reset_index()


def breakouts(
    posts: pd.DataFrame,
    factor: float = BREAKOUT_FACTOR,
    window: int = BREAKOUT_WINDOW,
    history: int = BREAKOUT_HISTORY,
) -> pd.DataFrame:
    """``posts`` (with ``engagements``) with ``baseline``: the median of the same account's
    previous ``window`` posts on that platform (NA with fewer than ``history``), and
    ``breakout``: engagements at least ``factor`` times the baseline.

    >>> p = pd.DataFrame({"account": ["r"] * 7, "platform": ["x"] * 7,
    ...     "published_at": pd.date_range("2026-10-01", periods=7),
    ...     "engagements": [10, 12, 8, 10, 11, 35, 29]})
    >>> out = breakouts(p)
    >>> out["baseline"].tolist()[5:], out["breakout"].tolist()[5:]
    ([10.0, 10.5], [True, False])
    """
    ordered = posts.sort_values([*KEY, "published_at"]).copy()
    ordered["baseline"] = ordered.groupby(KEY, sort=False)["engagements"].transform(
        lambda v: v.shift(1).rolling(window, min_periods=history).median()
    )
    ordered["breakout"] = (ordered["engagements"] >= factor * ordered["baseline"]).fillna(False)
    return ordered.sort_index()


def format_mix(posts: pd.DataFrame) -> pd.DataFrame:
    """Per account and platform, each content type's share of the posts (unknown types left
    out of the shares).

    >>> p = pd.DataFrame({"account": ["r"] * 4, "platform": ["x"] * 4,
    ...                   "content_type": ["image", "image", "video", None]})
    >>> format_mix(p).values.tolist()
    [['r', 'x', 'image', 2, 0.6666666666666666], ['r', 'x', 'video', 1, 0.3333333333333333]]
    """
    known = posts.dropna(subset=["content_type"])
    counts = known.groupby([*KEY, "content_type"]).size().rename("posts")
    share = counts / counts.groupby(level=KEY).transform("sum")
    return pd.concat([counts, share.rename("share")], axis=1).reset_index()


def benchmark(
    months: pd.DataFrame,
    kept: pd.DataFrame,
    month: str,
    days: int,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per account and platform, plus ``platform == "all"`` per account, for
    ``month`` (``days`` long): followers, follower growth (absolute and rate, against the
    previous month's last snapshot), posts per week, share of posts and of engagement, and,
    from ``kept`` (:func:`eligible` posts published in the month, with ``followers`` from
    :func:`followers_at`), engagements per post (median with interval, mean), engagement
    rate by followers (ratio of sums) and the share of those posts whose followers were
    interpolated. A figure an account lacks is NA."""
    previous = (pd.Period(month, "M") - 1).strftime("%Y-%m")
    now = months[months["month"] == month].set_index(KEY)
    before = months[months["month"] == previous].set_index(KEY)["followers"]
    rows = now[["is_brand", "followers", "posts", "engagements", "source"]].copy()
    rows["followers_before"] = before.reindex(rows.index)
    rows = rows.reset_index()
    per_platform = [rows]
    all_rows = (
        rows.groupby("account", sort=False)
        .agg(
            is_brand=("is_brand", "first"),
            followers=("followers", lambda v: v.sum() if v.notna().all() else np.nan),
            followers_before=(
                "followers_before",
                lambda v: v.sum() if v.notna().all() else np.nan,
            ),
            posts=("posts", lambda v: v.sum(min_count=1)),
            engagements=("engagements", lambda v: v.sum(min_count=1)),
            source=("source", lambda v: "+".join(sorted(set(v) - {""}))),
        )
        .reset_index()
        .assign(platform="all")
    )
    per_platform.append(all_rows)
    out = pd.concat(per_platform, ignore_index=True)
    out["follower_growth"] = out["followers"] - out["followers_before"]
    out["follower_growth_rate"] = out["follower_growth"] / out["followers_before"]
    out["posts_per_week"] = out["posts"] / (days / 7)
    totals = out.groupby("platform")[["posts", "engagements"]].transform("sum")
    out["share_of_posts"] = out["posts"] / totals["posts"]
    out["share_of_engagement"] = out["engagements"] / totals["engagements"]
    stats = _post_stats(kept, seed)
    out = out.merge(stats, on=KEY, how="left")
    out["posts_compared"] = out["posts_compared"].fillna(0).astype(int)
    return out.sort_values(["platform", "is_brand", "account"], ascending=[True, False, True])


def _post_stats(kept: pd.DataFrame, seed: int) -> pd.DataFrame:
    cols = [
        *KEY,
        "posts_compared",
        "median",
        "low",
        "high",
        "mean",
        "engagement_rate",
        "interpolated",
    ]
    if kept.empty:
        return pd.DataFrame(columns=cols)
    pooled = kept.assign(platform="all")
    rows = []
    for (account, platform), g in pd.concat([kept, pooled]).groupby(KEY, sort=True):
        median, low, high = median_interval(g["engagements"], seed)
        rated = g.dropna(subset=["followers"]) if "followers" in g else g.iloc[:0]
        rate = rated["engagements"].sum() / rated["followers"].sum() if len(rated) else np.nan
        interpolated = (rated["followers_how"] != "exact").mean() if len(rated) else np.nan
        rows.append(
            [
                account,
                platform,
                len(g),
                median,
                low,
                high,
                g["engagements"].mean(),
                rate,
                interpolated,
            ]
        )
    return pd.DataFrame(rows, columns=cols)


def landscape(bench: pd.DataFrame) -> pd.DataFrame:
    """Per platform, the competitors' average of every figure (the brand left out)."""
    numeric = [
        "followers",
        "follower_growth",
        "follower_growth_rate",
        "posts_per_week",
        "median",
        "mean",
        "engagement_rate",
        "share_of_posts",
        "share_of_engagement",
    ]
    rivals = bench[~bench["is_brand"]]
    return rivals.groupby("platform", sort=True)[numeric].mean().reset_index()


def compare(bench: pd.DataFrame) -> pd.DataFrame:
    """Where the brand's typical post (median engagements) leads or trails a competitor's on
    a platform, named only where the two intervals do not overlap: one row per such pair with
    ``direction`` ``leads`` or ``trails`` and both medians and intervals."""
    rows = []
    for platform, group in bench[bench["platform"] != "all"].groupby("platform", sort=True):
        own = group[group["is_brand"]]
        if own.empty or pd.isna(own["low"].iloc[0]):
            continue
        b = own.iloc[0]
        for r in group[~group["is_brand"]].itertuples():
            if pd.isna(r.low):
                continue
            direction = "leads" if b["low"] > r.high else "trails" if b["high"] < r.low else ""
            if direction:
                rows.append(
                    [platform, r.account, direction, b["median"], b["low"], b["high"],
                     r.median, r.low, r.high]
                )  # fmt: skip
    cols = ["platform", "competitor", "direction", "brand_median", "brand_low", "brand_high"]
    return pd.DataFrame(rows, columns=[*cols, "median", "low", "high"])
