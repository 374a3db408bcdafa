import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkpi.metrics.drivers import decompose


def _posts(rows):
    return pd.DataFrame(rows, columns=["content_type", "reach", "engagements"])


def test_volume_and_mix_by_hand():
    before = _posts([("image", 100, 5), ("image", 100, 5)])  # E0 = 10
    after = _posts([("image", 100, 5), ("image", 100, 5), ("reel", 200, 20), ("video", np.nan, 99)])
    # E1 = 30 over posts with reach; the video has none: its 99 engagements are "unmeasured".
    # Reach per post and rate per type are unchanged, so only volume and mix move: with N
    # (2 -> 3) and mix, E(N1, s0) = 15 and E(N0, s1) = 20; Shapley: volume = ((15-10) +
    # (30-20)) / 2 = 7.5, mix = ((20-10) + (30-15)) / 2 = 12.5
    effects = decompose(before, after, denominator="reach").set_index("effect")["value"]
    assert effects["volume"] == pytest.approx(7.5)
    assert effects["mix"] == pytest.approx(12.5)
    assert effects["per_post"] == pytest.approx(0) and effects["rate"] == pytest.approx(0)
    assert effects["unmeasured"] == pytest.approx(99)
    assert effects["total"] == pytest.approx(20 + 99)  # every post's engagements: 129 - 10


def test_rate_only_change():
    before = _posts([("image", 100, 5)])
    after = _posts([("image", 100, 8)])
    effects = decompose(before, after, denominator="reach").set_index("effect")["value"]
    assert effects["rate"] == pytest.approx(3) and effects["volume"] == pytest.approx(0)


post = st.tuples(
    st.sampled_from(["image", "reel", "video", None]), st.integers(0, 10_000), st.integers(0, 5_000)
)  # reach 0: a post no rate can be taken of


@settings(max_examples=150, deadline=None)
@given(st.lists(post, min_size=1, max_size=12), st.lists(post, min_size=1, max_size=12))
def test_effects_always_add_up_to_the_change(a, b):
    before, after = _posts(a), _posts(b)
    effects = decompose(before, after, denominator="reach").set_index("effect")["value"]
    expected = after["engagements"].sum() - before["engagements"].sum()  # every post counts
    assert effects["total"] == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert effects.drop("total").sum() == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_posts_without_a_type_still_count():
    """X's content export has no post type: its posts are a group of their own."""
    before = _posts([("image", 100, 5), (None, 100, 40)])
    after = _posts([("image", 100, 5), (None, 100, 10), (None, 100, 10)])
    effects = decompose(before, after, denominator="reach").set_index("effect")["value"]
    assert effects["total"] == pytest.approx((5 + 10 + 10) - (5 + 40))
