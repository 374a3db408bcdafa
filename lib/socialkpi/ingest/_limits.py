"""What an input may expand to, so that a small hostile file cannot exhaust memory: the size
of one export file (or ZIP member) as read, the compression ratio of a large ZIP member, the
total a ZIP archive unpacks to, the parts of an XLSX workbook unpacked, and one CSV cell.

Each limit has an environment variable that raises it (``config.limits`` reads them); a
refusal names it. The defaults are far above any real export (a year of a busy brand's posts
is a few megabytes).
"""

from __future__ import annotations

from socialkpi.config.limits import Limits, limits

# below this a member's compression ratio does not matter: it cannot exhaust memory
RATIO_FLOOR = 10 * 2**20


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
