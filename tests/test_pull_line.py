"""Pulling a LINE Official Account from a fake Messaging API on 127.0.0.1 (pytest-httpserver).
Every response shape follows LINE's published reference,
developers.line.biz/en/reference/messaging-api/: "Get number of followers" and "Get number of
message deliveries" (``status`` ready / unready, dates yyyyMMdd in UTC+9, absent send types),
"Get friend demographics" (percentages, ``from50`` beside the finer bands since 2024-09-05),
"Get user interaction statistics" (``null`` under 20 users), "Get statistics per unit",
"Get name list of units used this month" (``next`` / ``start``), "Get number of sent messages
this month", the error responses (401 with ``Authentication failed due to the following
reason: invalid token ...`` as in LINE's Go SDK test; 429 ``The API rate limit has been
exceeded. Try again later.``) and the rate-limit table (60 requests per hour per insight
endpoint). No test reaches the internet, and no file a run writes holds the token."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from werkzeug import Response

from socialkpi import store
from socialkpi.connectors import credentials
from socialkpi.connectors.pull import pull_one

TOKEN = "line-channel-token-0123456789abcdef"
# LINE day -> (followers, targetedReaches, blocks); Oct 31 is not counted yet (unready)
FRIENDS = {
    date(2026, 10, 28): (1000, 800, 40),
    date(2026, 10, 29): (1010, 806, 42),
    date(2026, 10, 30): (1030, 820, 60),
}
DELIVERIES = {  # LINE day -> the send types sent that day (others absent, as LINE writes)
    date(2026, 10, 28): {"broadcast": 950, "chat": 12},
    date(2026, 10, 29): {"autoResponse": 30, "apiReply": 8},
    date(2026, 10, 30): {"targeting": 400, "apiPush": 25},
}
NOW = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # Nov 1, 01:00 in UTC+9: Oct 31 is over
REQUEST_OPENED = "f70dd685-499a-4231-a441-f24b8d4fba21"
REQUEST_SMALL = "a425a5cd-6510-43fe-95be-a27f222e5dc0"


def _json(body, status=200, headers=None):
    return Response(json.dumps(body), status, headers or {}, content_type="application/json")


def _day(request) -> date:
    return datetime.strptime(request.args["date"], "%Y%m%d").date()


class FakeLine:
    """One LINE Official Account behind the documented insight endpoints."""

    def __init__(self, token=TOKEN):
        self.token = token
        self.seen: list[str] = []
        self.script: dict[str, list] = {}  # path -> responses to give before the real one

    def __call__(self, request):
        path = request.path.lstrip("/")
        self.seen.append(f"{path}?{request.query_string.decode()}")
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _json(
                {
                    "message": "Authentication failed due to the following reason: invalid "
                    "token. Confirm that the access token in the authorization header is valid."
                },
                401,
            )
        if self.script.get(path):
            return self.script[path].pop(0)
        handler = {
            "v2/bot/insight/followers": self._followers,
            "v2/bot/insight/message/delivery": self._delivery,
            "v2/bot/insight/demographic": self._demographic,
            "v2/bot/message/quota/consumption": lambda r: _json({"totalUsage": 1375}),
            "v2/bot/message/aggregation/list": self._units,
            "v2/bot/insight/message/event/aggregation": self._unit_stats,
            "v2/bot/insight/message/event": self._message,
        }.get(path)
        return handler(request) if handler else _json({"message": "Not found"}, 404)

    def _followers(self, request):
        found = FRIENDS.get(_day(request))
        if found is None:
            return _json(
                {"status": "unready", "followers": None, "targetedReaches": None, "blocks": None}
            )
        followers, targeted, blocks = found
        return _json(
            {
                "status": "ready",
                "followers": followers,
                "targetedReaches": targeted,
                "blocks": blocks,
            }
        )

    def _delivery(self, request):
        found = DELIVERIES.get(_day(request))
        return _json({"status": "unready"} if found is None else {"status": "ready", **found})

    def _demographic(self, request):
        return _json(
            {
                "available": True,
                "genders": [
                    {"gender": "female", "percentage": 61.5},
                    {"gender": "male", "percentage": 30.5},
                    {"gender": "unknown", "percentage": 8.0},
                ],
                "ages": [
                    {"age": "from20to24", "percentage": 40.0},
                    {"age": "from50", "percentage": 10.0},  # the 50+ total of the next two
                    {"age": "from50to54", "percentage": 6.0},
                    {"age": "from70", "percentage": 4.0},
                    {"age": "unknown", "percentage": 50.0},
                ],
                "areas": [
                    {"area": "台北市", "percentage": 45.2},
                    {"area": "unknown", "percentage": 54.8},
                ],
                "appTypes": [
                    {"appType": "ios", "percentage": 62.4},
                    {"appType": "android", "percentage": 37.6},
                ],
                "subscriptionPeriods": [
                    {"subscriptionPeriod": "over365days", "percentage": 90.0},
                    {"subscriptionPeriod": "within7days", "percentage": 10.0},
                ],
            }
        )

    def _units(self, request):
        if request.args.get("start") == "jxEWCEEP":
            return _json({"customAggregationUnits": ["promo_b"]})
        return _json({"customAggregationUnits": ["promo_a"], "next": "jxEWCEEP"})

    def _unit_stats(self, request):
        if request.args["customAggregationUnit"] == "promo_b":  # nothing sent in the window
            overview = dict.fromkeys(
                [
                    "uniqueImpression",
                    "uniqueClick",
                    "uniqueMediaPlayed",
                    "uniqueMediaPlayed100Percent",
                ]
            )
            return _json({"overview": overview, "messages": [], "clicks": []})
        return _json(
            {
                "overview": {
                    "uniqueImpression": 40,
                    "uniqueClick": 30,
                    "uniqueMediaPlayed": 25,
                    "uniqueMediaPlayed100Percent": None,
                },
                "messages": [],
                "clicks": [
                    {
                        "seq": 1,
                        "url": "https://example.com/a",
                        "click": 35,
                        "uniqueClick": 25,
                        "uniqueClickOfRequest": None,
                    }
                ],
            }
        )

    def _message(self, request):
        if request.args["requestId"] == REQUEST_SMALL:
            return _json(
                {
                    "overview": {
                        "requestId": REQUEST_SMALL,
                        "timestamp": 1793404800,  # 2026-10-31 00:00 UTC
                        "delivered": 15,
                        "uniqueImpression": None,
                        "uniqueClick": None,
                        "uniqueMediaPlayed": None,
                        "uniqueMediaPlayed100Percent": None,
                    },
                    "messages": [],
                    "clicks": [],
                }
            )
        return _json(
            {
                "overview": {
                    "requestId": REQUEST_OPENED,
                    "timestamp": 1793152800,  # 2026-10-28 02:00 UTC
                    "delivered": 320,
                    "uniqueImpression": 82,
                    "uniqueClick": 51,
                    "uniqueMediaPlayed": None,
                    "uniqueMediaPlayed100Percent": None,
                },
                "messages": [{"seq": 1, "impression": 136, "mediaPlayed": None}],
                "clicks": [
                    {
                        "seq": 1,
                        "url": "https://lumitea.example/autumn",
                        "click": 41,
                        "uniqueClick": 30,
                        "uniqueClickOfRequest": 30,
                    },
                    {
                        "seq": 1,
                        "url": "https://lumitea.example/shop",
                        "click": 12,
                        "uniqueClick": None,
                        "uniqueClickOfRequest": None,
                    },
                ],
            }
        )


class Clock:
    """A clock the client's waits move forward (no test sleeps for real)."""

    def __init__(self):
        self.now, self.waits = 0.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def api(httpserver, monkeypatch, tmp_path):
    fake = FakeLine()
    httpserver.expect_request(re.compile("^/")).respond_with_handler(fake)
    monkeypatch.setenv("SOCIALKPI_LINE_URL", httpserver.url_for("/"))
    monkeypatch.setenv("SOCIALKPI_CREDENTIALS", str(tmp_path / "home" / "credentials.json"))
    return fake


def _connection(brand="lumi_tea", token=TOKEN):
    return credentials.Connection(brand, "line", "@lumitea", credentials.Token(token))


def _pull(con, tmp_path, since=date(2026, 10, 28), until=date(2026, 10, 31), now=NOW, **kw):
    clock = Clock()
    result = pull_one(
        con,
        kw.pop("connection", None) or _connection(),
        tmp_path / "landing",
        since,
        until,
        now,
        clock.sleep,
        messages={REQUEST_OPENED: "秋季新品上市", REQUEST_SMALL: "VIP 試飲邀請"},
        clock=clock,
        **kw,
    )
    return result, clock


def _said(result) -> str:
    return " ".join(w for r in result.imports for w in r.warnings)


def test_friends_and_deliveries_per_line_day_and_unready_days_left_out(con, api, tmp_path):
    result, _ = _pull(con, tmp_path)
    assert result.status == "pulled", result.error
    daily = store.read(con, "account_daily").set_index("date")
    assert list(daily.index) == [pd.Timestamp(f"2026-10-{d}") for d in (28, 29, 30)]
    assert daily.loc[
        pd.Timestamp("2026-10-30"), ["friends", "targeted_reach", "blocks"]
    ].tolist() == [
        1030,
        820,
        60,
    ]
    assert set(daily["platform"]) == {"line"}
    # Oct 31 answered unready: not a row of zeros, and the import says so
    assert "LINE had not finished counting friends for 2026-10-31 (unready)" in _said(result)
    sent = store.read(con, "line_deliveries")
    by_day = sent.groupby(["date", "send_type"])["messages"].sum().to_dict()
    assert by_day == {
        (pd.Timestamp("2026-10-28"), "broadcast"): 950,
        (pd.Timestamp("2026-10-28"), "chat"): 12,
        (pd.Timestamp("2026-10-29"), "auto_response"): 30,
        (pd.Timestamp("2026-10-29"), "api_reply"): 8,
        (pd.Timestamp("2026-10-30"), "targeting"): 400,
        (pd.Timestamp("2026-10-30"), "api_push"): 25,
    }


def test_a_day_is_asked_only_once_it_is_over_in_utc_plus_9(con, api, tmp_path):
    # 23:30 in UTC+9 on Oct 31 (22:30 in Taipei): LINE's Oct 31 is not over, so not asked
    _pull(con, tmp_path, now=datetime(2026, 10, 31, 14, 30, tzinfo=UTC))
    asked = [s for s in api.seen if s.startswith("v2/bot/insight/followers")]
    assert asked[-1].endswith("date=20261030")
    # 00:30 in UTC+9 on Nov 1 is still 23:30 on Oct 31 in Taipei, but LINE's Oct 31 is over
    api.seen.clear()
    _pull(con, tmp_path, now=datetime(2026, 10, 31, 15, 30, tzinfo=UTC))
    asked = [s for s in api.seen if s.startswith("v2/bot/insight/followers")]
    assert asked[-1].endswith("date=20261031")


def test_withheld_counts_stay_unknown_and_are_named(con, api, tmp_path):
    result, _ = _pull(con, tmp_path)
    assert result.status == "pulled", result.error
    messages = store.read(con, "line_messages").set_index("message_id")
    opened = messages.loc[REQUEST_OPENED]
    assert (opened.delivered, opened.unique_impressions, opened.unique_clicks) == (320, 82, 51)
    assert opened.title == "秋季新品上市"
    assert opened.sent_at == pd.Timestamp("2026-10-28 02:00", tz="UTC")
    assert opened.withheld == "unique_media_played,unique_media_completed"
    small = messages.loc[REQUEST_SMALL]
    assert small.delivered == 15  # LINE shows deliveries under 20
    assert pd.isna(small.unique_impressions) and pd.isna(small.unique_clicks)  # never 0
    assert "unique_impressions" in small.withheld
    clicks = store.read(con, "line_clicks").set_index("url")
    assert clicks.loc["https://lumitea.example/autumn", "unique_clicks"] == 30
    assert pd.isna(clicks.loc["https://lumitea.example/shop", "unique_clicks"])


def test_units_are_paged_and_demographics_and_quota_kept(con, api, tmp_path):
    result, _ = _pull(con, tmp_path)
    assert result.status == "pulled", result.error
    assert any("start=jxEWCEEP" in s for s in api.seen)  # the second page of unit names
    units = store.read(con, "line_messages").query("kind == 'unit'").set_index("title")
    assert units.loc["promo_a", "unique_impressions"] == 40
    assert units.loc["promo_a", "period_from"] == pd.Timestamp("2026-10-28")
    assert units.loc["promo_a", "period_to"] == pd.Timestamp("2026-10-31")
    assert pd.isna(units.loc["promo_b", "unique_impressions"])
    audience = store.read(con, "audience").query("platform == 'line'")
    shares = audience.set_index(["dimension", "segment"])["share"]
    assert shares[("gender", "female")] == pytest.approx(0.615)
    assert shares[("city", "Taipei City, Taiwan")] == pytest.approx(0.452)
    assert shares[("device_os", "ios")] == pytest.approx(0.624)
    assert shares[("friendship_length", "0-6 days")] == pytest.approx(0.10)
    # the 50+ total is left out beside its finer bands, and unknown is not an age: the ages
    # add up to the half of the friends whose age LINE knows
    ages = audience.query("dimension == 'age'")
    assert "50+" not in set(ages["segment"]) and "unknown" not in set(ages["segment"])
    assert ages["share"].sum() == pytest.approx(0.5)
    quota = store.read(con, "line_quota")
    assert quota["used"].tolist() == [1375]


def test_sixty_insight_calls_an_hour_at_most(con, api, tmp_path):
    # 35 days: 70 followers and delivery calls, demographics, two units over two spans each
    # (a unit's span is at most 30 days: Sep 27-Oct 26, Oct 27-31) and two messages
    result, clock = _pull(con, tmp_path, since=date(2026, 9, 27), until=date(2026, 10, 31))
    assert result.status == "pulled", result.error
    insight = [s for s in api.seen if s.startswith("v2/bot/insight/")]
    assert len(insight) == 70 + 1 + 2 * 2 + 2
    assert "from=20260927&to=20261026" in " ".join(insight)
    assert len(clock.waits) == 1 and 0 < clock.waits[0] <= 3600  # one wait, before call 61


def test_rate_limited_answers_are_retried_after_a_wait(con, api, tmp_path):
    api.script["v2/bot/insight/demographic"] = [
        _json({"message": "The API rate limit has been exceeded. Try again later."}, 429)
    ]
    result, clock = _pull(con, tmp_path)
    assert result.status == "pulled", result.error
    assert clock.waits and store.read(con, "audience").query("platform == 'line'").shape[0] > 0


def test_an_invalid_token_says_reconnect_and_stores_nothing(con, api, tmp_path):
    result, _ = _pull(con, tmp_path, connection=_connection(token="expired-token-xyz"))
    assert result.status == "failed"
    assert "socialkpi connect line --brand lumi_tea" in result.error
    assert "expired-token-xyz" not in result.error
    assert store.read(con, "account_daily").empty
    assert not (tmp_path / "landing").exists() or not any((tmp_path / "landing").rglob("*.json"))


def test_the_token_is_in_no_file_and_pulling_twice_gives_the_same_store(con, api, tmp_path):
    _pull(con, tmp_path)
    tables = ("account_daily", "line_deliveries", "line_messages", "line_clicks", "audience")
    before = {t: store.read(con, t) for t in tables}
    _pull(con, tmp_path)
    for table, frame in before.items():
        pd.testing.assert_frame_equal(frame, store.read(con, table))
    for path in (tmp_path / "landing").rglob("*"):
        if path.is_file():
            assert TOKEN not in path.read_text("utf-8")


def test_not_yet_counted_days_are_asked_again_on_the_next_pull(con, api, tmp_path):
    _pull(con, tmp_path)
    FRIENDS[date(2026, 10, 31)] = (1031, 821, 61)
    try:
        _pull(con, tmp_path, now=NOW + timedelta(days=1))
    finally:
        del FRIENDS[date(2026, 10, 31)]
    daily = store.read(con, "account_daily").set_index("date")
    assert daily.loc[pd.Timestamp("2026-10-31"), "friends"] == 1031


def test_connect_and_pull_line_from_the_command_line(api, monkeypatch, tmp_path, capsys):
    from socialkpi.cli import main

    monkeypatch.setenv("LINE_TOKEN", TOKEN)
    connect = ["connect", "line", "--brand", "lumi_tea", "--account-id", "@lumitea"]
    assert main([*connect, "--token-env", "LINE_TOKEN"]) == 0
    sent = tmp_path / "sent.csv"
    sent.write_text(f"request_id,title\n{REQUEST_OPENED},秋季新品上市\n", "utf-8")
    db = tmp_path / "pulled.duckdb"
    pull = ["pull", "--brand", "lumi_tea", "--platform", "line", "--db", str(db)]
    window = ["--since", "2026-10-28", "--until", "2026-10-31", "--landing", str(tmp_path / "l")]
    assert main([*pull, *window, "--messages", str(sent)]) == 0
    out = capsys.readouterr().out
    assert "pulled lumi_tea line 2026-10-28..2026-10-31" in out
    assert "note: LINE had not finished counting friends for 2026-10-31 (unready)" in out
    assert TOKEN not in out
    con = store.open_store(db, read_only=True)
    try:
        titles = store.read(con, "line_messages").query("kind == 'message'")["title"]
        assert titles.tolist() == ["秋季新品上市"]
    finally:
        con.close()
    sent.write_text("request_id,title\n,沒有編號\n", "utf-8")
    assert main([*pull, *window, "--messages", str(sent)]) != 0
    assert "row 2: request_id is empty" in capsys.readouterr().err


def test_a_landing_file_of_the_first_version_still_imports(con, tmp_path):
    from socialkpi.ingest import Options, import_paths

    folder = tmp_path / "old"
    folder.mkdir()
    item = {
        "socialkpi_landing": 1,
        "platform": "line",
        "kind": "friends",
        "account_id": "@lumitea",
        "pulled_at": "2026-11-02T02:00:00+00:00",
        "request": {"path": "v2/bot/insight/followers", "params": {"date": "20261030"}},
        "response": {"status": "ready", "followers": 7620, "targetedReaches": 5848, "blocks": 237},
    }
    (folder / "0001-friends.json").write_text(json.dumps(item), "utf-8")
    (result,) = import_paths(con, [folder], Options(brand="lumi_tea"))
    assert result.status != "failed", result.error
    row = store.read(con, "account_daily").iloc[0]
    assert (row.date, row.friends, row.blocks) == (pd.Timestamp("2026-10-30"), 7620, 237)
