"""Importers: native platform exports (CSV, XLS/XLSX, ZIP) into the canonical tables.

Each platform module holds the few steps its export needs beyond its header map
(``maps/<format>.yaml``); :func:`import_paths` does the rest.
"""

from socialkpi.ingest._errors import ExportError
from socialkpi.ingest._finishers import FINISHERS
from socialkpi.ingest._headers import builtin_formats
from socialkpi.ingest._pipeline import (
    FileResult,
    Options,
    export_date_from_name,
    import_paths,
    parse_file,
)

__all__ = [
    "FINISHERS",
    "ExportError",
    "FileResult",
    "Options",
    "builtin_formats",
    "export_date_from_name",
    "import_paths",
    "parse_file",
]
