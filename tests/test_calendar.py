"""Plan against actual on tiny hand-made frames, and the counts identity as a property."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkpi import store
from socialkpi.metrics import plan as plans
from socialkpi.steps.calendar import analysis as calendar


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
    items, posts = plans.reconcile(
        _plan(("a", "2026-10-05", "x", None, "planned"), ("b", "2026-10-20", "x", None, "planned")),
        _posts(("p", "x", "2026-10-06", None)),
    )
    assert _outcomes(items) == {"a": "late", "b": "missed"}
    assert items.set_index("planned_id").loc["a", "days_late"] == 1
    assert posts["planned_id"].tolist() == ["a"]


def test_a_tie_resolves_by_id_and_the_other_item_is_missed():
    items, _ = plans.reconcile(
        _plan(("b", "2026-10-05", "x", None, "planned"), ("a", "2026-10-05", "x", None, "planned")),
        _posts(("p", "x", "2026-10-05", None)),
    )
    assert _outcomes(items) == {"a": "on_time", "b": "missed"}


def test_two_posts_for_one_item_the_closer_is_matched():
    items, posts = plans.reconcile(
        _plan(("a", "2026-10-05", "x", None, "planned")),
        _posts(("far", "x", "2026-10-08", None), ("near", "x", "2026-10-04", None)),
    )
    assert items["post_id"].tolist() == ["near"] and _outcomes(items) == {"a": "on_time"}
    assert posts.set_index("post_id")["planned_id"].isna().to_dict() == {"far": True, "near": False}


def test_cancelled_items_take_no_post_and_items_without_platform_take_any():
    items, posts = plans.reconcile(
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
    items, _ = plans.reconcile(plan, posts)
    assert items.set_index("planned_id")["post_id"].tolist() == ["2", pd.NA]  # b is promo
    assert _outcomes(items) == {"a": "late", "b": "missed"}


def test_counts_and_adherence_by_hand():
    items, posts = plans.reconcile(
        _plan(
            ("a", "2026-10-05", "x", None, "planned"),
            ("b", "2026-10-10", "x", None, "planned"),
            ("c", "2026-10-12", "facebook", None, "cancelled"),
        ),
        _posts(("p", "x", "2026-10-05", None), ("q", "facebook", "2026-10-12", None)),
    )
    row = plans.counts(items, posts).iloc[0]
    assert row[["planned", "on_time", "late", "missed", "cancelled"]].tolist() == [3, 1, 0, 1, 1]
    assert row[["published", "matched", "unplanned"]].tolist() == [2, 1, 1]
    assert row["adherence"] == 0.5  # one on time of the two not cancelled
    per = plans.counts(items, posts, by="platform").set_index("platform")
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
    items, matched = plans.reconcile(plan, posts)
    for by in (None, "platform"):
        for r in plans.counts(items, matched, by).itertuples():
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
    assert plans.assign_pillars(captions, PILLARS).tolist() == ["tips", "new", "new", pd.NA]


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
    from socialkpi.config import brands

    with pytest.raises(brands.BrandNameError, match="add up to 1.20"):
        brands.pillars({"a": {"target": 0.7}, "b": {"target": 0.5}})
    with pytest.raises(brands.BrandNameError, match="must be lists"):
        brands.pillars({"a": {"hashtags": "tips"}})


# --- pillar performance, weeks, cadence -------------------------------------------------------


def test_pillar_performance_gives_median_posts_and_no_interval_under_three():
    posts = pd.DataFrame(
        {"pillar": ["a", "a", "a", "b", None], "rate": [0.01, 0.03, 0.02, 0.05, 0.04]}
    )
    out = calendar.pillar_performance(posts, "rate", {"a": {}, "b": {}, "c": {}}).set_index(
        "pillar"
    )
    assert out.loc["a", "posts"] == 3 and out.loc["a", "median"] == pytest.approx(0.02)
    assert 0.01 <= out.loc["a", "low"] <= 0.02 <= out.loc["a", "high"] <= 0.03
    assert out.loc["b", "posts"] == 1 and pd.isna(out.loc["b", "low"])
    assert out.loc["c", "posts"] == 0 and pd.isna(out.loc["c", "median"])
    assert out.loc["", "posts"] == 1  # the post of no pillar


def test_weeks_of_a_month_start_on_monday_and_stop_at_its_ends():
    weeks = calendar.weeks("2026-11")  # 1 Nov 2026 is a Sunday
    assert [(a.day, b.day) for a, b in weeks] == [
        (1, 1),
        (2, 8),
        (9, 15),
        (16, 22),
        (23, 29),
        (30, 30),
    ]


def test_cadence_counts_per_week_and_leaves_cancelled_items_out():
    items = _plan(
        ("a", "2026-10-02", "x", None, "planned"),
        ("b", "2026-10-06", "x", None, "planned"),
        ("c", "2026-10-07", "x", None, "cancelled"),
    ).assign(outcome=["on_time", "missed", "cancelled"])
    posts = _posts(("p", "x", "2026-10-02", None), ("q", "x", "2026-10-30", None))
    out = calendar.cadence(items, posts, "2026-10")
    assert out["planned"].tolist() == [1, 1, 0, 0, 0]
    assert out["published"].tolist() == [1, 0, 0, 0, 1]
    assert out["days"].tolist() == [4, 7, 7, 7, 6]


# --- notable dates, slots, the draft ----------------------------------------------------------


def test_notable_dates_name_taiwan_holidays_and_shopping_days_in_both_languages():
    october = calendar.notable_dates("2026-10", "zh-TW")
    assert "國慶日" in october.loc[october["day"] == pd.Timestamp("2026-10-10"), "name"].tolist()
    assert set(october["kind"]) == {"holiday"}
    november = calendar.notable_dates("2026-11", "en")
    assert november.to_dict("records") == [
        {"day": pd.Timestamp("2026-11-11"), "kind": "shopping", "name": "Double 11 (Singles' Day)"}
    ]
    december = calendar.notable_dates("2026-12", "zh-TW")
    assert {"雙12", "行憲紀念日"} <= set(december["name"])


def test_the_brands_country_gives_the_holidays():
    """Hong Kong keeps 1 October (National Day), which Taiwan does not; Japan's Sports Day
    falls on the second Monday of October: 12 October 2026."""
    hong_kong = calendar.notable_dates("2026-10", "en", "HK")
    days = set(hong_kong.loc[hong_kong["kind"] == "holiday", "day"])
    assert pd.Timestamp("2026-10-01") in days and pd.Timestamp("2026-10-10") not in days
    taiwan = set(calendar.notable_dates("2026-10", "en")["day"])
    assert pd.Timestamp("2026-10-01") not in taiwan and pd.Timestamp("2026-10-10") in taiwan
    japan = calendar.notable_dates("2026-10", "zh-TW", "JP")  # no zh-TW names: English ones
    assert pd.Timestamp("2026-10-12") in set(japan["day"])
    assert japan["name"].str.contains("Sports").any()


def test_slots_scale_last_months_plan_to_the_months_length():
    plan = pd.DataFrame(
        {
            "planned_for": pd.to_datetime(["2026-02-01"] * 14),
            "platform": ["x"] * 14,
            "status": ["planned"] * 14,
        }
    )
    posts = pd.DataFrame({"platform": pd.Series([], dtype="string"), "day": pd.to_datetime([])})
    out = calendar.slots(plan, posts, "2026-03")  # 14 in 28 days -> 15.5 in 31 days
    assert out.values.tolist() == [["x", 16, "plan"]]


def test_pillar_counts_reach_the_targets_with_what_is_already_planned():
    pillars = {"a": {"target": 0.5}, "b": {"target": 0.3}, "c": {"target": 0.2}}
    # 20 posts in all, 4 of them already planned as "a": a wants 10, so 6 more; b 6; c 4
    assert calendar.pillar_counts(16, pillars, {"a": 4}) == {"a": 6, "b": 6, "c": 4, "": 0}
    # targets leave 40% free: of 10 posts, 4 go to no pillar
    assert calendar.pillar_counts(10, {"a": {"target": 0.6}}) == {"a": 6, "": 4}
    # no pillar has a target: an even split
    assert calendar.pillar_counts(4, {"a": {"target": None}, "b": {"target": None}}) == {
        "a": 2,
        "b": 2,
        "": 0,
    }


def _windows(*rows):
    cols = ["platform", "weekday", "daypart", "posts", "lift", "low", "high", "named", "stands_out"]
    return pd.DataFrame(rows, columns=cols)


def test_draft_spreads_slots_places_pillars_to_target_and_times_only_supported_windows():
    pillars = {"a": {"target": 0.5}, "b": {"target": 0.25}, "c": {"target": 0.25}}
    windows = _windows(
        ("x", "Wednesday", "evening", 5, 1.4, 1.1, 1.8, True, True),
        ("x", "Monday", "morning", 2, 3.0, 0.5, 9.0, False, False),  # 2 posts: never used
        ("x", "Friday", "midday", 6, 0.8, 0.6, 1.1, True, False),  # below typical: not used
    )
    slots = pd.DataFrame({"platform": ["x"], "slots": [8], "basis": ["plan"]})
    out = calendar.draft("2026-11", slots, pillars, windows)
    assert len(out) == 8
    assert out["pillar"].value_counts().to_dict() == {"a": 4, "b": 2, "c": 2}
    # 30 days / 8 slots: evenly at day index floor((i + .5) * 30 / 8); a slot moves at most a
    # day, and only onto the Wednesday window that stands out
    even = [
        pd.Timestamp(2026, 11, 1) + pd.Timedelta(days=int((i + 0.5) * 30 / 8)) for i in range(8)
    ]
    assert all(abs((d - e).days) <= 1 for d, e in zip(out["planned_for"], even, strict=True))
    timed = out[out["planned_time"].notna()]
    assert (timed["planned_for"].dt.day_name() == "Wednesday").all()
    assert set(timed["planned_time"]) == {"20:00"} and len(timed) >= 1
    assert out.loc[out["planned_for"].dt.day_name() == "Friday", "planned_time"].isna().all()
    assert out["planned_for"].is_unique


def test_draft_counts_items_already_planned():
    slots = pd.DataFrame({"platform": ["x", "y"], "slots": [4, 2], "basis": ["plan", "history"]})
    existing = pd.DataFrame(
        {
            "platform": ["x", "x", "y"],
            "pillar": ["a", "a", None],
            "status": ["planned", "cancelled", "idea"],
        }
    )
    out = calendar.draft(
        "2026-11", slots, {"a": {"target": 0.5}, "b": {"target": 0.5}}, _windows(), existing
    )
    assert out["platform"].value_counts().to_dict() == {
        "x": 3,
        "y": 1,
    }  # the cancelled one frees a slot
    # 4 new + 2 planned = 6: a wants 3 - 1 = 2, b wants 3; scaled to the 4 new, 1.6 and 2.4;
    # whole posts 1 and 2, and the larger remainder (a's .6) takes the last
    assert out["pillar"].value_counts().to_dict() == {"a": 2, "b": 2}


def _steer(avoid=(), prefer=()):
    from socialkpi.metrics.advice import Steer

    return Steer(frozenset(avoid), frozenset(prefer))


def test_the_draft_follows_the_months_actions():
    # the Wednesday evening window stands out; the month's actions say: post less at midday
    # and on Saturdays, more in the morning and more reels, on "x"
    windows = _windows(
        ("x", "Wednesday", "evening", 5, 1.4, 1.1, 1.8, True, True),
        ("x", "Monday", "midday", 4, 1.2, 0.9, 1.5, True, False),
        ("x", "Monday", "morning", 3, 1.1, 0.8, 1.4, True, False),
    )
    steer = _steer(
        avoid={("x", "daypart", "midday"), ("x", "weekday", "Saturday")},
        prefer={("x", "daypart", "morning"), ("x", "content_type", "reel")},
    )
    kept = calendar.without(windows, steer)
    assert list(kept["daypart"]) == ["evening", "morning"]  # midday left out of best windows
    slots = pd.DataFrame({"platform": ["x"], "slots": [8], "basis": ["plan"]})
    out = calendar.draft("2026-11", slots, {}, kept, steer=steer)
    assert len(out) == 8 and out["planned_for"].is_unique
    assert not (out["planned_for"].dt.day_name() == "Saturday").any()
    assert set(out["daypart"]) == {"morning"} and set(out["planned_time"]) == {"09:00"}
    assert list(out["content_type"].fillna("")) == ["reel", "", "reel", "", "reel", "", "reel", ""]
    assert out["action"].str.contains("x:daypart:morning").all()
    # the Monday morning window's evidence travels with its slots; other days have none
    monday = out[out["planned_for"].dt.day_name() == "Monday"]
    assert (monday["window_posts"] == 3).all()
    from socialkpi.metrics import advice
    from socialkpi.metrics.evidence import Comparison

    def action(kind, by, group):
        return advice.Proposal(kind, Comparison(by, group, "r", 5, 5, 1, 1, 0, 0, 0, 5, "x"))

    actions = [
        action("less", "daypart", "midday"),
        action("less", "weekday", "Saturday"),
        action("more", "daypart", "morning"),
        action("more", "content_type", "reel"),
    ]
    assert advice.draft_conflicts(actions, out) == []
    # a draft that ignores them breaks each one
    plain = calendar.draft("2026-11", slots, {}, windows)
    assert set(advice.draft_conflicts(actions, plain)) >= {
        "x:daypart:morning",
        "x:content_type:reel",
    }


@pytest.mark.slow
def test_the_sample_draft_and_windows_honour_the_months_actions(sample_db):
    from socialkpi import reads, store
    from socialkpi.metrics import advice
    from socialkpi.steps.calendar import reader as calendar_reader

    con = store.open_store(sample_db[0], read_only=True)
    try:
        for brand, month in (("lumi_tea", "2026-10"), ("northwind_cloud", "2026-09")):
            cal = calendar_reader.content_calendar(con, brand, month)
            assert cal.actions, brand  # the sample has actions in these months
            summary = reads.executive_summary(con, brand, month)
            assert [p.finding for p in cal.actions] == [a.finding for a in summary.actions]
            assert advice.draft_conflicts(cal.actions, cal.draft) == []
            for p in cal.actions:
                c = p.evidence
                if p.kind == "less" and c.by in ("daypart", "weekday"):
                    mine = cal.windows[cal.windows["platform"] == c.platform]
                    assert not (mine[c.by] == c.group).any()
    finally:
        con.close()


@pytest.mark.parametrize("lang, more", [("en", "+3 more"), ("zh-TW", "另有 3 則")])
def test_a_crowded_day_lists_alike_entries_once_and_counts_the_rest(con, lang, more):
    """Oct 7: 14 entries, 11 different (two missed "X · late", three "Facebook · Menu", nine
    Instagram pillars): over 8, so alike entries share a line with their count and 8 lines
    are listed, by kind then label: X ×2, Facebook ×3, pillars 00-05; pillars 06-08 are
    "+3 more". Oct 8: two alike entries, not crowded, one line each."""
    from socialkpi.presentation.page import open_page
    from socialkpi.steps.calendar import page as calendar_page

    store.set_brand(con, "b", "Asia/Taipei")
    labels = ["Facebook · Menu"] * 3 + [f"Instagram · pillar {i:02d}" for i in range(9)]
    entries = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-10-07"] * 14 + ["2026-10-08"] * 2),
            "kind": ["unplanned"] * 12 + ["missed"] * 2 + ["unplanned"] * 2,
            "text": labels + ["X · late"] * 2 + ["TikTok · Menu"] * 2,
        }
    )
    page = open_page(con, "b", "2026-10", lang)
    grid = calendar_page.month_grid(page, "2026-10", entries).data
    # sorted by kind: the missed line (×2) first, then Facebook ×3 and pillars 00-05
    assert grid.count("skpi-cal-missed") == 1 and "X · late ×2" in grid
    assert "Facebook · Menu ×3" in grid
    assert "pillar 05" in grid and "pillar 06" not in grid
    assert f">{more}</div>" in grid
    assert grid.count("TikTok · Menu<") == 2
