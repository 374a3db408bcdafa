import pandas as pd

from socialkpi import store
from socialkpi.ingest import Options, import_paths
from tests.conftest import FIXTURES


def test_studio_zip_every_table(con):
    results = import_paths(con, [FIXTURES / "good/tiktok_studio_2026-10-31.zip"], Options("acme"))
    assert [r.status for r in results] == ["imported"] * 7
    daily = store.read(con, "account_daily").set_index("date")
    oct31 = daily.loc["2026-10-31"]
    assert (oct31.views, oct31.followers, oct31.follower_losses, oct31.reach) == (1200, 998, 2, 700)
    assert daily.loc["2026-10-30", "follower_gains"] == 5
    assert daily.loc["2026-10-30", "engagements"] == 97  # likes 90 + comments 4 + shares 3
    post = store.read(con, "posts").iloc[0]
    assert (post.post_id, post.views, post.snapshot_date) == (
        "7695595269940838401",
        10000,
        pd.Timestamp("2026-10-31"),
    )
    audience = store.read(con, "audience").set_index(["dimension", "segment"])
    assert audience.loc[("gender", "female"), "share"] == 0.59
    assert audience.loc[("country", "TW"), "share"] == 0.852
    # hour 0: mean of 10 and 20 = 15 active; hour 1: mean of 30 and 40 = 35; shares 0.3 / 0.7
    assert audience.loc[("hour_active", "00"), "count"] == 15
    assert audience.loc[("hour_active", "01"), "share"] == 0.7


def test_overview_spanish_dates(load, con):
    load("good/tiktok_overview_spanish.csv")
    daily = store.read(con, "account_daily")
    assert daily["date"].tolist() == [pd.Timestamp("2026-03-08")]
    assert daily["views"].tolist() == [100]


def test_a_year_of_overview_lands_in_the_year_its_window_says(con):
    """A 365-day Overview from February 28, 2025 to February 27, 2026, dates without a year,
    in TikTok's own zip name (first day, end as Unix seconds): every day in its year, one
    after the other, none in the future, though it is imported much later."""
    zipped = FIXTURES / "good/Overview_2025-02-28_1772265600_lumitea.zip"
    (result,) = import_paths(con, [zipped], Options("acme"))
    assert result.status == "imported", result.error
    days = store.read(con, "account_daily").sort_values("date")["date"]
    assert days.iloc[0] == pd.Timestamp("2025-02-28") and days.iloc[-1] == pd.Timestamp(
        "2026-02-27"
    )
    assert (days.diff().dropna() == pd.Timedelta(days=1)).all() and len(days) == 365
    august = store.read(con, "account_daily").set_index("date").loc["2025-08-01"]
    assert august.views == 100 + 154  # the 155th day: views were written as 100 + its index


def test_overview_days_without_a_year_and_no_export_day_are_refused(con, tmp_path):
    import zipfile

    with zipfile.ZipFile(FIXTURES / "good/Overview_2025-02-28_1772265600_lumitea.zip") as z:
        (tmp_path / "Overview.csv").write_bytes(z.read("Overview.csv"))
    (result,) = import_paths(con, [tmp_path / "Overview.csv"], Options("acme"))
    assert result.status == "failed"
    assert "days without a year" in result.error and "--export-date" in result.error
    assert store.read(con, "account_daily").empty  # nothing stored
    (again,) = import_paths(
        con, [tmp_path / "Overview.csv"], Options("acme", pd.Timestamp("2026-02-28").date())
    )
    assert again.status == "imported"
    assert store.read(con, "account_daily")["date"].max() == pd.Timestamp("2026-02-27")


def test_video_ids_date_the_posts_across_new_year_without_an_export_day(con):
    """Content.csv with no date in its name: each video's id says when it went out (to the
    second), and "Time" (January 3, no year) is the first January 3 after the newest video."""
    (result,) = import_paths(con, [FIXTURES / "good/tiktok_Content_lumitea.csv"], Options("acme"))
    assert result.status == "imported", result.error
    posts = store.read(con, "posts").set_index("post_id")
    old, new = posts.loc["7589619528892416001"], posts.loc["7590717322533273602"]
    assert old.published_at == pd.Timestamp("2025-12-30 12:00", tz="UTC") and old.time_known
    assert new.published_at == pd.Timestamp("2026-01-02 11:00", tz="UTC")
    assert set(posts["snapshot_date"]) == {pd.Timestamp("2026-01-03")}
