import pandas as pd

from socialkpi import store


def test_legacy_post_level_export_two_header_rows(load, con):
    result = load("good/facebook_legacy_post_level_2017.csv")
    assert result.rows == {"posts": 2}  # the description row is not a post
    posts = store.read(con, "posts").set_index("post_id")
    photo = posts.loc["123456_789"]
    assert photo.published_at == pd.Timestamp("2017-01-19 01:03:47", tz="UTC")  # 09:03:47 AM Taipei
    assert (photo.reach, photo.impressions, photo.reactions, photo.comments, photo.shares) == (
        1000,
        1500,
        40,
        5,
        3,
    )
    assert photo.paid == True  # noqa: E712 - paid reach 100 > 0
    assert photo.permalink == "https://www.facebook.com/123456/posts/789"
    video = posts.loc["123456_790"]
    # the first "Lifetime Organic/Paid Video Views" columns are the Total Count ones: 700 + 50
    assert video.video_views == 750
    assert video.published_at == pd.Timestamp("2017-01-20 15:15", tz="UTC")
