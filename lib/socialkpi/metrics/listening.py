"""Crisis monitoring: spikes in comment volume and negative share, crisis episodes, and how
fast the brand answers.

Pure functions on a comments frame (the ``comments`` table's columns). A spike is the last
24 hours running above the same 24-hour window on each of the 7 days before, by ``k``
standard deviations (never less than Poisson/binomial noise).
Known campaign days (flagged in the content plan) are left out of the baseline and raise no
volume alert (they are busy by plan); a rise in negative share still alerts during them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from socialkpi.config.hours import BusinessHours
from socialkpi.metrics.periods import DEFAULT_TIMEZONE

WINDOW_H = 24
BASELINE_H = 7 * 24


@dataclass(frozen=True)
class SpikeRules:
    """When comment volume or negative share counts as a spike, and how episodes are cut."""

    k: float = 4.0  # standard deviations above the baseline (7 daily samples are a noisy reference)
    min_mentions: int = 20  # a 24-hour window needs at least this many comments to alert
    min_negative_share: float = 0.3  # and this negative share for a negative-share alert
    gap_h: int = 6  # alerts closer than this belong to one episode


def customer_comments(comments: pd.DataFrame) -> pd.DataFrame:
    """Comments by people other than the brand."""
    return comments[~comments["is_brand_reply"].fillna(False).astype(bool)]


def campaign_days(plan: pd.DataFrame) -> set[date]:
    """Days of planned campaigns (content plan rows flagged ``campaign``), in local dates."""
    if plan.empty or "campaign" not in plan:
        return set()
    flagged = plan[plan["campaign"].fillna(False).astype(bool)]
    return {d.date() for d in pd.to_datetime(flagged["planned_for"])}


def hourly(comments: pd.DataFrame) -> pd.DataFrame:
    """Customer comments and negative ones per UTC hour, every hour from first to last."""
    c = customer_comments(comments)
    if c.empty:
        return pd.DataFrame(columns=["mentions", "negative"], dtype="float64")
    hour = pd.to_datetime(c["created_at"], utc=True).dt.floor("h")
    negative = (c["sentiment_label"] == "negative").fillna(False).astype(int)
    frame = pd.DataFrame({"hour": hour, "mentions": 1, "negative": negative.to_numpy()})
    counts = frame.groupby("hour")[["mentions", "negative"]].sum()
    full = pd.date_range(counts.index.min(), counts.index.max(), freq="h")
    return counts.reindex(full, fill_value=0).astype("float64")


def detect_spikes(
    hours: pd.DataFrame,
    rules: SpikeRules = SpikeRules(),
    campaign_days: set[date] = frozenset(),
    timezone: str = DEFAULT_TIMEZONE,
) -> pd.DataFrame:
    """Every hour whose last-24-hour window is a volume or negative-share spike.

    Returns one row per alerting hour: volume and negative share of the window, their
    baselines and thresholds, and which rule fired (``volume``, ``negative`` or both).
    """
    if hours.empty:
        return pd.DataFrame()
    volume = hours["mentions"].rolling(WINDOW_H, min_periods=1).sum()
    negative = hours["negative"].rolling(WINDOW_H, min_periods=1).sum()
    share = (negative / volume).where(volume > 0)
    local_day = hours.index.tz_convert(timezone).date
    in_campaign = pd.Series([d in campaign_days for d in local_day], index=hours.index)
    # a window touching a campaign day is not "normal" for the baseline
    touched = in_campaign.astype(float).rolling(WINDOW_H, min_periods=1).max().astype(bool)

    def baseline(series: pd.Series) -> tuple[pd.Series, pd.Series]:
        # the same 24-hour window on each of the 7 days before: independent samples, unlike
        # overlapping rolling windows, whose spread understates day-to-day variation
        clean = series.mask(touched)
        days = pd.concat(
            [clean.shift(WINDOW_H * d) for d in range(1, BASELINE_H // WINDOW_H + 1)], axis=1
        )
        enough_days = days.notna().sum(axis=1) >= 4
        return days.mean(axis=1).where(enough_days), days.std(axis=1).where(enough_days)

    vol_mean, vol_std = baseline(volume)
    share_mean, share_std = baseline(share)
    # counts vary at least as much as Poisson counts, shares at least as binomial ones
    vol_std = np.maximum(vol_std.fillna(0), np.sqrt(vol_mean))
    share_std = np.maximum(
        share_std.fillna(0), np.sqrt(share_mean * (1 - share_mean) / volume.clip(lower=1))
    )
    vol_limit = vol_mean + rules.k * vol_std
    share_limit = share_mean + rules.k * share_std
    enough = volume >= rules.min_mentions
    vol_alert = enough & (volume > vol_limit) & ~touched  # a campaign is busy by plan

    neg_alert = enough & (share >= rules.min_negative_share) & (share > share_limit)
    out = pd.DataFrame(
        {
            "volume_24h": volume,
            "baseline_volume": vol_mean,
            "volume_limit": vol_limit,
            "negative_share_24h": share,
            "baseline_negative_share": share_mean,
            "negative_share_limit": share_limit,
            "volume_alert": vol_alert,
            "negative_alert": neg_alert,
        }
    )
    return out[vol_alert | neg_alert]


def episodes(
    comments: pd.DataFrame,
    alerts: pd.DataFrame,
    rules: SpikeRules = SpikeRules(),
    now: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Group alert hours into crisis episodes with start, peak, end, volume, negative share,
    top negative terms and threads, and the brand's first-response and resolution times.

    ``start`` is the first hour of the first alerting window whose comment count rose above
    twice the baseline hourly mean; ``end`` the last such hour before the alerts stop;
    ``open`` is true while the last alert is within 24 hours of ``now`` (default: the last
    comment's time).
    """
    columns = [
        "start",
        "peak",
        "end",
        "open",
        "volume",
        "negative_share",
        "first_response_h",
        "resolution_h",
        "median_response_h",
        "top_terms",
        "top_threads",
        "alerts",
    ]
    if alerts.empty:
        return pd.DataFrame(columns=columns)
    hours = hourly(comments)
    # compare Timedeltas, never raw integers: the index's unit is us under pandas 3, ns before
    gaps = alerts.index.to_series().diff() > pd.Timedelta(hours=rules.gap_h)
    groups = np.cumsum(gaps.to_numpy())
    customer = customer_comments(comments).assign(
        created_at=lambda f: pd.to_datetime(f["created_at"], utc=True)
    )
    replies = comments[comments["is_brand_reply"].fillna(False).astype(bool)]
    reply_times = pd.to_datetime(replies["created_at"], utc=True)
    now = now or customer["created_at"].max()
    rows = []
    for g in np.unique(groups):
        hit = alerts[groups == g]
        first, last = hit.index[0], hit.index[-1]
        hourly_base = float(hit["baseline_volume"].iloc[0]) / WINDOW_H
        window = hours.loc[first - pd.Timedelta(hours=WINDOW_H - 1) : last, "mentions"]
        busy = window[window > max(2 * hourly_base, 1.0)]
        start = busy.index.min() if len(busy) else first
        end = busy.index.max() if len(busy) else last
        peak = window.idxmax()
        inside = customer[
            (customer["created_at"] >= start)
            & (customer["created_at"] < end + pd.Timedelta(hours=1))
        ]
        negative = inside[inside["sentiment_label"] == "negative"]
        later = reply_times[reply_times >= start]
        waits = _waits(inside, comments)
        rows.append(
            {
                "start": start,
                "peak": peak,
                "end": end,
                "open": bool(now - last <= pd.Timedelta(hours=WINDOW_H)),
                "volume": len(inside),
                "negative_share": len(negative) / len(inside) if len(inside) else np.nan,
                "first_response_h": (later.min() - start).total_seconds() / 3600
                if len(later)
                else np.nan,
                "resolution_h": (end - start).total_seconds() / 3600 + 1,
                "median_response_h": float(waits.median()) if waits.notna().any() else np.nan,
                "top_terms": top_terms(negative["text"]),
                "top_threads": negative["post_id"].value_counts().head(3).index.tolist(),
                "alerts": "+".join(k for k in ("volume", "negative") if hit[f"{k}_alert"].any()),
            }
        )
    return pd.DataFrame(rows, columns=columns)


_TOKEN = re.compile(r"[A-Za-z']{3,}|[\u3400-\u9fff]{2,}")


def top_terms(texts: pd.Series, n: int = 5) -> list[str]:
    """The most frequent negative words of an episode (lexicon terms for Chinese, words for
    English), raw text: escape it where it is rendered."""
    from socialkpi.metrics.sentiment import _vader, _zh_terms

    terms, _ = _zh_terms()
    negative_zh = {t for t, w in terms.items() if w < 0}
    valence = _vader().lexicon
    counts: dict[str, int] = {}
    for text in texts.dropna().astype(str):
        found = {t for t in negative_zh if t in text}
        words = (w.lower() for w in _TOKEN.findall(text) if w.isascii())
        found |= {w for w in words if valence.get(w, 0) < 0}
        for t in found:
            counts[t] = counts.get(t, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
    return [t for t, _ in ranked[:n]]


# --- responsiveness ---------------------------------------------------------------------


def first_replies(comments: pd.DataFrame) -> pd.Series:
    """For each customer comment id, when the brand first replied in its thread."""
    brand = comments[
        comments["is_brand_reply"].fillna(False).astype(bool) & comments["parent_id"].notna()
    ]
    times = pd.to_datetime(brand["created_at"], utc=True)
    return times.groupby(brand["parent_id"]).min()


def _waits(
    customer: pd.DataFrame, comments: pd.DataFrame, hours: BusinessHours | None = None
) -> pd.Series:
    first = first_replies(comments).to_dict()  # (Series.map of an empty datetime Series fails)
    replied = pd.to_datetime(customer["comment_id"].map(lambda c: first.get(c, pd.NaT)), utc=True)
    created = pd.to_datetime(customer["created_at"], utc=True)
    replied = replied.where(replied >= created)
    if hours is None:
        return (replied - created).dt.total_seconds() / 3600
    valid = replied.notna()
    out = pd.Series(np.nan, index=customer.index)
    if valid.any():
        elapsed = hours.seconds_until(replied[valid]) - hours.seconds_until(created[valid])
        out[valid] = elapsed / 3600
    return out


def response_times(comments: pd.DataFrame, hours: BusinessHours | None = None) -> pd.DataFrame:
    """First-response time (hours; business hours when ``hours`` is given) per customer
    comment; NaN for comments the brand never answered."""
    customer = customer_comments(comments)
    out = customer[["platform", "comment_id", "created_at"]].copy()
    out["response_h"] = _waits(customer, comments, hours)
    return out.reset_index(drop=True)


def responsiveness(comments: pd.DataFrame, hours: BusinessHours | None = None) -> pd.DataFrame:
    """Per platform and overall: comments, answered share, median and P90 first-response
    time, and the share answered within 1 hour and within 24 hours."""
    times = response_times(comments, hours)
    rows = []
    for platform, group in [*times.groupby("platform"), ("all", times)]:
        h = group["response_h"]
        n = len(group)
        rows.append(
            {
                "platform": platform,
                "comments": n,
                "response_rate": h.notna().sum() / n if n else np.nan,
                "median_h": float(h.median()) if h.notna().any() else np.nan,
                "p90_h": float(h.quantile(0.9)) if h.notna().any() else np.nan,
                "within_1h": (h <= 1).sum() / n if n else np.nan,
                "within_24h": (h <= 24).sum() / n if n else np.nan,
            }
        )
    return pd.DataFrame(rows)
