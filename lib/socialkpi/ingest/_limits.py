"""What an input may expand to, so that a small hostile file cannot exhaust memory: the size
of one export file (or ZIP member) as read, the compression ratio of a large ZIP member, the
total a ZIP archive unpacks to, the parts of an XLSX workbook unpacked, and one CSV cell.

Each limit has an environment variable that raises it; a refusal names it. The defaults are
far above any real export (a year of a busy brand's posts is a few megabytes).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """The limits in force (:func:`limits` reads them from the environment)."""

    file_mb: int = 1024  # SOCIALKPI_MAX_FILE_MB: one export file or ZIP member, as read
    zip_mb: int = 2048  # SOCIALKPI_MAX_ZIP_MB: every member of one archive together
    zip_ratio: int = 200  # SOCIALKPI_MAX_ZIP_RATIO: unpacked / packed, for members over 10 MB
    workbook_mb: int = 512  # SOCIALKPI_MAX_WORKBOOK_MB: an .xlsx's sheets and strings unpacked
    cell_kb: int = 1024  # SOCIALKPI_MAX_CELL_KB: one CSV cell (a post's text is a few KB)

    @staticmethod
    def variable(name: str) -> str:
        """The environment variable that sets a limit: ``file_mb`` -> SOCIALKPI_MAX_FILE_MB."""
        return f"SOCIALKPI_MAX_{name.upper()}"


# below this a member's compression ratio does not matter: it cannot exhaust memory
RATIO_FLOOR = 10 * 2**20


def limits() -> Limits:
    """The limits, each from its environment variable where set (a whole positive number).

    >>> import os; os.environ["SOCIALKPI_MAX_CELL_KB"] = "64"; limits().cell_kb
    64
    >>> del os.environ["SOCIALKPI_MAX_CELL_KB"]
    """
    given = {}
    for f in fields(Limits):
        text = os.environ.get(Limits.variable(f.name))
        if text is None:
            continue
        if not text.strip().isdigit() or int(text) <= 0:
            raise ValueError(f"{Limits.variable(f.name)}={text!r}: expected a whole number above 0")
        given[f.name] = int(text)
    return Limits(**given)


def exceeded(what: str, size: int, name: str, unit: int) -> tuple[str, str]:
    """The problem and fix of an input over the limit ``name`` (``file_mb``...).

    >>> exceeded("the member unpacks to", 3 * 2**30, "file_mb", 2**20)[1]
    'if the file is a genuine export, raise the limit: SOCIALKPI_MAX_FILE_MB=3072 (or more)'
    """
    allowed = getattr(limits(), name)
    scale = "MB" if unit == 2**20 else "KB"
    needed = -(-size // unit)
    return (
        f"{what} {needed:,} {scale}, over the limit of {allowed:,} {scale} "
        f"({Limits.variable(name)})",
        f"if the file is a genuine export, raise the limit: {Limits.variable(name)}={needed} "
        "(or more)",
    )
