"""The ``socialkpi`` command line: ``import``, ``sample`` (more commands arrive with reports)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from socialkpi import store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="socialkpi", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    imp = sub.add_parser("import", help="import export files, folders or ZIPs into the store")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument(
        "--brand", help="brand the files belong to (default: the folder name under PATH)"
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

    smp = sub.add_parser("sample", help="write the deterministic sample exports")
    smp.add_argument("--out", default="data/sample", help="folder (default %(default)s)")
    smp.add_argument("--seed", type=int, default=2026)

    args = parser.parse_args(argv)
    if args.command == "import":
        return _import(args)
    if args.command == "sample":
        from socialkpi.sample import write_sample

        files = write_sample(Path(args.out), seed=args.seed)
        print(f"wrote {len(files)} export files to {args.out}")
        return 0
    return 2  # pragma: no cover - argparse rejects unknown commands


def _import(args) -> int:
    from socialkpi.ingest import ExportError, Options, import_paths

    options = Options(
        args.brand, args.export_date, args.platform, args.timezone, tuple(args.aliases)
    )
    con = store.open_store(args.db)
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
    return 1 if n["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
