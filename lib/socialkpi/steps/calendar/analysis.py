"""The content calendar (SOP step 內容規劃): the month's pillar mix, cadence, best posting
slots and next month's draft, on the plan reconciled with the posts (``metrics.plan``, where
the reconciliation rule is stated), and the draft as calendar files. Pure functions."""

from __future__ import annotations

import pandas as pd

from socialkpi.metrics.evidence import median_interval
from socialkpi.words.i18n import t


def pillar_mix(items: pd.DataFrame, posts: pd.DataFrame, pillars: dict[str, dict]) -> pd.DataFrame:
    """Per pillar (and ``""`` for items and posts of none): items planned (not cancelled),
    posts published, each as a share of its total, and the target share from ``brands.yaml``.
    ``items`` and ``posts`` carry ``pillar`` ids."""
    live = items[items["outcome"] != "cancelled"]
    planned = live["pillar"].fillna("").value_counts()
    published = posts["pillar"].fillna("").value_counts()
    keys = [*pillars, *sorted((set(planned.index) | set(published.index)) - set(pillars))]
    out = pd.DataFrame(
        {
            "pillar": keys,
            "planned": [int(planned.get(k, 0)) for k in keys],
            "published": [int(published.get(k, 0)) for k in keys],
            "target": [pillars.get(k, {}).get("target") for k in keys],
        }
    )
    out["planned_share"] = out["planned"] / out["planned"].sum() if len(live) else float("nan")
    out["published_share"] = (
        out["published"] / out["published"].sum() if len(posts) else float("nan")
    )
    out["target"] = out["target"].astype("float64")
    return out


def pillar_performance(
    posts: pd.DataFrame, kpi: str, pillars: dict[str, dict], seed: int = 0
) -> pd.DataFrame:
    """Per pillar, in ``brands.yaml``'s order (then ``""`` for posts of none, if any): the
    posts with the per-post ``kpi``, their median and its 95% bootstrap interval
    (``evidence.median_interval``: no interval under three posts)."""
    rows = []
    for key in [*pillars, ""]:
        values = posts.loc[posts["pillar"].fillna("") == key, kpi].astype("float64").dropna()
        if key == "" and values.empty:
            continue
        median, low, high = median_interval(values, seed)
        rows.append(
            {"pillar": key, "posts": len(values), "median": median, "low": low, "high": high}
        )
    return pd.DataFrame(rows, columns=["pillar", "posts", "median", "low", "high"])


def weeks(month: str) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The month's weeks, Monday to Sunday, cut at the month's ends: (first day, last day).

    >>> [(a.day, b.day) for a, b in weeks("2026-10")]
    [(1, 4), (5, 11), (12, 18), (19, 25), (26, 31)]
    """
    p = pd.Period(month, "M")
    days = pd.date_range(p.start_time, p.end_time.normalize(), freq="D")
    starts = [d for d in days if d == days[0] or d.weekday() == 0]
    ends = [*(s - pd.Timedelta(days=1) for s in starts[1:]), days[-1]]
    return list(zip(starts, ends, strict=True))


def cadence(items: pd.DataFrame, posts: pd.DataFrame, month: str) -> pd.DataFrame:
    """Posts per platform and week (:func:`weeks`) against the plan: ``platform, week`` (its
    first day), ``days`` (in the month), ``planned`` (items not cancelled, by planned day) and
    ``published``. Plan items without a platform count under ``""``."""
    live = items[items["outcome"] != "cancelled"]
    platforms = sorted(set(live["platform"].fillna("")) | set(posts["platform"].fillna("")))
    rows = []
    for platform in platforms:
        planned = live.loc[live["platform"].fillna("") == platform, "planned_for"]
        published = posts.loc[posts["platform"].fillna("") == platform, "day"]
        for first, last in weeks(month):
            rows.append(
                {
                    "platform": platform,
                    "week": first,
                    "days": (last - first).days + 1,
                    "planned": int(planned.between(first, last).sum()),
                    "published": int(published.between(first, last).sum()),
                }
            )
    return pd.DataFrame(rows, columns=["platform", "week", "days", "planned", "published"])


# the big shopping days of Taiwan's e-commerce year (month, day) -> catalogue key
SHOPPING_DAYS = {(6, 18): "618", (11, 11): "double11", (12, 12): "double12"}


# the holiday calendar of a brand whose settings name no country (brands.yaml: country)
DEFAULT_COUNTRY = "TW"


def notable_dates(month: str, lang: str, country: str | None = None) -> pd.DataFrame:
    """The public holidays of ``country`` (the brand's, default Taiwan; the ``holidays``
    package, names in ``lang`` where it has them) and the big shopping days in ``month``:
    ``day, kind`` (``holiday`` or ``shopping``), ``name``."""
    import holidays

    p = pd.Period(month, "M")
    language = "zh_TW" if lang == "zh-TW" else "en_US"
    country = country or DEFAULT_COUNTRY
    known = holidays.list_localized_countries().get(country, [])
    language = language if language in known else ("en_US" if "en_US" in known else None)
    found = holidays.country_holidays(country, years=p.year, language=language)
    rows = [
        {"day": pd.Timestamp(d), "kind": "holiday", "name": name}
        for d, name in sorted(found.items())
        if d.month == p.month
    ]
    rows += [
        {"day": pd.Timestamp(p.year, m, d), "kind": "shopping", "name": t(f"shopping.{key}", lang)}
        for (m, d), key in SHOPPING_DAYS.items()
        if m == p.month
    ]
    out = pd.DataFrame(rows, columns=["day", "kind", "name"])
    return out.sort_values(["day", "kind"], kind="stable", ignore_index=True)


def slots(plan: pd.DataFrame, posts: pd.DataFrame, month: str, history: int = 3) -> pd.DataFrame:
    """How many posts per platform next ``month``'s draft holds: ``platform, slots, basis``.
    Where the month before had plan items for the platform (not cancelled), their number
    scaled to the month's length (``basis="plan"``); otherwise the median of posts published a
    month over the ``history`` months before (``"history"``). ``plan`` has ``planned_for,
    platform, status``; ``posts`` has ``platform, day``.

    >>> plan = pd.DataFrame({"planned_for": pd.to_datetime(["2026-10-01"] * 3), "platform": ["x"] * 3,
    ...     "status": ["planned", "planned", "cancelled"]})
    >>> posts = pd.DataFrame({"platform": ["tiktok"] * 5, "day": pd.to_datetime(
    ...     ["2026-08-01", "2026-08-02", "2026-09-01", "2026-10-01", "2026-10-02"])})
    >>> slots(plan, posts, "2026-11").values.tolist()
    [['tiktok', 2, 'history'], ['x', 2, 'plan']]
    """
    p = pd.Period(month, "M")
    last = p - 1
    live = plan[plan["status"].astype("string").str.casefold().ne("cancelled").fillna(True)]
    in_last = live[live["planned_for"].dt.to_period("M") == last]
    rows = {}
    for platform, n in in_last.dropna(subset=["platform"]).groupby("platform").size().items():
        rows[platform] = (_half_up(n * p.days_in_month / last.days_in_month), "plan")
    months = pd.period_range(p - history, last, freq="M")
    monthly = (
        posts.assign(month=posts["day"].dt.to_period("M"))
        .loc[lambda f: f["month"].isin(months)]
        .groupby(["platform", "month"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=months, fill_value=0)
    )
    for platform, row in monthly.iterrows():
        rows.setdefault(platform, (_half_up(float(row.median())), "history"))
    out = pd.DataFrame(
        [(k, n, basis) for k, (n, basis) in sorted(rows.items()) if n > 0],
        columns=["platform", "slots", "basis"],
    )
    return out


def _half_up(x: float) -> int:
    return int(x + 0.5)  # as people round: 2.5 posts make 3


# the time of day a draft proposes in a window's part of the day (evidence.DAYPARTS)
DRAFT_TIME = {
    "morning": "09:00",
    "midday": "12:00",
    "afternoon": "15:30",
    "evening": "20:00",
    "night": "23:00",
}


def pillar_counts(
    total: int, pillars: dict[str, dict], already: dict[str, int] | None = None
) -> dict[str, int]:
    """How many of ``total`` new posts each pillar gets so that, with the posts ``already``
    planned, the mix comes as close to the targets as whole posts allow (largest remainders;
    pillars without a target share what the targets leave when no pillar has one; the share
    no target claims goes to ``""``, posts of no pillar).

    >>> pillar_counts(10, {"a": {"target": 0.5}, "b": {"target": 0.3}, "c": {"target": 0.2}})
    {'a': 5, 'b': 3, 'c': 2, '': 0}
    >>> pillar_counts(4, {"a": {"target": 0.5}, "b": {"target": 0.5}}, {"a": 4})
    {'a': 0, 'b': 4, '': 0}
    """
    already = already or {}
    targets = {k: e.get("target") for k, e in pillars.items()}
    if pillars and all(v is None for v in targets.values()):
        targets = {k: 1 / len(pillars) for k in pillars}
    targets = {k: v or 0.0 for k, v in targets.items()}
    targets[""] = max(0.0, 1 - sum(targets.values()))
    whole = total + sum(already.get(k, 0) for k in targets)
    want = {k: max(0.0, share * whole - already.get(k, 0)) for k, share in targets.items()}
    scale = total / sum(want.values()) if sum(want.values()) else 0
    want = {k: v * scale for k, v in want.items()}
    counts = {k: int(v) for k, v in want.items()}
    order = sorted(want, key=lambda k: (-(want[k] - counts[k]), list(want).index(k)))
    for k in order[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def without(windows: pd.DataFrame, steer=None) -> pd.DataFrame:
    """Best windows (``evidence.best_windows``) without the cells an action says to avoid
    (``steer``: ``advice.Steer``; a part of the day or a weekday on a platform)."""
    if steer is None or windows.empty:
        return windows
    drop = pd.Series(False, index=windows.index)
    for platform in set(windows["platform"]):
        mine = windows["platform"] == platform
        for dimension in ("daypart", "weekday"):
            drop |= mine & windows[dimension].isin(steer.avoided(platform, dimension))
    return windows[~drop].reset_index(drop=True)


DRAFT_COLUMNS = [
    "planned_for",
    "planned_time",
    "platform",
    "pillar",
    "daypart",
    "lift",
    "low",
    "high",
    "window_posts",
    "content_type",
    "topic",
    "action",
]


def draft(
    month: str,
    per_platform: pd.DataFrame,
    pillars: dict[str, dict],
    windows: pd.DataFrame,
    existing: pd.DataFrame | None = None,
    steer=None,
) -> pd.DataFrame:
    """Next month's draft: ``planned_for, planned_time, platform, pillar, daypart, lift, low,
    high, window_posts, content_type, topic, action``, one row per new post.

    Each platform's slots (``per_platform``, from :func:`slots`; minus items ``existing``
    already plans there) are spread evenly over the month; a slot moves a day either way only
    to a weekday whose best window stands out (``evidence.best_windows``: its interval above
    the account's typical post) when its own day has none. Its time is the best named window
    (at least three posts) of its weekday whose typical post beats the account's, or none.
    Pillars follow :func:`pillar_counts`, interleaved through the month (smooth weighted round
    robin), so each week carries the mix.

    ``steer`` (``advice.Steer``) carries the month's actions, and wins over the windows: no
    slot falls on a weekday to avoid (``windows`` should already lack the cells to avoid, see
    :func:`without`); every other slot moves to the nearest weekday to use more; a platform's
    slots take the part of the day to use more; every other slot (the first included) gets the
    format or topic to use more. ``action`` names the finding (``instagram:daypart:evening``)
    behind what it changed."""
    p = pd.Period(month, "M")
    days = list(pd.date_range(p.start_time, p.end_time.normalize(), freq="D"))
    where = {day: j for j, day in enumerate(days)}  # a list and a dict: looked up per slot
    existing = existing if existing is not None else pd.DataFrame(columns=["platform", "pillar"])
    if "status" in existing:
        existing = existing[existing["status"].ne("cancelled")]
    rows = []
    for platform, n in zip(per_platform["platform"], per_platform["slots"], strict=True):
        n = max(0, int(n) - int((existing["platform"] == platform).sum()))
        named = windows[(windows["platform"] == platform) & windows["named"]]
        best = named[named["lift"] > 1].sort_values("lift", ascending=False, kind="stable")
        # as plain dicts: a platform can have thousands of slots, each looked up by weekday
        best = {r["weekday"]: r for r in best.drop_duplicates("weekday").to_dict("records")}
        cells = _cells(named)
        avoid_days = steer.avoided(platform, "weekday") if steer else set()
        more_days = steer.preferred(platform, "weekday") if steer else []
        more_parts = steer.preferred(platform, "daypart") if steer else []
        formats = steer.preferred(platform, "content_type") if steer else []
        topics = steer.preferred(platform, "topic") if steer else []
        used: set[pd.Timestamp] = set()
        for i in range(n):
            at = int((i + 0.5) * len(days) / n)
            day = _day_with_window(days, at, best, used)
            why = []
            if more_days and i % 2 == 0:
                moved = _nearest(days, where[day], used, set(more_days))
                if moved is not None and moved != day:
                    day = moved
                    why.append(f"{platform}:weekday:{day.day_name()}")
            if day.day_name() in avoid_days:
                why.append(f"{platform}:weekday:{day.day_name()}")
                day = _nearest(days, where[day], used, avoid_days, among=False) or day
            used.add(day)
            cell = best.get(day.day_name())
            part = cell["daypart"] if cell is not None else pd.NA
            if more_parts:
                if not isinstance(part, str) or part not in more_parts:
                    part = more_parts[0]
                    cell = cells.get((day.day_name(), part))
                why.append(f"{platform}:daypart:{part}")
            rows.append(
                {
                    "planned_for": day,
                    "planned_time": DRAFT_TIME[part] if isinstance(part, str) else pd.NA,
                    "platform": platform,
                    "daypart": part,
                    "lift": cell["lift"] if cell is not None else float("nan"),
                    "low": cell["low"] if cell is not None else float("nan"),
                    "high": cell["high"] if cell is not None else float("nan"),
                    "window_posts": int(cell["posts"]) if cell is not None else pd.NA,
                    "content_type": formats[0] if formats and i % 2 == 0 else pd.NA,
                    "topic": topics[0] if topics and i % 2 == 0 else pd.NA,
                    "action": _why(why, platform, formats, topics, i),
                }
            )
    if not rows:
        return pd.DataFrame(columns=DRAFT_COLUMNS)
    out = pd.DataFrame(rows).sort_values(
        ["planned_for", "platform"], kind="stable", ignore_index=True
    )
    already = existing["pillar"].fillna("").value_counts().to_dict() if len(existing) else {}
    out["pillar"] = _interleave(pillar_counts(len(out), pillars, already))
    out["pillar"] = out["pillar"].replace("", pd.NA).astype("string")
    out["window_posts"] = out["window_posts"].astype("Int64")
    for col in ("content_type", "topic", "action", "daypart"):
        out[col] = out[col].astype("string")
    return out[DRAFT_COLUMNS]


def _why(why: list[str], platform: str, formats: list, topics: list, i: int) -> object:
    if i % 2 == 0:
        why = why + [f"{platform}:content_type:{f}" for f in formats[:1]]
        why = why + [f"{platform}:topic:{t}" for t in topics[:1]]
    return ", ".join(why) if why else pd.NA


def _cells(named: pd.DataFrame) -> dict[tuple[str, str], dict]:
    """A platform's named windows by ``(weekday, daypart)`` (the first of each)."""
    cells: dict[tuple[str, str], dict] = {}
    for row in named.to_dict("records"):
        cells.setdefault((row["weekday"], row["daypart"]), row)
    return cells


def _nearest(
    days: list[pd.Timestamp], at: int, used: set, weekdays: set, among: bool = True
) -> pd.Timestamp | None:
    """The day nearest ``days[at]`` (earlier first on a tie), not used, that falls on one of
    ``weekdays`` (``among=False``: on none of them)."""
    for step in range(len(days)):
        for j in (at - step, at + step):
            fits = (days[j].day_name() in weekdays) == among if 0 <= j < len(days) else False
            if fits and days[j] not in used:
                return days[j]
    return None


def _day_with_window(days: list[pd.Timestamp], at: int, best: dict, used: set) -> pd.Timestamp:
    def stands_out(day) -> bool:
        return day.day_name() in best and bool(best[day.day_name()]["stands_out"])

    here = days[min(at, len(days) - 1)]
    if stands_out(here) or here in used:
        return here
    for step in (-1, 1):
        j = at + step
        if 0 <= j < len(days) and days[j] not in used and stands_out(days[j]):
            return days[j]
    return here


def _interleave(counts: dict[str, int]) -> list[str]:
    """The pillars in an order that spreads each evenly (smooth weighted round robin).

    >>> "".join(_interleave({"a": 2, "b": 1, "c": 1}))
    'abca'
    """
    total = sum(counts.values())
    current = dict.fromkeys(counts, 0)
    out = []
    for _ in range(total):
        for k in counts:
            current[k] += counts[k]
        pick = max(counts, key=lambda k: current[k])  # ties: brands.yaml's order
        current[pick] -= total
        out.append(pick)
    return out


def to_ics(events: list[dict], name: str, stamp: pd.Timestamp) -> str:
    """An iCalendar file (RFC 5545) Google Calendar and Outlook import. Each event has ``uid,
    summary, description`` and either ``start`` (a UTC timestamp; 30 minutes long) or ``day``
    (a whole day; ``free`` marks it as not busy, as holidays are)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//socialkpi//content calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e['uid']}", f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}"]
        if e.get("start") is not None:
            lines += [f"DTSTART:{e['start']:%Y%m%dT%H%M%SZ}", "DURATION:PT30M"]
        else:
            end = e["day"] + pd.Timedelta(days=1)
            lines += [f"DTSTART;VALUE=DATE:{e['day']:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
        if e.get("free"):
            lines.append("TRANSP:TRANSPARENT")
        lines += [f"SUMMARY:{_escape(e['summary'])}"]
        if e.get("description"):
            lines.append(f"DESCRIPTION:{_escape(e['description'])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _escape(text: str) -> str:
    r"""TEXT as RFC 5545 3.3.11 writes it: backslash, semicolon and comma escaped, every line
    break (CRLF, LF or a bare CR) as ``\n``, other control characters dropped.

    >>> _escape("a;b,c\\d\r\ne\rf\x07")
    'a\\;b\\,c\\\\d\\ne\\nf'
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or ch >= " " or ch == "\t")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str, limit: int = 75) -> str:
    """A content line folded at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    parts, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode())
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1
        current += ch
        size += width
    parts.append(current)
    return "\r\n".join(parts)
