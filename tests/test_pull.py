"""Pulling Threads from a fake Threads API on 127.0.0.1 (pytest-httpserver), whose responses
follow Meta's published reference (developers.facebook.com/docs/threads/reference/user,
/reference/insights, /insights; the error object and throttling codes of
/docs/graph-api/guides/error-handling and /overview/rate-limiting). No test reaches the
internet, and no file a run writes holds the token."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from werkzeug import Response

from socialkpi import store
from socialkpi.connectors import credentials
from socialkpi.connectors.pull import pull_one

TOKEN = "THAAG-secret-token-0123456789"
USER = "17841400000000001"
POSTS = [  # id, time, type, text, and lifetime views/likes/replies/reposts/quotes/shares
    ("18001", "2026-10-03T04:30:00+0000", "TEXT_POST", "秋季新品 #新品上市", (900, 10, 3, 2, 1, 4)),
    ("18002", "2026-10-10T11:00:00+0000", "IMAGE", "門市活動", (400, 5, 1, 0, 0, 1)),
    ("18003", "2026-10-20T02:15:00+0000", "VIDEO", "茶葉知識", (1500, 30, 6, 4, 2, 8)),
    ("18004", "2026-10-21T02:15:00+0000", "REPOST_FACADE", None, None),  # someone else's post
]
NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def _error(status, code, message, subcode=None, headers=None):
    body = {
        "error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbC"}
    }
    if subcode:
        body["error"]["error_subcode"] = subcode
    return Response(json.dumps(body), status, headers or {}, content_type="application/json")


class FakeThreads:
    """One Threads account behind the documented endpoints, two posts a page."""

    def __init__(self, token=TOKEN, posts=POSTS, followers=1234, page=2):
        self.token, self.posts, self.followers, self.page = token, posts, followers, page
        self.seen: list[str] = []
        self.script: dict[str, list] = {}  # path -> responses to give before the real one

    def __call__(self, request):
        path = request.path.removeprefix("/v1.0/")
        self.seen.append(path)
        if request.args.get("access_token") != self.token:
            return _error(400, 190, "Error validating access token: Session has expired.", 463)
        if self.script.get(path):
            return self.script[path].pop(0)
        if path == "me/threads":
            return self._list(request)
        if path.endswith("/insights"):
            return self._insights(path.split("/")[0], request)
        if path == "me/threads_insights":
            return self._user(request)
        return _error(400, 100, "Unsupported get request.")

    def _json(self, body, headers=None):
        return Response(json.dumps(body), 200, headers or {}, content_type="application/json")

    def _list(self, request):
        since, until = int(request.args["since"]), int(request.args["until"])
        inside = [
            p
            for p in self.posts
            if since <= datetime.strptime(p[1], "%Y-%m-%dT%H:%M:%S%z").timestamp() < until
        ]
        start = int(request.args.get("after", 0))
        chunk = inside[start : start + self.page]
        body = {
            "data": [
                {
                    "id": i,
                    "media_product_type": "THREADS",
                    "media_type": kind,
                    "text": text,
                    "timestamp": ts,
                    "permalink": f"https://www.threads.net/@lumi/post/{i}",
                    "shortcode": i,
                    "is_quote_post": False,
                }
                for i, ts, kind, text, _ in chunk
            ]
        }
        cursors = {"before": str(start)}
        if start + self.page < len(inside):
            cursors["after"] = str(start + self.page)
        body["paging"] = {"cursors": cursors}  # no next: Threads documents cursors only
        return self._json(body)

    def _insights(self, media, request):
        found = {p[0]: p for p in self.posts}.get(media)
        if found is None or found[4] is None:
            return self._json({"data": []})  # a repost of another user's post
        names = request.args["metric"].split(",")
        values = dict(
            zip(["views", "likes", "replies", "reposts", "quotes", "shares"], found[4], strict=True)
        )
        return self._json(
            {
                "data": [
                    {
                        "name": n,
                        "period": "lifetime",
                        "values": [{"value": values[n]}],
                        "title": n.title(),
                        "description": "",
                        "id": f"{media}/insights/{n}/lifetime",
                    }
                    for n in names
                ]
            }
        )

    def _user(self, request):
        metric = request.args["metric"]
        if metric == "views":
            days = [date(2026, 10, 30), date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)]
            values = [
                {"value": 10 * (n + 1), "end_time": f"{d + timedelta(days=1)}T07:00:00+0000"}
                for n, d in enumerate(days)
            ]  # the last day ends after the pull: not over yet
            return self._json(
                {
                    "data": [
                        {
                            "name": "views",
                            "period": "day",
                            "values": values,
                            "title": "views",
                            "description": "",
                            "id": f"{USER}/insights/views/day",
                        }
                    ]
                }
            )
        if metric == "followers_count":
            return self._json(
                {
                    "data": [
                        {
                            "name": "followers_count",
                            "period": "day",
                            "total_value": {"value": self.followers},
                            "title": "followers_count",
                            "description": "",
                            "id": f"{USER}/insights/followers_count/day",
                        }
                    ]
                }
            )
        breakdown = request.args.get("breakdown")
        if breakdown == "city":
            return _error(400, 100, "(#100) Insufficient followers for this breakdown")
        results = {
            "age": [("18-24", 30), ("25-34", 70)],
            "gender": [("F", 60), ("M", 40)],
            "country": [("TW", 90), ("HK", 10)],
        }[breakdown]
        return self._json(
            {
                "data": [
                    {
                        "name": "follower_demographics",
                        "period": "day",
                        "title": "follower_demographics",
                        "description": "",
                        "id": f"{USER}/insights/follower_demographics/day",
                        "total_value": {
                            "breakdowns": [
                                {
                                    "dimension_keys": [breakdown],
                                    "results": [
                                        {"dimension_values": [k], "value": v} for k, v in results
                                    ],
                                }
                            ]
                        },
                    }
                ]
            }
        )


@pytest.fixture
def api(httpserver, monkeypatch, tmp_path):
    fake = FakeThreads()
    httpserver.expect_request(re.compile("^/")).respond_with_handler(fake)
    monkeypatch.setenv("SOCIALKPI_THREADS_URL", httpserver.url_for("/v1.0"))
    monkeypatch.setenv("SOCIALKPI_CREDENTIALS", str(tmp_path / "home" / "credentials.json"))
    return fake


def _connection(brand="lumi_tea", token=TOKEN):
    return credentials.Connection(
        brand, "threads", USER, credentials.Token(token), "app", ("threads_basic",)
    )


def _pull(con, tmp_path, connection=None, sleep=None):
    waits = []
    result = pull_one(
        con,
        connection or _connection(),
        tmp_path / "landing",
        date(2026, 10, 1),
        date(2026, 10, 31),
        NOW,
        sleep or waits.append,
    )
    return result, waits


def test_a_pull_stores_posts_with_their_parts_and_the_days_snapshots(con, api, tmp_path):
    result, _ = _pull(con, tmp_path)
    assert result.status == "pulled", result.error
    posts = store.read(con, "posts").set_index("post_id")
    assert sorted(posts.index) == ["18001", "18002", "18003"]  # the repost is not the brand's
    first = posts.loc["18001"]
    assert (
        first.views,
        first.reactions,
        first.comments,
        first.reposts,
        first.quotes,
        first.shares,
    ) == (900, 10, 3, 2, 1, 4)
    assert first.content_type == "text" and first.snapshot_date == pd.Timestamp("2026-11-02")
    assert posts.loc["18003", "content_type"] == "video"
    daily = store.read(con, "account_daily").set_index("date")
    assert daily.loc[pd.Timestamp("2026-11-02"), "followers"] == 1234  # today's snapshot
    # a day's views end at 07:00 UTC the next day: at 03:00 UTC on Nov 2, Nov 1 (and Nov 2)
    # are still running, so they are not stored
    assert daily["profile_visits"].dropna().to_dict() == {
        pd.Timestamp("2026-10-30"): 10,
        pd.Timestamp("2026-10-31"): 20,
    }
    said = " ".join(w for r in result.imports for w in r.warnings)
    assert "2 day(s) of profile views not over when pulled: not stored" in said
    audience = store.read(con, "audience").set_index(["dimension", "segment"])
    assert audience.loc[("gender", "female"), "share"] == pytest.approx(0.6)
    assert audience.loc[("country", "TW"), "count"] == 90
    assert "city" not in set(audience.index.get_level_values(0))  # under 100 followers: skipped


def test_a_threads_posts_engagements_are_the_sum_of_its_parts(con, api, tmp_path):
    from socialkpi.metrics import kpi

    _pull(con, tmp_path)
    store.set_brand(con, "lumi_tea", "Asia/Taipei")
    report = kpi.kpi_report(con, "lumi_tea", "2026-10", ["threads"], ["engagements"])
    value = report[(report["platform"] == "threads")]["value"].iloc[0]
    # likes + replies + reposts + quotes + shares: (10+3+2+1+4) + (5+1+0+0+1) + (30+6+4+2+8)
    assert value == 20 + 7 + 50


def test_cursor_paging_reads_every_page(con, api, tmp_path):
    _pull(con, tmp_path)
    assert api.seen.count("me/threads") == 2  # 3 posts of October, two a page


def test_throttling_waits_as_told_then_goes_on(con, api, tmp_path):
    api.script["18001/insights"] = [
        Response("{}", 429, {"Retry-After": "7"}),
        _error(400, 4, "(#4) Application request limit reached"),
    ]
    usage = json.dumps({"call_count": 97, "total_cputime": 10, "total_time": 12})
    body = json.dumps(
        {"data": [{"name": "followers_count", "period": "day", "total_value": {"value": 1234}}]}
    )
    api.script["me/threads_insights"] = [
        Response(body, 200, {"X-App-Usage": usage}, content_type="application/json")
    ]
    result, waits = _pull(con, tmp_path)
    assert result.status == "pulled", result.error
    assert waits[0] == 7  # Retry-After, in seconds
    assert waits[1] == 10  # no Retry-After: a backoff (5 s, doubled on the second try)
    assert 60 in waits  # the usage header said 97% of the allowance is spent


def test_an_expired_token_stops_that_connection_and_the_others_run(con, api, tmp_path):
    bad, _ = _pull(con, tmp_path, _connection("northwind_cloud", token="THAAG-revoked"))
    good, _ = _pull(con, tmp_path)
    assert (
        bad.status == "failed"
        and "reconnect with `socialkpi connect threads --brand northwind_cloud`" in bad.error
    )
    assert "THAAG-revoked" not in bad.error
    assert good.status == "pulled"
    assert set(store.read(con, "posts")["brand"]) == {"lumi_tea"}


def test_a_pull_that_breaks_midway_changes_nothing(con, api, tmp_path):
    api.script["18002/insights"] = [_error(500, 2, "An unexpected error has occurred.")]
    result, _ = _pull(con, tmp_path)
    assert result.status == "failed" and "unexpected error" in result.error
    assert store.read(con, "posts").empty and store.read(con, "account_daily").empty
    assert not (tmp_path / "landing").exists() or not any((tmp_path / "landing").rglob("*.json"))


def test_pulling_twice_gives_the_same_store(con, api, tmp_path):
    _pull(con, tmp_path)
    before = {t: store.read(con, t) for t in ("posts", "account_daily", "audience")}
    _pull(con, tmp_path)
    for table, frame in before.items():
        pd.testing.assert_frame_equal(frame, store.read(con, table))


def test_an_empty_month_pulls_snapshots_and_no_posts(con, api, tmp_path):
    api.posts = []
    result, _ = _pull(con, tmp_path)
    assert result.status == "pulled", result.error
    assert store.read(con, "posts").empty
    assert store.read(con, "account_daily")["followers"].dropna().tolist() == [1234]


def test_the_token_is_in_no_file_the_run_writes(con, api, tmp_path):
    """Landing files, the store and the CLI's output hold no token (the credentials file is the
    one place it lives, readable by its owner only)."""
    import os
    import stat

    path = credentials.path()
    credentials.save(path, _connection())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert repr(_connection()).count(TOKEN) == 0 and "Token(****)" in repr(_connection().token)
    result, _ = _pull(con, tmp_path)
    con.execute("CHECKPOINT")
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != path]
    assert written, "the run wrote nothing"
    for file in written:
        assert TOKEN.encode() not in file.read_bytes(), file
    landing = [json.loads(p.read_text("utf-8")) for p in result.folder.glob("*.json")]
    assert all(
        "access_token" not in call["request"]["params"]
        for item in landing
        for call in item["calls"]
    )


def test_replay_imports_a_landing_folder_without_the_network(con, api, tmp_path, capsys):
    from socialkpi.cli import main

    result, _ = _pull(con, tmp_path)
    db = tmp_path / "replayed.duckdb"
    code = main(["pull", "--brand", "lumi_tea", "--replay", str(result.folder), "--db", str(db)])
    assert code == 0, capsys.readouterr()
    replayed = store.open_store(db, read_only=True)
    try:
        assert sorted(store.read(replayed, "posts")["post_id"]) == ["18001", "18002", "18003"]
    finally:
        replayed.close()


def test_connect_and_connections_never_print_the_token(api, monkeypatch, capsys):
    from socialkpi.cli import main

    monkeypatch.setenv("THREADS_TOKEN", TOKEN)
    assert (
        main(
            [
                "connect",
                "threads",
                "--brand",
                "lumi_tea",
                "--account-id",
                USER,
                "--token-env",
                "THREADS_TOKEN",
                "--scopes",
                "threads_basic,threads_manage_insights",
                "--expires",
                "2026-12-31",
            ]
        )
        == 0
    )
    assert main(["connections", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert TOKEN not in out
    listed = json.loads(out[out.index("[") :])
    assert listed == [
        {
            "brand": "lumi_tea",
            "platform": "threads",
            "account_id": USER,
            "app_id": "",
            "scopes": ["threads_basic", "threads_manage_insights"],
            "expires": "2026-12-31",
        }
    ]
