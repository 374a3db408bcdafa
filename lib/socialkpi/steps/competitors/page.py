"""The competitor page (SOP step 競品參考): where the brand leads and trails, the ranked
landscape, share of voice over 13 months, and what worked for the competitors (their breakout
posts, formats and cadence) beside the brand's own numbers."""

from __future__ import annotations

import pandas as pd

from socialkpi import presentation, store
from socialkpi.presentation import Col, charts
from socialkpi.presentation import sections as _shared
from socialkpi.presentation.page import Page
from socialkpi.steps.competitors import analysis as competitors
from socialkpi.steps.competitors import reader
from socialkpi.words import narrative

MAX_BREAKOUTS = 10
PER_ACCOUNT = 3  # so one small account's many small spikes do not fill the table


def benchmark(page: Page) -> reader.Benchmark:
    """The month's benchmark for the page's brand and platforms."""
    return reader.benchmark(page.con, page.brand, page.month, page.platforms)


def names(page: Page) -> dict[str, str]:
    """Account id -> the name a reader sees (the brand marked as "us")."""
    return {
        page.brand: page.t("competitors.us", name=page.name),
        **store.competitor_names(page.con, page.brand, page.lang),
    }


def _platforms(page: Page, bm: reader.Benchmark) -> str:
    return page.t("word.and").join(
        presentation.text(p, "platform", page.lang) for p in bm.platforms
    )


def summary(page: Page, bm: reader.Benchmark):
    """The sentences of :func:`summary_lines` as a list, or what is missing and how to get it."""
    if bm.empty:
        return page.empty("competitors.empty", "competitors.empty_how")
    return presentation.sentences(summary_lines(page, bm))


def summary_lines(page: Page, bm: reader.Benchmark) -> list[str]:
    """The brand's share of voice and rank, its cadence against the competitors' average,
    and where its typical post leads or trails (only where intervals separate)."""
    who = names(page)
    everything = bm.table[bm.table["platform"] == "all"]
    ranked = everything.sort_values("share_of_engagement", ascending=False).reset_index(drop=True)
    lines = []
    own = ranked[ranked["is_brand"]]
    if len(own):
        b = own.iloc[0]
        lines.append(
            page.t(
                "competitors.voice",
                brand=page.name,
                share=page.number(b["share_of_engagement"], "share"),
                rank=int(own.index[0]) + 1,
                count=len(ranked),
                posts=page.number(b["share_of_posts"], "share"),
            )
        )
        average = bm.landscape.set_index("platform")["posts_per_week"].get("all")
        lines.append(
            page.t(
                "competitors.cadence",
                brand=page.name,
                ours=page.number(b["posts_per_week"], "number"),
                theirs=page.number(average, "number"),
            )
        )
    for r in bm.compared.itertuples():
        lines.append(
            page.t(
                f"competitors.{r.direction}",
                platform=presentation.text(r.platform, "platform", page.lang),
                brand=page.name,
                competitor=who.get(r.competitor, r.competitor),
                ours=page.number(r.brand_median),
                theirs=page.number(r.median),
                our_interval=_shared.interval(page, r.brand_low, r.brand_high) or presentation.DASH,
                their_interval=_shared.interval(page, r.low, r.high) or presentation.DASH,
            )
        )
    brand_rows = bm.table[bm.table["is_brand"] & (bm.table["platform"] != "all")]
    if bm.compared.empty:
        no_posts = brand_rows.empty or brand_rows["low"].isna().all()
        key = "competitors.no_brand_posts" if no_posts else "competitors.no_difference"
        lines.append(page.t(key, brand=page.name))
    return lines


_COLS = [
    Col("name", "col.account", width="16%"),
    Col("followers", "col.followers", "count", "missing.no_snapshot"),
    Col("follower_growth_rate", "col.follower_growth_rate", "percent", "missing.no_previous"),
    Col("posts_per_week", "col.posts_per_week", "number"),
    Col("median", "col.median_per_post", "count", "missing.no_posts_recorded"),
    Col("interval", "col.interval", missing="missing.few_posts"),
    Col("engagement_rate", "col.rate_by_followers", "percent", "missing.no_snapshot"),
    Col("share_of_posts", "col.share_of_posts", "share"),
    Col("share_of_engagement", "col.share_of_voice", "share"),
]


def _shown(page: Page, rows: pd.DataFrame) -> pd.DataFrame:
    who = names(page)
    return rows.assign(
        name=[who.get(a, a) for a in rows["account"]],
        interval=[
            _shared.interval(page, lo, hi) for lo, hi in zip(rows["low"], rows["high"], strict=True)
        ],
    )


def _reasons(rows: pd.DataFrame) -> pd.DataFrame:
    """Why a cell is empty, row by row: a brand's export without follower totals is not a
    missing snapshot; a median with no posts differs from one with too few."""
    out = pd.DataFrame(index=range(len(rows)))
    rows = rows.reset_index(drop=True)
    out["followers"] = [
        "missing.not_reported" if b else "missing.no_snapshot" for b in rows["is_brand"]
    ]
    out["engagement_rate"] = out["followers"]
    out["follower_growth_rate"] = [
        "missing.not_reported" if b and pd.isna(f) else "missing.no_previous"
        for b, f in zip(rows["is_brand"], rows["followers"], strict=True)
    ]
    out["median"] = [
        "missing.no_posts_recorded" if n == 0 else "missing.few_posts"
        for n in rows["posts_compared"]
    ]
    out["interval"] = "missing.few_posts"
    return out


def landscape(page: Page, bm: reader.Benchmark):
    """All benchmark platforms together, ranked by share of voice, with the competitors'
    average (the brand left out) below."""
    if bm.empty:
        return page.empty("competitors.empty", "competitors.empty_how")
    rows = bm.table[bm.table["platform"] == "all"]
    rows = rows.sort_values("share_of_engagement", ascending=False).reset_index(drop=True)
    average = bm.landscape[bm.landscape["platform"] == "all"].assign(
        account="", is_brand=False, posts_compared=1, low=None, high=None
    )
    frame = _shown(page, pd.concat([rows, average], ignore_index=True))
    frame["name"] = frame["name"].where(frame["account"] != "", page.t("competitors.average"))
    reasons = _reasons(frame)
    reasons.loc[frame["account"] == "", "interval"] = "missing.average"
    return page.table(
        frame,
        _COLS,
        reasons=reasons,
        notes=[page.t("competitors.scope", platforms=_platforms(page, bm))],
    )


def by_platform(page: Page, bm: reader.Benchmark):
    """The same figures per platform, the brand first under each."""
    if bm.empty:
        return page.empty("competitors.empty", "competitors.empty_how")
    rows = bm.table[bm.table["platform"] != "all"].reset_index(drop=True)
    rows = _shown(page, rows).assign(
        platform_name=[presentation.text(p, "platform", page.lang) for p in rows["platform"]]
    )
    return page.table(rows, _COLS, reasons=_reasons(rows), group="platform_name")


def voice_chart(page: Page, bm: reader.Benchmark):
    """Each account's share of the engagements per month over 13 months."""
    if bm.history.empty or bm.empty:
        return page.empty("competitors.empty", "competitors.empty_how")
    name = narrative.kpi_name("share_of_voice", page.lang)
    return history_chart(page, bm.history, "share_of_engagement", name, "share", "share_of_voice")


def history_chart(
    page: Page, history: pd.DataFrame, column: str, name: str, unit: str, kpi_id=None
):
    """One line per account (as readers name it) of a ``Benchmark.history`` column by month,
    titled ``name`` (with the definition of ``kpi_id``, if it is a KPI)."""
    who = names(page)
    frame = history.assign(
        period=history["month"],
        value=history[column],
        account=[who.get(a, a) for a in history["account"]],
    )[["period", "value", "account"]].dropna(subset=["value"])
    return charts.history(frame, kpi_id, name, unit, page.lang)


def breakouts(page: Page, bm: reader.Benchmark):
    """The competitors' breakout posts this month (see ``competitors.breakouts``), biggest
    first and at most :data:`PER_ACCOUNT` per competitor, beside the brand's own median post."""
    posts = bm.posts[bm.posts["breakout"] & (bm.posts["account"] != page.brand)]
    rule = page.t(
        "competitors.breakout_rule",
        factor=page.number(competitors.BREAKOUT_FACTOR),
        window=competitors.BREAKOUT_WINDOW,
        history=competitors.BREAKOUT_HISTORY,
        per_account=PER_ACCOUNT,
    )
    own = bm.posts[bm.posts["account"] == page.brand]
    against = page.t(
        "competitors.own_median",
        brand=page.name,
        median=page.number(own["engagements"].median()),
        count=int(own["breakout"].sum()),
    )
    if posts.empty:
        return presentation.sentences([page.t("competitors.no_breakouts"), against, rule])
    who = names(page)
    posts = posts.assign(times=posts["engagements"] / posts["baseline"])
    posts = posts.sort_values("times", ascending=False).groupby("account").head(PER_ACCOUNT)
    posts = posts.head(MAX_BREAKOUTS)
    frame = posts.assign(
        name=[who.get(a, a) for a in posts["account"]],
        published=[
            presentation.datetime_local(v, page.timezone, page.lang) for v in posts["published_at"]
        ],
        post=[presentation.link(u, page.t("word.open_post")) for u in posts["post_url"]],
    )
    cols = [
        Col("name", "col.account"),
        Col("platform", "col.platform", "platform"),
        Col("published", "col.published_at"),
        Col("content_type", "col.content_type", "content_type"),
        Col("engagements", "col.engagements", "count"),
        Col("baseline", "col.usual", "count"),
        Col("times", "col.times_usual", "ratio"),
        Col("post", "col.post", "html"),
    ]
    return page.table(frame, cols, notes=[against, rule])


def formats(page: Page, bm: reader.Benchmark):
    """Each account's posts per week and the share of each format this month."""
    if bm.mix.empty:
        return page.empty("competitors.empty", "competitors.empty_how")
    who = names(page)
    mix = bm.mix.groupby(["account", "content_type"])["posts"].sum().unstack(fill_value=0)
    mix = mix.div(mix.sum(axis=1), axis=0)
    cadence = bm.table[bm.table["platform"] == "all"].set_index("account")["posts_per_week"]
    frame = mix.join(cadence, how="left").reset_index()
    frame = frame.assign(
        name=[who.get(a, a) for a in frame["account"]], brand=frame["account"] == page.brand
    ).sort_values(["brand", "posts_per_week"], ascending=[False, False])
    kinds = [
        k
        for k in ("image", "video", "reel", "carousel", "link", "text", "story", "live")
        if k in mix
    ]
    cols = [
        Col("name", "col.account"),
        Col("posts_per_week", "col.posts_per_week", "number"),
        *[Col(k, f"content_type.{k}", "share") for k in kinds],
    ]
    return page.table(frame, cols)


def notes(page: Page, bm: reader.Benchmark):
    """:func:`note_lines` as a list (nothing when there is no benchmark)."""
    return None if bm.empty else presentation.sentences(note_lines(page, bm))


def note_lines(page: Page, bm: reader.Benchmark) -> list[str]:
    """How the numbers were made: what counts as an engagement, which posts were compared,
    where followers were interpolated, where monthly totals come from."""
    return [
        page.t("competitors.engagements_rule"),
        page.t(
            "competitors.age_rule",
            days=bm.min_age_days,
            young=bm.left_out.get("young", 0),
            hidden=bm.left_out.get("hidden", 0),
        ),
        page.t("competitors.interpolated"),
        page.t("competitors.sources"),
    ]
