"""Plan against actual on tiny hand-made frames, and the counts identity as a property."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkpi import calendar


def _plan(*rows):
    frame = pd.DataFrame(
        rows, columns=["planned_id", "planned_for", "platform", "pillar", "status"]
    )
    return frame.assign(planned_for=pd.to_datetime(frame["planned_for"]))


def _posts(*rows):
    frame = pd.DataFrame(rows, columns=["post_id", "platform", "day", "pillar"])
    return frame.assign(day=pd.to_datetime(frame["day"]), permalink=None)


def _outcomes(items):
    return dict(zip(items["planned_id"], items["outcome"], strict=True))


def test_a_post_one_day_late_and_a_missed_item():
    items, posts = calendar.reconcile(
        _plan(("a", "2026-10-05", "x", None, "planned"), ("b", "2026-10-20", "x", None, "planned")),
        _posts(("p", "x", "2026-10-06", None)),
    )
    assert _outcomes(items) == {"a": "late", "b": "missed"}
    assert items.set_index("planned_id").loc["a", "days_late"] == 1
    assert posts["planned_id"].tolist() == ["a"]


def test_a_tie_resolves_by_id_and_the_other_item_is_missed():
    items, _ = calendar.reconcile(
        _plan(("b", "2026-10-05", "x", None, "planned"), ("a", "2026-10-05", "x", None, "planned")),
        _posts(("p", "x", "2026-10-05", None)),
    )
    assert _outcomes(items) == {"a": "on_time", "b": "missed"}


def test_two_posts_for_one_item_the_closer_is_matched():
    items, posts = calendar.reconcile(
        _plan(("a", "2026-10-05", "x", None, "planned")),
        _posts(("far", "x", "2026-10-08", None), ("near", "x", "2026-10-04", None)),
    )
    assert items["post_id"].tolist() == ["near"] and _outcomes(items) == {"a": "on_time"}
    assert posts.set_index("post_id")["planned_id"].isna().to_dict() == {"far": True, "near": False}


def test_cancelled_items_take_no_post_and_items_without_platform_take_any():
    items, posts = calendar.reconcile(
        _plan(
            ("c", "2026-10-05", "x", None, "cancelled"),
            ("any", "2026-10-10", None, None, "planned"),
        ),
        _posts(("p", "x", "2026-10-05", None), ("q", "facebook", "2026-10-11", None)),
    )
    assert _outcomes(items) == {"c": "cancelled", "any": "late"}
    assert items.set_index("planned_id").loc["any", "post_id"] == "q"
    assert posts.set_index("post_id").loc["p", "planned_id"] is pd.NA  # unplanned


def test_a_link_wins_over_a_closer_post_and_pillars_must_agree():
    plan = _plan(
        ("a", "2026-10-05", "x", "tips", "planned"), ("b", "2026-10-05", "x", "promo", "planned")
    ).assign(post_url=["https://www.x.com/acme/status/2/", None])
    posts = _posts(("1", "x", "2026-10-05", "tips"), ("2", "x", "2026-10-09", "tips")).assign(
        permalink=["https://x.com/acme/status/1", "https://x.com/acme/status/2?s=20"]
    )
    items, _ = calendar.reconcile(plan, posts)
    assert items.set_index("planned_id")["post_id"].tolist() == ["2", pd.NA]  # b is promo
    assert _outcomes(items) == {"a": "late", "b": "missed"}


def test_counts_and_adherence_by_hand():
    items, posts = calendar.reconcile(
        _plan(
            ("a", "2026-10-05", "x", None, "planned"),
            ("b", "2026-10-10", "x", None, "planned"),
            ("c", "2026-10-12", "facebook", None, "cancelled"),
        ),
        _posts(("p", "x", "2026-10-05", None), ("q", "facebook", "2026-10-12", None)),
    )
    row = calendar.counts(items, posts).iloc[0]
    assert row[["planned", "on_time", "late", "missed", "cancelled"]].tolist() == [3, 1, 0, 1, 1]
    assert row[["published", "matched", "unplanned"]].tolist() == [2, 1, 1]
    assert row["adherence"] == 0.5  # one on time of the two not cancelled
    per = calendar.counts(items, posts, by="platform").set_index("platform")
    assert per.loc["facebook", ["cancelled", "unplanned"]].tolist() == [1, 1]


_day = st.integers(0, 30).map(lambda d: pd.Timestamp("2026-10-01") + pd.Timedelta(days=d))
_item = st.tuples(
    _day, st.sampled_from(["x", "facebook", None]), st.sampled_from(["planned", "cancelled"])
)
_post = st.tuples(_day, st.sampled_from(["x", "facebook"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(_item, max_size=12), st.lists(_post, max_size=12))
def test_the_counts_always_add_up(item_rows, post_rows):
    plan = _plan(*[(f"i{n}", d, p, None, s) for n, (d, p, s) in enumerate(item_rows)])
    posts = _posts(*[(f"p{n}", p, d, None) for n, (d, p) in enumerate(post_rows)])
    items, matched = calendar.reconcile(plan, posts)
    for by in (None, "platform"):
        for r in calendar.counts(items, matched, by).itertuples():
            assert r.planned == r.on_time + r.late + r.missed + r.cancelled
            assert r.published == r.matched + r.unplanned
    used = items["post_id"].dropna()
    assert used.is_unique and set(used) == set(
        matched.loc[matched["planned_id"].notna(), "post_id"]
    )


PILLARS = {
    "new": {
        "name": "新品上市",
        "aliases": [],
        "hashtags": ["新品上市"],
        "keywords": ["新品"],
        "target": 0.5,
    },
    "tips": {
        "name": "茶葉知識",
        "aliases": [],
        "hashtags": ["茶葉知識"],
        "keywords": [],
        "target": 0.3,
    },
}


def test_pillars_from_hashtags_first_then_keywords():
    captions = pd.Series(["秋季新品來了 ＃茶葉知識", "新品試喝", "#新品上市 #茶葉知識", "門市活動"])
    # a full-width ＃ is a hashtag; a hashtag beats a keyword; brands.yaml order breaks ties
    assert calendar.assign_pillars(captions, PILLARS).tolist() == ["tips", "new", "new", pd.NA]


def test_pillar_mix_by_hand():
    items = pd.DataFrame(
        {
            "pillar": ["new", "new", "tips", None],
            "outcome": ["on_time", "missed", "cancelled", "late"],
        }
    )
    posts = pd.DataFrame({"pillar": ["new", "tips", "tips", None]})
    mix = calendar.pillar_mix(items, posts, PILLARS).set_index("pillar")
    assert mix.loc["new", ["planned", "published"]].tolist() == [2, 1]
    assert mix.loc["tips", "planned"] == 0  # its only item was cancelled
    assert mix.loc["", ["planned", "published"]].tolist() == [1, 1]
    assert mix["planned_share"].tolist() == pytest.approx([2 / 3, 0, 1 / 3])
    assert mix["published_share"].tolist() == pytest.approx([0.25, 0.5, 0.25])
    assert mix.loc["new", "target"] == 0.5 and pd.isna(mix.loc["", "target"])


def test_pillar_targets_are_checked():
    from socialkpi import brands

    with pytest.raises(brands.BrandNameError, match="add up to 1.20"):
        brands.pillars({"a": {"target": 0.7}, "b": {"target": 0.5}})
    with pytest.raises(brands.BrandNameError, match="must be lists"):
        brands.pillars({"a": {"hashtags": "tips"}})
