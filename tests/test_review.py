"""What the KPI review reads, and its sections, on tiny hand-made frames."""

from socialkpi.metrics import content
from socialkpi.presentation.page import Page
from socialkpi.steps.calendar import page as calendar_page
from socialkpi.steps.kpi_review import page as kpi_review
from tests.test_content import _posts


def test_top_posts_are_dated_by_the_brands_day():
    """Post c went out at 2026-10-06 16:00 UTC, which is 00:00 on 10-07 in Taipei; post b at
    01:00 UTC, 09:00 the same day in Taipei but 18:00 the day before in Los Angeles."""
    taipei = content.with_post_kpis(
        _posts(), {"facebook": "views", "tiktok": "views"}, "Asia/Taipei"
    )
    page = kpi_review.top_posts(Page(None, "acme", "2026-10", "en"), taipei, n=4).data
    assert ">Oct 7, 2026</td>" in page.split("#ASMR tea")[0].split("<tr>")[-1]
    assert "Oct 6, 2026" in page.split("Cloud tips")[0].split("<tr>")[-1]
    la = content.with_post_kpis(_posts(), {}, "America/Los_Angeles")
    page = kpi_review.top_posts(Page(None, "acme", "2026-10", "en"), la, n=4).data
    assert "Oct 5, 2026" in page.split("Cloud tips")[0].split("<tr>")[-1]


def test_top_posts_speak_the_pages_language_and_escape_captions():
    posts = content.with_post_kpis(
        _posts().assign(caption=["<b>x</b>", "a", "b", "c"]), {}, "Asia/Taipei"
    )
    posts["permalink"] = ["https://x.com/a/status/1?a=1&b=2", "javascript:alert(1)", None, None]
    page = kpi_review.top_posts(Page(None, "acme", "2026-10", "zh-TW"), posts, n=4).data
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x" not in page
    assert (
        '<a href="https://x.com/a/status/1?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">開啟</a>'
        in page
    )
    assert "javascript:alert(1)" in page and 'href="javascript' not in page
    for word in ("貼文內容", "貼文連結", "連續短片", "圖片", "Facebook", "LinkedIn", "TikTok"):
        assert word in page
    assert ">reel<" not in page and ">facebook<" not in page


def test_plan_adherence_counts_posts_found_not_items_marked(tmp_path):
    """Plan a (Facebook, 5 Oct), b (Facebook, 10 Oct, marked published), c (Instagram,
    cancelled); posts f1 at 5 Oct 20:00 UTC (6 Oct in Taipei: one day late) and f2 on 20 Oct."""
    import pandas as pd

    from socialkpi import reads, store

    con = store.open_store(tmp_path / "p.duckdb")
    store.set_brand(con, "b", "Asia/Taipei")
    plan = pd.DataFrame(
        {
            "planned_id": ["a", "b", "c"],
            "planned_for": ["2026-10-05", "2026-10-10", "2026-10-12"],
            "platform": ["facebook", "facebook", "instagram"],
            "topic": ["tips", "tips", "promo"],
            "status": ["scheduled", "published", "cancelled"],
        }
    ).assign(brand="b")
    store.upsert(con, "content_plan", plan)
    posts = pd.DataFrame(
        {
            "post_id": ["f1", "f2"],
            "published_at": pd.to_datetime(["2026-10-05 20:00", "2026-10-20 02:00"], utc=True),
        }
    ).assign(brand="b", platform="facebook", snapshot_date="2026-10-31")
    store.upsert(con, "posts", posts)
    got = reads.plan_adherence(con, "b", "2026-10").set_index("platform")
    cols = [
        "planned",
        "on_time",
        "late",
        "missed",
        "cancelled",
        "published",
        "matched",
        "unplanned",
    ]
    assert got.loc["facebook", cols].tolist() == [2, 0, 1, 1, 0, 2, 1, 1]
    assert got.loc["instagram", cols].tolist() == [1, 0, 0, 0, 1, 0, 0, 0]
    assert got.loc["facebook", "adherence"] == 0  # b was marked published, but no post was found
    assert pd.isna(got.loc["instagram", "adherence"])  # nothing left to do
    page = calendar_page.plan(Page(con, "b", "2026-10", "zh-TW")).data
    assert "未執行" in page and "延遲" in page and "規劃表標記為已發布的項目" in page
    con.close()


def test_plan_month_matches_by_pillar_where_brands_yaml_names_them(tmp_path):
    """Two items on 5 Oct (茶葉知識 and 會員優惠) and one post that day tagged #茶葉知識:
    the post is the knowledge item's; the deal item, same day and platform, is missed."""
    import pandas as pd

    from socialkpi import reads, store
    from socialkpi.ingest import import_paths
    from socialkpi.steps.calendar import analysis as calendar

    (tmp_path / "b").mkdir()
    (tmp_path / "brands.yaml").write_text(
        "b:\n  pillars:\n"
        "    knowledge: {name: 茶葉知識, hashtags: [茶葉知識], target: 0.6}\n"
        "    deals: {name: 會員優惠, keywords: [優惠], target: 0.4}\n",
        "utf-8",
    )
    (tmp_path / "b" / "content_plan.csv").write_text(
        "日期,平台,內容支柱/主題,狀態\n2026/10/05,FB,會員優惠,已排程\n2026/10/05,FB,茶葉知識,已排程\n",
        "utf-8",
    )
    con = store.open_store(tmp_path / "p.duckdb")
    (result,) = import_paths(con, [tmp_path])
    assert result.status == "imported", result.error
    assert list(store.pillars(con, "b")) == ["knowledge", "deals"]
    post = pd.DataFrame(
        {
            "post_id": ["f1"],
            "published_at": [pd.Timestamp("2026-10-05 02:00", tz="UTC")],
            "caption": ["秋天喝什麼？ #茶葉知識"],
        }
    ).assign(brand="b", platform="facebook", snapshot_date="2026-10-31")
    store.upsert(con, "posts", post)
    items, found = reads.plan_month(con, "b", "2026-10")
    got = dict(zip(items["pillar"], items["outcome"], strict=True))
    assert got == {"knowledge": "on_time", "deals": "missed"}
    assert found["pillar"].tolist() == ["knowledge"]
    mix = calendar.pillar_mix(items, found, store.pillars(con, "b")).set_index("pillar")
    assert mix.loc["deals", ["planned", "published", "target"]].tolist() == [1, 0, 0.4]
    con.close()
