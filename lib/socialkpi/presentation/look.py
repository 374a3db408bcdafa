"""How a brand's pages look: socialkpi's own look, or the brand's (``brands.yaml``'s
``branding``, see ``config.branding``). One place decides the colours, the font stack, the logo
and the sender's name; the report pages, the index, the PDF, the email and the dashboards all
take them from a :class:`Look`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from socialkpi import store
from socialkpi.config.branding import readable

FONTS = (
    '"Noto Sans CJK TC"',
    '"Noto Sans TC"',
    '"PingFang TC"',
    '"Microsoft JhengHei"',
    "sans-serif",
)


@dataclass(frozen=True)
class Look:
    """Colours (``accent``: rules, borders and bars; ``primary``: headings), the font tried
    first, the logo (a ``data:`` URI) and the name the reports come from (text, or per
    language). The defaults are socialkpi's look."""

    accent: str = "#2b6cb0"
    primary: str = "#1a365d"
    font: str = ""
    logo: str = ""
    sender: str | dict | None = None

    @property
    def branded(self) -> bool:
        return self != Look()

    @property
    def fonts(self) -> str:
        """The CSS font stack: the brand's font first, then the CJK fonts pages need."""
        return ", ".join(([f'"{self.font}"'] if self.font else []) + list(FONTS))

    def css_vars(self, selector: str = ":root") -> str:
        """The look as CSS custom properties (``--skpi-accent``, ``--skpi-primary``,
        ``--skpi-font``), which every stylesheet of socialkpi reads."""
        return (
            f"{selector}{{--skpi-accent:{self.accent};--skpi-primary:{self.primary};"
            f"--skpi-font:{self.fonts}}}"
        )

    def sender_name(self, lang: str) -> str:
        """Whom the reports come from, in ``lang`` ("" for socialkpi's look)."""
        from socialkpi.config.brands import display_name

        return display_name(self.sender, lang, "") if self.sender else ""

    def logo_html(self, css_class: str = "skpi-logo") -> str:
        """The logo as an ``<img>`` (an empty alt: the brand's name is beside it), or ""."""
        if not self.logo:
            return ""
        return f'<img class="{css_class}" alt="" src="{html.escape(self.logo, quote=True)}">'


def look_of(settings: dict) -> Look:
    """The :class:`Look` of a brand's stored ``branding`` (empty: socialkpi's).

    >>> look_of({}) == Look()
    True
    >>> look_of({"colour": "#ffd400"}).primary  # a light colour: headings darkened to read
    '#5e4f00'
    """
    if not settings:
        return Look()
    accent = settings.get("colour") or Look.accent
    primary = settings.get("heading_colour") or (
        readable(accent) if settings.get("colour") else Look.primary
    )
    return Look(
        accent,
        primary,
        settings.get("font", ""),
        settings.get("logo", ""),
        settings.get("sender_name"),
    )


def look_for(con, brand: str) -> Look:
    """The brand's look, from the store."""
    return look_of(store.branding(con, brand))
