"""Delivering a month's report by email: per brand, one message to the brand's recipients in
their language, the executive summary as its body (text and HTML), the combined PDF attached
and a link to the bundle where one is configured.

- **Settings** (``data/delivery.yaml``, checked): the SMTP server (host, port, ``starttls``,
  ``ssl`` or ``none``, the user whose password is in the credentials store under platform
  ``smtp``), the sender, and per brand its recipients, language and bundle link.
- **The delivery log** (``<out>/<month>/deliveries.jsonl``, one line per event, appended):
  who, what, when and the message id; a brand whose message was sent is never sent again for
  that month, so a re-run sends only what is missing.
- **Hold**: a held message is written to ``<out>/<month>/outbox/<brand>.eml`` and logged
  ``held``; ``approve`` sends exactly that file. **Dry run**: the messages are written as
  ``.eml`` files and nothing is sent or logged.
- **Nothing half-done**: a brand without data for the month, or without its PDF, is skipped
  with a note; an SMTP failure is logged as ``failed`` with the reason, and the other brands
  still go.
"""

from __future__ import annotations

import html
import json
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from socialkpi.files import write_atomically
from socialkpi.outputs.pdf import pdf_name

# an address as a mail server takes it (name@host.tld); the server is the final judge
EmailStr = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s<>,]+@[^@\s<>,]+\.[^@\s<>,]+$")
]
LOG = "deliveries.jsonl"
OUTBOX = "outbox"


class Smtp(BaseModel):
    """The SMTP server the reports leave by."""

    model_config = ConfigDict(extra="forbid")
    host: str
    port: int = Field(587, ge=1, le=65535)
    security: str = Field("starttls", pattern="^(starttls|ssl|none)$")
    user: str = ""  # its password: the credentials store's ``smtp`` entry for this user
    timeout_s: float = Field(60, gt=0)


class Recipients(BaseModel):
    """Who reads a brand's report, in which language, and where its bundle is served."""

    model_config = ConfigDict(extra="forbid")
    to: list[EmailStr] = Field(min_length=1)
    cc: list[EmailStr] = []
    lang: str = Field("zh-TW", pattern="^(zh-TW|en)$")
    link: str = ""  # the bundle's address; {month} and {brand} are filled in


class DeliveryFile(BaseModel):
    """``data/delivery.yaml``."""

    model_config = ConfigDict(extra="forbid")
    smtp: Smtp
    sender: EmailStr
    sender_name: str = ""
    owner: EmailStr | None = None  # told when the autopilot could not deliver everything
    # the agency's language: the month's index of every brand
    lang: str = Field("zh-TW", pattern="^(zh-TW|en)$")
    brands: dict[str, Recipients]


class DeliveryError(ValueError):
    """A delivery file that cannot be used, said by field."""


def load(path: Path) -> DeliveryFile:
    """The delivery settings, checked as every settings file is (``config.checked``: every
    problem by its field path)."""
    from socialkpi.config.checked import read_checked

    return read_checked(path, DeliveryFile, DeliveryError, "delivery file")


@dataclass(frozen=True)
class Letter:
    """One brand's message, as the catalogue words it; ``sender``: whom it comes from (the
    brand's ``sender_name``, else the delivery file's); ``logo``: the brand's logo as image
    bytes of type ``image/<logo_type>``, shown at the top of the HTML body (an inline part:
    mail readers block ``data:`` images and most do not draw SVG)."""

    subject: str
    text: str
    html: str
    sender: str = ""
    logo: bytes = b""
    logo_type: str = "png"


LOGO_CID = "logo@socialkpi"


def message(
    settings: DeliveryFile, brand: str, month: str, letter: Letter, pdf: Path | None
) -> EmailMessage:
    """The email of one brand's month: text and HTML bodies, the PDF attached."""
    who = settings.brands[brand]
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = letter.subject
    msg["From"] = formataddr((letter.sender or settings.sender_name, str(settings.sender)))
    msg["To"] = ", ".join(str(a) for a in who.to)
    if who.cc:
        msg["Cc"] = ", ".join(str(a) for a in who.cc)
    msg["Message-ID"] = make_msgid(f"{brand}.{month}", str(settings.sender).split("@")[-1])
    msg["X-Socialkpi-Report"] = f"{brand} {month}"
    msg.set_content(letter.text)
    msg.add_alternative(letter.html, subtype="html")
    if letter.logo:
        html_part = msg.get_payload()[1]
        kind = letter.logo_type
        html_part.add_related(
            letter.logo, "image", kind, cid=f"<{LOGO_CID}>", filename=f"logo.{kind}"
        )
    if pdf is not None:
        msg.add_attachment(
            pdf.read_bytes(), maintype="application", subtype="pdf", filename=pdf.name
        )
    msg["Content-Language"] = who.lang  # after the body: set_content moves Content-* headers
    return msg


def link_for(settings: DeliveryFile, brand: str, month: str) -> str:
    """The brand's bundle address for the month, where configured."""
    return settings.brands[brand].link.format(month=month, brand=brand)


def html_body(
    heading: str,
    intro: list[str],
    blocks: list[tuple[str, list]],
    closing: list[str],
    look=None,
    logo: bool = False,
) -> str:
    """A plain HTML body: the heading, the opening lines, each block as a titled list (an item
    is a line, or a (line, detail) pair), the closing lines (already escaped markup). ``look``
    (``presentation.look.Look``) colours the heading and titles and sets the font, as inline
    styles (mail readers drop style sheets); ``logo``: the inline logo part goes on top."""
    from socialkpi.presentation.look import Look

    look = look or Look()
    e = html.escape
    title_style = f"color:{look.primary};border-bottom:2px solid {look.accent};padding-bottom:4px"
    parts = [f'<p><img src="cid:{LOGO_CID}" alt="" height="48"></p>'] if logo else []
    parts += [
        f'<h2 style="{title_style}">{e(heading)}</h2>',
        *(f"<p>{e(line)}</p>" for line in intro),
    ]
    for title, items in blocks:
        rows = [
            f"<li><strong>{e(i[0])}</strong><br>{e(i[1])}</li>"
            if isinstance(i, tuple)
            else f"<li>{e(i)}</li>"
            for i in items
        ]
        parts += [f'<h3 style="color:{look.primary}">{e(title)}</h3>', f"<ul>{''.join(rows)}</ul>"]
    parts += closing
    fonts = e(look.fonts, quote=True)
    return (
        f'<!doctype html><html><body style="font-family:{fonts};line-height:1.6;'
        'max-width:680px;color:#1a202c">' + "".join(parts) + "</body></html>"
    )


def pdf_for(out: Path, month: str, brand: str) -> Path:
    """Where the report command writes the brand's combined PDF."""
    return Path(out) / month / brand / pdf_name(brand, month)


# --- the delivery log -------------------------------------------------------------------


def log_path(out: Path, month: str) -> Path:
    return Path(out) / month / LOG


def events(out: Path, month: str) -> list[dict]:
    """Every logged event of the month, oldest first."""
    path = log_path(out, month)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def last_status(out: Path, month: str) -> dict[str, dict]:
    """Per brand, its latest logged event of the month."""
    found: dict[str, dict] = {}
    for event in events(out, month):
        found[event["brand"]] = event
    return found


def record(out: Path, month: str, **event) -> dict:
    """Append one event to the month's log (its time added)."""
    event = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "month": month, **event}
    path = log_path(out, month)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(event, ensure_ascii=False) + "\n")
    return event


def outbox(out: Path, month: str, brand: str) -> Path:
    return Path(out) / month / OUTBOX / f"{brand}.eml"


def write_eml(path: Path, msg: EmailMessage) -> Path:
    """A message as an ``.eml`` file, written atomically."""
    write_atomically(path, msg.as_bytes())
    return path


# --- sending -------------------------------------------------------------------------------


def send(settings: DeliveryFile, msg: EmailMessage, password: str | None) -> None:
    """Send one message through the configured server (raises ``smtplib.SMTPException`` or
    ``OSError`` when it cannot)."""
    s = settings.smtp
    context = ssl.create_default_context()
    if s.security == "ssl":
        client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_s, context=context)
    else:
        client = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
    with client:
        if s.security == "starttls":
            client.starttls(context=context)
        if s.user:
            client.login(s.user, password or "")
        client.send_message(msg)


# --- a month's delivery ----------------------------------------------------------------------


def letter(con, brand: str, month: str, lang: str, link: str, goals_dir=None) -> Letter:
    """The brand's month in words: the executive summary's headline (with the goals of
    ``goals_dir``, default data/goals), what moved, the risks and the actions with their
    evidence, and the bundle's link."""
    from socialkpi import store
    from socialkpi.config import brands as brand_files
    from socialkpi.presentation import date
    from socialkpi.presentation.look import look_for
    from socialkpi.presentation.notebook import GOALS_DIR
    from socialkpi.reads.goals import load_goals_or_none
    from socialkpi.reads.summary import executive_summary
    from socialkpi.words.i18n import t
    from socialkpi.words.narrative import say

    goals = load_goals_or_none(brand_files.file_for(goals_dir or GOALS_DIR, brand))
    said = say(
        executive_summary(con, brand, month, goals_file=goals),
        lang,
        store.brand_settings(con, brand)["currency"],
        store.brand_timezone(con, brand),
    )
    name = store.brand_name(con, brand, lang)
    look = look_for(con, brand)
    subject = t("delivery.subject", lang, brand=name, month=date(month, lang, "month"))
    blocks = [
        (t("delivery.movers", lang), said.movers),
        (t("delivery.risks", lang), said.risks),
        (
            t("delivery.actions", lang),
            [(a.text, a.evidence) for a in said.actions] or [said.no_actions],
        ),
    ]
    text_lines = [said.headline, said.scope]
    for title, items in blocks:
        text_lines += ["", title]
        for item in items:
            text_lines += (
                [f"- {item[0]}", f"  {item[1]}"] if isinstance(item, tuple) else [f"- {item}"]
            )
    words, attached = t("delivery.link", lang), t("delivery.attached", lang)
    closing = [f"<p>{html.escape(attached)}</p>"]
    if link:
        text_lines += ["", f"{words}: {link}"]
        closing.append(
            f'<p><a style="color:{look.accent}" href="{html.escape(link, quote=True)}">'
            f"{html.escape(words)}</a></p>"
        )
    text_lines += ["", attached]
    sender = look.sender_name(lang)
    if sender:
        line = t("report.prepared_by", lang, sender=sender)
        text_lines.append(line)
        closing.append(f'<p style="color:#4a5568">{html.escape(line)}</p>')
    logo, logo_type = logo_image(look.logo)
    return Letter(
        subject=subject,
        text="\n".join(text_lines) + "\n",
        html=html_body(subject, [said.headline, said.scope], blocks, closing, look, bool(logo)),
        sender=sender,
        logo=logo,
        logo_type=logo_type,
    )


def logo_image(uri: str) -> tuple[bytes, str]:
    """A logo's ``data:`` URI (its type as ``config.branding`` recognised it) as image bytes
    for a mail and their subtype: a PNG or JPEG as it is, an SVG drawn as PNG at twice its
    size by vl-convert (offline); ``(b"", "png")`` for none."""
    import base64

    if not uri:
        return b"", "png"
    kind, _, data = uri.partition(";base64,")
    raw = base64.b64decode(data)
    if kind == "data:image/svg+xml":
        import vl_convert

        return vl_convert.svg_to_png(raw.decode("utf-8"), scale=2), "png"
    return raw, kind.removeprefix("data:image/")


@dataclass
class Outcome:
    """What happened to one brand's message."""

    brand: str
    status: str  # sent | held | written | skipped | failed | already-sent
    detail: str = ""
    message_id: str = ""


def deliver(
    con,
    settings: DeliveryFile,
    out: Path,
    month: str,
    brands: list[str] | None = None,
    *,
    hold: bool = False,
    dry_run: Path | None = None,
    password: str | None = None,
    sender=send,
    goals_dir: Path | None = None,
) -> list[Outcome]:
    """Deliver the month to each brand of the settings (or ``brands``): see the module
    docstring. ``sender`` sends one message (tests pass their own)."""
    from socialkpi import store
    from socialkpi.metrics.periods import parse_period

    p = parse_period(month)
    done = last_status(out, month)
    results = []
    for brand in list(settings.brands) if brands is None else brands:
        if brand not in settings.brands:
            results.append(Outcome(brand, "skipped", "no recipients in the delivery file"))
            continue
        if dry_run is None and done.get(brand, {}).get("status") == "sent":
            results.append(Outcome(brand, "already-sent", done[brand].get("message_id", "")))
            continue
        if not store.platforms_with_data(con, brand, p.start, p.end):
            results.append(_skip(out, month, brand, "no data for the month", dry_run))
            continue
        pdf = pdf_for(out, month, brand)
        if not pdf.exists():
            results.append(
                _skip(out, month, brand, f"no PDF at {pdf}: run socialkpi report --pdf", dry_run)
            )
            continue
        who = settings.brands[brand]
        msg = message(
            settings,
            brand,
            month,
            letter(con, brand, month, who.lang, link_for(settings, brand, month), goals_dir),
            pdf,
        )
        results.append(_dispatch(settings, out, month, brand, msg, hold, dry_run, password, sender))
    return results


def _skip(out: Path, month: str, brand: str, why: str, dry_run) -> Outcome:
    if dry_run is None:
        record(out, month, brand=brand, status="skipped", detail=why)
    return Outcome(brand, "skipped", why)


def _recipients(msg: EmailMessage) -> list[str]:
    return [
        a.strip() for field in ("To", "Cc") for a in (msg.get(field) or "").split(",") if a.strip()
    ]


def _dispatch(settings, out, month, brand, msg, hold, dry_run, password, sender) -> Outcome:
    mid = msg["Message-ID"]
    if dry_run is not None:
        path = write_eml(Path(dry_run) / f"{brand}-{month}.eml", msg)
        return Outcome(brand, "written", str(path), mid)
    if hold:
        path = write_eml(outbox(out, month, brand), msg)
        record(out, month, brand=brand, status="held", to=_recipients(msg), message_id=mid,
               file=str(path))  # fmt: skip
        return Outcome(brand, "held", str(path), mid)
    return _send_logged(settings, out, month, brand, msg, password, sender)


def _send_logged(settings, out, month, brand, msg, password, sender, held=None) -> Outcome:
    mid = msg["Message-ID"]
    try:
        sender(settings, msg, password)
    except (smtplib.SMTPException, OSError) as err:
        why = f"not sent: {type(err).__name__}: {err}"
        kept = {"file": held} if held else {}  # a held message stays for the next approve
        record(out, month, brand=brand, status="failed", to=_recipients(msg), message_id=mid,
               detail=why, **kept)  # fmt: skip
        return Outcome(brand, "failed", why, mid)
    record(out, month, brand=brand, status="sent", to=_recipients(msg), message_id=mid,
           subject=str(msg["Subject"]))  # fmt: skip
    return Outcome(brand, "sent", ", ".join(_recipients(msg)), mid)


def approve(
    settings: DeliveryFile,
    out: Path,
    month: str,
    brands: list[str] | None = None,
    password: str | None = None,
    sender=send,
) -> list[Outcome]:
    """Send the held messages of the month (each exactly as it was written and reviewed; one
    whose sending failed stays held for the next approve)."""
    from email import message_from_bytes

    results = []
    for brand, event in last_status(out, month).items():
        waiting = event.get("status") == "held" or (
            event.get("status") == "failed" and event.get("file")
        )
        if not waiting or (brands and brand not in brands):
            continue
        path = Path(event["file"])
        msg = message_from_bytes(path.read_bytes(), _class=EmailMessage, policy=SMTP)
        outcome = _send_logged(settings, out, month, brand, msg, password, sender, str(path))
        if outcome.status == "sent":
            path.unlink(missing_ok=True)
        results.append(outcome)
    return results
