"""Audience analysis: follower growth and churn, demographics with change since the previous
snapshot, when the audience is active vs when the brand posts, platform mix, personas."""

from __future__ import annotations

import functools

import pandas as pd

from socialkpi import content, store
from socialkpi.i18n import word
from socialkpi.periods import parse_period

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def growth(con, brand: str, month: str, months: int = 13) -> pd.DataFrame:
    """Per platform and month: followers at month end, gains, losses, churn (losses ÷ start)."""
    p = parse_period(month)
    first = p.shift(-(months - 1))
    daily = store.read(con, "account_daily", brand=brand, start=first.start, end=p.end)
    if daily.empty:
        return pd.DataFrame()
    daily["period"] = daily["date"].dt.strftime("%Y-%m")
    rows = (
        daily.sort_values("date")
        .groupby(["platform", "period"])
        .agg(
            followers=("followers", "last"),
            gains=("follower_gains", "sum"),
            losses=("follower_losses", "sum"),
        )
    )
    rows = rows.reset_index()
    rows["followers"] = rows["followers"].astype("Float64")
    start = rows.groupby("platform")["followers"].shift(1)
    rows["churn"] = (rows["losses"].astype("Float64") / start).where(start > 0)
    return rows


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
    timezone = timezone or store.brand_timezones(con).get(brand, "Asia/Taipei")
    posts = content.with_post_kpis(
        store.read(con, "posts", brand=brand, latest=True), None, timezone
    ).dropna(subset=["hour"])
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


def platform_mix(con, brand: str, month: str) -> pd.DataFrame:
    """Followers per platform at the month's end and their share."""
    g = growth(con, brand, month, months=1)
    if g.empty:
        return g
    mix = g.groupby("platform")["followers"].last().dropna()
    return pd.DataFrame(
        {"platform": mix.index, "followers": mix.to_numpy(), "share": (mix / mix.sum()).to_numpy()}
    )


def _top(latest: pd.DataFrame, dimension: str) -> str | None:
    d = latest[latest["dimension"] == dimension].sort_values("share", ascending=False)
    return None if d.empty else str(d["segment"].iloc[0])


def personas(con, brand: str, lang: str = "en") -> list[str]:
    """One sentence per platform from its latest demographics and active hours."""
    aud = store.read(con, "audience", brand=brand)
    out = []
    for platform, group in aud.groupby("platform"):
        latest = group[group["snapshot_date"] == group["snapshot_date"].max()]
        top = functools.partial(_top, latest)
        age_gender = top("age_gender")
        gender = top("gender") or (age_gender.split("|")[1] if age_gender else None)
        age = age_gender.split("|")[0] if age_gender else top("age")
        seniority, job = top("seniority"), top("job_function")
        place = top("city") or top("country")
        hour = top("hour_active")
        if not any((gender, age, place, seniority)):
            continue
        zh = lang == "zh-TW"
        parts = []
        if gender:
            parts.append(f"以{word(gender, lang)}為主" if zh else f"mostly {gender}")
        if age:
            parts.append(f"年齡 {age}" if zh else f"aged {age}")
        if seniority:
            parts.append(f"職級多為 {seniority}" if zh else f"mostly {seniority} level")
        if job:
            parts.append(f"職務以 {job} 居多" if zh else f"often in {job}")
        if place:
            parts.append(f"多在 {place}" if zh else f"in {place}")
        if hour:
            parts.append(
                f"最活躍時段約 {int(hour)} 點" if zh else f"most active around {int(hour)}:00"
            )
        out.append(
            f"{platform}：" + "，".join(parts) + "。"
            if zh
            else f"{platform}: " + ", ".join(parts) + "."
        )
    return out
