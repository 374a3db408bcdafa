"""Money rules (metrics.money), the cost ledger, budgets and the month's money as pages read it.
Expected values are worked out by hand from the tiny frames; the intervals get calibration
tests (simulations with a known answer)."""

import shutil
from datetime import date

import numpy as np
import pandas as pd
import pytest

from socialkpi import reads, store
from socialkpi.ingest import Options, import_paths
from socialkpi.metrics import money
from socialkpi.reads import money as money_reads

OCTOBER = date(2026, 11, 1)


def _import(con, *paths, brand="acme"):
    results = import_paths(con, list(paths), Options(brand, OCTOBER))
    assert [r.status for r in results] == ["imported"] * len(results), [r.error for r in results]
    return results


def _rates(tmp_path, text: str):
    path = tmp_path / "rates.yaml"
    path.write_text(text, "utf-8")
    return money.load_rates(path)


# --- the cost ledger -----------------------------------------------------------------------


def test_team_sheet_in_zh_tw_with_months_hours_and_all_platforms(con):
    from tests.conftest import FIXTURES

    _import(con, FIXTURES / "good/costs_team_sheet_zh.csv")
    costs = store.read(con, "costs").set_index("category")
    assert costs.loc["content_production", "amount"] == 18000
    assert bool(costs.loc["content_production", "whole_month"])
    assert costs.loc["kol", "platform"] == "instagram" and costs.loc["kol", "date"] == pd.Timestamp(
        "2026-10-15"
    )
    assert costs.loc["staff", "amount"] == 60 * 450  # hours x rate
    assert pd.isna(costs.loc["tools", "platform"]) and costs.loc["tools", "currency"] == "USD"


def test_the_month_in_two_currencies_with_a_rates_file(con, tmp_path):
    from tests.conftest import FIXTURES

    _import(con, FIXTURES / "good/costs_team_sheet_zh.csv")
    rates = _rates(
        tmp_path,
        "rates:\n  - {from: USD, to: TWD, rate: 30, source: any month}\n"
        "  - {from: USD, to: TWD, rate: 32, month: 2026-10, source: October}\n",
    )
    m = money_reads.month_money(con, "acme", "2026-10", None, rates)
    # 18,000 + 12,000 + 27,000 + 49 x 32 (the month's own rate wins over the any-month one)
    assert m.other_costs == pytest.approx(18000 + 12000 + 27000 + 49 * 32)
    assert [(r.from_, r.rate, r.source) for r in m.rates] == [("USD", 32.0, "October")]


def test_a_currency_without_a_rate_is_named_not_guessed(con):
    from tests.conftest import FIXTURES

    _import(con, FIXTURES / "good/costs_team_sheet_zh.csv")
    m = money_reads.month_money(con, "acme", "2026-10", None, None)
    assert m.missing_rate == "USD" and not m.has_data


def test_an_impossible_day_stops_the_import_naming_the_cell(con):
    from tests.conftest import FIXTURES

    (result,) = import_paths(
        con, [FIXTURES / "good/costs_impossible_day.csv"], Options("acme", OCTOBER)
    )
    assert result.status == "failed"
    assert 'row 2, column "date"' in result.error and "2026-02-30" in result.error
    assert store.read(con, "costs").empty


def test_another_brands_row_and_an_unknown_category_are_refused(con, tmp_path):
    other = tmp_path / "costs.csv"
    other.write_text(
        "month,brand,category,amount\n2026-10,acme,tools,100\n2026-10,zenith,tools,50\n", "utf-8"
    )
    (result,) = import_paths(con, [other], Options("acme", OCTOBER))
    assert result.status == "failed" and 'row 3, column "brand"' in result.error
    unknown = tmp_path / "costs2.csv"
    unknown.write_text("month,category,amount\n2026-10,gifts,100\n", "utf-8")
    (result,) = import_paths(con, [unknown], Options("acme", OCTOBER))
    assert result.status == "failed" and "unknown category 'gifts'" in result.error


def test_an_edited_amount_updates_the_same_line(con, tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text("month,category,amount,note\n2026-10,tools,100,scheduler\n", "utf-8")
    _import(con, path)
    path.write_text("month,category,amount,note\n2026-10,tools,120,scheduler\n", "utf-8")
    _import(con, path)
    assert store.read(con, "costs")["amount"].tolist() == [120]


# --- budgets, pacing, proration ------------------------------------------------------------


def test_budget_file_problems_name_their_field(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(
        "brand: acme\nlines:\n  - {category: gifts, monthly: 100}\n"
        "  - {category: kol, channel: meta_ads, monthly: 100}\n  - {category: ads, monthly: -5}\n",
        "utf-8",
    )
    with pytest.raises(money.MoneyError) as err:
        money.load_budgets(path)
    said = str(err.value)
    assert "lines[0].category: unknown category 'gifts'" in said
    assert "lines[1]: a channel (an ad platform) goes with category ads" in said
    assert "lines[2].monthly" in said


def test_a_months_own_budget_line_wins(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(
        "brand: acme\nlines:\n  - {category: events, monthly: 0}\n"
        "  - {category: events, monthly: 30000, months: [2026-09]}\n",
        "utf-8",
    )
    plan = money.load_budgets(path)
    assert money.budget_for(plan, "2026-09")["budget"].tolist() == [30000]
    assert money.budget_for(plan, "2026-10")["budget"].tolist() == [0]


@pytest.mark.parametrize(
    ("spent", "projected", "status"),
    [(4000, 12000, "over"), (2000, 6000, "under"), (3300, 9900, "on-pace")],
)
def test_pacing_on_day_10_of_30(spent, projected, status):
    p = money.pacing(spent, 10000, "2026-09", date(2026, 9, 10))
    assert (p["days_gone"], p["days_left"]) == (10, 20)
    assert p["projected"] == pytest.approx(projected) and p["status"] == status


def test_a_finished_month_is_projected_as_spent():
    p = money.pacing(12000, 10000, "2026-09", date(2026, 9, 30))
    assert (p["projected"], p["days_left"], p["status"]) == (12000, 0, "over")


def test_a_range_reaching_past_the_month_counts_its_share_of_days():
    ads = pd.DataFrame(
        {
            "channel": ["meta_ads"],
            "level": ["campaign"],
            "breakdown": [""],
            "date": [pd.Timestamp("2026-09-16")],
            "date_end": [pd.Timestamp("2026-10-15")],
            "spend": [3000.0],
            "results": [60.0],
            "result_type": ["link_click"],
        }
    )
    rows = money.ad_rows_for_totals(ads, "2026-10")
    totals = money.ad_totals(rows)
    # 30 days, 15 of them in October: half the spend and half the results
    assert totals["spend"].tolist() == [1500.0] and totals["results"].tolist() == [30.0]
    assert totals["prorated"].tolist() == [True]


def test_spend_by_line_a_category_line_covers_its_platforms():
    budget = pd.DataFrame(
        [["kol", "kol", None, None, 20000.0]],
        columns=["line", "category", "channel", "platform", "budget"],
    )
    ads = pd.DataFrame({"channel": ["google_ads"], "spend": [500.0]})
    costs = pd.DataFrame(
        {"category": ["kol", "kol"], "platform": ["instagram", None], "amount": [8000.0, 4000.0]}
    )
    lines = money.spend_by_line(budget, ads, costs).set_index("line")
    assert lines.loc["kol", "spent"] == 12000 and lines.loc["kol", "budget"] == 20000
    assert lines.loc["ads:google_ads", "spent"] == 500 and pd.isna(
        lines.loc["ads:google_ads", "budget"]
    )
    assert len(lines) == 2


# --- return ---------------------------------------------------------------------------------


def test_roi_with_no_cost_is_not_computable_never_infinite():
    assert np.isnan(money.roi(5000, 0)) and np.isnan(money.roi(np.nan, 100))
    assert money.roi(15000, 10000) == pytest.approx(0.5)
    values = money.kpi_values(pd.DataFrame(columns=["channel", "spend"]), 0.0, 5000.0)
    roi = values[values["kpi"] == "social_roi"]["value"].iloc[0]
    assert np.isnan(roi)


# --- intervals: calibration ---------------------------------------------------------------


@pytest.mark.parametrize("mean", [4.0, 25.0])
def test_cost_per_result_interval_covers_the_true_cost(mean):
    """Results are Poisson with a known mean; the true cost per result is spend / mean. An
    exact interval covers it at least 95% of the time (it is conservative, not by much)."""
    rng = np.random.default_rng(7)
    spend, true_cpr = 1000.0, 1000.0 / mean
    hits = total = 0
    for results in rng.poisson(mean, 3000):
        found = money.cost_per_result(spend, results)
        if results == 0:
            continue  # no results: no cost per result is claimed
        total += 1
        hits += (
            found["low"] <= true_cpr <= (found["high"] if not np.isnan(found["high"]) else np.inf)
        )
    assert 0.95 <= hits / total <= 0.995


def test_a_budget_move_is_claimed_rarely_when_two_platforms_are_equal():
    """Equal true results per NT$: the ratio's interval excludes 1 in at most ~5% of months."""
    rng = np.random.default_rng(11)
    claims = 0
    for _ in range(2000):
        a, b = rng.poisson(60), rng.poisson(30)  # spend 2000 and 1000 at one result per 33
        r = money.rate_ratio(a, 2000, b, 1000)
        claims += r["low"] > 1 or r["high"] < 1
    assert claims / 2000 <= 0.06


def test_a_real_difference_is_found_and_moves_need_enough_results():
    strong = pd.DataFrame(
        {
            "channel": ["google_ads", "tiktok_ads"],
            "result_type": ["conversions"] * 2,
            "spend": [10000.0, 10000.0],
            "results": [120.0, 40.0],
        }
    )
    (move,) = money.budget_moves(strong)
    assert (move.better, move.worse) == ("google_ads", "tiktok_ads")
    assert move.ratio == pytest.approx(3.0) and move.low > 1 and move.supported
    few = strong.assign(results=[15.0, 2.0])
    (move,) = money.budget_moves(few)
    assert move.low > 1 and not move.supported  # 2 results: a candidate, never advice
    mixed = strong.assign(result_type=["conversions", "link_click"])
    assert money.budget_moves(mixed) == []


# --- pages and summary on the sample --------------------------------------------------------


def test_the_october_sample_overspends_meta_ads_and_the_summary_says_so(sample_db):
    con = store.open_store(sample_db[0], read_only=True)
    try:
        s = reads.executive_summary(con, "lumi_tea", "2026-10")
        pace = [r.values for r in s.risks if r.kind == "pace"]
        assert {"ads:meta_ads", "kol:instagram"} <= {v["line"] for v in pace}
        meta = next(v for v in pace if v["line"] == "ads:meta_ads")
        assert meta["status"] == "over" and meta["spent"] > meta["budget"] == 45000
        assert s.money is not None and s.money.moves == ()  # one ad platform: no move
        from socialkpi.words import narrative

        said = narrative.say(s, "zh-TW", "TWD")
        assert "花費：本月共花費" in said.headline and "預算 NT$106,500" in said.headline
    finally:
        con.close()


def test_a_cost_goal_is_paced_like_any_goal(con, tmp_path):
    from tests.conftest import FIXTURES

    _import(con, FIXTURES / "good/meta_ads_adsets_zh_tw_daily.csv")
    goals = tmp_path / "acme.yaml"
    goals.write_text(
        "brand: acme\ngoals:\n  - id: cheap-clicks\n    objective: traffic\n    kpi: cpc\n"
        "    target: {value: 20}\n    start: 2026-10-01\n    end: 2026-12-31\n    owner: Amy\n"
        "    priority: primary\n",
        "utf-8",
    )
    status = reads.goal_status(con, "acme", "2026-10", reads.load_goals_or_none(goals))
    row = status.iloc[0]
    # 1,700 spent on 20 + 25 + 30 link clicks
    assert row["kpi"] == "cpc" and row["latest"] == pytest.approx(1700 / 75)
    assert row["target"] == 20 and row["status"] != "no-data"


def test_a_money_series_is_summed_once_per_store_and_rates(sample_db, tmp_path, monkeypatch):
    """The money dashboard's chart asks for the same months at every control change: each
    month is summed once per serving copy and rates file, and other rates are another key."""
    db = tmp_path / "copy.duckdb"  # a store of its own: no other test's reads are kept for it
    shutil.copy(sample_db[0], db)
    con = store.open_serving(db)
    summed, real = [], money_reads._month_sums
    monkeypatch.setattr(
        money_reads, "_month_sums", lambda *a, **k: summed.append(a[2]) or real(*a, **k)
    )
    _, rates = money_reads.defaults("northwind_cloud")
    months = ["2026-09", "2026-10"]
    first = money_reads.money_series(con, "northwind_cloud", months, "spend", rates)
    again = money_reads.money_series(con, "northwind_cloud", months, "spend", rates)
    assert summed == months and again.equals(first)
    doubled = money.RatesFile(
        rates=[r.model_copy(update={"rate": 2 * r.rate}) for r in rates.rates]
    )
    other = money_reads.money_series(con, "northwind_cloud", months, "spend", doubled)
    assert summed == months * 2
    assert (other > first).all()  # its costs in USD are worth twice as many TWD
    con.close()
