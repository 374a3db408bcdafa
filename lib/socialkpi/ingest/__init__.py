"""Importers: native platform exports (CSV, XLS/XLSX, ZIP) into the canonical tables.

Each platform module holds the few steps its export needs beyond its header map
(``maps/<format>.yaml``); :func:`import_paths` does the rest.
"""

from socialkpi.ingest import canonical, facebook_legacy, ga4, linkedin, meta, tiktok, x, youtube
from socialkpi.ingest._errors import ExportError
from socialkpi.ingest._headers import builtin_formats
from socialkpi.ingest._pipeline import (
    FileResult,
    Options,
    export_date_from_name,
    import_paths,
    parse_file,
)

FINISHERS = {
    **meta.FINISH,
    **facebook_legacy.FINISH,
    **youtube.FINISH,
    **linkedin.FINISH,
    **x.FINISH,
    **tiktok.FINISH,
    **ga4.FINISH,
    **canonical.FINISH,
}

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
