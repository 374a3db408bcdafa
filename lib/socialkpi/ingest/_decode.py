"""Turn raw export bytes into text, naming the encoding that was used.

Order: a BOM decides; then UTF-16 without BOM (many NUL bytes); then strict UTF-8. Files
re-saved by Excel on Windows arrive in the system code page: CP950 (Taiwan, Hong Kong),
GB18030 (mainland) or Windows-1252 (Western). Those three all decode most byte strings
without error, so each candidate is scored by how natural its text looks and the best wins.
"""

from __future__ import annotations

import codecs
import re

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_LEGACY = ("cp950", "gb18030", "cp1252")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_LATIN = re.compile(r"[\u00c0-\u024f\u2018-\u201e\u2013\u2014\u2026\u00a0-\u00bf]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
# a lone CJK character inside a Latin word is what Windows-1252 text looks like read as CP950
_CJK_IN_WORD = re.compile(r"[A-Za-z][\u4e00-\u9fff][A-Za-z]")


class DecodeError(ValueError):
    """The bytes are in none of the encodings exports come in."""


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the bytes of an export file.

    Examples
    --------
    >>> decode("貼文 ID".encode("cp950"))
    ('貼文 ID', 'cp950')
    >>> decode("Café,1".encode("cp1252"))
    ('Café,1', 'cp1252')
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data, name), "utf-16" if name == "utf-16" else "utf-8-sig"
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) > len(sample) // 4:
        name = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        return _strict(data, name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if _mostly_utf8(data):
            raise _damaged(data, err, "utf-8") from err
    scored = []
    for rank, name in enumerate(_LEGACY):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        scored.append((_naturalness(text, name), -rank, name, text))
    if not scored:
        raise DecodeError(
            "is not text in UTF-8, UTF-16, CP950/Big5, GB18030 or Windows-1252; "
            "open it in a spreadsheet and save it as 'CSV UTF-8'"
        )
    _, _, name, text = max(scored)
    return text, name


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise _damaged(data, err, codec) from err


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 text with a few damaged bytes, rather than a legacy code page: most non-ASCII
    bytes form valid UTF-8 sequences."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return good >= 10 and bad <= max(3, good // 100)


def _damaged(data: bytes, err: UnicodeDecodeError, codec: str) -> DecodeError:
    """Where a file of a known encoding stops being valid: at its end (cut short) or inside."""
    name = "UTF-16" if codec.startswith("utf-16") else "UTF-8"
    line = data[: err.start].decode(codec, errors="replace").count("\n") + 1
    if err.end >= len(data) and err.reason in ("truncated data", "unexpected end of data"):
        return DecodeError(
            f"ends in the middle of a character on line {line}: it was cut short; "
            "download the export again"
        )
    return DecodeError(
        f"is {name} text with bytes that are not {name} on line {line} (the file is damaged); "
        "download the export again"
    )


def _naturalness(text: str, encoding: str) -> float:
    """Share of non-ASCII characters that look like real text in that encoding (0-1)."""
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if non_ascii == 0:
        return 1.0
    if encoding == "cp1252":
        good = len(_LATIN.findall(text)) - sum(len(m) for m in _NON_ASCII_RUN.findall(text))
    else:
        good = len(_CJK.findall(text)) * _common_han_share(text, encoding)
        good -= 3 * len(_CJK_IN_WORD.findall(text))
    return max(good, 0) / non_ascii


def _common_han_share(text: str, encoding: str) -> float:
    """Share of Han characters in the encoding's everyday tier.

    Big5 level 1 (0xA440-0xC67E) and GB2312 level 1 (lead byte 0xB0-0xD7) hold the
    characters ordinary text is made of; bytes of one encoding read as the other land
    mostly outside that tier.
    """
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return 1.0
    common = 0
    for ch in han:
        try:
            if encoding == "cp950":
                code = int.from_bytes(ch.encode("cp950"), "big")
                common += 0xA440 <= code <= 0xC67E
            else:
                common += 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
        except UnicodeEncodeError:
            pass
    return common / len(han)
