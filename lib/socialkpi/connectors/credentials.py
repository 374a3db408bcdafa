"""Where a brand's API tokens live: a JSON file outside the repository that only its owner can
read (``~/.config/socialkpi/credentials.json``, or ``$SOCIALKPI_CREDENTIALS``), written
atomically with mode 0600 in a folder of mode 0700.

A token is a :class:`Token`: its ``repr`` and ``str`` are masked, so a log line, an error
message or a traceback that shows a connection never shows the token; only
:meth:`Token.reveal` gives it to the client that sends it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

PLATFORMS = ("facebook", "instagram", "threads", "line")


class Token:
    """A secret that never prints itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def reveal(self) -> str:
        """The token, for the request that sends it (and nothing else)."""
        return self._value

    def __repr__(self) -> str:
        return "Token(****)"

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        return isinstance(other, Token) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("token", len(self._value)))


@dataclass(frozen=True)
class Connection:
    """One brand's connection to one platform: its account, token, scopes and expiry."""

    brand: str
    platform: str
    account_id: str
    token: Token = field(repr=False)
    app_id: str = ""
    scopes: tuple[str, ...] = ()
    expires: date | None = None

    def public(self) -> dict:
        """The connection as ``socialkpi connections`` shows it: everything but the token."""
        return {
            "brand": self.brand,
            "platform": self.platform,
            "account_id": self.account_id,
            "app_id": self.app_id,
            "scopes": list(self.scopes),
            "expires": self.expires.isoformat() if self.expires else None,
        }


def path(env: dict | None = None) -> Path:
    """The credentials file: ``$SOCIALKPI_CREDENTIALS``, else the user's config folder."""
    from socialkpi.config import environment

    given = environment(env).credentials
    return Path(given) if given else Path.home() / ".config" / "socialkpi" / "credentials.json"


def load(where: Path) -> list[Connection]:
    """Every connection in the file (none when there is no file)."""
    if not where.exists():
        return []
    rows = json.loads(where.read_text("utf-8")).get("connections", [])
    return [
        Connection(
            r["brand"],
            r["platform"],
            r["account_id"],
            Token(r["token"]),
            r.get("app_id", ""),
            tuple(r.get("scopes", ())),
            date.fromisoformat(r["expires"]) if r.get("expires") else None,
        )
        for r in rows
    ]


def save(where: Path, connection: Connection) -> None:
    """Add or replace the brand's connection to that platform."""
    kept = [
        c for c in load(where) if (c.brand, c.platform) != (connection.brand, connection.platform)
    ]
    _write(where, [*kept, connection])


def remove(where: Path, brand: str, platform: str) -> bool:
    """Take the brand's connection to ``platform`` out; whether there was one."""
    found = load(where)
    kept = [c for c in found if (c.brand, c.platform) != (brand, platform)]
    if len(kept) != len(found):
        _write(where, kept)
    return len(kept) != len(found)


def _write(where: Path, connections: list[Connection]) -> None:
    where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    rows = [{**c.public(), "token": c.token.reveal()} for c in connections]
    tmp = where.with_name(where.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"connections": rows}, out, indent=2)
    os.chmod(tmp, 0o600)  # a umask cannot widen it
    os.replace(tmp, where)
