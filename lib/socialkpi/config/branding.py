"""A brand's own look (``brands.yaml``'s ``branding``), checked: the logo file, its colours,
its font and the name its reports come from. A brand without one keeps socialkpi's look.

::

    lumi_tea:
      branding:
        logo: logos/lumi_tea.svg      # PNG, JPEG or SVG beside brands.yaml, at most 256 KB
        colour: "#0f766e"             # rules, borders, bars and chips
        heading_colour: "#134e4a"     # optional: headings (else the colour, darkened to read)
        font: Noto Serif CJK TC       # optional: a font the reader's machine has, tried first
        sender_name: {zh-TW: 露米茶飲行銷部, en: Lumi Tea Marketing}

The logo is read once, at import, and kept in the store as a ``data:`` URI, so pages, the PDF,
the email and the dashboards never read a path from the settings again.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

KEYS = ("logo", "colour", "heading_colour", "font", "sender_name")
LOGO_MAX_BYTES = 256 * 1024  # a header logo; a larger file is a photo, not a logo
# a font family name as CSS takes it unquoted inside quotes: letters, digits, spaces, - and _
_FONT = re.compile(r"^[\w][\w \-]{0,63}$")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_TEXT_CONTRAST = 4.5  # WCAG AA for text on a white page


def check(given: object, where: str, root: Path | None) -> tuple[dict | None, list[str]]:
    """``branding`` checked: ``(branding with the logo as a data: URI, problems)``. ``root``:
    the folder of ``brands.yaml``, where the logo path is read from (None: the logo is only
    checked for shape, e.g. a brands entry given without its file).

    >>> check({"colour": "#0F766E"}, "brand acme", None)
    ({'colour': '#0f766e'}, [])
    >>> check({"heading_colour": "#ffd400"}, "brand acme", None)[1][0]
    'brand acme: branding: heading_colour #ffd400 is too light to read on white (contrast 1.4:1, at least 4.5:1 is needed): choose a darker colour'
    """
    from socialkpi.config.brands import is_name

    if given is None:
        return None, []
    where = f"{where}: branding"
    if not isinstance(given, dict):
        return None, [f"{where}: expected a mapping (logo, colour, font, sender_name)"]
    problems = []  # unknown keys: the caller's (``settings.brand_settings``)
    out = {}
    for key in ("colour", "heading_colour"):
        value = given.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not _HEX.match(value):
            problems.append(f'{where}: {key} {value!r} is not a colour (write e.g. "#0f766e")')
            continue
        value = value.lower()
        ratio = contrast(value, "#ffffff")
        if key == "heading_colour" and ratio < MIN_TEXT_CONTRAST:
            problems.append(
                f"{where}: {key} {value} is too light to read on white (contrast {ratio:.1f}:1, "
                f"at least {MIN_TEXT_CONTRAST}:1 is needed): choose a darker colour"
            )
            continue
        out[key] = value
    font = given.get("font")
    if font is not None:
        if isinstance(font, str) and _FONT.match(font.strip()):
            out["font"] = font.strip()
        else:
            problems.append(
                f"{where}: font {font!r} is not a font family name (letters, digits, spaces)"
            )
    sender = given.get("sender_name")
    if sender is not None:
        if is_name(sender):
            out["sender_name"] = sender
        else:
            problems.append(
                f"{where}: sender_name {sender!r} is not a name, or one per language "
                "({zh-TW: ..., en: ...})"
            )
    logo = given.get("logo")
    if logo is not None:
        found, said = _logo(logo, where, root)
        problems += said
        if found:
            out["logo"] = found
    return out, problems


# the first bytes of each image kind a logo may be (PNG and JPEG signatures; SVG is XML text)
_KINDS = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def _logo(value: object, where: str, root: Path | None) -> tuple[str, list[str]]:
    from socialkpi.files import UnsafePath, inside

    if not isinstance(value, str) or not value.strip():
        return "", [f"{where}: logo {value!r} is not a file name (write e.g. logos/brand.svg)"]
    if root is None:
        return "", []
    try:
        path = inside(root, value.strip())
    except UnsafePath:
        return "", [f"{where}: logo {value!r} is outside the folder of brands.yaml (put it there)"]
    if not path.is_file():
        return "", [f"{where}: logo {value!r}: no such file beside brands.yaml"]
    size = path.stat().st_size
    if size > LOGO_MAX_BYTES:
        return "", [
            f"{where}: logo {value!r} is {size // 1024} KB; a logo may be at most "
            f"{LOGO_MAX_BYTES // 1024} KB (export it smaller, or as SVG)"
        ]
    data = path.read_bytes()
    kind = next((k for magic, k in _KINDS.items() if data.startswith(magic)), None)
    if kind is None and _is_svg(data):
        kind = "image/svg+xml"
    if kind is None:
        return "", [f"{where}: logo {value!r} is not a PNG, JPEG or SVG image"]
    return f"data:{kind};base64,{base64.b64encode(data).decode()}", []


def _is_svg(data: bytes) -> bool:
    head = data[:1024].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    return head.startswith("<svg") or (
        head.startswith("<?xml") and "<svg" in data[:4096].decode("utf-8", "replace")
    )


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21).

    >>> round(contrast("#000000", "#ffffff"), 1), round(contrast("#2b6cb0", "#ffffff"), 2)
    (21.0, 5.42)
    """
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def readable(colour: str, on: str = "#ffffff", ratio: float = 7.0) -> str:
    """``colour`` darkened in steps until text in it reads on ``on`` with at least ``ratio``
    (WCAG AAA for 7): a light brand colour still gives legible headings.

    >>> readable("#1a365d")  # already dark: unchanged
    '#1a365d'
    >>> contrast(readable("#ffd400"), "#ffffff") >= 7
    True
    """
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for _ in range(20):
        found = f"#{r:02x}{g:02x}{b:02x}"
        if contrast(found, on) >= ratio:
            return found
        r, g, b = (int(c * 0.85) for c in (r, g, b))
    return "#000000"
