"""Evidence for advice: hand-worked comparisons, a calibration simulation (no real difference:
the interval excludes zero about 5% of the time; a real one: usually), and a property: nothing
is ever "supported" with too few posts or an interval that includes zero."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkpi.metrics import evidence


def test_a_group_against_the_rest_by_hand():
    frame = pd.DataFrame(
        {
            "content_type": ["reel"] * 5 + ["image"] * 6,
            "rate": [0.08, 0.09, 0.10, 0.11, 0.12, 0.02, 0.03, 0.03, 0.04, 0.05, 0.05],
        }
    )
    image, reel = evidence.compare(frame, "content_type", "rate", min_posts=5)
    assert (reel.group, reel.n, reel.n_rest) == ("reel", 5, 6)
    assert (reel.median, reel.median_rest) == (0.10, 0.035)  # medians of 5 and of 6 values
    assert reel.difference == 0.10 - 0.035 and reel.low > 0 and reel.supported
    assert image.difference == 0.035 - 0.10 and image.high < 0 and image.supported
    few = evidence.compare(frame, "content_type", "rate", min_posts=6)
    assert not any(c.supported for c in few)  # 5 reels are not enough when 6 are asked for


def test_the_interval_is_seeded_and_the_same_every_time():
    frame = pd.DataFrame({"g": list("aaaaabbbbbb"), "v": np.arange(11.0)})
    assert evidence.compare(frame, "g", "v") == evidence.compare(frame, "g", "v")


def test_dayparts_from_local_hours():
    hours = pd.Series([6, 10, 11, 13, 14, 17, 18, 22, 23, 2, None], dtype="Int64")
    assert evidence.daypart(hours).tolist() == [
        "morning",
        "morning",
        "midday",
        "midday",
        "afternoon",
        "afternoon",
        "evening",
        "evening",
        "night",
        "night",
        pd.NA,
    ]


def test_calibration_without_and_with_a_real_difference():
    """Groups of 10 and 40 posts from one skewed distribution: the 95% interval should exclude
    zero in about 5% of samples (300 samples: 1-9% allows for chance); with the group's
    median twice as high (20 and 60 posts) it should almost always."""
    rng = np.random.default_rng(11)
    false = sum(
        lo > 0 or hi < 0
        for i in range(300)
        for _, lo, hi in [
            evidence.bootstrap_difference(
                rng.lognormal(-3, 0.6, 10), rng.lognormal(-3, 0.6, 40), seed=i
            )
        ]
    )
    assert 0.01 <= false / 300 <= 0.09
    found = sum(
        lo > 0
        for i in range(100)
        for _, lo, _ in [
            evidence.bootstrap_difference(
                rng.lognormal(-3 + np.log(2), 0.6, 20), rng.lognormal(-3, 0.6, 60), seed=i
            )
        ]
    )
    assert found / 100 >= 0.8


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    sizes=st.lists(st.integers(1, 9), min_size=2, max_size=4),
    values=st.lists(st.floats(0, 1, allow_nan=False), min_size=40, max_size=40),
    min_posts=st.integers(2, 7),
)
def test_nothing_is_supported_with_too_few_posts_or_an_interval_through_zero(
    sizes, values, min_posts
):
    groups = [f"g{i}" for i, n in enumerate(sizes) for _ in range(n)]
    frame = pd.DataFrame({"g": groups, "v": values[: len(groups)]})
    for c in evidence.compare(frame, "g", "v", min_posts):
        if c.supported:
            assert c.n >= min_posts and c.n_rest >= min_posts
            assert c.low > 0 or c.high < 0


@pytest.mark.parametrize("n", [300, 301])
def test_large_samples_draw_resample_medians_from_the_same_distribution(n):
    """The order-statistic draw (used above DIRECT_UP_TO values) and drawing every value of
    each resample give one distribution of resampled medians, for an even and an odd count
    of skewed values with ties: their quantiles agree and a two-sample KS test does not tell
    them apart (8,000 draws each)."""
    from scipy import stats

    values = np.round(np.random.default_rng(3).lognormal(4, 1, n))  # counts: many ties
    direct = evidence.resampled_medians(values, 8000, np.random.default_rng(1), direct_up_to=n)
    drawn = evidence.resampled_medians(values, 8000, np.random.default_rng(2), direct_up_to=0)
    q = [0.025, 0.25, 0.5, 0.75, 0.975]
    spread = np.quantile(direct, 0.975) - np.quantile(direct, 0.025)
    assert np.allclose(np.quantile(drawn, q), np.quantile(direct, q), atol=0.06 * spread)
    assert stats.ks_2samp(direct, drawn).pvalue > 0.001
    assert set(drawn) <= set(values) | {(a + b) / 2 for a in values for b in values}


def test_a_large_sample_interval_covers_the_true_median_about_95_in_100():
    """Calibration above DIRECT_UP_TO: 200 samples of 3,000 values from a lognormal whose
    median is e^2; the 95% interval holds it in 90-99% of them."""
    rng = np.random.default_rng(21)
    held = sum(
        lo <= np.exp(2) <= hi
        for i in range(200)
        for _, lo, hi in [evidence.median_interval(rng.lognormal(2, 1, 3000), seed=i)]
    )
    assert 0.90 <= held / 200 <= 0.99


def test_small_samples_keep_their_resamples():
    """Up to DIRECT_UP_TO values the resamples are drawn value by value, as before: a seeded
    interval reads the same as resampling by hand."""
    values = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0])
    rng = np.random.default_rng(7)
    by_hand = np.median(values[rng.integers(0, 7, (50, 7))], axis=1)
    assert np.array_equal(evidence.resampled_medians(values, 50, np.random.default_rng(7)), by_hand)
