"""Delivering the month by email through a real SMTP server on 127.0.0.1 (aiosmtpd): the
messages arrive with the right recipients, language, attachment and headers; a second run
sends nothing; a held message waits for approval; an SMTP failure leaves the log saying what
was not sent; a brand without data is skipped, never sent empty."""

import email
import json
import socket
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from socialkpi import store
from socialkpi.outputs import delivery

MONTH = "2026-10"
PDF = b"%PDF-1.4\n% a stand-in for the combined report\n"


class Inbox:
    """What the local server received: one (envelope recipients, parsed message) per mail."""

    def __init__(self):
        self.mail = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 Requested action aborted: local error in processing"
        parsed = email.message_from_bytes(envelope.content, policy=default)
        self.mail.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def setup(smtp, sample_db, tmp_path):
    inbox, port = smtp
    out = tmp_path / "reports"
    for brand in ("lumi_tea", "northwind_cloud"):
        pdf = delivery.pdf_for(out, MONTH, brand)
        pdf.parent.mkdir(parents=True)
        pdf.write_bytes(PDF)
    settings = delivery.DeliveryFile.model_validate(
        {
            "smtp": {"host": "127.0.0.1", "port": port, "security": "none"},
            "sender": "reports@agency.example",
            "sender_name": "Agency reports",
            "brands": {
                "lumi_tea": {
                    "to": ["boss@lumitea.example"],
                    "cc": ["mei@lumitea.example"],
                    "lang": "zh-TW",
                    "link": "https://reports.agency.example/{month}/{brand}/",
                },
                "northwind_cloud": {"to": ["cmo@northwind.example"], "lang": "en"},
            },
        }
    )
    con = store.open_store(sample_db[0], read_only=True)
    yield con, settings, out, inbox
    con.close()


def _run(con, settings, out, **kw):
    return {r.brand: r for r in delivery.deliver(con, settings, out, MONTH, **kw)}


def test_each_brand_gets_its_month_in_its_language_with_the_pdf(setup):
    con, settings, out, inbox = setup
    results = _run(con, settings, out)
    assert {b: r.status for b, r in results.items()} == {
        "lumi_tea": "sent",
        "northwind_cloud": "sent",
    }
    by_to = {tuple(sorted(rcpt)): msg for rcpt, msg in inbox.mail}
    zh = by_to[("boss@lumitea.example", "mei@lumitea.example")]  # To and Cc both delivered
    assert zh["Subject"] == "露米茶飲 · 2026年10月 社群月報"
    # Lumi Tea is white-labelled (the sample's brands.yaml): its name as the sender, its colour
    # and its logo (an SVG, sent as an inline PNG the HTML body shows by its content id)
    assert (
        zh["Content-Language"] == "zh-TW"
        and zh["From"] == "露米茶飲行銷部 <reports@agency.example>"
    )
    (logo,) = [p for p in zh.walk() if p.get_content_type() == "image/png"]
    assert logo["Content-ID"] == "<logo@socialkpi>" and logo.get_content().startswith(b"\x89PNG")
    assert 'src="cid:logo@socialkpi"' in zh.get_body(("html",)).get_content()
    assert "border-bottom:2px solid #0f766e" in zh.get_body(("html",)).get_content()
    text = zh.get_body(("plain",)).get_content()
    assert "封鎖 LINE 官方帳號" in text  # the summary's risks, in Chinese
    assert "https://reports.agency.example/2026-10/lumi_tea/" in text
    html = zh.get_body(("html",)).get_content()
    assert 'href="https://reports.agency.example/2026-10/lumi_tea/"' in html
    (attachment,) = list(zh.iter_attachments())
    assert attachment.get_filename() == "lumi_tea-2026-10.pdf"
    assert attachment.get_content() == PDF
    en = by_to[("cmo@northwind.example",)]
    assert en["Subject"] == "Northwind Cloud · Oct 2026 social media report"
    # Northwind Cloud has no branding: the delivery file's sender, socialkpi's blue, no logo
    assert en["From"] == "Agency reports <reports@agency.example>"
    assert "border-bottom:2px solid #2b6cb0" in en.get_body(("html",)).get_content()
    assert not [p for p in en.walk() if p.get_content_maintype() == "image"]
    assert "Risks" in en.get_body(("plain",)).get_content()
    log = delivery.events(out, MONTH)
    assert [(e["brand"], e["status"]) for e in log] == [
        ("lumi_tea", "sent"),
        ("northwind_cloud", "sent"),
    ]
    assert log[0]["message_id"] == zh["Message-ID"].strip()  # a long id is folded


def test_a_second_run_sends_nothing(setup):
    con, settings, out, inbox = setup
    _run(con, settings, out)
    again = _run(con, settings, out)
    assert {r.status for r in again.values()} == {"already-sent"}
    assert len(inbox.mail) == 2


def test_held_messages_wait_for_approval_and_go_as_reviewed(setup):
    con, settings, out, inbox = setup
    held = _run(con, settings, out, hold=True)
    assert {r.status for r in held.values()} == {"held"} and inbox.mail == []
    eml = delivery.outbox(out, MONTH, "lumi_tea")
    reviewed = email.message_from_bytes(eml.read_bytes(), policy=default)
    sent = delivery.approve(settings, out, MONTH, ["lumi_tea"])
    assert [r.status for r in sent] == ["sent"] and len(inbox.mail) == 1
    assert inbox.mail[0][1]["Message-ID"].strip() == reviewed["Message-ID"].strip()
    assert not eml.exists()
    # the other brand is still held; approving again sends only it
    assert [r.brand for r in delivery.approve(settings, out, MONTH)] == ["northwind_cloud"]
    assert delivery.approve(settings, out, MONTH) == []


def test_an_smtp_failure_is_logged_and_the_next_run_sends_it(setup):
    con, settings, out, inbox = setup
    inbox.refuse = True
    failed = _run(con, settings, out)
    assert {r.status for r in failed.values()} == {"failed"}
    log = delivery.last_status(out, MONTH)
    assert log["lumi_tea"]["status"] == "failed" and "451" in log["lumi_tea"]["detail"]
    inbox.refuse = False
    assert {r.status for r in _run(con, settings, out).values()} == {"sent"}


def test_a_brand_without_data_or_pdf_is_skipped_not_sent_empty(setup):
    con, settings, out, inbox = setup
    delivery.pdf_for(out, MONTH, "northwind_cloud").unlink()
    results = _run(con, settings, out)
    assert results["northwind_cloud"].status == "skipped"
    assert "socialkpi report --pdf" in results["northwind_cloud"].detail
    later = {r.brand: r for r in delivery.deliver(con, settings, out, "2027-03")}
    assert {r.status for r in later.values()} == {"skipped"}
    assert all(r.detail == "no data for the month" for r in later.values())
    assert [to for to, _ in inbox.mail] == [["boss@lumitea.example", "mei@lumitea.example"]]


def test_a_dry_run_writes_eml_files_and_sends_nothing(setup, tmp_path):
    con, settings, out, inbox = setup
    results = _run(con, settings, out, dry_run=tmp_path / "eml")
    assert {r.status for r in results.values()} == {"written"} and inbox.mail == []
    written = email.message_from_bytes(
        (tmp_path / "eml" / "northwind_cloud-2026-10.eml").read_bytes(), policy=default
    )
    assert written["To"] == "cmo@northwind.example"
    assert delivery.events(out, MONTH) == []


def test_a_bad_delivery_file_names_the_field(tmp_path):
    bad = tmp_path / "delivery.yaml"
    bad.write_text(
        "smtp: {host: mail.example, security: tls}\nsender: reports@agency.example\n"
        "brands:\n  lumi_tea: {to: [not-an-address]}\n",
        "utf-8",
    )
    with pytest.raises(delivery.DeliveryError) as err:
        delivery.load(bad)
    assert "smtp.security" in str(err.value) and "brands.lumi_tea.to[0]" in str(err.value)


def test_the_smtp_password_comes_from_the_credentials_store(tmp_path, monkeypatch, capsys):
    from socialkpi.cli import main

    monkeypatch.setenv("SOCIALKPI_CREDENTIALS", str(tmp_path / "home" / "credentials.json"))
    monkeypatch.setenv("SMTP_PASSWORD", "s3cret-smtp-pass")
    assert (
        main(
            ["connect-smtp", "--user", "reports@agency.example", "--password-env", "SMTP_PASSWORD"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "s3cret-smtp-pass" not in out
    stored = json.loads((tmp_path / "home" / "credentials.json").read_text("utf-8"))
    assert stored["connections"][0]["platform"] == "smtp"


def _autopilot_settings(port, brands, owner="ops@agency.example"):
    return delivery.DeliveryFile.model_validate(
        {
            "smtp": {"host": "127.0.0.1", "port": port, "security": "none"},
            "sender": "reports@agency.example",
            "owner": owner,
            "brands": brands,
        }
    )


@pytest.fixture
def autopilot_store(sample_db, tmp_path, monkeypatch):
    import shutil

    monkeypatch.setenv("SOCIALKPI_CREDENTIALS", str(tmp_path / "no-credentials.json"))
    db = tmp_path / "store.duckdb"
    shutil.copy(sample_db[0], db)
    return db


@pytest.mark.slow
@pytest.mark.browser
def test_the_autopilot_builds_prints_and_delivers_each_brand_in_its_language(
    smtp, autopilot_store, tmp_path
):
    from datetime import UTC, datetime

    from socialkpi.outputs import autopilot

    inbox, port = smtp
    settings = _autopilot_settings(
        port,
        {
            "lumi_tea": {"to": ["boss@lumitea.example"], "lang": "zh-TW"},
            "northwind_cloud": {"to": ["cmo@northwind.example"], "lang": "en"},
        },
    )
    out = tmp_path / "reports"
    when = datetime(2026, 11, 3, 0, 0, tzinfo=UTC)
    month = autopilot.previous_month(when, "Asia/Taipei")
    assert month == "2026-10"
    run = autopilot.run(autopilot_store, out, settings, month, now=when, notebooks=["03"])
    assert run.ok, run.problems
    assert sorted(to[0] for to, _ in inbox.mail) == [
        "boss@lumitea.example",
        "cmo@northwind.example",
    ]
    for _, msg in inbox.mail:
        (pdf,) = list(msg.iter_attachments())
        assert pdf.get_content().startswith(b"%PDF-") and len(pdf.get_content()) > 10_000
    zh = next(m for to, m in inbox.mail if to == ["boss@lumitea.example"])
    assert "社群月報" in zh["Subject"]
    # each brand's pages are in its readers' language
    assert "KPI 檢視" in (out / month / "lumi_tea" / "03_kpi_review.html").read_text("utf-8")
    assert "KPI review" in (out / month / "northwind_cloud" / "03_kpi_review.html").read_text(
        "utf-8"
    )
    # one index of every brand in the agency's language; each brand's own in its readers'
    index = (out / month / "index.html").read_text("utf-8")
    assert 'lang="zh-TW"' in index and "露米茶飲" in index and "北風雲端" in index
    own = (out / month / "northwind_cloud" / "index.html").read_text("utf-8")
    assert 'lang="en"' in own and "Northwind Cloud" in own and "Lumi" not in own
    _looks_right_in_chromium(inbox.mail)
    page = out / month / "lumi_tea" / "03_kpi_review.html"
    built = page.stat().st_mtime_ns
    again = autopilot.run(autopilot_store, out, settings, month, now=when, notebooks=["03"])
    assert {o.status for o in again.delivered} == {"already-sent"} and len(inbox.mail) == 2
    assert page.stat().st_mtime_ns == built  # a sent brand's pages are not rebuilt
    assert "autopilot 2026-10: ok" in (out / month / "autopilot.log").read_text("utf-8")


@pytest.mark.slow
def test_a_brand_whose_report_fails_is_not_delivered_and_the_owner_is_told(
    smtp, autopilot_store, tmp_path
):
    from socialkpi.outputs import autopilot

    inbox, port = smtp
    settings = _autopilot_settings(port, {"lumi_tea": {"to": ["boss@lumitea.example"]}})
    out = tmp_path / "reports"
    run = autopilot.run(autopilot_store, out, settings, "2026-10", timeout=1, notebooks=["03"])
    assert not run.ok and any(p.startswith("page lumi_tea/") for p in run.problems)
    assert [(o.brand, o.status) for o in run.delivered] == [("lumi_tea", "not-delivered")]
    (told,) = inbox.mail
    assert (
        told[0] == ["ops@agency.example"] and "not everything was delivered" in told[1]["Subject"]
    )
    assert "not-delivered: lumi_tea" in told[1].get_content()
    assert "PROBLEMS" in (out / "2026-10" / "autopilot.log").read_text("utf-8")


def _looks_right_in_chromium(mail) -> None:
    """Each message's HTML as a mail reader shows it (inline parts by content id) in Chromium:
    the white-labelled brand's logo draws, the other brand has none; screenshots for review."""
    import base64

    from tests._browser import chromium, screenshot

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 760, "height": 900})
        for to, msg in mail:
            body = msg.get_body(("html",)).get_content()
            for part in msg.walk():
                if part["Content-ID"]:
                    data = base64.b64encode(part.get_content()).decode()
                    cid = part["Content-ID"].strip("<>")
                    body = body.replace(
                        f"cid:{cid}", f"data:{part.get_content_type()};base64,{data}"
                    )
            page.set_content(body)
            drawn = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
            brand = "lumi_tea" if to == ["boss@lumitea.example"] else "northwind_cloud"
            assert drawn == ([300] if brand == "lumi_tea" else []), drawn  # 150 px SVG at 2x
            screenshot(page, f"email-{brand}-{msg['Content-Language']}")
