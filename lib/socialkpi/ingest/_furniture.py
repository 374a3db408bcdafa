"""Platform furniture: rows an export writes beside its data, recognised by their shape in
any UI language, skipped and counted in the import summary.

- **footer note**: a row at the end of a table with one text cell and nothing where the
  data's required values go (YouTube's "Showing top 500 results", its German "Die 500 besten
  Ergebnisse werden angezeigt", a note a user typed below a GA4 table);
- **total row**: a row whose key cell is a total word (``Total``, ``Gesamt``, ``합계``,
  ``總計`` ...: ``maps/_furniture.yaml`` and alias files), or, where a format says what its
  keys look like (``key_pattern``: YouTube's video ids), the row under the header whose key
  is no key and whose descriptive cells are empty while its numbers are filled;
- **placeholder row**: a row that carries no data: no key at all and nothing but zeros (X
  writes one with an empty post id and a ``status/undefined`` link), or a key with every
  required value written as "no value" (``undefined``: TikTok's days before the account
  existed) and nothing but zeros besides.

Total rows are kept aside (a format may check its rows against them); the others are dropped.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from importlib import resources

import pandas as pd
import yaml

from socialkpi.ingest._values import NULL_SPELLINGS, visible

KINDS = ("total", "footer", "placeholder")
KEY_TYPES = ("id", "date", "datetime", "yearless")
NUMERIC_TYPES = ("count", "signed", "number", "share")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@functools.cache
def builtin_words() -> dict[str, frozenset[str]]:
    """The total and footer words shipped in ``maps/_furniture.yaml``, normalised."""
    from socialkpi.ingest._headers import normalize

    text = (resources.files("socialkpi.ingest") / "maps" / "_furniture.yaml").read_text("utf-8")
    spec = yaml.safe_load(text)
    return {k: frozenset(normalize(w) for w in spec.get(k, [])) for k in ("total", "footer")}


def classify(raw: pd.DataFrame, match, words: dict[str, frozenset[str]]) -> pd.Series:
    """Per row of a table's text cells (``raw``: one column per matched index, as
    ``Block.body`` gives them), its furniture kind or "" for data."""
    from socialkpi.ingest._headers import normalize

    fmt = match.format
    cols = {f: fmt.columns[f] for f in match.fields}
    text = {
        f: raw[j].astype("string").map(visible, na_action="ignore").astype("string").str.strip()
        for f, j in match.fields.items()
    }
    filled = {f: v.notna() & (v != "") & ~v.isin(NULL_SPELLINGS) for f, v in text.items()}
    nulled = {f: v.isin(NULL_SPELLINGS) & (v != "") for f, v in text.items()}
    zero = {f: text[f].str.fullmatch(r"[+-]?0+(?:[.,]0+)?%?").fillna(False) for f in text}
    out = pd.Series("", index=raw.index, dtype="object")
    if raw.empty:
        return out
    keys = [f for f, c in cols.items() if c.type in KEY_TYPES]
    required_values = [f for f, c in cols.items() if c.required and c.type not in KEY_TYPES]
    numeric = [f for f, c in cols.items() if c.type in NUMERIC_TYPES]
    count = pd.concat(list(filled.values()), axis=1).sum(axis=1) if filled else 0

    # totals: a total word in a key or text column, or a key that is no key (format's pattern)
    key_field = total_key(match)
    if key_field in text:
        names = text[key_field].map(lambda v: normalize(v) if isinstance(v, str) else "")
        out[names.isin(words["total"])] = "total"
        pattern = fmt.extra.get("key_pattern")
        if pattern:
            descriptive = [
                f
                for f, c in cols.items()
                if c.type == "text" or (c.type in KEY_TYPES and f != key_field)
            ]
            blank = (
                ~pd.concat([filled[f] for f in descriptive], axis=1).any(axis=1)
                if descriptive
                else True
            )
            numbers = (
                pd.concat([filled[f] for f in numeric], axis=1).any(axis=1) if numeric else False
            )
            not_key = filled[key_field] & ~text[key_field].str.fullmatch(pattern).fillna(False)
            out[(out == "") & not_key & blank & numbers] = "total"

    # footers: trailing rows with one text cell and no required value
    lonely = (count == 1) & pd.concat(
        [filled[f] & text[f].str.contains(_LETTERS).fillna(False) for f in text], axis=1
    ).any(axis=1)
    no_values = (
        ~pd.concat([filled[f] for f in required_values], axis=1).any(axis=1)
        if required_values
        else True
    )
    for i in reversed(range(len(raw))):
        if (
            out.iat[i] == ""
            and bool(lonely.iat[i])
            and bool(no_values if isinstance(no_values, bool) else no_values.iat[i])
        ):
            out.iat[i] = "footer"
        else:
            break
    said = pd.concat(
        [
            text[f].map(lambda v: normalize(v) if isinstance(v, str) else "").isin(words["footer"])
            for f in text
        ],
        axis=1,
    ).any(axis=1)
    out[(out == "") & said] = "footer"

    # placeholders: no data at all
    others_empty_or_zero = (
        pd.concat([~filled[f] | zero[f] for f in numeric], axis=1).all(axis=1)
        if numeric
        else pd.Series(True, index=raw.index)
    )
    no_key = ~pd.concat([filled[f] for f in keys], axis=1).any(axis=1) if keys else False
    undefined = (
        pd.concat([nulled[f] | ~filled[f] for f in required_values], axis=1).all(axis=1)
        & pd.concat([nulled[f] for f in required_values], axis=1).any(axis=1)
        if required_values
        else False
    )
    has_key = ~no_key if keys else True
    placeholder = (no_key & others_empty_or_zero & (count > 0)) | (
        has_key & undefined & others_empty_or_zero
    )
    out[(out == "") & placeholder] = "placeholder"
    return out


def total_key(match) -> str | None:
    """The field whose cell says a row is a total (``total_key`` in the map, else the first
    key column), if the table has it."""
    fmt = match.format
    keys = [f for f in match.fields if fmt.columns[f].type in KEY_TYPES]
    return fmt.extra.get("total_key") or (keys[0] if keys else None)


def summary(counts: Counter) -> str:
    """The import summary's line for skipped furniture: ``1 total row, 1 footer note and 1
    placeholder row skipped (rows that are not data)``.

    >>> summary(Counter({"total": 1, "footer": 1, "placeholder": 2}))
    '1 total row, 1 footer note and 2 placeholder rows skipped (rows that are not data)'
    """
    names = {
        "total": ("total row", "total rows"),
        "footer": ("footer note", "footer notes"),
        "placeholder": ("placeholder row", "placeholder rows"),
    }
    parts = [f"{counts[k]} {names[k][counts[k] != 1]}" for k in KINDS if counts.get(k)]
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"{listed} skipped (rows that are not data)"
