"""What an input may expand to (``ingest._limits`` enforces it): each limit and the environment
variable that raises it, read here with the rest of the configuration."""

from __future__ import annotations

import os
from collections.abc import Mapping
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


def limits(env: Mapping[str, str] | None = None) -> Limits:
    """The limits of ``env`` (default: this process's environment), each from its variable
    where set (a whole positive number).

    >>> limits({"SOCIALKPI_MAX_CELL_KB": "64"}).cell_kb
    64
    """
    env = os.environ if env is None else env
    given = {}
    for f in fields(Limits):
        text = env.get(Limits.variable(f.name))
        if text is None:
            continue
        if not text.strip().isdigit() or int(text) <= 0:
            raise ValueError(f"{Limits.variable(f.name)}={text!r}: expected a whole number above 0")
        given[f.name] = int(text)
    return Limits(**given)
