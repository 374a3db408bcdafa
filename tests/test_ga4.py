import pandas as pd
import pytest

from socialkpi import store


def test_traffic_acquisition_daily(load, con):
    load("good/ga4_traffic_acquisition_daily.csv")
    web = store.read(con, "web_sessions").set_index(["date", "source_medium"])
    row = web.loc[(pd.Timestamp("2026-10-01"), "m.facebook.com / referral")]
    assert (row.sessions, row.engaged_sessions, row.key_events, row.revenue) == (120, 80, 4, 1520.5)
    assert len(web) == 3


def test_multiblock_snapshot_takes_the_channel_block(load, con):
    result = load("good/ga4_reports_snapshot_multiblock.csv")
    assert result.rows == {"web_sessions": 2}
    assert sum("skipped the block" in w for w in result.warnings) == 2
    web = store.read(con, "web_sessions").set_index("source_medium")["sessions"]
    assert web.to_dict() == {"Direct": 40, "Organic Social": 55}


@pytest.mark.parametrize(
    ("below", "said"),
    [
        (
            "Note: October 2 excludes the campaign landing page\n",
            "1 footer note skipped (rows that are not data)",
        ),
        (
            "\nNotes from Mei: LINE campaign sessions are tagged line / referral\n"
            "Checked on 2026-10-05\n",
            "lines 13-14 below the table are a note, not data: not read",
        ),
        (
            "\nNote, the LINE campaign started on Oct 2, so compare with care\n",
            "line 13 below the table is a note, not data: not read",
        ),
    ],
)
def test_a_note_below_the_table_ends_it(con, tmp_path, below, said):
    """A user's note typed under a GA4 table (right below it, or after a blank line, with
    or without commas) is not data: the table stops there and the summary says so."""
    from socialkpi.ingest import Options, import_paths
    from tests.conftest import EXPORT_DAY, FIXTURES

    text = (FIXTURES / "good/ga4_traffic_acquisition_daily.csv").read_text("utf-8").rstrip("\n")
    path = tmp_path / "traffic.csv"
    path.write_text(text + "\n" + below, "utf-8")
    (result,) = import_paths(con, [path], Options("acme", EXPORT_DAY))
    assert result.status == "imported" and result.rows == {"web_sessions": 3}
    assert said in result.warnings
    assert store.read(con, "web_sessions")["sessions"].sum() == 120 + 300 + 90
