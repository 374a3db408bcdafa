import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkpi.drivers import decompose


def _posts(rows):
    return pd.DataFrame(rows, columns=["content_type", "reach", "engagements"])


def test_volume_and_mix_by_hand():
    before = _posts([("image", 100, 5), ("image", 100, 5)])  # E0 = 10
    after = _posts([("image", 100, 5), ("image", 100, 5), ("reel", 200, 20), ("video", np.nan, 99)])
    # E1 = 30 (the video has no reach and is left out). Reach per post and rate per type are
    # unchanged, so only volume and mix move: with N (2 -> 3) and mix, E(N1, s0) = 15 and
    # E(N0, s1) = 20; Shapley: volume = ((15-10) + (30-20)) / 2 = 7.5, mix = ((20-10) + (30-15)) / 2 = 12.5
    effects = decompose(before, after).set_index("effect")["value"]
    assert effects["volume"] == pytest.approx(7.5)
    assert effects["mix"] == pytest.approx(12.5)
    assert effects["reach_per_post"] == pytest.approx(0) and effects["rate"] == pytest.approx(0)
    assert effects["total"] == pytest.approx(20)


def test_rate_only_change():
    before = _posts([("image", 100, 5)])
    after = _posts([("image", 100, 8)])
    effects = decompose(before, after).set_index("effect")["value"]
    assert effects["rate"] == pytest.approx(3) and effects["volume"] == pytest.approx(0)


post = st.tuples(
    st.sampled_from(["image", "reel", "video"]), st.integers(1, 10_000), st.integers(0, 5_000)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(post, min_size=1, max_size=12), st.lists(post, min_size=1, max_size=12))
def test_effects_always_add_up_to_the_change(a, b):
    before, after = _posts(a), _posts(b)
    effects = decompose(before, after).set_index("effect")["value"]
    expected = after["engagements"].sum() - before["engagements"].sum()
    assert effects["total"] == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert effects.drop("total").sum() == pytest.approx(expected, rel=1e-9, abs=1e-6)
