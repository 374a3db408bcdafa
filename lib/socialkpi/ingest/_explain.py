"""``socialkpi import --explain FILE``: for a file socialkpi refuses, which format it comes
closest to, the roles (fields) that format needs and could not find, and a ready-to-edit
alias file written with the file's own headers, so a user can add a UI language or a
renamed column without touching code."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from socialkpi.ingest._errors import ExportError
from socialkpi.ingest._grid import read_blocks
from socialkpi.ingest._headers import EXPECTED, Format, add_aliases, builtin_formats
from socialkpi.ingest._shape import platform_of_links
from socialkpi.ingest._values import normalize, visible


def explain(path: str | Path, alias_files: tuple[str, ...] = ()) -> str:
    """What socialkpi makes of each file under ``path`` (files, folders and ZIPs, walked as
    the import walks them), as text to print (see the module docstring)."""
    from socialkpi.ingest._pipeline import Unread, _walk

    formats = builtin_formats()
    for alias_file in alias_files:
        formats = add_aliases(formats, alias_file)
    out = []
    for display, _name, _brand, data in _walk(Path(path)):
        data = data[0] if isinstance(data, list) else data  # a ZIP member comes in a holder
        if data is None:
            out.append(f"{display}: no such file or folder")
        elif isinstance(data, Unread):
            out.append(f"{display}: {data.problem}")
        else:
            out.append(_explain_file(display, data, formats))
    return "\n\n".join(out) or f"{path}: no export files (.csv, .xlsx, .xls, .zip) in it"


def _explain_file(display: str, data: bytes, formats: dict[str, Format]) -> str:
    from socialkpi.ingest._pipeline import _best_match, _check_links, _closest

    try:
        blocks, encoding = read_blocks(display, data)
    except ExportError as err:
        return f"{display}: cannot be read ({err})"
    count = f"{len(blocks)} {'table' if len(blocks) == 1 else 'tables'}"
    lines = [f"{display}: read as {encoding}, {count}"]
    name = Path(display.split("!")[-1]).name
    for block in blocks:
        where = f"sheet {block.sheet!r}" if block.sheet else f"the table at line {block.first_line}"
        lines.append("")
        match = _best_match(block, formats)
        if match is not None:
            try:
                _check_links(display, block, match)
            except ExportError as err:
                lines.append(f"{where}: {err.problems[0]}")
                continue
            lines.append(f"{where}: reads as {match.format.title} ({match.format.name})")
            continue
        best = _closest(block, formats)
        if not best.fields:  # no header of any known format: name the table's own first row
            first = next((row for row in block.rows if any(str(c).strip() for c in row)), [])
            headers = [visible(c).strip() for c in first if visible(c).strip()]
            lines.append(f"{where}: none of its column names belongs to an export socialkpi knows")
            lines.append("  its columns: " + ", ".join(f'"{h}"' for h in headers[:30]))
            lines.append(
                "  if it is a platform export in a UI language socialkpi does not know, find the "
                "same export's format in lib/socialkpi/ingest/maps/ and give its fields this "
                "file's names in an alias file (README: New header names)"
            )
            continue
        headers = [visible(h).strip() for h in best.headers if visible(h).strip()]
        platform = platform_of_links(block.rows)
        evidence = f" (its links are {platform}'s)" if platform else ""
        found = len(best.format.required) - len(best.missing)
        lines.append(
            f"{where}{evidence}: closest format {best.format.title} ({best.format.name}), "
            f"{found} of {len(best.format.required)} required roles found"
        )
        for fld in best.missing:
            col = best.format.columns[fld]
            lines.append(f'  missing: {fld} ("{col.names[0]}": {EXPECTED.get(col.type, col.type)})')
        lines.append("  the file's columns: " + ", ".join(f'"{h}"' for h in headers[:30]))
        lines += [
            "",
            "A ready-to-edit alias file (save as aliases.yaml, check each line, then run",
            f"socialkpi import {name} --aliases aliases.yaml):",
            "",
            alias_template(best.format, best.missing, headers, name),
        ]
    return "\n".join(lines)


def alias_template(fmt: Format, missing: list[str], headers: list[str], name: str = "") -> str:
    """An alias file for ``fmt`` that names, for each missing role, the file's header that
    looks most like one of the role's known names (or a placeholder to replace), with the
    role's meaning beside it.

    >>> from socialkpi.ingest._headers import builtin_formats
    >>> fmt = builtin_formats()["youtube_totals"]
    >>> print(alias_template(fmt, ["date"], ["Fecha", "Vistas"]))
    # aliases for youtube_totals: the file's own header for each role it could not find
    youtube_totals:
      date: ["REPLACE with the file's column for Date"]  # a date
    """
    out = [f"# aliases for {fmt.name}: the file's own header for each role it could not find"]
    if name:
        out[0] += f" ({name})"
    out.append(f"{fmt.name}:")
    known = {normalize(n) for c in fmt.columns.values() for n in c.names}
    free = [h for h in headers if normalize(h) not in known]
    for fld in missing:
        col = fmt.columns[fld]
        guess = _guess(col.names, free)
        value = guess if guess else f"REPLACE with the file's column for {col.names[0]}"
        if guess:
            free.remove(guess)
        note = EXPECTED.get(col.type, col.type)
        names = json.dumps([value], ensure_ascii=False)
        if col.type in ("date", "datetime") and guess:
            out.append(
                f'  {fld}: {{names: {names}, formats: ["%d/%m/%Y"]}}  # {note}; check the format'
            )
        else:
            out.append(f"  {fld}: {names}  # {note}")
    return "\n".join(out)


def _guess(names: tuple[str, ...], headers: list[str]) -> str | None:
    """The file's header most like one of a role's known names in any language, if any is
    close (a renamed or re-cased column; a new language rarely resembles any)."""
    lowered = {normalize(h): h for h in headers}
    for name in names:
        close = difflib.get_close_matches(normalize(name), list(lowered), n=1, cutoff=0.75)
        if close:
            return lowered[close[0]]
    return None
