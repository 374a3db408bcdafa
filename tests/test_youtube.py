import pandas as pd

from socialkpi import store


def test_table_data_total_row_and_ids(load, con):
    result = load("good/youtube_table_data.csv")
    assert result.warnings == [
        "1 videos lost more subscribers than they brought; their follows are stored as 0 (YouTube reports only the net change)"
    ]
    posts = store.read(con, "posts").set_index("post_id")
    assert sorted(posts.index) == [
        "-i5vAKwX_bY",
        "abcDEF12345",
    ]  # Total row gone, leading space stripped
    tea = posts.loc["-i5vAKwX_bY"]
    assert tea.watch_time_s == 8.25 * 3600
    assert tea.published_at == pd.Timestamp("2025-08-27 16:00", tz="UTC")  # Aug 28 00:00 Taipei
    assert (tea.views, tea.impressions, tea.follows) == (1000, 12000, 5)
    intro = posts.loc["abcDEF12345"]
    assert pd.isna(intro.published_at) and intro.follows == 0


def test_studio_zip_reads_table_and_totals_not_chart(load, con):
    from socialkpi.ingest import Options, import_paths
    from tests.conftest import FIXTURES

    results = import_paths(con, [FIXTURES / "good/youtube_export_2025-09-30.zip"], Options("acme"))
    by_name = {r.path.split("!")[1]: r for r in results}
    assert set(by_name) == {"Chart data.csv", "Table data.csv", "Totals.csv"}
    assert by_name["Chart data.csv"].rows == {}
    assert "only the videos selected in the chart" in by_name["Chart data.csv"].warnings[0]
    assert store.read(con, "posts")["snapshot_date"].unique().tolist() == [
        pd.Timestamp("2025-09-30")
    ]
    assert store.read(con, "account_daily")["views"].tolist() == [10, 12]


def test_totals_blank_days_are_unknown(load, con):
    load("good/youtube_totals_blank_days.csv")
    views = store.read(con, "account_daily").set_index("date")["views"]
    assert pd.isna(views["2025-06-11"]) and views["2025-06-12"] == 40
