"""The command line, importing exports and undoing imports: socialkpi import, socialkpi imports."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from socialkpi import store
from socialkpi.cli._common import (
    FAILED,
    OK,
    UsageError,
    WorkFailed,
    _command,
    _plain,
)
from socialkpi.config import brands


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


# the commands this module adds, in the order `socialkpi --help` lists them
COMMANDS = (
    _add_import,
    _add_imports,
)
