"""Small steps shared by the platform importers, worked by hand."""

import pandas as pd

from socialkpi.ingest._shape import local_to_utc, net_split, total


def test_total_is_na_only_where_no_part_has_a_value():
    frame = pd.DataFrame({"a": [1, None, None], "b": [2, 3, None]})
    assert total(frame, "a", "b", "not_there").tolist() == [3, 3, pd.NA]
    assert total(frame, "nope").isna().all()


def test_net_change_splits_into_gains_and_losses():
    gains, losses = net_split(pd.Series([5, -3, 0]))
    assert gains.tolist() == [5, 0, 0] and losses.tolist() == [0, 3, 0]


def test_local_wall_clock_to_utc():
    utc = local_to_utc(pd.Series(["2026-10-01 08:00"]), "Asia/Taipei")
    assert utc.iloc[0] == pd.Timestamp("2026-10-01 00:00", tz="UTC")
    # a time that does not exist (New York's spring-forward hour) moves forward
    gap = local_to_utc(pd.Series(["2026-03-08 02:30"]), "America/New_York")
    assert gap.iloc[0] == pd.Timestamp("2026-03-08 07:00", tz="UTC")
