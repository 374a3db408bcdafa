"""A pull: for each of a brand's connections, ask the API, write every response to the landing
folder, then import that folder like any export. A connection whose pull fails (an expired
token, an error the API returns) writes nothing and imports nothing; the others still run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from socialkpi.config import environment
from socialkpi.connectors import facebook, instagram, landing, line, threads
from socialkpi.connectors.client import ApiError, Client, TokenExpired

# what each platform's pull asks for, and where its API is (an environment variable can
# point a platform at another server: the tests' fake one)
PULLERS = {
    "threads": threads.requests,
    "facebook": facebook.requests,
    "instagram": instagram.requests,
    "line": line.requests,
}
GRAPH_URL = "https://graph.facebook.com/v25.0"  # Pages and Instagram API with Facebook Login
BASE_URLS = {
    "threads": threads.BASE_URL,
    "facebook": GRAPH_URL,
    "instagram": GRAPH_URL,
    "line": line.BASE_URL,
}
# how each API takes the token, and the calls an hour it allows where it says
AUTH = {"line": "bearer"}
LIMITS = {"line": line.HOURLY_LIMITS}


@dataclass
class PullResult:
    """One connection's pull: what it wrote and imported, or why it stopped."""

    brand: str
    platform: str
    status: str  # pulled | failed | unsupported
    folder: Path | None = None
    calls: int = 0
    waited_s: float = 0.0
    imports: list = field(default_factory=list)  # ingest FileResult per landing file
    error: str | None = None


def base_url(platform: str, env: dict | None = None) -> str:
    """The platform's API: ``$SOCIALKPI_THREADS_URL`` (Threads), ``$SOCIALKPI_LINE_URL`` (LINE)
    or ``$SOCIALKPI_GRAPH_URL`` (Facebook, Instagram) where set, else the platform's own."""
    found = environment(env)
    given = {"threads": found.threads_url, "line": found.line_url}.get(platform, found.graph_url)
    return given or BASE_URLS[platform]


def window(
    since: date | None, until: date | None, now: datetime, days: int = 28
) -> tuple[date, date]:
    """The days to pull: ``until`` defaults to yesterday (today is not over), ``since`` to the
    ``days`` before it."""
    last = until or (now.astimezone(UTC).date() - timedelta(days=1))
    return since or last - timedelta(days=days - 1), last


def pull_one(
    con,
    connection,
    root: Path,
    since: date,
    until: date,
    now: datetime,
    sleep=None,
    messages: dict | None = None,
    clock=None,
) -> PullResult:
    """Pull one connection into ``root`` and import what it wrote. ``messages``: LINE request
    ids of broadcasts and narrowcasts to ask statistics for, each with its title."""
    from socialkpi.ingest import Options, import_paths

    result = PullResult(connection.brand, connection.platform, "failed")
    if connection.platform not in PULLERS:
        result.status = "unsupported"
        result.error = f"pulling {connection.platform} is not built yet: import its exports instead"
        return result
    platform = connection.platform
    client = Client(
        base_url(platform),
        connection.token,
        auth=AUTH.get(platform, "query"),
        limits=LIMITS.get(platform, {}),
        **({"sleep": sleep} if sleep else {}),
        **({"clock": clock} if clock else {}),
    )
    extra = {"messages": list(messages or {})} if platform == "line" else {}
    try:
        envelopes = [
            landing.envelope(
                platform,
                kind,
                connection.account_id,
                path,
                params,
                now,
                response,
                _context(kind, params, messages),
            )
            for kind, path, params, response in PULLERS[platform](
                client, connection.account_id, since, until, now, **extra
            )
        ]
    except TokenExpired:
        result.error = (
            f"the {connection.platform} token of {connection.brand} has expired or was revoked: "
            f"reconnect with `socialkpi connect {connection.platform} --brand {connection.brand}`"
        )
        return result
    except ApiError as err:
        result.error = f"{connection.platform}: {err}"
        return result
    finally:
        result.calls, result.waited_s = client.calls, float(sum(client.waited))
    result.folder = landing.write(
        root, connection.brand, connection.platform, now.date(), envelopes
    )
    result.imports = import_paths(con, [result.folder], Options(brand=connection.brand))
    result.status = "pulled" if all(r.status != "failed" for r in result.imports) else "failed"
    return result


def _context(kind: str, params: dict, messages: dict | None) -> dict | None:
    """What the landing file keeps beside a response the API does not say: a LINE message's
    title, as the brand named it."""
    title = (messages or {}).get(params.get("requestId")) if kind == "message_stats" else None
    return {"title": title} if title else None
