"""The command line, content tests: socialkpi experiment plan | schedule | analyze."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from socialkpi import store
from socialkpi.cli._common import (
    OK,
    UsageError,
    WorkFailed,
    _command,
    _count,
    _open_for,
    _positive,
)
from socialkpi.words.i18n import LANGS


def _add_experiment(sub, shared) -> None:
    cmd = _command(
        sub,
        "experiment",
        "organic A/B tests: plan (posts per variant for an effect, from the brand's history), "
        "schedule (a balanced, seeded posting schedule as a content-plan CSV) and analyze "
        "(the verdict of a test in data/experiments/<brand>.yaml)",
        "socialkpi experiment plan --brand lumi_tea --metric engagement_rate_exposure "
        "--platform instagram --effect 0.2\n"
        "  socialkpi experiment schedule --brand lumi_tea --id question-cta --out slots.csv\n"
        "  socialkpi experiment analyze --brand lumi_tea --id question-cta --format json",
        [shared["brand"], shared["db"]],
    )
    cmd.add_argument(
        "action",
        choices=["plan", "schedule", "analyze"],
        help="plan: size a test; schedule: when each variant goes out; analyze: the verdict",
    )
    cmd.add_argument("--metric", help="plan: a per-post KPI (see socialkpi metrics)")
    cmd.add_argument("--platform", metavar="NAME", help="plan: the platform to size for")
    cmd.add_argument(
        "--effect", type=_positive, default=0.2, help="relative difference to detect (0.2 = 20%%)"
    )
    cmd.add_argument(
        "--months", type=_count, default=6, help="months of history (default %(default)s)"
    )
    cmd.add_argument("--id", metavar="ID", help="schedule, analyze: the experiment's id")
    cmd.add_argument(
        "--experiments", metavar="DIR", help="folder of experiment files (default data/experiments)"
    )
    cmd.add_argument(
        "--per-week",
        type=_positive,
        help="schedule: posts a week per platform (default: the last three months' pace)",
    )
    cmd.add_argument(
        "--time", default="20:00", metavar="HH:MM", help="schedule: posting time (%(default)s)"
    )
    cmd.add_argument("--seed", type=int, default=0, help="schedule: the draw (%(default)s)")
    cmd.add_argument("--lang", choices=LANGS, default=LANGS[0], help="schedule: CSV headers")
    cmd.add_argument("--out", metavar="FILE", help="schedule: the CSV to write")
    cmd.add_argument("--format", choices=["text", "json"], default="text")
    cmd.set_defaults(run=_experiment)


def _experiment(args) -> int:
    """``socialkpi experiment plan | schedule | analyze``."""
    return {"plan": _experiment_plan, "schedule": _experiment_schedule}.get(
        args.action, _experiment_analyze
    )(args)


def _experiment_plan(args) -> int:
    """The history's spread and the test's size."""
    import json

    import pandas as pd

    from socialkpi import reads
    from socialkpi.metrics.content import PER_POST
    from socialkpi.steps.experiments import analysis as experiments

    if not args.metric or not args.platform:
        raise UsageError("experiment plan needs --metric and --platform")
    if args.metric not in PER_POST:
        raise UsageError(f"{args.metric!r} is not a per-post KPI; use one of {', '.join(PER_POST)}")
    con, _ = _open_for(args.db, args.brand)
    last = pd.Period(store.latest_complete_month(con) or pd.Timestamp.now().strftime("%Y-%m"), "M")
    first = last - (args.months - 1)
    span = f"{first.start_time:%Y-%m-%d}..{last.end_time:%Y-%m-%d}"
    history = reads.posts_of(con, args.brand, span, [args.platform])
    found = experiments.plan(history, args.metric, args.effect)
    if found["posts_needed"] is None:
        raise WorkFailed(
            f"{args.brand} has fewer than three {args.platform} posts with {args.metric} in "
            f"{first}..{last}: nothing to size a test from"
        )
    found |= {"brand": args.brand, "platform": args.platform, "months": f"{first}..{last}"}
    if args.format == "json":
        found["detectable"] = {str(n): e for n, e in found["detectable"].items()}
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return OK
    print(
        f"{args.brand} · {args.platform} · {args.metric} · {found['history_posts']} posts "
        f"({found['months']})\n"
        f"To detect a {args.effect:.0%} difference (80% power, 5% two-sided): "
        f"{found['posts_needed']} posts per variant.\n"
        "Posts per variant -> smallest difference they detect:"
    )
    for n, effect in found["detectable"].items():
        print(f"  {n:>4} -> {effect:.0%}")
    return OK


def _experiment_of(args):
    """The store and the experiment ``--id`` names in the brand's file."""
    from socialkpi.steps.experiments import reader as testing
    from socialkpi.steps.experiments.analysis import ExperimentError

    if not args.id:
        raise UsageError(f"experiment {args.action} needs --id")
    con, _ = _open_for(args.db, args.brand)
    path = testing.experiments_file(args.brand, args.experiments)
    try:
        found = testing.load(args.brand, args.experiments)
    except ExperimentError as err:
        raise WorkFailed(str(err)) from None
    if found is None:
        raise WorkFailed(f"no experiment file at {path}; describe the test there first")
    ids = {e.id: e for e in found.experiments}
    if args.id not in ids:
        raise UsageError(f"no experiment {args.id!r} in {path}; known: {', '.join(ids)}")
    return con, ids[args.id]


def _experiment_schedule(args) -> int:
    """A content-plan CSV of the test's slots, each with its variant."""

    from socialkpi.files import write_atomically
    from socialkpi.steps.experiments import analysis as experiments
    from socialkpi.steps.experiments import page
    from socialkpi.steps.experiments import reader as testing

    if not args.out:
        raise UsageError("experiment schedule needs --out FILE.csv")
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", args.time):
        raise UsageError(f"--time {args.time!r}: write the posting time as HH:MM, e.g. 20:00")
    con, test = _experiment_of(args)
    if not test.platforms:
        raise UsageError(f"experiment {test.id} names no platforms; list them to schedule it")
    pace = {}
    for platform in test.platforms:
        pace[platform] = args.per_week or testing.weekly_pace(
            con, args.brand, platform, test.start - timedelta(days=1)
        )
        if not pace[platform]:
            raise WorkFailed(
                f"{args.brand} posted nothing on {platform} in the three months before "
                f"{test.start}; give --per-week"
            )
    slots = experiments.slots(test.start, test.end, pace, args.time)
    slots["variant"] = experiments.schedule(slots, list(test.variants), seed=args.seed)
    data = page.schedule_csv(test, slots, args.lang)
    write_atomically(Path(args.out), data)
    counts = slots["variant"].value_counts().reindex(list(test.variants)).to_dict()
    print(f"{args.out}: {len(slots)} slots, " + ", ".join(f"{v} {n}" for v, n in counts.items()))
    return OK


def _experiment_analyze(args) -> int:
    """The test's verdict as the store stands."""
    import json

    from socialkpi.steps.experiments import reader as testing

    con, test = _experiment_of(args)
    as_of = testing.data_end(con, args.brand, test.platforms or None)
    if as_of is None:
        where = ", ".join(test.platforms) if test.platforms else "any platform"
        raise WorkFailed(
            f"the store has no data of {args.brand} on {where} yet; import exports first"
        )
    result = testing.analyze(con, args.brand, test, as_of).analysis
    if args.format == "json":
        print(json.dumps(result.as_json() | {"as_of": f"{as_of}"}, ensure_ascii=False, indent=2))
        return OK
    print(f"{test.id} · {result.metric} · data to {as_of}")
    print("posts: " + ", ".join(f"{v} {n}" for v, n in result.posts.items()))
    if result.reason == "running":
        print(f"verdict: inconclusive, the test runs until {test.end}")
        return OK
    if result.reason == "too_few":
        print(f"verdict: inconclusive, a variant has fewer than {result.min_posts} posts")
        return OK
    top = result.headline
    print(
        f"verdict: {result.verdict.replace('_', ' ')}"
        + (f", winner {result.winner}" if result.winner else "")
    )
    print(
        f"{top.better} over {top.worse}: {top.effect:+.0%} "
        f"({result.level:.0%} interval {top.low:+.0%} to {top.high:+.0%}), "
        f"permutation p = {top.p_value:.3f}" + (" (Holm-adjusted)" if result.correction else "")
    )
    if result.mde is not None:
        print(f"smallest difference these posts could detect (80% power): {result.mde:.0%}")
    print("adjusted for: " + (", ".join(result.covariates) or "nothing"))
    return OK


# the commands this module adds, in the order `socialkpi --help` lists them
COMMANDS = (_add_experiment,)
