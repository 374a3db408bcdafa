"""The experiments page (SOP step 內容測試): the month's organic A/B tests, running and
finished, each with its verdict, effect, interval and posts per variant; how the verdicts are
reached; and candidate tests from the month's differences that lack evidence.
:func:`tests_done` is also the retrospective's section on finished tests."""

from __future__ import annotations

import html

import altair as alt
import pandas as pd

from socialkpi import files, presentation, reads
from socialkpi.config import brands
from socialkpi.presentation import Col, charts
from socialkpi.presentation import sections as _shared
from socialkpi.presentation.page import Page
from socialkpi.steps.experiments import analysis as experiments
from socialkpi.steps.experiments import reader
from socialkpi.steps.experiments.reader import Result
from socialkpi.words import narrative

_CARD = "border:1px solid #e2e8f0;border-radius:8px;padding:10px 14px;margin:10px 0"
_MUTED = "color:#4a5568;font-size:13px"
VERDICT_COLOURS = {
    "difference": "#276749",
    "no_detectable_difference": "#4a5568",
    "inconclusive": "#b7791f",
}


def results(page: Page) -> list[Result]:
    """The month's experiments (``reader.month_results``)."""
    return reader.month_results(page.con, page.brand, page.month)


def variant_name(page: Page, result: Result, variant: str) -> str:
    """A variant as the file names it for the page's language, else its key."""
    return brands.display_name(result.experiment.variants[variant].name, page.lang, variant)


def hypothesis(page: Page, result: Result) -> str:
    """The experiment's hypothesis in the page's language (as written, if written once)."""
    return brands.display_name(result.experiment.hypothesis, page.lang, result.experiment.id)


def summary(page: Page, found: list[Result]):
    """How many tests ran, finished and found a difference; or how to start one."""
    if not found:
        return page.empty("empty.experiments", "empty.experiments_how")
    done = [r for r in found if r.finished]
    return presentation.sentences(
        [
            page.t(
                "experiments.summary",
                tests=len(found),
                finished=len(done),
                differences=sum(r.analysis.verdict == "difference" for r in done),
                running=len(found) - len(done),
            )
        ]
    )


def verdict(page: Page, result: Result) -> str:
    """The verdict in one sentence with its evidence: effect, interval, p-value and posts;
    the smallest difference the posts could detect; or why there is no verdict yet."""
    a = result.analysis
    posts = page.t("word.list_sep").join(
        page.t("experiments.posts_of", variant=variant_name(page, result, v), posts=n)
        for v, n in a.posts.items()
    )
    if a.reason == "running":
        end = presentation.date(result.experiment.end, page.lang, "short")
        return page.t("experiments.running", end=end, posts=posts, min_posts=a.min_posts)
    if a.reason == "too_few":
        return page.t("experiments.too_few", posts=posts, min_posts=a.min_posts)
    top = a.headline
    values = {
        "better": variant_name(page, result, top.better),
        "worse": variant_name(page, result, top.worse),
        "metric": narrative.kpi_name(a.metric, page.lang),
        "effect": page.number(top.effect, "relative"),
        "low": page.number(top.low, "relative", signed=True),
        "high": page.number(top.high, "relative", signed=True),
        "level": page.number(a.level, "relative"),
        "p": p_value(top.p_value),
        "posts": posts,
    }
    if a.verdict == "difference":
        key = "experiments.difference" if a.winner else "experiments.difference_no_winner"
        return page.t(key, **values)
    mde = page.number(a.mde, "relative") if a.mde is not None else presentation.DASH
    return page.t("experiments.no_difference", mde=mde, **values)


def p_value(p: float) -> str:
    """A p-value as statisticians write it: two decimals, three below 0.01, else "< 0.001".

    >>> p_value(0.4041), p_value(0.0062), p_value(0.0004)
    ('0.40', '0.006', '< 0.001')
    """
    if p < 0.001:
        return "< 0.001"
    return f"{p:.3f}" if p < 0.01 else f"{p:.2f}"


def cards(page: Page, found: list[Result]):
    """One card per experiment: hypothesis, platforms and period, the verdict sentence and a
    table of its variants (posts, median per-post value)."""
    if not found:
        return presentation.HTML("")
    return presentation.HTML("".join(_card(page, r) for r in found))


def _card(page: Page, result: Result) -> str:
    e, a = result.experiment, result.analysis
    period = page.t(
        "word.interval",
        low=presentation.date(e.start, page.lang, "short"),
        high=presentation.date(e.end, page.lang, "short"),
    )
    where = page.t("word.list_sep").join(page.t(f"platform.{p}") for p in e.platforms) or page.t(
        "experiments.every_platform"
    )
    state = a.verdict if a.reason is None else a.reason
    badge = (
        f'<span style="color:#fff;background:{VERDICT_COLOURS[a.verdict]};border-radius:4px;'
        f'padding:1px 6px;font-size:12px">{html.escape(page.t(f"outcome.{state}"))}</span>'
    )
    meta = page.t(
        "experiments.meta",
        platforms=where,
        period=period,
        metric=narrative.kpi_name(a.metric, page.lang),
    )
    return (
        f'<div class="skpi-experiment" style="{_CARD}">'
        f'<p style="margin:0 0 4px"><strong>{html.escape(hypothesis(page, result))}</strong> '
        f"{badge}</p>"
        f'<p style="{_MUTED};margin:0 0 6px">{html.escape(meta)}</p>'
        f'<p style="margin:0">{html.escape(verdict(page, result))}</p>'
        "</div>"
    )


def variants(page: Page, found: list[Result]):
    """Every experiment's variants: posts and the median per-post value of its metric."""
    rows = []
    for r in found:
        posts = reader.experiment_posts(page.con, page.brand, r.experiment)
        posts = posts[posts["day"] <= pd.Timestamp(r.as_of)]
        assigned = experiments.assign(posts, r.experiment)
        for v in r.experiment.variants:
            values = posts.loc[assigned.eq(v).fillna(False), r.analysis.metric]
            rows.append(
                {
                    "test": hypothesis(page, r),
                    "variant": variant_name(page, r, v),
                    "selector": _selector(page, r.experiment.variants[v]),
                    "posts": r.analysis.posts[v],
                    "median": values.median() if len(values) else None,
                    "unit": "percent",
                }
            )
    if not rows:
        return presentation.HTML("")
    cols = [
        Col("test", "col.test", width="34%"),
        Col("variant", "col.variant"),
        Col("selector", "col.selector"),
        Col("posts", "col.posts", "count"),
        Col("median", "col.median_rate", "percent"),
    ]
    frame = pd.DataFrame(rows)
    notes = [_why_differ(page, r, frame) for r in found]
    return page.table(frame, cols, notes=[n for n in notes if n])


def _why_differ(page: Page, result: Result, rows: pd.DataFrame) -> str | None:
    """One plain sentence when the model's better variant has the lower median post (the
    two measure different things; the page should not leave the reader to guess why)."""
    top = result.analysis.headline
    if top is None:
        return None
    mine = rows[rows["test"] == hypothesis(page, result)].set_index("variant")["median"]
    better, worse = variant_name(page, result, top.better), variant_name(page, result, top.worse)
    if better not in mine or worse not in mine or not mine[better] < mine[worse]:
        return None
    return page.t(
        "experiments.why_differ", test=hypothesis(page, result), better=better, worse=worse
    )


def _selector(page: Page, selector: experiments.Selector) -> str:
    parts = []
    for key in ("hashtag", "label", "content_type", "post_ids", "caption_regex"):
        value = getattr(selector, key)
        if value is None:
            continue
        if key == "content_type":
            value = page.t(f"content_type.{value}")
        elif key == "post_ids":
            value = page.t("experiments.post_count", posts=len(value))
        parts.append(page.t(f"selector.{key}", value=value))
    return page.t("word.list_sep").join(parts)


def effects_chart(page: Page, found: list[Result]) -> alt.Chart | None:
    """Each finished test's effect (the better variant over the other) with its interval,
    against no difference; None when no test has finished with a verdict."""
    rows = [
        {
            "test": hypothesis(page, r),
            "effect": r.analysis.headline.effect,
            "low": r.analysis.headline.low,
            "high": r.analysis.headline.high,
            "verdict": page.t(f"outcome.{r.analysis.verdict}"),
        }
        for r in found
        if r.analysis.headline is not None
    ]
    if not rows:
        return None
    return charts.effects(
        pd.DataFrame(rows),
        page.t("experiments.effect_axis"),
        [page.t(f"outcome.{v}") for v in ("difference", "no_detectable_difference")],
        [VERDICT_COLOURS[v] for v in ("difference", "no_detectable_difference")],
    )


def method(page: Page, found: list[Result]):
    """How a verdict is reached, with the covariates each test adjusted for."""
    lines = [page.t("experiments.method"), page.t("experiments.method_verdict")]
    for r in found:
        a = r.analysis
        if a.reason is None:
            named = page.t("word.list_sep").join(page.t(f"col.{c}").lower() for c in a.covariates)
            lines.append(
                page.t(
                    "experiments.adjusted",
                    test=hypothesis(page, r),
                    covariates=named or page.t("experiments.no_covariates"),
                )
            )
        if a.correction:
            lines.append(page.t("experiments.holm", test=hypothesis(page, r)))
    terms = html.escape(page.t("experiments.method_terms"))
    return presentation.join(
        presentation.sentences(lines),
        presentation.HTML(f'<p class="skpi-footnote" style="{_MUTED}">{terms}</p>'),
    )


def candidates(page: Page):
    """The month's differences that lack evidence (the summary's "worth testing"), each with
    the posts per variant a test of that size needs, to adopt into the experiment file."""
    s = _shared.executive_summary(page)
    if not s.candidates:
        return page.empty("empty.candidates_tests")
    posts = reads.posts_of(page.con, page.brand, page.month, page.platforms)
    lines = narrative.say(s, page.lang, page.currency).candidates
    out = []
    for cand, line in zip(s.candidates, lines, strict=True):
        c = cand.evidence
        mine = posts[posts["platform"] == c.platform] if c.platform else posts
        effect = abs(c.difference / c.median_rest) if c.median_rest else None
        spread = experiments.log_spread(mine[c.metric]) if c.metric in mine else float("nan")
        if effect and spread == spread:
            n = experiments.posts_needed(spread, effect)
            size = page.t(
                "experiments.candidate_size", effect=page.number(effect, "relative"), posts=n
            )
            line = page.t("word.two_sentences", first=line, second=size)
        out.append(line)
    return presentation.sentences(out + [page.t("experiments.adopt")])


def schedule_csv(test: experiments.Experiment, slots: pd.DataFrame, lang: str) -> bytes:
    """A test's slots in the content plan's layout (``lang`` headers; UTF-8 with a BOM for
    Excel), each noting its test and variant, ready to import as plan items."""
    from socialkpi.metrics.plan import PLAN_LAYOUT, plan_id
    from socialkpi.words.i18n import t

    rows = []
    for r in slots.itertuples():
        selector = test.variants[r.variant]
        name = brands.display_name(selector.name, lang, r.variant)
        rows.append(
            [
                plan_id(test.id, "test", f"{r.day:%Y-%m-%d}", r.platform, r.variant),
                f"{r.day:%Y-%m-%d}",
                r.planned_time,
                t(f"platform.{r.platform}", lang),
                brands.display_name(test.hypothesis, lang, test.id),
                t(f"content_type.{selector.content_type}", lang) if selector.content_type else "",
                t("calendar.status_idea", lang),
                "",
                "",
                t(
                    "experiments.slot_note",
                    lang,
                    test=test.id,
                    variant=r.variant,
                    name=name,
                    tag=selector.hashtag or "",
                ).strip(),
            ]
        )
    frame = pd.DataFrame(rows, columns=[t(f"plan_layout.{c}", lang) for c in PLAN_LAYOUT])
    return files.csv_bytes(frame)


def tests_done(page: Page):
    """What worked: the tests that finished this month, each with its verdict and evidence
    (the retrospective shows this section)."""
    p = pd.Period(page.month, "M")
    done = [r for r in results(page) if r.finished and pd.Period(r.experiment.end, "M") == p]
    if not done:
        return page.empty("empty.tests_done")
    return presentation.sentences(
        [
            page.t(
                "experiments.result_line",
                test=hypothesis(page, r),
                verdict=verdict(page, r),
            )
            for r in done
        ]
    )
