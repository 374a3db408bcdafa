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

from socialkpi.config import LANGS
from socialkpi.files import inside

MAX_LENGTH = 64
_PUNCTUATION = set("_-.")


class BrandNameError(ValueError):
    """A brand name that breaks the rule; the message says which part and what to do."""


# the files a month of the bundle holds beside its brand folders (bundle, manifest), and
# the suffixes of files socialkpi writes: a brand (a folder) or an id may be none of them
RESERVED = ("index.html", "run.json", "run.log", "status.json")
RESERVED_SUFFIXES = (".html", ".json", ".log", ".pdf", ".ipynb", ".yaml", ".csv", ".ics", ".tmp")


def check(name: object) -> str:
    """Return ``name`` (NFC-normalised) if it is a valid brand name, else raise
    :class:`BrandNameError` saying why.

    Examples
    --------
    >>> check("lumi_tea"), check("露米茶飲"), check("acme.tw")
    ('lumi_tea', '露米茶飲', 'acme.tw')
    >>> check("index.html")
    Traceback (most recent call last):
    ...
    socialkpi.config.brands.BrandNameError: brand name 'index.html' could be mistaken for one of the report bundle's own files (index.html, run.json, run.log, status.json, or a name ending in .html, .json, .log, .pdf, .ipynb, .yaml, .csv, .ics, .tmp); choose another (e.g. without the suffix)
    >>> check("../../etc")
    Traceback (most recent call last):
    ...
    socialkpi.config.brands.BrandNameError: brand name '../../etc' may not start with '.'; use letters, digits, '_', '-' or '.' (e.g. lumi_tea)
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
    if text.casefold() in RESERVED or text.casefold().endswith(RESERVED_SUFFIXES):
        raise BrandNameError(
            f"brand name {name!r} could be mistaken for one of the report bundle's own files "
            f"({', '.join(RESERVED)}, or a name ending in {', '.join(RESERVED_SUFFIXES)}); "
            "choose another (e.g. without the suffix)"
        )
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


# --- competitors ---------------------------------------------------------------------------
# ``brands.yaml`` lists each brand's competitors: an id (the same rule as a brand's), the name
# readers see (one, or one per language) and the other spellings files use for it:
#
#   lumi_tea:
#     competitors:
#       forest_tea: {name: {zh-TW: 茶之森, en: Forest Tea}, aliases: [茶之森 Forest Tea]}
#       leafy: 葉語茶坊          # short form: the name alone
#
# A file's competitor column is matched against ids, names and aliases (case, width and
# spacing ignored); a name not on the list is an error, never a new competitor.


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def roster(spec: object, where: str = "competitors") -> dict[str, dict]:
    """The competitor list from ``brands.yaml`` as ``{id: {"name": ..., "aliases": [...]}}``,
    checked: ids follow the brand-name rule, names are text (or text per language), and no
    spelling names two competitors. Raises :class:`BrandNameError` saying what to fix.

    >>> roster({"forest_tea": {"name": {"en": "Forest Tea"}, "aliases": ["茶之森"]}, "leafy": "Leafy"})
    {'forest_tea': {'name': {'en': 'Forest Tea'}, 'aliases': ['茶之森']}, 'leafy': {'name': 'Leafy', 'aliases': []}}
    """
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise BrandNameError(
            f"{where} must list competitors as id: name (e.g. forest_tea: Forest Tea)"
        )
    out, seen = {}, {}
    for raw_id, value in spec.items():
        cid = check(str(raw_id))
        by_language = isinstance(value, dict) and value and set(value) <= set(LANGS)
        entry = value if isinstance(value, dict) and not by_language else {"name": value}
        name, aliases = entry.get("name") or cid, entry.get("aliases") or []
        names = list(name.values()) if isinstance(name, dict) else [name]
        if not all(isinstance(n, str) and n.strip() for n in names) or not isinstance(
            aliases, list
        ):
            raise BrandNameError(
                f"{where}: competitor {cid}: name must be text or text per language, aliases a list"
            )
        out[cid] = {"name": name, "aliases": [str(a) for a in aliases]}
        for spelling in {cid, *names, *map(str, aliases)}:
            other = seen.setdefault(_key(spelling), cid)
            if other != cid:
                raise BrandNameError(f"{where}: {spelling!r} names both {other} and {cid}")
    return out


def match_names(names: list[object], listed: dict[str, dict]) -> list[str | None]:
    """Each name's id in ``listed`` (competitors, pillars: ``{id: {"name", "aliases"}}``),
    matched by id, name or alias, or None where the list has no such entry.

    >>> match_names(["ＦＯＲＥＳＴ  tea", "Other"], {"forest_tea": {"name": "Forest Tea", "aliases": []}})
    ['forest_tea', None]
    """
    spellings = {}
    for cid, entry in listed.items():
        name = entry["name"]
        for spelling in [
            cid,
            *(name.values() if isinstance(name, dict) else [name]),
            *entry["aliases"],
        ]:
            spellings[_key(spelling)] = cid
    return [spellings.get(_key(n)) for n in names]


def is_name(name: object) -> bool:
    """A name as ``brands.yaml`` may write it: text, or text per known language.

    >>> is_name("Lumi Tea"), is_name({"zh-TW": "露米茶飲", "en": "Lumi Tea"}), is_name({"fr": "x"})
    (True, True, False)
    """
    if isinstance(name, dict):
        return (
            bool(name)
            and set(name) <= set(LANGS)
            and all(isinstance(v, str) and v.strip() for v in name.values())
        )
    return isinstance(name, str) and bool(name.strip())


def display_name(name: object, lang: str, fallback: str) -> str:
    """A name as written in ``brands.yaml`` (text, or text per language) in ``lang``."""
    if isinstance(name, dict):
        return name.get(lang) or next(iter(name.values()), fallback)
    return str(name) if name else fallback


# --- content pillars -----------------------------------------------------------------------
# ``brands.yaml`` names each brand's content pillars, how a post is recognised as one (its
# hashtags, words in its caption) and the share of the mix the team aims for:
#
#   lumi_tea:
#     pillars:
#       new_drinks: {name: {zh-TW: 新品上市, en: New drinks}, hashtags: [新品上市], keywords: [新品], target: 0.3}


def pillars(spec: object, where: str = "pillars") -> dict[str, dict]:
    """The pillar list from ``brands.yaml`` as ``{id: {"name", "aliases", "hashtags",
    "keywords", "target"}}``, checked like :func:`roster`; targets are shares that add up to
    at most 1.

    >>> pillars({"tips": {"name": "Tips", "hashtags": ["#TeaTips"], "target": 0.4}})["tips"]
    {'name': 'Tips', 'aliases': [], 'hashtags': ['teatips'], 'keywords': [], 'target': 0.4}
    """
    listed = roster(spec, where)
    total = 0.0
    for pid, entry in listed.items():
        raw = spec[pid] if isinstance(spec[pid], dict) else {}
        tags, words = raw.get("hashtags") or [], raw.get("keywords") or []
        target = raw.get("target")
        if not isinstance(tags, list) or not isinstance(words, list):
            raise BrandNameError(f"{where}: pillar {pid}: hashtags and keywords must be lists")
        if target is not None and not (isinstance(target, int | float) and 0 <= target <= 1):
            raise BrandNameError(f"{where}: pillar {pid}: target must be a share from 0 to 1")
        total += target or 0
        entry["hashtags"] = [_key(str(t)).lstrip("#") for t in tags]
        entry["keywords"] = [_key(str(w)) for w in words]
        entry["target"] = target
    if total > 1 + 1e-9:
        raise BrandNameError(f"{where}: the targets add up to {total:.2f}, more than 1")
    return listed
