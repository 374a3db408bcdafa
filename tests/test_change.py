import math

import pytest

from socialkpi.metrics.change import ASSESSMENTS, rate_change, value_change, wilson


def test_wilson_interval_known_values():
    # Newcombe (1998), table I: 81/263 -> 0.2553 to 0.3662
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_newcombe_difference_of_proportions():
    # Newcombe (1998) example: 56/70 vs 48/80, difference 0.2000, hybrid score CI 0.0524 to 0.3339
    result = rate_change(56, 70, 48, 80)
    assert result["diff"] == pytest.approx(0.2)
    assert (round(result["low"], 4), round(result["high"], 4)) == (0.0524, 0.3339)
    assert result["label"] == "up_beyond"


def test_small_samples_stay_within_normal_variation():
    assert rate_change(22, 300, 24, 400)["label"] == "within"


def test_rates_above_one_use_poisson_ratio():
    # 300 shares on 10 posts vs 100 on 10: ratio 3, log-scale SE sqrt(1/300 + 1/100)
    result = rate_change(300, 10, 100, 10)
    se = math.sqrt(1 / 300 + 1 / 100)
    assert result["low"] == pytest.approx(10 * (3 * math.exp(-1.959963984540054 * se) - 1))
    assert result["label"] == "up_beyond"


def test_zero_denominator_has_no_comparison():
    assert rate_change(1, 0, 1, 10)["label"] == "no_data"


def test_counts_against_their_history():
    # past steps 4, -6, 5, -3: mean 0, sd sqrt(86/3) = 5.354, band +-10.708
    history = [100, 104, 98, 103, 100]
    assert value_change(130, 100, history)["label"] == "up_beyond"
    assert value_change(105, 100, history)["label"] == "within"
    assert value_change(80, 100, history)["label"] == "down_beyond"
    assert value_change(130, 100, [100, 101])["label"] == "short_history"
    assert value_change(math.nan, 100, history)["label"] == "no_data"


def test_every_label_has_words_in_both_languages():
    from socialkpi.words.i18n import word

    assert word("assessment", "up_beyond", "zh-TW") == "上升，超出正常波動"
    assert word("assessment", "within", "en") == "within normal variation"
    for label in ASSESSMENTS:
        assert (
            word("assessment", label, "zh-TW") != label and word("assessment", label, "en") != label
        )


def test_net_scores_use_binomial_variance():
    # net 0.2 on 100 vs -0.1 on 50: diff 0.3, half-width 1.96 * sqrt(0.96/100 + 0.99/50) = 0.3361
    result = rate_change(20, 100, -5, 50)
    assert result["diff"] == pytest.approx(0.3)
    assert result["high"] - result["diff"] == pytest.approx(
        1.959963984540054 * math.sqrt(0.96 / 100 + 0.99 / 50)
    )
    assert result["label"] == "within"
