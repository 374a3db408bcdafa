"""What ``socialkpi pull --platform line`` asks a LINE Official Account's Messaging API for,
each response kept as received in a landing file (``connectors.landing``):

- ``friends``: ``GET /v2/bot/insight/followers?date=yyyyMMdd`` per day (followers: friend adds
  ever, never decreasing; targetedReaches; blocks: as of that day);
- ``deliveries``: ``GET /v2/bot/insight/message/delivery?date=yyyyMMdd`` per day (messages sent
  per send type);
- ``demographics``: ``GET /v2/bot/insight/demographic`` (current shares, about 3 days old);
- ``quota_usage``: ``GET /v2/bot/message/quota/consumption`` (LINE's own, approximate, count
  of the messages sent this month, as of the pull);
- ``units`` and ``unit_stats``: ``GET /v2/bot/message/aggregation/list`` (this month's custom
  aggregation units, paged by ``next``/``start``) and
  ``GET /v2/bot/insight/message/event/aggregation`` per unit over the window (at most 30 days
  per request);
- ``message_stats``: ``GET /v2/bot/insight/message/event?requestId=`` for each broadcast or
  narrowcast whose request id the brand keeps (LINE lists no past messages: the id is the
  ``X-Line-Request-Id`` header of the send, so the sender must keep it).

LINE's days are cut at UTC+9 (``date``, ``from`` and ``to`` are days in UTC+9); a day LINE has
not finished counting answers ``unready`` and is left out when read, never stored as 0.

Source: developers.line.biz/en/reference/messaging-api/ (sections "Get number of followers",
"Get number of message deliveries", "Get friend demographics", "Get user interaction
statistics", "Get statistics per unit", "Get name list of units used this month", "Get number of sent messages this month", and
the rate-limit table: 60 requests per hour for each insight endpoint).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

BASE_URL = "https://api.line.me"
LINE_DAY = timezone(timedelta(hours=9))  # the Messaging API's days are cut at UTC+9
INSIGHT = "v2/bot/insight/"
HOURLY_LIMITS = {INSIGHT: 60}  # each insight endpoint: 60 requests per hour per channel
UNIT_SPAN_DAYS = 30  # statistics per unit: ``to`` at most 30 days after ``from``


def _day(day: date) -> str:
    return day.strftime("%Y%m%d")


def last_counted_day(now: datetime) -> date:
    """The last LINE day that is over at ``now`` (LINE's today in UTC+9 is not)."""
    return now.astimezone(LINE_DAY).date() - timedelta(days=1)


def requests(client, account: str, since: date, until: date, now: datetime, messages=()):
    """Yield ``(kind, path, params, response)`` for every call of a pull of the LINE days
    [since, until] (``until`` capped at the last day that is over in UTC+9). ``messages``
    are the request ids of broadcasts and narrowcasts to ask statistics for. The channel
    access token names the account, so ``account`` names no path."""
    until = min(until, last_counted_day(now))
    day = since
    while day <= until:
        params = {"date": _day(day)}
        yield "friends", f"{INSIGHT}followers", params, client.get(f"{INSIGHT}followers", params)
        path = f"{INSIGHT}message/delivery"
        yield "deliveries", path, params, client.get(path, params)
        day += timedelta(days=1)
    yield "demographics", f"{INSIGHT}demographic", {}, client.get(f"{INSIGHT}demographic")
    usage = "v2/bot/message/quota/consumption"
    yield "quota_usage", usage, {}, client.get(usage)
    units = []
    params = {"limit": 100}
    for _ in range(100):
        page = client.get("v2/bot/message/aggregation/list", params)
        yield "units", "v2/bot/message/aggregation/list", params, page
        units += page.get("customAggregationUnits", [])
        if not page.get("next"):
            break
        params = {"limit": 100, "start": page["next"]}
    for unit in units:
        start = since
        while start <= until:
            end = min(start + timedelta(days=UNIT_SPAN_DAYS - 1), until)
            params = {"customAggregationUnit": unit, "from": _day(start), "to": _day(end)}
            path = f"{INSIGHT}message/event/aggregation"
            yield "unit_stats", path, params, client.get(path, params)
            start = end + timedelta(days=1)
    for request_id in messages:
        params = {"requestId": request_id}
        path = f"{INSIGHT}message/event"
        yield "message_stats", path, params, client.get(path, params)
