"""A small client for the platforms' JSON APIs: Meta's Graph-style APIs (graph.facebook.com,
graph.threads.net: the token as the documented ``access_token`` parameter) and LINE's Messaging
API (api.line.me: ``Authorization: Bearer``); cursor paging, rate limits and errors.

- **Paging**: a list response's ``paging.next`` is followed where present, else the request is
  repeated with ``after=<paging.cursors.after>`` (Threads documents cursors without ``next``);
  an empty page or a missing cursor ends it.
- **Rate limits**: the usage headers (``X-App-Usage``, ``X-Business-Use-Case-Usage``: percent
  of the allowance used) are read on every response; at 95% or more the client waits before
  its next call (``estimated_time_to_regain_access`` minutes where given). HTTP 429 and the
  throttling error codes (4, 17, 32, 613, 80001, 80002) are retried after ``Retry-After``
  seconds where the response says, else after a doubling backoff.
- **Hourly limits** (``limits``: a path prefix and the calls an hour it allows, as LINE's 60
  an hour for each insight endpoint): the client waits before a call that would exceed one.
- **Errors**: code 190 or HTTP 401 (expired, revoked or invalid token) is
  :class:`TokenExpired`; Meta's error object (``error.message``, ``error.code``) and LINE's
  (``message``, ``details``) are both read; every message is cut of the token before it is
  raised, logged or shown.

Sources: developers.facebook.com/docs/graph-api/overview/rate-limiting (usage headers and
throttling codes), /docs/graph-api/guides/error-handling (the error object, code 190),
/docs/threads/retrieve-and-discover-posts (cursor paging without next);
developers.line.biz/en/reference/messaging-api/ (status codes, error responses, rate limits).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field

THROTTLED = {4, 17, 32, 613, 80001, 80002}
USAGE_HEADERS = ("x-app-usage", "x-business-use-case-usage")
BUSY = 95  # percent of an allowance used before the client waits
MAX_TRIES = 5
TIMEOUT_S = 60


class ApiError(Exception):
    """An API error, its message free of the token."""

    def __init__(self, message: str, code: int | None = None, subcode: int | None = None):
        super().__init__(message)
        self.code, self.subcode = code, subcode


class TokenExpired(ApiError):
    """Code 190: the token expired or was revoked; the connection must be made again."""


@dataclass
class Client:
    """GET requests to ``base_url`` with ``token`` (a ``credentials.Token``) sent as ``auth``
    says (``query``: Meta's ``access_token``; ``bearer``: an Authorization header); ``sleep``
    and ``clock`` are how the client waits and tells time (tests pass their own)."""

    base_url: str
    token: object
    sleep: object = time.sleep
    waited: list = field(default_factory=list)  # seconds waited, for the run's log
    calls: int = 0
    auth: str = "query"
    limits: dict = field(default_factory=dict)  # path prefix -> calls allowed an hour
    clock: object = time.monotonic
    _recent: dict = field(default_factory=dict)  # path prefix -> times of its last calls

    def _url(self, path: str, params: dict) -> str:
        token = {"access_token": self.token.reveal()} if self.auth == "query" else {}
        query = urllib.parse.urlencode({**params, **token})
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}" + (f"?{query}" if query else "")

    def _request(self, target: str) -> urllib.request.Request:
        headers = (
            {"Authorization": f"Bearer {self.token.reveal()}"} if self.auth == "bearer" else {}
        )
        return urllib.request.Request(target, headers=headers)

    def _within_limits(self, path: str) -> None:
        """Wait until a call to ``path`` keeps every hourly limit it falls under."""
        for prefix, allowed in self.limits.items():
            if not path.startswith(prefix):
                continue
            recent = self._recent.setdefault(prefix, deque())
            while recent and self.clock() - recent[0] >= 3600:
                recent.popleft()
            if len(recent) >= allowed:
                self._wait(3600 - (self.clock() - recent[0]))
                recent.popleft()
            recent.append(self.clock())

    def _clean(self, text: str) -> str:
        return text.replace(self.token.reveal(), "****")

    def _wait(self, seconds: float) -> None:
        self.waited.append(seconds)
        self.sleep(seconds)

    def get(self, path: str, params: dict | None = None, url: str | None = None) -> dict:
        """One GET (``url``: a ``paging.next`` link, used as given), retried when throttled."""
        params = dict(params or {})
        for attempt in range(MAX_TRIES):
            target = url if url is not None else self._url(path, params)
            if url is not None and self.auth == "query" and "access_token=" not in url:
                sep = "&" if "?" in url else "?"
                target = f"{url}{sep}access_token={urllib.parse.quote(self.token.reveal())}"
            self._within_limits(path)
            self.calls += 1
            try:
                with urllib.request.urlopen(self._request(target), timeout=TIMEOUT_S) as response:
                    body = json.loads(response.read().decode("utf-8"))
                    self._pace(response.headers)
                    return body
            except urllib.error.HTTPError as err:
                raw = err.read().decode("utf-8", "replace")
                retry_after = err.headers.get("Retry-After")
                problem = _error_of(raw)
                code = problem.get("code")
                if code == 190 or err.code == 401:
                    raise TokenExpired(
                        self._clean(problem.get("message", "the token is no longer valid")),
                        190,
                        problem.get("error_subcode"),
                    ) from None
                if (err.code == 429 or code in THROTTLED) and attempt + 1 < MAX_TRIES:
                    self._wait(_seconds(retry_after) if retry_after else min(2**attempt * 5, 300))
                    continue
                message = problem.get("message") or f"HTTP {err.code}"
                raise ApiError(
                    self._clean(f"{message} (HTTP {err.code}, {path or 'next page'})"),
                    code,
                    problem.get("error_subcode"),
                ) from None
            except urllib.error.URLError as err:
                raise ApiError(self._clean(f"cannot reach the API: {err.reason}")) from None
        raise ApiError(f"still throttled after {MAX_TRIES} tries ({path})")

    def _pace(self, headers) -> None:
        """Wait before the next call when a usage header says the allowance is nearly spent."""
        for name in USAGE_HEADERS:
            raw = headers.get(name)
            if not raw:
                continue
            try:
                usage = json.loads(raw)
            except ValueError:
                continue
            for entry in _usage_entries(usage):
                used = max(
                    float(entry.get(k, 0) or 0)
                    for k in ("call_count", "total_cputime", "total_time")
                )
                if used >= BUSY:
                    minutes = float(entry.get("estimated_time_to_regain_access", 0) or 0)
                    self._wait(minutes * 60 if minutes else 60)
                    return

    def pages(self, path: str, params: dict | None = None, limit_pages: int = 1000):
        """Every page of a list, each as received."""
        params = dict(params or {})
        url = None
        for _ in range(limit_pages):
            page = self.get(path, params, url)
            yield page
            if not page.get("data"):
                return
            paging = page.get("paging") or {}
            if paging.get("next"):
                url = _without_token(paging["next"])
                continue
            after = (paging.get("cursors") or {}).get("after")
            if not after:
                return
            params = {**params, "after": after}
            url = None


def _usage_entries(usage) -> list[dict]:
    """``X-App-Usage`` is one object; ``X-Business-Use-Case-Usage`` maps ids to lists."""
    if isinstance(usage, dict) and "call_count" in usage:
        return [usage]
    out = []
    if isinstance(usage, dict):
        for value in usage.values():
            out += [
                v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)
            ]
    return out


def _error_of(raw: str) -> dict:
    """Meta's ``{"error": {...}}`` or LINE's ``{"message": ..., "details": [...]}``."""
    try:
        body = json.loads(raw) or {}
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    if isinstance(body.get("error"), dict):
        return body["error"]
    return {"message": body.get("message")} if isinstance(body.get("message"), str) else {}


def _seconds(value: str) -> float:
    try:
        return max(float(value), 0.0)
    except ValueError:
        return 60.0


def _without_token(url: str) -> str:
    """A ``paging.next`` link without the token it may carry (the client adds its own)."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "access_token"]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
