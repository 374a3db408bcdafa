"""The KPI engine on a tiny store whose every expected number was worked out by hand."""

import json

import numpy as np
import pandas as pd
import pytest

from socialkpi import store
from socialkpi.cli import main
from socialkpi.metrics import kpi
from socialkpi.metrics.periods import parse_period

UTC = "UTC"


def _ts(text):
    return pd.Timestamp(text, tz=UTC)


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.duckdb"
    con = store.open_store(path)
    store.set_brand(con, "t", "Asia/Taipei", engagement_rate="engagement_rate_exposure")
    posts = pd.DataFrame(
        [
            # f1 twice: the older snapshot must lose
            (
                "facebook",
                "f1",
                "2026-10-10",
                _ts("2026-10-05 02:00"),
                50,
                None,
                60,
                2,
                0,
                0,
                None,
                1,
                0,
            ),
            (
                "facebook",
                "f1",
                "2026-10-31",
                _ts("2026-10-05 02:00"),
                100,
                None,
                150,
                8,
                1,
                1,
                None,
                5,
                2,
            ),
            # f2: 2026-09-30 20:00 UTC is 2026-10-01 04:00 in Taipei
            (
                "facebook",
                "f2",
                "2026-10-31",
                _ts("2026-09-30 20:00"),
                200,
                None,
                300,
                10,
                2,
                0,
                None,
                3,
                0,
            ),
            (
                "facebook",
                "f3",
                "2026-10-31",
                _ts("2026-09-10 03:00"),
                400,
                None,
                500,
                20,
                0,
                4,
                None,
                6,
                0,
            ),
            (
                "linkedin",
                "l1",
                "2026-10-31",
                _ts("2026-10-07 01:00"),
                None,
                1000,
                None,
                30,
                5,
                5,
                None,
                10,
                0,
            ),
            (
                "linkedin",
                "l2",
                "2026-10-31",
                _ts("2026-09-15 01:00"),
                None,
                500,
                None,
                10,
                0,
                0,
                None,
                5,
                0,
            ),
        ],
        columns=[
            "platform",
            "post_id",
            "snapshot_date",
            "published_at",
            "reach",
            "impressions",
            "views",
            "reactions",
            "comments",
            "shares",
            "saves",
            "clicks",
            "link_clicks",
        ],
    ).assign(brand="t")
    store.upsert(con, "posts", posts)
    daily = pd.DataFrame(
        [
            ("facebook", "2026-09-30", 1000, None, None),
            ("facebook", "2026-10-15", 1030, 40, 10),
            ("facebook", "2026-10-31", 1050, 25, 5),
            ("linkedin", "2026-10-03", None, 7, None),
        ],
        columns=["platform", "date", "followers", "follower_gains", "follower_losses"],
    ).assign(brand="t")
    store.upsert(con, "account_daily", daily)
    web = pd.DataFrame(
        [
            ("2026-10-02", "m.facebook.com / referral", 100, 4, 400.0),
            ("2026-10-03", "lnkd.in / referral", 50, 1, 0.0),
            ("2026-10-03", "google / organic", 999, 99, 9999.0),
            ("2026-09-02", "m.facebook.com / referral", 80, 2, 100.0),
        ],
        columns=["date", "source_medium", "sessions", "key_events", "revenue"],
    ).assign(brand="t")
    store.upsert(con, "web_sessions", web)
    comments = pd.DataFrame(
        [
            ("facebook", "c1", _ts("2026-10-02 00:00"), _ts("2026-10-02 02:00"), False, "positive"),
            ("facebook", "c2", _ts("2026-10-03 00:00"), _ts("2026-10-03 10:00"), False, "negative"),
            ("facebook", "c3", _ts("2026-10-04 00:00"), pd.NaT, False, "neutral"),
            ("facebook", "r1", _ts("2026-10-02 02:00"), pd.NaT, True, "positive"),
            ("linkedin", "c4", _ts("2026-10-05 00:00"), _ts("2026-10-05 01:00"), False, "positive"),
        ],
        columns=[
            "platform",
            "comment_id",
            "created_at",
            "replied_at",
            "is_brand_reply",
            "sentiment_label",
        ],
    ).assign(brand="t")
    store.upsert(con, "comments", comments)
    rivals = pd.DataFrame(
        [("Rival", "facebook", "2026-10-05", 28)],
        columns=["competitor", "platform", "date", "engagements"],
    ).assign(brand="t")
    store.upsert(con, "competitors", rivals)
    yield con, path
    con.close()


def _values(con, **kw):
    report = kpi.kpi_report(con, "t", "2026-10", **kw)
    return report.set_index(["platform", "kpi"])["value"], report


def test_posts_cut_in_brand_time_zone_and_latest_snapshot(tiny):
    con, _ = tiny
    v, _ = _values(con)
    assert v[("facebook", "posts_published")] == 2  # f1 and f2 (Taipei)
    assert v[("facebook", "reach")] == 300  # 100 (latest f1) + 200
    utc, _ = _values(con, timezone="UTC")
    assert utc[("facebook", "posts_published")] == 1 and utc[("facebook", "reach")] == 100


def test_engagement_rates_and_platform_parts(tiny):
    con, _ = tiny
    v, report = _values(con)
    assert v[("facebook", "engagements")] == 22  # 8+1+1 + 10+2+0
    assert v[("linkedin", "engagements")] == 50  # LinkedIn counts clicks: 30+5+5+10
    assert v[("all", "engagements")] == 72
    assert v[("facebook", "engagement_rate_reach")] == pytest.approx(22 / 300)
    assert np.isnan(v[("linkedin", "engagement_rate_reach")])
    assert v[("all", "engagement_rate_reach")] == pytest.approx(22 / 300)  # LinkedIn has no reach
    assert v[("facebook", "engagement_rate_exposure")] == pytest.approx(22 / 450)  # views
    assert v[("linkedin", "engagement_rate_exposure")] == pytest.approx(50 / 1000)  # impressions
    assert v[("all", "engagement_rate_exposure")] == pytest.approx(72 / 1450)
    _, _, exposure = kpi.period_totals(con, "t", [parse_period("2026-10")], "Asia/Taipei")
    assert exposure == {"facebook": "views", "linkedin": "impressions"}
    basis = report.set_index(["platform", "kpi"])["exposure_basis"]
    assert basis[("all", "engagement_rate_exposure")] == "impressions+views"
    # the brand chose exposure: reported as engagement_rate
    assert v[("all", "engagement_rate")] == v[("all", "engagement_rate_exposure")]
    definition = report.set_index(["platform", "kpi"])["definition"]
    assert definition[("all", "engagement_rate")] == "engagement_rate_exposure"
    assert definition[("all", "reach")] == "reach"
    assert kpi.rate_definition(report) == "engagement_rate_exposure"


def test_followers_and_growth(tiny):
    con, _ = tiny
    v, _ = _values(con)
    assert v[("facebook", "followers")] == 1050
    assert v[("facebook", "net_follower_growth")] == 50
    assert v[("facebook", "follower_growth_rate")] == pytest.approx(0.05)
    assert v[("linkedin", "net_follower_growth")] == 7 and np.isnan(
        v[("linkedin", "follower_growth_rate")]
    )
    assert v[("all", "net_follower_growth")] == 57
    assert v[("facebook", "engagement_rate_followers")] == pytest.approx(22 / (2 * 1050))


def test_web_comments_and_share_of_voice(tiny):
    con, _ = tiny
    v, _ = _values(con)
    assert v[("all", "social_sessions")] == 150  # google / organic is not social
    assert v[("all", "conversion_rate")] == pytest.approx(5 / 150)
    assert v[("facebook", "revenue")] == 400
    assert v[("all", "mention_volume")] == 4  # the brand's reply is not a mention
    assert v[("facebook", "response_rate")] == pytest.approx(2 / 3)
    assert v[("all", "response_rate")] == pytest.approx(3 / 4)
    assert v[("facebook", "response_time_median")] == pytest.approx(6.0)  # 2 h and 10 h
    assert v[("facebook", "response_time_p90")] == pytest.approx(9.2)
    assert v[("all", "response_time_median")] == pytest.approx(2.0)  # pooled 1, 2, 10
    assert v[("all", "response_time_p90")] == pytest.approx(8.4)
    assert v[("all", "net_sentiment")] == pytest.approx(1 / 3)
    assert v[("all", "net_sentiment_all")] == pytest.approx(1 / 4)
    assert v[("all", "negative_share")] == pytest.approx(1 / 4)
    assert v[("facebook", "share_of_voice")] == pytest.approx(22 / 50)
    assert v[("all", "share_of_voice")] == pytest.approx(22 / 50)


def test_previous_period_comparison(tiny):
    con, _ = tiny
    _, report = _values(con)
    row = report.set_index(["platform", "kpi"]).loc[("facebook", "engagement_rate_reach")]
    assert row["previous"] == pytest.approx(24 / 400)  # September: f3 only
    assert row["change"] == pytest.approx(22 / 300 - 24 / 400)
    assert row["assessment"] == "within"  # an id; the catalogue says it in words


def test_cli_kpi_json_keys_are_kpi_ids(tiny, capsys):
    con, path = tiny
    con.close()  # the CLI opens the file read-only, as its own process would
    assert (
        main(
            [
                "kpi",
                "--brand",
                "t",
                "--month",
                "2026-10",
                "--kpi",
                "reach",
                "engagement_rate",
                "--format",
                "json",
                "--db",
                str(path),
                "--platform",
                "facebook",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"reach", "engagement_rate", "engagement_rate_exposure"}
    assert out["reach"]["value"] == 300
    assert out["engagement_rate"]["exposure_basis"] == "views"


def test_cli_kpi_table_in_zh_tw_and_unknown_brand(tiny, capsys):
    con, path = tiny
    con.close()
    assert (
        main(["kpi", "--brand", "t", "--month", "2026-10", "--lang", "zh-TW", "--db", str(path)])
        == 0
    )
    out = capsys.readouterr().out
    assert "觸及人數" in out and "互動率（依曝光或瀏覽） *" in out
    assert main(["kpi", "--brand", "nobody", "--month", "2026-10", "--db", str(path)]) == 2
    assert "unknown brand 'nobody'" in capsys.readouterr().err


def test_cli_kpi_for_a_month_without_data_says_so(tiny, capsys):
    con, path = tiny
    con.close()
    assert main(["kpi", "--brand", "t", "--month", "2015-09", "--db", str(path)]) == 1
    assert "no data for t in 2015-09" in capsys.readouterr().err


def test_cli_metrics_lists_the_dictionary(capsys):
    assert main(["metrics", "--lang", "zh-TW"]) == 0
    out = capsys.readouterr().out
    assert "互動率（依觸及）" in out and "回應率" in out


def test_per_post_rate_variants(tiny):
    con, _ = tiny
    v = kpi.rate_variants(con, "t", "2026-10", "engagement_rate_exposure").set_index("platform")
    # facebook posts: f1 10/150, f2 12/300 -> ratio of sums 22/450, mean (0.0667 + 0.04) / 2
    assert v.loc["facebook", "ratio_of_sums"] == pytest.approx(22 / 450)
    assert v.loc["facebook", "mean_of_ratios"] == pytest.approx((10 / 150 + 12 / 300) / 2)
    assert v.loc["facebook", "median"] == pytest.approx((10 / 150 + 12 / 300) / 2)
    # all: f1, f2 and l1 (50/1000) -> median is the middle per-post rate, 0.05
    assert v.loc["all", "median"] == pytest.approx(0.05) and v.loc["all", "posts"] == 3
    with pytest.raises(ValueError, match="no per-post variants"):
        kpi.rate_variants(con, "t", "2026-10", "followers")
