"""SOP step 競品參考: the brand and its competitors for a month, read from the store and put
through ``competitors``' rules. One :class:`Benchmark` serves the page, the dashboard and
``socialkpi competitors``."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from socialkpi import store
from socialkpi.metrics.periods import parse_period
from socialkpi.steps.competitors import analysis as competitors
from socialkpi.store.cache import cached

MONTHS = 13  # the share-of-voice chart's length


@dataclass(frozen=True)
class Benchmark:
    """A month's competitor benchmark; frames keep ids (accounts are the brand id and the
    competitor ids of ``brands.yaml``)."""

    brand: str
    month: str
    platforms: list[str]
    table: pd.DataFrame  # competitors.benchmark: one row per account and platform (+ "all")
    landscape: pd.DataFrame  # competitors.landscape
    history: pd.DataFrame  # per month and account over ``platforms``: followers, posts per
    # week, share of posts and of engagement (competitors.share_of_voice)
    posts: pd.DataFrame  # the month's compared posts with followers, baseline and breakout
    mix: pd.DataFrame  # competitors.format_mix of the month's posts
    compared: pd.DataFrame  # competitors.compare
    left_out: dict[str, int] = field(default_factory=dict)  # young, hidden
    min_age_days: int = competitors.MIN_AGE_DAYS

    @property
    def empty(self) -> bool:
        """No competitor has numbers for the month."""
        return self.table.empty or self.table["is_brand"].all()


@cached(8)
def benchmark(
    con,
    brand: str,
    month: str,
    platforms: list[str] | None = None,
    min_age_days: int = competitors.MIN_AGE_DAYS,
    seed: int = 0,
) -> Benchmark:
    """The benchmark of ``brand`` against its competitors for ``month`` (YYYY-MM), on the
    platforms where competitors are watched (narrowed to ``platforms`` if given)."""
    tz = store.brand_timezone(con, brand)
    period = parse_period(month)
    first = period.shift(-MONTHS)  # one month more than the chart: growth needs the month before
    start, end = first.start, period.end
    snaps, posts = _inputs(con, brand, start, end, tz, platforms)
    listed = store.competitors(con, brand)
    if listed:  # rows imported before brands.yaml listed competitors name no one on the list
        snaps = snaps[snaps["account"].isin([brand, *listed])]
        posts = posts[posts["account"].isin([brand, *listed])]
    watched = sorted(
        set(snaps.loc[snaps["account"] != brand, "platform"])
        | set(posts.loc[posts["account"] != brand, "platform"])
    )
    snaps = snaps[snaps["platform"].isin(watched)]
    posts = posts[posts["platform"].isin(watched)]
    months = competitors.monthly(snaps, posts, brand, tz)
    window = {parse_period(month).shift(-k).label for k in range(MONTHS)}
    history = _history(months[months["month"].isin(window)])
    local = pd.to_datetime(posts["published_at"], utc=True).dt.tz_convert(tz)
    in_month = (local.dt.strftime("%Y-%m") == month).to_numpy()
    kept, _ = competitors.eligible(posts, brand, min_age_days)
    kept = competitors.breakouts(competitors.followers_at(snaps, kept))
    kept_local = pd.to_datetime(kept["published_at"], utc=True).dt.tz_convert(tz)
    kept = kept[(kept_local.dt.strftime("%Y-%m") == month).to_numpy()].reset_index(drop=True)
    _, left_out = competitors.eligible(posts[in_month], brand, min_age_days)
    table = competitors.benchmark(months, kept, month, period.days, seed)
    return Benchmark(
        brand,
        month,
        watched,
        table,
        competitors.landscape(table),
        history,
        kept,
        competitors.format_mix(posts[in_month]),
        competitors.compare(table),
        left_out,
        min_age_days,
    )


def _history(months: pd.DataFrame) -> pd.DataFrame:
    """Per month and account, all watched platforms together: followers (where every
    platform has them), posts per week and the shares of posts and engagements."""
    per = months.groupby(["month", "account"], sort=True).agg(
        followers=("followers", lambda v: v.sum() if v.notna().all() else float("nan")),
        posts=("posts", lambda v: v.sum(min_count=1)),
    )
    days = pd.PeriodIndex(per.index.get_level_values("month"), freq="M").days_in_month
    per["posts_per_week"] = per["posts"] / (days.to_numpy() / 7)
    shares = competitors.share_of_voice(months).set_index(["month", "account"])
    return per.join(shares).reset_index()


def _inputs(con, brand, start, end, tz, platforms):
    """The snapshots and posts frames ``competitors`` reads, the brand's own among them."""
    where = "brand = ? AND date >= ? AND date < ?"
    snaps = (
        con.sql(
            f"""SELECT competitor AS account, platform, date, followers, posts, engagements
            FROM competitors WHERE {where}
            UNION ALL
            SELECT brand, platform, date, followers, NULL, NULL
            FROM account_daily WHERE {where} AND followers IS NOT NULL""",
            params=[brand, start, end] * 2,
        )
        .to_arrow_table()
        .to_pandas()
    )
    rivals = (
        con.sql(
            """SELECT competitor AS account, platform, post_url, published_at, captured_at,
                  content_type, reactions, comments, shares, views
           FROM competitor_posts WHERE brand = ? AND published_at < ?
           QUALIFY row_number() OVER (PARTITION BY competitor, platform, post_url
                                      ORDER BY captured_at DESC) = 1""",
            params=[brand, pd.Timestamp(end, tz=tz).tz_convert("UTC").to_pydatetime()],
        )
        .to_arrow_table()
        .to_pandas()
    )
    own = store.read(con, "posts", brand=brand, end=pd.Timestamp(end, tz=tz), latest=True)
    # the brand's counts are as of the end of its export day
    captured = (
        pd.to_datetime(own["snapshot_date"]).dt.tz_localize(tz) + pd.Timedelta(days=1)
    ).dt.tz_convert("UTC")
    own = pd.DataFrame(
        {
            "account": brand,
            "platform": own["platform"],
            "post_url": own["post_id"],
            "published_at": own["published_at"],
            "captured_at": captured,
            "content_type": own["content_type"],
            **{c: own[c] for c in ("reactions", "comments", "shares", "views")},
        }
    )
    posts = pd.concat([rivals, own], ignore_index=True)
    for name in ("published_at", "captured_at"):
        posts[name] = pd.to_datetime(posts[name], utc=True)
    for name in ("reactions", "comments", "shares", "views"):
        posts[name] = pd.to_numeric(posts[name]).astype("float64")
    snaps["date"] = pd.to_datetime(snaps["date"])
    for name in ("followers", "posts", "engagements"):
        snaps[name] = pd.to_numeric(snaps[name]).astype("float64")
    if platforms:
        snaps = snaps[snaps["platform"].isin(platforms)]
        posts = posts[posts["platform"].isin(platforms)]
    return snaps.reset_index(drop=True), posts.reset_index(drop=True)
