import numpy as np
import pandas as pd
import pytest

from socialkpi.metrics import content


def _posts():
    return pd.DataFrame(
        {
            "platform": ["facebook", "linkedin", "tiktok", "facebook"],
            "post_id": ["a", "b", "c", "d"],
            # a: 2026-10-05 10:00 UTC = 18:00 Taipei (Monday); c: TikTok date only (local midnight)
            "published_at": pd.to_datetime(
                ["2026-10-05 10:00", "2026-10-06 01:00", "2026-10-06 16:00", "2026-10-05 10:30"],
                utc=True,
            ),
            "content_type": ["image", "text", "video", "reel"],
            "caption": ["#新品上市 好喝", "Cloud tips", "#ASMR tea", None],
            "reach": [100, np.nan, np.nan, 0],
            "impressions": [np.nan, 1000, np.nan, np.nan],
            "views": [150, np.nan, 400, 50],
            "reactions": [8, 30, 50, 1],
            "comments": [1, 5, 2, 0],
            "shares": [1, 5, 3, 0],
            "saves": [np.nan, np.nan, np.nan, np.nan],
            "clicks": [5, 10, np.nan, 1],
            "link_clicks": [2, 0, np.nan, 0],
        }
    )


def test_per_post_kpis():
    p = content.with_post_kpis(
        _posts(), {"facebook": "views", "tiktok": "views", "linkedin": "impressions"}
    )
    assert p["engagements"].tolist() == [10, 50, 55, 1]  # LinkedIn adds its 10 clicks
    assert p["exposure"].tolist() == [150, 1000, 400, 50]
    assert p["engagement_rate_reach"].iloc[0] == pytest.approx(0.1)
    assert np.isnan(p["engagement_rate_reach"].iloc[3])  # reach 0: undefined, not inf
    assert p["topic"].tolist() == ["新品上市", "(none)", "ASMR", "(none)"]
    assert (p["weekday"].iloc[0], p["hour"].iloc[0]) == ("Monday", 18)
    assert pd.isna(p["hour"].iloc[2])  # TikTok gives a date only


def test_distribution_median_beside_mean():
    d = content.distribution(pd.DataFrame({"x": [1, 2, 3, 4, 100]}), "x")
    assert (d["posts"], d["mean"], d["median"], d["p25"], d["p75"]) == (5, 22, 3, 2, 4)
    assert d["p90"] == pytest.approx(61.6)  # 4 + 0.6 * (100 - 4)


def test_top_and_bottom_posts():
    p = content.with_post_kpis(
        _posts(), {"facebook": "views", "tiktok": "views", "linkedin": "impressions"}
    )
    top = content.top_posts(p, "engagements", n=2)
    assert top["post_id"].tolist() == ["c", "b"]
    assert top["vs_median"].iloc[0] == pytest.approx(55 / 30)  # median of 10, 50, 55, 1 is 30
    assert content.top_posts(p, "engagements", n=1, bottom=True)["post_id"].tolist() == ["d"]


def test_a_post_dated_without_a_time_never_lands_in_an_hour_bucket(load, con):
    """LinkedIn's content workbook gives dates only; Meta gives a time; X's content export
    gives a date, and the post id carries the time."""
    from socialkpi import store

    for fixture in (
        "good/linkedin_content_1761955200000.xlsx",
        "good/meta_facebook_posts.csv",
        "good/x_account_analytics_content_2026-09-01_2026-09-30.csv",
    ):
        assert load(fixture).status == "imported"
    stored = store.read(con, "posts", latest=True).set_index("platform")["time_known"]
    assert not stored.loc[["linkedin"]].any() and stored.loc[["facebook", "x"]].all()
    posts = content.with_post_kpis(store.read(con, "posts", latest=True), {}, "Asia/Taipei")
    dated = posts[posts["platform"] == "linkedin"]
    assert len(dated) and dated["hour"].isna().all() and dated["weekday"].isna().all()
    timed = posts[posts["platform"] != "linkedin"]
    assert timed["hour"].notna().all()
    meta = posts[posts["platform"] == "facebook"].iloc[0]
    assert (meta["hour"], meta["weekday"]) == (21, "Monday")  # 11/10/2025 21:00, Taipei
    by_hour = content.performance(posts.dropna(subset=["hour"]), "engagements", ["hour"])
    assert by_hour["posts"].sum() == len(timed) and 0 not in set(by_hour["hour"])  # no "hour 0"


def test_posts_imported_before_time_known_fall_back_to_the_platform():
    old = _posts()  # no time_known column, as in a store imported before it
    p = content.with_post_kpis(old, {}, "Asia/Taipei")
    assert pd.isna(p["hour"].iloc[2]) and p["hour"].iloc[0] == 18  # TikTok at local midnight


def test_hashtags_differing_in_case_or_width_are_one_topic():
    captions = pd.Series(
        ["#Tea time", "#tea", "#ＴＥＡ!", "#Coffee", "#RStats", "#rstats", "#rstats"]
    )
    topics = content.topic_of(captions).tolist()
    # one of each spelling of tea: the alphabetically first; rstats: the spelling used twice
    assert topics == ["Tea", "Tea", "Tea", "Coffee", "rstats", "rstats", "rstats"]


def test_a_brand_outside_taipei_sees_its_own_local_times(load, con):
    """New York brand. X writes UTC: 2019-03-01 01:30 +0000 is Thursday 20:30 in New York
    (EST, UTC-5). Meta writes the brand's wall clock: 11/10/2025 21:00 in New York is
    2025-11-11 02:00 UTC (EST since Nov 2), and shows as Monday 21:00 again."""
    from socialkpi import store

    zone = "America/New_York"
    load("good/tweet_activity_metrics_acme_20190301_20190331_en.csv", timezone=zone)
    load("good/meta_facebook_posts.csv", timezone=zone)
    assert store.brand_timezones(con) == {"acme": zone}
    posts = store.read(con, "posts", latest=True).set_index("post_id")
    assert posts.loc["6157100000001_1001", "published_at"] == pd.Timestamp(
        "2025-11-11 02:00", tz="UTC"
    )
    local = content.with_post_kpis(posts.reset_index(), {}, zone).set_index("post_id")
    tweet = local.loc["1101000000000000001"]
    assert (tweet["hour"], tweet["weekday"]) == (20, "Thursday")
    meta = local.loc["6157100000001_1001"]
    assert (meta["hour"], meta["weekday"]) == (21, "Monday")
