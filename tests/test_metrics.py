import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkpi import metrics

REQUIRED = [
    "followers",
    "net_follower_growth",
    "follower_growth_rate",
    "reach",
    "impressions",
    "views",
    "engagements",
    "engagement_rate_reach",
    "engagement_rate_exposure",
    "engagement_rate_followers",
    "amplification_rate",
    "amplification_per_follower",
    "applause_rate",
    "conversation_rate",
    "virality_rate",
    "link_clicks",
    "ctr",
    "video_views",
    "avg_watch_time",
    "posts_published",
    "social_sessions",
    "key_events",
    "conversion_rate",
    "revenue",
    "mention_volume",
    "net_sentiment",
    "net_sentiment_all",
    "negative_share",
    "share_of_voice",
    "response_time_median",
    "response_time_p90",
    "response_rate",
]


def test_dictionary_declares_every_required_kpi_in_both_languages():
    d = metrics.dictionary()
    assert set(REQUIRED) <= set(d)
    for m in d.values():
        assert m.name["en"] and m.name["zh-TW"] and m.definition["en"] and m.definition["zh-TW"]
        assert m.objective in metrics.OBJECTIVES and m.better in ("up", "down")
        assert (m.denominator is None) == (m.aggregation != "ratio")


def test_zh_tw_names_follow_the_glossary():
    d = metrics.dictionary()
    assert d["followers"].name["zh-TW"] == "粉絲數"
    assert d["conversion_rate"].name["zh-TW"] == "轉換率"
    assert d["share_of_voice"].name["zh-TW"] == "聲量佔比"
    assert "轉化" not in str([m.name for m in d.values()])  # mainland usage


def _values(totals, ids):
    return metrics.kpi_values(metrics.with_derived(pd.DataFrame(totals)), ids)


def test_zero_and_missing_denominators_give_nan_not_zero():
    v = _values(
        {"platform": ["a", "b"], "engagements": [5, 5], "reach": [0, np.nan]},
        ["engagement_rate_reach"],
    )
    assert v["value"].isna().all()


def test_net_followers_prefer_counts_then_flows():
    t = metrics.with_derived(
        pd.DataFrame(
            {
                "platform": ["a", "b"],
                "followers_end": [1050, np.nan],
                "followers_start": [1000, np.nan],
                "follower_gains": [99, 7],
                "follower_losses": [0, np.nan],
            }
        )
    )
    assert t["net_followers"].tolist() == [50, 7]


def test_totals_use_only_platforms_reporting_both_parts():
    v = _values(
        {"platform": ["facebook", "tiktok"], "engagements": [22, 500], "reach": [300, np.nan]},
        ["engagement_rate_reach", "engagements"],
    )
    total = metrics.add_totals(v).set_index(["platform", "kpi"])["value"]
    assert total[("all", "engagement_rate_reach")] == 22 / 300
    assert total[("all", "engagements")] == 522


def test_quantiles_come_from_pooled_rows():
    v = _values({"platform": ["a", "b"], "response_p50_h": [6.0, 1.0]}, ["response_time_median"])
    pooled = pd.DataFrame({"response_p50_h": [2.0]})
    total = metrics.add_totals(v, pooled)
    assert total.iloc[-1]["value"] == 2.0  # not the mean or sum of 6 and 1


def test_totals_per_period_with_pooled_quantiles_empty_counts_and_zero_denominators():
    v = pd.DataFrame(
        {
            "period": ["2026-09", "2026-09", "2026-10", "2026-10"] * 3,
            "platform": ["a", "b"] * 6,
            "kpi": ["response_time_median"] * 4
            + ["engagements"] * 4
            + ["engagement_rate_reach"] * 4,
            "value": np.nan,
            "numerator": [6.0, 1.0, 3.0, 4.0, np.nan, np.nan, 5, 7, 3, 1, 0, 0],
            "denominator": [np.nan] * 8 + [100, 300, 0, np.nan],
        }
    )
    pooled = pd.DataFrame({"period": ["2026-09", "2026-10"], "response_p50_h": [2.0, 3.5]})
    total = metrics.add_totals(v, pooled).query("platform == 'all'")
    assert total["period"].tolist() == ["2026-09", "2026-10"] * 3  # in the order first met
    assert total["value"].tolist()[:2] == [2.0, 3.5]  # each period's pooled median
    assert np.isnan(total["value"].iloc[2]) and total["value"].iloc[3] == 12  # no count: NaN
    rates = total["value"].tolist()[4:]
    assert rates[0] == 4 / 400 and np.isnan(rates[1])  # 0 / 0 reach is no rate, not 0
    assert np.isnan(total["denominator"].iloc[0]) and total["denominator"].iloc[4] == 400


counts = st.integers(min_value=0, max_value=10**9)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(counts, st.integers(min_value=1, max_value=10**9), counts), min_size=1, max_size=6
    )
)
def test_totals_are_sums_and_rates_stay_between_platform_rates(rows):
    frame = pd.DataFrame(
        {
            "platform": [f"p{i}" for i in range(len(rows))],
            "engagements": [r[0] for r in rows],
            "reach": [r[1] for r in rows],
            "shares": [r[2] for r in rows],
        }
    )
    v = metrics.add_totals(_values(frame, ["engagements", "engagement_rate_reach"]))
    by = v.set_index(["platform", "kpi"])["value"]
    assert by[("all", "engagements")] == sum(r[0] for r in rows)
    rates = [r[0] / r[1] for r in rows]
    assert min(rates) - 1e-12 <= by[("all", "engagement_rate_reach")] <= max(rates) + 1e-12
