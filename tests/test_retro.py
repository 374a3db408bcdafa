"""The retrospective's action loop, worked by hand: what is carried, how a follow-up is judged,
and that re-running a month adds nothing."""

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.steps.retrospective import analysis as retro
from socialkpi.steps.retrospective import reader as retro_reader


def _item(**fields):
    base = {
        "id": "2026-09-reel",
        "month": "2026-09",
        "text": "more reels",
        "owner": "Amy",
        "due": "2026-10-31",
        "status": "open",
        "goal": "",
        "kpi": "engagement_rate_reach",
        "platforms": ["instagram"],
        "baseline": 0.04,
        "target": 0.05,
    }
    return {**base, **fields}


@pytest.mark.parametrize(
    ("fields", "now", "month", "result"),
    [
        ({}, 0.05, "2026-10", "met"),  # reached 5% (better: up)
        ({}, 0.045, "2026-09", "pending"),  # not yet, due in October
        ({}, 0.045, "2026-10", "missed"),  # not reached by the due month
        ({"kpi": "response_time_median", "target": 1.5}, 1.2, "2026-10", "met"),  # better: down
        ({"kpi": "response_time_median", "target": 1.5}, 2.0, "2026-10", "missed"),
        ({"kpi": "not_a_kpi"}, 0.05, "2026-10", "unmeasured"),
        ({}, float("nan"), "2026-10", "unmeasured"),  # no value this month
    ],
)
def test_a_follow_up_is_met_missed_pending_or_unmeasured(fields, now, month, result):
    assert retro.follow_up_result(_item(**fields), now, month) == result


def test_open_items_are_carried_and_a_rerun_adds_nothing(tmp_path):
    log = tmp_path / "acme.yaml"
    done = _item(id="2026-08-staff", month="2026-08")
    assert retro.record(log, [_item(), done]) == 2
    assert retro.record(log, [_item(), done]) == 0  # the same month run again
    assert retro.record(log, [{**done, "month": "2026-09", "status": "done"}]) == 1
    carried = retro.carried(log, "2026-10")
    assert carried["id"].tolist() == ["2026-09-reel"]  # the August item is done since
    assert retro.carried(log, "2026-09")["id"].tolist() == ["2026-08-staff"]


def test_follow_up_without_data_is_unmeasured(tmp_path):
    con = store.open_store(tmp_path / "s.duckdb")
    store.set_brand(con, "acme", "Asia/Taipei")
    measured = retro_reader.follow_up(con, "acme", "2026-10", pd.DataFrame([_item()]))
    con.close()
    assert measured["result"].tolist() == ["unmeasured"]
    assert pd.isna(measured["now"].iloc[0])
