"""competitors_reader.benchmark and the competitor page on a tiny store, worked by hand."""

import html
import json

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.config import brands
from socialkpi.presentation.page import open_page
from socialkpi.steps.competitors import page as page_sections
from socialkpi.steps.competitors import reader as competitors_reader


@pytest.fixture
def tiny(tmp_path):
    """Brand b (Taipei) and competitor r on Instagram in October 2026.

    b: followers 1,000 on 30 Sep and 1,100 on 31 Oct; posts exported on 31 Oct:
       p1 on 3 Oct (100 likes, 10 comments, 50 shares), p2 on 28 Oct (too young),
       p3 on 1 Oct 00:30 Taipei (30 Sep 16:30 UTC: an October post), 40 likes, 4 comments.
    r: snapshots 2,000 (30 Sep) and 2,200 (31 Oct) with no post counts; recorded posts:
       three old enough (60, 80, 100 likes; shares hidden on Instagram), one with likes hidden.
    """
    con = store.open_store(tmp_path / "s.duckdb")
    listed = json.dumps(brands.roster({"r": {"name": {"en": "Rival", "zh-TW": "對手"}}}))
    store.set_brand(
        con, "b", "Asia/Taipei", competitors=listed, display_name='{"en": "Bee", "zh-TW": "蜜蜂"}'
    )
    daily = pd.DataFrame({"date": ["2026-09-30", "2026-10-31"], "followers": [1000, 1100]}).assign(
        brand="b", platform="instagram"
    )
    store.upsert(con, "account_daily", daily)
    posts = pd.DataFrame(
        [
            ("p1", "2026-10-03 04:00", 100, 10, 50),
            ("p2", "2026-10-28 04:00", 500, 0, 0),
            ("p3", "2026-09-30 16:30", 40, 4, 0),
        ],
        columns=["post_id", "published_at", "reactions", "comments", "shares"],
    ).assign(brand="b", platform="instagram", snapshot_date="2026-10-31", content_type="image")
    store.upsert(con, "posts", posts)
    snaps = pd.DataFrame({"date": ["2026-09-30", "2026-10-31"], "followers": [2000, 2200]}).assign(
        brand="b", competitor="r", platform="instagram"
    )
    store.upsert(con, "competitors", snaps)
    # a row from before brands.yaml listed competitors: not on the list, so not compared
    stale = snaps.assign(competitor="茶之森 Forest Tea", followers=[1, 2])
    store.upsert(con, "competitors", stale)
    rival = pd.DataFrame(
        [
            ("u1", "2026-10-02 02:00", 60, 6),
            ("u2", "2026-10-09 02:00", 80, 8),
            ("u3", "2026-10-16 02:00", 100, 10),
            ("u4", "2026-10-17 02:00", None, 9),
        ],
        columns=["post_url", "published_at", "reactions", "comments"],
    ).assign(
        brand="b",
        competitor="r",
        platform="instagram",
        captured_at="2026-11-01 02:00",
        content_type="reel",
    )
    store.upsert(con, "competitor_posts", rival)
    yield con
    con.close()


def test_benchmark_from_the_store_by_hand(tiny):
    bm = competitors_reader.benchmark(tiny, "b", "2026-10")
    assert bm.platforms == ["instagram"]
    assert bm.left_out == {"young": 1, "hidden": 1}  # p2 (3 days old at 1 Nov), u4
    x = bm.table[bm.table["platform"] == "instagram"].set_index("account")
    assert sorted(x.index) == ["b", "r"]  # the stale row's name is not among b's competitors
    # b: three October posts (p3 is 1 Oct in Taipei); Instagram shares are left out because
    # r's posts show none: p1 110, p2 500, p3 44 -> 654 engagements
    assert x.loc["b", ["posts", "engagements"]].tolist() == [3, 654]
    # r: four recorded posts, 66 + 88 + 110 (u4 has no total with its likes hidden)
    assert x.loc["r", ["posts", "engagements"]].tolist() == [4, 264]
    assert x.loc["b", "share_of_engagement"] == pytest.approx(654 / 918)
    assert x.loc["b", "share_of_posts"] == pytest.approx(3 / 7)
    assert x.loc["b", "follower_growth_rate"] == pytest.approx(0.1)
    assert x.loc["r", "follower_growth"] == 200
    # per post: b's p1 and p3 (median 77); r's u1-u3 (median 88)
    assert x.loc["b", ["posts_compared", "median"]].tolist() == [2, 77]
    assert x.loc["r", ["posts_compared", "median"]].tolist() == [3, 88]
    # r's followers on 2, 9 and 16 Oct, between 2,000 (30 Sep) and 2,200 (31 Oct)
    followers = [2000 + 200 * d / 31 for d in (2, 9, 16)]
    assert x.loc["r", "engagement_rate"] == pytest.approx(264 / sum(followers))
    average = bm.landscape.set_index("platform").loc["instagram"]
    assert average["followers"] == 2200  # the only competitor; b left out


def test_competitor_page_in_both_languages(tiny):
    for lang, us, rival, words in (
        ("en", "Bee (us)", "Rival", ["Share of voice", "Competitors' average"]),
        ("zh-TW", "蜜蜂（我方）", "對手", ["聲量佔比", "競爭對手平均"]),
    ):
        page = open_page(tiny, "b", "2026-10", lang)
        bm = page_sections.benchmark(page)
        table = html.unescape(page_sections.landscape(page, bm).data)
        for word in (us, rival, *words):
            assert word in table, (lang, word)
        assert "nan" not in table.lower() and ">b<" not in table
        notes = " ".join(page_sections.note_lines(page, bm))
        assert ("1 posts were too young" if lang == "en" else "有 1 則太新") in notes
        # two and three posts overlap: no lead or lag is named
        lines = page_sections.summary_lines(page, bm)
        assert not any(("draws more" in x or "多於" in x) for x in lines)


def test_no_competitors_says_what_to_do(tmp_path):
    con = store.open_store(tmp_path / "e.duckdb")
    store.set_brand(con, "b", "Asia/Taipei")
    page = open_page(con, "b", "2026-10", "en")
    bm = page_sections.benchmark(page)
    assert bm.empty
    text = page_sections.summary(page, bm).data
    assert "No competitor has numbers" in text and "brands.yaml" in text
    con.close()
