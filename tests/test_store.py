import duckdb
import pandas as pd
import pytest

from socialkpi import store


def _daily(**cols):
    base = {"brand": ["a", "a"], "platform": ["x", "x"], "date": ["2026-01-01", "2026-01-02"]}
    return pd.DataFrame({**base, **cols})


def test_upsert_is_idempotent(con):
    frame = _daily(followers=[10, 12])
    store.upsert(con, "account_daily", frame)
    store.upsert(con, "account_daily", frame)
    assert store.read(con, "account_daily")["followers"].tolist() == [10, 12]


def test_upsert_merges_columns_and_nulls_never_erase(con):
    store.upsert(con, "account_daily", _daily(followers=[10, 12]))
    store.upsert(con, "account_daily", _daily(views=[100, None]))
    store.upsert(con, "account_daily", _daily(followers=[None, 13]))
    got = store.read(con, "account_daily")
    assert got["followers"].tolist() == [10, 13]
    assert got["views"].tolist()[0] == 100 and pd.isna(got["views"].iloc[1])


def test_transaction_rolls_back_everything(con):
    with pytest.raises(RuntimeError), store.transaction(con):
        store.upsert(con, "account_daily", _daily(followers=[1, 2]))
        raise RuntimeError("boom")
    assert store.read(con, "account_daily").empty


def test_read_slices_by_brand_platform_period_and_latest_snapshot(con):
    posts = pd.DataFrame(
        {
            "brand": ["a", "a", "a", "b"],
            "platform": ["facebook", "facebook", "instagram", "facebook"],
            "post_id": ["1", "1", "2", "3"],
            "snapshot_date": ["2026-01-31", "2026-02-28", "2026-01-31", "2026-01-31"],
            "published_at": pd.to_datetime(
                ["2026-01-05", "2026-01-05", "2026-01-20", "2026-01-06"], utc=True
            ),
            "reach": [100, 150, 10, 7],
        }
    )
    store.upsert(con, "posts", posts)
    assert len(store.read(con, "posts", brand="a")) == 3
    assert store.read(con, "posts", brand="a", platform="facebook", latest=True)[
        "reach"
    ].tolist() == [150]
    january_first_half = store.read(con, "posts", start="2026-01-01", end="2026-01-15")
    assert sorted(january_first_half["post_id"]) == ["1", "1", "3"]


def test_store_is_a_duckdb_file_with_every_table(tmp_path):
    path = tmp_path / "s.duckdb"
    store.open_store(path).close()
    tables = {r[0] for r in duckdb.connect(str(path)).execute("SHOW TABLES").fetchall()}
    assert {"posts", "account_daily", "audience", "comments", "web_sessions", "competitors",
            "content_plan", "imports", "brands"} <= tables  # fmt: skip
