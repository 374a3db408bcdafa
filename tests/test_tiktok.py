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
        "7430000000000000001",
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
