import pandas as pd

from socialkpi import store
from tests.conftest import FIXTURES


def test_facebook_post_export(load, con):
    result = load("good/meta_facebook_posts.csv")
    assert result.formats == ["meta_facebook_posts"] and result.encoding == "utf-8-sig"
    posts = store.read(con, "posts").set_index("post_id")
    first = posts.loc["6157100000001_1001"]
    # 11/10/2025 21:00 in Asia/Taipei (UTC+8) is 13:00 UTC
    assert first.published_at == pd.Timestamp("2025-11-10 13:00", tz="UTC")
    assert (first.views, first.reach, first.reactions, first.comments, first.shares) == (
        12400,
        8000,
        300,
        40,
        12,
    )
    assert first.caption == "新品上市！" and first.content_type == "image"
    assert first.snapshot_date == pd.Timestamp("2026-10-31")
    reel = posts.loc["6157100000001_1002"]
    # the longer of Title/Description is the caption; a reel's views are its video views
    assert reel.caption == "Behind the scenes reel"
    assert (reel.content_type, reel.video_views, reel.watch_time_s) == ("reel", 5000, 4200.0)
    assert posts.loc["6157100000001_1003"].link_clicks == 44


def test_facebook_post_export_zh_tw_headers(load, con):
    load("good/meta_facebook_posts_zh_tw_cp950.csv")
    post = store.read(con, "posts").iloc[0]
    assert (post.caption, post.content_type, post.reach, post.views) == (
        "中秋限定禮盒開賣",
        "image",
        4200,
        5000,
    )


def test_instagram_export_with_reordered_columns(load, con):
    load("good/meta_instagram_posts_reordered.csv")
    posts = store.read(con, "posts").set_index("post_id")
    image = posts.loc["17900000000000001"]
    assert image.platform == "instagram"
    assert (image.views, image.reach, image.reactions, image.saves, image.follows) == (
        15000,
        12400,
        900,
        41,
        5,
    )
    assert posts.loc["17900000000000002"].content_type == "reel"


def test_page_daily_series_utf16(load, con):
    result = load("good/meta_page_daily_follows_utf16.csv", platform="facebook")
    assert result.encoding == "utf-16"
    daily = store.read(con, "account_daily")
    assert daily["follower_gains"].tolist() == [20, 35, 0]
    assert daily["platform"].unique().tolist() == ["facebook"]


def test_audience_stacked_blocks(load, con):
    result = load("good/facebook_audience_stacked.csv")
    assert (
        "skipped the block at line 17: not a table socialkpi imports" in result.warnings
    )  # Top pages
    audience = store.read(con, "audience").set_index(["dimension", "segment"])["share"]
    assert audience[("age_gender", "25-34|female")] == 0.30
    assert audience[("age_gender", "18-24|male")] == 0.075
    assert audience[("city", "Taipei, Taiwan")] == 0.5
    assert audience[("country", "HK")] == 0.1


def test_gender_percent_becomes_fraction(load, con):
    result = load("good/facebook_gender_percent.csv")
    assert any("read as percentages" in w for w in result.warnings)
    shares = store.read(con, "audience").set_index("segment")["share"]
    assert shares["female"] == 0.737 and shares["male"] == 0.263


def test_custom_labels_are_stored_and_name_the_pillar(load, con, tmp_path):
    """Meta's "Custom labels" column (empty in most real files) is the team's own tag: where it
    names a pillar of brands.yaml, it wins over the caption's hashtags."""
    from socialkpi.metrics import plan as plans

    text = (FIXTURES / "good" / "meta_facebook_posts.csv").read_text("utf-8-sig").splitlines()
    header = text[0].split(",")
    at = header.index("Custom labels")
    rows = [text[0]]
    for line, label in zip(text[1:3], ["Tea tips, Q4", ""], strict=True):
        cells = line.split(",")
        cells[at] = f'"{label}"' if label else ""
        rows.append(",".join(cells))
    path = tmp_path / "Oct-01-2026_Oct-31-2026_1.csv"
    path.write_text("\n".join(rows) + "\n", "utf-8-sig")
    result = load(path)
    assert result.status == "imported", result.error
    posts = store.read(con, "posts").set_index("post_id").sort_index()
    assert posts["labels"].iloc[0] == "Tea tips, Q4" and pd.isna(posts["labels"].iloc[1])
    pillars = {
        "tips": {"name": "Tea tips", "aliases": [], "hashtags": [], "keywords": []},
        "launch": {"name": "Launches", "aliases": [], "hashtags": [], "keywords": ["新品"]},
    }
    found = plans.assign_pillars(posts["caption"], pillars, posts["labels"])
    assert found.tolist()[:2] == ["tips", pd.NA]  # the first post's caption says 新品: label wins


def test_a_negative_count_is_named_by_the_files_own_column(tmp_path, con):
    """A count the platform never writes below zero (Instagram's likes, stored as reactions)
    is refused with the row, the file's own header, the value and a fix that can work."""
    from socialkpi.ingest import Options, import_paths

    good = (FIXTURES / "good/meta_instagram_posts_reordered.csv").read_text("utf-8-sig")
    path = tmp_path / "Sep-01-2026_Sep-30-2026_1.csv"
    path.write_text(good.replace(',"15,000",900,', ',"15,000",-900,', 1), "utf-8")
    (result,) = import_paths(con, [path], Options("acme"))
    assert result.status == "failed"
    assert "row 2, column \"Likes\": expected a whole number >= 0, found '-900'" in result.error
    assert "reactions" not in result.error and "re-download" not in result.error


def test_a_second_column_of_one_name_and_unknown_columns_are_reported(tmp_path, con):
    """Meta's 2025 export can carry "Views" twice; the first is read and the summary names
    the second. A column no map knows is named too, never dropped without a word."""
    from socialkpi.ingest import Options, import_paths

    lines = (
        (FIXTURES / "good/meta_instagram_posts_reordered.csv").read_text("utf-8-sig").splitlines()
    )
    lines[0] += ",Views,Mood of the day"
    lines[1:] = [line + ",1,happy" for line in lines[1:]]
    path = tmp_path / "Sep-01-2026_Sep-30-2026_2.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    (result,) = import_paths(con, [path], Options("acme"))
    assert result.status == "imported", result.error
    assert 'the file has a second column named "Views": the first was read' in result.warnings
    assert any('not read: "Mood of the day"' in w for w in result.warnings)
    assert store.read(con, "posts").set_index("post_id").loc["17900000000000001", "views"] == 15000


def test_instagram_export_in_brazilian_portuguese(load, con):
    """Header row verbatim from a real pt-BR export (docs/sources/meta.md, L2): every column
    is read or left aside on purpose, the localized post types map, Data=Total is not a day."""
    result = load("good/meta_instagram_posts_pt_br.csv")
    assert result.status == "imported" and result.formats == ["meta_instagram_posts"]
    assert result.warnings == []  # no column left unread, no unknown post type
    posts = store.read(con, "posts").set_index("post_id")
    first = posts.loc["17900000000000101"]
    # 02/03/2026 is month first in every UI language: 3 February, 10:30 Taipei = 02:30 UTC
    assert first.published_at == pd.Timestamp("2026-02-03 02:30", tz="UTC")
    assert (first.views, first.reach, first.reactions, first.shares, first.saves) == (
        1200,
        900,
        80,
        4,
        11,
    )
    assert first.caption == "Chá gelado\nnovo sabor"
    assert posts["content_type"].to_dict() == {
        "17900000000000101": "image",
        "17900000000000102": "reel",
        "17900000000000103": "carousel",
    }


def test_instagram_export_in_japanese(load, con):
    """Header row verbatim from a Japanese export (docs/sources/meta.md 1.3, G)."""
    result = load("good/meta_instagram_posts_ja.csv")
    assert result.status == "imported"
    assert result.warnings == []  # no column left unread, no unknown post type
    posts = store.read(con, "posts").set_index("post_id")
    reel = posts.loc["17900000000000201"]
    assert reel.published_at == pd.Timestamp("2026-09-22 15:48", tz="UTC")
    assert (reel.content_type, reel.views, reel.reactions, reel.comments, reel.follows) == (
        "reel",
        3300,
        210,
        8,
        3,
    )
    assert posts.loc["17900000000000202"].content_type == "carousel"
