import hashlib

import pandas as pd

from socialkpi import store


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
