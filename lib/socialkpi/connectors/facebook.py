"""What ``socialkpi pull --platform facebook`` asks the Graph API for, each response kept as
received:

- ``posts``: ``GET /{page-id}/posts`` with the post fields, the shares and the comment count,
  paged, in the window;
- ``post_insights``: ``GET /{post-id}/insights?metric=post_media_view,
  post_total_media_view_unique,post_reactions_by_type_total,post_clicks`` (lifetime values
  as of the pull);
- ``page_daily``: ``GET /{page-id}/insights?metric=page_media_view,page_post_engagements,
  page_daily_follows_unique&period=day`` (at most 90 days a request).

``post_impressions*`` and ``page_impressions*`` are never asked for: Meta retired them on
2025-11-15 (metrics.yaml, definition_changes) for views (``*_media_view``). Sources:
developers.facebook.com/docs/graph-api/reference/page/feed, /reference/page/insights,
developers.facebook.com/blog/post/2025/08/15/page-insights-api-updates/.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

POST_FIELDS = (
    "id,message,created_time,permalink_url,status_type,shares,comments.limit(0).summary(true)"
)
POST_METRICS = (
    "post_media_view,post_total_media_view_unique,post_reactions_by_type_total,post_clicks"
)
PAGE_METRICS = "page_media_view,page_post_engagements,page_daily_follows_unique"
MAX_DAYS = 90


def _unix(day: date) -> int:
    return int(datetime.combine(day, time(), tzinfo=UTC).timestamp())


def requests(client, account: str, since: date, until: date, now: datetime):
    """Yield ``(kind, path, params, response)`` for every call of a pull of [since, until]."""
    end = min(_unix(until + timedelta(days=1)), int(now.timestamp()))
    listed = {"fields": POST_FIELDS, "limit": 100, "since": _unix(since), "until": end}
    ids = []
    for page in client.pages(f"{account}/posts", listed):
        yield "posts", f"{account}/posts", listed, page
        ids += [p["id"] for p in page.get("data", [])]
    for post in ids:
        params = {"metric": POST_METRICS}
        yield "post_insights", f"{post}/insights", params, client.get(f"{post}/insights", params)
    first = since
    while first <= until:
        last = min(first + timedelta(days=MAX_DAYS - 1), until)
        params = {
            "metric": PAGE_METRICS,
            "period": "day",
            "since": _unix(first),
            "until": min(_unix(last + timedelta(days=1)), int(now.timestamp())),
        }
        yield "page_daily", f"{account}/insights", params, client.get(f"{account}/insights", params)
        first = last + timedelta(days=1)
