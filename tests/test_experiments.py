"""Organic A/B tests: the experiment file's checks, the variant selectors and the planner's
formula, on hand-made inputs."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from socialkpi.metrics import evidence
from socialkpi.steps.experiments import analysis as ex

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
    assert "experiments[0].variants.B.colour: unknown key 'colour'" in text
    assert str(tmp_path / "lumi_tea.yaml") in text


def test_one_variant_or_an_empty_selector_is_refused(tmp_path):
    one = GOOD.replace('      B: {hashtag: "#試B"}\n', "")
    with pytest.raises(ex.ExperimentError, match="two or more variants, found 1"):
        ex.load_experiments(_write(tmp_path, one))
    empty = GOOD.replace('B: {hashtag: "#試B"}', "B: {}")
    with pytest.raises(ex.ExperimentError, match="variants.B: name the posts"):
        ex.load_experiments(_write(tmp_path, empty))
    regex = GOOD.replace('B: {hashtag: "#試B"}', 'B: {caption_regex: "(unclosed"}')
    with pytest.raises(ex.ExperimentError, match="caption_regex cannot be used: missing \\)"):
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
    overall = plan.value_counts()
    assert overall.max() - overall.min() <= 1  # and over the whole test: 122 slots, 41/41/40
    assert plan.equals(ex.schedule(slots, ["A", "B", "C"], seed=7))  # seeded
    assert not plan.equals(ex.schedule(slots, ["A", "B", "C"], seed=8))  # and random
    # a week's Mondays are not all one variant: the order is drawn again each round
    mondays = cells[(cells["weekday"] == 0) & (cells["daypart"] == "morning")]["v"].tolist()
    assert len(set(mondays[:3])) == 3


# --- the analysis ----------------------------------------------------------------------------

AB = ex.Experiment(
    id="t",
    hypothesis="B beats A",
    metric="engagement_rate_exposure",
    start="2026-09-01",
    end="2026-09-30",
    variants={"A": {"hashtag": "#A"}, "B": {"hashtag": "#B"}},
    min_posts=4,
)


def _posts(tags, engagements, exposure=1000, hours=None, types=None):
    n = len(tags)
    days = pd.date_range("2026-09-01", periods=n, freq="D")
    frame = pd.DataFrame(
        {
            "post_id": [str(i) for i in range(n)],
            "platform": "instagram",
            "day": days,
            "hour": pd.array(hours if hours is not None else [20] * n, dtype="Int64"),
            "weekday": days.day_name(),
            "content_type": types if types is not None else ["reel"] * n,
            "caption": [f"新品 #{t}" for t in tags],
            "engagements": engagements,
            "exposure": exposure,
        }
    )
    frame["engagement_rate_exposure"] = frame["engagements"] / frame["exposure"]
    return frame


AFTER = date(2026, 10, 1)


def test_equal_exposure_gives_the_ratio_of_means():
    # with one exposure for every post the fitted mean of each variant is its mean count
    # (the NB2 score equations reduce to sum(y - mu) = 0 per variant): A 25, B 40, +60%
    # weekdays of 8 days in a row vary, but each appears once or twice and is balanced only
    # by chance, so compare with weekday left out
    posts = _posts(list("ABABABAB"), [10, 20, 20, 30, 30, 50, 40, 60])
    posts["weekday"] = "Tuesday"
    found = ex.analyze(posts, AB, AFTER, resamples=199)
    (c,) = found.contrasts
    assert (c.better, c.worse) == ("B", "A")
    assert c.effect == pytest.approx(0.6, rel=1e-4)
    assert found.posts == {"A": 4, "B": 4} and found.covariates == []
    assert c.low < c.effect < c.high


def test_the_better_variant_is_named_first_whichever_it_is():
    posts = _posts(list("ABABABAB"), [20, 10, 30, 20, 50, 30, 60, 40])
    posts["weekday"] = "Tuesday"
    (c,) = ex.analyze(posts, AB, AFTER, resamples=199).contrasts
    # A's mean 40 over B's 25: +60%, and the interval turned round with it
    assert (c.better, c.worse) == ("A", "B")
    assert c.effect == pytest.approx(0.6, rel=1e-4) and c.low < 0.6 < c.high


def test_the_bootstrap_refit_matches_statsmodels_with_the_dispersion_fixed():
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    posts = _posts(
        list("AB" * 30),
        rng.integers(20, 200, 60),
        exposure=rng.integers(1000, 5000, 60),
        hours=rng.choice([9, 13, 20], 60),
        types=rng.choice(["reel", "image"], 60).tolist(),
    )
    posts["variant"] = posts["caption"].str[-1].map({"A": "0", "B": "1"})
    x, kept = ex.design(posts)
    # 60 posts carry 15 columns: intercept, variant, 6 weekdays, 2 dayparts, 1 type, ...
    assert kept == ["weekday", "daypart", "content_type"]
    y = posts["engagements"].to_numpy(float)
    offset = np.log(posts["exposure"].to_numpy(float))
    rows = rng.integers(0, 60, (3, 60))  # three resamples of row numbers
    first, second = rows[:, :30], rows[:, 30:]
    ours = ex._variant_coefficients(y, x, offset, 0.2, np.zeros(x.shape[1]), first, second)
    for k in range(3):
        r = np.r_[first[k], second[k]]
        xk = x[r].copy()
        xk[:, 1] = np.r_[np.zeros(30), np.ones(30)]
        family = sm.families.NegativeBinomial(alpha=0.2)
        theirs = sm.GLM(y[r], xk, family=family, offset=offset[r]).fit().params[1]
        assert ours[k] == pytest.approx(theirs, abs=1e-5)


def test_covariates_join_only_while_each_column_has_four_posts():
    posts = _posts(list("AB" * 6), range(1, 13), hours=[9, 9, 20, 20] * 3)
    posts["variant"] = posts["caption"].str[-1]
    # 12 posts allow 3 columns: intercept, variant and one for daypart; the 7 weekdays of
    # 12 days in a row would need 6 more
    _, kept = ex.design(posts)
    assert kept == ["daypart"]


def test_a_covariate_the_variant_decides_is_left_out():
    posts = _posts(list("AB" * 6), range(1, 13), hours=[9, 9, 20, 20] * 3, types=list("xy" * 6))
    posts["variant"] = posts["caption"].str[-1]
    # content type repeats the variant exactly; daypart varies inside each variant
    posts["weekday"] = "Monday"
    _, kept = ex.design(posts)
    assert kept == ["daypart"]


def test_verdicts_wait_for_the_end_and_for_enough_posts():
    posts = _posts(list("ABABABA"), [10, 20, 20, 30, 30, 50, 40])
    running = ex.analyze(posts, AB, date(2026, 9, 29))
    assert (running.verdict, running.reason, running.winner) == ("inconclusive", "running", None)
    few = ex.analyze(posts, AB, AFTER)
    assert (few.verdict, few.reason) == ("inconclusive", "too_few")
    assert few.posts == {"A": 4, "B": 3}
    assert few.as_json()["effect"] is None


def test_a_large_difference_is_found_and_an_equal_pair_is_not():
    rng = np.random.default_rng(5)
    n = 15  # one post a day through September
    tags = list("AB" * n)
    lift = np.where(np.array(tags) == "B", 2.0, 1.0)
    posts = _posts(tags, rng.poisson(100 * lift), types=None)
    posts["weekday"] = "Tuesday"
    big = ex.analyze(posts, AB, AFTER)
    assert (big.verdict, big.winner) == ("difference", "B")
    js = big.as_json()
    assert js["interval"][0] > 0 and js["p_value"] < 0.05 and js["posts"] == {"A": n, "B": n}
    same = ex.analyze(_posts(tags, rng.poisson(100, 2 * n)).assign(weekday="Tuesday"), AB, AFTER)
    assert same.verdict == "no_detectable_difference" and same.winner is None
    assert same.mde is not None and same.mde > 0


def test_three_variants_are_compared_in_pairs_with_holm():
    three = AB.model_copy(update={"variants": AB.variants | {"C": ex.Selector(hashtag="#C")}})
    rng = np.random.default_rng(6)
    tags = list("ABC" * 10)
    lift = pd.Series(tags).map({"A": 1.0, "B": 1.0, "C": 2.0}).to_numpy()
    posts = _posts(tags, rng.poisson(100 * lift)).assign(weekday="Tuesday")
    found = ex.analyze(posts, three, AFTER, resamples=499)
    assert len(found.contrasts) == 3 and found.correction == "holm"
    assert found.level == pytest.approx(1 - 0.05 / 3)
    assert found.winner == "C" and found.headline.better == "C"
    ab = next(c for c in found.contrasts if {c.better, c.worse} == {"A", "B"})
    assert ab.p_value >= 0.05  # A and B are alike: no pair of them is called different


def test_holm_by_hand():
    # sorted 0.01, 0.03, 0.04: 3 x 0.01 = 0.03; 2 x 0.03 = 0.06; 1 x 0.04 = 0.04 -> kept at 0.06
    assert ex._holm([0.04, 0.01, 0.03]) == [0.06, 0.03, 0.06]


# --- calibration: simulated tests with a known answer -----------------------------------------


@pytest.mark.slow
def test_calibration_on_the_sample_history(sample_db):
    """200 simulated tests of 40 posts per variant, drawn from a negative binomial fitted to
    the sample's Facebook history (the most overdispersed of lumi_tea's platforms): posting
    times and exposures resampled from the history, variants scheduled by ``schedule``.
    A true 30% lift is found at least 70% of the time, and its interval covers it at least 88%
    of the time; with no lift a difference is claimed at most 7% of the time."""
    import statsmodels.api as sm

    from socialkpi import reads, store

    con = store.open_store(sample_db[0], read_only=True)
    history = reads.posts_of(con, "lumi_tea", "2026-05-01..2026-10-31", ["facebook"])
    con.close()
    history = history[history["exposure"] > 0].reset_index(drop=True)
    exposure = history["exposure"].to_numpy(float)
    fit = sm.NegativeBinomial(
        history["engagements"].to_numpy(float), np.ones((len(history), 1)), offset=np.log(exposure)
    ).fit(disp=0)
    rate, alpha = math.exp(fit.params[0]), fit.params[1]
    assert alpha > 0.05  # overdispersed: a Poisson model would be too sure of itself
    test = AB.model_copy(update={"start": date(2026, 1, 1), "end": date(2026, 12, 31)})
    rng = np.random.default_rng(2026)

    def run(lift: float):
        rows = rng.integers(0, len(history), 80)
        posts = history.loc[rows, ["platform", "hour", "weekday", "content_type"]]
        posts = posts.reset_index(drop=True).assign(
            post_id=[str(i) for i in range(80)],
            day=pd.Timestamp("2026-06-01") + pd.to_timedelta(rng.permutation(80), "D"),
            exposure=exposure[rows],
        )
        posts["daypart"] = evidence.daypart(posts["hour"].astype("Int64"))
        variant = ex.schedule(posts, ["A", "B"], seed=int(rng.integers(1 << 31)))
        mu = posts["exposure"] * rate * np.where(variant == "B", 1 + lift, 1.0)
        posts["engagements"] = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu))
        posts["engagement_rate_exposure"] = posts["engagements"] / posts["exposure"]
        posts["caption"] = "#" + variant
        return ex.analyze(posts, test, AFTER.replace(year=2027))

    lifted = [run(0.3) for _ in range(200)]
    found = sum(a.winner == "B" for a in lifted)
    covered = sum(a.headline.low < 0.3 < a.headline.high for a in lifted if a.winner != "A")
    null = sum(run(0.0).verdict == "difference" for _ in range(200))
    assert found >= 140, found
    assert covered >= 176, covered
    assert null <= 14, null


def test_slots_spread_evenly_and_take_the_daypart_of_their_time():
    # 14 days at 3 a week: round(6) = 6 slots, every 14 // 6 ... day i * 14 // 6: 0 2 4 7 9 11
    found = ex.slots(date(2026, 11, 2), date(2026, 11, 15), {"facebook": 3}, "09:30")
    assert found["day"].dt.day.tolist() == [2, 4, 6, 9, 11, 13]
    assert set(found["daypart"]) == {"morning"} and set(found["planned_time"]) == {"09:30"}
    one = ex.slots(date(2026, 11, 2), date(2026, 11, 3), {"x": 1})
    assert len(one) == 1  # never none


X_HEADER = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
    "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
    "Permalink Clicks"
)


def _x_export(path, lift: float, seed: int = 7) -> None:
    """An X content export of 48 posts in September and October 2026, alternating #A and #B,
    whose B posts get ``lift`` times the likes (ids are snowflakes of the posting time)."""
    rng = np.random.default_rng(seed)
    lines = [X_HEADER]
    for i in range(48):
        when = pd.Timestamp("2026-09-01 02:00", tz="UTC") + pd.Timedelta(hours=30 * i + 3)
        post_id = (int(when.timestamp() * 1000) - 1288834974657) << 22
        tag = "#B" if i % 2 else "#A"
        impressions = int(rng.lognormal(7.5, 0.4))
        likes = int(rng.binomial(impressions, 0.03 * (lift if tag == "#B" else 1.0)))
        replies, reposts = (
            int(rng.binomial(impressions, 0.004)),
            int(rng.binomial(impressions, 0.003)),
        )
        day = f"{when:%a}, {when:%b} {when.day}, {when:%Y}"
        lines.append(
            f'{post_id},"{day}",Post {i} {tag},https://x.com/acme/status/{post_id},{impressions},'
            f"{likes},{likes + replies + reposts},0,0,0,{replies},{reposts},0,0,0,0,0"
        )
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_analyze_works_on_a_store_of_one_x_export(tmp_path, capsys):
    """A brand whose store holds only an X content export (no daily account data): the test
    is analysed up to the brand's own last day, and the seeded lift is found: likes at 3% of
    impressions for A and 4.8% for B, replies and reposts 0.7% for both, so B's engagement
    rate is (4.8 + 0.7) / (3 + 0.7) = 1.486 times A's."""
    import json

    from socialkpi import store
    from socialkpi.cli import main
    from socialkpi.ingest import Options, import_paths

    export = tmp_path / "account_analytics_content_2026-09-01_2026-10-31.csv"
    _x_export(export, lift=1.6)
    db = tmp_path / "x.duckdb"
    con = store.open_store(db)
    import_paths(con, [export], Options(brand="acme", export_date=date(2026, 11, 2)))
    other = tmp_path / "other" / "account_analytics_content_2026-09-01_2026-10-31.csv"
    other.parent.mkdir()
    _x_export(other, lift=1.0, seed=8)  # another brand's newer export
    import_paths(con, [other], Options(brand="other", export_date=date(2026, 12, 1)))
    con.close()
    folder = tmp_path / "experiments"
    folder.mkdir()
    (folder / "acme.yaml").write_text(
        "brand: acme\nexperiments:\n  - id: tags\n    hypothesis: B beats A\n"
        "    metric: engagement_rate_exposure\n    platforms: [x]\n    start: 2026-09-01\n"
        "    end: 2026-10-31\n    variants:\n      A: {hashtag: '#A'}\n      B: {hashtag: '#B'}\n"
        "    min_posts: 10\n",
        "utf-8",
    )
    args = ["experiment", "analyze", "--brand", "acme", "--id", "tags", "--db", str(db)]
    assert main([*args, "--experiments", str(folder), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2026-11-02"  # the export day of acme's own file
    assert out["posts"] == {"A": 24, "B": 24}
    assert out["verdict"] == "difference" and out["winner"] == "B"
    low, high = out["interval"]
    assert low < 0.486 < high and low > 0  # the interval covers the true lift, not zero


def test_caption_patterns_run_in_linear_time_and_lookaround_is_refused(tmp_path):
    """RE2 runs a nested quantifier on a long caption at once (the backtracking engine took
    minutes); lookaround cannot run in linear time, so it is refused with the reason."""
    import pandas as pd

    captions = pd.Series(["a" * 50_000 + "!", "aaa", None])
    assert ex.contains_pattern(captions, "^(a+)+$").tolist() == [False, True, False]
    lookaround = GOOD.replace('B: {hashtag: "#試B"}', 'B: {caption_regex: "(?=新品)新"}')
    with pytest.raises(ex.ExperimentError) as err:
        ex.load_experiments(_write(tmp_path, lookaround))
    assert "caption_regex cannot be used: invalid perl operator: (?=" in str(err.value)
    assert "without lookaround or back-references" in str(err.value)
