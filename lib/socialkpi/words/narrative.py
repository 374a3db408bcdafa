"""Sentences generated from the numbers, in the page's language (words from the catalogue,
numbers from ``words.formats``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from socialkpi import metrics
from socialkpi.metrics.periods import DEFAULT_TIMEZONE
from socialkpi.words.formats import date, datetime_local, number, text
from socialkpi.words.i18n import t, word


def kpi_name(kpi_id: str, lang: str, chosen: str | None = None) -> str:
    """A KPI's display name; ``engagement_rate`` is named by the ``chosen`` definition
    (``kpi.engagement_rate_for``; a report's rows carry theirs as ``definition``)."""
    d = metrics.dictionary()
    return (d.get(kpi_id) or d[chosen or "engagement_rate_reach"]).name[lang]


def kpi_sentence(row: pd.Series, lang: str = "en", currency: str | None = None) -> str:
    """One sentence for one KPI row of ``kpi.kpi_report``: value, change vs the previous
    period, direction, and whether it is beyond normal variation."""
    name = kpi_name(row.get("definition", row["kpi"]), lang)
    unit = row["unit"]
    value = number(row["value"], unit, lang, currency)
    if math.isnan(row["previous"]) or math.isnan(row["value"]):
        return t("sentence.kpi_new", lang, name=name, value=value)
    delta = row["value"] - row["previous"]
    if delta == 0:
        return t(
            "sentence.kpi_flat",
            lang,
            name=name,
            value=value,
            assessment=word("assessment", row["assessment"], lang),
        )
    direction = t(f"sentence.{'up' if delta > 0 else 'down'}", lang)
    change = number(abs(delta), unit, lang, currency, signed=unit == "percent").lstrip("+")
    return t(
        "sentence.kpi",
        lang,
        name=name,
        value=value,
        direction=direction,
        change=change,
        previous=number(row["previous"], unit, lang, currency),
        assessment=word("assessment", row["assessment"], lang),
    )


def goal_label(kpi_id: str, platforms: list[str], lang: str = "en") -> str:
    """What a reader calls a goal: its KPI, and the platforms it is limited to
    (``Instagram 互動率（依觸及）``)."""
    names = t("word.and", lang).join(text(p, "platform", lang) for p in platforms or [])
    return f"{names} {kpi_name(kpi_id, lang)}" if names else kpi_name(kpi_id, lang)


def measure_label(kpi_id: str, platforms: list[str], statistic: object, lang: str = "en") -> str:
    """What a follow-up measures: a goal's KPI on its platforms (:func:`goal_label`), or, for
    ``post_median``, the typical post of its platforms (``Instagram 一般貼文的互動率（中位數）``)."""
    if statistic != "post_median":
        return goal_label(kpi_id, platforms, lang)
    names = platform_names(platforms, lang) if platforms else t("platform.all", lang)
    return t("summary.measure_post_median", lang, platforms=names, kpi=kpi_name(kpi_id, lang))


def smart_message(finding, lang: str = "en", currency: str | None = None) -> str:
    """A SMART finding (``goal_setting.analysis.Finding``) in words: ids become names, numbers are formatted
    by the KPI's unit."""
    values = dict(finding.values)
    unit = metrics.dictionary()[values["kpi"]].unit
    shown = {"kpi": kpi_name(values["kpi"], lang)}
    for key, value in values.items():
        if key in ("measures", "objective"):
            shown[key] = word("objective", value, lang)
        elif key in ("horizon", "length"):
            shown[key] = word("horizon", value, lang)
        elif key in ("target", "baseline"):
            shown[key] = number(value, unit, lang, currency)
        elif key == "need":
            shown[key] = f"{value:+.1%}"
        elif key in ("start", "end"):
            shown[key] = date(value, lang)
        elif key != "kpi":
            shown[key] = value
    return t(f"smart.{finding.message}", lang, **shown)


@dataclass(frozen=True)
class SaidAction:
    """One recommended action in words: the advice, its evidence, the goal it serves and how it
    will be checked."""

    text: str
    evidence: str
    serves: str
    follow_up: str


@dataclass(frozen=True)
class Said:
    """An executive summary (``summary.Summary``) in one language."""

    headline: str
    scope: str
    movers: list[str]
    risks: list[str]
    actions: list[SaidAction]
    candidates: list[str]
    notes: list[str]  # KPIs not in these exports, a substituted definition
    no_actions: str  # what is said when no action has the evidence


def say(s, lang: str = "en", currency: str | None = None, timezone: str = DEFAULT_TIMEZONE) -> Said:
    """The summary ``s`` in ``lang``: every number formatted by its unit, every id a word."""

    def num(value, unit="count", signed=False):
        return number(value, unit, lang, currency, signed)

    platforms = t("word.and", lang).join(text(p, "platform", lang) for p in s.scope)
    scope = t(
        "summary.scope",
        lang,
        platforms=platforms or t("summary.scope_all", lang),
        month=date(s.month, lang, "month"),
    )
    notes = [unavailable(s.unavailable, lang, s.engagement_rate)] if s.unavailable else []
    notes += [redefinition(c, lang) for c in s.redefined]
    if s.account_level:
        names = t("word.and", lang).join(text(p, "platform", lang) for p in s.account_level)
        notes.append(t("report.account_level", lang, platforms=names))
    if s.engagement_rate and s.engagement_rate != s.engagement_rate_requested:
        notes.append(
            t(
                "summary.fallback",
                lang,
                requested=kpi_name(s.engagement_rate_requested, lang),
                used=kpi_name(s.engagement_rate, lang),
            )
        )
    money = getattr(s, "money", None)
    headline = _headline(s, lang, num)
    if money is not None:
        headline = f"{headline}{_money(money, lang)}"  # the sentence brings its own space
    return Said(
        headline=headline,
        scope=scope,
        movers=[_mover(m, lang, num, s.scope) for m in s.movers]
        or [t("summary.movers_none" if s.comparable else "summary.movers_no_previous", lang)],
        risks=[_risk(r, lang, num, timezone) for r in s.risks] or [t("summary.risks_none", lang)],
        actions=[_action(a, lang, num) for a in s.actions]
        + [_budget_move(m, money, lang) for m in (money.moves if money else ())],
        candidates=[_candidate(c, lang, num) for c in s.candidates],
        notes=notes,
        no_actions=t("summary.actions_none", lang, min_posts=s.min_posts),
    )


def redefinition(change, lang: str) -> str:
    """One sentence on a platform's documented change to a component
    (``metrics.DefinitionChange``): what stopped, from when, what replaces it, and that it is
    not compared across that day."""
    return t(
        "report.redefined",
        lang,
        platform=_platform_name(change.platform, lang),
        component=word("component", change.component, lang),
        replacement=word("component", change.replaced_by or "", lang),
        date=date(change.since.isoformat(), lang),
    )


def _platform_name(platform: str, lang: str) -> str:

    return text(platform, "platform", lang)


def unavailable(kpis: list[str], lang: str, chosen: str | None = None) -> str:
    """One sentence naming the KPIs these exports have no data for."""
    names = ("、" if lang == "zh-TW" else ", ").join(kpi_name(k, lang, chosen) for k in kpis)
    return t("summary.unavailable", lang, names=names)


def _goal_values(g: dict, lang: str, num) -> dict:
    return {
        "goal": goal_label(g["kpi"], g["platforms"], lang),
        "latest": num(g["latest"], g["unit"]),
        "target": num(g["target"], g["unit"]),
        "projected": num(g["projected"], g["unit"]),
        "end": date(g["end"], lang),
    }


def _headline(s, lang: str, num) -> str:
    if not s.goals:
        return t("summary.headline_no_goals", lang)
    counts = s.goal_counts
    total = len(s.goals)
    if counts["on-track"] == total:
        return t("summary.headline_all_on_track", lang, total=total)
    said = ("、" if lang == "zh-TW" else ", ").join(
        t(f"summary.count_{status}", lang, count=n) for status, n in counts.items() if n
    )
    lagging = [g for g in s.goals if g["status"] == "off-track"]
    lagging += [g for g in s.goals if g["status"] == "at-risk"]
    if not lagging:
        return t("summary.headline", lang, total=total, counts=said)
    details = ("；" if lang == "zh-TW" else "; ").join(
        t("summary.lag", lang, **_goal_values(g, lang, num)) for g in lagging[:2]
    )
    return t("summary.headline_lagging", lang, total=total, counts=said, details=details)


def platform_names(platforms, lang: str) -> str:
    """Platforms as a reader lists them: ``Facebook、Instagram`` / ``Facebook, Instagram``."""
    return t("word.and", lang).join(text(p, "platform", lang) for p in platforms)


def scoped_name(kpi_id: str, covered, scope, lang: str) -> str:
    """A KPI's name, with the platforms its total covers when they are fewer than the page's
    (``scope.partial``): ``粉絲數（僅 Facebook）``."""
    from socialkpi.metrics.scope import partial

    name = kpi_name(kpi_id, lang)
    if not partial(metrics.dictionary()[kpi_id].source, tuple(covered or ()), tuple(scope or ())):
        return name
    return t("summary.scoped_name", lang, name=name, platforms=platform_names(covered, lang))


def mid_sentence(name: str, lang: str) -> str:
    """A KPI's name inside an English sentence starts in lower case (``link clicks``), unless
    it starts with an abbreviation (``CTR``); other languages have no case.

    >>> mid_sentence("Link clicks", "en"), mid_sentence("CTR", "en"), mid_sentence("粉絲數", "zh-TW")
    ('link clicks', 'CTR', '粉絲數')
    """
    if lang != "en" or len(name) < 2 or not name[1].islower():
        return name
    return name[0].lower() + name[1:]


def _mover(m, lang: str, num, scope=()) -> str:
    if m.unit == "percent":
        change = num(abs(m.change), "percent", signed=True).lstrip("+")
    elif m.previous:
        change = number(abs(m.change / m.previous), "share", lang)
    else:
        change = num(abs(m.change), m.unit)
    return t(
        "summary.mover",
        lang,
        name=scoped_name(m.kpi, m.scope, scope, lang),
        direction=t(f"summary.{'rose' if m.change > 0 else 'fell'}", lang),
        change=change,
        value=num(m.value, m.unit),
        previous=num(m.previous, m.unit),
        driver=_driver(m, lang, num, scope),
    )


def _signed_share(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + number(value, "share", lang)


def _driver(m, lang: str, num, scope=()) -> str:
    d = m.driver
    if d["kind"] == "effect":
        side = "up" if d["value"] > 0 else "down"
        measure = word("component", metrics.dictionary()[m.kpi].numerator or m.kpi, lang)
        effect = t(f"summary.effect_{d['effect']}_{side}", lang, measure=measure)
        return t("summary.driver_effect", lang, effect=effect, value=num(d["value"], signed=True))
    if d["kind"] == "ratio":
        covered = tuple(d.get("platforms") or ())
        narrower = bool(covered) and set(covered) < set(scope or covered)
        return t(
            "summary.driver_ratio_scoped" if narrower else "summary.driver_ratio",
            lang,
            platforms=platform_names(covered, lang),
            numerator=word("component", d["numerator"], lang),
            numerator_change=_signed_share(d["numerator_change"], lang),
            denominator=word("component", d["denominator"], lang),
            denominator_change=_signed_share(d["denominator_change"], lang),
        )
    if d["kind"] == "platform":
        return t(
            "summary.driver_platform",
            lang,
            platform=text(d["platform"], "platform", lang),
            value=num(d["value"], m.unit, signed=True),
        )
    return ""


def _money(m, lang: str) -> str:
    """The headline's money sentence: the month's cost (against the budget) and its return."""

    def cash(value):
        return number(value, "currency", lang, m.currency)

    spent = (
        t("summary.money_budget", lang, total=cash(m.total), budget=cash(m.budget))
        if not math.isnan(m.budget)
        else t("summary.money", lang, total=cash(m.total))
    )
    if math.isnan(m.roi):
        back = t("summary.money_no_roi", lang)
    else:
        back = t(
            "summary.money_roi", lang, roi=number(m.roi, "percent", lang), revenue=cash(m.revenue)
        )
    return f"{spent}{back}"


def _budget_move(move, m, lang: str) -> SaidAction:
    """A budget move between ad platforms, as an action with its evidence."""
    values = {
        "better": text(move.better, "channel", lang),
        "worse": text(move.worse, "channel", lang),
        "kind": text(str(move.result_type).split(":")[-1].replace(".", "_"), "result_type", lang),
        "ratio": number(move.ratio, "number", lang),
        "low": number(move.low, "number", lang),
        "high": number(move.high, "number", lang),
        "results_better": number(move.results_better, "count", lang),
        "results_worse": number(move.results_worse, "count", lang),
        "currency": m.currency,
    }
    return SaidAction(
        t("summary.action_budget", lang, **values),
        t("summary.evidence_budget", lang, **values),
        t("summary.serves_none", lang),
        t("summary.follow_up_budget", lang, **values),
    )


def _risk(r, lang: str, num, timezone: str) -> str:
    v = r.values
    if r.kind == "pace":
        if isinstance(v.get("channel"), str):
            line = text(v["channel"], "channel", lang)
        else:
            line = text(v["category"], "cost_category", lang)
            if isinstance(v.get("platform"), str):
                line = f"{line} · {text(v['platform'], 'platform', lang)}"
        done = "_done" if v["days_left"] == 0 else ""
        return t(
            f"summary.risk_pace_{v['status']}{done}",
            lang,
            line=line,
            projected=num(v["projected"], "currency"),
            budget=num(v["budget"], "currency"),
            days=num(v["days_left"]),
        )
    if r.kind == "line_blocks":
        return t(
            "summary.risk_line_blocks" if v.get("title") else "summary.risk_line_blocks_untitled",
            lang,
            day=date(v["day"], lang),
            title=v.get("title") or "",
            blocks=num(v["blocks"]),
            sent=num(v["sent"]),
            earlier=num(v["earlier"]),
            usual=num(round(v["usual"])),
        )
    if r.kind == "crisis":
        answered = not math.isnan(v.get("first_response_h", math.nan))
        return t(
            "summary.risk_crisis" if answered else "summary.risk_crisis_unanswered",
            lang,
            start=datetime_local(v["start"], timezone, lang),
            volume=num(v["volume"]),
            negative=num(v["negative_share"], "percent"),
            first=num(v.get("first_response_h"), "hours"),
        )
    if r.kind == "off_track":
        return t("summary.risk_off_track", lang, **_goal_values(v, lang, num))
    if r.kind == "stale":
        fell = t("word.and", lang).join(
            mid_sentence(kpi_name(k, lang), lang) for k in v.get("kpis", [])
        )
        return t(
            "summary.risk_stale_fell" if fell else "summary.risk_stale",
            lang,
            platform=text(v["platform"], "platform", lang),
            day=date(v["day"], lang),
            kpis=fell,
        )
    if r.kind == "gap":
        units = {
            k: metrics.dictionary()[k].unit if k in metrics.dictionary() else "count"
            for k in v["kpis"]
        }
        items = t("word.and", lang).join(
            t(
                "summary.gap_item",
                lang,
                name=mid_sentence(kpi_name(k, lang), lang),
                previous=num(p, units[k]),
            )
            for k, p in zip(v["kpis"], v["previous"], strict=True)
        )
        return t(
            "summary.risk_gap", lang, platform=text(v["platform"], "platform", lang), kpis=items
        )
    return t("summary.risk_missing", lang, platform=text(v["platform"], "platform", lang))


def group_label(c, lang: str) -> str:
    """An evidence comparison's group as a word (a content type, topic, weekday, part of day)."""
    kind = {"content_type": "content_type", "topic": "topic", "weekday": "weekday"}.get(c.by)
    return word("daypart", c.group, lang) if c.by == "daypart" else text(c.group, kind, lang)


def _evidence(c, lang: str, num) -> dict:
    unit = metrics.dictionary()[c.metric].unit
    return {
        "n": c.n,
        "n_rest": c.n_rest,
        "median": num(c.median, unit),
        "median_rest": num(c.median_rest, unit),
        "difference": num(c.difference, unit, signed=True),
        "low": num(c.low, unit, signed=True),
        "high": num(c.high, unit, signed=True),
    }


def _platform(c, lang: str) -> str:

    return text(c.platform, "platform", lang) if c.platform else t("platform.all", lang)


def _action(a, lang: str, num) -> SaidAction:
    c = a.evidence
    label = group_label(c, lang)
    platform = _platform(c, lang)
    text = t(f"summary.action_{a.kind}_{c.by}", lang, label=label, platform=platform)
    if a.kind == "staff":
        evidence = t("summary.evidence_replies", lang, group=label, **_evidence(c, lang, num))
    else:
        group = t(f"summary.group_{c.by}", lang, label=label)
        evidence = t(
            "summary.evidence_posts",
            lang,
            group=group,
            platform=platform,
            **_evidence(c, lang, num),
        )
    if a.goal is None:
        serves = t("summary.serves_none", lang)
    else:
        goal = goal_label(a.goal["kpi"], a.goal["platforms"], lang)
        serves = (
            t("summary.serves", lang, goal=goal, owner=a.owner)
            if a.owner
            else t("summary.serves_no_owner", lang, goal=goal)
        )
    return SaidAction(text, evidence, serves, follow_up_text(a, lang, num))


def follow_up_text(a, lang: str, num) -> str:
    """An action's own follow-up in words (``advice.follow_up``)."""
    c, f = a.evidence, a.follow_up
    unit = metrics.dictionary()[f["kpi"]].unit
    values = {
        "due": date(f["due"], lang),
        "baseline": num(f["baseline"], unit),
        "target": num(f["target"], unit),
        "label": group_label(c, lang),
        "platform": _platform(c, lang),
    }
    if a.kind == "staff":
        return t("summary.follow_up_replies", lang, **values)
    group = t(f"summary.group_{c.by}", lang, label=values["label"])
    side = (
        t("summary.side_group", lang, group=group)
        if a.kind == "more"
        else t("summary.side_rest", lang)
    )
    return t("summary.follow_up_posts", lang, side=side, **values)


def _candidate(cand, lang: str, num) -> str:
    from socialkpi.metrics.evidence import WINDOW_MONTHS

    c = cand.evidence
    values = _evidence(c, lang, num)
    if cand.reason == "contradicts":
        why = t("summary.why_contradicts", lang, other=finding_label(cand.other, lang))
    elif cand.reason == "windows":
        why = t("summary.why_windows", lang, months=WINDOW_MONTHS)
    elif cand.reason == "interval":
        why = t("summary.why_interval", lang, low=values["low"], high=values["high"])
    else:
        why = t("summary.why_few", lang, min_posts=c.min_posts)
    group = t(f"summary.group_{c.by}", lang, label=group_label(c, lang))
    return t("summary.candidate", lang, group=group, why=why, platform=_platform(c, lang), **values)


def finding_label(key: str, lang: str) -> str:
    """A finding id (``instagram:content_type:reel``) as a reader names it
    (``Instagram 「連續短片」類型``)."""
    from socialkpi.metrics.evidence import Comparison

    platform, by, group = (key.split(":", 2) + ["", ""])[:3]
    c = Comparison(by, group, "", 0, 0, 0, 0, 0, 0, 0, 0, platform)
    return f"{text(platform, 'platform', lang)} {t(f'summary.group_{by}', lang, label=group_label(c, lang))}"
