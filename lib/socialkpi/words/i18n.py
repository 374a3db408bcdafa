"""The message catalogue: every word a reader sees, in Traditional Chinese (Taiwan usage, see
shared/GLOSSARY.md) and English.

The catalogue is one YAML file per language in ``locale/`` (``zh-TW.yaml``, ``en.yaml``), with
nested keys read as dotted ids (``section.scorecard``) and ``{name}`` placeholders. YAML
rather than gettext: keys are stable ids rather than English source text, translators edit
plain text files, there is no compile step, and a test checks that both files have the same
keys and that every key is used. Babel supplies what the catalogue does not hold: locale data
for numbers, currencies, dates and the names of countries and languages.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from socialkpi.config import LANGS, own_yaml  # noqa: F401 (LANGS: the catalogue speaks these)
from socialkpi.config.places import territory_code

BABEL_LOCALE = {"zh-TW": "zh_Hant_TW", "en": "en"}


class MissingMessage(KeyError):
    """A catalogue key that does not exist (a typo, or a key added to one language only)."""


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{path}."))
        else:
            out[path] = str(value)
    return out


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of ``lang``, by dotted key."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    text = (resources.files("socialkpi") / "locale" / f"{lang}.yaml").read_text("utf-8")
    return _flatten(own_yaml(text))


_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def t(key: str, lang: str = "en", **values) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in. ``{n|post|posts}`` in a
    message is the word for the number ``n``: the first for one, the second for any other
    (English; Chinese has no plural forms and writes the word once).

    >>> t("section.scorecard", "zh-TW"), t("section.scorecard", "en")
    ('成績單', 'Scorecard')
    >>> _plural("{n} {n|post|posts}, {m} {m|post|posts}", {"n": 1, "m": 2})
    '{n} post, {m} posts'
    """
    try:
        text = catalogue(lang)[key]
    except KeyError:
        raise MissingMessage(f"no message {key!r} in the {lang} catalogue") from None
    return _plural(text, values).format(**values) if values else text


def _plural(text: str, values: dict) -> str:
    def pick(match: re.Match) -> str:
        name, one, other = match.groups()
        try:
            return one if float(str(values[name]).replace(",", "")) == 1 else other
        except (KeyError, ValueError):
            return other

    return _PLURAL.sub(pick, text)


def has(key: str, lang: str = "en") -> bool:
    """Whether the catalogue has ``key`` in ``lang``."""
    return key in catalogue(lang)


def word(group: str, value: object, lang: str = "en") -> str:
    """A data value's display word (``word("platform", "tiktok")`` -> ``TikTok``), or the value
    as written when the catalogue has none (a topic, a caption, an owner's name)."""
    key = f"{group}.{value}"
    return t(key, lang) if has(key, lang) else str(value)


def babel_locale(lang: str) -> str:
    """The Babel locale that formats numbers and dates for ``lang`` (``zh-TW`` -> ``zh_Hant_TW``)."""
    return BABEL_LOCALE[lang]


def territory(code: object, lang: str = "en") -> str:
    """A country or region's name (``TW`` -> 台灣 / Taiwan); the catalogue's name wins over
    Babel's (Taiwan usage: 香港, not Babel's long form)."""
    from babel import Locale

    text = str(code)
    if has(f"territory.{text.upper()}", lang):
        return t(f"territory.{text.upper()}", lang)
    return Locale.parse(babel_locale(lang)).territories.get(text.upper(), text)


def city(place: object, lang: str = "en") -> str:
    """A city as the platforms write it (``Taipei, Taiwan``, ``New Taipei City, Taiwan``,
    ``Hong Kong``) in the page's language: the catalogue's name for the city (Taiwan's own
    cities alone, others after their country: ``台北市``, ``馬來西亞吉隆坡``); a city the
    catalogue does not know stays as written.

    >>> city("Taipei, Taiwan", "zh-TW"), city("Kuala Lumpur, Malaysia", "zh-TW"), city("Taipei, Taiwan")
    ('台北市', '馬來西亞吉隆坡', 'Taipei, Taiwan')
    """
    text = " ".join(str(place).split())
    if lang == "en":
        return text
    if has(f"city.{text}", lang):
        return t(f"city.{text}", lang)
    name, _, country = (part.strip() for part in text.rpartition(","))
    if not name or not has(f"city.{name}", lang):
        return text
    code = territory_code(country)
    local = t(f"city.{name}", lang)
    return local if code in (None, "TW") else territory(code, lang) + local


def language(code: object, lang: str = "en") -> str:
    """A language's name (``zh-TW`` -> 繁體中文 (台灣) / Chinese (Taiwan))."""
    from babel import Locale, UnknownLocaleError

    text = str(code)
    try:
        return Locale.parse(text.replace("-", "_")).get_display_name(babel_locale(lang)) or text
    except (ValueError, UnknownLocaleError):
        return text
