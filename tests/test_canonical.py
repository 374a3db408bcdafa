import hashlib
import json

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.config import brands
from socialkpi.ingest import Options, import_paths
from tests.conftest import FIXTURES

FOREST = {"forest_tea": {"name": {"zh-TW": "茶之森", "en": "Forest Tea"}}}


def _watch(con, roster=FOREST, name=None):
    """Give brand acme a competitor list, as importing a brands.yaml would."""
    listed = json.dumps(brands.roster(roster), ensure_ascii=False)
    store.set_brand(con, "acme", "Asia/Taipei", competitors=listed, display_name=name)


def test_comments_hash_authors_and_link_replies(load, con):
    load("good/comments.csv")
    comments = store.read(con, "comments").set_index("comment_id")
    expected = hashlib.sha256("acme\x00王小明".encode()).hexdigest()[:16]
    assert comments.loc["c1", "author_hash"] == expected
    assert "王小明" not in comments.to_string()
    assert comments.loc["c1", "replied_at"] == pd.Timestamp("2026-10-01 03:30", tz="UTC")
    assert pd.isna(comments.loc["c2", "replied_at"])
    assert comments.loc["r1", "is_brand_reply"] == True  # noqa: E712
    assert comments.loc["c2", "text"] == "Too sweet, sadly"


def test_content_plan_and_competitors(load, con):
    _watch(con)
    load("good/content_plan.csv")
    load("good/competitors.csv")
    plan = store.read(con, "content_plan").set_index("planned_id")
    assert (
        plan.loc["P1", "platform"],
        plan.loc["P1", "content_type"],
        plan.loc["P2", "status"],
    ) == ("instagram", "reel", "idea")
    rivals = store.read(con, "competitors")
    assert rivals["followers"].sum() == 92000


def test_listening_tool_labels_win_and_the_rest_are_scored(load, con):
    load("good/comments_with_listening_labels.csv")
    c = store.read(con, "comments").set_index("comment_id")
    assert (
        c.loc["c1", "sentiment_label"] == "negative"
    )  # the tool said so, though the text is praise
    assert (
        c.loc["c2", "sentiment_label"] == "positive" and c.loc["c2", "sentiment"] > 0
    )  # scored here
    assert c.loc["c3", "sentiment_label"] == "positive"  # 正面 understood


def test_competitor_posts_zh_headers_times_and_hidden_likes(load, con):
    _watch(con, {"forest_tea": {"name": "茶之森", "aliases": ["Forest Tea"]}})
    result = load("good/competitor_posts_zh_headers.csv")
    assert result.status == "imported", result.error
    posts = store.read(con, "competitor_posts")
    assert set(posts["competitor"]) == {"forest_tea"}  # 茶之森 and the alias Forest Tea
    first = posts[posts["post_url"] == "https://fb.example/p/1"].sort_values("captured_at")
    # 20:15 in Taipei is 12:15 UTC; both captures of the post are kept
    assert first["published_at"].tolist() == [pd.Timestamp("2026-10-03 12:15", tz="UTC")] * 2
    assert first["reactions"].tolist() == [120, 150]
    assert first["content_type"].iloc[0] == "image"  # 圖片
    ig = posts[posts["platform"] == "instagram"].iloc[0]
    assert ig["published_at"] == pd.Timestamp("2026-10-05 04:00", tz="UTC")  # Z kept as UTC
    assert pd.isna(ig["reactions"]) and pd.isna(ig["shares"])  # hidden, not 0
    assert ig["views"] == 3400


def test_competitors_need_a_list(load, con):
    result = load("good/competitors.csv")
    assert result.status == "failed"
    assert "acme lists no competitors" in result.error and "brands.yaml" in result.error
    assert store.read(con, "competitors").empty


def test_brands_yaml_lists_competitors_and_the_brand_itself_is_left_out(tmp_path, con):
    (tmp_path / "acme").mkdir()
    (tmp_path / "brands.yaml").write_text(
        "acme:\n  name: {zh-TW: 艾美, en: Acme}\n"
        "  competitors:\n    forest_tea: {name: 茶之森, aliases: [Forest Tea Co.]}\n",
        "utf-8",
    )
    (tmp_path / "acme" / "competitors.csv").write_text(
        "competitor,platform,date,followers,posts,engagements\n"
        "forest tea co.,facebook,2026-10-31,500,4,90\n"
        "Acme,facebook,2026-10-31,900,6,200\n",
        "utf-8",
    )
    (result,) = import_paths(
        con, [tmp_path], Options(export_date=pd.Timestamp("2026-11-01").date())
    )
    assert result.status == "imported", result.error
    assert any("name the brand itself" in w for w in result.warnings)
    rows = store.read(con, "competitors")
    assert rows[["competitor", "followers"]].values.tolist() == [["forest_tea", 500]]
    assert store.competitor_names(con, "acme", "en") == {"forest_tea": "茶之森"}


def test_a_spelling_that_names_two_competitors_is_refused(tmp_path, con):
    (tmp_path / "acme").mkdir()
    (tmp_path / "brands.yaml").write_text(
        "acme:\n  competitors:\n    a: {name: Forest}\n    b: {name: Other, aliases: [forest]}\n",
        "utf-8",
    )
    (tmp_path / "acme" / "competitors.csv").write_text(
        "competitor,platform,date,followers\nForest,facebook,2026-10-31,5\n", "utf-8"
    )
    with pytest.raises(Exception, match="names both a and b"):
        import_paths(con, [tmp_path])
    assert store.read(con, "competitors").empty


def test_a_teams_plan_sheet_with_zh_headers_and_made_ids(load, con, tmp_path):
    result = load("good/content_plan_team_sheet_zh.csv")
    assert result.status == "imported", result.error
    plan = store.read(con, "content_plan").sort_values(["planned_for", "platform", "content_type"])
    assert plan["platform"].tolist() == [
        "facebook",
        "instagram",
        "instagram",
        "facebook",
    ]  # FB, 臉書
    assert plan["status"].tolist() == ["scheduled", "cancelled", "published", "idea"]
    assert plan["owner"].tolist() == ["小美", "阿明", "小美", "阿明"]
    assert plan["post_url"].notna().sum() == 1
    assert plan["planned_id"].str.startswith("plan-").all() and plan["planned_id"].is_unique
    # the same sheet edited a week later (the FB post went out): the same items, updated
    edited = (FIXTURES / "good/content_plan_team_sheet_zh.csv").read_text("utf-8")
    edited = edited.replace("FB,新品上市,圖片,已排程", "FB,新品上市,圖片,已發布")
    path = tmp_path / "plan_edited.csv"
    path.write_text(edited, "utf-8")
    (again,) = import_paths(con, [path], Options(brand="acme"))
    assert again.status == "imported", again.error
    after = store.read(con, "content_plan")
    assert len(after) == 4 and set(after["planned_id"]) == set(plan["planned_id"])
    assert (after["status"] == "published").sum() == 2
