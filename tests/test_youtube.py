import pandas as pd

from socialkpi import store


def test_table_data_total_row_and_ids(load, con):
    result = load("good/youtube_table_data.csv")
    assert result.warnings == [
        "1 video lost more subscribers than it brought; their follows are stored as 0 (YouTube reports only the net change)",
        "1 total row skipped (rows that are not data)",
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


def test_a_german_export_with_soft_hyphens_a_total_row_and_a_footer(load, con):
    """YouTube's German export breaks every header word and the total row's "Gesamt" with
    soft hyphens and ends with a note: the headers match, the total row is no video (views
    are not doubled), the note is no row, and the summary says what was skipped."""
    result = load("good/youtube_de_Tabellendaten_2025-09-30.csv")
    assert result.status == "imported", result.error
    posts = store.read(con, "posts").set_index("post_id")
    assert sorted(posts.index) == ["-i5vAKwX_bY", "abcDEF12345"]
    assert posts["views"].sum() == 1500  # 1,000 + 500, as the total row says
    tea = posts.loc["abcDEF12345"]
    assert (tea.views, tea.impressions, tea.watch_time_s) == (1000, 12000, 20.25 * 3600)
    assert tea.published_at == pd.Timestamp("2025-08-27 16:00", tz="UTC")
    assert "1 total row and 1 footer note skipped (rows that are not data)" in (result.warnings)
    assert not any("Total row differs" in w for w in result.warnings)  # rows add up to it


def test_a_refusal_prints_the_headers_as_the_user_sees_them(tmp_path, con):
    from socialkpi.ingest import Options, import_paths

    path = tmp_path / "Tabellendaten.csv"
    path.write_text("Vi\u00addeo,Vi\u00addeo\u00adti\u00adtel\nabcDEF12345,Tee\n", "utf-8")
    (result,) = import_paths(con, [path], Options("acme"))
    assert result.status == "failed"
    assert '"Video", "Videotitel"' in result.error and "\u00ad" not in result.error


def test_the_geography_table_is_the_viewers_countries(load, con):
    """Table data by Geography (shared/formats.md d): the Total row is set aside and
    checked, each country's share of the views is stored as audience data, codes and
    English names alike as ISO codes."""
    result = load("good/youtube_geography_Table data.csv")
    assert result.status == "imported" and result.formats == ["youtube_geography"]
    assert result.warnings == ["1 total row skipped (rows that are not data)"]
    rows = store.read(con, "audience").set_index("segment")
    assert set(rows["dimension"]) == {"country"} and set(rows["platform"]) == {"youtube"}
    # 600, 250 and 150 of 1,000 views
    assert rows["share"].to_dict() == {"TW": 0.6, "HK": 0.25, "MY": 0.15}
    assert rows.loc["TW", "count"] == 600


def test_a_geography_total_that_disagrees_is_said(load, con, tmp_path):
    from socialkpi.ingest import Options, import_paths
    from tests.conftest import EXPORT_DAY

    path = tmp_path / "Table data.csv"
    path.write_text("Geography,Views\nTotal,1200\nTW,600\nJP,400\n", "utf-8")
    (result,) = import_paths(con, [path], Options("acme", EXPORT_DAY, platform="youtube"))
    assert result.status == "imported"
    assert any(
        "views 1200 in the Total row, 1000 in the country rows" in w for w in result.warnings
    )
