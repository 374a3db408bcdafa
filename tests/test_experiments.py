"""Organic A/B tests: the experiment file's checks, the variant selectors and the planner's
formula, on hand-made inputs."""

import math

import pandas as pd
import pytest

from socialkpi import experiments as ex

GOOD = """
brand: lumi_tea
experiments:
  - id: reel-vs-carousel
    hypothesis: Reels beat carousels
    metric: engagement_rate_exposure
    platforms: [instagram]
    start: 2026-09-01
    end: 2026-10-31
    variants:
      A: {hashtag: "#試A"}
      B: {hashtag: "#試B"}
"""


def _write(tmp_path, text):
    path = tmp_path / "lumi_tea.yaml"
    path.write_text(text, "utf-8")
    return path


def test_a_good_file_loads_with_defaults(tmp_path):
    found = ex.load_experiments(_write(tmp_path, GOOD))
    (e,) = found.experiments
    assert e.min_posts == 10 and list(e.variants) == ["A", "B"]


def test_every_problem_is_named_by_its_field(tmp_path):
    bad = (
        GOOD.replace("engagement_rate_exposure", "followers")
        .replace("[instagram]", "[myspace]")
        .replace('B: {hashtag: "#試B"}', "B: {colour: red}")
        .replace("end: 2026-10-31", "end: 2026-08-01")
    )
    with pytest.raises(ex.ExperimentError) as err:
        ex.load_experiments(_write(tmp_path, bad))
    text = str(err.value)
    assert "experiments[0].metric: 'followers' is not a per-post KPI" in text
    assert "experiments[0].platforms: unknown platforms ['myspace']" in text
    assert "experiments[0].variants.B.colour: Extra inputs are not permitted" in text
    assert str(tmp_path / "lumi_tea.yaml") in text


def test_one_variant_or_an_empty_selector_is_refused(tmp_path):
    one = GOOD.replace('      B: {hashtag: "#試B"}\n', "")
    with pytest.raises(ex.ExperimentError, match="two or more variants, found 1"):
        ex.load_experiments(_write(tmp_path, one))
    empty = GOOD.replace('B: {hashtag: "#試B"}', "B: {}")
    with pytest.raises(ex.ExperimentError, match="variants.B: name the posts"):
        ex.load_experiments(_write(tmp_path, empty))
    regex = GOOD.replace('B: {hashtag: "#試B"}', 'B: {caption_regex: "(unclosed"}')
    with pytest.raises(ex.ExperimentError, match="caption_regex is not a regular expression"):
        ex.load_experiments(_write(tmp_path, regex))


POSTS = pd.DataFrame(
    {
        "post_id": ["1", "2", "3", "4", "5"],
        "platform": ["instagram", "instagram", "instagram", "facebook", "instagram"],
        "day": pd.to_datetime(
            ["2026-09-02", "2026-09-03", "2026-10-01", "2026-09-02", "2026-11-01"]
        ),
        "content_type": ["reel", "carousel", "reel", "reel", "reel"],
        "caption": ["新品 #試A", "#試b 輪播", "長文說明 ＃試Ａ", "#試A on fb", "#試A late"],
        "labels": [None, "Test B", None, None, None],
    }
)


def test_posts_take_their_variant_within_platforms_and_period():
    e = ex.Experiment.model_validate(
        {
            "id": "t",
            "hypothesis": "h",
            "metric": "engagement_rate_exposure",
            "platforms": ["instagram"],
            "start": "2026-09-01",
            "end": "2026-10-31",
            "variants": {"A": {"hashtag": "#試A"}, "B": {"hashtag": "試B"}},
        }
    )
    # post 3 uses a full-width ＃ and Ａ: still A; 4 is on Facebook and 5 after the end: none
    assert ex.assign(POSTS, e).tolist() == ["A", "B", "A", pd.NA, pd.NA]


def test_selectors_combine_and_a_post_in_two_variants_is_an_error():
    by_kind = ex.Selector(content_type="reel", caption_regex="新品|說明")
    assert ex.matches(POSTS, by_kind).tolist() == [True, False, True, False, False]
    assert ex.matches(POSTS, ex.Selector(label="test b")).tolist() == [
        False,
        True,
        False,
        False,
        False,
    ]
    assert ex.matches(POSTS, ex.Selector(post_ids=["2", "5"])).tolist() == [
        False,
        True,
        False,
        False,
        True,
    ]
    overlapping = ex.Experiment.model_validate(
        {
            "id": "overlap",
            "hypothesis": "h",
            "metric": "engagements",
            "start": "2026-09-01",
            "end": "2026-10-31",
            "variants": {"A": {"hashtag": "試A"}, "reels": {"content_type": "reel"}},
        }
    )
    with pytest.raises(
        ex.ExperimentError, match=r"posts in two variants: 1 \(A, reels\); 3 \(A, reels\); 4"
    ):
        ex.assign(POSTS, overlapping)


def test_the_planner_by_hand():
    # sigma 0.8, 30%: 2 · (1.959964 + 0.841621)² · 0.64 / ln(1.3)² = 146.0...
    z = 1.959964 + 0.841621
    assert ex.posts_needed(0.8, 0.3) == math.ceil(2 * z**2 * 0.64 / math.log(1.3) ** 2)
    # and back: with that many posts the detectable effect is at most 30%
    n = ex.posts_needed(0.8, 0.3)
    assert ex.detectable_effect(0.8, n) <= 0.3 < ex.detectable_effect(0.8, n - 1)
    # the spread of log values: logs of e^0, e^1, e^2 have sd 1
    history = pd.DataFrame({"rate": [1.0, math.e, math.e**2, 0.0, None]})
    p = ex.plan(history, "rate", effect=0.2, sizes=(10,))
    assert p["spread"] == pytest.approx(1.0) and p["history_posts"] == 3
    assert p["posts_needed"] == math.ceil(2 * z**2 / math.log(1.2) ** 2)
    assert p["detectable"][10] == pytest.approx(math.expm1(z * math.sqrt(0.2)), rel=1e-6)
    assert ex.plan(history.head(2), "rate")["posts_needed"] is None  # two posts: no spread


def test_the_schedule_balances_variants_within_each_weekday_and_daypart():
    days = pd.date_range("2026-09-01", "2026-10-31", freq="D")
    slots = pd.DataFrame(
        {
            "day": list(days) * 2,
            "daypart": ["morning"] * len(days) + ["evening"] * len(days),
        }
    )
    plan = ex.schedule(slots, ["A", "B", "C"], seed=7)
    assert plan.notna().all() and set(plan) == {"A", "B", "C"}
    cells = slots.assign(v=plan, weekday=slots["day"].dt.day_of_week)
    counts = cells.groupby(["weekday", "daypart", "v"]).size().unstack(fill_value=0)
    assert (counts.max(axis=1) - counts.min(axis=1)).max() <= 1  # balanced in every cell
    assert plan.equals(ex.schedule(slots, ["A", "B", "C"], seed=7))  # seeded
    assert not plan.equals(ex.schedule(slots, ["A", "B", "C"], seed=8))  # and random
    # a week's Mondays are not all one variant: the order is drawn again each round
    mondays = cells[(cells["weekday"] == 0) & (cells["daypart"] == "morning")]["v"].tolist()
    assert len(set(mondays[:3])) == 3
