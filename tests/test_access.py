"""Dashboards per client without a browser: the clients file keeps no token, a token finds its
client in constant time, and a dashboard kernel told which client asked offers only that
client's brands (tests/test_clients.py drives the same through Voila and Chromium)."""

import hashlib

import pytest
import traitlets

from socialkpi import dashboard
from socialkpi.dashboard import access


@pytest.fixture
def clients(tmp_path):
    path = tmp_path / "clients.yaml"
    lumi = access.add(path, "lumi", ["lumi_tea"], "Lumi Tea")
    agency = access.add(path, "agency", "*")
    return path, lumi, agency


def test_the_file_keeps_a_hash_of_each_token_never_the_token(clients):
    path, lumi, agency = clients
    text = path.read_text("utf-8")
    assert lumi not in text and agency not in text
    assert hashlib.sha256(lumi.encode()).hexdigest() in text
    assert len(lumi) >= 32 and lumi != agency


def test_a_token_opens_its_own_clients_brands_only(clients):
    path, lumi, agency = clients
    found = access.load(path)
    assert access.client_for_token(found, lumi) == "lumi"
    assert access.client_for_token(found, agency) == "agency"
    altered = lumi[:-1] + ("y" if lumi.endswith("x") else "x")  # one character off
    assert access.client_for_token(found, altered) is None
    assert access.brands_of(found, "lumi") == {"lumi_tea"}
    assert access.brands_of(found, "agency") is None  # every brand
    with pytest.raises(access.NoAccess):
        access.brands_of(found, "someone")
    with pytest.raises(access.NoAccess):
        access.brands_of(found, None)


def test_a_new_token_replaces_the_old_and_a_removed_client_has_none(clients):
    path, lumi, _ = clients
    again = access.add(path, "lumi", ["lumi_tea"])
    assert access.client_for_token(access.load(path), lumi) is None
    assert access.client_for_token(access.load(path), again) == "lumi"
    assert access.remove(path, "lumi") and not access.remove(path, "lumi")
    assert access.client_for_token(access.load(path), again) is None


def test_a_kernel_knows_its_viewer_only_from_a_server_with_clients(clients):
    path, *_ = clients
    assert access.viewer_brands({}) is None  # no clients file: the team's own server
    env = {access.CLIENTS_ENV: str(path)}
    assert access.viewer_brands({**env, access.KERNEL_ENV: "lumi"}) == {"lumi_tea"}
    with pytest.raises(access.NoAccess):
        access.viewer_brands(env)  # a server with clients, and no client named: nothing


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("clients:\n  x: {brands: [a]}\n", "clients.x.token_sha256: Field required"),
        ("clients:\n  x: {brands: a, token_sha256: " + "0" * 64 + "}\n", "clients.x.brands"),
        ("clients: [\n", "the clients file is not valid YAML"),
        ("clients: {}\ntokens: 1\n", "unknown key 'tokens'"),
    ],
)
def test_a_broken_clients_file_is_named_with_its_field(tmp_path, text, said):
    path = tmp_path / "clients.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(access.ClientsError) as err:
        access.load(path)
    assert said in str(err.value) and str(path) in str(err.value)


def test_a_client_id_is_checked(tmp_path):
    with pytest.raises(access.ClientsError, match="lower-case letters"):
        access.add(tmp_path / "c.yaml", "../Lumi", ["lumi_tea"])


@pytest.fixture
def as_client(clients, monkeypatch):
    path, *_ = clients

    def _as(client: str | None):
        monkeypatch.setenv(access.CLIENTS_ENV, str(path))
        if client is None:
            monkeypatch.delenv(access.KERNEL_ENV, raising=False)
        else:
            monkeypatch.setenv(access.KERNEL_ENV, client)

    return _as


def test_a_clients_dashboard_offers_and_shows_only_its_brands(sample_db, as_client):
    as_client("lumi")
    board = dashboard.show("audience", "brand=northwind_cloud&lang=en", db=str(sample_db[0]))
    assert board.view.brand == "lumi_tea"  # the query string asked for another brand
    assert [value for _, value in board.controls["brand"].options] == ["lumi_tea"]
    assert "Northwind" not in board.header.value + board.cards.value + board.table.value
    with pytest.raises(traitlets.TraitError):  # the control takes no brand it did not offer
        board.controls["brand"].value = "northwind_cloud"
    assert board.view.brand == "lumi_tea"


def test_the_agency_sees_every_brand_and_an_unknown_client_none(sample_db, as_client):
    as_client("agency")
    board = dashboard.show("audience", "lang=en", db=str(sample_db[0]))
    assert [v for _, v in board.controls["brand"].options] == ["lumi_tea", "northwind_cloud"]
    as_client("stranger")
    refused = dashboard.show("audience", "lang=en", db=str(sample_db[0]))
    assert "does not open any brand" in refused.value
    assert "Lumi" not in refused.value and "Northwind" not in refused.value
    as_client(None)
    assert (
        "does not open any brand"
        in dashboard.show("audience", "lang=en", db=str(sample_db[0])).value
    )


def test_a_client_reads_its_goals_but_only_the_agency_edits_them(sample_db, as_client):
    as_client("lumi")
    board = dashboard.show("goal_setting", "lang=en", db=str(sample_db[0]))
    assert board.editor.children == ()
    as_client("agency")
    board = dashboard.show("goal_setting", "lang=en", db=str(sample_db[0]))
    assert board.editor.children


def test_the_dashboard_command_refuses_a_clients_file_without_clients(tmp_path, capsys):
    from socialkpi.cli import main

    (tmp_path / "clients.yaml").write_text("clients: {}\n", "utf-8")
    db = str(tmp_path / "x.duckdb")
    assert main(["dashboard", "--db", db, "--clients", str(tmp_path / "clients.yaml")]) == 2
    assert "has no clients" in capsys.readouterr().err
    command = dashboard.voila_command(clients=True)
    assert "--Voila.identity_provider_class=socialkpi.dashboard.login.ClientLogin" in command
    assert f"--VoilaConfiguration.http_header_envs={access.HEADER}" in command
    env = dashboard.voila_env(tmp_path / "x.duckdb", clients=tmp_path / "clients.yaml")
    assert env[access.CLIENTS_ENV] == str(tmp_path / "clients.yaml")


def test_the_clients_command_prints_a_token_once_and_lists_none(tmp_path, capsys):
    from socialkpi.cli import main

    path = str(tmp_path / "clients.yaml")

    def run(*args) -> tuple[int, str]:
        code = main(["clients", *args, "--file", path])
        return code, capsys.readouterr().out

    code, said = run("add", "lumi", "--brands", "lumi_tea", "--name", "Lumi Tea")
    assert code == 0
    token = said.split("?token=")[1].split()[0]
    assert access.client_for_token(access.load(path), token) == "lumi"
    assert run("list") == (0, "lumi\tLumi Tea\tlumi_tea\n")  # never the token
    assert run("add", "x", "--brands", "Bad Brand!")[0] == 2
    assert run("remove", "nobody")[0] == 2
    assert run("remove", "lumi")[0] == 0 and access.load(path).clients == {}
