"""The ``socialkpi`` command line.

Commands: ``import``, ``imports`` (list, remove), ``metrics``, ``kpi``, ``summary``,
``competitors``, ``plan``, ``experiment``, ``alerts``, ``sentiment``, ``report``, ``dashboard``, ``sample``; ``socialkpi COMMAND --help``
shows each one's options and an example. Each command is one ``_add_*`` function declaring
its options and one function running it. (Longer than 400 lines on purpose: every command
reads top to bottom in one file, each pair beside the next; the work itself lives in the
library.)

Exit codes, for scripts and cron jobs:

====  ===================================================================================
0     done
1     the work failed: a file was not imported, a notebook failed, no store, no data
2     usage error: an unknown option or value, an unknown brand or file; nothing was done
3     a crisis is open (``alerts``)
====  ===================================================================================
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from socialkpi import store
from socialkpi.config import brands
from socialkpi.metrics.periods import DEFAULT_TIMEZONE
from socialkpi.words.i18n import LANGS

OK, FAILED, USAGE, CRISIS = 0, 1, 2, 3
log = logging.getLogger("socialkpi.cli")
STOPPED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)


class UsageError(Exception):
    """The command was called wrong (exit 2)."""


class WorkFailed(Exception):
    """The command could not do its work (exit 1)."""


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code (argparse itself exits 2 on bad options)."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return USAGE
    except (WorkFailed, store.StoreBusy) as err:
        print(f"error: {err}", file=sys.stderr)
        return FAILED
    except OSError as err:  # a full disk, a read-only folder: which file, and what to do
        from socialkpi import files

        print(f"error: {files.write_problem(err)}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:  # Ctrl-C: what was finished stays, nothing half made is published
        print("stopped", file=sys.stderr)
        return STOPPED
    except BrokenPipeError:  # `socialkpi imports list | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK


def parser() -> argparse.ArgumentParser:
    """The ``socialkpi`` parser: every command, its options and its ``--help``."""
    top = argparse.ArgumentParser(
        prog="socialkpi",
        description="Social-media KPIs, reports and dashboards from native platform exports. "
        "Run `socialkpi COMMAND --help` for a command's options and an example.",
        epilog="exit codes: 0 done, 1 the work failed, 2 usage error, 3 a crisis is open",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = _shared_options()
    for add in (
        _add_import,
        _add_imports,
        _add_metrics,
        _add_kpi,
        _add_summary,
        _add_competitors,
        _add_plan,
        _add_experiment,
        _add_alerts,
        _add_sentiment,
        _add_report,
        _add_dashboard,
        _add_sample,
    ):
        add(sub, shared)
    return top


def _shared_options() -> dict[str, argparse.ArgumentParser]:
    """Options several commands take, declared once with one default each."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db", default=str(store.DEFAULT_DB), help="DuckDB store (default %(default)s)"
    )
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=LANGS, default=LANGS[0], help="default %(default)s")
    brand = argparse.ArgumentParser(add_help=False)
    brand.add_argument("--brand", required=True, type=brands.argument, help="brand id")
    goals = argparse.ArgumentParser(add_help=False)
    goals.add_argument("--goals", help="goals file (default data/goals/<brand>.yaml)")
    month = argparse.ArgumentParser(add_help=False)  # a calendar month, for the monthly steps
    month.add_argument("--month", required=True, type=_month, metavar="YYYY-MM")
    month.add_argument("--platform", nargs="+", metavar="NAME", help="default: every platform")
    return {"db": db, "lang": lang, "brand": brand, "goals": goals, "month": month}


def _command(sub, name: str, summary: str, example: str, parents=()) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"example:\n  {example}",
        parents=list(parents),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_import(sub, shared) -> None:
    cmd = _command(
        sub,
        "import",
        "import export files, folders or ZIPs into the store",
        "socialkpi import data/sample   (brands from folder names and brands.yaml)",
        [shared["db"]],
    )
    cmd.add_argument("paths", nargs="+", metavar="PATH")
    cmd.add_argument(
        "--brand",
        type=brands.argument,
        help="brand the files belong to (default: the folder name under PATH)",
    )
    cmd.add_argument(
        "--export-date",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="day the files were downloaded (default: from the file name)",
    )
    cmd.add_argument("--platform", help="platform, for files whose columns do not say it")
    cmd.add_argument("--timezone", help="the brand's IANA time zone (default Asia/Taipei)")
    cmd.add_argument(
        "--aliases",
        action="append",
        default=[],
        metavar="FILE",
        help="YAML file of extra header names, date formats, metric and total words (repeatable)",
    )
    cmd.add_argument(
        "--explain",
        action="store_true",
        help="import nothing: say which format each file comes closest to, what it lacks, "
        "and print an alias file with the file's own headers to edit",
    )
    cmd.set_defaults(run=_import)


def _add_imports(sub, shared) -> None:
    cmd = _command(
        sub,
        "imports",
        "list imported files, or remove one to import it again",
        "socialkpi imports list --brand lumi_tea",
    )
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser(
        "list", help="every import: sha256, when, brand, format, file", parents=[shared["db"]]
    )
    listing.add_argument("--brand", type=brands.argument)
    remove = actions.add_parser(
        "remove", help="remove one import's rows (in one transaction)", parents=[shared["db"]]
    )
    remove.add_argument(
        "sha", metavar="SHA", nargs="?", help="its sha256, or the first 8+ characters"
    )
    remove.add_argument(
        "--brand",
        type=brands.argument,
        help="remove every import of this brand instead (e.g. to import it again in a new "
        "time zone)",
    )
    cmd.set_defaults(run=_imports)


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


def _add_alerts(sub, shared) -> None:
    cmd = _command(
        sub,
        "alerts",
        "crisis alerts (exit code 3 while a crisis is open)",
        "socialkpi alerts --all --format json   (cron: exit 3 means a crisis is open)",
        [shared["db"]],
    )
    who = cmd.add_mutually_exclusive_group(required=True)
    who.add_argument("--brand", type=brands.argument)
    who.add_argument("--all", action="store_true", help="every brand in the store")
    cmd.add_argument(
        "--since",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="episodes ending on or after this day (default: 7 days before the latest comment)",
    )
    cmd.add_argument(
        "--k",
        type=_positive,
        default=None,
        help="standard deviations above the baseline (default: that of SpikeRules, 4)",
    )
    cmd.add_argument("--format", choices=["text", "json"], default="text")
    cmd.set_defaults(run=_alerts)


def _add_sentiment(sub, shared) -> None:
    cmd = _command(
        sub,
        "sentiment",
        "score texts from standard input, one per line",
        "socialkpi sentiment < comments.txt   (prints score<TAB>label per line)",
    )
    cmd.add_argument("--lang", choices=["auto", *LANGS], default="auto")
    cmd.add_argument("--scorer", default="lexicon")
    cmd.set_defaults(run=_sentiment)


def _add_report(sub, shared) -> None:
    cmd = _command(
        sub,
        "report",
        "the monthly report bundle (Papermill + HTML) for brands",
        "socialkpi report --month 2026-10 --brand lumi_tea --lang en",
        [shared["lang"], shared["db"]],
    )
    cmd.add_argument(
        "--month", type=_month, metavar="YYYY-MM", help="default: the latest complete month"
    )
    who = cmd.add_mutually_exclusive_group()
    who.add_argument("--brand", nargs="+", metavar="NAME", type=brands.argument)
    who.add_argument("--all", action="store_true", help="every brand (the default)")
    cmd.add_argument("--notebooks", help="which notebooks (default: all seven), e.g. 03,04")
    cmd.add_argument("--out", default="reports", help="folder (default %(default)s)")
    cmd.add_argument(
        "--pdf",
        action="store_true",
        help="also print each brand's pages into one A4 PDF with the local Chromium",
    )
    cmd.add_argument("--jobs", type=int, help="brands in parallel (default: CPU count)")
    where = cmd.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run each brand as a task on the Dask cluster with this scheduler",
    )
    where.add_argument(
        "--cluster",
        metavar="local:N",
        help="start a Dask cluster of N worker processes on this machine for the run",
    )
    cmd.add_argument(
        "--timeout", type=int, default=600, help="seconds per notebook cell before giving up"
    )
    cmd.add_argument(
        "--import-sample", action="store_true", help="import data/sample first if there is no store"
    )
    cmd.add_argument(
        "--actions",
        metavar="DIR",
        help="folder of the action logs the retrospective appends to "
        "(default: $SOCIALKPI_ACTIONS, else data/actions)",
    )
    cmd.set_defaults(run=_report)


def _add_dashboard(sub, shared) -> None:
    cmd = _command(
        sub,
        "dashboard",
        "serve the five SOP dashboards with Voila",
        "socialkpi dashboard --port 8866   (then open http://127.0.0.1:8866/)",
        [shared["db"]],
    )
    cmd.add_argument("--port", type=int, default=8866)
    cmd.add_argument(
        "--ip", default="127.0.0.1", help="address to listen on (default %(default)s: this machine)"
    )
    cmd.add_argument("--goals", help="folder of <brand>.yaml goals files (default data/goals)")
    cmd.add_argument(
        "--pool-size",
        type=int,
        default=1,
        help="preheated kernels per dashboard, each about 300 MiB (default 1; 0 = none)",
    )
    cmd.add_argument(
        "--token-env",
        metavar="VAR",
        help="viewers must give the token held in this environment variable",
    )
    cmd.add_argument(
        "--idle-timeout",
        type=int,
        default=300,
        help="seconds before the kernel of a closed page stops (default 300)",
    )
    cmd.set_defaults(run=_dashboard)


def _add_sample(sub, shared) -> None:
    cmd = _command(
        sub,
        "sample",
        "write the deterministic sample exports",
        "socialkpi sample --out /tmp/sample",
    )
    cmd.add_argument("--out", default="data/sample", help="folder (default %(default)s)")
    cmd.add_argument("--seed", type=int, default=2026, help="random seed (default %(default)s)")
    cmd.set_defaults(run=_sample)


def _metrics(args) -> int:
    from socialkpi.words.cli_text import dictionary_text

    print(dictionary_text(args.lang))
    return OK


def _sentiment(args) -> int:
    from socialkpi.metrics.sentiment import get_scorer

    try:
        scorer = get_scorer(args.scorer)
    except ValueError as err:
        raise UsageError(str(err)) from err
    for line in sys.stdin:
        score, label = scorer.score([line.rstrip("\n")], args.lang)[0]
        print(f"{score:.4f}\t{label}")
    return OK


def _sample(args) -> int:
    from socialkpi.sample import write_sample

    files = write_sample(Path(args.out), seed=args.seed)
    print(f"wrote {len(files)} export files to {args.out}")
    return OK


def _positive(text: str) -> float:
    """``argparse`` type for a number above zero."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


def _count(text: str) -> int:
    """``argparse`` type for a whole number of 2 or more."""
    if not text.isdigit() or int(text) < 2:
        raise argparse.ArgumentTypeError(f"expected a whole number of 2 or more, got {text!r}")
    return int(text)


def _month(text: str) -> str:
    """``argparse`` type for a report month: ``YYYY-MM`` only."""
    from socialkpi.metrics.periods import parse_period

    try:
        period = parse_period(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err
    if period.kind != "month":
        raise argparse.ArgumentTypeError(f"a report is for a month (YYYY-MM), not {text!r}")
    return period.label


def _import(args) -> int:
    from socialkpi.ingest import ExportError, Options, import_paths

    if args.explain:
        from socialkpi.ingest._explain import explain

        try:
            print("\n\n".join(explain(p, tuple(args.aliases)) for p in args.paths))
        except ExportError as err:  # the alias file itself
            raise WorkFailed(str(err)) from err
        return OK

    options = Options(
        args.brand, args.export_date, args.platform, args.timezone, tuple(args.aliases)
    )
    con = store.open_store(args.db)
    try:
        results = import_paths(con, args.paths, options)
    except ExportError as err:  # brands.yaml: nothing was imported
        con.close()
        raise WorkFailed(str(err)) from err
    for r in results:
        if r.status == "failed":
            print(f"FAILED   {r.error}", file=sys.stderr)
            continue
        rows = ", ".join(f"{t} {n}" for t, n in r.rows.items()) or "no rows"
        label = "imported" if r.status == "imported" else "skipped "
        print(f"{label} {r.path} [{'+'.join(r.formats) or '-'}] {rows}")
        for w in r.warnings:
            print(f"         warning: {w}")
    n = {s: sum(r.status == s for r in results) for s in ("imported", "skipped", "failed")}
    print(
        f"\n{n['imported']} files imported, {n['skipped']} already imported, {n['failed']} failed"
    )
    table = store.counts(con)
    if len(table):
        print("\nrows in the store (table / brand):")
        for row in table.itertuples(index=False):
            print(f"  {row.table_name:<16} {row.brand:<16} {row.rows:>8}")
    con.close()
    try:  # dashboards and notebooks read the serving copy: refresh it now
        store.publish(args.db, wait=60)
    except store.StoreBusy as err:
        print(
            f"warning: serving copy not refreshed ({err}); readers refresh it themselves",
            file=sys.stderr,
        )
    return FAILED if n["failed"] else OK


def _imports(args) -> int:
    from socialkpi.store import imports

    if not Path(args.db).exists():
        raise WorkFailed(f"no store at {args.db}")
    con = store.open_store(args.db, read_only=args.action == "list")
    try:
        if args.action == "list":
            frame = imports.list_imports(con, args.brand)
            for r in frame.itertuples():
                print(
                    f"{r.file_sha256[:12]}  {r.imported_at:%Y-%m-%d %H:%M}  {r.brand:<16} "
                    f"{r.importer:<24} {r.rows:>8} rows  {_plain(r.source_path)}"
                )
            print(f"{len(frame)} imports")
            return OK
        if (args.sha is None) == (args.brand is None):
            raise UsageError("give one import's SHA, or --brand NAME for all of a brand's")
        try:
            if args.brand:
                removed = imports.remove_brand(con, args.brand)
            else:
                sha = imports.find(con, args.sha)
                removed = imports.remove(con, sha)
        except imports.ImportNotFound as err:
            raise UsageError(str(err)) from err
        except imports.ImportNotRemovable as err:
            raise WorkFailed(str(err)) from err
    finally:
        con.close()
    if args.brand:
        for table, n in removed.items():
            print(f"{table}: {n} rows removed")
        print(f"removed every import of {args.brand}; its files can be imported again")
    else:
        for table, n in removed.items():
            print(
                f"{table}: {n['deleted']} rows removed, {n['rebuilt']} kept with other imports' "
                "values"
            )
        print(f"removed import {sha[:12]}; the file can be imported again")
    store.publish(args.db, wait=60)  # readers see the store without it
    return OK


def _report(args) -> int:
    from socialkpi.outputs import bundle

    if args.import_sample and not Path(args.db).exists():
        from socialkpi.ingest import import_paths
        from socialkpi.presentation.notebook import REPO

        con = store.open_store(args.db)
        import_paths(con, [REPO / "data" / "sample"])
        con.close()
    keys = [
        k.strip() for k in (args.notebooks or ",".join(bundle.NOTEBOOKS)).split(",") if k.strip()
    ]
    bad = [k for k in keys if k not in bundle.NOTEBOOKS]
    if bad:
        raise UsageError(f"unknown notebooks {bad}; use {', '.join(bundle.NOTEBOOKS)}")
    con, zones = _open_for(args.db, None)
    month = args.month or store.latest_complete_month(con)
    con.close()
    chosen = args.brand or sorted(zones)
    unknown = [b for b in chosen if b not in zones]
    if unknown:
        raise UsageError(f"unknown brands {unknown}; known: {', '.join(zones)}")
    if month is None:
        raise WorkFailed("the store has no daily data yet; import exports first")
    from socialkpi.outputs.cluster import ClusterError

    try:
        results = bundle.run(
            month,
            chosen,
            args.lang,
            keys,
            args.out,
            args.jobs,
            args.db,
            args.timeout,
            pdf=args.pdf,
            cluster=args.scheduler or args.cluster,
            actions=args.actions,
        )
    except ValueError as err:  # a brand name from an old store, a path leaving --out
        raise UsageError(str(err)) from err
    except ClusterError as err:
        raise WorkFailed(str(err)) from err
    failed = [(r.brand, n, e) for r in results for n, e in r.failed.items()]
    for brand, name, error in failed:
        print(f"FAILED {brand}/{name}: {error}", file=sys.stderr)
    print(
        f"report: {Path(args.out) / month / 'index.html'} "
        f"({_counted(len(results), 'brand')}, {_counted(len(failed), 'failure')})"
    )
    return FAILED if failed else OK


def _dashboard(args) -> int:
    from socialkpi import dashboard
    from socialkpi.presentation import notebook

    token = os.environ.get(args.token_env, "") if args.token_env else ""
    if args.token_env and not token:
        raise UsageError(f"${args.token_env} is empty; set it to the token viewers must give")
    try:
        notebook.open_store(args.db).close()  # builds the sample store on first use, publishes it
    except FileNotFoundError as err:
        raise WorkFailed(str(err)) from err
    if args.ip not in ("127.0.0.1", "localhost", "::1") and not token:
        print(
            f"warning: listening on {args.ip}: anyone who can reach it sees every brand; "
            "see README 'Dashboards for a team' for a token or a reverse proxy",
            file=sys.stderr,
        )
    command = dashboard.voila_command(
        args.port, args.ip, args.pool_size, args.idle_timeout, bool(token)
    )
    env = dashboard.voila_env(args.db, args.goals)
    if token:
        env["JUPYTER_TOKEN"] = token
    print(f"dashboards: http://{args.ip}:{args.port}/ (Ctrl-C stops)", flush=True)
    os.execve(command[0], command, env)


def _counted(n: int, noun: str) -> str:
    """``1 brand``, ``2 brands``, ``0 failures``: a count with its noun, singular for one.

    >>> _counted(1, "brand"), _counted(0, "failure")
    ('1 brand', '0 failures')
    """
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _open_for(db: str, brand: str | None):
    """The store, read-only, and its brands' time zones; ``brand`` must be one of them."""
    if not Path(db).exists():
        raise WorkFailed(f"no store at {db}; run `make import` first")
    con = store.open_store(db, read_only=True)
    zones = store.brand_timezones(con)
    if brand is not None and brand not in zones:
        con.close()
        raise UsageError(f"unknown brand {brand!r}; known: {', '.join(zones) or 'none'}")
    return con, zones


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

    from socialkpi.steps import readers as review
    from socialkpi.steps.goal_setting.analysis import GoalsError
    from socialkpi.words import narrative
    from socialkpi.words.cli_text import summary_json, summary_text

    con, _ = _open_for(args.db, args.brand)
    goals_path = Path(args.goals) if args.goals else brands.file_for(Path("data/goals"), args.brand)
    if args.goals and not goals_path.exists():
        raise UsageError(f"no goals file at {goals_path}")
    try:
        goals_file = review.load_goals_or_none(goals_path)
    except GoalsError as err:
        raise WorkFailed(str(err)) from err
    s = review.executive_summary(
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
    from socialkpi.words.cli_text import competitors_json, competitors_text

    con, _ = _open_for(args.db, args.brand)
    bm = sections.review.benchmark(con, args.brand, args.month, args.platform, args.min_age)
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

    from socialkpi.steps import readers as review
    from socialkpi.steps.calendar import analysis as calendar
    from socialkpi.words.cli_text import plan_json, plan_text

    if args.action == "draft":
        return _plan_draft(args)
    con, _ = _open_for(args.db, args.brand)
    items, found = review.plan_month(con, args.brand, args.month, args.platform)
    if items.empty:
        raise WorkFailed(
            f"no content plan for {args.brand} in {args.month}: import a content-plan CSV "
            "(see README, Canonical CSVs)"
        )
    overall = calendar.counts(items, found)
    per_platform = calendar.counts(items, found, by="platform")
    if args.format == "json":
        mix = calendar.pillar_mix(items, found, store.pillars(con, args.brand))
        out = plan_json(args.brand, args.month, overall, per_platform, mix)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        from socialkpi.presentation import date
        from socialkpi.words.i18n import t

        title = f"{store.brand_name(con, args.brand, args.lang)} · {date(args.month, args.lang, 'month')}"
        rule = t("note.plan_rule", args.lang, early=calendar.EARLY, late=calendar.LATE)
        print(plan_text(title, overall, per_platform, rule, args.lang), end="")
    return OK


def _plan_draft(args) -> int:
    """Next month's draft (``socialkpi plan draft``): ``--month`` is the month drafted, from
    the plan and posts of the months before."""
    import pandas as pd

    from socialkpi.files import inside, write_atomically
    from socialkpi.steps import readers as review
    from socialkpi.steps.calendar.page import draft_files

    if not args.out:
        raise UsageError("plan draft needs --out DIR: the folder for the CSV and .ics files")
    con, _ = _open_for(args.db, args.brand)
    before = str(pd.Period(args.month, "M") - 1)
    cal = review.content_calendar(con, args.brand, before, args.platform)
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


def _experiment(args) -> int:
    """``socialkpi experiment plan | schedule | analyze``."""
    return {"plan": _experiment_plan, "schedule": _experiment_schedule}.get(
        args.action, _experiment_analyze
    )(args)


def _experiment_plan(args) -> int:
    """The history's spread and the test's size."""
    import json

    import pandas as pd

    from socialkpi.metrics.content import PER_POST
    from socialkpi.steps import readers as review
    from socialkpi.steps.experiments import analysis as experiments

    if not args.metric or not args.platform:
        raise UsageError("experiment plan needs --metric and --platform")
    if args.metric not in PER_POST:
        raise UsageError(f"{args.metric!r} is not a per-post KPI; use one of {', '.join(PER_POST)}")
    con, _ = _open_for(args.db, args.brand)
    last = pd.Period(store.latest_complete_month(con) or pd.Timestamp.now().strftime("%Y-%m"), "M")
    first = last - (args.months - 1)
    span = f"{first.start_time:%Y-%m-%d}..{last.end_time:%Y-%m-%d}"
    history = review.posts_of(con, args.brand, span, [args.platform])
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
    from datetime import timedelta

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


def _alerts(args) -> int:
    import json

    from socialkpi.steps.crisis import analysis as listening

    con, zones = _open_for(args.db, args.brand)
    brands = sorted(zones) if args.all else [args.brand]
    rules = listening.SpikeRules() if args.k is None else listening.SpikeRules(k=args.k)
    found, failed = [], []
    for brand in brands:  # one brand that cannot be checked does not hide the others' alerts
        try:
            found += _brand_alerts(con, brand, zones[brand], rules, args.since)
        except Exception as err:
            log.debug("alerts for %s", brand, exc_info=True)
            failed.append(brand)
            print(
                f"error: {brand}: could not be checked: {type(err).__name__}: {err}",
                file=sys.stderr,
            )
    if args.format == "json":
        print(json.dumps([_jsonable(e) for e in found], ensure_ascii=False, indent=2))
    else:
        print(_alerts_text(found))
    if any(e["open"] for e in found):
        return CRISIS  # the more urgent news, even when another brand failed
    return FAILED if failed else OK


def _brand_alerts(con, brand: str, zone: str, rules, since: date | None) -> list[dict]:
    from socialkpi.steps.crisis import analysis as listening

    comments = store.read(con, "comments", brand=brand)
    plan = store.read(con, "content_plan", brand=brand)
    if comments.empty:
        return []
    spikes = listening.detect_spikes(
        listening.hourly(comments), rules, listening.campaign_days(plan), zone
    )
    eps = listening.episodes(comments, spikes, rules)
    since = since or comments["created_at"].max().tz_convert(zone).date() - timedelta(days=7)
    eps = eps[eps["end"].dt.tz_convert(zone).dt.date >= since] if len(eps) else eps
    return [{"brand": brand, "timezone": zone, **e} for e in eps.to_dict("records")]


def _jsonable(episode: dict) -> dict:
    out = {}
    for key, value in episode.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, float) and value != value:
            value = None
        out[key] = value
    return out


def _plain(text: str) -> str:
    return "".join(ch for ch in str(text) if ch.isprintable())  # no terminal control codes


def _known(value) -> bool:
    return value is not None and value == value  # NaN is not equal to itself


def _alerts_text(found: list[dict]) -> str:
    if not found:
        return "no crisis alerts"
    lines = []
    for e in found:
        tz = e["timezone"]
        state = "OPEN" if e["open"] else "closed"
        lines.append(
            f"[{state}] {e['brand']}: {e['start'].tz_convert(tz):%Y-%m-%d %H:%M} to "
            f"{e['end'].tz_convert(tz):%Y-%m-%d %H:%M} ({tz}), peak {e['peak'].tz_convert(tz):%m-%d %H:%M}, "
            f"{e['volume']} comments, {e['negative_share']:.0%} negative, alert on {e['alerts']}"
        )
        replies = (
            f"first brand reply after {e['first_response_h']:.1f} h, median reply "
            f"{e['median_response_h']:.1f} h"
            if _known(e["first_response_h"])
            else "no brand reply yet"
        )
        lines.append(
            f"    {replies}; "
            f"terms: {', '.join(_plain(t) for t in e['top_terms']) or '-'}; "
            f"threads: {', '.join(_plain(t) for t in e['top_threads']) or '-'}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
