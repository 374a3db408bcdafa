"""Countries as platforms write them: an English name (``Taiwan``, ``Hong Kong``) to its ISO
code, with Babel's territory names (the importer and the words both need it)."""

from __future__ import annotations

import functools

from socialkpi.config import LANGS  # noqa: F401 (the catalogue speaks these)


@functools.cache
def territory_code(name: str) -> str | None:
    """A country's code from its English name as platforms write it (``Taiwan`` -> ``TW``)."""
    from babel import Locale

    names = {v.casefold(): k for k, v in Locale.parse("en").territories.items()}
    # the short names platforms write where Babel's are long ("Hong Kong SAR China")
    names |= {"hong kong": "HK", "macau": "MO", "macao": "MO"}
    return names.get(name.casefold())
