import pandas as pd

from socialkpi.store.schema import conform, validate


def _audience(share, segment="f"):
    frame = pd.DataFrame(
        {
            "brand": ["a"],
            "platform": ["tiktok"],
            "snapshot_date": ["2026-10-31"],
            "dimension": ["gender"],
            "segment": [segment],
            "share": [share],
        }
    )
    return conform(frame, "audience")


def test_shares_within_zero_and_one():
    assert validate(_audience(0.4), "audience") == []
    (problem,) = validate(_audience(1.4), "audience")
    assert (problem.row, problem.column, problem.expected) == (
        0,
        "share",
        "a share between 0 and 1",
    )


def test_key_columns_may_not_be_empty():
    problems = validate(_audience(0.4, segment=None), "audience")
    assert [p.column for p in problems] == ["segment"]


def test_conform_types():
    frame = conform(
        pd.DataFrame({"brand": ["a"], "platform": ["x"], "date": ["2026-01-02"], "reach": ["7"]}),
        "account_daily",
    )
    assert str(frame["reach"].dtype) == "Int64" and frame["reach"].iloc[0] == 7
    assert list(frame.columns)[:3] == ["brand", "platform", "date"]
