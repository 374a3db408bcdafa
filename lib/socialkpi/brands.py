"""Brand names: the one rule for what a brand may be called.

A brand name becomes a folder name (``reports/<month>/<brand>/``) and a file name
(``data/goals/<brand>.yaml``), so it enters through many doors: the ``--brand`` flag, a folder
name below an import argument, a key in ``brands.yaml``, a dashboard's query string and a
notebook's ``brand`` parameter. Every door asks :func:`check`.

The rule: letters of any script (with their combining marks), digits, ``_``, ``-`` and ``.``;
no ``.`` first, no ``..``, no spaces or path separators, at most :data:`MAX_LENGTH` characters.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from socialkpi.files import inside

MAX_LENGTH = 64
_PUNCTUATION = set("_-.")


class BrandNameError(ValueError):
    """A brand name that breaks the rule; the message says which part and what to do."""


def check(name: object) -> str:
    """Return ``name`` (NFC-normalised) if it is a valid brand name, else raise
    :class:`BrandNameError` saying why.

    Examples
    --------
    >>> check("lumi_tea"), check("露米茶飲"), check("acme.tw")
    ('lumi_tea', '露米茶飲', 'acme.tw')
    >>> check("../../etc")
    Traceback (most recent call last):
    ...
    socialkpi.brands.BrandNameError: brand name '../../etc' may not start with '.'; use letters, digits, '_', '-' or '.' (e.g. lumi_tea)
    """
    if not isinstance(name, str) or not name:
        raise BrandNameError(f"a brand name must be non-empty text, got {name!r}")
    text = unicodedata.normalize("NFC", name)
    fix = "use letters, digits, '_', '-' or '.' (e.g. lumi_tea)"
    if len(text) > MAX_LENGTH:
        raise BrandNameError(f"brand name {name!r} is longer than {MAX_LENGTH} characters; {fix}")
    if text.startswith("."):
        raise BrandNameError(f"brand name {name!r} may not start with '.'; {fix}")
    if ".." in text:
        raise BrandNameError(f"brand name {name!r} may not contain '..'; {fix}")
    bad = sorted({ch for ch in text if not _allowed(ch)})
    if bad:
        shown = " ".join(repr(ch) for ch in bad[:5])
        raise BrandNameError(f"brand name {name!r} contains {shown}; {fix}")
    return text


def is_valid(name: object) -> bool:
    """Whether :func:`check` accepts ``name`` (for filtering names made before the rule)."""
    try:
        check(name)
    except BrandNameError:
        return False
    return True


def _allowed(ch: str) -> bool:
    return ch in _PUNCTUATION or unicodedata.category(ch)[0] in "LMN"


def argument(text: str) -> str:
    """``argparse`` type for ``--brand``: the checked name, or a usage error."""
    import argparse

    try:
        return check(text)
    except BrandNameError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def file_for(folder: str | Path, brand: str, suffix: str = ".yaml") -> Path:
    """The brand's file in ``folder`` (``data/goals/lumi_tea.yaml``), checked to stay inside it.

    >>> file_for("data/goals", "lumi_tea").name
    'lumi_tea.yaml'
    """
    return inside(folder, f"{check(brand)}{suffix}")
