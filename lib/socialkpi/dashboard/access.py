"""Which brands a dashboard viewer may see: one server, several clients, none seeing another's
data (``socialkpi dashboard --clients data/clients.yaml``).

- **The clients file** (``socialkpi clients add|list|remove``) names each client, its brands
  (or ``"*"``: every brand, for the agency itself) and the SHA-256 of its token. The token is
  shown once, when it is made; the file never holds it, so the file is no secret.
- **The server** (:mod:`socialkpi.dashboard.login`) lets in only a request with a client's
  token (a ``?token=`` link, an ``Authorization: token`` header or the login form; then a
  signed cookie) and tells the kernel it starts which client asked, in a request header the
  server itself sets (one a browser sends is dropped first).
- **The kernel** (:func:`viewer_brands`) reads that client's brands from the file again and
  offers only them: the brand control lists no other, a link or query string naming another
  brand opens the client's own, and a client unknown to the file sees nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from socialkpi.files import write_atomically

CLIENTS_ENV = "SOCIALKPI_CLIENTS"  # the server's clients file, in its and its kernels' env
HEADER = "X-Socialkpi-Client"  # set by the server after login, passed to the kernel's env
KERNEL_ENV = "HTTP_X_SOCIALKPI_CLIENT"  # the header as Voila writes it into a kernel's env
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class NoAccess(PermissionError):
    """A viewer the clients file does not let see any brand."""


class Client(BaseModel):
    """One client: a name for people, its brands (``"*"``: all), its token's SHA-256."""

    model_config = ConfigDict(extra="forbid")
    name: str = ""
    brands: list[str] | Literal["*"]
    token_sha256: str = Field(pattern="^[0-9a-f]{64}$")


class ClientsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clients: dict[str, Client] = {}


class ClientsError(ValueError):
    """A clients file that cannot be used, said by field."""


def load(path: str | Path) -> ClientsFile:
    """The clients file, checked as every settings file is (``config.checked``: no aliases,
    at most 1 MB, each problem by its field path); a missing file has no clients."""
    from socialkpi.config.checked import read_checked

    path = Path(path)
    if not path.exists():
        return ClientsFile()
    return read_checked(path, ClientsFile, ClientsError, "clients file")


def save(path: str | Path, clients: ClientsFile) -> None:
    head = (
        "# Dashboard clients (socialkpi clients add|list|remove): each client's brands and the\n"
        "# SHA-256 of its token; the token itself is shown once, when it is made.\n"
    )
    body = yaml.safe_dump(clients.model_dump(), allow_unicode=True, sort_keys=True)
    write_atomically(Path(path), head + body)


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as the clients file keeps it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add(path: str | Path, client: str, brands: list[str] | Literal["*"], name: str = "") -> str:
    """Add (or give a new token to) ``client`` with ``brands``; returns its new token, which
    is kept nowhere (an earlier token of the client stops working)."""
    if not _ID.match(client):
        raise ClientsError(
            f"client id {client!r}: use lower-case letters, digits, _ and - (e.g. lumi_tea)"
        )
    clients = load(path)
    token = secrets.token_urlsafe(24)
    clients.clients[client] = Client(name=name, brands=brands, token_sha256=token_hash(token))
    save(path, clients)
    return token


def remove(path: str | Path, client: str) -> bool:
    """Remove ``client``: its token and its open sessions stop working (False: none such)."""
    clients = load(path)
    if clients.clients.pop(client, None) is None:
        return False
    save(path, clients)
    return True


def client_for_token(clients: ClientsFile, token: str) -> str | None:
    """The client whose token this is, compared in constant time, or None."""
    given = token_hash(token)
    found = None
    for client_id, client in clients.clients.items():
        if hmac.compare_digest(given, client.token_sha256):
            found = client_id
    return found


def brands_of(clients: ClientsFile, client_id: str | None) -> set[str] | None:
    """The brands ``client_id`` may see (None: every brand); :class:`NoAccess` for a client
    the file does not know."""
    client = clients.clients.get(client_id or "")
    if client is None:
        raise NoAccess(f"no client {client_id!r} in the clients file")
    return None if client.brands == "*" else set(client.brands)


def viewer_brands(env: dict[str, str] | None = None) -> set[str] | None:
    """In a dashboard kernel, the brands its viewer may see: every brand (None) on a server
    without a clients file; else the brands of the client the server let in (read from the
    file now, so a client removed since sees nothing). :class:`NoAccess` otherwise."""
    env = os.environ if env is None else env
    path = env.get(CLIENTS_ENV)
    if not path:
        return None
    return brands_of(load(path), env.get(KERNEL_ENV))
