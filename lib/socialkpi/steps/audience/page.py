"""The audience page (SOP step: know the audience): follower growth and churn, demographics
per platform, what changed since the last snapshot, when followers are active against when
the brand posts, the platform mix and a one-line profile per platform."""

from __future__ import annotations

import pandas as pd

from socialkpi import presentation
from socialkpi.presentation import Col, charts
from socialkpi.presentation import sections as _shared
from socialkpi.presentation.page import Page
from socialkpi.steps.audience import reader as audience
from socialkpi.words import narrative
from socialkpi.words.i18n import t

SEGMENT_KIND = {
    "gender": "gender",
    "age_gender": "age_gender",
    "country": "country",
    "city": "city",
    "language": "language",
    "seniority": "seniority",
    "job_function": "job_function",
}


def growth(page: Page) -> pd.DataFrame:
    """Followers, gains, losses and churn per platform and month."""
    return audience.growth(page.con, page.brand, page.month)


def growth_chart(page: Page, growth_: pd.DataFrame):
    """Followers at each month's end, one line per platform that reports them."""
    known = growth_.dropna(subset=["followers"]) if len(growth_) else growth_
    if known.empty:
        return page.empty("empty.followers", "empty.followers_how")
    if known["period"].nunique() < _shared.MIN_POINTS:
        return _shared.trend(page, "followers")
    frame = known.rename(columns={"followers": "value"})[["period", "value", "platform"]]
    return charts.trend(frame, "followers", page.lang, color="platform")


def growth_table(page: Page, growth_: pd.DataFrame):
    """This month per platform: followers, the change since last month, gained, lost and
    churn. A value a platform's export does not report shows "—" with a footnote saying so,
    never 0 (platforms that give only the net change have no gained or lost followers)."""
    latest = audience.latest_growth(growth_, page.month)
    if latest.empty:
        return page.empty("empty.followers", "empty.followers_how")

    def reason(row, column: str) -> str:
        if row["net_only"] and column != "followers":
            return "missing.net_only"
        source = "losses" if column == "churn" else column
        return "missing.no_data" if source in row["reported"] else "missing.not_reported"

    reasons = pd.DataFrame(
        {
            c: [reason(r, c) for _, r in latest.iterrows()]
            for c in ("followers", "gains", "losses", "churn")
        }
    )
    reasons["change"] = [
        "missing.no_previous" if "followers" in r else "missing.not_reported"
        for r in latest["reported"]
    ]
    cols = [
        Col("platform", "col.platform", "platform"),
        Col("followers", "col.followers", "count"),
        Col("change", "col.followers_change", "signed_count"),
        Col("gains", "col.gains", "count"),
        Col("losses", "col.losses", "count"),
        Col("churn", "col.churn", "percent"),
    ]
    return page.table(latest, cols, reasons=reasons)


def demographics(page: Page, dimension: str):
    """The latest snapshot's shares of one dimension, one panel per platform (the platforms'
    audiences overlap, so their shares are never added up)."""
    shares = audience.demographics(page.con, page.brand, dimension, page.platforms)
    name = t(f"dimension.{dimension}", page.lang)
    if shares.empty:
        return presentation.empty_text(
            page.t("empty.demographics", dimension=t(f"dimension_noun.{dimension}", page.lang)),
            page.t("empty.demographics_how"),
        )
    top = shares.groupby("platform").head(10)
    return charts.shares(
        top, SEGMENT_KIND.get(dimension, "text"), page.t("chart.share", dimension=name), page.lang
    )


def demographic_change(page: Page, dimension: str = "age_gender", n: int = 8):
    """The segments whose share moved most since the previous snapshot."""
    shares = audience.demographics(page.con, page.brand, dimension, page.platforms)
    moved = shares.dropna(subset=["change"]) if len(shares) else shares
    if moved.empty:
        return presentation.paragraph(page.t("empty.demographic_change"))
    moved = moved.assign(size=moved["change"].abs()).sort_values("size", ascending=False).head(n)
    moved = moved.assign(
        segment=[
            charts.segment_name(s, SEGMENT_KIND.get(dimension, "text"), page.lang)
            for s in moved["segment"]
        ]
    )
    cols = [
        Col("platform", "col.platform", "platform"),
        Col("segment", "col.segment"),
        Col("share", "col.share", "share"),
        Col("change", "col.share_change", "change_pp"),
    ]
    return page.table(moved, cols)


def posting_heatmap(page: Page):
    """When the brand posted, by weekday and hour (or why there is nothing to show)."""
    grid = audience.activity_vs_posting(page.con, page.brand, page.month, page.timezone)
    if not grid["posts"].sum():
        return presentation.paragraph(page.t("empty.posting"))
    untimed = _shared.untimed_note(page, audience.untimed(page.con, page.brand, page.timezone))
    subtitle = [page.t("chart.posting_subtitle"), *([untimed] if untimed else [])]
    return charts.heatmap(grid, "posting_share", page.t("chart.posting"), subtitle, page.lang)


def activity_heatmap(page: Page):
    """When followers are active against when the brand posts (or why it cannot be shown)."""
    grid = audience.activity_vs_posting(page.con, page.brand, page.month, page.timezone)
    if "active_share" not in grid:
        return page.empty("empty.activity", "empty.activity_how")
    return charts.heatmap(
        grid, "active_share", page.t("chart.activity"), page.t("chart.activity_subtitle"), page.lang
    )


def mix(page: Page):
    """Followers per platform at the month's end and each platform's share of those known; a
    platform whose export gives no follower total is listed with "—" and the reason."""
    frame = audience.platform_mix(page.con, page.brand, page.month)
    if frame.empty:
        return page.empty("empty.followers", "empty.followers_how")
    cols = [
        Col("platform", "col.platform", "platform"),
        Col("followers", "col.followers", "count", "missing.not_reported"),
        Col("share", "col.share", "share", "missing.no_share"),
    ]
    total = page.t("sentence.mix_total", total=page.number(frame["followers"].sum()))
    lacking = frame.loc[frame["followers"].isna(), "platform"].tolist()
    if lacking:  # the sum covers only some platforms: say which, and why there are no shares
        known = frame.loc[frame["followers"].notna(), "platform"]
        total = page.t(
            "sentence.mix_partial" if len(known) >= 2 else "sentence.mix_single",
            total=page.number(frame["followers"].sum()),
            platforms=narrative.platform_names(known, page.lang),
            lacking=narrative.platform_names(lacking, page.lang),
        )
    return page.table(frame, cols, notes=[total])


PERSONA = [
    ("gender", "gender"),
    ("age", "text"),
    ("seniority", "seniority"),
    ("job", "job_function"),
    ("place", "city"),
    ("hour", "int"),
]  # profile field, how its value is shown


def personas(page: Page):
    """One sentence per platform: who its followers mostly are and when they are active."""
    lines = []
    for profile in audience.profiles(page.con, page.brand).to_dict("records"):
        country = profile.pop("country")
        if presentation.missing(profile["city"]) and not presentation.missing(country):
            profile["city"] = presentation.text(country, "country", page.lang)  # already words
        profile["place"] = profile.pop("city")
        parts = [
            page.t(
                f"sentence.persona_{field}",
                **{
                    field: int(profile[field])
                    if kind == "int"
                    else presentation.text(profile[field], kind, page.lang)
                },
            )
            for field, kind in PERSONA
            if not presentation.missing(profile[field])
        ]
        if parts:
            platform = presentation.text(profile["platform"], "platform", page.lang)
            lines.append(
                page.t(
                    "sentence.persona", platform=platform, parts=page.t("word.list_sep").join(parts)
                )
            )
    if not lines:
        return presentation.paragraph(page.t("empty.personas"))
    return presentation.sentences(lines)
