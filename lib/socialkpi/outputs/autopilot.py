"""The monthly autopilot (``socialkpi autopilot --month previous``, what ``schedule`` installs):
pull where connections exist, import the drop folder, build each brand's bundle and PDF in the
language its readers get, and deliver (``outputs.delivery``).

Nothing is half-delivered: a brand is delivered only when every page of its bundle and its PDF
were made; a brand already sent for the month is not rebuilt (its readers' link keeps the
pages they were sent) nor sent again; a pull, an import or a page that fails is written to the month's
``autopilot.log`` and, where the delivery file names an ``owner``, mailed to the owner with
what was and was not delivered. The other brands still go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from socialkpi.outputs import delivery


def previous_month(now: datetime, zone: str) -> str:
    """The month before ``now``'s, in ``zone``.

    >>> previous_month(datetime(2026, 11, 30, 17, tzinfo=UTC), "Asia/Taipei")  # Dec 1 there
    '2026-11'
    """
    local = now.astimezone(ZoneInfo(zone))
    return (local.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


@dataclass
class Run:
    """What one autopilot run did."""

    month: str
    problems: list[str] = field(default_factory=list)
    delivered: list = field(default_factory=list)  # delivery.Outcome

    @property
    def ok(self) -> bool:
        return not self.problems and all(o.status != "failed" for o in self.delivered)


def _pull(db: Path, now: datetime, run: Run, landing: Path) -> None:
    from socialkpi import store
    from socialkpi.connectors import credentials
    from socialkpi.connectors.pull import PULLERS, pull_one, window

    chosen = [c for c in credentials.load(credentials.path()) if c.platform in PULLERS]
    if not chosen:
        return
    con = store.open_store(db)
    try:
        for c in chosen:
            since, until = window(None, None, now, 7 if c.platform == "line" else 28)
            result = pull_one(con, c, landing, since, until, now)
            if result.status != "pulled":
                run.problems.append(f"pull {c.brand} {c.platform}: {result.error or 'failed'}")
    finally:
        con.close()
        store.publish(db, wait=60)


def _import_drop(db: Path, drop: Path, run: Run) -> None:
    from socialkpi import store
    from socialkpi.ingest import import_paths

    if not drop.exists():
        return
    con = store.open_store(db)
    try:
        for r in import_paths(con, [drop]):
            if r.status == "failed":
                run.problems.append(f"import {r.path}: {r.error}")
    finally:
        con.close()
        store.publish(db, wait=60)


def run(
    db: Path,
    out: Path,
    settings: delivery.DeliveryFile,
    month: str,
    *,
    drop: Path | None = None,
    landing: Path | None = None,
    hold: bool = False,
    password: str | None = None,
    sender=delivery.send,
    now: datetime | None = None,
    timeout: int = 600,
    notebooks: list[str] | None = None,
) -> Run:
    """One autopilot run for ``month`` (see the module docstring); ``notebooks`` (step
    numbers, default all) are the pages each bundle and PDF hold."""
    from socialkpi import store
    from socialkpi.config import REPO
    from socialkpi.outputs import bundle

    now = now or datetime.now(UTC)
    result = Run(month)
    _pull(db, now, result, landing or REPO / "data" / "landing")
    if drop is not None:
        _import_drop(db, drop, result)
    # a brand already sent this month is neither rebuilt nor sent again: its readers have its
    # PDF and link, and the pages behind that link stay the ones they were sent
    sent = sorted(
        b for b, e in delivery.last_status(out, month).items() if e.get("status") == "sent"
    )
    ready = []
    for lang in ("zh-TW", "en"):  # each brand's pages in its readers' language
        brands = [b for b, who in settings.brands.items() if who.lang == lang and b not in sent]
        if not brands:
            continue
        made = bundle.run(
            month, brands, lang, notebooks, out=out, jobs=1, db=db, timeout=timeout, pdf=True
        )
        for r in made:
            failed = {**r.failed}
            if failed:
                result.problems += [f"page {r.brand}/{n}: {e}" for n, e in failed.items()]
            elif not delivery.pdf_for(out, month, r.brand).exists():
                result.problems.append(f"PDF {r.brand}: not made (is Chromium installed?)")
            else:
                ready.append(r.brand)
    # each language group's run wrote the month's index in its language: one index of every
    # brand, in the agency's (each brand's own index stays in its readers' language)
    bundle.write_index(out, month, settings.lang, db)
    con = store.open_serving(db)
    try:
        result.delivered = delivery.deliver(
            con, settings, out, month, sent + ready, hold=hold, password=password, sender=sender
        )
    finally:
        con.close()
    held_back = sorted(set(settings.brands) - set(ready) - set(sent))
    result.delivered += [
        delivery.Outcome(b, "not-delivered", "its report is not complete") for b in held_back
    ]
    _report(out, settings, result, password, sender, now)
    return result


def _report(out: Path, settings, result: Run, password, sender, now: datetime) -> None:
    """The run's account: appended to the month's autopilot.log, and mailed to the owner when
    something went wrong."""
    lines = [
        f"{now.isoformat(timespec='seconds')} autopilot {result.month}: "
        + ("ok" if result.ok else "PROBLEMS")
    ]
    lines += [f"  problem: {p}" for p in result.problems]
    lines += [
        f"  {o.status}: {o.brand}" + (f" ({o.detail})" if o.detail else "")
        for o in result.delivered
    ]
    log = Path(out) / result.month / "autopilot.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if result.ok or not settings.owner:
        return
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = f"socialkpi autopilot {result.month}: not everything was delivered"
    msg["From"] = formataddr((settings.sender_name, str(settings.sender)))
    msg["To"] = str(settings.owner)
    msg["Message-ID"] = make_msgid("autopilot", str(settings.sender).split("@")[-1])
    msg.set_content("\n".join(lines) + f"\n\nThe log: {log}\n")
    try:
        sender(settings, msg, password)
    except Exception as err:  # noqa: BLE001 - the log already says it all; add why the mail did not go
        with log.open("a", encoding="utf-8") as f:
            f.write(f"  the owner could not be told: {type(err).__name__}: {err}\n")
