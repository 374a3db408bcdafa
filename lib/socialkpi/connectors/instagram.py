"""What ``socialkpi pull --platform instagram`` asks the Graph API for (Instagram API with
Facebook Login), each response kept as received:

- ``media``: ``GET /{ig-user-id}/media`` with the post fields, paged, in the window;
- ``media_insights``: ``GET /{ig-media-id}/insights?metric=views,reach,likes,comments,shares,
  saved,total_interactions`` per post (lifetime values as of the pull);
- ``followers``: the user node's ``followers_count`` (current value only: the pull day's
  snapshot);
- ``demographics``: ``follower_demographics`` with each breakdown (``metric_type=total_value``,
  ``timeframe=this_month``; from 100 followers on).

``impressions`` is never asked for: Instagram retired it on 2025-04-21 (metrics.yaml,
definition_changes), and views replace it. Sources:
developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media,
/reference/ig-media/insights, /reference/ig-user/insights.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from socialkpi.connectors.client import ApiError

MEDIA_FIELDS = (
    "id,caption,media_type,media_product_type,permalink,timestamp,like_count,comments_count"
)
MEDIA_METRICS = "views,reach,likes,comments,shares,saved,total_interactions"
BREAKDOWNS = ("age", "gender", "country", "city")


def _unix(day: date) -> int:
    return int(datetime.combine(day, time(), tzinfo=UTC).timestamp())


def requests(client, account: str, since: date, until: date, now: datetime):
    """Yield ``(kind, path, params, response)`` for every call of a pull of [since, until]."""
    end = min(_unix(until + timedelta(days=1)), int(now.timestamp()))
    listed = {"fields": MEDIA_FIELDS, "limit": 100, "since": _unix(since), "until": end}
    ids = []
    for page in client.pages(f"{account}/media", listed):
        yield "media", f"{account}/media", listed, page
        ids += [m["id"] for m in page.get("data", []) if m.get("media_product_type") != "STORY"]
    for media in ids:
        params = {"metric": MEDIA_METRICS}
        try:
            found = client.get(f"{media}/insights", params)
        except ApiError as err:
            if err.code == 190:
                raise
            continue  # a metric this media type does not offer: its counts stay unknown
        yield "media_insights", f"{media}/insights", params, found
    fields = {"fields": "followers_count"}
    yield "followers", account, fields, client.get(account, fields)
    for breakdown in BREAKDOWNS:
        params = {
            "metric": "follower_demographics",
            "period": "lifetime",
            "timeframe": "this_month",
            "breakdown": breakdown,
            "metric_type": "total_value",
        }
        try:
            found = client.get(f"{account}/insights", params)
        except ApiError as err:
            if err.code == 190:
                raise
            continue  # under 100 followers: nothing to keep
        yield "demographics", f"{account}/insights", params, found
