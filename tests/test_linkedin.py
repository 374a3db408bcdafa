import pandas as pd

from socialkpi import store


def test_content_workbook_header_on_row_two(load, con):
    result = load("good/linkedin_content_1761955200000.xlsx", export_date=None)
    assert result.formats == ["linkedin_metrics", "linkedin_posts"]
    daily = store.read(con, "account_daily").set_index("date")
    assert daily.loc["2025-10-01", "impressions"] == 1000
    # clicks 30 + reactions 20 + comments 3 + reposts 2: the 0.055 rate LinkedIn shows on 1000
    assert daily.loc["2025-10-01", "engagements"] == 55
    assert daily.loc["2025-10-02", "impressions"] == 1200  # a number stored as text
    posts = store.read(con, "posts").set_index("post_id")
    webinar = posts.loc["7100000000000000002"]
    assert (webinar.paid, webinar.content_type, webinar.views, webinar.shares) == (
        True,
        "video",
        300,
        4,
    )
    # the export date comes from the epoch milliseconds in the file name
    assert webinar.snapshot_date == pd.Timestamp("2025-11-01")


def test_followers_binary_xls(load, con):
    result = load("good/linkedin_followers_1761955200000.xls")
    assert result.encoding == "xls"
    daily = store.read(con, "account_daily")
    assert daily["follower_gains"].tolist() == [10, 4]  # "Total followers" is new followers per day
    seniority = store.read(con, "audience").set_index("segment")
    assert seniority.loc["Senior", "count"] == 300 and seniority.loc["Senior", "share"] == 0.75
    assert seniority["dimension"].unique().tolist() == ["seniority"]


def test_competitor_workbook_names_rivals_and_leaves_the_page_itself_out(tmp_path, con):
    """Row 1 is the date range, row 2 the header; LinkedIn lists the page beside its rivals."""
    import json

    import openpyxl

    from socialkpi.config import brands
    from socialkpi.ingest import Options, import_paths

    listed = json.dumps(
        brands.roster({"contoso": {"name": "Contoso 系統", "aliases": ["Contoso Systems"]}})
    )
    store.set_brand(con, "acme", "Asia/Taipei", competitors=listed, display_name='"Acme Cloud"')
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Oct 1, 2026 - Oct 31, 2026"])
    sheet.append(
        ["Page", "Total Followers", "New Followers", "Total Post Engagements", "Total Posts"]
    )
    sheet.append(["Acme Cloud", 9000, 120, 800, 12])
    sheet.append(["Contoso Systems", 22000, 300, 6100, 13])
    path = tmp_path / "acme_competitor_analytics_1793494800000.xlsx"
    book.save(path)
    (result,) = import_paths(con, [path], Options(brand="acme"))
    assert result.status == "imported", result.error
    assert any("name the brand itself (Acme Cloud)" in w for w in result.warnings)
    rows = store.read(con, "competitors")
    assert rows[
        ["competitor", "platform", "followers", "posts", "engagements"]
    ].values.tolist() == [["contoso", "linkedin", 22000, 13, 6100]]
    assert rows["date"].iloc[0] == pd.Timestamp("2026-11-01")  # the export day in the name


def test_a_day_with_net_unfollows_is_a_loss_not_a_refusal(tmp_path, con):
    """LinkedIn writes -1 new followers on a day more people left than followed: a net
    change, stored as one follower lost; the whole year is not refused."""
    import openpyxl

    from socialkpi.ingest import Options, import_paths

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "New followers"
    sheet.append(
        [
            "Date",
            "Sponsored followers",
            "Organic followers",
            "Auto-invited followers",
            "Total followers",
        ]
    )
    for row in (
        ["10/01/2026", 0, 3, 0, 3],
        ["10/02/2026", 0, -1, 0, -1],
        ["10/03/2026", 1, 2, 0, 3],
    ):
        sheet.append(row)
    path = tmp_path / "acme_followers_1793494800000.xlsx"
    book.save(path)
    (result,) = import_paths(con, [path], Options("acme"))
    assert result.status == "imported", result.error
    daily = store.read(con, "account_daily").set_index("date").sort_index()
    assert daily["follower_gains"].tolist() == [3, 0, 3]
    assert daily["follower_losses"].tolist() == [0, 1, 0]
    assert not any("not know" in w for w in result.warnings)  # every column accounted for
