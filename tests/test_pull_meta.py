"""Pulling a Facebook Page and an Instagram account from a fake Graph API on 127.0.0.1, whose
responses follow Meta's published reference (developers.facebook.com/docs/graph-api/reference/
page/feed and /page/insights; /docs/instagram-platform/instagram-graph-api/reference/ig-user/
media, /ig-media/insights, /ig-user/insights). Retired metrics (impressions) are never asked
for: the fake answers them with the invalid-metric error Meta gives."""

import json
import re
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from werkzeug import Response

from socialkpi import store
from socialkpi.connectors import credentials
from socialkpi.connectors.pull import pull_one

TOKEN = "EAAG-page-token-9876543210"
PAGE, IG = "61571000000008", "17841405309211844"
NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def _json(body, status=200, headers=None):
    return Response(json.dumps(body), status, headers or {}, content_type="application/json")


def _invalid_metric():
    return _json(
        {
            "error": {
                "message": "(#100) The value must be a valid insights metric",
                "type": "OAuthException",
                "code": 100,
                "fbtrace_id": "AbC",
            }
        },
        400,
    )


class FakeGraph:
    def __init__(self):
        self.metrics_asked: list[str] = []

    def __call__(self, request):
        path = request.path.removeprefix("/v25.0/")
        if request.args.get("access_token") != TOKEN:
            return _json(
                {
                    "error": {
                        "message": "Error validating access token",
                        "type": "OAuthException",
                        "code": 190,
                        "error_subcode": 463,
                    }
                },
                400,
            )
        metrics = request.args.get("metric", "")
        self.metrics_asked += [m for m in metrics.split(",") if m]
        if "impressions" in metrics:
            return _invalid_metric()
        if path == f"{PAGE}/posts":
            return _json(
                {
                    "data": [
                        {
                            "id": f"{PAGE}_1001",
                            "message": "秋季新品 #新品上市",
                            "created_time": "2026-10-05T10:00:00+0000",
                            "permalink_url": f"https://www.facebook.com/{PAGE}/posts/1001",
                            "status_type": "added_photos",
                            "shares": {"count": 7},
                            "comments": {"data": [], "summary": {"total_count": 12}},
                        },
                    ],
                    "paging": {"cursors": {"before": "b", "after": "a"}},
                }
                if not request.args.get("after")
                else {"data": []}
            )
        if path == f"{PAGE}_1001/insights":
            return _json(
                {
                    "data": [
                        {
                            "name": "post_media_view",
                            "period": "lifetime",
                            "values": [{"value": 5400}],
                            "id": f"{PAGE}_1001/insights/post_media_view/lifetime",
                        },
                        {
                            "name": "post_total_media_view_unique",
                            "period": "lifetime",
                            "values": [{"value": 3100}],
                            "id": f"{PAGE}_1001/insights/post_total_media_view_unique/lifetime",
                        },
                        {
                            "name": "post_reactions_by_type_total",
                            "period": "lifetime",
                            "values": [{"value": {"like": 80, "love": 15, "wow": 5}}],
                            "id": f"{PAGE}_1001/insights/post_reactions_by_type_total/lifetime",
                        },
                        {
                            "name": "post_clicks",
                            "period": "lifetime",
                            "values": [{"value": 60}],
                            "id": f"{PAGE}_1001/insights/post_clicks/lifetime",
                        },
                    ]
                }
            )
        if path == f"{PAGE}/insights":

            def values(n):
                return [
                    {"value": n + d, "end_time": f"2026-10-{d + 2:02d}T07:00:00+0000"}
                    for d in range(2)
                ]

            return _json(
                {
                    "data": [
                        {
                            "name": "page_media_view",
                            "period": "day",
                            "values": values(1000),
                            "id": f"{PAGE}/insights/page_media_view/day",
                        },
                        {
                            "name": "page_post_engagements",
                            "period": "day",
                            "values": values(50),
                            "id": f"{PAGE}/insights/page_post_engagements/day",
                        },
                        {
                            "name": "page_daily_follows_unique",
                            "period": "day",
                            "values": values(3),
                            "id": f"{PAGE}/insights/page_daily_follows_unique/day",
                        },
                    ]
                }
            )
        if path == f"{IG}/media":
            return _json(
                {
                    "data": [
                        {
                            "id": "17900001",
                            "caption": "茶葉知識",
                            "media_type": "VIDEO",
                            "media_product_type": "REELS",
                            "permalink": "https://www.instagram.com/reel/abc/",
                            "timestamp": "2026-10-07T12:00:00+0000",
                            "like_count": 300,
                            "comments_count": 20,
                        },
                    ]
                }
            )
        if path == "17900001/insights":
            names = {
                "views": 9000,
                "reach": 6000,
                "likes": 300,
                "comments": 20,
                "shares": 15,
                "saved": 40,
                "total_interactions": 375,
            }
            return _json(
                {
                    "data": [
                        {
                            "name": k,
                            "period": "lifetime",
                            "values": [{"value": v}],
                            "id": f"17900001/insights/{k}/lifetime",
                        }
                        for k, v in names.items()
                    ]
                }
            )
        if path == IG:
            return _json({"followers_count": 31234, "id": IG})
        if path == f"{IG}/insights":
            breakdown = request.args["breakdown"]
            results = {
                "age": [("25-34", 600), ("35-44", 400)],
                "gender": [("F", 700), ("M", 300)],
                "country": [("TW", 950), ("JP", 50)],
                "city": [("Taipei, Taiwan", 500), ("Taichung, Taiwan", 500)],
            }[breakdown]
            return _json(
                {
                    "data": [
                        {
                            "name": "follower_demographics",
                            "period": "lifetime",
                            "total_value": {
                                "breakdowns": [
                                    {
                                        "dimension_keys": [breakdown],
                                        "results": [
                                            {"dimension_values": [k], "value": v}
                                            for k, v in results
                                        ],
                                    }
                                ]
                            },
                            "id": f"{IG}/insights/follower_demographics/lifetime",
                        }
                    ]
                }
            )
        return _json(
            {
                "error": {
                    "message": "Unsupported get request.",
                    "type": "GraphMethodException",
                    "code": 100,
                }
            },
            400,
        )


@pytest.fixture
def graph(httpserver, monkeypatch):
    fake = FakeGraph()
    httpserver.expect_request(re.compile("^/")).respond_with_handler(fake)
    monkeypatch.setenv("SOCIALKPI_GRAPH_URL", httpserver.url_for("/v25.0"))
    return fake


def _pull(con, tmp_path, platform, account):
    connection = credentials.Connection("lumi_tea", platform, account, credentials.Token(TOKEN))
    return pull_one(
        con,
        connection,
        tmp_path / "landing",
        date(2026, 10, 1),
        date(2026, 10, 31),
        NOW,
        lambda s: None,
    )


def test_a_facebook_page_pull(con, graph, tmp_path):
    result = _pull(con, tmp_path, "facebook", PAGE)
    assert result.status == "pulled", result.error
    post = store.read(con, "posts").set_index("post_id").loc[f"{PAGE}_1001"]
    # reactions by type add up: 80 + 15 + 5; views and reach from the view metrics
    assert (post.views, post.reach, post.reactions, post.comments, post.shares, post.clicks) == (
        5400,
        3100,
        100,
        12,
        7,
        60,
    )
    daily = store.read(con, "account_daily").set_index("date")
    assert daily.loc[
        pd.Timestamp("2026-10-01"), ["views", "engagements", "follower_gains"]
    ].tolist() == [1000, 50, 3]
    assert daily.loc[pd.Timestamp("2026-10-02"), "views"] == 1001


def test_an_instagram_pull(con, graph, tmp_path):
    result = _pull(con, tmp_path, "instagram", IG)
    assert result.status == "pulled", result.error
    post = store.read(con, "posts").set_index("post_id").loc["17900001"]
    assert (post.content_type, post.views, post.reach, post.reactions, post.saves) == (
        "reel",
        9000,
        6000,
        300,
        40,
    )
    assert store.read(con, "account_daily")["followers"].tolist() == [31234]
    audience = store.read(con, "audience").set_index(["dimension", "segment"])
    assert audience.loc[("gender", "female"), "share"] == pytest.approx(0.7)
    assert audience.loc[("city", "Taipei, Taiwan"), "count"] == 500


def test_retired_metrics_are_never_asked_for(con, graph, tmp_path):
    _pull(con, tmp_path, "facebook", PAGE)
    _pull(con, tmp_path, "instagram", IG)
    assert graph.metrics_asked and not [m for m in graph.metrics_asked if "impressions" in m]
