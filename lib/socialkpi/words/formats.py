"""Values as a reader sees them, in one language: numbers by their unit from ``metrics.yaml``
(counts with separators, percents, hours, money in the brand's currency), dates, moments in a
time zone and data ids as words (platforms, weekdays, countries), with Babel's locale data.
Tables, sentences, the command line and dashboard cards all format through here, the same
way; a missing value is "—" (:data:`DASH`)."""

from __future__ import annotations

import pandas as pd

from socialkpi.words import i18n
from socialkpi.words.i18n import t

DASH = "—"

# data values shown through a catalogue group (ids -> words); anything else shows as written
WORD_KINDS = {
    "platform",
    "send_type",
    "device_os",
    "friendship_length",
    "weekday",
    "content_type",
    "status",
    "action_status",
    "plan_status",
    "level",
    "check",
    "objective",
    "horizon",
    "assessment",
    "gender",
    "dimension",
    "clock",
    "verdict",
    "follow_up",
    "daypart",
    "seniority",
    "job_function",
    "channel",
    "cost_category",
    "pace",
    "result_type",
    "attribution",
}

NUMERIC_KINDS = {
    "value",
    "change",
    "count",
    "number",
    "percent",
    "hours",
    "seconds",
    "currency",
    "share",
    "signed_count",
    "change_pp",
    "ratio",
}


def missing(value: object) -> bool:
    """Whether a value is missing (None, NaN, NA)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(
    value: object,
    unit: str = "count",
    lang: str = "en",
    currency: str | None = None,
    signed: bool = False,
) -> str:
    """A KPI value as people read it, by its unit: ``12,400`` · ``7.35%`` · ``4.2 小時`` ·
    ``NT$1,234``. ``signed`` writes a change: ``+1,200``, and for a percent ``+0.85 個百分點``.

    >>> number(12400.0), number(0.07354, "percent", "zh-TW"), number(4.25, "hours", "zh-TW")
    ('12,400', '7.35%', '4.3 小時')
    >>> number(1234.5, "currency", "en", "TWD"), number(0.0085, "percent", "en", signed=True)
    ('NT$1,235', '+0.85 pp')
    >>> number(0.3984, "relative", "en"), number(-0.1384, "relative", "en", signed=True)
    ('40%', '-14%')
    """
    from babel.numbers import format_currency, format_decimal

    if missing(value):
        return DASH
    value = float(value)
    locale = i18n.babel_locale(lang)
    sign = "+" if signed and value > 0 else ""

    def decimal(v: float, places: int) -> str:
        return format_decimal(
            _half_up(v, places), "#,##0" + ("." + "0" * places if places else ""), locale=locale
        )

    if unit == "percent":
        if signed:
            return f"{sign}{decimal(value * 100, 2)} {t('unit.pp', lang)}"
        return decimal(value * 100, 2) + "%"
    if unit in ("hours", "seconds"):
        return f"{sign}{decimal(value, 1)} {t(f'unit.{unit}', lang)}"
    if unit == "currency" and currency:
        text = format_currency(
            _half_up(abs(value), 0),
            currency.upper(),
            format="¤#,##0",
            locale="en",
            currency_digits=False,
        )
        return ("-" if value < 0 else sign) + text  # NT$ / US$ as Taiwan writes them, any page
    if unit == "share":
        return decimal(value * 100, 1) + "%"
    if unit == "relative":  # a relative difference in whole percent: 40%, +40%, -14%
        return ("-" if value < 0 else sign) + decimal(abs(value) * 100, 0) + "%"
    if float(value).is_integer() or abs(value) >= 100:
        return sign + decimal(value, 0)
    return sign + format_decimal(_half_up(value, 2), "#,##0.##", locale=locale)


def span(
    low: object,
    high: object,
    unit: str = "count",
    lang: str = "en",
    currency: str | None = None,
    signed: bool = False,
) -> str:
    """An interval with its unit written once: ``+0.25 至 +3.64 個百分點`` / ``+0.25 to +3.64
    pp`` (a table cell stays narrow enough to print).

    >>> span(0.0025, 0.0364, "percent", "zh-TW", signed=True)
    '+0.25 至 +3.64 個百分點'
    >>> span(450, 812)
    '450 to 812'
    """
    a, b = (number(v, unit, lang, currency, signed) for v in (low, high))
    unit_a, unit_b = a.rpartition(" ")[2], b.rpartition(" ")[2]
    if " " in a and unit_a == unit_b and not any(ch.isdigit() for ch in unit_a):
        a = a.rpartition(" ")[0]
    return t("word.interval", lang, low=a, high=b)


def _half_up(value: float, places: int):
    """Round as people do (4.25 -> 4.3), not to even as Babel would (4.2)."""
    from decimal import ROUND_HALF_UP, Decimal

    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def date(value: object, lang: str = "en", kind: str = "day") -> str:
    """A date in the page's locale: ``2026年10月5日`` / ``Oct 5, 2026``; ``kind="month"`` gives
    ``2026年10月`` / ``Oct 2026``, ``kind="short"`` ``10月5日`` / ``Oct 5``."""
    from babel.dates import format_date, format_skeleton

    if missing(value):
        return DASH
    day = pd.Timestamp(str(value) + ("-01" if len(str(value)) == 7 else "")).date()
    locale = i18n.babel_locale(lang)
    if kind == "month":
        return format_skeleton("yMMM", day, locale=locale)
    if kind == "short":
        return format_skeleton("MMMd", day, locale=locale)
    return format_date(day, "medium", locale=locale)


def datetime_local(value: object, timezone: str, lang: str = "en") -> str:
    """A moment in the brand's zone: ``2026年9月14日 11:00`` / ``Sep 14, 2026, 11:00``."""
    if missing(value):
        return DASH
    local = pd.Timestamp(value).tz_convert(timezone)
    return f"{date(local.date(), lang)} {local:%H:%M}"


def stamp(value: object, timezone: str, lang: str = "en") -> str:
    """When something was made, in the brand's zone and named: ``2026-12-03 21:09 台北標準時間``
    / ``2026-12-03 21:09 Taiwan Standard Time``."""
    from babel.dates import format_datetime, get_timezone

    moment = pd.Timestamp(value).tz_convert("UTC").to_pydatetime()
    return format_datetime(
        moment,
        "yyyy-MM-dd HH:mm zzzz",
        tzinfo=get_timezone(timezone),
        locale=i18n.babel_locale(lang),
    )


def freshness(days: dict[str, str], lang: str = "en") -> str:
    """The newest day of data per platform: ``Facebook 2026年10月31日、X 2026年10月30日``."""
    return t("word.and", lang).join(
        f"{text(p, 'platform', lang)} {date(d, lang)}" for p, d in sorted(days.items())
    )


def text(value: object, kind: str = "text", lang: str = "en") -> str:
    """A data value as a word: ids through the catalogue (``tiktok`` -> ``TikTok``,
    ``Monday`` -> ``星期一``), countries and languages through Babel, the rest as written."""
    if missing(value):
        return DASH
    if kind in WORD_KINDS:
        return i18n.word(kind, value, lang)
    if kind == "country":
        return i18n.territory(value, lang)
    if kind == "city":
        return i18n.city(value, lang)
    if kind == "language":
        return i18n.language(value, lang)
    if kind == "hour":
        return t("unit.hour_of_day", lang, hour=int(value))
    if kind == "topic":
        from socialkpi.metrics.content import NO_TOPIC

        return t("word.no_topic", lang) if value == NO_TOPIC else str(value)
    if kind == "bool":
        return t("word.yes" if bool(value) else "word.no", lang)
    return str(value)
