"""Best posting windows (``evidence.best_windows``): hand-worked shrinkage on tiny frames and a
calibration on simulated accounts whose true windows are known."""

import math

import numpy as np
import pandas as pd
import pytest

from socialkpi.metrics import evidence

HOURS = {"morning": 8, "midday": 12, "afternoon": 15, "evening": 20, "night": 23}


def _posts(cells: dict[tuple[str, str], list[float]], platform="instagram") -> pd.DataFrame:
    """Posts whose per-post KPI is ``exp(y)`` for each y listed under (weekday, daypart)."""
    rows = [
        {"platform": platform, "weekday": w, "hour": HOURS[d], "rate": math.exp(y)}
        for (w, d), ys in cells.items()
        for y in ys
    ]
    frame = pd.DataFrame(rows)
    return frame.assign(hour=frame["hour"].astype("Int64"))


def test_two_cells_are_not_shrunk_and_their_interval_is_the_t_free_normal_one():
    # y: Monday morning 0, 1, 2 (mean 1); Tuesday evening 2, 3, 4 (mean 3); account mean 2.
    # Pooled within-cell variance (1+0+1+1+0+1) / (6-2) = 1, so each mean's variance is 1/3.
    # With two cells nothing is shrunk: lifts e^-1 and e^1, interval e^(1 ± 1.96 √(1/3)).
    cells = evidence.best_windows(
        _posts({("Monday", "morning"): [0, 1, 2], ("Tuesday", "evening"): [2, 3, 4]}), "rate"
    )
    assert cells["weekday"].tolist() == ["Tuesday", "Monday"]
    top = cells.iloc[0]
    assert top["lift"] == pytest.approx(math.e)
    assert top["low"] == pytest.approx(math.exp(1 - 1.959964 * math.sqrt(1 / 3)))
    assert top["high"] == pytest.approx(math.exp(1 + 1.959964 * math.sqrt(1 / 3)))
    assert top["posts"] == 3 and top["named"] and not top["stands_out"]  # low is 0.88 < 1
    assert top["median"] == pytest.approx(math.exp(3))


def test_five_cells_shrink_toward_the_account_by_morris_factor():
    # Five cells of two posts each, means -2..2 (account mean 0); within each cell the posts
    # sit 1 either side, so sigma² = 10 / (10 - 5) = 2 and each mean's variance is 1.
    # tau² = mean(m² - 1) = (3 + 0 - 1 + 0 + 3) / 5 = 1; B = (5-3)/(5-1) · 1/(1+1) = 0.25.
    # The top cell: effect 0.75 · 2 = 1.5; variance 1 · (1 - 4/5 · 0.25) + 2/2 · 0.25² · 2² = 1.05.
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    cells = evidence.best_windows(
        _posts(
            {(d, "evening"): [m - 1, m + 1] for d, m in zip(days, [-2, -1, 0, 1, 2], strict=True)}
        ),
        "rate",
        min_posts=2,
    )
    top = cells.iloc[0]
    assert top["weekday"] == "Friday"
    assert top["lift"] == pytest.approx(math.exp(1.5))
    assert top["low"] == pytest.approx(math.exp(1.5 - 1.959964 * math.sqrt(1.05)))
    middle = cells.set_index("weekday").loc["Wednesday"]
    assert middle["lift"] == pytest.approx(1.0)


def test_a_cell_under_three_posts_is_never_named_and_untimed_posts_are_left_out():
    posts = _posts({("Monday", "morning"): [0, 0.1, 0.2], ("Sunday", "night"): [3, 3.2]})
    posts.loc[len(posts)] = {"platform": "instagram", "weekday": None, "hour": pd.NA, "rate": 99.0}
    cells = evidence.best_windows(posts, "rate").set_index("weekday")
    assert cells["posts"].sum() == 5
    assert not cells.loc["Sunday", "named"] and not cells.loc["Sunday", "stands_out"]
    assert cells.loc["Monday", "named"]


def test_zero_rates_are_kept_and_platforms_are_separate_accounts():
    posts = pd.concat(
        [
            _posts({("Monday", "morning"): [0, 0, 0], ("Monday", "evening"): [1, 1, 1]}),
            _posts({("Monday", "morning"): [5, 5, 5]}, platform="x"),
        ],
        ignore_index=True,
    )
    posts.loc[0, "rate"] = 0.0
    cells = evidence.best_windows(posts, "rate")
    assert set(cells["platform"]) == {"instagram", "x"}
    assert cells["lift"].map(math.isfinite).all()
    assert cells.loc[cells["platform"] == "x", "lift"].tolist() == [pytest.approx(1.0)]


def _simulate(seed: int, tau: float, n_posts: int = 120, sigma: float = 0.75):
    """An account whose weekday x daypart cells have true log effects drawn from N(0, tau²)."""
    rng = np.random.default_rng(seed)
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    parts = list(HOURS)
    effect = {(w, d): rng.normal(0, tau) for w in weekdays for d in parts}
    cell = [
        (weekdays[rng.integers(7)], parts[rng.choice(5, p=[0.2, 0.2, 0.2, 0.3, 0.1])])
        for _ in range(n_posts)
    ]
    y = np.array([-3 + effect[c] + rng.normal(0, sigma) for c in cell])
    posts = pd.DataFrame(
        {
            "platform": "instagram",
            "weekday": [w for w, _ in cell],
            "hour": pd.array([HOURS[d] for _, d in cell], dtype="Int64"),
            "rate": np.exp(y),
        }
    )
    found = evidence.best_windows(posts, "rate")
    account = np.mean([effect[c] for c in cell])  # the posts' own typical effect
    truth = np.exp(
        [effect[(w, d)] - account for w, d in zip(found["weekday"], found["daypart"], strict=True)]
    )
    covered = (found["low"] <= truth) & (truth <= found["high"])
    return covered[found["named"]].to_numpy(), bool(found["stands_out"].any())


@pytest.mark.slow
def test_intervals_cover_the_true_window_effect_about_95_in_100():
    covered = np.concatenate([_simulate(seed, tau=0.3)[0] for seed in range(150)])
    assert 0.90 <= covered.mean() <= 0.99


@pytest.mark.slow
def test_with_no_true_window_effect_hardly_any_account_is_told_one_stands_out():
    told = [_simulate(seed, tau=0.0)[1] for seed in range(150)]
    assert np.mean(told) <= 0.06


def test_a_strong_window_is_found():
    rng = np.random.default_rng(7)
    found = []
    for _ in range(40):
        cells = {("Wednesday", "evening"): list(rng.normal(0.9, 0.6, 12))}
        cells |= {
            (d, "morning"): list(rng.normal(0, 0.6, 12)) for d in ["Monday", "Friday", "Sunday"]
        }
        cells |= {(d, "afternoon"): list(rng.normal(0, 0.6, 12)) for d in ["Tuesday", "Thursday"]}
        top = evidence.best_windows(_posts(cells), "rate").iloc[0]
        found.append(top["weekday"] == "Wednesday" and top["stands_out"])
    assert np.mean(found) >= 0.8
