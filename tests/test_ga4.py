import pandas as pd

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
