"""What a reader sees on a page, and what must never be there: machine noise, snake_case
identifiers, a pandas index column, or UI text in the other language. Data (captions, topics,
audience segments, owners, names) stays as written, so it is set aside before the language
check."""

import base64
import html
import re
from html.parser import HTMLParser

NOISE = re.compile(r"ERROR!|Traceback|<NA>|\bNaN\b|\bnan\b|\bNone\b|\bTrue\b|\bFalse\b|Warning:")
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# words a zh-TW page may carry in Latin letters: names of platforms and standard acronyms
ALLOW = {
    "KPI",
    "CTR",
    "CPM",
    "CPC",
    "CPA",
    "ROAS",
    "ROI",
    "KOL",
    "Ads",
    "SMART",
    "GA4",
    "P90",
    "Facebook",
    "Instagram",
    "TikTok",
    "YouTube",
    "LinkedIn",
    "LINE",
    "Threads",
    "Meta",
    "CSV",
    "ics",  # the calendar file's extension, and the two calendars that import it
    "Google",
    "Outlook",
    "README",
    "API",  # LINE's send types through its Messaging API (群發訊息（API）)
    "UTC",  # LINE's days are cut at UTC+9
}
# file names and paths a hint tells the reader to look for are written as they are
LITERAL = re.compile(r"[\w<>-]*/[\w<>./-]*|[\w-]+\.(?:csv|xlsx|xls|zip|yaml)\b")


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__()
        self.skip, self.texts = 0, []

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")
        src = dict(attrs).get("src") or ""
        logo = {"logo", "skpi-logo"} & set((dict(attrs).get("class") or "").split())
        # a chart's words are the page's; a brand's logo is its artwork, in its own words
        if tag == "img" and src.startswith("data:image/svg+xml;base64,") and not logo:
            svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8", "replace")
            for text in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S):
                text = html.unescape(re.sub(r"<[^>]+>", " ", text)).strip()
                if text:
                    self.texts.append(text)

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script") and self.skip > 0

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())


def visible(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return parser.texts


def problems(html: str, lang: str, data: set[str]) -> list[str]:
    """Every piece of visible text that breaks a rule, with the reason."""
    found = []
    if re.search(r"<tr>\s*<th[^>]*>\s*0\s*</th>", html):
        found.append("index column: a row led by <th>0</th>")
    for text in visible(html):
        if NOISE.search(text):
            found.append(f"noise: {text[:80]}")
        for name in SNAKE.findall(text):
            found.append(f"identifier: {name} in {text[:60]}")
        words = text
        for value in sorted(data, key=len, reverse=True):
            if value and value in words:
                words = words.replace(value, " ")
        if lang == "en" and CJK.search(words):
            found.append(f"Chinese on an English page: {text[:80]}")
        if lang == "zh-TW":
            foreign = [w for w in LATIN_WORD.findall(LITERAL.sub(" ", words)) if w not in ALLOW]
            if foreign:
                found.append(f"English on a zh-TW page: {foreign[:4]} in {text[:80]}")
    return found
