"""Audience analysis on a tiny store worked by hand: growth and churn, platforms that report
only the net change, platform mix, demographics with change, profiles."""

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.steps.audience import reader as audience


@pytest.fixture
def tiny(tmp_path):
    con = store.open_store(tmp_path / "a.duckdb")
    store.set_brand(con, "acme", "Asia/Taipei")
    daily = pd.DataFrame(
        {
            "platform": ["facebook"] * 3 + ["tiktok"] * 2,
            "date": pd.to_datetime(
                ["2026-09-30", "2026-10-01", "2026-10-31", "2026-09-30", "2026-10-31"]
            ).date,
            "followers": [1000, 1010, 1030, 500, 520],
            "follower_gains": [3, 15, 25, 4, 20],
            "follower_losses": [1, 5, 5, 0, 0],
        }
    ).assign(brand="acme")
    store.upsert(con, "account_daily", daily)
    gender = pd.DataFrame(
        {
            "platform": "facebook",
            "snapshot_date": pd.to_datetime(["2026-09-30"] * 2 + ["2026-10-31"] * 2).date,
            "dimension": "gender",
            "segment": ["F", "M", "F", "M"],
            "share": [0.6, 0.4, 0.55, 0.45],
        }
    ).assign(brand="acme")
    store.upsert(con, "audience", gender)
    yield con
    con.close()


def test_growth_and_churn_by_hand(tiny):
    """Facebook in October: 1,030 at the end, gains 15 + 25 = 40, losses 5 + 5 = 10, churn
    10 / 1,000 (September's last count) = 1%."""
    rows = audience.growth(tiny, "acme", "2026-10", months=2).set_index(["platform", "period"])
    october = rows.loc[("facebook", "2026-10")]
    assert (october["followers"], october["gains"], october["losses"]) == (1030, 40, 10)
    assert october["churn"] == pytest.approx(0.01)


def test_a_net_only_platform_has_no_gains_or_losses(tiny):
    growth = audience.growth(tiny, "acme", "2026-10", months=2)
    latest = audience.latest_growth(growth, "2026-10").set_index("platform")
    assert latest.loc["facebook", "change"] == 30
    tiktok = latest.loc["tiktok"]
    assert tiktok["change"] == 20 and tiktok["net_only"]
    assert pd.isna(tiktok["gains"]) and pd.isna(tiktok["churn"])
    assert tiktok["reported"] == ["followers"]


def test_platform_mix_shares_the_known_followers(tiny):
    mix = audience.platform_mix(tiny, "acme", "2026-10").set_index("platform")
    assert mix.loc["facebook", "share"] == pytest.approx(1030 / 1550)
    assert mix.loc["tiktok", "share"] == pytest.approx(520 / 1550)


def test_demographics_change_since_the_snapshot_before(tiny):
    gender = audience.demographics(tiny, "acme", "gender").set_index("segment")
    assert gender.loc["F", "share"] == pytest.approx(0.55)
    assert gender.loc["F", "change"] == pytest.approx(-0.05)
    assert gender.loc["M", "change"] == pytest.approx(0.05)
    assert audience.profiles(tiny, "acme").set_index("platform").loc["facebook", "gender"] == "F"


def test_no_share_when_one_platform_alone_gives_a_total(tiny):
    """LinkedIn gives no follower total: with Facebook's alone known, Facebook is not "100%"
    of the brand's followers; a share is given only among two or more known totals."""
    store.upsert(
        tiny,
        "account_daily",
        pd.DataFrame(
            {
                "platform": "linkedin",
                "date": pd.to_datetime(["2026-10-31"]).date,
                "follower_gains": [7],
                "brand": "acme",
            }
        ),
    )
    mix = audience.platform_mix(tiny, "acme", "2026-10").set_index("platform")
    assert pd.isna(mix.loc["linkedin", "followers"])
    assert mix.loc["facebook", "share"] == pytest.approx(1030 / 1550)  # FB and TikTok known
    tiny.execute("DELETE FROM account_daily WHERE platform = 'tiktok'")
    alone = audience.platform_mix(tiny, "acme", "2026-10").set_index("platform")
    assert alone.loc["facebook", "followers"] == 1030 and alone["share"].isna().all()
