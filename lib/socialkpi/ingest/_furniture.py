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

import numpy as np
import pandas as pd

from socialkpi.config import own_yaml
from socialkpi.ingest._values import Cells, normalize

KINDS = ("total", "footer", "placeholder")
KEY_TYPES = ("id", "date", "datetime", "yearless")
NUMERIC_TYPES = ("count", "signed", "number", "share")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@functools.cache
def builtin_words() -> dict[str, frozenset[str]]:
    """The total and footer words shipped in ``maps/_furniture.yaml``, normalised."""
    text = (resources.files("socialkpi.ingest") / "maps" / "_furniture.yaml").read_text("utf-8")
    spec = own_yaml(text)
    return {k: frozenset(normalize(w) for w in spec.get(k, [])) for k in ("total", "footer")}


def text_cells(raw: pd.DataFrame, match) -> dict[int, Cells]:
    """The matched columns of ``raw`` that hold text, read once (``Cells``); columns the
    reader already parsed as numbers hold no words, and get no text copy."""
    return {
        j: Cells.of(raw[j])
        for j in dict.fromkeys(match.fields.values())
        if not pd.api.types.is_numeric_dtype(raw[j])
    }


def classify(
    raw: pd.DataFrame,
    match,
    words: dict[str, frozenset[str]],
    cells: dict[int, Cells],
    last: bool = True,
) -> pd.Series:
    """Per row of a table's text cells (``raw``: one column per matched index, as
    ``Block.body`` gives them, and ``cells``, its :func:`text_cells`), its furniture kind or
    "" for data. ``last`` says the rows end the table (footers are looked for at a table's
    end only)."""

    fmt = match.format
    cols = {f: fmt.columns[f] for f in match.fields}
    read_as_numbers = {f: raw[j] for f, j in match.fields.items() if j not in cells}
    text = {f: cells[j].visible for f, j in match.fields.items() if j in cells}
    filled = {f: cells[j].filled for f, j in match.fields.items() if j in cells}
    nulled = {f: cells[j].nulled for f, j in match.fields.items() if j in cells}
    numeric = [f for f, c in cols.items() if c.type in NUMERIC_TYPES]
    zero = {
        f: text[f].str.fullmatch(r"[+-]?0+(?:[.,]0+)?%?").fillna(False)
        for f in numeric
        if f in text
    }
    for f, v in read_as_numbers.items():
        filled[f], nulled[f], zero[f] = v.notna(), pd.Series(False, index=v.index), v.eq(0)
    out = pd.Series("", index=raw.index, dtype="object")
    if raw.empty:
        return out
    keys = [f for f, c in cols.items() if c.type in KEY_TYPES]
    required_values = [f for f, c in cols.items() if c.required and c.type not in KEY_TYPES]
    count = pd.Series(np.sum([v.to_numpy(bool) for v in filled.values()], axis=0), raw.index)

    # totals: a total word in a key or text column, or a key that is no key (format's pattern)
    key_field = total_key(match)
    if key_field in text:
        out[_said(text[key_field], words["total"], ~text[key_field].str.contains(r"\d"))] = "total"
        pattern = fmt.extra.get("key_pattern")
        if pattern:
            descriptive = [
                f
                for f, c in cols.items()
                if c.type == "text" or (c.type in KEY_TYPES and f != key_field)
            ]
            blank = ~_any([filled[f] for f in descriptive], raw.index)
            numbers = _any([filled[f] for f in numeric], raw.index)
            not_key = filled[key_field] & ~text[key_field].str.fullmatch(pattern).fillna(False)
            out[(out == "") & not_key & blank & numbers] = "total"

    # footers: trailing rows with one text cell and no required value
    one = count == 1  # letters are looked for only in rows of one cell
    lonely = one & _any(
        [filled[f] & _where(one, text[f], lambda t: t.str.contains(_LETTERS)) for f in text],
        raw.index,
    )
    no_values = ~_any([filled[f] for f in required_values], raw.index)
    for i in reversed(range(len(raw) if last else 0)):
        if (
            out.iat[i] == ""
            and bool(lonely.iat[i])
            and bool(no_values if isinstance(no_values, bool) else no_values.iat[i])
        ):
            out.iat[i] = "footer"
        else:
            break
    few = count <= 2  # a footer note fills a cell or two, never a row
    said = _any([_said(text[f], words["footer"], few) for f in text], raw.index)
    out[(out == "") & said] = "footer"

    # placeholders: no data at all
    others_empty_or_zero = ~_any([filled[f] & ~zero[f] for f in numeric], raw.index)
    no_key = ~_any([filled[f] for f in keys], raw.index) if keys else False
    undefined = (
        ~_any([filled[f] & ~nulled[f] for f in required_values], raw.index)
        & _any([nulled[f] for f in required_values], raw.index)
        if required_values
        else False
    )
    has_key = ~no_key if keys else True
    placeholder = (no_key & others_empty_or_zero & (count > 0)) | (
        has_key & undefined & others_empty_or_zero
    )
    out[(out == "") & placeholder] = "placeholder"
    return out


def _any(flags: list[pd.Series], index) -> pd.Series:
    """Row-wise OR of boolean columns (False for none), in numpy."""
    if not flags:
        return pd.Series(False, index=index)
    return pd.Series(np.logical_or.reduce([f.to_numpy(bool) for f in flags]), index=index)


def _where(rows: pd.Series, text: pd.Series, test) -> pd.Series:
    """``test`` (a vectorised check on text) on the ``rows`` only; False elsewhere."""
    out = pd.Series(False, index=text.index)
    rows = rows.to_numpy(bool) & text.notna().to_numpy()
    if rows.any():
        out[rows] = test(text[rows]).fillna(False).to_numpy(bool)
    return out


def _said(text: pd.Series, words: frozenset[str], where: pd.Series) -> pd.Series:
    """Which cells, among the rows ``where`` says could be furniture, are one of ``words``
    (compared normalised; only those rows are normalised, one Python call per cell)."""
    out = pd.Series(False, index=text.index)
    rows = where.fillna(False).astype(bool) & text.notna()
    if rows.any():
        out[rows] = text[rows].map(normalize).isin(words).to_numpy()
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
