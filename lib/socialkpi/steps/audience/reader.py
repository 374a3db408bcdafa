"""What the audience step reads from the store: follower growth and churn, demographics with
change since the previous snapshot, when the audience is active vs when the brand posts,
platform mix and personas."""

from __future__ import annotations

import functools

import pandas as pd

from socialkpi import store
from socialkpi.metrics import content
from socialkpi.metrics.periods import parse_period

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# exports that give only the net daily change in followers (the importers split it into gains
# when positive and losses when negative): gained and lost followers are not reported there
NET_ONLY = ("youtube", "tiktok", "linkedin")


def growth(con, brand: str, month: str, months: int = 13) -> pd.DataFrame:
    """Per platform and month: followers at month end, gains, losses, churn (losses ÷ start)."""
    p = parse_period(month)
    first = p.shift(-(months - 1))
    daily = store.read(con, "account_daily", brand=brand, start=first.start, end=p.end)
    if daily.empty:
        return pd.DataFrame()
    daily["period"] = daily["date"].dt.strftime("%Y-%m")
    grouped = daily.sort_values("date").groupby(["platform", "period"])
    rows = pd.DataFrame(
        {
            "followers": grouped["followers"].last(),
            # a platform whose export has no gains or losses reports none: unknown, never 0
            "gains": grouped["follower_gains"].sum(min_count=1),
            "losses": grouped["follower_losses"].sum(min_count=1),
        }
    ).reset_index()
    rows["followers"] = rows["followers"].astype("Float64")
    start = rows.groupby("platform")["followers"].shift(1)
    rows["churn"] = (rows["losses"].astype("Float64") / start).where(start > 0)
    return rows


def latest_growth(growth_: pd.DataFrame, month: str) -> pd.DataFrame:
    """Per platform, the month's followers, the change since the month before, gains, losses
    and churn (from :func:`growth`). Gains, losses and churn of a platform that reports only
    the net change (:data:`NET_ONLY`) are unknown, not the split the importer stored.
    ``reported`` lists the columns the platform ever reported in the window."""
    if growth_.empty:
        return growth_
    rows = []
    for platform, g in growth_.groupby("platform"):
        g = g.set_index("period")
        if month not in g.index:
            continue
        now = g.loc[month]
        before = g["followers"].shift(1).loc[month]
        net_only = platform in NET_ONLY
        reported = [
            c
            for c in ("followers", "gains", "losses")
            if g[c].notna().any() and not (net_only and c != "followers")
        ]
        rows.append(
            {
                "platform": platform,
                "followers": now["followers"],
                "change": now["followers"] - before,
                "gains": pd.NA if net_only else now["gains"],
                "losses": pd.NA if net_only else now["losses"],
                "churn": pd.NA if net_only else now["churn"],
                "net_only": net_only,
                "reported": reported,
            }
        )
    return pd.DataFrame(rows)


def demographics(con, brand: str, dimension: str, platforms=None) -> pd.DataFrame:
    """The latest snapshot's shares for a dimension, with the change since the snapshot before."""
    aud = store.read(con, "audience", brand=brand)
    aud = aud[aud["dimension"] == dimension]
    if platforms:
        aud = aud[aud["platform"].isin(platforms)]
    if aud.empty:
        return pd.DataFrame()
    out = []
    for platform, group in aud.groupby("platform"):
        snaps = sorted(group["snapshot_date"].unique())
        latest = group[group["snapshot_date"] == snaps[-1]].set_index("segment")["share"]
        before = (
            group[group["snapshot_date"] == snaps[-2]].set_index("segment")["share"]
            if len(snaps) > 1
            else None
        )
        frame = latest.rename("share").reset_index()
        frame["platform"] = platform
        frame["change"] = (
            (latest - before).reindex(frame["segment"]).to_numpy() if before is not None else pd.NA
        )
        out.append(frame)
    return pd.concat(out, ignore_index=True).sort_values(
        ["platform", "share"], ascending=[True, False]
    )


def activity_vs_posting(con, brand: str, month: str, timezone: str | None = None) -> pd.DataFrame:
    """Weekday x hour: the audience's activity share (when reported) and the brand's share of
    posts, so the two can be compared."""
    timezone = timezone or store.brand_timezone(con, brand)
    every = content.with_post_kpis(
        store.read(con, "posts", brand=brand, latest=True), None, timezone
    )
    posts = every.dropna(subset=["hour"])  # a post dated without a time has no hour
    grid = pd.MultiIndex.from_product([WEEKDAYS, range(24)], names=["weekday", "hour"]).to_frame(
        index=False
    )
    counts = posts.groupby(["weekday", "hour"]).size().rename("posts").reset_index()
    counts["hour"] = counts["hour"].astype(int)
    out = grid.merge(counts, on=["weekday", "hour"], how="left").fillna({"posts": 0})
    out["posting_share"] = out["posts"] / out["posts"].sum() if out["posts"].sum() else 0.0
    aud = store.read(con, "audience", brand=brand)
    hours = aud[aud["dimension"] == "hour_active"]
    if len(hours):
        latest = hours[hours["snapshot_date"] == hours["snapshot_date"].max()]
        by_hour = latest.groupby(latest["segment"].astype(int))["share"].mean()
        out["active_share"] = out["hour"].map(by_hour / 7)
    return out


def untimed(con, brand: str, timezone: str | None = None) -> dict[str, int]:
    """Posts per platform left out of :func:`activity_vs_posting` because their export gives
    no publish time (for the page to say so)."""
    timezone = timezone or store.brand_timezone(con, brand)
    posts = store.read(con, "posts", brand=brand, latest=True)
    return content.untimed(content.with_post_kpis(posts, None, timezone))


def platform_mix(con, brand: str, month: str) -> pd.DataFrame:
    """Followers per platform at the month's end and each platform's share of the totals
    known. A platform whose export gives no follower total has none (NA); with fewer than two
    totals known there are no shares at all (a LinkedIn-first brand whose only total is
    Facebook's is not "100% Facebook"), and the page names what the shares leave out."""
    g = growth(con, brand, month, months=1)
    if g.empty:
        return g
    mix = g.groupby("platform")["followers"].last().astype("Float64")
    known = mix.notna().sum()
    share = mix / mix.sum() if known >= 2 else pd.Series(pd.NA, index=mix.index, dtype="Float64")
    return pd.DataFrame(
        {"platform": mix.index, "followers": mix.to_numpy(), "share": share.to_numpy()}
    )


def _top(latest: pd.DataFrame, dimension: str) -> str | None:
    d = latest[latest["dimension"] == dimension].sort_values("share", ascending=False)
    return None if d.empty else str(d["segment"].iloc[0])


def profiles(con, brand: str) -> pd.DataFrame:
    """Per platform, the largest segment of each audience dimension in its latest snapshot
    (gender, age, place, seniority, job function, active hour): ids and values, no words."""
    aud = store.read(con, "audience", brand=brand)
    rows = []
    for platform, group in aud.groupby("platform"):
        latest = group[group["snapshot_date"] == group["snapshot_date"].max()]
        top = functools.partial(_top, latest)
        age_gender = top("age_gender")
        city, country = top("city"), top("country")
        rows.append(
            {
                "platform": platform,
                "gender": top("gender") or (age_gender.split("|")[1] if age_gender else None),
                "age": age_gender.split("|")[0] if age_gender else top("age"),
                "seniority": top("seniority"),
                "job": top("job_function"),
                "city": city,
                "country": None if city else country,
                "hour": int(top("hour_active")) if top("hour_active") is not None else None,
            }
        )
    return pd.DataFrame(rows)
