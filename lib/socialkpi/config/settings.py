"""Settings files (``brands.yaml``, goals, experiments, alias files, the action log): read
safely and checked, so a mistake in one is a message naming the file, the line or key, what
was expected and what to write, never a traceback or a silently ignored line.

- YAML aliases (``*name``) are refused: a few hundred bytes of nested aliases can expand to
  gigabytes ("billion laughs"); settings never need them.
- A file larger than :data:`MAX_BYTES` is refused before it is parsed.
- A date that does not exist (``end: 2026-02-30``) is an error at its line, never a traceback.
- A key no schema knows is an error, with the closest known key suggested (:func:`unknown`).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

MAX_BYTES = 1_000_000  # a settings file is hand-written: a megabyte is far beyond any real one


class SettingsError(ValueError):
    """A settings file that cannot be used: the file, each problem, and what to do."""

    def __init__(self, path: str | Path, problems: str | list[str], fix: str = ""):
        self.path = str(path)
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.fix = fix
        super().__init__(self.message())

    def message(self) -> str:
        """The error as users see it."""
        head = (
            f"{self.path}: {self.problems[0]}"
            if len(self.problems) == 1
            else f"{self.path}: {len(self.problems)} problems\n"
            + "\n".join(f"  {p}" for p in self.problems)
        )
        return head + (f"\n  Fix: {self.fix}" if self.fix else "")


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases, and with dates checked."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(
                event.start_mark,
                f"a YAML alias (*{event.anchor}): settings files do not use aliases "
                "(nested aliases can expand without bound)",
            )
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as err:
            raise _Refused(
                node.start_mark, f"{node.value!r} is not a day that exists ({err})"
            ) from err


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class _Refused(yaml.YAMLError):
    def __init__(self, mark, text: str):
        super().__init__(text)
        self.mark, self.text = mark, text


def read_yaml(path: str | Path, what: str = "settings file") -> object:
    """The contents of a settings file (see the module docstring), or a
    :class:`SettingsError`."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SettingsError(
                path,
                f"the {what} is {size:,} bytes; settings files are at most {MAX_BYTES:,}",
                "check that this is the right file (settings are a few lines of YAML)",
            )
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise SettingsError(path, f"cannot read the {what} ({err.strerror or err})") from err
    except UnicodeDecodeError as err:
        raise SettingsError(
            path, f"the {what} is not UTF-8 text (byte {err.start})", "save it as UTF-8"
        ) from err
    return parse_yaml(text, path, what)


def parse_yaml(text: str, path: str | Path = "<text>", what: str = "settings file") -> object:
    """:func:`read_yaml` for text already read."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _Refused as err:
        raise SettingsError(
            path,
            f"line {err.mark.line + 1}: {err.text}",
            "write the value out in full" if "alias" in err.text else "write a day that exists",
        ) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise SettingsError(
            path,
            f"{where}the {what} is not valid YAML ({problem})",
            "check the indentation and the punctuation (a key, a colon, a space, the value) "
            "at that line",
        ) from err


def mapping(value: object, path: str | Path, where: str, example: str) -> dict:
    """``value`` if it is a mapping (``{}`` for an empty value), else a SettingsError saying
    what was found at ``where`` and showing ``example``."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SettingsError(
            path,
            f"{where}: expected a mapping of keys to values, found {_kind(value)}",
            f"write e.g. {example}",
        )
    return value


def unknown(keys, known, where: str) -> list[str]:
    """One problem per key not in ``known``, the closest known key suggested.

    >>> unknown(["timzone", "name"], ["name", "timezone", "currency"], "brand acme")
    ["brand acme: unknown key 'timzone' (did you mean 'timezone'?)"]
    """
    out = []
    for key in keys:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), [str(k) for k in known], n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
        out.append(f"{where}: unknown key {key!r}{hint}")
    return out


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return f"{type(value).__name__} {value!r}"[:60]


# brands.yaml: per brand, these keys (README: Import your own exports)
BRAND_KEYS = (
    "name",
    "currency",
    "country",
    "timezone",
    "engagement_rate",
    "business_hours",
    "sentiment",
    "competitors",
    "pillars",
    "branding",
)
_BRAND_EXAMPLE = "lumi_tea: {name: {zh-TW: <name in zh-TW>, en: Lumi Tea}, timezone: Asia/Taipei}"


def brands_file(path: str | Path) -> dict[str, dict]:
    """Every brand's settings in a ``brands.yaml``, each checked (:func:`brand_settings`);
    every problem in the file is reported at once, or none is."""
    spec = mapping(read_yaml(path, "brands file"), path, "the file", _BRAND_EXAMPLE)
    out, problems = {}, []
    for name, given in spec.items():
        found, said = brand_settings(str(name), given, Path(path).parent)
        problems += said
        if found is not None:
            out[found.pop("_id")] = found
    if problems:
        raise SettingsError(path, problems, "correct these lines of brands.yaml and import again")
    return out


def brand_settings(
    name: str, given: object, root: Path | None = None
) -> tuple[dict | None, list[str]]:
    """One brand's entry of ``brands.yaml`` checked: its id (the brand-name rule), known keys
    only (a misspelling gets the closest key), a name per language, an ISO 4217 currency,
    an IANA time zone, a known engagement-rate definition, opening hours, a known sentiment
    scorer, competitors, pillars and its look (``branding``, the logo read from ``root``, the
    folder of brands.yaml). Returns ``(settings with "_id", problems)``.

    >>> for line in brand_settings("acme", {"timezone": 12, "timzone": "Asia/Taipei"})[1]:
    ...     print(line)
    brand acme: unknown key 'timzone' (did you mean 'timezone'?)
    brand acme: timezone 12 is not an IANA time zone (write e.g. Asia/Taipei, Asia/Hong_Kong, UTC)
    """
    from socialkpi.config import branding, brands

    try:
        key = brands.check(name)
    except brands.BrandNameError as err:
        return None, [f"{err} (rename the brand)"]
    where = f"brand {key}"
    if given is not None and not isinstance(given, dict):
        return None, [f"{where}: expected its settings (a mapping), found {_kind(given)}"]
    settings = dict(given or {})
    problems = unknown(settings, BRAND_KEYS, where)
    checks = {
        "name": (
            brands.is_name,
            "a name, or one per language: name: {zh-TW: <name in zh-TW>, en: Lumi Tea}",
        ),
        "currency": (_is_currency, "an ISO 4217 code (write e.g. TWD, HKD, USD)"),
        "country": (_is_country, "a country code with a holiday calendar (write e.g. TW, HK, JP)"),
        "timezone": (_is_zone, "an IANA time zone (write e.g. Asia/Taipei, Asia/Hong_Kong, UTC)"),
        "engagement_rate": (_is_rate, "an engagement-rate definition ({rates})"),
        "business_hours": (_is_hours, "opening hours (write e.g. Mon-Fri 09:00-18:00, or 24/7)"),
        "sentiment": (_is_scorer, "a sentiment scorer ({scorers})"),
    }
    for field, (ok, expected) in checks.items():
        value = settings.get(field)
        if value is not None and not ok(value):
            shown = f"{value!r}" if not isinstance(value, str) else repr(value)
            problems.append(f"{where}: {field} {shown} is not {expected.format(**_choices())}")
    for field, reader in (("competitors", brands.roster), ("pillars", brands.pillars)):
        try:
            settings[field] = reader(settings.get(field), f"{where}: {field}")
        except brands.BrandNameError as err:
            problems.append(str(err))
    if "branding" in settings:
        if isinstance(settings["branding"], dict):
            problems += unknown(settings["branding"], branding.KEYS, f"{where}: branding")
        settings["branding"], said = branding.check(settings["branding"], where, root)
        problems += said
    for code in ("currency", "country"):
        if code in settings and isinstance(settings[code], str):
            settings[code] = settings[code].upper()
    return {"_id": key, **settings}, problems


def _choices() -> dict[str, str]:
    from socialkpi.config import SCORERS, engagement_rate_ids

    return {"rates": ", ".join(engagement_rate_ids()), "scorers": ", ".join(SCORERS)}


def _is_country(code: object) -> bool:
    import holidays

    return isinstance(code, str) and code.upper() in holidays.list_supported_countries()


def _is_currency(code: object) -> bool:
    from babel.numbers import is_currency

    return isinstance(code, str) and len(code) == 3 and is_currency(code.upper())


def _is_zone(zone: object) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(zone, str) or not zone or zone.startswith(("/", ".")) or ".." in zone:
        return False
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _is_rate(rate: object) -> bool:
    from socialkpi.config import engagement_rate_ids

    return rate in engagement_rate_ids()


def _is_hours(hours: object) -> bool:
    from socialkpi.config.hours import parse_business_hours

    try:
        parse_business_hours(str(hours))
    except ValueError:
        return False
    return True


def _is_scorer(name: object) -> bool:
    from socialkpi.config import SCORERS

    return name in SCORERS
