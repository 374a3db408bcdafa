"""Plain-text, Markdown and JSON renderings of the metric dictionary, KPI reports and the
executive summary (CLI, logs, messages)."""

from __future__ import annotations

import math

import pandas as pd

from socialkpi import metrics
from socialkpi.metrics import kpi
from socialkpi.words.formats import number
from socialkpi.words.i18n import t, word
from socialkpi.words.narrative import kpi_name


def dictionary_text(lang: str = "en") -> str:
    """The metric dictionary as a text table in ``lang``."""
    frame = metrics.dictionary_frame(lang)[["id", "name", "definition", "objective"]]
    frame["objective"] = frame["objective"].map(lambda o: word("objective", o, lang))
    frame.columns = [t(f"cli.{c}", lang) for c in frame.columns]
    with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 80):
        return frame.to_string(index=False)


def _num(v) -> float | None:
    """A value for JSON: a float, or None where it is missing."""
    return None if v is None or pd.isna(v) else float(v)


def _rows(report: pd.DataFrame, platform: str) -> pd.DataFrame:
    return report[report["platform"] == platform]


def kpi_text(report: pd.DataFrame, title: str, platform: str = "all", lang: str = "en") -> str:
    """A KPI report as a text table in ``lang`` under ``title``."""
    lines = []
    for r in _rows(report, platform).itertuples():
        name = kpi_name(r.definition, lang) + (" *" if r.kpi == "engagement_rate" else "")
        if isinstance(r.exposure_basis, str) and r.exposure_basis:
            basis = "+".join(word("component", b, lang) for b in r.exposure_basis.split("+"))
            name += f" ({t('cli.basis', lang, basis=basis)})"
        if getattr(r, "account_level", ()):
            name += " †"
        lines.append(
            {
                t("col.kpi", lang): name,
                t("col.value", lang): number(r.value, r.unit, lang),
                t("col.previous", lang): number(r.previous, r.unit, lang),
                t("col.change", lang): number(r.change, r.unit, lang, signed=True),
                t("col.assessment", lang): word("assessment", r.assessment, lang),
                t("col.last_year", lang): number(r.last_year, r.unit, lang),
                t("cli.trailing", lang): number(r.trailing_median, r.unit, lang),
            }
        )
    with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 60):
        table = pd.DataFrame(lines).to_string(index=False)
    notes = [t("cli.chosen_note", lang)]
    by_account = kpi.account_levels(_rows(report, platform))
    if by_account:
        names = t("word.and", lang).join(word("platform", p, lang) for p in by_account)
        notes.append(t("cli.account_note", lang, platforms=names))
    return f"{title}\n{table}\n" + "\n".join(notes)


def kpi_json(report: pd.DataFrame, period: str, platform: str = "all", lang: str = "en") -> dict:
    """KPI id -> value, comparisons and the definition used."""
    names = metrics.dictionary()
    out = {}
    for r in _rows(report, platform).itertuples():
        m = names[r.definition]
        out[r.kpi] = {
            "name": m.name[lang],
            "definition": m.definition[lang],
            "platform": platform,
            "period": period,
            # the platforms the value covers: those whose exports report the KPI
            "scope": {
                "platforms": list(getattr(r, "platforms", ())),
                "period": period,
                "posts": "all",
            },
            # platforms whose part is their daily account totals, not their posts
            "account_level": list(getattr(r, "account_level", ())),
            "unit": r.unit,
            "value": _num(r.value),
            "previous": _num(r.previous),
            "change": _num(r.change),
            "change_interval": [_num(r.change_low), _num(r.change_high)],
            "assessment": r.assessment,
            "assessment_text": word("assessment", r.assessment, lang),
            "last_year": _num(r.last_year),
            "trailing_median": _num(r.trailing_median),
            "exposure_basis": r.exposure_basis if isinstance(r.exposure_basis, str) else None,
        }
    return out


def summary_text(said, title: str, lang: str = "en", markdown: bool = False) -> str:
    """An executive summary (``narrative.Said``) as plain text, or as Markdown that pastes
    cleanly into email, Slack or LINE (bold headline, one bullet per line, no tables)."""
    bold = (lambda x: f"**{x}**") if markdown else (lambda x: x)
    head = (lambda x: f"*{x}*") if markdown else (lambda x: f"{x}")
    lines = [bold(title), "", bold(said.headline), said.scope, ""]

    def part(key: str, items: list[str]) -> None:
        lines.extend([head(t(key, lang)), *(f"- {x}" for x in items), ""])

    part("summary.movers", said.movers)
    part("summary.risks", said.risks)
    lines.append(head(t("summary.actions", lang)))
    for i, a in enumerate(said.actions, 1):
        lines += [f"{i}. {bold(a.text)}", f"   {a.evidence}", f"   {a.serves}", f"   {a.follow_up}"]
    if not said.actions:
        lines.append(said.no_actions)
    lines.append("")
    if said.candidates:
        lines.append(head(t("summary.candidates", lang)))
        part("summary.candidates_intro", said.candidates)
    lines += said.notes
    return "\n".join(lines).rstrip() + "\n"


def summary_json(s, said) -> dict:
    """The summary's structure with its words (``socialkpi summary --format json``)."""

    def num(v):
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

    return {
        "brand": s.brand,
        "month": s.month,
        "scope": {"platforms": list(s.scope), "period": s.month},
        "headline": said.headline,
        "movers": [
            {
                "kpi": m.kpi,
                "scope": {"platforms": list(m.scope), "period": m.period, "posts": "all"},
                "value": num(m.value),
                "previous": num(m.previous),
                "change": num(m.change),
                "unit": m.unit,
                "driver": _plain(m.driver),
                "text": text,
            }
            for m, text in zip(s.movers, said.movers, strict=False)
        ],
        "risks": [
            {
                "kind": r.kind,
                "values": _plain(r.values) if r.kind in ("gap", "stale") else {},
                "text": text,
            }
            for r, text in zip(s.risks, said.risks, strict=False)
        ],
        "unavailable": list(s.unavailable),
        "actions": [
            {
                "finding": a.finding,
                "text": text.text,
                "goal": a.goal["goal"] if a.goal else None,
                "owner": a.owner,
                "evidence": {
                    "compared": {
                        "platform": a.evidence.platform,
                        "by": a.evidence.by,
                        "group": str(a.evidence.group),
                        "metric": a.evidence.metric,
                    },
                    "groups": {str(a.evidence.group): a.evidence.n, "rest": a.evidence.n_rest},
                    "medians": {
                        str(a.evidence.group): num(a.evidence.median),
                        "rest": num(a.evidence.median_rest),
                    },
                    "difference": num(a.evidence.difference),
                    "interval": [num(a.evidence.low), num(a.evidence.high)],
                    "text": text.evidence,
                },
                "follow_up": {
                    "kpi": a.follow_up["kpi"],
                    "statistic": a.follow_up["statistic"],
                    "scope": {"platforms": list(a.follow_up["platforms"]), "period": s.month},
                    "baseline": num(a.follow_up["baseline"]),
                    "target": num(a.follow_up["target"]),
                    "due": a.follow_up["due"].isoformat(),
                    "text": text.follow_up,
                },
            }
            for a, text in zip(s.actions, said.actions, strict=True)
        ],
        "candidates": said.candidates,
        "notes": said.notes,
        "min_posts": s.min_posts,
    }


def _plain(values: dict) -> dict:
    def one(v):
        if isinstance(v, float) and math.isnan(v):
            return None
        if isinstance(v, tuple):
            return list(v)
        return v.isoformat() if hasattr(v, "isoformat") else v

    return {k: one(v) for k, v in values.items()}


def competitors_json(bm, names: dict[str, str]) -> dict:
    """A competitor benchmark (``competitors.reader.Benchmark``) as JSON: ``accounts`` (one entry per
    account and platform, ``platform == "all"`` for the total, the brand with ``is_brand``)
    and ``landscape_average`` per platform without the brand; ``names``: id -> name."""

    def figures(r) -> dict:
        return {
            "followers": _num(r.followers),
            "follower_growth": _num(r.follower_growth),
            "follower_growth_rate": _num(r.follower_growth_rate),
            "posts_per_week": _num(r.posts_per_week),
            "engagements_per_post_median": _num(r.median),
            "engagements_per_post_mean": _num(r.mean),
            "engagement_rate_by_followers": _num(r.engagement_rate),
            "share_of_posts": _num(r.share_of_posts),
            "share_of_engagement": _num(r.share_of_engagement),
        }

    accounts = []
    for r in bm.table.itertuples():
        interval = None if pd.isna(r.low) else {"low": r.low, "high": r.high, "level": 0.95}
        accounts.append(
            {
                "id": r.account,
                "name": names.get(r.account, r.account),
                "is_brand": bool(r.is_brand),
                "platform": r.platform,
                **figures(r),
                "interval": interval,
                "posts_compared": int(r.posts_compared),
                "followers_interpolated_share": _num(r.interpolated),
                "source": r.source or None,
            }
        )
    return {
        "brand": bm.brand,
        "month": bm.month,
        "platforms": bm.platforms,
        "min_age_days": bm.min_age_days,
        "left_out": bm.left_out,
        "accounts": accounts,
        "landscape_average": [
            {"platform": r.platform, **figures(r)} for r in bm.landscape.itertuples()
        ],
        "differences": [
            {
                "platform": r.platform,
                "competitor": r.competitor,
                "direction": r.direction,
                "brand": {"median": r.brand_median, "low": r.brand_low, "high": r.brand_high},
                "them": {"median": r.median, "low": r.low, "high": r.high},
            }
            for r in bm.compared.itertuples()
        ],
    }


def competitors_text(bm, title: str, lines: list[str], notes: list[str], names, lang: str) -> str:
    """A competitor benchmark as text in ``lang``: the sentences, one table per platform
    (all platforms first) and how the numbers were made."""
    out = [title, "", *(f"- {x}" for x in lines), ""]
    for platform in ["all", *bm.platforms]:
        rows = bm.table[bm.table["platform"] == platform]
        table = pd.DataFrame(
            {
                t("col.account", lang): [names.get(a, a) for a in rows["account"]],
                t("col.followers", lang): [number(v, "count", lang) for v in rows["followers"]],
                t("col.follower_growth_rate", lang): [
                    number(v, "percent", lang) for v in rows["follower_growth_rate"]
                ],
                t("col.posts_per_week", lang): [
                    number(v, "count", lang) for v in rows["posts_per_week"]
                ],
                t("col.median_per_post", lang): [number(v, "count", lang) for v in rows["median"]],
                t("col.interval", lang): [
                    "—"
                    if pd.isna(lo)
                    else t(
                        "word.interval",
                        lang,
                        low=number(lo, "count", lang),
                        high=number(hi, "count", lang),
                    )
                    for lo, hi in zip(rows["low"], rows["high"], strict=True)
                ],  # fmt: skip
                t("col.share_of_voice", lang): [
                    number(v, "share", lang) for v in rows["share_of_engagement"]
                ],
            }
        )
        out.append(word("platform", platform, lang))
        with pd.option_context("display.unicode.east_asian_width", True):
            out += [table.to_string(index=False), ""]
    out += [f"* {x}" for x in notes]
    return "\n".join(out) + "\n"


PLAN_COUNTS = (
    "planned",
    "on_time",
    "late",
    "missed",
    "cancelled",
    "published",
    "matched",
    "unplanned",
)


def plan_json(brand: str, month: str, overall, per_platform, mix) -> dict:
    """The month's plan against its posts (``plans.counts`` overall and per platform, and
    ``calendar.pillar_mix``) as JSON."""

    def counts(row) -> dict:
        return {**{k: int(row[k]) for k in PLAN_COUNTS}, "adherence": _num(row["adherence"])}

    return {
        "brand": brand,
        "month": month,
        **counts(overall.iloc[0]),
        "platforms": {r["platform"] or "unknown": counts(r) for _, r in per_platform.iterrows()},
        "pillars": [
            {
                "pillar": r["pillar"] or None,
                "planned": int(r["planned"]),
                "published": int(r["published"]),
                "planned_share": _num(r["planned_share"]),
                "published_share": _num(r["published_share"]),
                "target": _num(r["target"]),
            }
            for _, r in mix.iterrows()
        ],
    }


def plan_text(title: str, overall, per_platform, rule: str, lang: str) -> str:
    """The month's plan against its posts as a text table in ``lang``, all platforms first."""
    rows = pd.concat([overall.assign(platform="all"), per_platform], ignore_index=True)
    table = pd.DataFrame(
        {
            t("col.platform", lang): [
                word("platform", p, lang) if p else "—" for p in rows["platform"]
            ],
            **{
                t(f"col.{k}", lang): [number(v, "count", lang) for v in rows[k]]
                for k in PLAN_COUNTS
                if k != "matched"
            },
            t("col.adherence", lang): [number(v, "percent", lang) for v in rows["adherence"]],
        }
    )
    with pd.option_context("display.unicode.east_asian_width", True):
        return f"{title}\n{table.to_string(index=False)}\n* {rule}\n"


def money_text(m, lang: str = "en", markdown: bool = False) -> str:
    """A month's money (``reads.money.MonthMoney``) as plain text or Markdown: the total
    against the budget, each budget line and its pace, results and cost per result per ad
    platform and result type (with the 95% interval), and the return with its attribution."""
    from socialkpi.words.formats import date, number, span, text

    bold = (lambda x: f"**{x}**") if markdown else (lambda x: x)

    def cash(v):
        return number(v, "currency", lang, m.currency)

    budget = m.lines["budget"].sum(min_count=1) if len(m.lines) else float("nan")
    values = {
        "month": date(m.month, lang, "month"),
        "total": cash(m.total),
        "ads": cash(m.ads_spend),
        "other": cash(m.other_costs),
    }
    if budget == budget and budget:
        head = t(
            "money.headline_budget",
            lang,
            budget=cash(budget),
            share=number(m.total / budget, "share", lang),
            **values,
        )
    else:
        head = t("money.headline", lang, **values)
    lines = [bold(head), ""]
    lines.append(bold(t("section.money_budget", lang)))
    for r in m.lines.itertuples():
        name = (
            text(r.channel, "channel", lang)
            if isinstance(r.channel, str)
            else text(r.category, "cost_category", lang)
        )
        if not isinstance(r.channel, str) and isinstance(r.platform, str):
            name += f" · {text(r.platform, 'platform', lang)}"
        lines.append(
            f"- {name}: {t('money.col_spent', lang)} {cash(r.spent)} · {t('money.col_budget', lang)} "
            f"{cash(r.budget)} · {t('money.col_projected', lang)} {cash(r.projected)} · "
            f"{text(r.status, 'pace', lang)}"
        )
    lines += ["", bold(t("section.money_channels", lang))]
    for r in m.results.itertuples():
        kind = text(str(r.result_type).split(":")[-1].replace(".", "_"), "result_type", lang)
        lines.append(
            f"- {text(r.channel, 'channel', lang)} · {kind}: {t('money.col_results', lang)} "
            f"{number(r.results, 'number', lang)} · {t('money.col_cpr', lang)} {cash(r.cpr)} "
            f"({span(r.cpr_low, r.cpr_high, 'currency', lang, m.currency)})"
        )
    lines += ["", bold(t("section.money_return", lang))]
    if m.revenue != m.revenue:
        lines.append(t("money.roi_no_revenue", lang))
    elif not m.total:
        lines.append(t("money.roi_no_cost", lang))
    else:
        lines.append(
            t(
                "money.roi",
                lang,
                roi=number(m.roi, "percent", lang),
                revenue=cash(m.revenue),
                cost=cash(m.total),
            )
        )
    return "\n".join(lines).rstrip() + "\n"
