"""The ``socialkpi`` command line: ``import``, ``sample`` (more commands arrive with reports)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, timedelta
from pathlib import Path

from socialkpi import brands, store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="socialkpi", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    imp = sub.add_parser("import", help="import export files, folders or ZIPs into the store")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument(
        "--brand",
        type=brands.argument,
        help="brand the files belong to (default: the folder name under PATH)",
    )
    imp.add_argument(
        "--export-date",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="day the files were downloaded (default: from the file name)",
    )
    imp.add_argument("--platform", help="platform, for files whose columns do not say it")
    imp.add_argument("--timezone", help="the brand's IANA time zone (default Asia/Taipei)")
    imp.add_argument(
        "--aliases",
        action="append",
        default=[],
        metavar="FILE",
        help="YAML file of extra header names (repeatable)",
    )
    imp.add_argument(
        "--db", default=str(store.DEFAULT_DB), help="DuckDB file (default %(default)s)"
    )

    ims = sub.add_parser("imports", help="list imported files, or remove one to import it again")
    ims_sub = ims.add_subparsers(dest="action", required=True)
    ims_list = ims_sub.add_parser("list", help="every import: sha256, when, brand, format, file")
    ims_list.add_argument("--brand", type=brands.argument)
    ims_rm = ims_sub.add_parser(
        "remove", help="remove one import's rows (in one transaction) and its record"
    )
    ims_rm.add_argument("sha", metavar="SHA", help="its sha256, or the first 8+ characters")
    for p in (ims_list, ims_rm):
        p.add_argument(
            "--db", default=str(store.DEFAULT_DB), help="DuckDB file (default %(default)s)"
        )

    met = sub.add_parser("metrics", help="print the metric dictionary")
    met.add_argument("--lang", choices=["en", "zh-TW"], default="en")

    kp = sub.add_parser("kpi", help="a month's KPI values with comparisons")
    kp.add_argument("--brand", required=True, type=brands.argument)
    kp.add_argument(
        "--month", required=True, metavar="YYYY-MM", help="or a week 2026-W40, quarter 2026Q4"
    )
    kp.add_argument("--platform", help="one platform (default: all platforms together)")
    kp.add_argument(
        "--kpi", nargs="+", metavar="ID", help="KPI ids (default: all; see `socialkpi metrics`)"
    )
    kp.add_argument("--format", choices=["table", "json"], default="table")
    kp.add_argument("--lang", choices=["en", "zh-TW"], default="en")
    kp.add_argument("--db", default=str(store.DEFAULT_DB), help="DuckDB file (default %(default)s)")

    sm = sub.add_parser(
        "summary", help="a month's executive summary: goals, movers, risks, actions"
    )
    sm.add_argument("--brand", required=True, type=brands.argument)
    sm.add_argument("--month", required=True, type=_month, metavar="YYYY-MM")
    sm.add_argument("--platform", nargs="+", metavar="NAME", help="default: every platform")
    sm.add_argument("--lang", choices=["zh-TW", "en"], default="zh-TW")
    sm.add_argument("--format", choices=["text", "md", "json"], default="text",
                    help="md pastes into email, Slack or LINE")  # fmt: skip
    sm.add_argument("--min-posts", type=_count, default=5, metavar="N",
                    help="posts each group needs before advice is given (default %(default)s)")  # fmt: skip
    sm.add_argument("--goals", help="goals file (default: data/goals/<brand>.yaml)")
    sm.add_argument("--db", default=str(store.DEFAULT_DB), help="DuckDB file (default %(default)s)")

    sen = sub.add_parser("sentiment", help="score texts from standard input, one per line")
    sen.add_argument("--lang", choices=["auto", "zh-TW", "en"], default="auto")
    sen.add_argument("--scorer", default="lexicon")

    al = sub.add_parser("alerts", help="crisis alerts: exit code 2 while a crisis is open")
    who = al.add_mutually_exclusive_group(required=True)
    who.add_argument("--brand", type=brands.argument)
    who.add_argument("--all", action="store_true", help="every brand in the store")
    al.add_argument(
        "--since",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="episodes ending on or after this day (default: 7 days before the latest comment)",
    )
    al.add_argument(
        "--k",
        type=_positive,
        default=None,
        help="standard deviations above the baseline (default: that of SpikeRules, 4)",
    )
    al.add_argument("--format", choices=["text", "json"], default="text")
    al.add_argument("--db", default=str(store.DEFAULT_DB), help="DuckDB file (default %(default)s)")

    dash = sub.add_parser("dashboard", help="serve the four SOP dashboards with Voila")
    dash.add_argument("--port", type=int, default=8866)
    dash.add_argument(
        "--ip",
        default="127.0.0.1",
        help="address to listen on (default %(default)s: this machine only)",
    )
    dash.add_argument(
        "--db", default=str(store.DEFAULT_DB), help="DuckDB file (default %(default)s)"
    )
    dash.add_argument("--goals", help="folder of <brand>.yaml goals files (default data/goals)")
    dash.add_argument(
        "--pool-size",
        type=int,
        default=1,
        help="preheated kernels per dashboard, each about 300 MiB (default 1; 0 = none)",
    )
    dash.add_argument(
        "--token-env", metavar="VAR",
        help="viewers must give the token held in this environment variable (kept out of the process list)",
    )  # fmt: skip
    dash.add_argument(
        "--idle-timeout",
        type=int,
        default=300,
        help="seconds before the kernel of a closed page stops (default 300)",
    )
    rep = sub.add_parser("report", help="the monthly report bundle (Papermill + HTML) for brands")
    rep.add_argument(
        "--month",
        type=_month,
        metavar="YYYY-MM",
        help="default: the latest complete month in the store",
    )
    who_r = rep.add_mutually_exclusive_group()
    who_r.add_argument("--brand", nargs="+", metavar="NAME", type=brands.argument)
    who_r.add_argument("--all", action="store_true", help="every brand (the default)")
    rep.add_argument("--lang", choices=["zh-TW", "en"], default="zh-TW")
    rep.add_argument("--notebooks", default="01,02,03,04", help="which notebooks, e.g. 03,04")
    rep.add_argument("--out", default="reports")
    rep.add_argument(
        "--pdf", action="store_true", help="also print every page to PDF with the local Chromium"
    )
    rep.add_argument("--jobs", type=int, help="brands in parallel (default: CPU count)")
    rep.add_argument(
        "--timeout", type=int, default=600, help="seconds per notebook cell before giving up"
    )
    rep.add_argument(
        "--db", default=str(store.DEFAULT_DB), help="DuckDB file (default %(default)s)"
    )
    rep.add_argument(
        "--import-sample",
        action="store_true",
        help="import data/sample first if the store is empty",
    )

    smp = sub.add_parser("sample", help="write the deterministic sample exports")
    smp.add_argument("--out", default="data/sample", help="folder (default %(default)s)")
    smp.add_argument("--seed", type=int, default=2026)

    args = parser.parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # `socialkpi imports list | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args) -> int:
    if args.command == "import":
        return _import(args)
    if args.command == "imports":
        return _imports(args)
    if args.command == "metrics":
        from socialkpi.report_text import dictionary_text

        print(dictionary_text(args.lang))
        return 0
    if args.command == "kpi":
        return _kpi(args)
    if args.command == "summary":
        return _summary(args)
    if args.command == "report":
        return _report(args)
    if args.command == "dashboard":
        return _dashboard(args)
    if args.command == "alerts":
        return _alerts(args)
    if args.command == "sentiment":
        from socialkpi.sentiment import get_scorer

        scorer = get_scorer(args.scorer)
        for line in sys.stdin:
            text = line.rstrip("\n")
            score, label = scorer.score([text], args.lang)[0]
            print(f"{score:.4f}\t{label}")
        return 0
    if args.command == "sample":
        from socialkpi.sample import write_sample

        files = write_sample(Path(args.out), seed=args.seed)
        print(f"wrote {len(files)} export files to {args.out}")
        return 0
    return 2  # pragma: no cover - argparse rejects unknown commands


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
    from socialkpi.periods import parse_period

    try:
        period = parse_period(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err
    if period.kind != "month":
        raise argparse.ArgumentTypeError(f"a report is for a month (YYYY-MM), not {text!r}")
    return period.label


def _import(args) -> int:
    from socialkpi.ingest import ExportError, Options, import_paths

    options = Options(
        args.brand, args.export_date, args.platform, args.timezone, tuple(args.aliases)
    )
    try:
        con = store.open_store(args.db)
    except store.StoreBusy as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        results = import_paths(con, args.paths, options)
    except ExportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
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
            print(f"  {row.table_name:<14} {row.brand:<16} {row.rows:>8}")
    con.close()
    try:  # dashboards and notebooks read the serving copy: refresh it now
        store.publish(args.db, wait=60)
    except store.StoreBusy as err:
        print(f"warning: serving copy not refreshed ({err}); readers refresh it themselves",
              file=sys.stderr)  # fmt: skip
    return 1 if n["failed"] else 0


def _imports(args) -> int:
    from socialkpi import imports

    if not Path(args.db).exists():
        print(f"error: no store at {args.db}", file=sys.stderr)
        return 2
    try:
        con = store.open_store(args.db, read_only=args.action == "list")
    except store.StoreBusy as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        if args.action == "list":
            frame = imports.list_imports(con, args.brand)
            for r in frame.itertuples():
                print(f"{r.file_sha256[:12]}  {r.imported_at:%Y-%m-%d %H:%M}  {r.brand:<16} "
                      f"{r.importer:<24} {r.rows:>8} rows  {_plain(r.source_path)}")  # fmt: skip
            print(f"{len(frame)} imports")
            return 0
        try:
            sha = imports.find(con, args.sha)
            removed = imports.remove(con, sha)
        except (imports.ImportNotFound, imports.ImportNotRemovable) as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    finally:
        con.close()
    for table, n in removed.items():
        print(
            f"{table}: {n['deleted']} rows removed, {n['rebuilt']} kept with other imports' values"
        )
    print(f"removed import {sha[:12]}; the file can be imported again")
    store.publish(args.db, wait=60)  # readers see the store without it
    return 0


def _report(args) -> int:
    from socialkpi import bundle

    if args.import_sample and not Path(args.db).exists():
        from socialkpi.ingest import import_paths

        con = store.open_store(args.db)
        import_paths(con, [bundle.REPO / "data" / "sample"])
        con.close()
    con, zones = _open_for(args.db, None)
    if con is None:
        return 2
    month = args.month or bundle.latest_complete_month(con)
    con.close()
    if month is None:
        print("error: the store has no daily data yet; import exports first", file=sys.stderr)
        return 2
    chosen = args.brand or sorted(zones)
    unknown = [b for b in chosen if b not in zones]
    if unknown:
        print(f"error: unknown brands {unknown}; known: {', '.join(zones)}", file=sys.stderr)
        return 2
    keys = [k.strip() for k in args.notebooks.split(",") if k.strip()]
    bad = [k for k in keys if k not in bundle.NOTEBOOKS]
    if bad:
        print(f"error: unknown notebooks {bad}; use {', '.join(bundle.NOTEBOOKS)}", file=sys.stderr)
        return 2
    try:
        results = bundle.run(month, chosen, args.lang, keys, args.out, args.jobs, args.db,
                             args.timeout, pdf=args.pdf)  # fmt: skip
    except ValueError as err:  # a brand name from an old store, a path leaving --out
        print(f"error: {err}", file=sys.stderr)
        return 2
    failed = [(r.brand, n, e) for r in results for n, e in r.failed.items()]
    for brand, name, error in failed:
        print(f"FAILED {brand}/{name}: {error}", file=sys.stderr)
    print(
        f"report: {Path(args.out) / month / 'index.html'} ({len(results)} brands, {len(failed)} failures)"
    )
    return 1 if failed else 0


def _dashboard(args) -> int:

    from socialkpi import dashboard, notebook

    try:
        notebook.open_store(args.db).close()  # builds the sample store on first use, publishes it
    except (FileNotFoundError, store.StoreBusy) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    token = os.environ.get(args.token_env, "") if args.token_env else ""
    if args.token_env and not token:
        print(
            f"error: ${args.token_env} is empty; set it to the token viewers must give",
            file=sys.stderr,
        )
        return 2
    if args.ip not in ("127.0.0.1", "localhost", "::1") and not token:
        print(f"warning: listening on {args.ip}: anyone who can reach it sees every brand; "
              "see README 'Dashboards for a team' for a token or a reverse proxy", file=sys.stderr)  # fmt: skip
    command = dashboard.voila_command(
        args.port, args.ip, args.pool_size, args.idle_timeout, bool(token)
    )
    env = dashboard.voila_env(args.db, args.goals)
    if token:
        env["JUPYTER_TOKEN"] = token
    print(f"dashboards: http://{args.ip}:{args.port}/ (Ctrl-C stops)", flush=True)
    os.execve(command[0], command, env)


def _open_for(db: str, brand: str | None):
    """The store read-only and its brands' time zones, or (None, {}) after saying what is wrong."""
    if not Path(db).exists():
        print(f"error: no store at {db}; run `make import` first", file=sys.stderr)
        return None, {}
    con = store.open_store(db, read_only=True)
    zones = store.brand_timezones(con)
    if brand is not None and brand not in zones:
        print(
            f"error: unknown brand {brand!r}; known: {', '.join(zones) or 'none'}", file=sys.stderr
        )
        con.close()
        return None, {}
    return con, zones


def _kpi(args) -> int:
    import json

    from socialkpi import kpi
    from socialkpi.report_text import kpi_json, kpi_text

    con, brands = _open_for(args.db, args.brand)
    if con is None:
        return 2
    platforms = [args.platform] if args.platform else None
    try:
        report = kpi.kpi_report(con, args.brand, args.month, platforms, args.kpi)
    except (KeyError, ValueError) as err:
        print(f"error: {err.args[0]}", file=sys.stderr)
        return 2
    if report.empty:
        print(f"error: no data for {args.brand} in {args.month}", file=sys.stderr)
        return 2
    platform = args.platform or "all"
    if args.format == "json":
        print(json.dumps(kpi_json(report, platform, args.lang), ensure_ascii=False, indent=2))
    else:
        print(kpi_text(report, platform, args.lang))
    return 0


def _summary(args) -> int:
    import json

    from socialkpi import narrative, review
    from socialkpi.goals import GoalsError
    from socialkpi.report_text import summary_json, summary_text

    con, _ = _open_for(args.db, args.brand)
    if con is None:
        return 2
    goals_path = Path(args.goals) if args.goals else brands.file_for(Path("data/goals"), args.brand)
    if args.goals and not goals_path.exists():
        print(f"error: no goals file at {goals_path}", file=sys.stderr)
        return 2
    try:
        goals_file = review.load_goals_or_none(goals_path)
    except GoalsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    s = review.executive_summary(
        con, args.brand, args.month, args.platform, goals_file, args.min_posts
    )
    if not s.goals and s.engagement_rate == "" and not s.movers:
        print(f"error: no data for {args.brand} in {args.month}", file=sys.stderr)
        return 2
    settings = store.brand_settings(con, args.brand)
    said = narrative.say(s, args.lang, settings["currency"], settings["timezone"] or "Asia/Taipei")
    if args.format == "json":
        print(json.dumps(summary_json(s, said), ensure_ascii=False, indent=2))
    else:
        from socialkpi.presentation import date

        title = f"{store.brand_name(con, args.brand, args.lang)} · {date(args.month, args.lang, 'month')}"
        print(summary_text(said, title, args.lang, markdown=args.format == "md"), end="")
    return 0


def _alerts(args) -> int:
    import json

    from socialkpi import listening

    con, zones = _open_for(args.db, args.brand)
    if con is None:
        return 2
    brands = sorted(zones) if args.all else [args.brand]
    rules = listening.SpikeRules() if args.k is None else listening.SpikeRules(k=args.k)
    found = []
    for brand in brands:
        comments = store.read(con, "comments", brand=brand)
        plan = store.read(con, "content_plan", brand=brand)
        if comments.empty:
            continue
        spikes = listening.detect_spikes(
            listening.hourly(comments), rules, listening.campaign_days(plan), zones[brand]
        )
        eps = listening.episodes(comments, spikes, rules)
        since = args.since or (
            comments["created_at"].max().tz_convert(zones[brand]).date() - timedelta(days=7)
        )
        eps = eps[eps["end"].dt.tz_convert(zones[brand]).dt.date >= since] if len(eps) else eps
        for e in eps.to_dict("records"):
            found.append({"brand": brand, "timezone": zones[brand], **e})
    if args.format == "json":
        print(json.dumps([_jsonable(e) for e in found], ensure_ascii=False, indent=2))
    else:
        print(_alerts_text(found))
    return 2 if any(e["open"] for e in found) else 0


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
        lines.append(
            f"    first brand reply after {e['first_response_h']:.1f} h, median reply {e['median_response_h']:.1f} h; "
            f"terms: {', '.join(_plain(t) for t in e['top_terms']) or '-'}; "
            f"threads: {', '.join(_plain(t) for t in e['top_threads']) or '-'}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
