"""What ``socialkpi pull --platform threads`` asks the Threads API for, each response kept as
received in a landing file (``connectors.landing``):

- ``posts``: ``GET /me/threads`` with the post fields, paged, in the window;
- ``post_insights``: ``GET /{media-id}/insights?metric=views,likes,replies,reposts,quotes,shares``
  per post (lifetime values as of the pull: stored as that day's snapshot);
- ``profile_views``: ``GET /me/threads_insights?metric=views`` (a daily series of *profile*
  views, not post views);
- ``followers``: ``GET /me/threads_insights?metric=followers_count`` (current value only: a
  daily pull builds the history the API does not keep);
- ``demographics``: ``metric=follower_demographics`` with each breakdown (age, gender,
  country, city; current value only; Threads gives it from 100 followers on).

Source: developers.facebook.com/docs/threads/reference/user, /reference/insights,
/insights (metrics, the since floor of 1712991600, followers_count and follower_demographics
without since/until, one breakdown per request).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from socialkpi.connectors.client import ApiError

POST_FIELDS = "id,media_product_type,media_type,permalink,text,timestamp,shortcode,is_quote_post"
POST_METRICS = "views,likes,replies,reposts,quotes,shares"
BREAKDOWNS = ("age", "gender", "country", "city")
USER_INSIGHTS_SINCE = 1712991600  # the earliest since/until the user insights accept
BASE_URL = "https://graph.threads.net/v1.0"


def _unix(day: date) -> int:
    return int(datetime.combine(day, time(), tzinfo=UTC).timestamp())


def requests(client, account: str, since: date, until: date, now: datetime):
    """Yield ``(kind, path, params, response)`` for every call of a pull of [since, until]
    (whole days; ``until`` is capped at the last day that is over). Threads documents ``me``
    for the token's own user, so ``account`` names no path."""
    end = min(_unix(until + timedelta(days=1)), int(now.timestamp()))
    window = {"since": _unix(since), "until": end}
    posts = {"fields": POST_FIELDS, "limit": 100, **window}
    ids = []
    for page in client.pages("me/threads", posts):
        yield "posts", "me/threads", posts, page
        ids += [p["id"] for p in page.get("data", []) if p.get("media_type") != "REPOST_FACADE"]
    for media in ids:
        params = {"metric": POST_METRICS}
        yield "post_insights", f"{media}/insights", params, client.get(f"{media}/insights", params)
    views = {
        "metric": "views",
        "since": max(window["since"], USER_INSIGHTS_SINCE),
        "until": max(end, USER_INSIGHTS_SINCE + 1),
    }
    yield "profile_views", "me/threads_insights", views, client.get("me/threads_insights", views)
    followers = {"metric": "followers_count"}
    yield (
        "followers",
        "me/threads_insights",
        followers,
        client.get("me/threads_insights", followers),
    )
    for breakdown in BREAKDOWNS:
        params = {"metric": "follower_demographics", "breakdown": breakdown}
        try:
            found = client.get("me/threads_insights", params)
        except ApiError as err:
            if err.code == 190:
                raise
            continue  # fewer than 100 followers, or a breakdown not offered: nothing to keep
        yield "demographics", "me/threads_insights", params, found
