"""One dashboard server, several clients (``socialkpi dashboard --clients FILE``), driven in
Debian's Chromium: a client's token opens only its brands, whether it asks through the brand
control, a crafted URL, a query string or a forged header; no token, a wrong one or a removed
client's opens nothing; and no token reaches the server's log."""

import http.client
import shutil

import pytest

from socialkpi import dashboard
from socialkpi.dashboard import access
from tests._browser import chromium, need_chromium, screenshot, voila_server

pytestmark = pytest.mark.voila
BOARD = "/voila/render/audience.ipynb"


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    """The server ``socialkpi dashboard --clients`` runs, on a free loopback port: one
    preheated kernel, so the first view goes the preheated way and the next ones the fresh
    way (the client reaches each kernel differently)."""

    need_chromium()
    root = tmp_path_factory.mktemp("clients")
    db, clients = root / "store.duckdb", root / "clients.yaml"
    shutil.copy(sample_db[0], db)
    tokens = {
        "lumi": access.add(clients, "lumi", ["lumi_tea"], "Lumi Tea"),
        "agency": access.add(clients, "agency", "*", "Agency"),
    }
    # the dashboard command's server, with only this test's dashboard preheated (seven
    # preheated kernels would take the test's two cores for half a minute)
    command = dashboard.voila_command(pool_size=1, clients=True)
    command = [c for c in command if not c.startswith("--port=")]
    command.append("--VoilaKernelManager.preheat_denylist=['^(?!.*audience)']")
    log = root / "server.log"
    env = dashboard.voila_env(db, clients=clients)
    with voila_server(command, env, log, "/login") as (url, _):
        yield {"url": url, "tokens": tokens, "clients": clients, "log": log}


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as launched:
        yield launched


def _refused(url: str, path: str, headers: dict | None = None) -> tuple[int, str]:
    """The status and redirect of a GET without a browser."""
    conn = http.client.HTTPConnection(url.removeprefix("http://"), timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.getheader("Location") or ""
    finally:
        conn.close()


def _view(page, path: str) -> dict:
    page.goto(path, wait_until="commit")  # Voila streams the page while the kernel runs
    page.wait_for_selector(".skpi-view-of", timeout=120_000)
    return {
        "brand": page.get_attribute(".skpi-view-of", "data-brand"),
        "offered": page.eval_on_selector_all(
            ".skpi-brand select option", "els => els.map(e => e.value || e.textContent)"
        ),
        "text": page.inner_text(".skpi-dashboard"),
    }


def test_no_token_a_wrong_token_or_a_forged_header_opens_nothing(server):
    for path, headers in (
        (BOARD, {}),
        (f"{BOARD}?token=wrong&brand=lumi_tea", {}),
        (BOARD, {access.HEADER: "agency"}),  # naming a client is not logging in
        (BOARD, {"Authorization": "token " + server["tokens"]["lumi"][:-2]}),
    ):
        status, location = _refused(server["url"], path, headers)
        assert status == 302 and location.startswith("/login"), path


def test_a_client_sees_its_own_brand_however_it_asks_for_another(server, browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    token, url = server["tokens"]["lumi"], server["url"]
    # a crafted link: the client's token, another brand in the query string
    first = _view(page, f"{url}{BOARD}?token={token}&brand=northwind_cloud&lang=en")
    assert first["brand"] == "lumi_tea"
    assert len(first["offered"]) == 1 and "Northwind" not in " ".join(first["offered"])
    assert "Lumi Tea" in first["text"] and "Northwind" not in first["text"]
    screenshot(page, "dashboard-client-lumi-en")
    # its login cookie, the other brand asked for, and a forged header naming the agency;
    # another theme makes Voila start a fresh kernel rather than hand over a preheated one
    context.set_extra_http_headers({access.HEADER: "agency"})
    second = _view(page, f"{url}{BOARD}?brand=northwind_cloud&theme=dark")
    assert second["brand"] == "lumi_tea" and len(second["offered"]) == 1
    assert "北風雲端" not in second["text"] and "露米茶飲" in second["text"]
    context.close()


def test_the_agency_sees_every_brand(server, browser):
    context = browser.new_context()
    page = context.new_page()
    seen = _view(
        page, f"{server['url']}{BOARD}?token={server['tokens']['agency']}&brand=northwind_cloud"
    )
    assert seen["brand"] == "northwind_cloud" and len(seen["offered"]) == 2
    context.close()


def test_a_removed_client_is_shut_out_and_no_token_is_logged(server, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server['url']}/?token={server['tokens']['lumi']}")  # logged in: the landing page
    assert "/login" not in page.url
    access.remove(server["clients"], "lumi")
    page.goto(f"{server['url']}{BOARD}")  # the same browser, its cookie still set
    assert "/login" in page.url
    context.close()
    logged = server["log"].read_text("utf-8")
    assert all(token not in logged for token in server["tokens"].values())


def test_the_login_form_speaks_the_viewers_language_and_lets_a_client_in(server, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server['url']}{BOARD}")  # no token: the form, in Traditional Chinese
    assert "/login" in page.url and page.locator("html").get_attribute("lang") == "zh-TW"
    page.fill("#password_input", "not-a-code")
    page.click("#login_submit")
    said = page.inner_text("body")
    assert "存取碼無法開啟任何儀表板" in said and "access code" not in said
    page.goto(f"{server['url']}{BOARD}?lang=en")  # asked in English: the form in English
    assert "Enter the access code" in page.inner_text("body")
    assert "請輸入" not in page.inner_text("body")
    screenshot(page, "dashboard-client-login-en")
    page.fill("#password_input", server["tokens"]["agency"])
    page.click("#login_submit")
    page.wait_for_selector(".skpi-view-of", timeout=120_000)
    assert "/login" not in page.url and "lang=en" in page.url
    context.close()
