"""The command line, the month in numbers: socialkpi metrics, kpi, summary, competitors, plan."""

from __future__ import annotations

from pathlib import Path

from socialkpi import store
from socialkpi.cli._common import (
    OK,
    UsageError,
    WorkFailed,
    _command,
    _count,
    _open_for,
)
from socialkpi.config import brands
from socialkpi.metrics.periods import DEFAULT_TIMEZONE


def _add_metrics(sub, shared) -> None:
    cmd = _command(
        sub,
        "metrics",
        "print the metric dictionary",
        "socialkpi metrics --lang en",
        [shared["lang"]],
    )
    cmd.set_defaults(run=_metrics)


def _add_kpi(sub, shared) -> None:
    cmd = _command(
        sub,
        "kpi",
        "a period's KPI values with comparisons",
        "socialkpi kpi --brand lumi_tea --month 2026-10 --kpi reach engagement_rate",
        [shared["brand"], shared["lang"], shared["db"]],
    )
    cmd.add_argument(
        "--month", required=True, metavar="YYYY-MM", help="or a week 2026-W40, quarter 2026Q4"
    )
    cmd.add_argument("--platform", help="one platform (default: all platforms together)")
    cmd.add_argument(
        "--kpi", nargs="+", metavar="ID", help="KPI ids (default: all; see `socialkpi metrics`)"
    )
    cmd.add_argument("--format", choices=["table", "json"], default="table")
    cmd.set_defaults(run=_kpi)


def _add_summary(sub, shared) -> None:
    cmd = _command(
        sub,
        "summary",
        "a month's executive summary: goals, movers, risks, actions",
        "socialkpi summary --brand lumi_tea --month 2026-10 --format md",
        [shared["brand"], shared["month"], shared["lang"], shared["goals"], shared["db"]],
    )
    cmd.add_argument(
        "--format",
        choices=["text", "md", "json"],
        default="text",
        help="md pastes into email, Slack or LINE",
    )
    cmd.add_argument(
        "--min-posts",
        type=_count,
        default=5,
        metavar="N",
        help="posts each group needs before advice is given (default %(default)s)",
    )
    cmd.set_defaults(run=_summary)


def _add_competitors(sub, shared) -> None:
    cmd = _command(
        sub,
        "competitors",
        "a month's competitor benchmark: share of voice, cadence, engagements per post",
        "socialkpi competitors --brand lumi_tea --month 2026-10 --format json",
        [shared["brand"], shared["month"], shared["lang"], shared["db"]],
    )
    cmd.add_argument("--format", choices=["text", "json"], default="text")
    cmd.add_argument(
        "--min-age",
        type=_count,
        default=7,
        metavar="DAYS",
        help="compare posts at least this old when counted (default %(default)s)",
    )
    cmd.set_defaults(run=_competitors)


def _add_plan(sub, shared) -> None:
    cmd = _command(
        sub,
        "plan",
        "a month's content plan against the posts that went out (on time, late, missed), or "
        "with 'draft' a draft plan for the month as CSV (the plan's layout) and .ics",
        "socialkpi plan --brand lumi_tea --month 2026-10 --format json\n"
        "  socialkpi plan draft --brand lumi_tea --month 2026-11 --out drafts/",
        [shared["brand"], shared["month"], shared["lang"], shared["db"]],
    )
    cmd.add_argument(
        "action",
        nargs="?",
        choices=["review", "draft"],
        default="review",
        help="review (default): the month against its plan; draft: a plan for the month",
    )
    cmd.add_argument("--format", choices=["text", "json"], default="text")
    cmd.add_argument("--out", metavar="DIR", help="draft: folder for the CSV and .ics files")
    cmd.set_defaults(run=_plan)


def _metrics(args) -> int:
    from socialkpi.words.cli_text import dictionary_text

    print(dictionary_text(args.lang))
    return OK


def _kpi(args) -> int:
    import json

    from socialkpi.metrics import kpi
    from socialkpi.words.cli_text import kpi_json, kpi_text

    con, _ = _open_for(args.db, args.brand)
    platforms = [args.platform] if args.platform else None
    try:
        report = kpi.kpi_report(con, args.brand, args.month, platforms, args.kpi)
    except (KeyError, ValueError) as err:  # an unknown KPI id or period
        raise UsageError(err.args[0]) from err
    if report.empty:
        raise WorkFailed(f"no data for {args.brand} in {args.month}")
    platform = args.platform or "all"
    if args.format == "json":
        out = kpi_json(report, args.month, platform, args.lang)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(kpi_text(report, f"{args.brand} · {args.month} · {platform}", platform, args.lang))
    return OK


def _summary(args) -> int:
    import json

    from socialkpi import reads
    from socialkpi.metrics.goals import GoalsError
    from socialkpi.words import narrative
    from socialkpi.words.cli_text import summary_json, summary_text

    con, _ = _open_for(args.db, args.brand)
    goals_path = Path(args.goals) if args.goals else brands.file_for(Path("data/goals"), args.brand)
    if args.goals and not goals_path.exists():
        raise UsageError(f"no goals file at {goals_path}")
    try:
        goals_file = reads.load_goals_or_none(goals_path)
    except GoalsError as err:
        raise WorkFailed(str(err)) from err
    s = reads.executive_summary(
        con, args.brand, args.month, args.platform, goals_file, args.min_posts
    )
    if not s.goals and s.engagement_rate == "" and not s.movers:
        raise WorkFailed(f"no data for {args.brand} in {args.month}")
    settings = store.brand_settings(con, args.brand)
    said = narrative.say(
        s, args.lang, settings["currency"], settings["timezone"] or DEFAULT_TIMEZONE
    )
    if args.format == "json":
        print(json.dumps(summary_json(s, said), ensure_ascii=False, indent=2))
    else:
        from socialkpi.presentation import date

        title = f"{store.brand_name(con, args.brand, args.lang)} · {date(args.month, args.lang, 'month')}"
        print(summary_text(said, title, args.lang, markdown=args.format == "md"), end="")
    return OK


def _competitors(args) -> int:
    import json

    from socialkpi.presentation.page import open_page
    from socialkpi.steps.competitors import page as sections
    from socialkpi.steps.competitors import reader
    from socialkpi.words.cli_text import competitors_json, competitors_text

    con, _ = _open_for(args.db, args.brand)
    bm = reader.benchmark(con, args.brand, args.month, args.platform, args.min_age)
    if bm.empty:
        raise WorkFailed(
            f"no competitor numbers for {args.brand} in {args.month}: list competitors in "
            "brands.yaml and import a competitor snapshot or posts CSV"
        )
    page = open_page(con, args.brand, args.month, args.lang, args.platform)
    names = sections.names(page)  # the brand marked "(us)"; JSON has is_brand instead
    if args.format == "json":
        plain = {**names, args.brand: page.name}
        print(json.dumps(competitors_json(bm, plain), ensure_ascii=False, indent=2))
    else:
        from socialkpi.presentation import date

        title = f"{page.name} · {date(args.month, args.lang, 'month')}"
        lines, notes = sections.summary_lines(page, bm), sections.note_lines(page, bm)
        print(competitors_text(bm, title, lines, notes, names, args.lang), end="")
    return OK


def _plan(args) -> int:
    import json

    from socialkpi import reads
    from socialkpi.metrics import plan as plans
    from socialkpi.steps.calendar import analysis as calendar
    from socialkpi.words.cli_text import plan_json, plan_text

    if args.action == "draft":
        return _plan_draft(args)
    con, _ = _open_for(args.db, args.brand)
    items, found = reads.plan_month(con, args.brand, args.month, args.platform)
    if items.empty:
        raise WorkFailed(
            f"no content plan for {args.brand} in {args.month}: import a content-plan CSV "
            "(see README, Canonical CSVs)"
        )
    overall = plans.counts(items, found)
    per_platform = plans.counts(items, found, by="platform")
    if args.format == "json":
        mix = calendar.pillar_mix(items, found, store.pillars(con, args.brand))
        out = plan_json(args.brand, args.month, overall, per_platform, mix)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        from socialkpi.presentation import date
        from socialkpi.words.i18n import t

        title = f"{store.brand_name(con, args.brand, args.lang)} · {date(args.month, args.lang, 'month')}"
        rule = t("note.plan_rule", args.lang, early=plans.EARLY, late=plans.LATE)
        print(plan_text(title, overall, per_platform, rule, args.lang), end="")
    return OK


def _plan_draft(args) -> int:
    """Next month's draft (``socialkpi plan draft``): ``--month`` is the month drafted, from
    the plan and posts of the months before."""
    import pandas as pd

    from socialkpi.files import inside, write_atomically
    from socialkpi.steps.calendar import reader as calendar_reader
    from socialkpi.steps.calendar.page import draft_files

    if not args.out:
        raise UsageError("plan draft needs --out DIR: the folder for the CSV and .ics files")
    con, _ = _open_for(args.db, args.brand)
    before = str(pd.Period(args.month, "M") - 1)
    cal = calendar_reader.content_calendar(con, args.brand, before, args.platform)
    if cal.draft.empty and len(cal.upcoming):  # e.g. a draft imported as the plan
        wanted = int(cal.slots["slots"].sum()) if len(cal.slots) else 0
        print(
            f"nothing new to draft for {args.brand} in {args.month}: it already plans "
            f"{len(cal.upcoming)} posts, and the pace of {before} and the months before asks "
            f"for {wanted}; no files written"
        )
        return OK
    if cal.draft.empty:
        raise WorkFailed(
            f"nothing to draft for {args.brand} in {args.month}: no plan items or posts in "
            f"{before} or the three months before"
        )
    name = store.brand_name(con, args.brand, args.lang)
    zone = store.brand_timezone(con, args.brand)
    for file, data in draft_files(cal, args.lang, name, zone).items():
        path = inside(args.out, file)
        write_atomically(path, data)
        print(path)
    print(f"{len(cal.draft)} posts drafted beside {len(cal.upcoming)} already planned")
    return OK


# the commands this module adds, in the order `socialkpi --help` lists them
COMMANDS = (
    _add_metrics,
    _add_kpi,
    _add_summary,
    _add_competitors,
    _add_plan,
)
