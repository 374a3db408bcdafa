"""The competitor benchmark on tiny frames worked by hand, and calibration of its interval."""

import numpy as np
import pandas as pd
import pytest

from socialkpi.metrics import evidence
from socialkpi.steps.competitors import analysis as c

UTC = "UTC"


def _stamp(text):
    return pd.Timestamp(text, tz=UTC)


@pytest.fixture
def frames():
    """Brand b and competitors r1 (snapshots only) and r2 (recorded posts only) on X."""
    snaps = pd.DataFrame(
        [
            ("r1", "x", "2026-09-30", 1000, 4, 400),
            ("r1", "x", "2026-10-31", 1100, 5, 500),
            ("r2", "x", "2026-10-31", 500, None, None),
            ("b", "x", "2026-09-30", 2000, None, None),
            ("b", "x", "2026-10-15", 2050, None, None),
            ("b", "x", "2026-10-31", 2100, None, None),
        ],
        columns=["account", "platform", "date", "followers", "posts", "engagements"],
    ).assign(date=lambda f: pd.to_datetime(f["date"]))
    captured = _stamp("2026-11-01 10:00")
    posts = pd.DataFrame(
        [
            ("r2", "p1", "2026-10-02 12:00", 10, 2, 0, "image"),
            ("r2", "p2", "2026-10-29 12:00", 4, 0, 0, "video"),  # 3 days old when counted
            ("b", "q1", "2026-10-05 00:00", 50, 5, 5, "image"),
            ("b", "q2", "2026-10-10 00:00", 30, 0, 0, "image"),
            ("b", "q3", "2026-10-20 00:00", 90, 6, 4, "video"),
        ],
        columns=[
            "account",
            "post_url",
            "published_at",
            "reactions",
            "comments",
            "shares",
            "content_type",
        ],
    ).assign(
        platform="x",
        published_at=lambda f: pd.to_datetime(f["published_at"]).dt.tz_localize(UTC),
        captured_at=captured,
        views=np.nan,
    )
    return snaps, posts


def _bench(frames, month="2026-10"):
    snaps, posts = frames
    months = c.monthly(snaps, posts, "b", UTC)
    kept, left = c.eligible(posts, "b")
    kept = c.followers_at(snaps, kept)
    return c.benchmark(months, kept, month, 31), left


def test_month_totals_come_from_snapshots_else_recorded_posts(frames):
    months = c.monthly(*frames, "b", UTC).set_index(["account", "month"])
    assert months.loc[("r1", "2026-10"), ["posts", "engagements", "source"]].tolist() == [
        5,
        500,
        "snapshots",
    ]
    # r2: two recorded posts, 12 + 4 engagements, however young
    assert months.loc[("r2", "2026-10"), ["posts", "engagements", "source"]].tolist() == [
        2,
        16,
        "posts",
    ]
    # b: 60 + 30 + 100; followers at the month's last snapshot
    assert months.loc[("b", "2026-10"), ["followers", "posts", "engagements"]].tolist() == [
        2100,
        3,
        190,
    ]


def test_benchmark_by_hand(frames):
    bench, left = _bench(frames)
    x = bench[bench["platform"] == "x"].set_index("account")
    assert left == {"young": 1, "hidden": 0}
    # shares of 10 posts and of 706 engagements; each adds up to 1
    assert x["share_of_posts"].to_dict() == pytest.approx({"b": 0.3, "r1": 0.5, "r2": 0.2})
    assert x.loc["b", "share_of_engagement"] == pytest.approx(190 / 706)
    assert x["share_of_engagement"].sum() == pytest.approx(1)
    assert x.loc["r1", ["follower_growth", "follower_growth_rate"]].tolist() == [100, 0.1]
    assert x.loc["b", "follower_growth_rate"] == pytest.approx(0.05)
    assert pd.isna(x.loc["r2", "follower_growth"])  # no snapshot the month before
    assert x.loc["b", "posts_per_week"] == pytest.approx(3 / (31 / 7))
    # per-post figures: b's three posts; r2's one post old enough
    assert x.loc["b", ["posts_compared", "median", "mean"]].tolist() == pytest.approx(
        [3, 60, 63.3333], abs=1e-3
    )
    assert 30 <= x.loc["b", "low"] <= 60 <= x.loc["b", "high"] <= 100
    assert x.loc["r2", ["posts_compared", "median"]].tolist() == [1, 12]
    assert pd.isna(x.loc["r2", "low"])  # one post has no interval
    # followers on each post's day: 2016.67, 2033.33 (between 30 Sep and 15 Oct), 2065.625
    assert x.loc["b", "engagement_rate"] == pytest.approx(190 / (2016.6667 + 2033.3333 + 2065.625))
    assert x.loc["b", "interpolated"] == 1.0
    assert x.loc["r2", "engagement_rate"] == pytest.approx(12 / 500)  # nearest snapshot
    everything = bench[bench["platform"] == "all"].set_index("account")
    assert everything.loc["b", "share_of_posts"] == pytest.approx(0.3)
    assert bench.iloc[0]["account"] == "b"  # the brand first on each platform


def test_landscape_leaves_the_brand_out(frames):
    bench, _ = _bench(frames)
    x = c.landscape(bench).set_index("platform").loc["x"]
    assert x["followers"] == 800  # (1100 + 500) / 2, b's 2100 not in it
    assert x["share_of_posts"] == pytest.approx(0.35)


def test_engagements_use_the_parts_competitors_show():
    posts = pd.DataFrame(
        {
            "account": ["b", "r", "b", "r"],
            "platform": ["instagram", "instagram", "facebook", "facebook"],
            "reactions": [10, 20, 10, None],
            "comments": [1, 2, 1, 3],
            "shares": [5, None, 5, 4],
        }
    )
    # Instagram: no competitor share counts, so b's 5 shares are left out too;
    # Facebook: r's likes are hidden, so that post has no total
    assert c.engagements(posts, "b").tolist()[:3] == [11, 22, 16]
    assert np.isnan(c.engagements(posts, "b").iloc[3])


def test_capture_age_boundary_is_kept():
    posts = pd.DataFrame(
        {
            "account": ["r", "r"],
            "platform": ["x", "x"],
            "reactions": [1, 1],
            "comments": [0, 0],
            "shares": [0, 0],
            "published_at": [_stamp("2026-10-01 10:00"), _stamp("2026-10-01 10:01")],
            "captured_at": [_stamp("2026-10-08 10:00")] * 2,
        }
    )
    kept, left = c.eligible(posts, "b", min_age_days=7)
    assert len(kept) == 1 and left == {"young": 1, "hidden": 0}  # 7 days exactly; a minute less


def test_breakout_needs_history_and_the_factor():
    posts = pd.DataFrame(
        {
            "account": ["r"] * 6,
            "platform": ["x"] * 6,
            "published_at": pd.date_range("2026-10-01", periods=6, tz=UTC),
            "engagements": [100, 10, 10, 10, 10, 30],
        }
    )
    out = c.breakouts(posts)
    # the first five have fewer than five posts before them; the sixth: median(100,10,10,10,10)=10
    assert out["baseline"].isna().tolist() == [True] * 5 + [False]
    assert out["breakout"].tolist() == [False] * 5 + [True]  # 30 >= 3 x 10


def test_compare_names_only_separate_intervals():
    bench = pd.DataFrame(
        {
            "account": ["b", "r1", "r2", "r3"],
            "platform": ["x"] * 4,
            "is_brand": [True, False, False, False],
            "median": [50, 20, 45, 90],
            "low": [40, 10, 30, 65],  # r2 overlaps b; r3 starts above b's 60
            "high": [60, 35, 70, 120],
        }
    )
    out = c.compare(bench)
    assert out[["competitor", "direction"]].values.tolist() == [["r1", "leads"], ["r3", "trails"]]


def test_share_of_voice_adds_up_each_month(frames):
    voice = c.share_of_voice(c.monthly(*frames, "b", UTC))
    for _, month in voice.groupby("month"):
        assert month["share_of_posts"].sum() == pytest.approx(1)
        assert month["share_of_engagement"].sum() == pytest.approx(1)


def test_format_mix_shares():
    _, posts = (None, None)
    posts = pd.DataFrame(
        {"account": ["r"] * 3, "platform": ["x"] * 3, "content_type": ["video", "image", "image"]}
    )
    mix = c.format_mix(posts).set_index("content_type")["share"]
    assert mix.to_dict() == pytest.approx({"image": 2 / 3, "video": 1 / 3})


def test_median_interval_covers_the_true_median_about_95_in_100():
    """Calibration: skewed samples (lognormal, true median 100) of 40 posts."""
    rng = np.random.default_rng(7)
    hits = 0
    sims = 400
    for i in range(sims):
        sample = rng.lognormal(np.log(100), 1.0, size=40)
        _, lo, hi = evidence.median_interval(sample, seed=i, resamples=1000)
        hits += lo <= 100 <= hi
    assert 0.91 <= hits / sims <= 0.99


def test_compare_rarely_names_a_difference_that_is_not_there():
    """Calibration: two accounts drawn from one distribution; separate 95% intervals should
    name a difference in well under 5% of months."""
    rng = np.random.default_rng(11)
    named = 0
    sims = 200
    for i in range(sims):
        rows = []
        for account in ("b", "r"):
            m, lo, hi = evidence.median_interval(rng.lognormal(5, 0.8, 25), seed=i, resamples=500)
            rows.append((account, "x", account == "b", m, lo, hi))
        bench = pd.DataFrame(
            rows, columns=["account", "platform", "is_brand", "median", "low", "high"]
        )
        named += len(c.compare(bench))
    assert named / sims <= 0.03


def test_compare_finds_a_real_difference():
    """Power: a competitor whose typical post is three times the brand's is named."""
    rng = np.random.default_rng(3)
    rows = []
    for account, median in (("b", 100), ("r", 300)):
        m, lo, hi = evidence.median_interval(rng.lognormal(np.log(median), 0.6, 30))
        rows.append((account, "x", account == "b", m, lo, hi))
    bench = pd.DataFrame(rows, columns=["account", "platform", "is_brand", "median", "low", "high"])
    assert c.compare(bench)["direction"].tolist() == ["trails"]
