"""Ad platforms' report exports: Meta Ads Manager, Google Ads, TikTok Ads Manager and LinkedIn
Campaign Manager. Every expected number below is added up by hand from the fixture's rows."""

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.metrics import money


def _ads(con) -> pd.DataFrame:
    return store.read(con, "ad_results")


def test_meta_zh_tw_daily_export_keeps_the_total_row_aside(load, con):
    result = load("good/meta_ads_adsets_zh_tw_daily.csv")
    assert result.status == "imported", result.error
    ads = _ads(con)
    # three ad-set days: 500 + 700 + 500; the first row (no names, 2 days) is Meta's total
    assert len(ads) == 3 and ads["spend"].sum() == 1700
    assert set(ads["level"]) == {"ad_set"} and set(ads["currency"]) == {"TWD"}
    assert set(ads["entity"]) == {"秋季新品 / 茶飲愛好者", "門市導流 / 信義區"}
    assert set(ads["attribution"]) == {"click7_view1_engaged1"}
    said = " ".join(result.warnings)
    assert "spend in the rows imported 1,700.00; the file's own 'total row' 1,700.00" in said
    assert "they differ" not in said
    assert '"ATC Rate"' in said  # a saved custom metric is named, not dropped silently


def test_meta_results_of_two_types_are_never_added(load, con):
    load("good/meta_ads_adsets_zh_tw_daily.csv")
    rows = money.ad_rows_for_totals(_ads(con), "2026-10")
    found = money.result_totals(rows).set_index("result_type")
    purchase = found.loc["actions:offsite_conversion.fb_pixel_purchase"]
    assert (purchase["spend"], purchase["results"], purchase["cpr"]) == (1200, 10, 120)
    clicks = found.loc["actions:link_click"]
    assert (clicks["spend"], clicks["results"]) == (500, 30)
    totals = money.ad_totals(rows)
    assert totals["result_type"].tolist() == ["mixed"]
    values = money.kpi_values(money.channel_figures(totals)).set_index(["channel", "kpi"])
    assert pd.isna(values.loc[("all", "cost_per_result"), "value"])


def test_breakdown_rows_do_not_double_count(load, con, tmp_path):
    """An age breakdown sums to its campaign; with the campaign's own row also imported, the
    month counts the campaign once."""
    load("good/meta_ads_campaigns_age_breakdown.csv")
    rows = money.ad_rows_for_totals(_ads(con), "2026-10")
    assert rows["spend"].sum() == pytest.approx(100.50 + 250.25 + 49.25)
    plain = tmp_path / "launch_total.csv"
    plain.write_text(
        "Reporting starts,Reporting ends,Campaign name,Results,Result indicator,Impressions,"
        "Amount spent (USD)\n2026-10-01,2026-10-31,Launch,45,actions:link_click,4800,400.00\n",
        "utf-8",
    )
    from socialkpi.ingest import Options, import_paths

    (result,) = import_paths(con, [plain], Options("acme", pd.Timestamp("2026-11-01").date()))
    assert result.status == "imported", result.error
    assert len(_ads(con)) == 4
    rows = money.ad_rows_for_totals(_ads(con), "2026-10")
    assert rows["spend"].sum() == pytest.approx(400.0)
    assert set(rows["breakdown"]) == {""}


def test_google_ads_report_with_totals_that_differ(load, con):
    result = load("good/google_ads_campaign_report.csv")
    assert result.status == "imported", result.error
    ads = _ads(con).set_index("entity")
    assert sorted(ads.index) == ["Brand, search", "Cloud backup"]
    assert ads["spend"].sum() == 22000 and ads["conversions"].sum() == 40
    assert (ads["date"].min(), ads["date_end"].max()) == (
        pd.Timestamp("2026-10-01"),
        pd.Timestamp("2026-10-31"),
    )
    said = " ".join(result.warnings)
    assert "'Total: Campaigns' 22,000.00, 'Total: Account' 22,350.00 (they differ" in said
    figures = money.channel_figures(money.ad_totals(money.ad_rows_for_totals(_ads(con), "2026-10")))
    assert figures["roas_total"].iloc[0] == pytest.approx(90000 / 22000)
    assert figures["cpc"].iloc[0] == pytest.approx(22000 / 750)


def test_google_ads_excel_csv_utf16_tabs_reads_the_same(load, con):
    result = load("good/google_ads_campaign_report_excel_utf16.csv")
    assert result.status == "imported", result.error
    assert result.encoding.lower().startswith("utf-16")
    assert _ads(con)["spend"].sum() == 22000


def test_google_ads_xlsx_with_title_rows_inside_the_sheet(con, tmp_path):
    import openpyxl

    from socialkpi.ingest import Options, import_paths

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["Campaign report"],
        ["October 1, 2026 - October 31, 2026"],
        ["Campaign status", "Campaign", "Impr.", "Clicks", "Currency code", "Cost", "Conversions"],
        ["Enabled", "Cloud backup", 12000, 600, "TWD", 18000.5, 30],
        ["Total: Account", None, 12000, 600, "TWD", 18000.5, 30],
    ]:
        sheet.append(row)
    path = tmp_path / "Campaign report.xlsx"
    book.save(path)
    (result,) = import_paths(con, [path], Options("acme", pd.Timestamp("2026-11-01").date()))
    assert result.status == "imported", result.error
    assert _ads(con)["spend"].tolist() == [18000.5]


def test_google_ads_all_time_is_refused_with_the_fix(load, con):
    result = load("good/google_ads_all_time.csv")
    assert result.status == "failed"
    assert "'All time'" in result.error and "cannot be placed in a month" in result.error
    assert _ads(con).empty


def test_tiktok_ads_total_of_n_results_is_not_a_campaign(load, con):
    result = load("good/tiktok_ads_report_2023.csv")
    assert result.status == "imported", result.error
    ads = _ads(con)
    assert len(ads) == 2 and ads["spend"].sum() == 2000 and ads["conversions"].sum() == 12
    assert set(ads["level"]) == {"ad"} and set(ads["entity"]) == {"Autumn / Tea 18-34 / Video A"}
    assert "'Total of 2 results' 2,000.00" in " ".join(result.warnings)


def test_linkedin_campaign_manager_utf16_with_its_report_lines(load, con):
    result = load("good/linkedin_ads_performance_utf16.csv")
    assert result.status == "imported", result.error
    ads = _ads(con)
    # the old hierarchy: Campaign Group > Campaign > Creative
    assert set(ads["campaign"]) == {"Q4 pipeline"} and set(ads["ad_set"]) == {"Zero Trust webinar"}
    assert set(ads["level"]) == {"ad"} and set(ads["entity"]) == {"9001"}
    assert ads["spend"].sum() == pytest.approx(200.0) and set(ads["currency"]) == {"USD"}
    assert ads["date"].tolist() == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-02")]
    assert ads["follows"].sum() == 1


def test_an_export_without_spend_is_refused_naming_the_column(load, con):
    result = load("good/meta_ads_no_spend_column.csv")
    assert result.status == "failed"
    assert "Amount spent" in result.error
    assert _ads(con).empty


def test_importing_an_ad_export_twice_changes_nothing(load, con):
    load("good/google_ads_campaign_report.csv")
    before = _ads(con)
    again = load("good/google_ads_campaign_report.csv")
    assert again.status == "skipped"
    pd.testing.assert_frame_equal(before, _ads(con))


def test_a_currency_symbol_and_decimal_commas_in_cells(con, tmp_path):
    """A re-saved export: "$" in the money cells, and a semicolon file with decimal commas."""
    from socialkpi.ingest import Options, import_paths

    dollars = tmp_path / "meta_usd.csv"
    dollars.write_text(
        "Reporting starts,Reporting ends,Campaign name,Amount spent (USD)\n"
        '2026-10-01,2026-10-31,Launch,"$1,234.50"\n',
        "utf-8",
    )
    commas = tmp_path / "meta_eur.csv"
    commas.write_text(
        "Reporting starts;Reporting ends;Campaign name;Amount spent (EUR)\n"
        "2026-10-01;2026-10-31;Lancement;1.234,50\n2026-10-01;2026-10-31;Rappel;99,25\n",
        "utf-8",
    )
    results = import_paths(
        con, [dollars, commas], Options("acme", pd.Timestamp("2026-11-01").date())
    )
    assert [r.status for r in results] == ["imported", "imported"], [r.error for r in results]
    spend = _ads(con).set_index("entity")["spend"]
    assert spend.to_dict() == {"Launch": 1234.5, "Lancement": 1234.5, "Rappel": 99.25}


def test_raw_api_names_mixed_into_a_zh_tw_export(con, tmp_path):
    """A saved report with Ads Insights API field names beside the zh-TW headers: the
    currency then comes from account_currency, not from a header."""
    from socialkpi.ingest import Options, import_paths

    path = tmp_path / "meta_mixed.csv"
    path.write_text(
        "分析報告開始,分析報告結束,行銷活動名稱,adset_name,spend,account_currency,inline_link_clicks\n"
        "2026-10-01,2026-10-01,秋季新品,茶飲愛好者,500,TWD,20\n",
        "utf-8",
    )
    (result,) = import_paths(con, [path], Options("acme", pd.Timestamp("2026-11-01").date()))
    assert result.status == "imported", result.error
    row = _ads(con).iloc[0]
    assert (row["entity"], row["spend"], row["currency"], row["link_clicks"]) == (
        "秋季新品 / 茶飲愛好者",
        500,
        "TWD",
        20,
    )


def test_a_second_column_of_the_same_name_is_named(con, tmp_path):
    """Google's Ad group report writes Currency code twice: the first is read, the summary
    says so."""
    from socialkpi.ingest import Options, import_paths

    path = tmp_path / "Ad group report.csv"
    path.write_text(
        "Ad group report\n1 October 2026 - 31 October 2026\n"
        "Ad group status,Ad group,Campaign,Currency code,Impr.,Currency code,Cost\n"
        "Enabled,Taipei,Cloud backup,TWD,100,TWD,300.00\n"
        "Total: Ad groups,,,,100,TWD,300.00\n",
        "utf-8",
    )
    (result,) = import_paths(con, [path], Options("acme", pd.Timestamp("2026-11-01").date()))
    assert result.status == "imported", result.error
    assert 'a second column named "Currency code"' in " ".join(result.warnings)
    row = _ads(con).iloc[0]
    assert (row["level"], row["entity"], row["spend"]) == ("ad_set", "Cloud backup / Taipei", 300)
    assert row["date_end"] == pd.Timestamp("2026-10-31")
